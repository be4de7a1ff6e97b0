#include "labeling/assist/magic_wand.h"

#include <opencv2/imgproc.hpp>

#include "labeling/assist/region_shape.h"

namespace lb::labeling::assist {

Result<Proposal> magicWand(const cv::Mat& image, const MagicWandOptions& options,
                           const CancelFlag* cancel) {
  const cv::Point seed(int(std::floor(options.seed.x)), int(std::floor(options.seed.y)));
  if (image.empty() || !cv::Rect(0, 0, image.cols, image.rows).contains(seed))
    return makeError(ErrorCode::InvalidArgument, "the magic wand click is outside the image");
  if (image.depth() != CV_8U)
    return makeError(ErrorCode::InvalidArgument, "the magic wand needs an 8-bit image");
  if (isCancelled(cancel)) return cancelledError("Magic wand");

  // floodFill wants a mask 2 px larger than the image; only the filled rectangle is read back.
  cv::Mat fillMask(image.rows + 2, image.cols + 2, CV_8UC1, cv::Scalar(0));
  int flags = (options.eightConnected ? 8 : 4) | (255 << 8) | cv::FLOODFILL_MASK_ONLY;
  if (options.relativeToSeed) flags |= cv::FLOODFILL_FIXED_RANGE;
  const cv::Scalar tol = cv::Scalar::all(std::clamp(options.tolerance, 0, 255));
  cv::Rect filled;
  cv::floodFill(image, fillMask, seed, cv::Scalar(), &filled, tol, tol, flags);
  if (isCancelled(cancel)) return cancelledError("Magic wand");

  // One pixel of empty frame around the filled rectangle so contours close properly.
  const cv::Rect inMask = cv::Rect(filled.x, filled.y, filled.width + 2, filled.height + 2);
  const cv::Mat region = fillMask(inMask);
  auto shape = regionToAnnotation(region, cv::Point(filled.x - 1, filled.y - 1), options.output,
                                  options.simplify_px, "Magic wand");
  if (!shape) return shape.error();
  Proposal p{kMagicWandId, kMagicWandVersion, {}, {}};
  shape->classId = options.classId;
  shape->source = p.source();
  p.annotations.push_back(std::move(*shape));
  return p;
}

}  // namespace lb::labeling::assist
