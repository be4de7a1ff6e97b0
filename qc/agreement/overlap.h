#pragma once
// [SECTION] Overlap: a chosen share of items labelled independently by two or more annotators,
// the agreement between them, and a majority merge that builds the delivered answer.
//
// Annotators on one item are told apart by Annotation::authorId. Reference (gold) answers and
// merged answers (source "merge:majority") never count as a rater.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/session/session.h"
#include "labeling/store/project_store.h"

namespace lb::qc {

struct OverlapOptions {
  double share = 0.1;                      // of the (non-excluded) items, in (0, 1]
  int raters = 2;                          // annotators per chosen item, >= 2
  std::optional<labeling::BatchId> batch;
  std::vector<labeling::UserId> annotators;  // empty: every active annotator
  std::uint64_t seed = 1;
};
struct OverlapAssignment {
  std::vector<labeling::ItemId> items;  // chosen items
  int tasksCreated = 0;
};
// Lead only. Picks round(share * N) items (seeded) and adds annotate tasks until each has
// `raters` distinct annotators, giving each new task to the least-loaded annotator.
Result<OverlapAssignment> assignOverlap(labeling::Session& lead, const OverlapOptions& options);

struct AgreementOptions {
  std::optional<labeling::BatchId> batch;
  double iouThreshold = 0.5;
};
// NaN where a figure cannot be computed (no data, or one category only); counts say why.
struct AgreementReport {
  int items = 0;           // items with >= 2 raters
  int raters = 0;          // distinct annotators on those items
  // Classes of whole items (image tags, document classes): one value per rater and item.
  int classUnits = 0;
  double cohenKappa = 0;       // mean over rater pairs that share items
  double fleissKappa = 0;      // when every item has the same number of raters
  double alphaNominal = 0;
  // Ratings: one unit per (item, response, criterion).
  int ratingUnits = 0;
  double ratingAlphaOrdinal = 0, ratingAlphaInterval = 0, ratingAlphaNominal = 0;
  // Shapes: rater pairs per item, matched one-to-one (same class) by IoU.
  int shapePairs = 0;
  double meanIou = 0;          // over matched pairs at the threshold
  double shapeF1 = 0;          // F1 at the IoU threshold (0.5 by default)
  // Spans: rater pairs per item.
  int spanPairs = 0;
  double spanExactF1 = 0, spanOverlapF1 = 0;
  // Rankings: mean Spearman between rater pairs.
  int rankingPairs = 0;
  double rankingSpearman = 0;
};
AgreementReport computeAgreement(const labeling::ProjectStore& store, const AgreementOptions& options = {});

struct MergeOptions {
  double iouThreshold = 0.5;
};
struct MergeResult {
  labeling::ItemId item = 0;
  int raters = 0;
  std::vector<labeling::Annotation> merged;  // the delivered answer (ids 0, not stored)
  std::vector<std::string> ties;             // what the majority could not decide
};
// Majority merge of one item: shapes are clustered by IoU (at most one shape per rater in a
// cluster, same kind); a cluster is kept when more than half the raters drew it, with the
// majority class and the median box (or the medoid outline); tags, document classes, spans
// (clustered by overlap) and rating scores likewise by majority. A cluster or class exactly at
// half, or two classes with equal votes, is a tie.
MergeResult mergeItem(const labeling::ProjectStore& store, labeling::ItemId item, const MergeOptions& options = {});
// Lead only. Replaces the item's previous merge with this one (annotations authored by the lead,
// source "merge:majority"); with ties the item goes to the review queue (state submitted) and
// the ties are recorded for the reviewer (shown as a flag in the review queue).
Result<MergeResult> applyMerge(labeling::Session& lead, labeling::ItemId item, const MergeOptions& options = {});

// Items with annotations from at least two raters.
std::vector<labeling::ItemId> overlapItems(const labeling::ProjectStore& store,
                                           std::optional<labeling::BatchId> batch = std::nullopt);

}  // namespace lb::qc
