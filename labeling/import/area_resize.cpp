#include "labeling/import/area_resize.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>

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

void AreaResizer::resize(const cv::Rect& r, cv::Size d, cv::Mat& dst) {
  if (m_src.type() != CV_8UC1 || otherOpenCvPath(r.size(), d)) {
    cv::resize(m_src(r), dst, d, 0, 0, cv::INTER_AREA);
    return;
  }
  Window& win = window(r.x, r.width, d.width);
  const int dw = d.width;
  // The horizontal pass of one source row: buf[dx] = sum over taps of S[si] * alpha, added in
  // table order from 0 (OpenCV adds into a zeroed buffer: 0 + p == p, so the same floats).
  auto rowSums = [&](int sy) -> const float* {
    float* out = win.sums.data() + static_cast<std::size_t>(sy) * dw;
    if (!win.done[sy]) {
      const unsigned char* s = m_src.ptr<unsigned char>(sy) + win.x;
      const Tap* taps = win.table.taps.data();
      const int* first = win.table.first.data();
      for (int dx = 0; dx < dw; ++dx) {
        float acc = 0.f;
        for (int k = first[dx]; k < first[dx + 1]; ++k) acc += s[taps[k].si] * taps[k].alpha;
        out[dx] = acc;
      }
      win.done[sy] = 1;
    }
    return out;
  };
  thread_local Table yt;
  makeTable(r.height, d.height, yt);
  thread_local std::vector<float> sum;
  sum.resize(static_cast<std::size_t>(dw));
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
    for (int dx = 0; dx < dw; ++dx) out[dx] = cv::saturate_cast<unsigned char>(sum[dx]);
  }
}

void areaResize8u(const cv::Mat& src, cv::Mat& dst, cv::Size dsize) {
  AreaResizer r(src);
  r.resize(cv::Rect(0, 0, src.cols, src.rows), dsize, dst);
}

}  // namespace lb::labeling
