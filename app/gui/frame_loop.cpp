#include "frame_loop.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <tuple>
#include <vector>

#include "app/gui/app.h"
#include "app/gui/image_cache.h"
#include "app/gui/partial_redraw.h"
#include "app/gui/render_layer.h"

namespace lb::app {

namespace {
// ImGui 1.86 reads keys as "down" state per frame: a press and its release arriving in the same
// event poll (xdotool, fast typists, remote desktops) would never be seen. Key events after such
// a key press wait for the next frame, in order, so every key press lasts at least one frame.
struct KeyEvent {
  int key, scancode, action, mods;
};
std::set<int> g_pressedThisFrame;
std::vector<KeyEvent> g_waiting;

void feed(GLFWwindow* w, const KeyEvent& e) {
  // Any release after a press in the same frame waits, also a modifier's: xdotool sends
  // Ctrl down, Z down, Ctrl up, Z up, and Ctrl must still be down when the frame sees Z.
  if (!g_waiting.empty() || (e.action == GLFW_RELEASE && !g_pressedThisFrame.empty())) {
    g_waiting.push_back(e);
    return;
  }
  if (e.action == GLFW_PRESS) g_pressedThisFrame.insert(e.key);
  ImGui_ImplGlfw_KeyCallback(w, e.key, e.scancode, e.action, e.mods);
}

void keyCallback(GLFWwindow* w, int key, int scancode, int action, int mods) {
  feed(w, {key, scancode, action, mods});
}

void replayWaitingKeys(GLFWwindow* w) {
  g_pressedThisFrame.clear();
  auto list = std::move(g_waiting);
  g_waiting.clear();
  for (const auto& e : list) feed(w, e);
}
}  // namespace

void installKeyQueue(GLFWwindow* window) { glfwSetKeyCallback(window, keyCallback); }
bool keysWaiting() { return !g_waiting.empty(); }

double monotonicSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

namespace {
FrameTiming g_timing;
bool g_finishBeforeSwap = false;
PartialRedraw* g_redraw = nullptr;  // made with the first frame (needs the GL context)
}  // namespace

void installRedrawOnExpose(GLFWwindow* window) {
  glfwSetWindowRefreshCallback(window, [](GLFWwindow*) {
    if (g_redraw) g_redraw->invalidate();
  });
}

const FrameTiming& lastFrameTiming() { return g_timing; }
void setFinishBeforeSwap(bool on) { g_finishBeforeSwap = on; }

bool renderFrame(AppContext& ctx, App& app, GLFWwindow* window) {
  FrameTiming t;
  double mark = monotonicSeconds();
  auto lap = [&mark](double& into) {
    const double now = monotonicSeconds();
    into = (now - mark) * 1000.0;
    mark = now;
  };
  if (ctx.hasProject()) ctx.images().tick(ctx);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  app.drawFrame();
  ImGui::Render();
  lap(t.widgets_ms);
  // Offscreen layers first (they bind their own framebuffer), then the windows that show them.
  t.layersRendered = RenderLayer::renderPending();
  lap(t.layers_ms);
  int w = 0, h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  static PartialRedraw redraw;
  g_redraw = &redraw;
  // Only what changed since the last frame is drawn again; nothing changed, nothing to show.
  const bool drawn = redraw.render(ImGui::GetDrawData(), w, h, ImVec4(0.09f, 0.09f, 0.1f, 1.f));
  t.damagedShare = redraw.lastDamagedShare();
  lap(t.draw_ms);
  // Edits asked for during the frame go through the Session now, after the widgets.
  if (!ctx.pendingLanguage.empty()) redraw.invalidate();  // fonts are rebuilt in afterFrame
  ctx.runDeferred();
  app.afterFrame();
  lap(t.after_ms);
  if (g_finishBeforeSwap) {
    glFinish();
    lap(t.raster_ms);
  }
  if (drawn) glfwSwapBuffers(window);
  lap(t.swap_ms);
  replayWaitingKeys(window);
  g_timing = t;
  return drawn;
}

}  // namespace lb::app
