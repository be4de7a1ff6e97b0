// Drawing half of the canvas: the image (with viewing-only brightness/contrast), annotations
// (culled to the visible rectangle; selected ones with handles), the shape being drawn, the
// pixel grid at high zoom and the crosshair.
#include <GL/gl.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "app/gui/app_context.h"
#include "app/gui/canvas/canvas.h"
#include "app/gui/canvas/mask_rle.h"
#include "app/gui/gl_texture.h"
#include "app/gui/i18n.h"
#include "app/gui/image_cache.h"
#include "app/gui/render_layer.h"

#ifndef GL_FUNC_REVERSE_SUBTRACT
#define GL_FUNC_REVERSE_SUBTRACT 0x800B
#endif
#ifndef GL_FUNC_ADD
#define GL_FUNC_ADD 0x8006
#endif
extern "C" void glBlendEquation(GLenum mode);

namespace lb::app {

using namespace lb::labeling;

namespace {

ImU32 classColor(const LabelSchema& schema, ClassId id, int alpha = 255) {
  const ClassDef* c = schema.findClass(id);
  unsigned r = 230, g = 230, b = 230;
  if (c && c->color.size() == 7 && c->color[0] == '#') {
    const unsigned v = static_cast<unsigned>(std::stoul(c->color.substr(1), nullptr, 16));
    r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
  }
  return IM_COL32(r, g, b, alpha);
}

// Blend-state switches inside the draw list (ImGui's renderer restores its own state after
// ImDrawCallback_ResetRenderState).
void blendAdd(const ImDrawList*, const ImDrawCmd*) {
  glBlendEquation(GL_FUNC_ADD);
  glBlendFunc(GL_ONE, GL_ONE);
}
void blendSubtract(const ImDrawList*, const ImDrawCmd*) {
  glBlendEquation(GL_FUNC_REVERSE_SUBTRACT);
  glBlendFunc(GL_ONE, GL_ONE);
}

// The image's level `level` (with the coarsest one underneath for tiles not uploaded yet), with
// the viewing-only brightness/contrast as extra blended passes.
void drawImageLevels(const Canvas& cv, AppContext& ctx, ImDrawList* dl, const DecodedImage& img, int level, Vec2d v0,
                     Vec2d v1) {
  const auto& ed = ctx.editor();
  const float c = std::clamp(ed.contrast, 0.2f, 2.f);
  const float base = std::min(c, 1.f);
  auto drawLevel = [&](const ImageLevel& lv, ImU32 tint) {
    for (const auto& t : lv.tiles) {
      if (!t.tex) continue;
      const double x0 = t.x_px / lv.scale, y0 = t.y_px / lv.scale;
      const double x1 = (t.x_px + t.w_px) / lv.scale, y1 = (t.y_px + t.h_px) / lv.scale;
      if (x1 < v0.x || y1 < v0.y || x0 > v1.x || y0 > v1.y) continue;
      dl->AddImage(texId(t.tex), cv.toScreen(x0, y0), cv.toScreen(x1, y1), ImVec2(0, 0), ImVec2(1, 1), tint);
    }
  };
  auto drawAll = [&](ImU32 tint) {
    // The coarse level underneath fills any fine tile that is not uploaded yet.
    const int coarsest = static_cast<int>(img.levels.size()) - 1;
    if (level != coarsest && !img.levelComplete(level, v0.x, v0.y, v1.x, v1.y)) drawLevel(img.levels.back(), tint);
    drawLevel(img.levels[level], tint);
  };
  const int b8 = static_cast<int>(base * 255);
  drawAll(IM_COL32(b8, b8, b8, 255));
  const ImVec2 a = cv.toScreen(0, 0), z = cv.toScreen(img.width_px, img.height_px);
  if (c > 1.f) {  // out = c * in: add the image again with tint (c - 1)
    dl->AddCallback(blendAdd, nullptr);
    const int e8 = static_cast<int>((c - 1.f) * 255);
    drawAll(IM_COL32(e8, e8, e8, 255));
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  }
  const float k = 0.5f * (1.f - c) + ed.brightness;  // contrast about mid-grey, then brightness
  if (std::abs(k) > 1e-3f) {
    dl->AddCallback(k > 0 ? blendAdd : blendSubtract, nullptr);
    const int k8 = std::min(255, static_cast<int>(std::abs(k) * 255));
    dl->AddRectFilled(a, z, IM_COL32(k8, k8, k8, 255));
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  }
}

}  // namespace

Canvas::~Canvas() {
  for (auto& [id, m] : m_maskTex) deleteTexture(m.tex);
}

std::uint64_t Canvas::layerKey(AppContext& ctx, const DecodedImage* img, int level, bool annotations) const {
  // Everything the layer's pixels depend on: the view, the image's uploaded tiles, the viewing
  // adjustments, the stored annotations (revision bumps on every edit), selection, visibility,
  // the shape being dragged (drawn live instead), the schema's classes and the font.
  std::uint64_t h = hashMix(0, m_origin);
  h = hashMix(h, m_size);
  h = hashMix(h, m_zoom);
  h = hashMix(h, m_offX);
  h = hashMix(h, m_offY);
  h = hashMix(h, m_item);
  h = hashMix(h, img);
  if (img) {
    h = hashMix(h, img->state);
    h = hashMix(h, img->texRevision);
  }
  h = hashMix(h, level);
  h = hashMix(h, ctx.editor().brightness);
  h = hashMix(h, ctx.editor().contrast);
  h = hashMix(h, ImGui::GetIO().Fonts->TexID);
  if (!annotations) return h == 0 ? 1 : h;
  h = hashMix(h, ctx.revision());
  h = hashMix(h, ctx.annotations().size());
  for (auto id : ctx.session().selection) h = hashMix(h, id);
  h = hashMix(h, '|');
  for (auto id : ctx.editor().hiddenLocal) h = hashMix(h, id);
  const bool dragging = m_drag != Drag::None && m_drag != Drag::Pan;
  h = hashMix(h, dragging ? m_live.id : labeling::AnnotationId{0});
  for (const auto& c : ctx.schema().classes) {
    h = hashMix(h, c.id);
    h = hashMix(h, c.color.data(), c.color.size());
    h = hashMix(h, c.name.data(), c.name.size());
  }
  return h == 0 ? 1 : h;
}

void Canvas::recordLayer(AppContext& ctx, RenderLayer& layer, const DecodedImage* img, int level, bool annotations) {
  const Vec2d v0 = toImage(m_origin), v1 = toImage(ImVec2(m_origin.x + m_size.x, m_origin.y + m_size.y));
  const bool ready = img && img->state == DecodedImage::State::Ready && !img->levels.empty();
  ImDrawList* dl = layer.record(m_origin, m_size);
  const ImU32 bg = IM_COL32(28, 28, 32, 255);
  const ImVec2 c0 = m_origin, c1(m_origin.x + m_size.x + 1, m_origin.y + m_size.y + 1);
  if (ready) {
    // The background only around the image (which is opaque): software GL pays per pixel drawn.
    const ImVec2 a = toScreen(0, 0), z = toScreen(img->width_px, img->height_px);
    const float ax = std::clamp(a.x, c0.x, c1.x), ay = std::clamp(a.y, c0.y, c1.y);
    const float zx = std::clamp(z.x, c0.x, c1.x), zy = std::clamp(z.y, c0.y, c1.y);
    if (ay > c0.y) dl->AddRectFilled(c0, ImVec2(c1.x, ay), bg);
    if (zy < c1.y) dl->AddRectFilled(ImVec2(c0.x, zy), c1, bg);
    if (ax > c0.x) dl->AddRectFilled(ImVec2(c0.x, ay), ImVec2(ax, zy), bg);
    if (zx < c1.x) dl->AddRectFilled(ImVec2(zx, ay), ImVec2(c1.x, zy), bg);
    drawImageLevels(*this, ctx, dl, *img, level, v0, v1);
  } else {
    dl->AddRectFilled(c0, c1, bg);
  }
  if (annotations) drawStoredAnnotations(ctx, dl);
}

void Canvas::drawImage(AppContext& ctx, ImDrawList* screen, DecodedImage* img) {
  // Visible rectangle in image pixels, for tile and level choice.
  const Vec2d v0 = toImage(m_origin), v1 = toImage(ImVec2(m_origin.x + m_size.x, m_origin.y + m_size.y));
  const bool ready = img && img->state == DecodedImage::State::Ready && !img->levels.empty();
  int level = 0;
  if (ready) {
    // The level with the fewest pixels that still has at least one texel per screen pixel: a
    // 12-MP photo fitted into the canvas samples a ~1000-px texture, not the 4000-px one.
    level = img->levelFor(m_zoom);
    ctx.images().setViewHint(m_size.x, m_size.y);
    ctx.images().uploadVisible(ctx, *img, level, v0.x, v0.y, v1.x, v1.y, ctx.frame());
  }
  const bool annotations = !ctx.annotations().empty();
  const std::uint64_t key = layerKey(ctx, ready ? img : nullptr, level, annotations);
  // The next image rendered ahead of time is exactly this layer: show it instead of rendering.
  if (m_layer.key() != key && m_nextLayer.ready() && m_nextLayer.key() == key) m_layer.swap(m_nextLayer);
  const bool idle = m_layer.ready() && m_layer.key() == key;
  if (!idle) {
    recordLayer(ctx, m_layer, ready ? img : nullptr, level, annotations);
    m_layer.setKey(key);
  }
  m_layer.composite(screen, true);
  if (idle && ready && img->shownSharp) prerenderNext(ctx);
}

void Canvas::prerenderNext(AppContext& ctx) {
  const int idx = ctx.items().indexOf(m_item);
  if (idx < 0 || idx + 1 >= static_cast<int>(ctx.items().rows.size())) return;
  const labeling::ItemId nextId = ctx.items().rows[static_cast<std::size_t>(idx) + 1].id;
  DecodedImage* next = ctx.images().find(nextId);
  if (!next || next->state != DecodedImage::State::Ready || next->levels.empty() || !next->fullResolution) return;
  if (next->width_px <= 0 || next->height_px <= 0) return;
  // The view Canvas::fit will give it (same arithmetic, so the same key), then its layer key as
  // it will be computed on the frame that shows it (the item opens with no selection).
  const double saved[3] = {m_zoom, m_offX, m_offY};
  const labeling::ItemId savedItem = m_item;
  const double w = next->width_px, h = next->height_px;
  m_zoom = std::min(m_size.x / w, m_size.y / h) * 0.98;
  m_offX = (m_size.x - w * m_zoom) / 2;
  m_offY = (m_size.y - h * m_zoom) / 2;
  m_item = nextId;
  const int level = next->levelFor(m_zoom);
  const Vec2d v0 = toImage(m_origin), v1 = toImage(ImVec2(m_origin.x + m_size.x, m_origin.y + m_size.y));
  // Only once its fitting level is on the GPU (uploaded when it was decoded): the layer must show
  // the level the canvas needs, not a coarse placeholder.
  if (next->levelComplete(level, v0.x, v0.y, v1.x, v1.y)) {
    const std::uint64_t key = layerKey(ctx, next, level, false);
    if (m_nextLayer.key() != key) {
      recordLayer(ctx, m_nextLayer, next, level, false);
      m_nextLayer.setKey(key);
    }
  }
  m_zoom = saved[0], m_offX = saved[1], m_offY = saved[2];
  m_item = savedItem;
}

void Canvas::drawMask(ImDrawList* dl, const Annotation& a, ImU32 col) {
  auto& mt = m_maskTex[a.id];
  if (!mt.tex || mt.updatedMs != a.updatedMs) {
    deleteTexture(mt.tex);
    mt.tex = 0;
    cv::Mat m = maskPixels(a);
    if (m.empty()) return;
    // Coloured pixels where the mask is set, transparent elsewhere (BGRA).
    cv::Mat bgra(m.rows, m.cols, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    const unsigned char r = col & 255, g = (col >> 8) & 255, b = (col >> 16) & 255;
    bgra.setTo(cv::Scalar(b, g, r, 110), m);
    mt.tex = uploadTexture(bgra.data, bgra.cols, bgra.rows, 4, bgra.cols);
    mt.updatedMs = a.updatedMs;
  }
  const auto& c = a.coords;
  dl->AddImage(texId(mt.tex), toScreen(c[0], c[1]), toScreen(c[0] + c[2], c[1] + c[3]));
}

void Canvas::drawOne(AppContext& ctx, ImDrawList* dl, const Annotation& a, ImU32 col, bool selected) {
  const float th = selected ? 2.5f : (m_thin ? 1.f : 1.5f);
  const auto& c = a.coords;
  std::vector<ImVec2> pts;
  for (const auto& v : vertices(a)) pts.push_back(toScreen(v.x, v.y));
  switch (a.kind) {
    case AnnotationKind::Box:
      if (c.size() >= 4) dl->AddRect(toScreen(c[0], c[1]), toScreen(c[2], c[3]), col, 0.f, 0, th);
      break;
    case AnnotationKind::RotatedBox:
    case AnnotationKind::Polygon:
      if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_Closed, th);
      if (a.kind == AnnotationKind::RotatedBox && pts.size() == 4)  // front edge marker
        dl->AddLine(pts[0], pts[1], col, th + 1.5f);
      break;
    case AnnotationKind::Polyline:
      if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_None, th);
      break;
    case AnnotationKind::Points:
      for (const auto& p : pts) dl->AddCircleFilled(p, selected ? 5.f : 4.f, col, 12);
      break;
    case AnnotationKind::Keypoints: {
      const ClassDef* cd = ctx.schema().findClass(a.classId);
      auto visible = [&](size_t i) { return i * 3 + 2 < c.size() && c[i * 3 + 2] > 0; };
      if (cd)
        for (auto [i, j] : cd->skeletonEdges)
          if (i >= 0 && j >= 0 && visible(i) && visible(j) && static_cast<size_t>(std::max(i, j)) < pts.size())
            dl->AddLine(pts[i], pts[j], col, th);
      for (size_t i = 0; i < pts.size(); ++i)
        if (visible(i)) dl->AddCircleFilled(pts[i], 4.f, c[i * 3 + 2] >= 2 ? col : IM_COL32(160, 160, 160, 255), 10);
      break;
    }
    case AnnotationKind::Mask:
      drawMask(dl, a, col);
      if (selected && c.size() >= 4) dl->AddRect(toScreen(c[0], c[1]), toScreen(c[0] + c[2], c[1] + c[3]), col, 0, 0, 1.f);
      break;
    default:
      break;
  }
  if (selected && a.kind != AnnotationKind::Mask) {
    for (size_t i = 0; i < pts.size(); ++i) {
      if (a.kind == AnnotationKind::Keypoints && c[i * 3 + 2] <= 0) continue;  // absent: no handle at (0, 0)
      const ImVec2 p = pts[i];
      dl->AddRectFilled(ImVec2(p.x - 3.5f, p.y - 3.5f), ImVec2(p.x + 3.5f, p.y + 3.5f), IM_COL32_WHITE);
    }
    if (a.kind == AnnotationKind::RotatedBox && pts.size() == 4) {
      const ImVec2 mid((pts[0].x + pts[1].x) / 2, (pts[0].y + pts[1].y) / 2);
      const ImVec2 ctr = toScreen(c[0], c[1]);
      const float len = std::max(1.f, std::hypot(mid.x - ctr.x, mid.y - ctr.y));
      const ImVec2 knob(mid.x + (mid.x - ctr.x) / len * 20.f, mid.y + (mid.y - ctr.y) / len * 20.f);
      dl->AddLine(mid, knob, IM_COL32_WHITE);
      dl->AddCircleFilled(knob, 5.f, IM_COL32(255, 220, 0, 255));
    }
  }
}

