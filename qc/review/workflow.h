#pragma once
// [SECTION] The review workflow: the reviewer's queue, accept / reject (with a reason from the
// project's list, free text and a pin) / fix-and-accept, the annotator's queue with the reason
// of a rejection shown, and each item's review history (rows are only added, never changed).
//
// Every verdict is one transaction: the review row, the item state, the task states and an
// event (review_accept / review_reject / review_fix_accept, detail {"annotator", "review",
// "reason"}) so that throughput can compute rework and turnaround from the event log alone.
//
// Calls that act for a person take that person's Session and check the role: only reviewers
// and leads give verdicts. Threads: the session's thread.
#include <optional>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/session/session.h"
#include "labeling/store/project_store.h"

namespace lb::qc {

// [SECTION] Pins: where on the item a rejection points.
std::string pinAnnotation(labeling::AnnotationId id);
std::string pinPoint(double x_px, double y_px);
std::string pinSpan(std::int64_t start, std::int64_t end);
// Checks a pin against the item: the annotation belongs to it, the point lies on the image, the
// span lies inside the text. "{}" (no pin) is valid.
Status validatePin(const labeling::ProjectStore& store, labeling::ItemId item, const std::string& pinJson);

// [SECTION] Reviewer side
struct ReviewQueueEntry {
  labeling::ItemId item = 0;
  labeling::BatchId batch = 0;
  labeling::UserId annotator = 0;   // who submitted it (0 if unknown)
  int previousRejections = 0;       // how often it came back already
  bool mergeTie = false;            // an overlap merge left a tie for the reviewer to settle
};
struct ReviewQueueOptions {
  bool assignedOnly = false;              // only items with a review task for this reviewer
  std::optional<labeling::BatchId> batch;
};
// Submitted, not excluded items, oldest first.
std::vector<ReviewQueueEntry> reviewQueue(const labeling::ProjectStore& store, labeling::UserId reviewer,
                                          const ReviewQueueOptions& options = {});

// Who annotated the item: the annotate task that was submitted, else the only annotate task,
// else the author of most of its (non-reference) annotations; 0 if nobody.
labeling::UserId annotatorOf(const labeling::ProjectStore& store, labeling::ItemId item);

struct Verdict {
  std::string reason;               // reject: one of LabelSchema::rejectReasons
  std::string comment;              // free text
  std::string pinJson = "{}";       // see pin* above
  labeling::UserId annotator = 0;   // 0: annotatorOf(item)
};

// The item must be submitted. Returns the id of the review row.
Result<std::int64_t> acceptItem(labeling::Session& reviewer, labeling::ItemId item, const Verdict& v = {});
// Sends the item back to its annotator: item state rejected, their annotate task assigned again.
// A reason from the project's list is required when the list is not empty; with no list, a
// comment is required instead.
Result<std::int64_t> rejectItem(labeling::Session& reviewer, labeling::ItemId item, const Verdict& v);
// The reviewer corrected the item (through the session's normal edits) and accepts it; recorded
// as fix_and_accept so the annotator's accuracy figures count it as rework.
Result<std::int64_t> fixAndAcceptItem(labeling::Session& reviewer, labeling::ItemId item, const Verdict& v = {});

// Review rows of one item, oldest first.
std::vector<labeling::Review> reviewHistory(const labeling::ProjectStore& store, labeling::ItemId item);

// [SECTION] Annotator side
struct AnnotatorQueueEntry {
  labeling::ItemId item = 0;
  labeling::ItemState state = labeling::ItemState::New;
  std::optional<labeling::Review> lastRejection;  // shown on the item when it came back
};
// The session user's open annotate tasks (assigned / in progress), in item order. Gold items
// appear like any other: nothing in an entry tells them apart.
std::vector<AnnotatorQueueEntry> annotatorQueue(const labeling::Session& session);
// The same for a worker's own store (the desktop program queries off the UI thread).
std::vector<AnnotatorQueueEntry> annotatorQueue(const labeling::ProjectStore& store, const labeling::User& user);
// The item as the session's user may see it: for annotators the gold flag is cleared.
Result<labeling::Item> itemForSession(const labeling::Session& session, labeling::ItemId item);

}  // namespace lb::qc
