#include "app.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdio>

#include "app/gui/fonts.h"
#include "app/gui/i18n.h"
#include "app/gui/keyboard.h"
#include "app/gui/start_screen.h"
#include "labelbench_version.h"
#include "labeling/events.h"

namespace lb::app {

namespace {
constexpr float kStatusHeight_px = 26.f;
}

WorkArea workArea() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float menu = ImGui::GetFrameHeight();
  return {vp->WorkPos.x, vp->Pos.y + menu, vp->WorkSize.x, vp->Size.y - menu - kStatusHeight_px};
}

App::App(AppContext& ctx, GLFWwindow* window) : m_ctx(ctx), m_window(window) {
  m_panels = createRegisteredPanels();
  m_start = std::make_unique<StartScreen>(ctx);
}

App::~App() = default;

void App::applyLanguage(const std::string& lang) {
  std::string message;
  std::string use = lang == "zh-CN" ? "zh-CN" : "en";
  if (!buildFonts(use, 15.f, message)) {
    std::fprintf(stderr, "labelbench: %s\n", message.c_str());
    use = "en";
    buildFonts(use, 15.f, message);
    m_fontMessage = message;
  } else {
    m_fontMessage.clear();
  }
  loadLanguage(m_ctx.assetsDir() + "/i18n", use);
  if (!m_fontMessage.empty()) m_ctx.notify(m_fontMessage, true);
}

void App::drawFrame() {
  m_ctx.nextFrame();
  if (m_ctx.hasProject() != m_projectWasOpen) {
    m_projectWasOpen = m_ctx.hasProject();
    for (auto& p : m_panels) m_open[p->id()] = p->openByDefault();
  }
  drawMenuBar();
  if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) m_quit = true;
  if (!m_ctx.hasProject()) {
    m_start->draw();
  } else {
    handleKeyboard(m_ctx);
    drawPanels();
  }
  drawStatusLine();
  drawShortcutSheet();
  drawAbout();
}

void App::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr("menu.file"))) {
    if (ImGui::MenuItem(tr("menu.file.start"), nullptr, false, m_ctx.hasProject()))
      m_ctx.defer([](AppContext& c) { c.closeProject(); });
    ImGui::Separator();
    if (ImGui::MenuItem(tr("menu.file.quit"), "Ctrl+Q")) m_quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("menu.edit"), m_ctx.hasProject())) {
    if (ImGui::MenuItem(tr("menu.edit.undo"), "Ctrl+Z")) m_ctx.defer([](AppContext& c) { c.report(c.session().undo()); });
    if (ImGui::MenuItem(tr("menu.edit.redo"), "Ctrl+Y")) m_ctx.defer([](AppContext& c) { c.report(c.session().redo()); });
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("menu.view"))) {
    for (auto& p : m_panels) {
      if (p->needsProject() && !m_ctx.hasProject()) continue;
      if (m_ctx.hasProject() && !p->available(m_ctx)) continue;
      bool& open = m_open[p->id()];
      ImGui::MenuItem(tr(p->titleKey()), nullptr, &open);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("menu.language"))) {
    if (ImGui::MenuItem("English", nullptr, currentLanguage() == "en")) m_ctx.pendingLanguage = "en";
    if (ImGui::MenuItem("中文 (简体)", nullptr, currentLanguage() == "zh-CN")) m_ctx.pendingLanguage = "zh-CN";
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("menu.help"))) {
    if (ImGui::MenuItem(tr("menu.help.shortcuts"), "F1")) m_ctx.editor().showShortcuts = true;
    if (ImGui::MenuItem(tr("menu.help.about"))) m_showAbout = true;
    ImGui::EndMenu();
  }
  if (m_ctx.hasProject()) {
    ImGui::SameLine(ImGui::GetWindowWidth() - 320);
    ImGui::TextDisabled("%s  |  %s", m_ctx.projectInfo().name.c_str(), m_ctx.session().user().name.c_str());
  }
  ImGui::EndMainMenuBar();
}

void App::drawPanels() {
  const WorkArea wa = workArea();
  if (auto& want = m_ctx.editor().openPanel; !want.empty()) {  // a panel asked to show another
    m_open[want] = true;
    want.clear();
  }
  for (auto& p : m_panels) {
    bool& open = m_open[p->id()];
    if (!open || (p->needsProject() && !m_ctx.hasProject())) continue;
    if (m_ctx.hasProject() && !p->available(m_ctx)) continue;
    const ImVec4 r = p->defaultRect();
    const ImGuiCond cond = m_ctx.options().testMode ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(ImVec2(wa.x + r.x * wa.w, wa.y + r.y * wa.h), cond);
    ImGui::SetNextWindowSize(ImVec2(r.z * wa.w, r.w * wa.h), cond);
    // "###id" keeps the window's identity (position, size) when the language changes.
    const std::string title = std::string(tr(p->titleKey())) + "###" + p->id();
    // Opaque: panels may stack (Assists over the object list) and rows must not show through.
    ImGui::SetNextWindowBgAlpha(1.f);
    if (ImGui::Begin(title.c_str(), &open, p->windowFlags() | ImGuiWindowFlags_NoCollapse)) p->draw(m_ctx);
    ImGui::End();
  }
}

