#pragma once
// [SECTION] Mask editing on the canvas. The stored form and its codec are the core's
// (labeling/mask_rle.h); this adds only what the brush and the drawing need.
#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "labeling/model.h"

namespace lb::app {

// The mask's pixels (CV_8U, 255 = set) in its own box; empty on a malformed annotation.
cv::Mat maskPixels(const labeling::Annotation& a);
// Paints (or erases) a stroke of circles of `radius_px` through `points` (image pixels) into the
// mask `a` (which may be empty: a new mask), recomputing its tight box and RLE. `imageW/H` clip.
// Returns false when the result has no pixel left.
bool paintStroke(labeling::Annotation& a, const std::vector<cv::Point2d>& points, double radius_px, bool erase,
                 int imageW_px, int imageH_px);

}  // namespace lb::app
