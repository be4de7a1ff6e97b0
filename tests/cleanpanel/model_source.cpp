// The cleaning panel's reading and counting code has no UI in it; it is compiled into this test
// directly (the desktop program's sources are not a library the tests can link).
#include "app/gui/panels/clean_panel_model.cpp"
