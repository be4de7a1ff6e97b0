#pragma once
// One look at an 8-bit BGR image for the import's signals: its luma (cv::cvtColor's pixels),
// the luma histogram and the summed per-pixel spread max(B,G,R) - min(B,G,R).
//
// Why not OpenCV for all of it: the histogram and the spread took five more passes (calcHist,
// split, max, min, sum), and a scalar loop for them stalls on the histogram when neighbouring
// pixels share a bin and on the per-pixel max/min. Here the histogram counts into four tables
// added at the end, and the spread is taken 16 bytes at a time (SSE2). Pure; thread-safe.
#include <opencv2/core/mat.hpp>

#include <array>
#include <cstdint>

namespace lb::labeling {

struct LumaStats {
  std::array<std::uint32_t, 256> histogram{};
  std::uint64_t chromaSum = 0;  // sum over pixels of max(B,G,R) - min(B,G,R)
};

// `bgr`: CV_8UC3. `gray` receives cv::cvtColor(bgr, COLOR_BGR2GRAY).
LumaStats lumaStats(const cv::Mat& bgr, cv::Mat& gray);

}  // namespace lb::labeling
