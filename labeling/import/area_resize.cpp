#include "labeling/import/area_resize.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lb::labeling {

namespace {

// cvCeil / cvFloor of OpenCV's table code (positive inputs only here).
int ceilOf(double v) {
  const int i = static_cast<int>(v);
  return i + (i < v);
}
int floorOf(double v) {
  const int i = static_cast<int>(v);
  return i - (i > v);
}

// OpenCV's scale for a size pair: 1 / (dst / src), in double, as cv::resize computes it.
double scaleOf(int srcSize, int dstSize) { return 1. / (static_cast<double>(dstSize) / srcSize); }

// True when cv::resize does not take its general INTER_AREA path for this size pair: enlarging
// (its bilinear emulation) or an integer factor on both axes (its "fast area" path).
bool otherOpenCvPath(cv::Size s, cv::Size d) {
  const double sx = scaleOf(s.width, d.width), sy = scaleOf(s.height, d.height);
  if (sx < 1 || sy < 1) return true;
  return std::abs(sx - cvRound(sx)) < DBL_EPSILON && std::abs(sy - cvRound(sy)) < DBL_EPSILON;
}

}  // namespace

AreaResizer::AreaResizer(const cv::Mat& src) : m_src(src) {}

// computeResizeAreaTab (imgproc/resize.cpp) for one channel, the same double arithmetic and the
// same float weights; taps come out grouped by destination index in OpenCV's order.
void AreaResizer::makeTable(int ssize, int dsize, Table& t) {
  const double scale = scaleOf(ssize, dsize);
  t.taps.clear();
  t.first.assign(static_cast<std::size_t>(dsize) + 1, 0);
  for (int dx = 0; dx < dsize; ++dx) {
    t.first[dx] = static_cast<int>(t.taps.size());
    const double fsx1 = dx * scale;
    const double fsx2 = fsx1 + scale;
    const double cellWidth = std::min(scale, ssize - fsx1);
    int sx1 = ceilOf(fsx1), sx2 = floorOf(fsx2);
    sx2 = std::min(sx2, ssize - 1);
    sx1 = std::min(sx1, sx2);
    if (sx1 - fsx1 > 1e-3) t.taps.push_back({sx1 - 1, static_cast<float>((sx1 - fsx1) / cellWidth)});
    for (int sx = sx1; sx < sx2; ++sx) t.taps.push_back({sx, static_cast<float>(1.0 / cellWidth)});
    if (fsx2 - sx2 > 1e-3)
      t.taps.push_back({sx2, static_cast<float>(std::min(std::min(fsx2 - sx2, 1.), cellWidth) / cellWidth)});
  }
  t.first[dsize] = static_cast<int>(t.taps.size());
}

AreaResizer::Window& AreaResizer::window(int x, int w, int dw) {
  for (auto& win : m_windows)
    if (win.x == x && win.w == w && win.dw == dw) return win;
  Window& win = m_windows.emplace_back();
  win.x = x;
  win.w = w;
  win.dw = dw;
  makeTable(w, dw, win.table);
  win.sums.resize(static_cast<std::size_t>(m_src.rows) * dw);
  win.done.assign(static_cast<std::size_t>(m_src.rows), 0);
  return win;
}

void AreaResizer::sumRows(Window& win, int firstRow) {
  const int rows = std::min(4, m_src.rows - firstRow);
  const int dw = win.dw;
  const Tap* taps = win.table.taps.data();
  const int* first = win.table.first.data();
#if defined(__SSE2__)
  // The window's columns of the four rows as float quads (exact: bytes are small integers).
  thread_local std::vector<float> quads;
  quads.resize(static_cast<std::size_t>(win.w) * 4);
  const unsigned char* src[4];
  for (int i = 0; i < 4; ++i) src[i] = m_src.ptr<unsigned char>(firstRow + std::min(i, rows - 1)) + win.x;
  for (int c = 0; c < win.w; ++c)
    for (int i = 0; i < 4; ++i) quads[4 * c + i] = src[i][c];
  alignas(16) float lanes[4];
  for (int dx = 0; dx < dw; ++dx) {
    __m128 acc = _mm_setzero_ps();
    for (int k = first[dx]; k < first[dx + 1]; ++k)
      acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(&quads[4 * static_cast<std::size_t>(taps[k].si)]), _mm_set1_ps(taps[k].alpha)));
    _mm_store_ps(lanes, acc);
    for (int i = 0; i < rows; ++i) win.sums[static_cast<std::size_t>(firstRow + i) * dw + dx] = lanes[i];
  }
