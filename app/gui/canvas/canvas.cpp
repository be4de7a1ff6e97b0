#include "app/gui/canvas/canvas.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "app/gui/app_context.h"
#include "app/gui/i18n.h"
#include "app/gui/image_cache.h"
#include "app/gui/test_state.h"

namespace lb::app {

void Canvas::draw(AppContext& ctx) {
  m_origin = ImGui::GetCursorScreenPos();
  m_size = ImGui::GetContentRegionAvail();
  if (m_size.x < 8 || m_size.y < 8) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(m_origin, ImVec2(m_origin.x + m_size.x, m_origin.y + m_size.y), IM_COL32(28, 28, 32, 255));
  // One invisible button takes every mouse button over the canvas, so the window does not drag.
  ImGui::InvisibleButton("##canvas", m_size,
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight | ImGuiButtonFlags_MouseButtonMiddle);
  const auto& item = ctx.currentItem();
  if (!item) {
    dl->AddText(ImVec2(m_origin.x + 20, m_origin.y + 20), IM_COL32_WHITE, tr("canvas.no_item"));
    return;
  }
  DecodedImage* img = ctx.images().find(item->id);
  if (item->id != m_item) {  // another item: drop the half-drawn shape and fit the new image
    m_item = item->id;
    m_draft.clear();
    m_stroke.clear();
    m_drag = Drag::None;
  }
  m_imageW = item->widthPx > 0 ? item->widthPx : (img ? img->width_px : 0);
  m_imageH = item->heightPx > 0 ? item->heightPx : (img ? img->height_px : 0);
  if (ctx.editor().requestFit && m_imageW > 0) {
    fit(m_imageW, m_imageH);
    ctx.editor().requestFit = false;
  }
  static Tool lastTool = Tool::Select;
  if (ctx.editor().tool != lastTool) {
    lastTool = ctx.editor().tool;
    cancelDraft();
  }
  handleView(ctx);
  handleTools(ctx);

  dl->PushClipRect(m_origin, ImVec2(m_origin.x + m_size.x, m_origin.y + m_size.y), true);
  drawImage(ctx, dl, img);
  if (!img || img->state == DecodedImage::State::Loading)
    dl->AddText(ImVec2(m_origin.x + 20, m_origin.y + 20), IM_COL32_WHITE, tr("canvas.loading"));
  else if (img->state == DecodedImage::State::Failed)
    dl->AddText(ImVec2(m_origin.x + 20, m_origin.y + 20), IM_COL32(255, 120, 100, 255), img->error.c_str());
  dl->AddRect(toScreen(0, 0), toScreen(m_imageW, m_imageH), IM_COL32(255, 255, 255, 60));
  drawAnnotations(ctx, dl);
  drawDraft(ctx, dl);
  drawOverlays(ctx, dl);
  if (item->nothingHere)
    dl->AddText(ImVec2(m_origin.x + 20, m_origin.y + 40), IM_COL32(120, 230, 120, 255), tr("canvas.nothing_here"));
  dl->PopClipRect();
  writeTestState(ctx);
}

void Canvas::writeTestState(AppContext& ctx) {
  // GUI tests (tests/gui) read where the image is on screen to aim real X clicks at image pixels,
  // and what is selected, drawn and shown to know when the program has acted on their input.
  if (!testStateWanted(ctx)) return;
  nlohmann::json s;
  s["item"] = m_item;
  s["zoom"] = std::round(m_zoom * 1e6) / 1e6;
  s["origin_x"] = std::round((m_origin.x + m_offX) * 1e3) / 1e3;
  s["origin_y"] = std::round((m_origin.y + m_offY) * 1e3) / 1e3;
  s["image_w"] = m_imageW;
  s["image_h"] = m_imageH;
  s["annotations"] = ctx.annotations().size();
  s["canvas"] = {m_origin.x, m_origin.y, m_origin.x + m_size.x, m_origin.y + m_size.y};
  s["selection"] = ctx.session().selection;
  s["tool"] = toolKey(ctx.editor().tool);
  s["class"] = ctx.editor().currentClass;
  s["draft"] = m_draft.size();
  s["dragging"] = m_drag != Drag::None;
  s["shortcuts"] = ctx.editor().showShortcuts;
  s["nothing_here"] = ctx.currentItem() && ctx.currentItem()->nothingHere;
  s["list_rows"] = ctx.items().rows.size();
  s["list_loading"] = ctx.items().loading;
  publishTestState(ctx, "", s.dump(), m_testState);
}

}  // namespace lb::app
