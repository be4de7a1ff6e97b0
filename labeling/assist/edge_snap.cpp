#include "labeling/assist/edge_snap.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace lb::labeling::assist {
namespace {

// Canny edges of the image around `area` (grown by the search radius). Computing them only
// around the shape keeps snapping instant on 12-MP photos.
struct EdgeField {
  cv::Mat edges;      // CV_8U, 255 on edges
  cv::Point origin;   // image pixel of edges(0,0)
  bool at(int x, int y) const {
    x -= origin.x;
    y -= origin.y;
    return x >= 0 && y >= 0 && x < edges.cols && y < edges.rows && edges.at<unsigned char>(y, x);
  }
};

EdgeField edgesAround(const cv::Mat& image, cv::Rect area, const EdgeSnapOptions& o) {
  const int pad = o.radius_px + 3;
  const cv::Rect roi = cv::Rect(area.x - pad, area.y - pad, area.width + 2 * pad, area.height + 2 * pad) &
                       cv::Rect(0, 0, image.cols, image.rows);
  EdgeField f;
  f.origin = roi.tl();
  cv::Mat gray;
  if (image.channels() == 3) cv::cvtColor(image(roi), gray, cv::COLOR_BGR2GRAY);
  else gray = image(roi);
  cv::GaussianBlur(gray, gray, cv::Size(3, 3), 0);
  cv::Canny(gray, f.edges, o.cannyLow, o.cannyHigh, 3, true);
  return f;
}

// Nearest edge pixel to (x, y) within the radius; false if none.
bool nearestEdge(const EdgeField& f, double x, double y, int radius, cv::Point& out) {
  const int cx = int(std::floor(x)), cy = int(std::floor(y));
  double best = radius * radius + 1e-9;
  bool found = false;
  for (int dy = -radius; dy <= radius; ++dy)
    for (int dx = -radius; dx <= radius; ++dx) {
      const double d2 = double(dx * dx + dy * dy);
      if (d2 < best && f.at(cx + dx, cy + dy)) {
        best = d2;
        out = {cx + dx, cy + dy};
        found = true;
      }
    }
  return found;
}

// Best offset for one box side: the line (vertical if `vertical`) at `pos + d` over [from, to)
// with the largest share of edge pixels; ties go to the smaller |d|.
std::optional<int> bestSideOffset(const EdgeField& f, bool vertical, int pos, int from, int to,
                                  const EdgeSnapOptions& o) {
  const int length = std::max(1, to - from);
  double bestShare = o.minSideEdgeFraction;
  std::optional<int> best;
  for (int step = 0; step <= o.radius_px; ++step)
    for (int d : {-step, step}) {
      int hits = 0;
      for (int t = from; t < to; ++t) hits += vertical ? f.at(pos + d, t) : f.at(t, pos + d);
      const double share = double(hits) / length;
      if (share > bestShare) {
        bestShare = share;
        best = d;
      }
      if (step == 0) break;
    }
  return best;
}

}  // namespace

Result<Proposal> snapToEdges(const cv::Mat& image, const Annotation& shape,
                             const EdgeSnapOptions& options, const CancelFlag* cancel) {
  const bool isBox = shape.kind == AnnotationKind::Box;
  const bool isVertexShape = shape.kind == AnnotationKind::Polygon ||
                             shape.kind == AnnotationKind::Polyline || shape.kind == AnnotationKind::Points;
  if (!isBox && !isVertexShape)
    return makeError(ErrorCode::InvalidArgument,
                     "edge snapping works on boxes, polygons, polylines and points, not " +
                         std::string(toString(shape.kind)));
  if (image.empty() || shape.coords.size() < 2 || shape.coords.size() % 2 != 0 || (isBox && shape.coords.size() != 4))
    return makeError(ErrorCode::InvalidArgument, "annotation " + std::to_string(shape.id) + " has malformed coords");
  if (isCancelled(cancel)) return cancelledError("Edge snapping");

  std::vector<cv::Point2d> pts;
  for (std::size_t i = 0; i + 1 < shape.coords.size(); i += 2) pts.emplace_back(shape.coords[i], shape.coords[i + 1]);
  std::vector<cv::Point> ipts;
  for (const auto& p : pts) ipts.emplace_back(int(std::floor(p.x)), int(std::floor(p.y)));
  const EdgeField field = edgesAround(image, cv::boundingRect(ipts), options);

  Proposal p{kEdgeSnapId, kEdgeSnapVersion, {}, {}};
  Annotation out = shape;
  int moved = 0;
  if (isBox) {
    const int x1 = int(std::lround(std::min(shape.coords[0], shape.coords[2])));
    const int x2 = int(std::lround(std::max(shape.coords[0], shape.coords[2])));
    const int y1 = int(std::lround(std::min(shape.coords[1], shape.coords[3])));
    const int y2 = int(std::lround(std::max(shape.coords[1], shape.coords[3])));
    // A side's edge pixels sit on the last pixel inside (left/top) or first outside the object;
    // coordinates are pixel boundaries, so right/bottom sides land one past the edge pixel.
    double nx1 = x1, nx2 = x2, ny1 = y1, ny2 = y2;
    if (auto d = bestSideOffset(field, true, x1, y1, y2, options)) { nx1 = x1 + *d; moved += *d != 0; }
    if (auto d = bestSideOffset(field, true, x2 - 1, y1, y2, options)) { nx2 = x2 + *d; moved += *d != 0; }
    if (auto d = bestSideOffset(field, false, y1, x1, x2, options)) { ny1 = y1 + *d; moved += *d != 0; }
    if (auto d = bestSideOffset(field, false, y2 - 1, x1, x2, options)) { ny2 = y2 + *d; moved += *d != 0; }
    if (nx2 > nx1 && ny2 > ny1) out.coords = {nx1, ny1, nx2, ny2};
    else moved = 0;
    p.note = std::to_string(moved) + " of 4 box sides moved onto edges";
  } else {
    for (std::size_t i = 0; i < pts.size(); ++i) {
      if (i % 64 == 0 && isCancelled(cancel)) return cancelledError("Edge snapping");
      cv::Point e;
      if (nearestEdge(field, pts[i].x, pts[i].y, options.radius_px, e)) {
        const cv::Point2d target(e.x + 0.5, e.y + 0.5);
        if (cv::norm(target - pts[i]) > 0.5) ++moved;
        out.coords[2 * i] = target.x;
        out.coords[2 * i + 1] = target.y;
      }
    }
    p.note = std::to_string(moved) + " of " + std::to_string(pts.size()) + " vertices moved onto edges";
  }
  p.annotations.push_back(std::move(out));
  return p;
}

}  // namespace lb::labeling::assist
