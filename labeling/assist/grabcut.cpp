#include "labeling/assist/grabcut.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "labeling/assist/region_shape.h"

namespace lb::labeling::assist {

Result<Proposal> grabCutFromBox(const cv::Mat& image, const GrabCutOptions& options,
                                const CancelFlag* cancel) {
  const cv::Rect imageRect(0, 0, image.cols, image.rows);
  const cv::Rect box = cv::Rect(cv::Point(int(std::floor(options.box.x)), int(std::floor(options.box.y))),
                                cv::Point(int(std::ceil(options.box.br().x)), int(std::ceil(options.box.br().y)))) &
                       imageRect;
  if (image.empty() || box.width < 4 || box.height < 4)
    return makeError(ErrorCode::InvalidArgument,
                     "GrabCut needs a box of at least 4x4 pixels inside the image");
  if (image.type() != CV_8UC3 && image.type() != CV_8UC1)
    return makeError(ErrorCode::InvalidArgument, "GrabCut needs an 8-bit colour or grey image");

  const int marginX = std::max(8, int(box.width * options.marginFraction));
  const int marginY = std::max(8, int(box.height * options.marginFraction));
  const cv::Rect roi = cv::Rect(box.x - marginX, box.y - marginY, box.width + 2 * marginX,
                                box.height + 2 * marginY) & imageRect;
  const double scale = std::min(1.0, double(options.workingSide_px) / std::max(roi.width, roi.height));

  cv::Mat work;
  if (image.channels() == 1)
    cv::cvtColor(image(roi), work, cv::COLOR_GRAY2BGR);
  else
    work = image(roi);
  if (scale < 1.0) cv::resize(work, work, cv::Size(), scale, scale, cv::INTER_AREA);
  else work = work.clone();

  cv::Rect rect(int(std::floor((box.x - roi.x) * scale)), int(std::floor((box.y - roi.y) * scale)),
                std::max(2, int(std::ceil(box.width * scale))), std::max(2, int(std::ceil(box.height * scale))));
  rect &= cv::Rect(0, 0, work.cols, work.rows);
  // GrabCut learns the background from outside the rect; a box covering the whole image leaves
  // none, so keep a one-pixel frame of background.
  if (rect.width >= work.cols - 1 && rect.height >= work.rows - 1)
    rect = cv::Rect(1, 1, work.cols - 2, work.rows - 2);

  if (isCancelled(cancel)) return cancelledError("GrabCut");
  cv::Mat labels, bgdModel, fgdModel;
  try {
    // Two calls so the cancel flag is looked at after the first iteration; not one per
    // iteration, because every call recomputes the pixel-pair weights of the whole ROI.
    cv::grabCut(work, labels, rect, bgdModel, fgdModel, 1, cv::GC_INIT_WITH_RECT);
    if (options.iterations > 1) {
      if (isCancelled(cancel)) return cancelledError("GrabCut");
      cv::grabCut(work, labels, rect, bgdModel, fgdModel, options.iterations - 1, cv::GC_EVAL);
    }
  } catch (const cv::Exception& e) {
    return makeError(ErrorCode::BadInput, std::string("GrabCut could not separate the object: ") + e.what());
  }
  if (isCancelled(cancel)) return cancelledError("GrabCut");

  cv::Mat fg = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);  // 0 / 255
  cv::Mat full;
  if (scale < 1.0) {
    cv::resize(fg, full, roi.size(), 0, 0, cv::INTER_LINEAR);
    cv::threshold(full, full, 127, 255, cv::THRESH_BINARY);
  } else {
    full = fg;
  }
  // Nothing outside the user's box belongs to the object.
  cv::Mat clipped(full.size(), CV_8UC1, cv::Scalar(0));
  const cv::Rect boxInRoi = box - roi.tl();
  full(boxInRoi).copyTo(clipped(boxInRoi));

  auto shape = regionToAnnotation(clipped, roi.tl(), options.output, options.simplify_px, "GrabCut");
  if (!shape) return shape.error();
  Proposal p{kGrabCutId, kGrabCutVersion, {}, {}};
  shape->classId = options.classId;
  shape->source = p.source();
  p.annotations.push_back(std::move(*shape));
  return p;
}

}  // namespace lb::labeling::assist
