#pragma once
// [SECTION] Gold (honeypot) items: the lead marks items gold and gives reference answers
// (annotations with isReference = true, authored by the lead). Gold items are ordinary items in
// the annotators' queues; nothing an annotator's session returns tells them apart, and no call
// here hands reference answers to an annotator: each one takes the caller's Session and refuses
// annotators. (A store opened directly bypasses roles; the desktop program and CLI never give
// an annotator one.)
//
// Accuracy per annotator on the gold items they labelled:
//  - objects (box, rotated box, polygon, mask): one-to-one matching by IoU with the optimal
//    (Hungarian) assignment at a threshold, ignoring class; precision/recall/F1 over matches,
//    class accuracy = matched pairs with the reference's class / matched pairs, and strict F1
//    (match and class right);
//  - spans: exact F1 (same start, end and class) and overlap F1 (same class, any overlap,
//    optimal one-to-one by overlap);
//  - tags and document classes: F1 of the class sets;
//  - ratings: exact score agreement and mean absolute difference per (response, criterion);
//    rankings: Spearman correlation with the reference ranking.
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/session/session.h"

namespace lb::qc {

// Lead only. Marks or unmarks the item gold.
Status setGoldItem(labeling::Session& lead, labeling::ItemId item, bool gold);
// Lead only. Adds a reference answer to a gold item (marks it gold if it is not yet).
Result<labeling::AnnotationId> addReference(labeling::Session& lead, labeling::ItemId item, labeling::Annotation a);
// Lead only. Gives every gold item (optionally of one batch) to each listed annotator, so gold
// mixes into their queues like any other task. Returns how many tasks were created.
Result<int> assignGold(labeling::Session& lead, const std::vector<labeling::UserId>& annotators,
                       std::optional<labeling::BatchId> batch = std::nullopt);

struct GoldOptions {
  double iouThreshold = 0.5;
  std::optional<labeling::BatchId> batch;
};

struct GoldScore {
  labeling::UserId annotator = 0;
  std::string annotatorName;
  int goldItems = 0;          // gold items this annotator labelled (submitted or later)
  // objects
  int objectsReference = 0, objectsPredicted = 0, objectsMatched = 0, objectsClassCorrect = 0;
  double objectPrecision = 0, objectRecall = 0, objectF1 = 0, classAccuracy = 0, strictF1 = 0;
  double meanIou = 0;
  // spans
  int spansReference = 0, spansPredicted = 0, spansExact = 0, spansOverlap = 0;
  double spanExactF1 = 0, spanOverlapF1 = 0;
  // tags / document classes
  int tagsReference = 0, tagsPredicted = 0, tagsCorrect = 0;
  double tagF1 = 0;
  // ratings and rankings
  int ratingPairs = 0;
  double ratingExact = 0, ratingMeanAbsDiff = 0;
  int rankings = 0;
  double rankingSpearman = 0;
};

// Reviewer or lead only. One row per annotator who labelled at least one gold item.
Result<std::vector<GoldScore>> goldAccuracy(const labeling::Session& viewer, const GoldOptions& options = {});
// The same on a worker's own store, for the given viewer (refused for annotators).
Result<std::vector<GoldScore>> goldAccuracy(const labeling::ProjectStore& store, const labeling::User& viewer,
                                            const GoldOptions& options = {});

}  // namespace lb::qc
