#pragma once
// [SECTION] Matching two sets of annotations: optimal assignment (Hungarian / Kuhn–Munkres),
// shape IoU, span overlap. Used by gold accuracy, overlap agreement and the majority merge.
// Pure functions; thread-safe.
#include <utility>
#include <vector>

#include "labeling/model.h"

namespace lb::qc {

// Minimum-cost assignment on a rows x cols cost matrix (rectangular allowed). Returns, for each
// row, the assigned column or -1 (when rows > cols). O(n^3).
std::vector<int> hungarian(const std::vector<std::vector<double>>& cost);

// True for the kinds that are regions on an image (box, rotated box, polygon, mask).
bool isShape(labeling::AnnotationKind kind);
// The outline of a shape as a polygon (box corners, rotated box corners, polygon points);
// masks give their bounding box. Empty for non-shapes.
std::vector<std::pair<double, double>> outline(const labeling::Annotation& a);
// Intersection over union of two shapes. Boxes exactly; other shapes by rasterising both on a
// grid of at most 512 cells along the longer side of their joint bounds (error well under 1%).
double shapeIou(const labeling::Annotation& a, const labeling::Annotation& b);
// [start, end) spans: overlap length / union length.
double spanIou(const labeling::Annotation& a, const labeling::Annotation& b);

struct Match {
  int a = -1;  // index into the first list
  int b = -1;  // index into the second list
  double iou = 0;
};
// Optimal one-to-one matching that maximises total IoU; pairs below `threshold` are dropped.
// `sameClassOnly` forbids pairs of different classes.
std::vector<Match> matchByIou(const std::vector<labeling::Annotation>& a,
                              const std::vector<labeling::Annotation>& b, double threshold,
                              bool sameClassOnly);

}  // namespace lb::qc
