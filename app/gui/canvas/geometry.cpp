#include "geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::app {

using labeling::Annotation;
using labeling::AnnotationKind;

std::array<Vec2d, 4> rotatedCorners(const std::vector<double>& c) {
  std::array<Vec2d, 4> out{};
  if (c.size() < 5) return out;
  const double a = c[4] * M_PI / 180.0, cs = std::cos(a), sn = std::sin(a);
  const double hw = c[2] / 2, hh = c[3] / 2;
  const double dx[4] = {-hw, hw, hw, -hw}, dy[4] = {-hh, -hh, hh, hh};
  for (int i = 0; i < 4; ++i) out[i] = {c[0] + dx[i] * cs - dy[i] * sn, c[1] + dx[i] * sn + dy[i] * cs};
  return out;
}

std::vector<Vec2d> vertices(const Annotation& a) {
  std::vector<Vec2d> v;
  const auto& c = a.coords;
  switch (a.kind) {
    case AnnotationKind::Box:
      if (c.size() >= 4) v = {{c[0], c[1]}, {c[2], c[1]}, {c[2], c[3]}, {c[0], c[3]}};
      break;
    case AnnotationKind::RotatedBox: {
      auto r = rotatedCorners(c);
      v.assign(r.begin(), r.end());
      break;
    }
    case AnnotationKind::Polygon:
    case AnnotationKind::Polyline:
    case AnnotationKind::Points:
      for (size_t i = 0; i + 1 < c.size(); i += 2) v.push_back({c[i], c[i + 1]});
      break;
    case AnnotationKind::Keypoints:
      for (size_t i = 0; i + 2 < c.size(); i += 3) v.push_back({c[i], c[i + 1]});
      break;
    default:
      break;
  }
  return v;
}

Rectd bounds(const Annotation& a) {
  if (a.kind == AnnotationKind::Mask && a.coords.size() >= 4)
    return {a.coords[0], a.coords[1], a.coords[0] + a.coords[2], a.coords[1] + a.coords[3]};
  Rectd r{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
          std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  const auto& c = a.coords;
  auto add = [&](double x, double y) {
    r.x0 = std::min(r.x0, x);
    r.y0 = std::min(r.y0, y);
    r.x1 = std::max(r.x1, x);
    r.y1 = std::max(r.y1, y);
  };
  if (a.kind == AnnotationKind::Keypoints) {
    for (size_t i = 0; i + 2 < c.size(); i += 3)
      if (c[i + 2] > 0) add(c[i], c[i + 1]);
  } else {
    for (const auto& p : vertices(a)) add(p.x, p.y);
  }
  return r;
}

double distToSegment(Vec2d p, Vec2d a, Vec2d b) {
  const double vx = b.x - a.x, vy = b.y - a.y;
  const double len2 = vx * vx + vy * vy;
  double t = len2 > 0 ? ((p.x - a.x) * vx + (p.y - a.y) * vy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  const double dx = a.x + t * vx - p.x, dy = a.y + t * vy - p.y;
  return std::sqrt(dx * dx + dy * dy);
}

bool pointInPolygon(Vec2d p, const std::vector<double>& xy) {
  bool inside = false;
  const size_t n = xy.size() / 2;
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
    if (((yi > p.y) != (yj > p.y)) && (p.x < (xj - xi) * (p.y - yi) / (yj - yi) + xi)) inside = !inside;
  }
  return inside;
}

bool hitTest(const Annotation& a, Vec2d p, double tol) {
  const Rectd b = bounds(a);
  if (b.empty() || p.x < b.x0 - tol || p.x > b.x1 + tol || p.y < b.y0 - tol || p.y > b.y1 + tol) return false;
  switch (a.kind) {
    case AnnotationKind::Box:
    case AnnotationKind::Mask:
      return true;
    case AnnotationKind::RotatedBox:
    case AnnotationKind::Polygon: {
      std::vector<double> xy;
      for (const auto& v : vertices(a)) {
        xy.push_back(v.x);
        xy.push_back(v.y);
      }
      return xy.size() >= 6 && (pointInPolygon(p, xy) || edgeAt(a, p, tol) >= 0);
    }
    case AnnotationKind::Polyline:
      return edgeAt(a, p, tol) >= 0;
    case AnnotationKind::Points:
    case AnnotationKind::Keypoints:
      for (const auto& v : vertices(a))
        if (std::hypot(v.x - p.x, v.y - p.y) <= tol * 1.5) return true;
      return false;
    default:
      return false;
  }
}

void translate(Annotation& a, double dx, double dy) {
  auto& c = a.coords;
  switch (a.kind) {
    case AnnotationKind::RotatedBox:
    case AnnotationKind::Mask:
      if (c.size() >= 2) c[0] += dx, c[1] += dy;
      break;
    case AnnotationKind::Keypoints:
      for (size_t i = 0; i + 2 < c.size(); i += 3) c[i] += dx, c[i + 1] += dy;
      break;
    default:
      for (size_t i = 0; i + 1 < c.size(); i += 2) c[i] += dx, c[i + 1] += dy;
  }
}

void normaliseBox(std::vector<double>& c) {
  if (c.size() < 4) return;
  if (c[0] > c[2]) std::swap(c[0], c[2]);
  if (c[1] > c[3]) std::swap(c[1], c[3]);
}

void moveVertex(Annotation& a, int index, Vec2d p) {
  auto& c = a.coords;
  switch (a.kind) {
    case AnnotationKind::Box: {
      // Corner i moves; the opposite corner stays.
      const bool left = index == 0 || index == 3, top = index == 0 || index == 1;
      (left ? c[0] : c[2]) = p.x;
      (top ? c[1] : c[3]) = p.y;
      break;
    }
    case AnnotationKind::RotatedBox: {
      // Dragging a corner resizes symmetrically about the centre in the box's own frame.
      const double ang = c[4] * M_PI / 180.0;
      const double dx = p.x - c[0], dy = p.y - c[1];
      const double lx = dx * std::cos(ang) + dy * std::sin(ang), ly = -dx * std::sin(ang) + dy * std::cos(ang);
      c[2] = std::max(1.0, 2 * std::abs(lx));
      c[3] = std::max(1.0, 2 * std::abs(ly));
      break;
    }
    case AnnotationKind::Keypoints:
      if (index >= 0 && static_cast<size_t>(index) * 3 + 2 < c.size()) c[index * 3] = p.x, c[index * 3 + 1] = p.y;
      break;
    default:
      if (index >= 0 && static_cast<size_t>(index) * 2 + 1 < c.size()) c[index * 2] = p.x, c[index * 2 + 1] = p.y;
  }
}

int edgeAt(const Annotation& a, Vec2d p, double tol) {
  if (a.kind != AnnotationKind::Polygon && a.kind != AnnotationKind::Polyline && a.kind != AnnotationKind::RotatedBox)
    return -1;
  const auto v = vertices(a);
  const size_t n = v.size();
  if (n < 2) return -1;
  const size_t edges = a.kind == AnnotationKind::Polyline ? n - 1 : n;
  for (size_t i = 0; i < edges; ++i)
    if (distToSegment(p, v[i], v[(i + 1) % n]) <= tol) return static_cast<int>(i);
  return -1;
}

}  // namespace lb::app
