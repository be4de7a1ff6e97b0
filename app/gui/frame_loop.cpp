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

void renderFrame(AppContext& ctx, App& app, GLFWwindow* window) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  app.drawFrame();
  ImGui::Render();
  int w = 0, h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  glViewport(0, 0, w, h);
  glClearColor(0.09f, 0.09f, 0.1f, 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  // Edits asked for during the frame go through the Session now, after the widgets.
  ctx.runDeferred();
  app.afterFrame();
  glfwSwapBuffers(window);
  replayWaitingKeys(window);
}

}  // namespace lb::app