void App::drawStatusLine() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - kStatusHeight_px));
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x, kStatusHeight_px));
  const int flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                    ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                    ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 4));
  if (ImGui::Begin("##status", nullptr, flags)) {
    if (m_ctx.hasProject()) {
      // Every edit is committed when made, so this is always true once an edit returned.
      ImGui::TextColored(ImVec4(0.4f, 0.85f, 0.4f, 1.f), "%s", tr("status.all_saved"));
      const auto& items = m_ctx.items();
      int done = 0;
      for (const auto& r : items.rows)
        done += r.state != labeling::ItemState::New && r.state != labeling::ItemState::InProgress;
      const int idx = m_ctx.session().currentItem() ? items.indexOf(m_ctx.session().currentItem()) : -1;
      ImGui::SameLine();
      ImGui::TextUnformatted(trf("status.counters", {std::to_string(idx + 1), std::to_string(items.rows.size()),
                                                     std::to_string(items.total), std::to_string(done),
                                                     std::to_string(m_ctx.annotations().size())})
                                 .c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("%s: %s", tr("status.tool"), tr(toolKey(m_ctx.editor().tool)));
    }
    const auto& n = m_ctx.notice();
    if (!n.text.empty() && ImGui::GetTime() < n.untilSeconds) {
      ImGui::SameLine();
      ImGui::TextColored(n.error ? ImVec4(1.f, 0.45f, 0.4f, 1.f) : ImVec4(0.8f, 0.8f, 0.5f, 1.f), "  %s",
                         n.text.c_str());
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

// The version comes from the CMake project version (the one place it is set), as in --version.
void App::drawAbout() {
  if (!m_showAbout) return;
  ImGui::SetNextWindowSize(ImVec2(420, 0), ImGuiCond_Appearing);
  if (ImGui::Begin(tr("about.title"), &m_showAbout, ImGuiWindowFlags_NoCollapse)) {
    ImGui::Text("LabelBench %s", LB_VERSION_STRING);
    ImGui::TextWrapped("%s", tr("about.text"));
    if (m_ctx.hasProject())
      ImGui::TextDisabled("%s %s", tr("about.project_made_by"), m_ctx.projectInfo().createdByVersion.c_str());
  }
  ImGui::End();
}

void App::drawShortcutSheet() {
  if (!m_ctx.editor().showShortcuts) return;
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  bool open = true;
  if (ImGui::Begin((std::string(tr("shortcuts.title")) + "###shortcuts").c_str(), &open,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
    drawShortcutTable(m_ctx);
  }
  ImGui::End();
  if (!open) m_ctx.editor().showShortcuts = false;
}

void App::afterFrame() {
  if (!m_ctx.pendingLanguage.empty()) {
    applyLanguage(m_ctx.pendingLanguage);
    m_start->rememberLanguage(currentLanguage());
    m_ctx.pendingLanguage.clear();
  }
  trackActivity();
}

void App::trackActivity() {
  if (!m_ctx.hasProject()) return;
  const bool focused = glfwGetWindowAttrib(m_window, GLFW_FOCUSED) != 0;
  const labeling::ItemId item = m_ctx.session().currentItem();
  if (focused != m_focused) {
    m_focused = focused;
    m_ctx.session().logEvent(focused ? labeling::events::kFocusGained : labeling::events::kFocusLost, item);
  }
  // Throttled heartbeat: at most one "input" event per second while the user is doing something.
  const ImGuiIO& io = ImGui::GetIO();
  bool active = io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0;
  for (int b = 0; b < 5 && !active; ++b) active = io.MouseClicked[b];
  for (int k = 0; k < IM_ARRAYSIZE(io.KeysDown) && !active; ++k) active = io.KeysDownDuration[k] == 0.f;
  const double now = ImGui::GetTime();
  if (active && now - m_lastInputLog_s >= 1.0) {
    m_lastInputLog_s = now;
    m_ctx.session().logEvent(labeling::events::kInput, item);
  }
}

}  // namespace lb::app
