#pragma once
// Synthetic images whose right answer is known, and overlap measures, for the assist tests.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

namespace lb::test {

// Colour noise around a mid grey: a background GrabCut cannot mistake for the object.
inline cv::Mat noiseImage(cv::Size size, unsigned seed = 7) {
  cv::RNG rng(seed);
  cv::Mat img(size, CV_8UC3);
  rng.fill(img, cv::RNG::NORMAL, cv::Scalar(110, 110, 110), cv::Scalar(30, 30, 30));
  return img;
}

inline cv::Mat polygonMask(cv::Size size, const std::vector<double>& coords) {
  std::vector<cv::Point> pts;
  for (std::size_t i = 0; i + 1 < coords.size(); i += 2)
    pts.emplace_back(int(std::lround(coords[i])), int(std::lround(coords[i + 1])));
  cv::Mat m(size, CV_8UC1, cv::Scalar(0));
  if (!pts.empty()) cv::fillPoly(m, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255));
  return m;
}

inline double iou(const cv::Mat& a, const cv::Mat& b) {
  const double inter = cv::countNonZero(a & b);
  const double uni = cv::countNonZero(a | b);
  return uni > 0 ? inter / uni : 0;
}

}  // namespace lb::test
