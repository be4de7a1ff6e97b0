#pragma once
// Measurements taken from the import's one decode of an image, stored per item (signals table)
// so that cleaning checks and threshold changes never decode the originals again.
//
// Called on import worker threads; pure function, no I/O. Cost: a few resizes of the (already
// DCT-reduced) decode plus six 32x32 DCTs, well under a millisecond for a 480 px decode.
#include <opencv2/core/mat.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "labeling/store/project_store.h"

namespace lb::labeling {

// `decoded` is the (possibly DCT-scaled) BGR or grayscale decode, already EXIF-oriented;
// fullWidthPx/fullHeightPx are the image's real size. Every measurement that depends on
// resolution is taken at a fixed analysis scale, so a 1080p and a 12-MP photo of the same scene
// get the same numbers.
std::vector<NewItem::Signal> computeImageSignals(const cv::Mat& decoded, int fullWidthPx, int fullHeightPx);

// Signal keys (stable: stored in projects).
namespace signal_keys {
inline constexpr const char* kPixelHash = "pixel_sha256";   // blob: SHA-256 of the decoded pixels
inline constexpr const char* kPHash = "phash";              // blob: 8 bytes, OpenCV img_hash PHash
inline constexpr const char* kMeanLuma = "mean_luma";       // number: 0..255
// blob: kPHashVariantCount x 8 bytes, img_hash PHash of the variants listed in PHashVariant.
// Rotated/mirrored/cropped copies of an image hash close to one of its variants.
inline constexpr const char* kPHashVariants = "phash_variants";
// number: 0 (sharp) .. 1 (flat): the re-blur measure (Crete-Roffet et al. 2007) at the fixed
// analysis scale. It compares the image's gradients with those of a blurred copy of itself, so
// it does not depend on contrast or brightness: a dark but sharp photo scores low.
inline constexpr const char* kBlur = "blur";
inline constexpr const char* kLumaP05 = "luma_p05";          // number: 5th percentile of luma
inline constexpr const char* kLumaP50 = "luma_p50";
inline constexpr const char* kLumaP95 = "luma_p95";
inline constexpr const char* kClipDark = "clip_dark";        // number: fraction of pixels with luma <= 8
inline constexpr const char* kClipBright = "clip_bright";    // number: fraction with luma >= 247
inline constexpr const char* kLumaStd = "luma_std";          // number: standard deviation of luma
inline constexpr const char* kLumaEntropy = "luma_entropy";  // number: bits, 0..8 (256-bin histogram)
inline constexpr const char* kChroma = "chroma";             // number: mean max-min over B,G,R
}  // namespace signal_keys

// Order of the hashes inside the kPHashVariants blob.
enum class PHashVariant { Full, Centre80, Centre60, Rot90, Rot180, Rot270, Mirror, Count };
inline constexpr int kPHashVariantCount = static_cast<int>(PHashVariant::Count);
// Long side of the image on which blur, exposure and colour are measured.
inline constexpr int kAnalysisLongSidePx = 480;

// Reads the variants blob (empty optional when the blob has the wrong size).
std::optional<std::array<std::uint64_t, kPHashVariantCount>> parsePHashVariants(const std::vector<unsigned char>& blob);
// A 64-bit integer view of an img_hash PHash (8 bytes, bit order as stored).
std::uint64_t pHashToU64(const unsigned char* bytes8);

}  // namespace lb::labeling
