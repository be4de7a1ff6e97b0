#pragma once
// [SECTION] GrabCut from a box: the annotator drags a loose box around an object and gets its
// outline as a polygon or mask. For speed on large photos GrabCut runs on the box's ROI (plus a
// margin of background) scaled so its long side is at most workingSide_px, and the result is
// scaled back with a smooth (bilinear) upsampling before thresholding.
#include <opencv2/core.hpp>

#include "labeling/assist/proposal.h"

namespace lb::labeling::assist {

inline constexpr const char* kGrabCutId = "grabcut";
inline constexpr const char* kGrabCutVersion = "1";

struct GrabCutOptions {
  cv::Rect2d box;                 // image pixels; the object must lie inside it
  ShapeOutput output = ShapeOutput::Polygon;
  int iterations = 3;
  int workingSide_px = 176;       // long side of the ROI GrabCut actually runs on
  double marginFraction = 0.15;   // background margin around the box, as a fraction of its size
  double simplify_px = 1.5;       // polygon simplification tolerance in image pixels
  ClassId classId = 0;
};

// Errors: InvalidArgument (box empty, too small or outside the image), BadInput (nothing found),
// Cancelled.
Result<Proposal> grabCutFromBox(const cv::Mat& image, const GrabCutOptions& options,
                                const CancelFlag* cancel = nullptr);

}  // namespace lb::labeling::assist
