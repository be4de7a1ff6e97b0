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
// get the same numbers. Blur is measured on `blurLuma` when given (the import passes a luma at
// twice the decode's resolution, see blur_measure.h), else on the luma of `decoded`.
std::vector<NewItem::Signal> computeImageSignals(const cv::Mat& decoded, int fullWidthPx, int fullHeightPx,
                                                 const cv::Mat& blurLuma = cv::Mat());

// Signal keys (stable: stored in projects).
namespace signal_keys {
inline constexpr const char* kPixelHash = "pixel_sha256";   // blob: SHA-256 of the decoded pixels
inline constexpr const char* kPHash = "phash";              // blob: 8 bytes, OpenCV img_hash PHash
inline constexpr const char* kMeanLuma = "mean_luma";       // number: 0..255
// blob: kPHashVariantCount x 8 bytes, img_hash PHash of the variants listed in PHashVariant.
// Written by earlier versions (now kCleanPack holds the views); still read for their projects.
inline constexpr const char* kPHashVariants = "phash_variants";
// number: 0 (sharp) .. 1 (flat), measured on the luma area-reduced to kBlurLongSidePx (960),
// over the quarter of its 32 px blocks with the most variance: m, the median ratio of the
// finest Laplacian band's energy to the band below it (Laplacian of a sigma-1 Gaussian), both
// plus a noise floor; s, the median share of the block's variance in the finest band. blur =
// max(1 / (1 + m / 2.55), 1 / (1 + sqrt(s / 0.012))). Ratios of the same pixels do not change
// with brightness (a dark photo is first stretched to a normal contrast, so the floor means the
// same), so a dark but sharp photo scores low; and at one measuring scale a 1080p and a 12-MP
// photo of the same scene score the same. See blur_measure.h.
inline constexpr const char* kBlur = "blur";
inline constexpr const char* kLumaP05 = "luma_p05";          // number: 5th percentile of luma
inline constexpr const char* kLumaP50 = "luma_p50";
inline constexpr const char* kLumaP95 = "luma_p95";
inline constexpr const char* kClipDark = "clip_dark";        // number: fraction of pixels with luma <= 8
inline constexpr const char* kClipBright = "clip_bright";    // number: fraction with luma >= 247
inline constexpr const char* kLumaStd = "luma_std";          // number: standard deviation of luma
inline constexpr const char* kLumaEntropy = "luma_entropy";  // number: bits, 0..8 (256-bin histogram)
inline constexpr const char* kChroma = "chroma";             // number: mean max-min over B,G,R
// blob: everything cleaning reads, packed in one row per item so that a re-run over 100,000
// items is one query (see CleanPack below).
inline constexpr const char* kCleanPack = "clean_pack";
}  // namespace signal_keys

// Order of the hashes inside the kPHashVariants blob.
enum class PHashVariant { Full, Centre80, Centre60, Rot90, Rot180, Rot270, Mirror, Count };
inline constexpr int kPHashVariantCount = static_cast<int>(PHashVariant::Count);
// Long side of the image on which blur, exposure and colour are measured.
inline constexpr int kAnalysisLongSidePx = 480;

// Views hashed for near-duplicate search (order inside the clean pack). A copy that was
// cropped, straightened (rotated a few degrees and zoomed so no corner is empty), turned or
// mirrored looks like one of its original's views: the search compares every view of one image
// with the full view of the other.
enum class DupView {
  Full, Centre80, Centre60, Rot90, Rot180, Rot270, Mirror,
  StraightenM8, StraightenM4, StraightenP4, StraightenP8,
  // 95, 90 and 85 % crops on a 3x3 grid of offsets (row-major, 9 views each), then 80 % crops at
  // the same offsets but the centre (that is Centre80): 8 views.
  Crop95First,
  Crop90First = Crop95First + 9,
  Crop85First = Crop90First + 9,
  Crop80First = Crop85First + 9,
  Count = Crop80First + 8
};
inline constexpr int kDupViewCount = static_cast<int>(DupView::Count);

// Two hashes per view: OpenCV img_hash PHash (64 bits: signs of the 8x8 lowest DCT frequencies)
// for the search, and 192 bits of the next band (DCT rows/columns 8..15 of the same 32x32 view)
// to confirm a candidate: unrelated photos that share their coarse layout rarely share it.
struct DupViewHash {
  std::uint64_t phash = 0;
  std::array<std::uint64_t, 3> band{};
};

struct CleanPack {
  float blur = -1, lumaP05 = -1, lumaP95 = -1, entropy = -1, chroma = -1;
  std::array<unsigned char, 32> pixelHash{};
  std::vector<DupViewHash> views;  // kDupViewCount entries, DupView order
};
inline constexpr unsigned char kCleanPackVersion = 2;  // 2: 46 views
std::vector<unsigned char> serializeCleanPack(const CleanPack& pack);
// Empty optional for a blob of another version or size.
std::optional<CleanPack> parseCleanPack(const unsigned char* data, std::size_t size);

// Reads the variants blob (empty optional when the blob has the wrong size).
std::optional<std::array<std::uint64_t, kPHashVariantCount>> parsePHashVariants(const std::vector<unsigned char>& blob);
// A 64-bit integer view of an img_hash PHash (8 bytes, bit order as stored).
std::uint64_t pHashToU64(const unsigned char* bytes8);
// Every near-duplicate view of a grayscale image (any size; views are cut from a 128 px copy,
// so a JPEG decoded at 1/8 scale is plenty).
std::vector<DupViewHash> computeDupViews(const cv::Mat& gray);
// The two hashes of one 32x32 gray view (exposed so tests can compare with img_hash).
DupViewHash hashDupView(const cv::Mat& gray32);
// The signals' luma of 8-bit BGR: the same pixels as cv::cvtColor(COLOR_BGR2GRAY) (exposed so
// tests can compare every colour).
cv::Mat bgrToGray(const cv::Mat& bgr);

}  // namespace lb::labeling
