// Input half of the canvas: the view (wheel zoom at the cursor, middle-drag or Space+drag pan,
// F fit, Ctrl+0 1:1) and the tools (select/move/resize/rotate, box, rotated box, polygon,
// polyline, point, keypoints, mask brush and eraser). Finished shapes and edits become
// deferred actions; nothing here touches the store.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/gui/actions.h"
#include "app/gui/app_context.h"
#include "app/gui/canvas/canvas.h"
#include "app/gui/canvas/mask_rle.h"
#include "app/gui/i18n.h"

namespace lb::app {

using namespace lb::labeling;

namespace {
bool isSelected(AppContext& ctx, AnnotationId id) {
  const auto& s = ctx.session().selection;
  return std::find(s.begin(), s.end(), id) != s.end();
}
// The class new shapes get; keypoints need a class with keypoint names.
const ClassDef* drawingClass(AppContext& ctx, Tool tool) {
  const ClassDef* c = ctx.schema().findClass(ctx.editor().currentClass);
  if (tool == Tool::Keypoints && (!c || c->keypointNames.empty())) {
    for (const auto& k : ctx.schema().classes)
      if (!k.keypointNames.empty()) return &k;
    return nullptr;
  }
  return c;
}
}  // namespace

void Canvas::fit(double w, double h) {
  if (w <= 0 || h <= 0 || m_size.x <= 0 || m_size.y <= 0) return;
  m_zoom = std::min(m_size.x / w, m_size.y / h) * 0.98;
  m_offX = (m_size.x - w * m_zoom) / 2;
  m_offY = (m_size.y - h * m_zoom) / 2;
}

void Canvas::oneToOne() {
  const Vec2d c = toImage(ImVec2(m_origin.x + m_size.x / 2, m_origin.y + m_size.y / 2));
  m_zoom = 1.0;
  m_offX = m_size.x / 2 - c.x;
  m_offY = m_size.y / 2 - c.y;
}

Vec2d Canvas::clampToImage(Vec2d p) const {
  return {std::clamp(p.x, 0.0, m_imageW), std::clamp(p.y, 0.0, m_imageH)};
}

void Canvas::handleView(AppContext& ctx) {
  ImGuiIO& io = ImGui::GetIO();
  const bool hovered = ImGui::IsItemHovered();
  if (hovered && io.MouseWheel != 0) {
    const double old = m_zoom;
    m_zoom = std::clamp(m_zoom * std::pow(1.2, io.MouseWheel), 0.01, 64.0);
    // Keep the image point under the cursor where it is.
    const double mx = io.MousePos.x - m_origin.x, my = io.MousePos.y - m_origin.y;
    m_offX = mx - (mx - m_offX) * (m_zoom / old);
    m_offY = my - (my - m_offY) * (m_zoom / old);
  }
  const bool space = ImGui::IsKeyDown(GLFW_KEY_SPACE) && !io.WantTextInput;
  if (hovered && (ImGui::IsMouseClicked(ImGuiMouseButton_Middle) || (space && ImGui::IsMouseClicked(ImGuiMouseButton_Left)))) {
    m_drag = Drag::Pan;
    m_panButton = ImGui::IsMouseClicked(ImGuiMouseButton_Middle) ? ImGuiMouseButton_Middle : ImGuiMouseButton_Left;
    m_panStartOffX = m_offX;
    m_panStartOffY = m_offY;
  }
  if (m_drag == Drag::Pan) {
    // The view follows the pointer from where the button went down. Summing per-frame deltas
    // instead also counted the pointer's travel before the press when both came in one frame
    // (an idle window wakes for the move and the press together), and the image jumped.
    const ImVec2 from = io.MouseClickedPos[m_panButton];
    m_offX = m_panStartOffX + (io.MousePos.x - from.x);
    m_offY = m_panStartOffY + (io.MousePos.y - from.y);
    if (!ImGui::IsMouseDown(m_panButton)) m_drag = Drag::None;
  }
  // View keys work wherever the keyboard is not typing, like the other shortcuts (keyboard.cpp):
  // after a click in the object list, F still fits.
  if (!io.WantTextInput && !io.KeyAlt) {
    // A schema may give a class the hotkey F; then F picks that class (keyboard.cpp) and the
    // Fit button remains.
    bool fClass = false;
    for (const auto& c : ctx.schema().classes) fClass |= c.hotkey == "f" || c.hotkey == "F";
    if (!fClass && ImGui::IsKeyPressed(GLFW_KEY_F, false) && !io.KeyCtrl && !io.KeyShift) fit(m_imageW, m_imageH);
    if (ImGui::IsKeyPressed(GLFW_KEY_0, false) && io.KeyCtrl) oneToOne();
  }
}

const Annotation* Canvas::topmostAt(AppContext& ctx, Vec2d p) const {
  const auto& list = ctx.annotations();  // sorted by z: the last hit is on top
  for (auto it = list.rbegin(); it != list.rend(); ++it)
    if (it->kind != AnnotationKind::Tag && !it->hidden && !ctx.editor().hiddenLocal.count(it->id) &&
        hitTest(*it, p, tolerance()))
      return &*it;
  return nullptr;
}

bool Canvas::pickHandle(AppContext& ctx, Vec2d p) {
  for (const auto& a : ctx.annotations()) {
    if (!isSelected(ctx, a.id) || a.locked || a.kind == AnnotationKind::Mask) continue;
    if (a.kind == AnnotationKind::RotatedBox && a.coords.size() >= 5) {
      // The rotation knob sits 20 screen px beyond the front edge's middle.
      const auto c = rotatedCorners(a.coords);
      const Vec2d mid{(c[0].x + c[1].x) / 2, (c[0].y + c[1].y) / 2};
      const double len = std::max(1e-9, std::hypot(mid.x - a.coords[0], mid.y - a.coords[1]));
      const Vec2d knob{mid.x + (mid.x - a.coords[0]) / len * 20 / m_zoom, mid.y + (mid.y - a.coords[1]) / len * 20 / m_zoom};
      if (std::hypot(p.x - knob.x, p.y - knob.y) <= tolerance()) {
        m_drag = Drag::Rotate;
        m_live = a;
        return true;
      }
    }
    const auto v = vertices(a);
    for (size_t i = 0; i < v.size(); ++i) {
      // A keypoint marked absent has no place in the image: it is not a handle.
      if (a.kind == AnnotationKind::Keypoints && a.coords[3 * i + 2] <= 0) continue;
      if (std::hypot(p.x - v[i].x, p.y - v[i].y) <= tolerance()) {
        m_drag = Drag::Vertex;
        m_vertex = static_cast<int>(i);
        m_live = a;
        return true;
      }
    }
  }
  return false;
}

void Canvas::onPress(AppContext& ctx, Vec2d raw, bool doubleClick) {
  const Tool tool = ctx.editor().tool;
  const Vec2d p = clampToImage(raw);
  m_dragStart = m_dragNow = p;
  const bool drafting = !m_draft.empty();
  if (!drafting && tool != Tool::MaskBrush && tool != Tool::MaskEraser && pickHandle(ctx, raw)) return;
  auto& sel = ctx.session().selection;
  switch (tool) {
    case Tool::Select:
    case Tool::Tag: {
      const Annotation* hit = topmostAt(ctx, raw);
      if (doubleClick && hit && isSelected(ctx, hit->id) && !hit->locked) {
        // Double-click on an edge of a selected polygon/polyline inserts a vertex there.
        const int e = edgeAt(*hit, raw, tolerance());
        if (e >= 0 && (hit->kind == AnnotationKind::Polygon || hit->kind == AnnotationKind::Polyline)) {
          Annotation a = *hit;
          a.coords.insert(a.coords.begin() + 2 * (e + 1), {p.x, p.y});
          actUpdate(ctx, a);
          return;
        }
      }
      if (!hit) {
        sel.clear();
        return;
      }
      if (ImGui::GetIO().KeyShift) {
        if (isSelected(ctx, hit->id)) std::erase(sel, hit->id);
        else sel.push_back(hit->id);
      } else if (!isSelected(ctx, hit->id)) {
        sel = {hit->id};
      }
      if (!hit->locked) {
        m_drag = Drag::Move;
        m_live = *hit;
      }
      return;
    }
    case Tool::Box:
    case Tool::RotatedBox:
      m_drag = Drag::NewBox;
      return;
    case Tool::Polygon: {
      if (m_draft.size() >= 6) {
        const ImVec2 first = toScreen(m_draft[0], m_draft[1]), now = toScreen(p.x, p.y);
        if (std::hypot(first.x - now.x, first.y - now.y) <= 8.f) {  // click on the first vertex closes
          finishDraft(ctx);
          return;
        }
      }
      m_draft.insert(m_draft.end(), {p.x, p.y});
      return;
    }
    case Tool::Polyline:
      if (doubleClick && m_draft.size() >= 4) {
        finishDraft(ctx);
        return;
      }
      m_draft.insert(m_draft.end(), {p.x, p.y});
      return;
    case Tool::Point: {
      const ClassDef* c = drawingClass(ctx, tool);
      if (!c) return ctx.notify(tr("canvas.pick_class"), true);
      Annotation a;
      a.kind = AnnotationKind::Points;
      a.classId = c->id;
      a.coords = {p.x, p.y};
      actCreate(ctx, a);
      return;
    }
    case Tool::Keypoints: {
      const ClassDef* c = drawingClass(ctx, tool);
      if (!c) return ctx.notify(tr("canvas.no_keypoint_class"), true);
      ctx.editor().currentClass = c->id;
      m_draft.insert(m_draft.end(), {p.x, p.y, 2.0});
      if (m_draft.size() / 3 >= c->keypointNames.size()) finishDraft(ctx);
      return;
    }
    case Tool::MaskBrush:
    case Tool::MaskEraser: {
      m_drag = Drag::Paint;
      m_stroke = {{p.x, p.y}};
      m_strokeTarget = 0;
      // Paint into the selected mask (brush: same class); erase from it or the mask under the cursor.
      for (const auto& a : ctx.annotations())
        if (a.kind == AnnotationKind::Mask && isSelected(ctx, a.id) && !a.locked &&
            (tool == Tool::MaskEraser || a.classId == ctx.editor().currentClass))
          m_strokeTarget = a.id;
      if (!m_strokeTarget && tool == Tool::MaskEraser) {
        const Annotation* hit = topmostAt(ctx, raw);
        if (hit && hit->kind == AnnotationKind::Mask && !hit->locked) m_strokeTarget = hit->id;
      }
      return;
    }
  }
}

void Canvas::onRelease(AppContext& ctx, Vec2d raw) {
  const Vec2d p = clampToImage(raw);
  const Tool tool = ctx.editor().tool;
  const Drag drag = m_drag;
  m_drag = Drag::None;
  switch (drag) {
    case Drag::NewBox: {
      const double w = std::abs(p.x - m_dragStart.x), h = std::abs(p.y - m_dragStart.y);
      if (w * m_zoom < 3 || h * m_zoom < 3) return;  // a click, not a box
      const ClassDef* c = drawingClass(ctx, tool);
      if (!c) return ctx.notify(tr("canvas.pick_class"), true);
      Annotation a;
      a.classId = c->id;
      if (tool == Tool::RotatedBox) {
        a.kind = AnnotationKind::RotatedBox;
        a.coords = {(p.x + m_dragStart.x) / 2, (p.y + m_dragStart.y) / 2, w, h, 0.0};
      } else {
        a.kind = AnnotationKind::Box;
        a.coords = {m_dragStart.x, m_dragStart.y, p.x, p.y};
        normaliseBox(a.coords);
      }
      actCreate(ctx, a);
      return;
    }
    case Drag::Move:
    case Drag::Vertex:
    case Drag::Rotate:
      if (std::hypot(p.x - m_dragStart.x, p.y - m_dragStart.y) * m_zoom < 1.0 && drag != Drag::Rotate) return;
      if (m_live.kind == AnnotationKind::Box) normaliseBox(m_live.coords);
      actUpdate(ctx, m_live);
      return;
    case Drag::Paint: {
      Annotation a;
      a.kind = AnnotationKind::Mask;
      a.classId = ctx.editor().currentClass;
      if (m_strokeTarget)
        for (const auto& s : ctx.annotations())
          if (s.id == m_strokeTarget) a = s;
      const bool erase = tool == Tool::MaskEraser;
      if (erase && !m_strokeTarget) return;
      const bool left = paintStroke(a, m_stroke, ctx.editor().brushRadius_px, erase, static_cast<int>(m_imageW),
                                    static_cast<int>(m_imageH));
      m_stroke.clear();
      if (!left) {
        if (m_strokeTarget) ctx.defer([id = m_strokeTarget](AppContext& c) { c.report(c.session().deleteAnnotations({id})); });
        return;
      }
      if (m_strokeTarget) actUpdate(ctx, a);
      else if (a.classId) actCreate(ctx, a);
      else ctx.notify(tr("canvas.pick_class"), true);
      return;
    }
    default:
      return;
  }
}

void Canvas::finishDraft(AppContext& ctx) {
  const Tool tool = ctx.editor().tool;
  const ClassDef* c = drawingClass(ctx, tool);
  Annotation a;
  if (tool == Tool::Polygon && m_draft.size() >= 6) a.kind = AnnotationKind::Polygon;
  else if (tool == Tool::Polyline && m_draft.size() >= 4) a.kind = AnnotationKind::Polyline;
  else if (tool == Tool::Keypoints && c && !m_draft.empty()) {
    a.kind = AnnotationKind::Keypoints;
    while (m_draft.size() / 3 < c->keypointNames.size()) m_draft.insert(m_draft.end(), {0.0, 0.0, 0.0});  // absent
  } else {
    return;  // not enough vertices yet: keep drawing
  }
  if (!c) {
    ctx.notify(tr("canvas.pick_class"), true);
    return cancelDraft();
  }
  a.classId = c->id;
  a.coords = m_draft;
  m_draft.clear();
  actCreate(ctx, a);
}

void Canvas::cancelDraft() {
  m_draft.clear();
  m_stroke.clear();
  m_drag = Drag::None;
}

bool Canvas::pressIsDoubleClick() {
  const ImGuiIO& io = ImGui::GetIO();
  const double now = ImGui::GetTime();
  const bool dbl = m_lastPress_s >= 0 && now - m_lastPress_s < io.MouseDoubleClickTime &&
                   std::hypot(io.MousePos.x - m_lastPressAt.x, io.MousePos.y - m_lastPressAt.y) < io.MouseDoubleClickMaxDist;
  m_lastPress_s = dbl ? -1.0 : now;  // a third click starts a new pair
  m_lastPressAt = io.MousePos;
  return dbl;
}

void Canvas::handleTools(AppContext& ctx) {
  ImGuiIO& io = ImGui::GetIO();
  const Vec2d p = toImage(io.MousePos);
  const bool space = ImGui::IsKeyDown(GLFW_KEY_SPACE);
  if (ImGui::IsItemHovered() && !space && m_drag != Drag::Pan) {
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) onPress(ctx, p, pressIsDoubleClick());
    // Right click while placing keypoints: this keypoint is not in the image.
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Right) && ctx.editor().tool == Tool::Keypoints) {
      if (const ClassDef* c = drawingClass(ctx, Tool::Keypoints)) {
        m_draft.insert(m_draft.end(), {0.0, 0.0, 0.0});
        if (m_draft.size() / 3 >= c->keypointNames.size()) finishDraft(ctx);
      }
    }
  }
  if (m_drag != Drag::None && m_drag != Drag::Pan) {
    const Vec2d q = clampToImage(p);
    switch (m_drag) {
      case Drag::Move: {
        Annotation orig = m_live;
        for (const auto& a : ctx.annotations())
          if (a.id == m_live.id) orig = a;
        m_live = orig;
        translate(m_live, q.x - m_dragStart.x, q.y - m_dragStart.y);
        break;
      }
      case Drag::Vertex:
        moveVertex(m_live, m_vertex, q);
        break;
      case Drag::Rotate: {
        // Angle of the cursor about the centre; the front edge faces it. The pointer is not clamped
        // to the image: a box near the edge turns as well as one in the middle.
        const double ang = std::atan2(p.y - m_live.coords[1], p.x - m_live.coords[0]) * 180.0 / M_PI + 90.0;
        m_live.coords[4] = std::fmod(ang + 360.0, 360.0);
        break;
      }
      case Drag::Paint:
        if (m_stroke.empty() || std::hypot(m_stroke.back().x - q.x, m_stroke.back().y - q.y) * m_zoom >= 2.0)
          m_stroke.push_back({q.x, q.y});
        break;
      default:
        break;
    }
    m_dragNow = q;
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left)) onRelease(ctx, p);
  }
  // Drawing keys (Enter, Esc, Backspace) act on the canvas when it has the focus or the pointer.
  if (io.WantTextInput || !(ImGui::IsWindowFocused() || ImGui::IsItemHovered())) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) && !io.KeyCtrl) finishDraft(ctx);
  if (ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false)) finishDraft(ctx);
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
    if (m_draft.empty() && m_drag == Drag::None) ctx.session().selection.clear();
    cancelDraft();
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE, false)) {
    if (!m_draft.empty()) {
      m_draft.resize(m_draft.size() - (ctx.editor().tool == Tool::Keypoints ? 3 : 2));
      return;
    }
    // Delete the hovered vertex of a selected polygon/polyline (keeping a valid shape).
    for (const auto& a : ctx.annotations()) {
      if (!isSelected(ctx, a.id) || a.locked) continue;
      if (a.kind != AnnotationKind::Polygon && a.kind != AnnotationKind::Polyline) continue;
      const auto v = vertices(a);
      const size_t minV = a.kind == AnnotationKind::Polygon ? 3 : 2;
      for (size_t i = 0; i < v.size(); ++i)
        if (std::hypot(p.x - v[i].x, p.y - v[i].y) <= tolerance() && v.size() > minV) {
          Annotation b = a;
          b.coords.erase(b.coords.begin() + 2 * i, b.coords.begin() + 2 * i + 2);
          actUpdate(ctx, b);
          return;
        }
    }
  }
}

}  // namespace lb::app
