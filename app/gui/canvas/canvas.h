#pragma once
// [SECTION] The canvas: shows the current item's image (tiled pyramid for huge images) and its
// annotations, and turns mouse and keys into edits through app/gui/actions.h.
//   canvas_draw.cpp  — image, brightness/contrast, annotations (culled), grid, crosshair
//   canvas_input.cpp — view (zoom at cursor, pan, fit, 1:1) and the drawing/editing tools
// View state only; what is drawn comes from AppContext (annotations, image cache).
#include <imgui.h>

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/gui/canvas/geometry.h"
#include "app/gui/render_layer.h"
#include "labeling/model.h"

namespace lb::app {

class AppContext;
struct DecodedImage;

class Canvas {
 public:
  ~Canvas();
  // Draws into the current ImGui window's remaining content region.
  void draw(AppContext& ctx);

  double zoom() const { return m_zoom; }
  Vec2d toImage(ImVec2 screen) const { return {(screen.x - m_origin.x - m_offX) / m_zoom, (screen.y - m_origin.y - m_offY) / m_zoom}; }
  ImVec2 toScreen(double x, double y) const {
    return ImVec2(static_cast<float>(m_origin.x + m_offX + x * m_zoom), static_cast<float>(m_origin.y + m_offY + y * m_zoom));
  }
  // Frame statistics for the benchmark: shapes drawn / culled in the last frame.
  int lastDrawn() const { return m_drawn; }
  int lastCulled() const { return m_culled; }

 private:
  enum class Drag { None, Pan, NewBox, Move, Vertex, Rotate, Paint };

  // canvas_draw.cpp
  void drawImage(AppContext& ctx, ImDrawList* dl, DecodedImage* img);
  void drawAnnotations(AppContext& ctx, ImDrawList* dl);
  void drawOne(AppContext& ctx, ImDrawList* dl, const labeling::Annotation& a, ImU32 col, bool selected);
  void drawMask(ImDrawList* dl, const labeling::Annotation& a, ImU32 col);
  void drawDraft(AppContext& ctx, ImDrawList* dl);
  void drawOverlays(AppContext& ctx, ImDrawList* dl);
  // canvas_input.cpp
  void handleView(AppContext& ctx);
  void handleTools(AppContext& ctx);
  void onPress(AppContext& ctx, Vec2d p, bool doubleClick);
  void onRelease(AppContext& ctx, Vec2d p);
  void finishDraft(AppContext& ctx);
  void cancelDraft();
  bool pickHandle(AppContext& ctx, Vec2d p);
  const labeling::Annotation* topmostAt(AppContext& ctx, Vec2d p) const;
  double tolerance() const { return 6.0 / m_zoom; }  // 6 screen pixels in image pixels
  void fit(double imageW, double imageH);
  Vec2d clampToImage(Vec2d p) const;
  void writeTestState(AppContext& ctx);

  ImVec2 m_origin{0, 0}, m_size{0, 0};
  double m_zoom = 1.0, m_offX = 0, m_offY = 0;
  double m_imageW = 0, m_imageH = 0;
  labeling::ItemId m_item = 0;

  Drag m_drag = Drag::None;
  Vec2d m_dragStart, m_dragNow;
  labeling::Annotation m_live;  // the annotation being moved/resized, drawn instead of the stored one
  int m_vertex = -1;
  std::vector<double> m_draft;  // polygon / polyline / keypoint vertices being placed
  std::vector<cv::Point2d> m_stroke;
  labeling::AnnotationId m_strokeTarget = 0;

  struct MaskTex {
    std::int64_t updatedMs = 0;
    unsigned int tex = 0;
  };
  std::unordered_map<labeling::AnnotationId, MaskTex> m_maskTex;
  int m_drawn = 0, m_culled = 0;
  bool m_thin = false;  // crowded image: thin, non-antialiased outlines
  std::string m_testState;

  // [SECTION] Appended for the render loop (canvas_draw.cpp): the image and the stored
  // annotations live in a retained layer that is re-rendered only when the view or what is shown
  // changes; drawAnnotations then draws only the shape being dragged.
  void drawStoredAnnotations(AppContext& ctx, ImDrawList* dl);
  // `annotations`: whether the stored annotations are part of the layer (an item without any
  // has a layer that depends only on the image and the view, which can be predicted).
  std::uint64_t layerKey(AppContext& ctx, const DecodedImage* img, int level, bool annotations) const;
  void recordLayer(AppContext& ctx, RenderLayer& layer, const DecodedImage* img, int level, bool annotations);
  RenderLayer m_layer;
  // The next item's image at the fitted view, rendered during an idle frame once its fitting
  // level is uploaded: when next is pressed and the item has no annotations, the layer's key
  // matches and it is shown without rendering it in the frames between key and image.
  void prerenderNext(AppContext& ctx);
  RenderLayer m_nextLayer;

  // [SECTION] Appended for the tools (canvas_input.cpp): the canvas's own double-click test.
  // ImGui 1.86 forgets the previous click whenever two clicks come within the double-click time
  // at different places, so the double-click that ends a quickly drawn polyline was lost.
  bool pressIsDoubleClick();
  double m_lastPress_s = -1.0;
  ImVec2 m_lastPressAt{0, 0};
  // Pan (canvas_input.cpp): the button that started it and the view offsets at the press.
  int m_panButton = 0;
  double m_panStartOffX = 0, m_panStartOffY = 0;

 public:
  // Actual pixels (1:1) about the canvas centre: Ctrl+0 and the canvas panel's 1:1 button.
  void oneToOne();
};

}  // namespace lb::app
