#include "labeling/import/image_signals.h"

#include <openssl/evp.h>

#include <opencv2/core.hpp>
#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace lb::labeling {

namespace {
std::vector<unsigned char> sha256Pixels(const cv::Mat& m) {
  std::vector<unsigned char> out(32);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  const int dims[3] = {m.rows, m.cols, m.channels()};
  EVP_DigestUpdate(ctx, dims, sizeof dims);
  for (int r = 0; r < m.rows; ++r) EVP_DigestUpdate(ctx, m.ptr(r), m.cols * m.elemSize());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

// img_hash::pHash of an image that is already 32x32 gray (its own resize is then a no-op);
// the caller downsizes with INTER_AREA, which aliases less than pHash's own linear resize.
void appendPHash(const cv::Mat& gray32, std::vector<unsigned char>& out) {
  cv::Mat hash;
  cv::img_hash::pHash(gray32, hash);
  out.insert(out.end(), hash.datastart, hash.dataend);
}

cv::Mat area32(const cv::Mat& gray) {
  cv::Mat out;
  cv::resize(gray, out, cv::Size(32, 32), 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat centre(const cv::Mat& gray, double fraction) {
  const int w = std::max(1, static_cast<int>(gray.cols * fraction));
  const int h = std::max(1, static_cast<int>(gray.rows * fraction));
  return gray(cv::Rect((gray.cols - w) / 2, (gray.rows - h) / 2, w, h));
}

// Re-blur measure for one direction: how much of the image's gradient survives a 9-tap box
// blur along that direction. 0 = all of it is lost (the image was sharp), 1 = none (already blurred).
double reblur(const cv::Mat& f, bool vertical) {
  cv::Mat b;
  cv::blur(f, b, vertical ? cv::Size(1, 9) : cv::Size(9, 1), cv::Point(-1, -1), cv::BORDER_REFLECT);
  if (f.rows < 2 || f.cols < 2) return 0.0;
  // Differences to the previous pixel along the direction, over rows 1.. and columns 1.. (the
  // same pixels for both directions). Whole-image OpenCV operations so the work is vectorised:
  // this runs for every imported image.
  const cv::Rect here(1, 1, f.cols - 1, f.rows - 1);
  const cv::Rect prev = vertical ? cv::Rect(1, 0, f.cols - 1, f.rows - 1) : cv::Rect(0, 1, f.cols - 1, f.rows - 1);
  cv::Mat dF, dB, lost;
  cv::absdiff(f(here), f(prev), dF);
  cv::absdiff(b(here), b(prev), dB);
  cv::subtract(dF, dB, lost);
  cv::max(lost, 0.0f, lost);
  const double sumF = cv::sum(dF)[0];
  const double sumV = cv::sum(lost)[0];
  if (sumF < 1e-3 * f.rows * f.cols) return 0.0;
  return (sumF - sumV) / sumF;
}

int percentile(const std::array<double, 256>& hist, double total, double p) {
  double acc = 0;
  for (int i = 0; i < 256; ++i) {
    acc += hist[i];
    if (acc >= p * total) return i;
  }
  return 255;
}
}  // namespace

std::uint64_t pHashToU64(const unsigned char* b) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(b[i]) << (8 * i);
  return v;
}

std::optional<std::array<std::uint64_t, kPHashVariantCount>> parsePHashVariants(const std::vector<unsigned char>& blob) {
  if (blob.size() != 8u * kPHashVariantCount) return std::nullopt;
  std::array<std::uint64_t, kPHashVariantCount> out{};
  for (int i = 0; i < kPHashVariantCount; ++i) out[i] = pHashToU64(blob.data() + 8 * i);
  return out;
}

std::vector<NewItem::Signal> computeImageSignals(const cv::Mat& decoded, int /*fullWidthPx*/, int /*fullHeightPx*/) {
  std::vector<NewItem::Signal> out;
  if (decoded.empty()) return out;
  out.push_back({signal_keys::kPixelHash, 0, sha256Pixels(decoded)});

  cv::Mat bgr = decoded;
  if (decoded.channels() == 1) cv::cvtColor(decoded, bgr, cv::COLOR_GRAY2BGR);
  else if (decoded.channels() == 4) cv::cvtColor(decoded, bgr, cv::COLOR_BGRA2BGR);

  // One fixed analysis scale for everything that depends on resolution.
  const double f = static_cast<double>(kAnalysisLongSidePx) / std::max(bgr.cols, bgr.rows);
  const cv::Size size(std::max(1, static_cast<int>(std::lround(bgr.cols * f))),
                      std::max(1, static_cast<int>(std::lround(bgr.rows * f))));
  cv::Mat small;
  if (size == bgr.size())
    small = bgr;  // the import's DCT-scaled decode is usually already at the analysis size
  else
    cv::resize(bgr, small, size, 0, 0, f < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::Mat gray;
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);

  // Perceptual hashes: the full image, two centre crops (a cropped copy looks like the original's
  // centre) and the 90/180/270 rotations and mirror (hashed from the 32x32 image, which rotates
  // exactly). The legacy single "phash" stays for readers of older signals.
  std::vector<unsigned char> variants;
  const cv::Mat full32 = area32(gray);
  appendPHash(full32, variants);
  appendPHash(area32(centre(gray, 0.8)), variants);
  appendPHash(area32(centre(gray, 0.6)), variants);
  cv::Mat rotated;
  cv::rotate(full32, rotated, cv::ROTATE_90_CLOCKWISE);
  appendPHash(rotated, variants);
  cv::rotate(full32, rotated, cv::ROTATE_180);
  appendPHash(rotated, variants);
  cv::rotate(full32, rotated, cv::ROTATE_90_COUNTERCLOCKWISE);
  appendPHash(rotated, variants);
  cv::flip(full32, rotated, 1);
  appendPHash(rotated, variants);
  out.push_back({signal_keys::kPHash, 0, std::vector<unsigned char>(variants.begin(), variants.begin() + 8)});
  out.push_back({signal_keys::kPHashVariants, 0, std::move(variants)});

  // Blur: re-blur measure, worst of the two directions.
  cv::Mat grayF;
  gray.convertTo(grayF, CV_32F);
  const double blur = std::max(reblur(grayF, true), reblur(grayF, false));
  out.push_back({signal_keys::kBlur, blur, {}});

  // Exposure and information from the luma histogram.
  std::array<double, 256> hist{};
  double sum = 0, sumSq = 0;
  {
    cv::Mat h;
    const int channels[] = {0};
    const int histSize[] = {256};
    const float range[] = {0, 256};
    const float* ranges[] = {range};
    cv::calcHist(&gray, 1, channels, cv::Mat(), h, 1, histSize, ranges);
    for (int i = 0; i < 256; ++i) {
      hist[i] = h.at<float>(i);
      sum += hist[i] * i;
      sumSq += hist[i] * static_cast<double>(i) * i;
    }
  }
  const double n = static_cast<double>(gray.total());
  const double mean = sum / n;
  double entropy = 0, clipDark = 0, clipBright = 0;
  for (int i = 0; i < 256; ++i) {
    if (hist[i] > 0) entropy -= hist[i] / n * std::log2(hist[i] / n);
    if (i <= 8) clipDark += hist[i];
    if (i >= 247) clipBright += hist[i];
  }
  out.push_back({signal_keys::kMeanLuma, mean, {}});
  out.push_back({signal_keys::kLumaP05, static_cast<double>(percentile(hist, n, 0.05)), {}});
  out.push_back({signal_keys::kLumaP50, static_cast<double>(percentile(hist, n, 0.50)), {}});
  out.push_back({signal_keys::kLumaP95, static_cast<double>(percentile(hist, n, 0.95)), {}});
  out.push_back({signal_keys::kClipDark, clipDark / n, {}});
  out.push_back({signal_keys::kClipBright, clipBright / n, {}});
  out.push_back({signal_keys::kLumaStd, std::sqrt(std::max(0.0, sumSq / n - mean * mean)), {}});
  out.push_back({signal_keys::kLumaEntropy, entropy, {}});

  // Colour: mean spread between the channels; ~0 for grayscale photos stored as colour.
  cv::Mat channels[3], hi, lo;
  cv::split(small, channels);
  cv::max(channels[0], channels[1], hi);
  cv::max(hi, channels[2], hi);
  cv::min(channels[0], channels[1], lo);
  cv::min(lo, channels[2], lo);
  cv::subtract(hi, lo, hi);
  const double chroma = cv::sum(hi)[0];
  out.push_back({signal_keys::kChroma, chroma / static_cast<double>(small.total()), {}});
  return out;
}

}  // namespace lb::labeling
