#pragma once
// [SECTION] Cleaning as a whole: run checks, report at the project's thresholds, decide.
//
// runChecks measures and stores; buildReport and decide only read stored scores, so moving a
// threshold and looking again costs one indexed query per check. Same thread rules as the store.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "labeling/result.h"
#include "labeling/store/project_store.h"
#include "qc/clean/checks.h"
#include "qc/clean/duplicate_groups.h"

namespace lb::qc::clean {

struct RunOptions {
  std::vector<std::string> checks;  // empty: all checks
  // Called after each stage; done/total count stages.
  std::function<void(std::int64_t done, std::int64_t total, const std::string& stage)> progress;
  // Set (from any thread) to stop the run: checked between stages and per chunk of images in the
  // near-duplicate search, so a 100,000-image run stops within about a second. A stopped run
  // stores nothing (the previous findings stay) and returns ErrorCode::Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct CheckSummary {
  std::string check;
  std::int64_t measured = 0;
  std::int64_t stored = 0;
  std::string note;
};

// The near-duplicate search builds on the last run's (near_dup_search.h): after new imports only
// the new (or re-measured) images are searched, and its summary note says so, e.g. "1,000 new or
// changed images searched against 101,000; 11,136 stored pairs kept".
// Errors: unknown check names (InvalidArgument), non-SQLite store (Unsupported), stopped
// through options.cancel (Cancelled).
Result<std::vector<CheckSummary>> runChecks(labeling::ProjectStore& store, const RunOptions& options);

struct CheckReport {
  const CheckSpec* spec = nullptr;
  double threshold = 0;
  std::int64_t stored = 0;    // rows stored (0: the check never ran or found nothing to store)
  std::int64_t findings = 0;  // rows past the threshold
  std::int64_t excluded = 0;  // findings decided 'exclude'
  std::int64_t kept = 0;      // findings decided 'keep'
  std::vector<labeling::ItemId> examples;  // first few findings
  std::vector<DuplicateGroup> groups;      // grouped checks only
};

struct CleanReport {
  std::vector<CheckReport> checks;
  // Files the import refused as unreadable/corrupt, from the import events (they never became
  // items). `corruptKnown` is false when the import events carry no rejection counts.
  bool corruptKnown = false;
  std::int64_t corruptFiles = 0;
  std::vector<std::string> corruptExamples;
};

Result<CleanReport> buildReport(labeling::ProjectStore& store, const Thresholds& thresholds,
                                const std::vector<std::string>& checks = {}, int maxExamples = 5);

enum class DecideAction { Exclude, Keep, Restore };

struct DecideTarget {
  std::string check;
  std::optional<std::int64_t> group;      // grouped checks: a group key from the report
  std::optional<labeling::ItemId> item;   // one item
  // Neither group nor item: every finding of the check at the threshold.
};

struct DecideResult {
  std::int64_t decided = 0;   // findings whose decision changed
  std::int64_t excluded = 0;  // items newly excluded
  std::int64_t restored = 0;  // items brought back
};

// Exclude: scalar findings are excluded; in a group every member but the keeper is excluded and
// the keeper is marked 'keep'. Keep: marks the finding(s) kept (an item kept in a group becomes
// its keeper) and brings back items that cleaning had excluded. Restore: clears the decision and
// brings the item(s) back. Whole-check Exclude leaves findings the lead already decided alone.
// A whole group or check is applied set-based (a temporary table of the planned rows and a few
// statements in the one transaction), so 100,000 members take about a second.
Result<DecideResult> decide(labeling::ProjectStore& store, const Thresholds& thresholds, const DecideTarget& target,
                            DecideAction action, labeling::UserId by);

namespace detail {
// The same decisions applied one member at a time (four statements each): the reference the
// set-based decide() is tested and benchmarked against. Not for product use.
Result<DecideResult> decideItemByItem(labeling::ProjectStore& store, const Thresholds& thresholds,
                                      const DecideTarget& target, DecideAction action, labeling::UserId by);
}  // namespace detail

}  // namespace lb::qc::clean
