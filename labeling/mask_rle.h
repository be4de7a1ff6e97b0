#pragma once
// [SECTION] Mask <-> run-length encoding in the model's Mask convention (model.h):
// coords = left, top, width, height (pixels); dataJson = {"rle": [b0, f0, b1, f1, ...]}: run
// lengths, row-major inside that box, always starting with a background run (0 if the first
// pixel is foreground). Runs sum to width * height. Reusable by importers/exporters.
#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"

namespace lb::labeling {

// Runs of a CV_8U mask (non-zero = foreground), row-major, starting with background.
std::vector<std::int64_t> encodeMaskRle(const cv::Mat& mask);
// The CV_8U mask (0 / 255) of width x height described by `runs`. BadInput when the runs do not
// add up to width * height or one is negative.
Result<cv::Mat> decodeMaskRle(const std::vector<std::int64_t>& runs, int width, int height);

// A Mask annotation from a CV_8U mask whose pixel (0,0) sits at image pixel `origin`. The box is
// tightened to the foreground's bounding rectangle; an empty mask gives a 0x0 box.
Annotation makeMaskAnnotation(const cv::Mat& mask, cv::Point origin);

struct MaskRegion {
  cv::Rect box;  // in image pixels
  cv::Mat mask;  // CV_8U, box.size(), 0 / 255
};
// Reads a Mask annotation back (BadInput naming the annotation if coords or rle are malformed).
Result<MaskRegion> maskFromAnnotation(const Annotation& a);
// The annotation's mask painted into a zero image of `imageSize` (parts outside are clipped).
Result<cv::Mat> rasterizeMask(const Annotation& a, cv::Size imageSize);

}  // namespace lb::labeling
