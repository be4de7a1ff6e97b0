#pragma once
// One frame of the program (shared by the interactive loop and the benchmark mode).
struct GLFWwindow;

namespace lb::app {
class AppContext;
class App;

double monotonicSeconds();
// New ImGui frame, the App's widgets, render, then the deferred edits and between-frame work.
void renderFrame(AppContext& ctx, App& app, GLFWwindow* window);
}  // namespace lb::app
