#pragma once
// [SECTION] The panel seam. A panel is one dockless window of the desktop program. Add one by
// writing app/gui/panels/foo_panel.cpp with a class deriving from Panel and a static
// PanelRegistrar; no other file changes. The host opens the window (Begin/End) with the
// translated title and calls draw() for its contents, so draw() only draws widgets.
//
// Rules for draw(): keep only display state (scroll, filter text) in the panel; collect what the
// user asked for and hand it to ctx.defer(...) so that edits go through the Session after the
// frame. No SQL, file I/O or decoding inside draw(): use ctx.workers().
//
// Threads: UI thread only.
#include <functional>
#include <memory>
#include <vector>

#include <imgui.h>

namespace lb::app {

class AppContext;

class Panel {
 public:
  virtual ~Panel();
  virtual const char* id() const = 0;        // stable, ASCII; also the ImGui window id
  virtual const char* titleKey() const = 0;  // i18n key of the window title (tr(titleKey()))
  virtual void draw(AppContext& ctx) = 0;

  // Optional. Whether the window is shown when a project opens (the View menu toggles it).
  virtual bool openByDefault() const { return false; }
  // Optional. Placement the first time the window appears, as fractions of the main viewport.
  virtual ImVec4 defaultRect() const { return ImVec4(0.3f, 0.2f, 0.4f, 0.5f); }
  // Optional. Extra ImGuiWindowFlags for the host's Begin().
  virtual int windowFlags() const { return 0; }
  // Optional. Panels that need a project are hidden on the start screen.
  virtual bool needsProject() const { return true; }
  // Optional. Whether the signed-in user may see the panel at all (e.g. lead-only panels);
  // an unavailable panel is left out of the View menu and not drawn.
  virtual bool available(AppContext& /*ctx*/) { return true; }
};

using PanelFactory = std::function<std::unique_ptr<Panel>()>;

// Registers a panel type at static-initialisation time. `order` sorts the View menu.
struct PanelRegistrar {
  PanelRegistrar(int order, PanelFactory factory);
};

// Creates one instance of every registered panel, in order (called once by the app).
std::vector<std::unique_ptr<Panel>> createRegisteredPanels();

}  // namespace lb::app
