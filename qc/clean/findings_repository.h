#pragma once
// [SECTION] FindingsRepository: the findings table (migrations step 2) seen from qc.
//
// One row per (check, item) with the measured score; decisions ('exclude' / 'keep') live on
// the same row and survive re-runs as long as the item is still measured by that check.
// Owns nothing but a reference to the store's connection; same thread rules as the store.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labeling/result.h"
#include "labeling/store/sqlite_project_store.h"
#include "qc/clean/checks.h"

namespace lb::qc::clean {

enum class Decision { None, Exclude, Keep };
std::string_view toString(Decision d);

struct NewFinding {
  labeling::ItemId itemId = 0;
  double score = 0;
  std::int64_t groupKey = 0;
  std::string detailJson = "{}";
};

struct Finding {
  std::int64_t id = 0;
  labeling::ItemId itemId = 0;
  std::string check;
  double score = 0;
  std::int64_t groupKey = 0;
  std::string detailJson;
  Decision decision = Decision::None;
  labeling::UserId decidedBy = 0;
  labeling::TimeMs decidedMs = 0;
};

class FindingsRepository {
 public:
  explicit FindingsRepository(labeling::SqliteProjectStore& store) : m_store(store) {}
  // The qc tables need the SQLite store; other stores give Unsupported.
  static Result<FindingsRepository> open(labeling::ProjectStore& store);

  // Replaces every row of `check` with `rows` in one transaction. Decisions of items that still
  // have a row are kept; rows of items no longer measured disappear.
  Status replaceCheck(std::string_view check, const std::vector<NewFinding>& rows);

  // Rows of a check that are findings at `threshold` (uses the (check, score) index), in item order.
  std::vector<Finding> findings(const CheckSpec& spec, double threshold) const;
  std::int64_t countFindings(const CheckSpec& spec, double threshold) const;
  // What a report needs of a scalar check without reading its rows: findings at `threshold` and
  // how many of them were decided each way; the first `limit` of them in item order; and the
  // decided ones (few) with their decisions.
  struct DecisionCounts {
    std::int64_t findings = 0, excluded = 0, kept = 0;
  };
  DecisionCounts countDecisions(const CheckSpec& spec, double threshold) const;
  std::vector<labeling::ItemId> firstFindings(const CheckSpec& spec, double threshold, int limit) const;
  std::vector<std::pair<labeling::ItemId, Decision>> decidedFindings(const CheckSpec& spec, double threshold) const;
  // Every stored row of a check.
  std::vector<Finding> rows(std::string_view check) const;
  std::optional<Finding> row(std::string_view check, labeling::ItemId item) const;
  // Number of stored rows per check (0 when the check never ran).
  std::int64_t countRows(std::string_view check) const;

  Status setDecision(std::string_view check, labeling::ItemId item, Decision d, labeling::UserId by);

 private:
  labeling::SqliteProjectStore& m_store;
};

}  // namespace lb::qc::clean
