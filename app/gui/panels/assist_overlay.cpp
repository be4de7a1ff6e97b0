// The assist overlay: a borderless window laid exactly over the canvas (from the view the canvas
// panel publishes in EditorState::canvasView). It draws, in image coordinates through the
// canvas's transform: the CLAHE view (with the stored outlines on top so they stay visible), the
// proposals in their own style (dashed magenta outline, translucent fill, numbered), and the box
// being dragged for GrabCut. While an assist waits for a box or a click, the overlay takes the
// mouse (the canvas tools see nothing); otherwise mouse input passes through to the canvas.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "app/gui/app_context.h"
#include "app/gui/canvas/mask_rle.h"
#include "app/gui/gl_texture.h"
#include "app/gui/i18n.h"
#include "app/gui/panels/assist_panel.h"

namespace lb::app {

using namespace lb::labeling;

namespace {

constexpr ImU32 kProposal = IM_COL32(255, 60, 230, 255);
constexpr ImU32 kProposalFill = IM_COL32(255, 60, 230, 50);

struct View {
  double zoom, x0, y0;
  ImVec2 at(double x, double y) const {
    return ImVec2(static_cast<float>(x0 + x * zoom), static_cast<float>(y0 + y * zoom));
  }
  cv::Point2d image(ImVec2 s) const { return {(s.x - x0) / zoom, (s.y - y0) / zoom}; }
};

ImU32 classColor(const LabelSchema& schema, ClassId id) {
  const ClassDef* c = schema.findClass(id);
  if (!c || c->color.size() != 7 || c->color[0] != '#') return IM_COL32(230, 230, 230, 255);
  const unsigned v = static_cast<unsigned>(std::strtoul(c->color.c_str() + 1, nullptr, 16));
  return IM_COL32((v >> 16) & 255, (v >> 8) & 255, v & 255, 255);
}

// A dashed line: the proposal style, so it is never mistaken for a stored object.
void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  const float dash = 7.f, gap = 4.f;
  if (len < 1e-3f) return;
  const ImVec2 d((b.x - a.x) / len, (b.y - a.y) / len);
  for (float t = 0; t < len; t += dash + gap) {
    const float e = std::min(len, t + dash);
    dl->AddLine(ImVec2(a.x + d.x * t, a.y + d.y * t), ImVec2(a.x + d.x * e, a.y + d.y * e), col, thickness);
  }
}

void dashedPath(ImDrawList* dl, const std::vector<ImVec2>& pts, bool closed, ImU32 col) {
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) dashed(dl, pts[i], pts[i + 1], col, 2.f);
  if (closed && pts.size() > 2) dashed(dl, pts.back(), pts.front(), col, 2.f);
}

std::vector<ImVec2> points(const View& v, const Annotation& a) {
  std::vector<ImVec2> out;
  if (a.kind == AnnotationKind::Box && a.coords.size() == 4) {
    const auto& c = a.coords;
    return {v.at(c[0], c[1]), v.at(c[2], c[1]), v.at(c[2], c[3]), v.at(c[0], c[3])};
  }
  for (std::size_t i = 0; i + 1 < a.coords.size(); i += 2) out.push_back(v.at(a.coords[i], a.coords[i + 1]));
  return out;
}

}  // namespace