void Canvas::drawStoredAnnotations(AppContext& ctx, ImDrawList* dl) {
  m_drawn = m_culled = 0;
  const Vec2d v0 = toImage(m_origin), v1 = toImage(ImVec2(m_origin.x + m_size.x, m_origin.y + m_size.y));
  const auto& sel = ctx.session().selection;
  const bool fewEnoughForLabels = ctx.annotations().size() <= 300;
  // Thousands of shapes: plain 1-px lines without anti-aliasing fringes cut the vertices by ~3x,
  // which is what software GL (llvmpipe) pays for.
  const bool crowded = ctx.annotations().size() > 500;
  const ImDrawListFlags saved = dl->Flags;
  if (crowded) dl->Flags &= ~(ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedLinesUseTex);
  m_thin = crowded;
  const bool dragging = m_drag != Drag::None && m_drag != Drag::Pan;
  for (const auto& a : ctx.annotations()) {
    if (a.kind == AnnotationKind::Tag || a.hidden || ctx.editor().hiddenLocal.count(a.id)) continue;
    if (dragging && m_live.id == a.id) continue;  // drawn live over the layer by drawAnnotations
    const Rectd b = bounds(a);
    if (b.x1 < v0.x || b.y1 < v0.y || b.x0 > v1.x || b.y0 > v1.y) {  // off-screen: skip entirely
      ++m_culled;
      continue;
    }
    ++m_drawn;
    const bool selected = std::find(sel.begin(), sel.end(), a.id) != sel.end();
    const ImU32 col = classColor(ctx.schema(), a.classId, a.locked ? 150 : 255);
    drawOne(ctx, dl, a, col, selected);
    if ((selected || fewEnoughForLabels) && !b.empty()) {
      const ClassDef* cd = ctx.schema().findClass(a.classId);
      if (cd) dl->AddText(ImVec2(toScreen(b.x0, b.y0).x + 2, toScreen(b.x0, b.y0).y - ImGui::GetFontSize() - 1), col, cd->name.c_str());
    }
  }
  dl->Flags = saved;
}

