#include "labeling/import/image_signals.h"

#include "labeling/import/area_resize.h"
#include "labeling/import/blur_measure.h"
#include "labeling/import/luma_pass.h"

#include <openssl/evp.h>

#include <immintrin.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

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

cv::Rect centre(const cv::Mat& gray, double fraction) {
  const int w = std::max(1, static_cast<int>(gray.cols * fraction));
  const int h = std::max(1, static_cast<int>(gray.rows * fraction));
  return cv::Rect((gray.cols - w) / 2, (gray.rows - h) / 2, w, h);
}

// A 32x32 view -> its two hashes (see DupViewHash), from one DCT. The PHash bits are
// img_hash::pHash's own rule (8x8 lowest coefficients, DC zeroed, compared with their mean) on
// the same cv::dct it runs; tests/clean asserts they equal cv::img_hash::pHash bit for bit.
DupViewHash hashViewOpenCV(const cv::Mat& view32) {
  DupViewHash h;
  cv::Mat f, d;
  view32.convertTo(f, CV_32F);
  cv::dct(f, d);
  float low[64];
  double sum = 0;
  for (int y = 0, k = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x, ++k) {
      low[k] = k == 0 ? 0.f : d.at<float>(y, x);
      sum += low[k];
    }
  const auto mean = static_cast<float>(sum / 64);
  // img_hash packs comparison k into bit k % 8 of byte k / 8, i.e. bit k of pHashToU64.
  for (int k = 0; k < 64; ++k)
    if (low[k] > mean) h.phash |= 1ull << k;
  std::array<float, 192> band;
  int k = 0;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x)
      if (y >= 8 || x >= 8) band[k++] = d.at<float>(y, x);
  std::array<float, 192> sorted = band;
  std::nth_element(sorted.begin(), sorted.begin() + 96, sorted.end());
  const float median = sorted[96];
  for (int i = 0; i < 192; ++i)
    if (band[i] > median) h.band[i / 64] |= 1ull << (i % 64);
  return h;
}

// The same hashes from the 16x16 lowest coefficients only, computed in double (even/odd
// halves of the orthonormal DCT-II basis: 12k multiply-adds instead of a full float DCT and
// its set-up). cv::dct's float result is within 1e-3 of the exact one (measured over the corpus
// views: max 0.00098, at the DC term); a comparison whose two sides are closer than
// 2 * kTieMargin could go either way there, so such a view is hashed by hashViewOpenCV. Every
// other comparison has the same outcome as on cv::dct's values, so the bits are the same.
constexpr double kTieMargin = 0.01;

// The 16 lowest basis rows split by parity, laid out so the inner loops run over contiguous
// outputs: even[j][k] = C[2k][j], odd[j][k] = C[2k + 1][j], C[u][j] = alpha(u) cos(pi (2j + 1) u / 64)
// for j < 16 (the other half of each row mirrors with the parity's sign).
struct DctBasis {
  alignas(32) double even[16][8];
  alignas(32) double odd[16][8];
  DctBasis() {
    for (int u = 0; u < 16; ++u)
      for (int j = 0; j < 16; ++j) {
        const double c = (u == 0 ? std::sqrt(1.0 / 32) : std::sqrt(2.0 / 32)) * std::cos(CV_PI * (2 * j + 1) * u / 64.0);
        (u % 2 ? odd : even)[j][u / 2] = c;
      }
  }
};

// d[v][w] = the coefficient at row frequency v, column frequency u, where w lists the column
// frequencies as 0, 2, .., 14, 1, 3, .., 15. Rows first: t[r][w] from each row's mirrored sums
// (even u) and differences (odd u); then the same on t's columns.
void lowDctPortable(const cv::Mat& view32, const DctBasis& b, double (*d)[16]) {
  double t[32][16];
  for (int r = 0; r < 32; ++r) {
    const unsigned char* x = view32.ptr<unsigned char>(r);
    double acc[16] = {};
    for (int j = 0; j < 16; ++j) {
      const double sum = x[j] + x[31 - j], diff = x[j] - x[31 - j];
      for (int k = 0; k < 8; ++k) acc[k] += b.even[j][k] * sum;
      for (int k = 0; k < 8; ++k) acc[8 + k] += b.odd[j][k] * diff;
    }
    std::copy(acc, acc + 16, t[r]);
  }
  for (int k = 0; k < 8; ++k) {
    double even[16] = {}, odd[16] = {};
    for (int j = 0; j < 16; ++j)
      for (int w = 0; w < 16; ++w) {
        even[w] += b.even[j][k] * (t[j][w] + t[31 - j][w]);
        odd[w] += b.odd[j][k] * (t[j][w] - t[31 - j][w]);
      }
    std::copy(even, even + 16, d[2 * k]);
    std::copy(odd, odd + 16, d[2 * k + 1]);
  }
}

