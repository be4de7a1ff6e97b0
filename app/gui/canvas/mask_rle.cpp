#include "mask_rle.h"

#include "labeling/mask_rle.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace lb::app {

cv::Mat maskPixels(const labeling::Annotation& a) {
  auto region = labeling::maskFromAnnotation(a);
  return region ? region->mask : cv::Mat();
}

bool paintStroke(labeling::Annotation& a, const std::vector<cv::Point2d>& points, double radius_px, bool erase,
                 int imageW, int imageH) {
  cv::Mat old = maskPixels(a);
  int l = 0, t = 0;
  if (!old.empty()) {
    l = static_cast<int>(std::lround(a.coords[0]));
    t = static_cast<int>(std::lround(a.coords[1]));
  }
  // Working area: the old box united with the stroke's box, clipped to the image.
  double x0 = old.empty() ? 1e18 : l, y0 = old.empty() ? 1e18 : t;
  double x1 = old.empty() ? -1e18 : l + old.cols, y1 = old.empty() ? -1e18 : t + old.rows;
  for (const auto& p : points) {
    x0 = std::min(x0, p.x - radius_px);
    y0 = std::min(y0, p.y - radius_px);
    x1 = std::max(x1, p.x + radius_px + 1);
    y1 = std::max(y1, p.y + radius_px + 1);
  }
  const int ax = std::max(0, static_cast<int>(std::floor(x0))), ay = std::max(0, static_cast<int>(std::floor(y0)));
  const int bx = std::min(imageW, static_cast<int>(std::ceil(x1))), by = std::min(imageH, static_cast<int>(std::ceil(y1)));
  if (bx <= ax || by <= ay) return false;
  cv::Mat work(by - ay, bx - ax, CV_8U, cv::Scalar(0));
  if (!old.empty()) {
    const cv::Rect src(0, 0, old.cols, old.rows);
    const cv::Rect dst(l - ax, t - ay, old.cols, old.rows);
    const cv::Rect clip = dst & cv::Rect(0, 0, work.cols, work.rows);
    if (clip.area() > 0) old(cv::Rect(clip.x - dst.x, clip.y - dst.y, clip.width, clip.height)).copyTo(work(clip));
    (void)src;
  }
  const int r = std::max(1, static_cast<int>(std::lround(radius_px)));
  const cv::Scalar value(erase ? 0 : 255);
  for (size_t i = 0; i < points.size(); ++i) {
    const cv::Point p(static_cast<int>(std::lround(points[i].x)) - ax, static_cast<int>(std::lround(points[i].y)) - ay);
    if (i > 0) {
      const cv::Point q(static_cast<int>(std::lround(points[i - 1].x)) - ax,
                        static_cast<int>(std::lround(points[i - 1].y)) - ay);
      cv::line(work, q, p, value, 2 * r, cv::LINE_8);
    }
    cv::circle(work, p, r, value, cv::FILLED, cv::LINE_8);
  }
  const cv::Rect tight = cv::boundingRect(work);
  if (tight.area() == 0) return false;
  const cv::Mat cut = work(tight);
  a.kind = labeling::AnnotationKind::Mask;
  a.coords = {static_cast<double>(ax + tight.x), static_cast<double>(ay + tight.y), static_cast<double>(tight.width),
              static_cast<double>(tight.height)};
  nlohmann::json d = nlohmann::json::parse(a.dataJson, nullptr, false);
  if (d.is_discarded() || !d.is_object()) d = nlohmann::json::object();
  d["rle"] = labeling::encodeMaskRle(cut);
  a.dataJson = d.dump();
  return true;
}

}  // namespace lb::app