void Canvas::drawAnnotations(AppContext& ctx, ImDrawList* dl) {
  // The stored annotations are in the layer (drawImage); only the one being moved or reshaped
  // changes every frame, so it is drawn here, over the layer.
  if (m_drag == Drag::None || m_drag == Drag::Pan || m_live.id == 0) return;
  if (m_live.hidden || ctx.editor().hiddenLocal.count(m_live.id)) return;
  const auto& sel = ctx.session().selection;
  const bool selected = std::find(sel.begin(), sel.end(), m_live.id) != sel.end();
  drawOne(ctx, dl, m_live, classColor(ctx.schema(), m_live.classId, m_live.locked ? 150 : 255), selected);
}

void Canvas::drawDraft(AppContext& ctx, ImDrawList* dl) {
  const ImU32 col = classColor(ctx.schema(), ctx.editor().currentClass);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const Tool tool = ctx.editor().tool;
  if (m_drag == Drag::NewBox) {
    dl->AddRect(toScreen(m_dragStart.x, m_dragStart.y), toScreen(m_dragNow.x, m_dragNow.y), col, 0, 0, 2.f);
  }
  if (m_drag == Drag::Paint || tool == Tool::MaskBrush || tool == Tool::MaskEraser) {
    const float r = static_cast<float>(ctx.editor().brushRadius_px * m_zoom);
    for (size_t i = 1; i < m_stroke.size(); ++i)
      dl->AddLine(toScreen(m_stroke[i - 1].x, m_stroke[i - 1].y), toScreen(m_stroke[i].x, m_stroke[i].y),
                  tool == Tool::MaskEraser ? IM_COL32(0, 0, 0, 140) : (col & 0x00ffffff) | 0x78000000, 2 * r);
    dl->AddCircle(mouse, r, IM_COL32_WHITE, 24, 1.f);
  }
  if (m_draft.empty()) return;
  const int stride = tool == Tool::Keypoints ? 3 : 2;
  std::vector<ImVec2> pts;
  for (size_t i = 0; i + stride - 1 < m_draft.size(); i += stride)
    if (stride == 2 || m_draft[i + 2] > 0) pts.push_back(toScreen(m_draft[i], m_draft[i + 1]));
  if (tool != Tool::Keypoints) {
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_None, 2.f);
    if (!pts.empty()) dl->AddLine(pts.back(), mouse, col, 1.f);
  }
  for (const auto& p : pts) dl->AddCircleFilled(p, 4.f, col);
  if (tool == Tool::Polygon && pts.size() >= 3) dl->AddCircle(pts.front(), 7.f, IM_COL32_WHITE, 16, 1.5f);
  if (tool == Tool::Keypoints) {
    const ClassDef* cd = ctx.schema().findClass(ctx.editor().currentClass);
    const size_t next = m_draft.size() / 3;
    if (cd && next < cd->keypointNames.size())
      dl->AddText(ImVec2(mouse.x + 12, mouse.y + 8), IM_COL32_WHITE, cd->keypointNames[next].c_str());
  }
}

