#pragma once
// [SECTION] What every assist returns: a proposal. An assist never writes to the project; it
// proposes annotations that the annotator accepts, edits or discards. Accepted objects are
// created through Session (see assist_runner.h) so the event log records "assist:<id>@<ver>"
// as the source of each object.
//
// Assists are pure functions over a cv::Mat (8-bit BGR or gray, as decoded) and an optional
// cancel flag; any thread may call them. They check the flag between their expensive steps
// and then return ErrorCode::Cancelled.
#include <atomic>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"

namespace lb::labeling::assist {

using CancelFlag = std::atomic<bool>;

// Which shape a region-finding assist (GrabCut, magic wand) turns its region into.
enum class ShapeOutput { Polygon, Mask };

struct Proposal {
  std::string assistId;       // "grabcut", "magic_wand", ...
  std::string assistVersion;  // bumped when the same input can give a different answer
  // Proposed objects. id == 0: a new object; id != 0: an edited copy of that stored object
  // (edge snapping), applied as an update.
  std::vector<Annotation> annotations;
  std::string note;  // for the annotator, e.g. "2 of 5 boxes were lost by the tracker"
  std::string origin = "assist";  // "plugin" for proposals made by an assist plugin

  // What accepted objects record as their source: "assist:<id>@<ver>" / "plugin:<id>@<ver>".
  std::string source() const { return origin + ":" + assistId + "@" + assistVersion; }
};

// True (and the caller should return cancelledError()) once the user asked to stop.
inline bool isCancelled(const CancelFlag* cancel) {
  return cancel && cancel->load(std::memory_order_relaxed);
}
inline Error cancelledError(const std::string& what) {
  return makeError(ErrorCode::Cancelled, what + " was cancelled");
}

}  // namespace lb::labeling::assist
