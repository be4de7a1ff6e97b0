#pragma once
// Turning a found region (a CV_8U mask) into the annotation the annotator asked for: the largest
// outer contour simplified to a polygon, or a tight RLE mask. Shared by GrabCut and magic wand.
#include <opencv2/core.hpp>

#include "labeling/assist/proposal.h"

namespace lb::labeling::assist {

// Largest outer contour of `mask` (non-zero = region), simplified with approxPolyDP to within
// `tolerance_px` (in image pixels), as polygon coords x0,y0,x1,y1,... in image pixels.
// The mask pixel (0,0) is image pixel `origin`; `scale` maps mask pixels to image pixels
// (mask was computed on an image scaled by 1/scale). Empty when the mask has no region.
std::vector<double> largestRegionPolygon(const cv::Mat& mask, cv::Point2d origin, double scale,
                                         double tolerance_px);

// The region as an annotation of the asked shape; BadInput naming `what` when it is empty.
Result<Annotation> regionToAnnotation(const cv::Mat& mask, cv::Point origin, ShapeOutput output,
                                      double tolerance_px, const std::string& what);

}  // namespace lb::labeling::assist