// The same with AVX + FMA where the CPU has them (written with intrinsics: left to itself the
// compiler unrolls the fixed-size loops into a slower shuffle-heavy form). Its rounding differs
// from the portable build's, which the margin allows for.
__attribute__((target("avx,fma"))) void lowDctFma(const cv::Mat& view32, const DctBasis& b, double (*d)[16]) {
  alignas(32) double t[32][16];
  for (int r = 0; r < 32; ++r) {
    const unsigned char* x = view32.ptr<unsigned char>(r);
    __m256d e0 = _mm256_setzero_pd(), e1 = e0, o0 = e0, o1 = e0;
    for (int j = 0; j < 16; ++j) {
      const __m256d sum = _mm256_set1_pd(x[j] + x[31 - j]), diff = _mm256_set1_pd(x[j] - x[31 - j]);
      e0 = _mm256_fmadd_pd(_mm256_load_pd(b.even[j]), sum, e0);
      e1 = _mm256_fmadd_pd(_mm256_load_pd(b.even[j] + 4), sum, e1);
      o0 = _mm256_fmadd_pd(_mm256_load_pd(b.odd[j]), diff, o0);
      o1 = _mm256_fmadd_pd(_mm256_load_pd(b.odd[j] + 4), diff, o1);
    }
    _mm256_store_pd(t[r], e0);
    _mm256_store_pd(t[r] + 4, e1);
    _mm256_store_pd(t[r] + 8, o0);
    _mm256_store_pd(t[r] + 12, o1);
  }
  alignas(32) double sums[16][16], diffs[16][16];
  for (int j = 0; j < 16; ++j)
    for (int w = 0; w < 16; w += 4) {
      const __m256d top = _mm256_load_pd(t[j] + w), bottom = _mm256_load_pd(t[31 - j] + w);
      _mm256_store_pd(sums[j] + w, _mm256_add_pd(top, bottom));
      _mm256_store_pd(diffs[j] + w, _mm256_sub_pd(top, bottom));
    }
  for (int k = 0; k < 8; ++k) {
    __m256d e[4], o[4];
    for (int i = 0; i < 4; ++i) e[i] = o[i] = _mm256_setzero_pd();
    for (int j = 0; j < 16; ++j) {
      const __m256d ce = _mm256_set1_pd(b.even[j][k]), co = _mm256_set1_pd(b.odd[j][k]);
      for (int i = 0; i < 4; ++i) {
        e[i] = _mm256_fmadd_pd(ce, _mm256_load_pd(sums[j] + 4 * i), e[i]);
        o[i] = _mm256_fmadd_pd(co, _mm256_load_pd(diffs[j] + 4 * i), o[i]);
      }
    }
    for (int i = 0; i < 4; ++i) {
      _mm256_storeu_pd(d[2 * k] + 4 * i, e[i]);
      _mm256_storeu_pd(d[2 * k + 1] + 4 * i, o[i]);
    }
  }
}

void lowDct(const cv::Mat& view32, const DctBasis& b, double (*d)[16]) {
  static const bool fma = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
  if (fma) lowDctFma(view32, b, d);
  else lowDctPortable(view32, b, d);
}

bool hashViewFast(const cv::Mat& view32, DupViewHash& h) {
  static const DctBasis basis;
  alignas(32) double dw[16][16];
  lowDct(view32, basis, dw);
  // Back to natural column order.
  double d[16][16];
  for (int v = 0; v < 16; ++v)
    for (int u = 0; u < 16; ++u) d[v][u] = dw[v][u % 2 ? 8 + u / 2 : u / 2];
  double low[64], total = 0;
  for (int k = 0; k < 64; ++k) {
    low[k] = k == 0 ? 0.0 : d[k / 8][k % 8];
    total += low[k];
  }
  const double mean = total / 64;
  std::uint64_t phash = 0;
  for (int k = 0; k < 64; ++k) {
    if (std::abs(low[k] - mean) <= 2 * kTieMargin) return false;
    if (low[k] > mean) phash |= 1ull << k;
  }
  std::array<double, 192> band;
  int k = 0;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x)
      if (y >= 8 || x >= 8) band[k++] = d[y][x];
  std::array<double, 192> sorted = band;
  std::nth_element(sorted.begin(), sorted.begin() + 96, sorted.end());
  const double median = sorted[96];
  // The 96 values above the median must clear it by the margin on both sides of the split.
  const double above = *std::min_element(sorted.begin() + 97, sorted.end());
  if (above - median <= 2 * kTieMargin) return false;
  h = {};
  h.phash = phash;
  for (int i = 0; i < 192; ++i)
    if (band[i] > median) h.band[i / 64] |= 1ull << (i % 64);
  return true;
}

