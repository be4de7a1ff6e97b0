#pragma once
// One frame of the program (shared by the interactive loop and the benchmark mode).
struct GLFWwindow;

namespace lb::app {
class AppContext;
class App;

double monotonicSeconds();
// Replaces ImGui's GLFW key callback (after ImGui_ImplGlfw_InitForOpenGL) with one that never
// lets a press and its release fall into the same frame.
void installKeyQueue(GLFWwindow* window);
bool keysWaiting();
// New ImGui frame, the App's widgets, render, then the deferred edits and between-frame work.
void renderFrame(AppContext& ctx, App& app, GLFWwindow* window);
}  // namespace lb::app
