#pragma once
// [SECTION] Propagation: the boxes of the previous frame carried to the next, similar frame by an
// OpenCV tracker (contrib `tracking`: KCF by default, CSRT when accuracy matters more than time).
// Proposed only; the annotator accepts or fixes them. Frames are tracked at a reduced working
// size so 12-MP frames stay interactive.
#include <opencv2/core.hpp>

#include "labeling/assist/proposal.h"

namespace lb::labeling::assist {

inline constexpr const char* kPropagateId = "propagate";
inline constexpr const char* kPropagateVersion = "1";

enum class TrackerKind { Kcf, Csrt };

struct PropagateOptions {
  TrackerKind tracker = TrackerKind::Csrt;
  int workingSide_px = 960;
  // Frames whose grey-level histograms correlate below this are not "similar" (a scene cut):
  // propagation is refused rather than proposing boxes on an unrelated image.
  double minSimilarity = 0.6;
};

// Histogram correlation of two frames in [-1, 1] (1 = same distribution of grey levels).
double frameSimilarity(const cv::Mat& a, const cv::Mat& b);

// `boxes`: Box annotations on `previous`. The proposal holds one new Box per box the tracker kept
// (class, attributes and group copied), and a note naming how many were lost.
// Errors: InvalidArgument (no boxes, different frame sizes), BadInput (frames not similar),
// Cancelled.
Result<Proposal> propagateBoxes(const cv::Mat& previous, const cv::Mat& next,
                                const std::vector<Annotation>& boxes,
                                const PropagateOptions& options = {}, const CancelFlag* cancel = nullptr);

}  // namespace lb::labeling::assist
