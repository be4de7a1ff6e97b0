#include "labeling/import/blur_measure.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <utility>
#include <vector>

namespace lb::labeling {

namespace {

constexpr int kBlockPx = 32;
// Share of blocks, those with the most variance, that the score is taken over: flat
// blocks (sky, walls, a dark room) hold only noise, whose fine/mid ratio says nothing of focus.
constexpr double kStructuredShare = 0.25;
// m at which blur = 0.5; chosen on the corpus generator's truth (bench_clean prints P/R
// around the project default 0.55, on 1080p and 12-MP sets).
constexpr double kHalfBlurRatio = 2.55;
// Added to both energies: 8-bit rounding alone puts ~1.7 of energy in the finest Laplacian band
// and next to none in the band below, so without a floor a block blurred to almost nothing
// reads as all fine detail, i.e. sharp. With it such a block tends to a ratio of 1 (flat).
constexpr float kEnergyFloor = 2.0f;
// Luma standard deviation below which a photo is stretched before measuring (see measure()).
constexpr double kNormalContrast = 40.0;
// Laplacian share of the variance at which that term alone gives blur = 0.5.
constexpr double kHalfBlurShare = 0.012;

// 8-bit luma with a long side of at most kBlurLongSidePx.
cv::Mat lumaAtMeasureScale(const cv::Mat& luma) {
  cv::Mat u8 = luma;
  if (luma.depth() != CV_8U) luma.convertTo(u8, CV_8U);
  const int longSide = std::max(u8.cols, u8.rows);
  if (longSide <= kBlurLongSidePx) return u8;
  const double s = static_cast<double>(kBlurLongSidePx) / longSide;
  cv::Mat out;
  cv::resize(u8, out, cv::Size(std::max(1, static_cast<int>(std::lround(u8.cols * s))), std::max(1, static_cast<int>(std::lround(u8.rows * s)))), 0, 0,
             cv::INTER_AREA);
  return out;
}

float median(std::vector<float>& v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

struct BlurTerms {
  double bandRatio = 0;     // fine / mid band energy
  double laplaceShare = 0;  // Laplacian energy / pixel variance
};

// For one block: the mean squares of the 4-neighbour Laplacian of the luma (the finest band)
// and of the Laplacian of its binomial [1 4 6 4 1]/16 blur (a sigma-1 Gaussian: the band below),
// from a copy of the block with a 3 px margin (reflect-101 at the image's edges). Written out
// per block because only a quarter of the photo needs it: OpenCV's whole-image filters cost
// three times as much here.
struct BandEnergies {
  double fine = 0, mid = 0;
};
BandEnergies bandEnergies(const cv::Mat& luma, const cv::Rect& block) {
  constexpr int kPad = 3, kSide = kBlockPx + 2 * kPad;
  auto reflect = [](int i, int n) { return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i; };
  std::int32_t patch[kSide][kSide];
  for (int y = 0; y < kSide; ++y) {
    const unsigned char* row = luma.ptr(reflect(block.y - kPad + y, luma.rows));
    for (int x = 0; x < kSide; ++x) patch[y][x] = row[reflect(block.x - kPad + x, luma.cols)];
  }
  // Binomial blur, horizontal then vertical, kept x256; valid 2 px in from the patch's edge.
  std::int32_t across[kSide][kSide], blurred[kSide][kSide];
  for (int y = 0; y < kSide; ++y)
    for (int x = 2; x < kSide - 2; ++x)
      across[y][x] = patch[y][x - 2] + 4 * patch[y][x - 1] + 6 * patch[y][x] + 4 * patch[y][x + 1] + patch[y][x + 2];
  for (int y = 2; y < kSide - 2; ++y)
    for (int x = 2; x < kSide - 2; ++x)
      blurred[y][x] = across[y - 2][x] + 4 * across[y - 1][x] + 6 * across[y][x] + 4 * across[y + 1][x] + across[y + 2][x];
  BandEnergies e;
  for (int y = kPad; y < kPad + kBlockPx; ++y) {
    float fine = 0, mid = 0;  // squares summed in float: plenty for a ratio, and it vectorises
    for (int x = kPad; x < kPad + kBlockPx; ++x) {
      const auto f = static_cast<float>(patch[y - 1][x] + patch[y + 1][x] + patch[y][x - 1] + patch[y][x + 1] - 4 * patch[y][x]);
      const auto m = static_cast<float>(blurred[y - 1][x] + blurred[y + 1][x] + blurred[y][x - 1] + blurred[y][x + 1] - 4 * blurred[y][x]);
      fine += f * f;
      mid += m * m;
    }
    e.fine += fine;
    e.mid += mid;
  }
  constexpr double kArea = kBlockPx * kBlockPx;
  e.fine /= kArea;
  e.mid /= kArea * 256.0 * 256.0;
  return e;
}

// Both terms as medians over the quarter of blocks with the most variance.
BlurTerms measure(const cv::Mat& luma) {
  const int bx = luma.cols / kBlockPx, by = luma.rows / kBlockPx;
  if (bx < 1 || by < 1) return {};
  std::vector<std::pair<float, cv::Rect>> blocks;  // (variance, block)
  blocks.reserve(static_cast<std::size_t>(bx) * by);
  double total = 0, totalSq = 0;
  for (int y = 0; y < by; ++y)
    for (int x = 0; x < bx; ++x) {
      const cv::Rect block(x * kBlockPx, y * kBlockPx, kBlockPx, kBlockPx);
      // Every other row and column: plenty to rank blocks by, at a quarter of the reads.
      std::uint32_t sum = 0, sumSq = 0;
      for (int r = block.y; r < block.y + kBlockPx; r += 2) {
        const unsigned char* p = luma.ptr(r) + block.x;
        for (int c = 0; c < kBlockPx; c += 2) sum += p[c], sumSq += static_cast<std::uint32_t>(p[c]) * p[c];
      }
      constexpr double kSamples = kBlockPx * kBlockPx / 4;
      const double mean = sum / kSamples, meanSq = sumSq / kSamples;
      total += mean;
      totalSq += meanSq;
      blocks.emplace_back(static_cast<float>(meanSq - mean * mean), block);
    }
  // A dark or washed-out photo has the noise of a normal one but a fraction of its contrast. The
  // bands are linear in the pixels, so stretching it to a normal contrast is the same as
  // scaling the energy floor (and the variance's +1) down by the square of the stretch.
  const double n0 = static_cast<double>(blocks.size());
  const double sd = std::sqrt(std::max(0.0, totalSq / n0 - (total / n0) * (total / n0)));
  const double stretch = sd < kNormalContrast ? kNormalContrast / std::max(sd, 1.0) : 1.0;
  const double floorE = kEnergyFloor / (stretch * stretch), varianceFloor = 1.0 / (stretch * stretch);

  const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(blocks.size() * kStructuredShare));
  std::nth_element(blocks.begin(), blocks.begin() + (n - 1), blocks.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<float> bandRatios(n), shares(n);
  for (std::size_t i = 0; i < n; ++i) {
    const BandEnergies e = bandEnergies(luma, blocks[i].second);
    bandRatios[i] = static_cast<float>((e.fine + floorE) / (e.mid + floorE));
    // Less the energy floor: what JPEG and rounding noise alone put there is not detail.
    shares[i] = static_cast<float>(std::max(0.0, e.fine - floorE) / (blocks[i].first + varianceFloor));
  }
  return {median(bandRatios), median(shares)};
}

}  // namespace

double blurScore(const cv::Mat& luma) {
  if (luma.empty()) return -1;
  const BlurTerms t = measure(lumaAtMeasureScale(luma));
  // The band ratio decides near the threshold but stops growing once a blur is a few pixels
  // wide (both bands then hold only the blurred edges and noise). The Laplacian's share of the
  // variance keeps falling as a blur widens, so past that point it takes over and the score keeps
  // rising; it is scaled to reach the default threshold only where no sharp photo of the
  // corpora goes (share < 0.008).
  const double byBands = 1.0 / (1.0 + t.bandRatio / kHalfBlurRatio);
  const double byShare = 1.0 / (1.0 + std::sqrt(std::max(0.0, t.laplaceShare) / kHalfBlurShare));
  return std::max(byBands, byShare);
}

}  // namespace lb::labeling
