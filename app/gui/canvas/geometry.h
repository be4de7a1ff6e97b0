#pragma once
// [SECTION] Geometry of annotations in image pixels: bounds, hit tests, handles, and the
// coordinate conventions of labeling/model.h (Box x1,y1,x2,y2; RotatedBox cx,cy,w,h,angle_deg
// clockwise; Polygon/Polyline/Points x,y pairs; Keypoints x,y,v triples; Mask left,top,w,h).
#include <array>
#include <vector>

#include "labeling/model.h"

namespace lb::app {

struct Vec2d {
  double x = 0, y = 0;
};
struct Rectd {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 < x0 || y1 < y0; }
};

Rectd bounds(const labeling::Annotation& a);
std::array<Vec2d, 4> rotatedCorners(const std::vector<double>& c);  // cx, cy, w, h, angle_deg
// The annotation's vertices as points (box: 4 corners; rotated box: 4 corners; keypoints: the
// visible ones). Masks have none.
std::vector<Vec2d> vertices(const labeling::Annotation& a);
double distToSegment(Vec2d p, Vec2d a, Vec2d b);
bool pointInPolygon(Vec2d p, const std::vector<double>& xy);
// Whether image point p is on the annotation, with a tolerance in image pixels.
bool hitTest(const labeling::Annotation& a, Vec2d p, double tol);
// Moves every coordinate of `a` by (dx, dy).
void translate(labeling::Annotation& a, double dx, double dy);
// Sets vertex `index` (as numbered by vertices()) to p; boxes keep their other corner.
void moveVertex(labeling::Annotation& a, int index, Vec2d p);
// Polygon/polyline: index of the edge within tol of p (vertex i to i+1), or -1.
int edgeAt(const labeling::Annotation& a, Vec2d p, double tol);
void normaliseBox(std::vector<double>& c);  // x1 <= x2, y1 <= y2

}  // namespace lb::app
