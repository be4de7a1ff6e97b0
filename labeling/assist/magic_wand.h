#pragma once
// [SECTION] Magic wand: a click selects the connected region whose colour stays within a
// tolerance of the clicked pixel (flood fill), returned as a polygon or mask.
#include <opencv2/core.hpp>

#include "labeling/assist/proposal.h"

namespace lb::labeling::assist {

inline constexpr const char* kMagicWandId = "magic_wand";
inline constexpr const char* kMagicWandVersion = "1";

struct MagicWandOptions {
  cv::Point2d seed;               // image pixels
  int tolerance = 24;             // per channel, 0..255
  bool relativeToSeed = true;     // true: compare to the clicked colour; false: to neighbours
  bool eightConnected = false;
  ShapeOutput output = ShapeOutput::Polygon;
  double simplify_px = 1.0;
  ClassId classId = 0;
};

// Errors: InvalidArgument (seed outside the image), Cancelled.
Result<Proposal> magicWand(const cv::Mat& image, const MagicWandOptions& options,
                           const CancelFlag* cancel = nullptr);

}  // namespace lb::labeling::assist
