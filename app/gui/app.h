#pragma once
// [SECTION] The desktop program's frame: menu bar, start screen or the panels, status line,
// shortcut sheet. main.cpp owns the window and the loop; App draws one frame at a time.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/gui/app_context.h"
#include "app/gui/panel.h"

struct GLFWwindow;

namespace lb::app {

class StartScreen;

class App {
 public:
  App(AppContext& ctx, GLFWwindow* window);
  ~App();
  // One frame of widgets (between ImGui::NewFrame and ImGui::Render).
  void drawFrame();
  // Between frames: language/font changes, focus and input events.
  void afterFrame();
  bool quitRequested() const { return m_quit; }
  // Applies the UI language (reloads strings and fonts). Falls back to English without a CJK font.
  void applyLanguage(const std::string& lang);

 private:
  void drawMenuBar();
  void drawPanels();
  void drawStatusLine();
  void drawShortcutSheet();
  void drawAbout();
  void trackActivity();

  AppContext& m_ctx;
  GLFWwindow* m_window;
  std::vector<std::unique_ptr<Panel>> m_panels;
  std::map<std::string, bool> m_open;
  bool m_projectWasOpen = false;
  bool m_quit = false;
  bool m_showAbout = false;
  bool m_focused = true;
  double m_lastInputLog_s = -10;
  std::unique_ptr<StartScreen> m_start;
  std::string m_fontMessage;
};

// Where the menu bar and status line leave room for panels (pixels).
struct WorkArea {
  float x, y, w, h;
};
WorkArea workArea();

}  // namespace lb::app