#else
  for (int i = 0; i < rows; ++i) {
    const unsigned char* s = m_src.ptr<unsigned char>(firstRow + i) + win.x;
    for (int dx = 0; dx < dw; ++dx) {
      float acc = 0.f;
      for (int k = first[dx]; k < first[dx + 1]; ++k) acc += s[taps[k].si] * taps[k].alpha;
      win.sums[static_cast<std::size_t>(firstRow + i) * dw + dx] = acc;
    }
  }
#endif
  for (int i = 0; i < rows; ++i) win.done[firstRow + i] = 1;
}

void AreaResizer::resize(const cv::Rect& r, cv::Size d, cv::Mat& dst) {
  if (m_src.type() != CV_8UC1 || otherOpenCvPath(r.size(), d)) {
    cv::resize(m_src(r), dst, d, 0, 0, cv::INTER_AREA);
    return;
  }
  Window& win = window(r.x, r.width, d.width);
  const int dw = d.width;
  // The horizontal pass of one source row: buf[dx] = sum over taps of S[si] * alpha, added in
  // table order from 0 (OpenCV adds into a zeroed buffer: 0 + p == p, so the same floats).
  // Rows are done four at a time, one per SSE lane: each lane does exactly the scalar
  // operations (a float product, then a float sum; SSE2 has no fused multiply-add).
  auto rowSums = [&](int sy) -> const float* {
    if (!win.done[sy]) sumRows(win, sy - sy % 4);
    return win.sums.data() + static_cast<std::size_t>(sy) * dw;
  };
  Table& yt = m_rowTable;
  makeTable(r.height, d.height, yt);
  m_sum.resize(static_cast<std::size_t>(dw));
  float* sum = m_sum.data();
  dst.create(d, CV_8UC1);
  for (int dy = 0; dy < d.height; ++dy) {
    // The vertical pass: sum = beta0 * buf0 + beta1 * buf1 + ..., then cvRound and saturate.
    for (int j = yt.first[dy]; j < yt.first[dy + 1]; ++j) {
      const float beta = yt.taps[j].alpha;
      const float* b = rowSums(r.y + yt.taps[j].si);
      if (j == yt.first[dy])
        for (int dx = 0; dx < dw; ++dx) sum[dx] = beta * b[dx];
      else
        for (int dx = 0; dx < dw; ++dx) sum[dx] += beta * b[dx];
    }
    unsigned char* out = dst.ptr<unsigned char>(dy);
    int dx = 0;
#if defined(__SSE2__)
    // cvRound is the SSE conversion (round to nearest even) and saturate_cast<uchar> of an int
    // clamps to 0..255: the saturating packs do the same, four/eight at a time.
    for (; dx + 8 <= dw; dx += 8) {
      const __m128i lo = _mm_cvtps_epi32(_mm_loadu_ps(sum + dx)), hi = _mm_cvtps_epi32(_mm_loadu_ps(sum + dx + 4));
      const __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(lo, hi), _mm_setzero_si128());
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out + dx), bytes);
    }
#endif
    for (; dx < dw; ++dx) out[dx] = cv::saturate_cast<unsigned char>(sum[dx]);
  }
}

void areaResize8u(const cv::Mat& src, cv::Mat& dst, cv::Size dsize) {
  AreaResizer r(src);
  r.resize(cv::Rect(0, 0, src.cols, src.rows), dsize, dst);
}

}  // namespace lb::labeling