void Canvas::drawOverlays(AppContext& ctx, ImDrawList* dl) {
  // Pixel grid when one image pixel is 8 screen pixels or more.
  if (m_zoom >= 8.0) {
    const Vec2d v0 = toImage(m_origin), v1 = toImage(ImVec2(m_origin.x + m_size.x, m_origin.y + m_size.y));
    const int x0 = std::max(0, static_cast<int>(v0.x)), x1 = std::min(static_cast<int>(m_imageW), static_cast<int>(v1.x) + 1);
    const int y0 = std::max(0, static_cast<int>(v0.y)), y1 = std::min(static_cast<int>(m_imageH), static_cast<int>(v1.y) + 1);
    const ImU32 gc = IM_COL32(255, 255, 255, 40);
    for (int x = x0; x <= x1; ++x) dl->AddLine(toScreen(x, y0), toScreen(x, y1), gc);
    for (int y = y0; y <= y1; ++y) dl->AddLine(toScreen(x0, y), toScreen(x1, y), gc);
  }
  // Crosshair for the drawing tools.
  const Tool tool = ctx.editor().tool;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const bool inside = m.x >= m_origin.x && m.y >= m_origin.y && m.x < m_origin.x + m_size.x && m.y < m_origin.y + m_size.y;
  if (inside && tool != Tool::Select && tool != Tool::Tag && tool != Tool::MaskBrush && tool != Tool::MaskEraser) {
    const ImU32 cc = IM_COL32(255, 255, 255, 110);
    dl->AddLine(ImVec2(m_origin.x, m.y), ImVec2(m_origin.x + m_size.x, m.y), cc);
    dl->AddLine(ImVec2(m.x, m_origin.y), ImVec2(m.x, m_origin.y + m_size.y), cc);
  }
  if (inside) {
    const Vec2d p = toImage(m);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f, %.0f  %.0f%%", p.x, p.y, m_zoom * 100);
    dl->AddText(ImVec2(m_origin.x + 6, m_origin.y + m_size.y - ImGui::GetFontSize() - 4), IM_COL32(255, 255, 255, 200), buf);
  }
}

}  // namespace lb::app