void AssistPanel::drawOverlay(AppContext& ctx) {
  const auto& cvw = ctx.editor().canvasView;
  if (cvw.frame != ctx.frame() || cvw.item != m_item || !m_item || cvw.w < 8 || cvw.h < 8) {
    m_dragging = false;
    return;
  }
  const View v{cvw.zoom, cvw.imageX, cvw.imageY};
  const bool capture = m_pick != Pick::None;
  const bool show = capture || !m_proposals.empty() || (m_enhance && m_enhanceTex);
  if (!show) return;

  ImGui::SetNextWindowPos(ImVec2(cvw.x, cvw.y));
  ImGui::SetNextWindowSize(ImVec2(cvw.w, cvw.h));
  int flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings |
              ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove |
              ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  if (!capture) flags |= ImGuiWindowFlags_NoInputs;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.f);
  const bool open = ImGui::Begin("##assist_overlay", nullptr, flags);
  ImGui::PopStyleVar(2);
  if (!open) {
    ImGui::End();
    return;
  }
  // Just above the canvas window, whichever of the two was focused last, and below any panel
  // floating over the canvas (which keeps its clicks even while an assist waits for one).
  ImGuiWindow* self = ImGui::GetCurrentWindow();
  if (ImGuiWindow* canvas = ImGui::FindWindowByName("###canvas")) {
    const int c = ImGui::FindWindowDisplayIndex(canvas), o = ImGui::FindWindowDisplayIndex(self);
    auto& windows = ImGui::GetCurrentContext()->Windows;
    if (c >= 0 && o != c + 1) {
      ImGuiWindow* above = c + 1 < windows.Size ? windows[c + 1] : nullptr;
      if (above == self) above = nullptr;
      if (above) ImGui::BringWindowToDisplayBehind(self, above);
      else ImGui::BringWindowToDisplayFront(self);
    }
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 r0(cvw.x, cvw.y), r1(cvw.x + cvw.w, cvw.y + cvw.h);
  dl->PushClipRect(r0, r1, true);

  if (m_enhance && m_enhanceTex && m_enhanceItem == m_item) {
    const double w = m_enhanceImage.width, h = m_enhanceImage.height;
    dl->AddImage(texId(m_enhanceTex), v.at(0, 0), v.at(w, h));
    for (const auto& a : ctx.annotations()) {  // the stored objects stay visible over the view
      if (a.hidden || ctx.editor().hiddenLocal.count(a.id) || a.kind == AnnotationKind::Tag) continue;
      const auto pts = points(v, a);
      if (pts.size() >= 2)
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), classColor(ctx.schema(), a.classId),
                        a.kind == AnnotationKind::Polyline ? 0 : ImDrawFlags_Closed, 1.5f);
    }
    dl->AddText(ImVec2(r0.x + 8, r1.y - 22), IM_COL32(255, 230, 120, 255), tr("assist.enhanced_view"));
  }

  for (std::size_t i = 0; i < m_proposals.size(); ++i) {
    Proposed& p = m_proposals[i];
    const Annotation& a = p.a;
    ImVec2 label = v.at(a.coords.size() >= 2 ? a.coords[0] : 0, a.coords.size() >= 2 ? a.coords[1] : 0);
    if (a.kind == AnnotationKind::Mask && a.coords.size() == 4) {
      if (!p.tex) {
        const cv::Mat m = maskPixels(a);
        if (!m.empty()) {
          cv::Mat rgba(m.size(), CV_8UC4, cv::Scalar(0, 0, 0, 0));
          rgba.setTo(cv::Scalar(230, 60, 255, 110), m);  // BGRA: magenta, translucent
          p.tex = uploadTexture(rgba.data, rgba.cols, rgba.rows, 4, static_cast<int>(rgba.step / 4));
        }
      }
      const auto& c = a.coords;
      if (p.tex) dl->AddImage(texId(p.tex), v.at(c[0], c[1]), v.at(c[0] + c[2], c[1] + c[3]));
      dashedPath(dl, {v.at(c[0], c[1]), v.at(c[0] + c[2], c[1]), v.at(c[0] + c[2], c[1] + c[3]), v.at(c[0], c[1] + c[3])},
                 true, kProposal);
    } else {
      const auto pts = points(v, a);
      if (a.kind == AnnotationKind::Box && pts.size() == 4)  // ImGui fills only convex shapes
        dl->AddRectFilled(pts[0], pts[2], kProposalFill);
      if (a.kind == AnnotationKind::Points)
        for (const auto& q : pts) dl->AddCircle(q, 5.f, kProposal, 12, 2.f);
      else
        dashedPath(dl, pts, a.kind != AnnotationKind::Polyline, kProposal);
      if (!pts.empty()) label = pts.front();
    }
    const std::string n = std::to_string(i + 1);
    dl->AddRectFilled(ImVec2(label.x, label.y - 16), ImVec2(label.x + 8 + 8.f * n.size(), label.y), kProposal);
    dl->AddText(ImVec2(label.x + 4, label.y - 16), IM_COL32_WHITE, n.c_str());
  }

  if (capture) {
    // One button over the whole canvas takes the clicks and drags meant for the assist.
    ImGui::SetCursorScreenPos(r0);
    ImGui::InvisibleButton("##assist_capture", ImVec2(cvw.w, cvw.h));
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (ImGui::IsItemActivated()) {
      m_dragging = true;
      m_dragFrom = m_dragTo = v.image(mouse);
    }
    if (m_dragging && ImGui::IsItemActive()) m_dragTo = v.image(mouse);
    if (m_dragging && ImGui::IsItemDeactivated()) {
      m_dragging = false;
      const cv::Point2d a = m_dragFrom, b = v.image(mouse);
      if (m_pick == Pick::WandClick) {
        runWand(ctx, a);  // stays armed: the next click proposes the next region
      } else if (m_pick == Pick::GrabCutBox && std::abs(b.x - a.x) * v.zoom > 4 && std::abs(b.y - a.y) * v.zoom > 4) {
        m_pick = Pick::None;
        runGrabCut(ctx, cv::Rect2d(a, b));
      }
    }
    if (m_dragging && m_pick == Pick::GrabCutBox)
      dl->AddRect(v.at(std::min(m_dragFrom.x, m_dragTo.x), std::min(m_dragFrom.y, m_dragTo.y)),
                  v.at(std::max(m_dragFrom.x, m_dragTo.x), std::max(m_dragFrom.y, m_dragTo.y)), kProposal, 0, 0, 2.f);
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    dl->AddText(ImVec2(r0.x + 8, r0.y + 6), IM_COL32(255, 120, 240, 255),
                tr(m_pick == Pick::WandClick ? "assist.magic_wand.hint" : "assist.grabcut.hint"));
  }
  dl->PopClipRect();
  ImGui::End();
}

}  // namespace lb::app