DupViewHash hashView(const cv::Mat& view32) {
  DupViewHash h;
  if (view32.type() == CV_8UC1 && view32.rows == 32 && view32.cols == 32 && hashViewFast(view32, h)) return h;
  return hashViewOpenCV(view32);
}

// Rotation by `deg` about the centre, zoomed just enough that no empty corner shows (what a
// photo editor's straighten tool does).
cv::Mat straighten(const cv::Mat& g, double deg) {
  const double rad = std::abs(deg) * CV_PI / 180;
  const double zoom = std::cos(rad) + std::sin(rad) * std::max(g.cols, g.rows) / std::min(g.cols, g.rows);
  const cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(g.cols / 2.0f, g.rows / 2.0f), deg, zoom);
  cv::Mat out;
  cv::warpAffine(g, out, m, g.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  return out;
}

std::vector<DupViewHash> dupViews(const cv::Mat& gray) {
  // Views are cut from a 128 px copy: every view ends as 32x32, so more pixels buy nothing.
  // Every 32x32 view is INTER_AREA (img_hash's pHash then skips its own resize, a no-op at
  // 32x32, and area averaging aliases less than its linear resize), through AreaResizer: the
  // same pixels as cv::resize, and the crops of one column window share their row sums.
  const cv::Size k32(32, 32);
  const double f = 128.0 / std::max(gray.cols, gray.rows);
  cv::Mat base = gray;
  if (f < 1) areaResize8u(gray, base, cv::Size(std::max(1, static_cast<int>(gray.cols * f + 0.5)), std::max(1, static_cast<int>(gray.rows * f + 0.5))));
  AreaResizer views(base);
  std::vector<DupViewHash> out;
  out.reserve(kDupViewCount);
  cv::Mat full32, view;
  views.resize(cv::Rect(0, 0, base.cols, base.rows), k32, full32);
  out.push_back(hashView(full32));
  views.resize(centre(base, 0.8), k32, view);
  out.push_back(hashView(view));
  views.resize(centre(base, 0.6), k32, view);
  out.push_back(hashView(view));
  for (auto code : {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE}) {
    cv::rotate(full32, view, code);
    out.push_back(hashView(view));
  }
  cv::flip(full32, view, 1);
  out.push_back(hashView(view));
  for (double deg : {-8.0, -4.0, 4.0, 8.0}) {
    areaResize8u(straighten(base, deg), view, k32);
    out.push_back(hashView(view));
  }
  for (double frac : {0.95, 0.9, 0.85, 0.8})
    for (int oy = -1; oy <= 1; ++oy)
      for (int ox = -1; ox <= 1; ++ox) {
        if (frac == 0.8 && ox == 0 && oy == 0) continue;  // that is Centre80
        const int w = std::max(1, static_cast<int>(base.cols * frac)), h = std::max(1, static_cast<int>(base.rows * frac));
        const int x = (base.cols - w) / 2 + ox * ((base.cols - w) / 2), y = (base.rows - h) / 2 + oy * ((base.rows - h) / 2);
        views.resize(cv::Rect(x, y, w, h), k32, view);
        out.push_back(hashView(view));
      }
  return out;
}

void putU64(std::vector<unsigned char>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}
void putF32(std::vector<unsigned char>& out, float v) {
  unsigned char b[4];
  std::memcpy(b, &v, 4);
  out.insert(out.end(), b, b + 4);
}
float getF32(const unsigned char* p) {
  float v;
  std::memcpy(&v, p, 4);
  return v;
}

