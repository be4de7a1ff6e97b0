#pragma once
// [SECTION] Display enhancement for dark or low-contrast images: CLAHE on the lightness channel.
// For viewing only: it returns a new image and never touches the stored media or annotations.
#include <opencv2/core.hpp>

namespace lb::labeling::assist {

struct EnhanceOptions {
  double clipLimit = 2.0;
  int tiles = 8;  // tiles per side
};

// An enhanced copy of an 8-bit BGR or grey image (same size and type). Empty in, empty out.
cv::Mat enhanceForDisplay(const cv::Mat& image, const EnhanceOptions& options = {});

}  // namespace lb::labeling::assist
