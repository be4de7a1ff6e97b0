#include "qc/agreement/matching.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::qc {

using labeling::Annotation;
using labeling::AnnotationKind;

// Kuhn–Munkres with row/column potentials (shortest augmenting paths), for rows <= cols.
// A wider matrix is solved as is; a taller one through its transpose.
std::vector<int> hungarian(const std::vector<std::vector<double>>& cost) {
  const int rows = static_cast<int>(cost.size());
  if (rows == 0) return {};
  const int cols = static_cast<int>(cost.front().size());
  if (cols == 0) return std::vector<int>(rows, -1);
  if (rows > cols) {
    std::vector<std::vector<double>> t(cols, std::vector<double>(rows));
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) t[j][i] = cost[i][j];
    const auto colToRow = hungarian(t);
    std::vector<int> out(rows, -1);
    for (int j = 0; j < cols; ++j)
      if (colToRow[j] >= 0) out[colToRow[j]] = j;
    return out;
  }
  const double inf = std::numeric_limits<double>::infinity();
  // 1-based arrays as in the textbook formulation; p[j] = row matched to column j.
  std::vector<double> u(rows + 1, 0), v(cols + 1, 0);
  std::vector<int> p(cols + 1, 0), way(cols + 1, 0);
  for (int i = 1; i <= rows; ++i) {
    p[0] = i;
    int j0 = 0;
    std::vector<double> minv(cols + 1, inf);
    std::vector<char> used(cols + 1, 0);
    do {
      used[j0] = 1;
      const int i0 = p[j0];
      double delta = inf;
      int j1 = 0;
      for (int j = 1; j <= cols; ++j) {
        if (used[j]) continue;
        const double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (int j = 0; j <= cols; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  std::vector<int> out(rows, -1);
  for (int j = 1; j <= cols; ++j)
    if (p[j] > 0) out[p[j] - 1] = j - 1;
  return out;
}

bool isShape(AnnotationKind k) {
  return k == AnnotationKind::Box || k == AnnotationKind::RotatedBox || k == AnnotationKind::Polygon ||
         k == AnnotationKind::Mask;
}

std::vector<std::pair<double, double>> outline(const Annotation& a) {
  const auto& c = a.coords;
  switch (a.kind) {
    case AnnotationKind::Box:
      if (c.size() < 4) return {};
      return {{c[0], c[1]}, {c[2], c[1]}, {c[2], c[3]}, {c[0], c[3]}};
    case AnnotationKind::Mask:
      if (c.size() < 4) return {};
      return {{c[0], c[1]}, {c[0] + c[2], c[1]}, {c[0] + c[2], c[1] + c[3]}, {c[0], c[1] + c[3]}};
    case AnnotationKind::RotatedBox: {
      if (c.size() < 5) return {};
      const double t = c[4] * M_PI / 180.0, cs = std::cos(t), sn = std::sin(t);
      std::vector<std::pair<double, double>> pts;
      for (auto [dx, dy] : {std::pair{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}}) {
        const double x = dx * c[2], y = dy * c[3];
        pts.emplace_back(c[0] + x * cs - y * sn, c[1] + x * sn + y * cs);
      }
      return pts;
    }
    case AnnotationKind::Polygon: {
      std::vector<std::pair<double, double>> pts;
      for (std::size_t i = 0; i + 1 < c.size(); i += 2) pts.emplace_back(c[i], c[i + 1]);
      return pts;
    }
    default: return {};
  }
}

namespace {

struct Bounds {
  double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
  void add(double x, double y) {
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
};

// Draws one shape into an 8-bit raster; (ox, oy) is the raster origin, s cells per pixel.
void rasterise(const Annotation& a, cv::Mat& m, double ox, double oy, double s) {
  constexpr int kShift = 8;  // sub-cell precision for fillPoly
  constexpr double kOne = 1 << kShift;
  if (a.kind == AnnotationKind::Mask) {
    // data.rle: row-major runs inside the mask's box, starting with a background run.
    const auto data = nlohmann::json::parse(a.dataJson, nullptr, false);
    if (data.is_discarded() || !data.contains("rle") || a.coords.size() < 4) return;
    const long w = static_cast<long>(a.coords[2]);
    long pos = 0;
    bool fg = false;
    for (const auto& run : data["rle"]) {
      const long len = run.get<long>();
      if (fg)
        for (long p = pos; p < pos + len;) {
          const long r = p / w, c0 = p % w, c1 = std::min(w, c0 + (pos + len - p));
          cv::rectangle(m, cv::Point(static_cast<int>(std::lround((a.coords[0] + c0 - ox) * s)),
                                     static_cast<int>(std::lround((a.coords[1] + r - oy) * s))),
                        cv::Point(static_cast<int>(std::lround((a.coords[0] + c1 - ox) * s)) - 1,
                                  static_cast<int>(std::lround((a.coords[1] + r + 1 - oy) * s)) - 1),
                        cv::Scalar(255), cv::FILLED);
          p += c1 - c0;
        }
      pos += len;
      fg = !fg;
    }
    return;
  }
  std::vector<cv::Point> pts;
  for (auto [x, y] : outline(a))
    pts.emplace_back(static_cast<int>(std::lround((x - ox) * s * kOne)),
                     static_cast<int>(std::lround((y - oy) * s * kOne)));
  if (pts.size() >= 3) cv::fillPoly(m, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255), cv::LINE_8, kShift);
}

}  // namespace

double shapeIou(const Annotation& a, const Annotation& b) {
  if (a.kind == AnnotationKind::Box && b.kind == AnnotationKind::Box && a.coords.size() >= 4 && b.coords.size() >= 4) {
    const double ax0 = std::min(a.coords[0], a.coords[2]), ax1 = std::max(a.coords[0], a.coords[2]);
    const double ay0 = std::min(a.coords[1], a.coords[3]), ay1 = std::max(a.coords[1], a.coords[3]);
    const double bx0 = std::min(b.coords[0], b.coords[2]), bx1 = std::max(b.coords[0], b.coords[2]);
    const double by0 = std::min(b.coords[1], b.coords[3]), by1 = std::max(b.coords[1], b.coords[3]);
    const double iw = std::max(0.0, std::min(ax1, bx1) - std::max(ax0, bx0));
    const double ih = std::max(0.0, std::min(ay1, by1) - std::max(ay0, by0));
    const double inter = iw * ih;
    const double uni = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter;
    return uni > 0 ? inter / uni : 0.0;
  }
  if (!isShape(a.kind) || !isShape(b.kind)) return 0.0;
  Bounds bounds;
  for (const auto* x : {&a, &b})
    for (auto [px, py] : outline(*x)) bounds.add(px, py);
  const double side = std::max(bounds.x1 - bounds.x0, bounds.y1 - bounds.y0);
  if (!(side > 0)) return 0.0;
  const double s = 512.0 / side;
  const int w = static_cast<int>(std::ceil((bounds.x1 - bounds.x0) * s)) + 2;
  const int h = static_cast<int>(std::ceil((bounds.y1 - bounds.y0) * s)) + 2;
  cv::Mat ma = cv::Mat::zeros(h, w, CV_8U), mb = cv::Mat::zeros(h, w, CV_8U);
  rasterise(a, ma, bounds.x0, bounds.y0, s);
  rasterise(b, mb, bounds.x0, bounds.y0, s);
  cv::Mat both, either;
  cv::bitwise_and(ma, mb, both);
  cv::bitwise_or(ma, mb, either);
  const double uni = cv::countNonZero(either);
  return uni > 0 ? cv::countNonZero(both) / uni : 0.0;
}

double spanIou(const Annotation& a, const Annotation& b) {
  if (a.coords.size() < 2 || b.coords.size() < 2) return 0.0;
  const double inter = std::max(0.0, std::min(a.coords[1], b.coords[1]) - std::max(a.coords[0], b.coords[0]));
  const double uni = (a.coords[1] - a.coords[0]) + (b.coords[1] - b.coords[0]) - inter;
  return uni > 0 ? inter / uni : 0.0;
}

std::vector<Match> matchByIou(const std::vector<Annotation>& a, const std::vector<Annotation>& b,
                              double threshold, bool sameClassOnly) {
  if (a.empty() || b.empty()) return {};
  std::vector<std::vector<double>> iou(a.size(), std::vector<double>(b.size(), 0));
  std::vector<std::vector<double>> cost(a.size(), std::vector<double>(b.size(), 0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) {
      if (sameClassOnly && a[i].classId != b[j].classId) continue;
      const bool spans = a[i].kind == AnnotationKind::Span && b[j].kind == AnnotationKind::Span;
      iou[i][j] = spans ? spanIou(a[i], b[j]) : shapeIou(a[i], b[j]);
      // Pairs under the threshold cost the same as no pair, so they never displace a real one.
      cost[i][j] = iou[i][j] >= threshold ? -iou[i][j] : 0.0;
    }
  const auto assign = hungarian(cost);
  std::vector<Match> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const int j = assign[i];
    if (j >= 0 && iou[i][j] >= threshold && iou[i][j] > 0)
      out.push_back({static_cast<int>(i), j, iou[i][j]});
  }
  return out;
}

}  // namespace lb::qc
