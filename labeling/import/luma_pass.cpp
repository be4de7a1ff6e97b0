#include "labeling/import/luma_pass.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lb::labeling {

namespace {

std::uint32_t spreadScalar(const unsigned char* p, int pixels) {
  std::uint32_t sum = 0;
  for (int x = 0; x < pixels; ++x, p += 3) {
    const int b = p[0], g = p[1], r = p[2];
    sum += static_cast<std::uint32_t>(std::max(std::max(b, g), r) - std::min(std::min(b, g), r));
  }
  return sum;
}

// Sum of max - min over the pixels of one row of `cols` BGR pixels.
std::uint64_t rowSpread(const unsigned char* row, int cols) {
  int x = 0;
  std::uint64_t sum = 0;
#if defined(__SSE2__)
  // Bytes i, i+1, i+2 of a 16-byte block: at every byte where a pixel starts, the max/min of
  // the three is that pixel's max/min; a mask keeps only those bytes (pixel starts fall on
  // every third byte, so the mask repeats every three blocks), and SAD sums them.
  alignas(16) static constexpr auto kMaskBytes = [] {
    std::array<std::array<unsigned char, 16>, 3> m{};
    for (int phase = 0; phase < 3; ++phase)
      for (int i = 0; i < 16; ++i) m[phase][i] = (16 * phase + i) % 3 == 0 ? 0xFF : 0;
    return m;
  }();
  const __m128i masks[3] = {_mm_load_si128(reinterpret_cast<const __m128i*>(kMaskBytes[0].data())),
                            _mm_load_si128(reinterpret_cast<const __m128i*>(kMaskBytes[1].data())),
                            _mm_load_si128(reinterpret_cast<const __m128i*>(kMaskBytes[2].data()))};
  const int bytes = 3 * cols;
  __m128i acc = _mm_setzero_si128();
  int o = 0, phase = 0;
  // A block reads bytes o .. o + 17: stay inside the row.
  for (; o + 18 <= bytes; o += 16, phase = phase == 2 ? 0 : phase + 1) {
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + o));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + o + 1));
    const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + o + 2));
    const __m128i hi = _mm_max_epu8(v0, _mm_max_epu8(v1, v2)), lo = _mm_min_epu8(v0, _mm_min_epu8(v1, v2));
    acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_and_si128(_mm_sub_epi8(hi, lo), masks[phase]), _mm_setzero_si128()));
  }
  alignas(16) std::uint64_t lanes[2];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), acc);
  sum = lanes[0] + lanes[1];
  x = (o + 2) / 3;  // the first pixel not covered: blocks covered pixel starts below o
#endif
  return sum + spreadScalar(row + 3 * x, cols - x);
}

}  // namespace

LumaStats lumaStats(const cv::Mat& bgr, cv::Mat& gray) {
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  LumaStats out;
  // Four histograms, pixel x counted in x % 4: consecutive pixels of one bin no longer wait on
  // each other's increment.
  std::uint32_t hist[4][256] = {};
  for (int y = 0; y < gray.rows; ++y) {
    const unsigned char* g = gray.ptr<unsigned char>(y);
    int x = 0;
    for (; x + 4 <= gray.cols; x += 4) {
      ++hist[0][g[x]];
      ++hist[1][g[x + 1]];
      ++hist[2][g[x + 2]];
      ++hist[3][g[x + 3]];
    }
    for (; x < gray.cols; ++x) ++hist[0][g[x]];
    out.chromaSum += rowSpread(bgr.ptr<unsigned char>(y), bgr.cols);
  }
  for (int i = 0; i < 256; ++i) out.histogram[i] = hist[0][i] + hist[1][i] + hist[2][i] + hist[3][i];
  return out;
}

}  // namespace lb::labeling
