/* Test-only shared library without the plugin entry points (a stray .so in the folder). */
int lb_something_else(void) { return 42; }
