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
// Where the last renderFrame spent its time (wall clock, ms); the benchmark prints these.
struct FrameTiming {
  double widgets_ms = 0;  // NewFrame, the App's widgets, ImGui::Render (vertex building)
  double layers_ms = 0;   // retained layers re-rendered this frame (render_layer.h)
  double draw_ms = 0;     // the windows' draw lists submitted to GL
  double raster_ms = 0;   // glFinish before the swap (only when finishBeforeSwap is on)
  double after_ms = 0;    // deferred edits, language change, activity events
  double swap_ms = 0;     // glfwSwapBuffers (on llvmpipe: finishing and copying to the window)
  int layersRendered = 0;
  double damagedShare = 1;  // share of the window's pixels drawn again (partial_redraw.h)
};
// Draws everything again when the window system says the window's pixels were lost.
void installRedrawOnExpose(GLFWwindow* window);
const FrameTiming& lastFrameTiming();
// The benchmark splits rasterising from presenting with a glFinish before the swap.
void setFinishBeforeSwap(bool on);
// New ImGui frame, the App's widgets, render, then the deferred edits and between-frame work.
// Returns false when nothing on screen changed (nothing was drawn or swapped).
bool renderFrame(AppContext& ctx, App& app, GLFWwindow* window);
}  // namespace lb::app
