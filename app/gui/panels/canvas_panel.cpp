// The canvas window: a tool strip, view controls (fit, 1:1, brightness/contrast for viewing
// only, brush size) and the Canvas itself.
#include <imgui.h>

#include "app/gui/actions.h"
#include "app/gui/app_context.h"
#include "app/gui/canvas/canvas.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "app/gui/test_state.h"

namespace lb::app {
namespace {

class CanvasPanel final : public Panel {
 public:
  const char* id() const override { return "canvas"; }
  const char* titleKey() const override { return "panel.canvas"; }
  bool openByDefault() const override { return true; }
  ImVec4 defaultRect() const override { return ImVec4(0.2f, 0.f, 0.58f, 1.f); }
  int windowFlags() const override { return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse; }
  // A text or prompt item is shown by the text panel in the same place; drawing the canvas
  // behind it cost ~12 ms a frame on llvmpipe for nothing the user can see.
  bool available(AppContext& ctx) override {
    const auto& item = ctx.currentItem();
    return !item || item->kind == lb::labeling::ItemKind::Image;
  }

  void draw(AppContext& ctx) override {
    auto& ed = ctx.editor();
    const Tool tools[] = {Tool::Select, Tool::Box, Tool::RotatedBox, Tool::Polygon, Tool::Polyline,
                          Tool::Point, Tool::Keypoints, Tool::MaskBrush, Tool::MaskEraser};
    for (Tool t : tools) {
      const bool on = ed.tool == t;
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      if (ImGui::SmallButton(tr(toolKey(t)))) ed.tool = t;
      if (on) ImGui::PopStyleColor();
      ImGui::SameLine();
    }
    ImGui::NewLine();
    if (ImGui::SmallButton(tr("canvas.fit"))) ed.requestFit = true;
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("canvas.one_to_one"))) m_canvas.oneToOne();
    if (testStateWanted(ctx)) {
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      publishTestState(ctx, ".canvas_panel", "{\"one_to_one\": [" + std::to_string((a.x + b.x) / 2) + ", " +
                                                 std::to_string((a.y + b.y) / 2) + "]}", m_testState);
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::SliderFloat(tr("canvas.brightness"), &ed.brightness, -0.5f, 0.5f, "%.2f");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::SliderFloat(tr("canvas.contrast"), &ed.contrast, 0.3f, 2.f, "%.2f");
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("canvas.reset_view"))) ed.brightness = 0, ed.contrast = 1;
    if (ed.tool == Tool::MaskBrush || ed.tool == Tool::MaskEraser) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(90);
      ImGui::SliderFloat(tr("canvas.brush"), &ed.brushRadius_px, 1.f, 100.f, "%.0f px");
    }
    ImGui::SameLine();
    const bool nothing = ctx.currentItem() && ctx.currentItem()->nothingHere;
    if (ImGui::SmallButton(nothing ? tr("canvas.unmark_nothing") : tr("canvas.mark_nothing"))) actToggleNothingHere(ctx);
    const ImVec2 at = ImGui::GetCursorScreenPos(), size = ImGui::GetContentRegionAvail();
    m_canvas.draw(ctx);
    // For panels that draw over the canvas or take clicks on it (assist proposals).
    auto& view = ed.canvasView;
    const ImVec2 image0 = m_canvas.toScreen(0, 0);
    view = {ctx.frame(), ctx.currentItem() ? ctx.currentItem()->id : 0, at.x, at.y, size.x, size.y,
            m_canvas.zoom(), image0.x, image0.y};
  }

  Canvas m_canvas;
  std::string m_testState;
};

PanelRegistrar reg(20, [] { return std::make_unique<CanvasPanel>(); });

}  // namespace
}  // namespace lb::app