// The analysis image's luma (cvtColor's pixels), histogram and colour spread, from
// luma_pass (one cvtColor plus one pass instead of six OpenCV passes). Returns the spread sum.
double lumaPass(const cv::Mat& bgr, cv::Mat& gray, std::array<double, 256>& histOut) {
  const LumaStats stats = lumaStats(bgr, gray);
  for (int i = 0; i < 256; ++i) histOut[i] = stats.histogram[i];
  return static_cast<double>(stats.chromaSum);
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

DupViewHash hashDupView(const cv::Mat& gray32) { return hashView(gray32); }
cv::Mat bgrToGray(const cv::Mat& bgr) {
  cv::Mat gray;
  std::array<double, 256> hist{};
  lumaPass(bgr, gray, hist);
  return gray;
}
std::vector<DupViewHash> computeDupViews(const cv::Mat& gray) { return dupViews(gray); }

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

// Layout: version, view count, 2 reserved bytes, 5 float32 (blur, p05, p95, entropy, chroma),
// 32 bytes pixel hash, then per view 8 bytes PHash + 24 bytes band, integers little-endian.
std::vector<unsigned char> serializeCleanPack(const CleanPack& p) {
  std::vector<unsigned char> out{kCleanPackVersion, static_cast<unsigned char>(p.views.size()), 0, 0};
  out.reserve(4 + 20 + 32 + 32 * p.views.size());
  for (float v : {p.blur, p.lumaP05, p.lumaP95, p.entropy, p.chroma}) putF32(out, v);
  out.insert(out.end(), p.pixelHash.begin(), p.pixelHash.end());
  for (const auto& v : p.views) {
    putU64(out, v.phash);
    for (auto w : v.band) putU64(out, w);
  }
  return out;
}

std::optional<CleanPack> parseCleanPack(const unsigned char* d, std::size_t size) {
  if (size < 56 || d[0] != kCleanPackVersion || size != 56 + 32u * d[1]) return std::nullopt;
  CleanPack p;
  p.blur = getF32(d + 4);
  p.lumaP05 = getF32(d + 8);
  p.lumaP95 = getF32(d + 12);
  p.entropy = getF32(d + 16);
  p.chroma = getF32(d + 20);
  std::memcpy(p.pixelHash.data(), d + 24, 32);
  p.views.resize(d[1]);
  const unsigned char* v = d + 56;
  for (auto& view : p.views) {
    view.phash = pHashToU64(v);
    for (int w = 0; w < 3; ++w) view.band[w] = pHashToU64(v + 8 + 8 * w);
    v += 32;
  }
  return p;
}

std::vector<NewItem::Signal> computeImageSignals(const cv::Mat& decoded, int /*fullWidthPx*/, int /*fullHeightPx*/,
                                                 const cv::Mat& blurLuma) {
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
  // One pass over the analysis image: luma (cvtColor's exact fixed-point rule), the luma
  // histogram and the colour spread (see lumaPass).
  cv::Mat gray;
  std::array<double, 256> hist{};
  const double chromaSum = lumaPass(small, gray, hist);

  // Near-duplicate views; the legacy single "phash" (the full view) stays for its readers.
  CleanPack pack;
  pack.views = dupViews(gray);
  {
    std::vector<unsigned char> legacy;
    putU64(legacy, pack.views.front().phash);
    out.push_back({signal_keys::kPHash, 0, std::move(legacy)});
  }
  const auto& pixels = out.front().blob;
  std::copy(pixels.begin(), pixels.end(), pack.pixelHash.begin());

  cv::Mat decodedLuma;
  if (blurLuma.empty()) {
    if (bgr.size() == small.size()) decodedLuma = gray;
    else cv::cvtColor(bgr, decodedLuma, cv::COLOR_BGR2GRAY);
  }
  const double blur = blurScore(blurLuma.empty() ? decodedLuma : blurLuma);
  out.push_back({signal_keys::kBlur, blur, {}});

  // Exposure and information from the luma histogram.
  double sum = 0, sumSq = 0;
  for (int i = 0; i < 256; ++i) {
    sum += hist[i] * i;
    sumSq += hist[i] * static_cast<double>(i) * i;
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
  const double chroma = chromaSum;
  out.push_back({signal_keys::kChroma, chroma / static_cast<double>(small.total()), {}});

  pack.blur = static_cast<float>(blur);
  pack.lumaP05 = static_cast<float>(percentile(hist, n, 0.05));
  pack.lumaP95 = static_cast<float>(percentile(hist, n, 0.95));
  pack.entropy = static_cast<float>(entropy);
  pack.chroma = static_cast<float>(chroma / static_cast<double>(small.total()));
  out.push_back({signal_keys::kCleanPack, 0, serializeCleanPack(pack)});
  return out;
}

}  // namespace lb::labeling
