#pragma once
// [SECTION] Test-mode state files. In --test-mode with LB_TEST_STATE set, the canvas and the
// panels publish what a GUI test needs to aim real X input (screen positions of widgets, the
// canvas transform) and to wait for the program (selection, tool, list sizes). Each writer owns
// one file: $LB_TEST_STATE plus a suffix ("" canvas, ".objects", ".labels", ".items").
// Nothing is written outside test mode.
#include <string>

namespace lb::app {

class AppContext;

// Whether state files are wanted this run (test mode and LB_TEST_STATE set).
bool testStateWanted(const AppContext& ctx);
// Writes `json` to $LB_TEST_STATE<suffix> after the frame (atomically: temp file + rename) when it
// differs from `last`, which the caller keeps between frames.
void publishTestState(AppContext& ctx, const char* suffix, std::string json, std::string& last);

}  // namespace lb::app
