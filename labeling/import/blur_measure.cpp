#include "labeling/import/blur_measure.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

namespace lb::labeling {

namespace {
// Median over 16 px blocks of fine-band energy / coarse-band energy (see signal_keys::kBlur).
double bandRatio(const cv::Mat& f) {
  cv::Mat coarse, fine, mid;
  cv::GaussianBlur(f, coarse, cv::Size(0, 0), 2.0, 2.0, cv::BORDER_REFLECT);
  cv::Laplacian(f, fine, CV_32F);
  cv::Laplacian(coarse, mid, CV_32F);
  const int bx = f.cols / 16, by = f.rows / 16;
  if (bx < 1 || by < 1) return 0.0;
  cv::Mat e1, e2;
  const cv::Rect area(0, 0, bx * 16, by * 16);
  // Block means of the squared responses: INTER_AREA on an exact 16x reduction is a box mean.
  cv::resize(fine(area).mul(fine(area)), e1, cv::Size(bx, by), 0, 0, cv::INTER_AREA);
  cv::resize(mid(area).mul(mid(area)), e2, cv::Size(bx, by), 0, 0, cv::INTER_AREA);
  std::vector<float> r(static_cast<std::size_t>(bx) * by);
  for (int y = 0, k = 0; y < by; ++y)
    for (int x = 0; x < bx; ++x, ++k) r[k] = e1.at<float>(y, x) / (e2.at<float>(y, x) + 0.1f);
  std::nth_element(r.begin(), r.begin() + r.size() / 2, r.end());
  return r[r.size() / 2];
}

}  // namespace

double blurScore(const cv::Mat& grayF) { return 1.0 / (1.0 + bandRatio(grayF) / 16.0); }

}  // namespace lb::labeling
