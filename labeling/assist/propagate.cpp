#include "labeling/assist/propagate.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/tracking.hpp>

#include <cmath>
#include <cstdio>

namespace lb::labeling::assist {
namespace {

cv::Mat grey(const cv::Mat& m) {
  if (m.channels() == 1) return m;
  cv::Mat g;
  cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
  return g;
}

cv::Mat histogram(const cv::Mat& g) {
  cv::Mat small;
  cv::resize(g, small, cv::Size(256, 256), 0, 0, cv::INTER_AREA);
  const int bins = 32;
  const float range[] = {0, 256};
  const float* ranges[] = {range};
  cv::Mat hist;
  cv::calcHist(&small, 1, nullptr, cv::Mat(), hist, 1, &bins, ranges);
  return hist;
}

}  // namespace

double frameSimilarity(const cv::Mat& a, const cv::Mat& b) {
  if (a.empty() || b.empty()) return 0;
  return cv::compareHist(histogram(grey(a)), histogram(grey(b)), cv::HISTCMP_CORREL);
}

Result<Proposal> propagateBoxes(const cv::Mat& previous, const cv::Mat& next,
                                const std::vector<Annotation>& boxes, const PropagateOptions& options,
                                const CancelFlag* cancel) {
  if (boxes.empty()) return makeError(ErrorCode::InvalidArgument, "the previous frame has no boxes to propagate");
  if (previous.empty() || previous.size() != next.size())
    return makeError(ErrorCode::InvalidArgument, "propagation needs two frames of the same size");
  const double similarity = frameSimilarity(previous, next);
  if (similarity < options.minSimilarity) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", similarity);
    return makeError(ErrorCode::BadInput, std::string("the next frame is not similar to the previous one "
                                                      "(similarity ") + buf + "); label it by hand");
  }

  const double scale = std::min(1.0, double(options.workingSide_px) / std::max(previous.cols, previous.rows));
  cv::Mat prevSmall, nextSmall;
  if (scale < 1.0) {
    cv::resize(previous, prevSmall, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::resize(next, nextSmall, cv::Size(), scale, scale, cv::INTER_AREA);
  } else {
    prevSmall = previous;
    nextSmall = next;
  }
  if (prevSmall.channels() == 1) {  // CSRT's colour features need three channels
    cv::cvtColor(prevSmall, prevSmall, cv::COLOR_GRAY2BGR);
    cv::cvtColor(nextSmall, nextSmall, cv::COLOR_GRAY2BGR);
  }
  const cv::Rect frame(0, 0, prevSmall.cols, prevSmall.rows);

  Proposal p{kPropagateId, kPropagateVersion, {}, {}};
  int lost = 0;
  for (const auto& box : boxes) {
    if (isCancelled(cancel)) return cancelledError("Propagation");
    if (box.kind != AnnotationKind::Box || box.coords.size() != 4) continue;
    const cv::Rect r = cv::Rect(cv::Point(int(std::lround(std::min(box.coords[0], box.coords[2]) * scale)),
                                          int(std::lround(std::min(box.coords[1], box.coords[3]) * scale))),
                                cv::Point(int(std::lround(std::max(box.coords[0], box.coords[2]) * scale)),
                                          int(std::lround(std::max(box.coords[1], box.coords[3]) * scale)))) &
                       frame;
    if (r.width < 2 || r.height < 2) {
      ++lost;
      continue;
    }
    cv::Ptr<cv::Tracker> tracker;
    if (options.tracker == TrackerKind::Kcf) tracker = cv::TrackerKCF::create();
    else tracker = cv::TrackerCSRT::create();
    cv::Rect found;
    bool ok = false;
    try {
      tracker->init(prevSmall, r);
      ok = tracker->update(nextSmall, found);
    } catch (const cv::Exception&) {
      ok = false;  // a box the tracker cannot model counts as lost, the others go on
    }
    found &= frame;
    if (!ok || found.area() <= 0) {
      ++lost;
      continue;
    }
    Annotation a;
    a.kind = AnnotationKind::Box;
    a.classId = box.classId;
    a.attributesJson = box.attributesJson;
    a.groupId = box.groupId;
    a.occluded = box.occluded;
    a.coords = {found.x / scale, found.y / scale, found.br().x / scale, found.br().y / scale};
    a.source = p.source();
    p.annotations.push_back(std::move(a));
  }
  p.note = std::to_string(p.annotations.size()) + " boxes propagated";
  if (lost) p.note += ", " + std::to_string(lost) + " lost by the tracker";
  return p;
}

}  // namespace lb::labeling::assist
