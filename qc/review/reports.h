#pragma once
// [SECTION] Quality reports per batch and per annotator, as rows and as CSV (RFC 4180 quoting).
// Computed from the project each time (states, review history, acceptance lots, gold answers),
// never from stored counters.
#include <optional>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/session/session.h"
#include "qc/review/gold.h"

namespace lb::qc {

struct BatchReportRow {
  labeling::BatchId batch = 0;
  std::string name;
  int items = 0, fresh = 0, inProgress = 0, submitted = 0, accepted = 0, rejected = 0;
  int reviews = 0, accepts = 0, rejects = 0, fixes = 0;
  double rejectRate = 0;  // rejects / reviews
  int goldItems = 0;      // only filled for reviewers and leads
  std::string aqlState;   // last acceptance lot: "accepted", "rejected", "drawn" or ""
  double aql = 0;
  int aqlSampleSize = 0, aqlNonconforming = 0;
};

struct AnnotatorReportRow {
  labeling::UserId annotator = 0;
  std::string name;
  int reviewed = 0;        // review verdicts on their work
  int accepted = 0, rejected = 0, fixed = 0;
  int itemsReviewed = 0;   // distinct items
  double firstPassAcceptRate = 0;  // items whose first verdict was accept
  double reworkRate = 0;           // (rejects + fixes) / verdicts
  std::optional<GoldScore> gold;   // only for reviewers and leads
};

std::vector<BatchReportRow> batchReport(const labeling::Session& viewer);
std::vector<AnnotatorReportRow> annotatorReport(const labeling::Session& viewer);
// The same for a store and the person looking (the desktop program queries on a worker's store,
// without opening a session). Gold figures only for reviewers and leads.
std::vector<BatchReportRow> batchReport(const labeling::ProjectStore& store, const labeling::User& viewer);
std::vector<AnnotatorReportRow> annotatorReport(const labeling::ProjectStore& store, const labeling::User& viewer);

std::string batchReportCsv(const std::vector<BatchReportRow>& rows);
std::string annotatorReportCsv(const std::vector<AnnotatorReportRow>& rows);

// One CSV field, quoted when it holds a comma, quote or line break.
std::string csvField(const std::string& s);

}  // namespace lb::qc
