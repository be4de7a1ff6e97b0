#include "labeling/assist/region_shape.h"

#include <opencv2/imgproc.hpp>

#include "labeling/mask_rle.h"

namespace lb::labeling::assist {

std::vector<double> largestRegionPolygon(const cv::Mat& mask, cv::Point2d origin, double scale,
                                         double tolerance_px) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  if (contours.empty()) return {};
  std::size_t best = 0;
  double bestArea = -1;
  for (std::size_t i = 0; i < contours.size(); ++i) {
    const double area = cv::contourArea(contours[i]);
    if (area > bestArea) {
      bestArea = area;
      best = i;
    }
  }
  std::vector<cv::Point> simplified;
  cv::approxPolyDP(contours[best], simplified, std::max(0.25, tolerance_px / scale), true);
  if (simplified.size() < 3) return {};
  std::vector<double> coords;
  coords.reserve(simplified.size() * 2);
  // Contour points are pixel indices; +0.5 puts each vertex on the pixel's centre in the
  // model's continuous coordinates, which keeps the polygon's area faithful to the region.
  for (const auto& p : simplified) {
    coords.push_back(origin.x + (p.x + 0.5) * scale);
    coords.push_back(origin.y + (p.y + 0.5) * scale);
  }
  return coords;
}

Result<Annotation> regionToAnnotation(const cv::Mat& mask, cv::Point origin, ShapeOutput output,
                                      double tolerance_px, const std::string& what) {
  if (cv::countNonZero(mask) == 0)
    return makeError(ErrorCode::BadInput, what + " found no region; try another box or click");
  if (output == ShapeOutput::Mask) return makeMaskAnnotation(mask, origin);
  Annotation a;
  a.kind = AnnotationKind::Polygon;
  a.coords = largestRegionPolygon(mask, cv::Point2d(origin), 1.0, tolerance_px);
  if (a.coords.empty())
    return makeError(ErrorCode::BadInput, what + " found only a region too thin for a polygon");
  return a;
}

}  // namespace lb::labeling::assist
