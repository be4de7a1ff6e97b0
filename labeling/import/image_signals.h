#pragma once
// Measurements taken from the import's one decode of an image, stored per item (signals table)
// so that cleaning checks and threshold changes never decode the originals again.
//
// Called on import worker threads; pure function, no I/O.
#include <opencv2/core/mat.hpp>

#include <vector>

#include "labeling/store/project_store.h"

namespace lb::labeling {

// `decoded` is the (possibly DCT-scaled) BGR or grayscale decode, already EXIF-oriented;
// fullWidthPx/fullHeightPx are the image's real size.
std::vector<NewItem::Signal> computeImageSignals(const cv::Mat& decoded, int fullWidthPx, int fullHeightPx);

// Signal keys (stable: stored in projects).
namespace signal_keys {
inline constexpr const char* kPixelHash = "pixel_sha256";   // blob: SHA-256 of the decoded pixels
inline constexpr const char* kPHash = "phash";              // blob: 8 bytes, OpenCV img_hash PHash
inline constexpr const char* kMeanLuma = "mean_luma";       // number: 0..255
}  // namespace signal_keys

}  // namespace lb::labeling
