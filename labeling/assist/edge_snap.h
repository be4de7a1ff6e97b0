#pragma once
// [SECTION] Edge snapping: after a rough click, polygon/polyline/point vertices move to the nearest
// strong edge (Canny) within radius_px, and each side of a box moves to the nearby line along
// which most pixels are edges. Vertices with no edge near them stay where they are.
#include <opencv2/core.hpp>

#include "labeling/assist/proposal.h"

namespace lb::labeling::assist {

inline constexpr const char* kEdgeSnapId = "edge_snap";
inline constexpr const char* kEdgeSnapVersion = "1";

struct EdgeSnapOptions {
  int radius_px = 5;
  double cannyLow = 50;
  double cannyHigh = 150;
  double minSideEdgeFraction = 0.3;  // box side moves only if this share of it lies on edges
};

// Returns a proposal holding one edited copy of `shape` (same id: apply as an update; source is
// left as it was, since the object is still the annotator's). Supports Box, Polygon, Polyline,
// Points; InvalidArgument for other kinds. The note tells how many vertices/sides moved.
Result<Proposal> snapToEdges(const cv::Mat& image, const Annotation& shape,
                             const EdgeSnapOptions& options = {}, const CancelFlag* cancel = nullptr);

}  // namespace lb::labeling::assist
