#include "labeling/assist/enhance.h"

#include <opencv2/imgproc.hpp>

namespace lb::labeling::assist {

cv::Mat enhanceForDisplay(const cv::Mat& image, const EnhanceOptions& options) {
  if (image.empty()) return {};
  auto clahe = cv::createCLAHE(options.clipLimit, cv::Size(options.tiles, options.tiles));
  cv::Mat out;
  if (image.channels() == 1) {
    clahe->apply(image, out);
    return out;
  }
  // Only lightness changes, so colours keep their hue and the labels stay comparable.
  cv::Mat lab;
  cv::cvtColor(image, lab, cv::COLOR_BGR2Lab);
  std::vector<cv::Mat> planes;
  cv::split(lab, planes);
  clahe->apply(planes[0], planes[0]);
  cv::merge(planes, lab);
  cv::cvtColor(lab, out, cv::COLOR_Lab2BGR);
  return out;
}

}  // namespace lb::labeling::assist
