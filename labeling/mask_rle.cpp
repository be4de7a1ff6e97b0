#include "labeling/mask_rle.h"

#include <nlohmann/json.hpp>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace lb::labeling {

std::vector<std::int64_t> encodeMaskRle(const cv::Mat& mask) {
  CV_Assert(mask.type() == CV_8UC1);
  std::vector<std::int64_t> runs;
  bool fg = false;  // the first run is background by convention
  std::int64_t run = 0;
  for (int y = 0; y < mask.rows; ++y) {
    const unsigned char* row = mask.ptr<unsigned char>(y);
    for (int x = 0; x < mask.cols; ++x) {
      const bool pixel = row[x] != 0;
      if (pixel != fg) {
        runs.push_back(run);
        run = 0;
        fg = pixel;
      }
      ++run;
    }
  }
  runs.push_back(run);
  return runs;
}

Result<cv::Mat> decodeMaskRle(const std::vector<std::int64_t>& runs, int width, int height) {
  if (width < 0 || height < 0)
    return makeError(ErrorCode::BadInput, "mask size " + std::to_string(width) + "x" +
                                              std::to_string(height) + " is negative");
  const std::int64_t total = static_cast<std::int64_t>(width) * height;
  std::int64_t sum = 0;
  for (auto r : runs) {
    if (r < 0) return makeError(ErrorCode::BadInput, "mask RLE has a negative run length");
    sum += r;
  }
  if (sum != total)
    return makeError(ErrorCode::BadInput, "mask RLE covers " + std::to_string(sum) +
                                              " pixels but the mask box has " + std::to_string(total));
  cv::Mat mask(height, width, CV_8UC1, cv::Scalar(0));
  if (total == 0) return mask;
  unsigned char* data = mask.ptr<unsigned char>(0);  // freshly allocated: continuous
  std::int64_t pos = 0;
  bool fg = false;
  for (auto r : runs) {
    if (fg) std::fill(data + pos, data + pos + r, static_cast<unsigned char>(255));
    pos += r;
    fg = !fg;
  }
  return mask;
}

Annotation makeMaskAnnotation(const cv::Mat& mask, cv::Point origin) {
  CV_Assert(mask.type() == CV_8UC1);
  Annotation a;
  a.kind = AnnotationKind::Mask;
  const cv::Rect box = cv::boundingRect(mask);  // of the non-zero pixels
  a.coords = {double(origin.x + box.x), double(origin.y + box.y), double(box.width), double(box.height)};
  const cv::Mat tight = box.area() > 0 ? mask(box) : cv::Mat(0, 0, CV_8UC1);
  a.dataJson = nlohmann::json{{"rle", encodeMaskRle(tight)}}.dump();
  return a;
}

Result<MaskRegion> maskFromAnnotation(const Annotation& a) {
  const std::string who = "mask annotation " + std::to_string(a.id);
  if (a.kind != AnnotationKind::Mask || a.coords.size() != 4)
    return makeError(ErrorCode::BadInput, who + " needs coords left, top, width, height");
  MaskRegion region;
  region.box = cv::Rect(int(std::lround(a.coords[0])), int(std::lround(a.coords[1])),
                        int(std::lround(a.coords[2])), int(std::lround(a.coords[3])));
  std::vector<std::int64_t> runs;
  try {
    runs = nlohmann::json::parse(a.dataJson).at("rle").get<std::vector<std::int64_t>>();
  } catch (const nlohmann::json::exception&) {
    return makeError(ErrorCode::BadInput, who + " has no {\"rle\": [...]} in its data");
  }
  auto mask = decodeMaskRle(runs, region.box.width, region.box.height);
  if (!mask) return makeError(ErrorCode::BadInput, who + ": " + mask.error().message);
  region.mask = std::move(*mask);
  return region;
}

Result<cv::Mat> rasterizeMask(const Annotation& a, cv::Size imageSize) {
  auto region = maskFromAnnotation(a);
  if (!region) return region.error();
  cv::Mat out(imageSize, CV_8UC1, cv::Scalar(0));
  const cv::Rect clipped = region->box & cv::Rect(cv::Point(0, 0), imageSize);
  if (clipped.area() > 0)
    region->mask(clipped - region->box.tl()).copyTo(out(clipped));
  return out;
}

}  // namespace lb::labeling
