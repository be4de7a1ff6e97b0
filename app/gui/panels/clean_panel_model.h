#pragma once
// [SECTION] What the cleaning panel shows, read from the project on a worker: every stored finding
// row of every check (so a threshold slider re-filters in memory, without recomputing or even
// querying), the duplicate groups at the thresholds on screen, and the import's refused files.
// Decisions stay in qc/clean (decide()); this file only reads and counts.
//
// Threads: load*() on a worker with the worker's own store; the results are plain values that
// move to the UI thread. countAt()/sliderRange()/snippetOf() are pure.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/store/project_store.h"
#include "qc/clean/checks.h"
#include "qc/clean/duplicate_groups.h"
#include "qc/clean/findings_repository.h"

namespace lb::app::cleanui {

struct CheckData {
  const qc::clean::CheckSpec* spec = nullptr;
  std::vector<qc::clean::Finding> rows;           // every stored row, item order
  std::vector<qc::clean::DuplicateGroup> groups;  // grouped checks: groups at groupsThreshold
  double groupsThreshold = 0;
};

struct Snapshot {
  std::vector<CheckData> checks;       // allChecks() order
  std::vector<double> storedThresholds;  // the project's thresholds, allChecks() order
  bool corruptKnown = false;
  std::int64_t corruptFiles = 0;
};

// `shown`: the thresholds on screen (allChecks() order; empty = the project's). Groups are
// formed at those. Errors: not a SQLite project, unreadable thresholds setting.
Result<Snapshot> loadSnapshot(labeling::ProjectStore& store, const std::vector<double>& shown);
// Duplicate groups of one grouped check at a threshold (one indexed query and a union-find).
Result<std::vector<qc::clean::DuplicateGroup>> loadGroups(labeling::ProjectStore& store,
                                                          const qc::clean::CheckSpec& spec, double threshold);
// qc::clean::Thresholds holding `values` (allChecks() order); values outside a check's stored
// range are left at the project default so decide() never sees a refused value.
qc::clean::Thresholds thresholdsFrom(const std::vector<double>& values);

struct Counts {
  std::int64_t findings = 0;  // rows past the threshold (grouped: members of a group)
  std::int64_t excluded = 0;
  std::int64_t kept = 0;
  std::int64_t groups = 0;
  bool groupsCurrent = true;  // false while the groups of a moved threshold are being read
};
Counts countAt(const CheckData& data, double threshold);

// Findings of a scalar check at a threshold (indices into data.rows), in item order.
std::vector<std::size_t> findingsAt(const CheckData& data, double threshold);

struct SliderRange {
  double lo = 0, hi = 1;
  bool integral = false;  // counts, bits, pixels: whole steps
  bool logScale = false;  // ranges over several decades
};
// From the check's store limit (the slider never leaves the stored range) to a sensible far end.
SliderRange sliderRange(const qc::clean::CheckSpec& spec, const CheckData& data);

// What the lists show about an item besides its thumbnail.
struct ItemBrief {
  labeling::ItemKind kind = labeling::ItemKind::Image;
  std::string name;     // file name, or "#id" for inline texts
  int width_px = 0, height_px = 0;
  std::string snippet;  // texts: the first code points, one line
  bool excluded = false;
  std::string excludedReason;
};
std::unordered_map<labeling::ItemId, ItemBrief> loadBriefs(const labeling::ProjectStore& store,
                                                           const std::vector<labeling::ItemId>& ids);
// The first `maxCodePoints` code points of UTF-8 text on one line (line breaks become spaces).
std::string snippetOf(const std::string& utf8, std::size_t maxCodePoints);

// Items that cleaning excluded, with the checks whose decision excluded them (item order).
struct ExcludedEntry {
  labeling::ItemId item = 0;
  std::vector<std::string> checks;
};
std::vector<ExcludedEntry> excludedEntries(const Snapshot& snapshot);

}  // namespace lb::app::cleanui
