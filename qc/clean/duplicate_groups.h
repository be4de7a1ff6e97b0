#pragma once
// [SECTION] Duplicate groups derived from stored findings at a given threshold.
//
// A grouped check stores, per item, its neighbours and the pair score in detail_json:
// {"n": [[other item id, pair score], ...]}. Groups are the connected components of the pairs
// that pass the threshold (union-find), so moving the threshold regroups without recomputing.
#include <cstdint>
#include <string>
#include <vector>

#include "qc/clean/findings_repository.h"

namespace lb::qc::clean {

struct DuplicateGroup {
  std::int64_t key = 0;                   // the smallest item id in the group (stable name)
  std::vector<labeling::ItemId> members;  // ascending
  labeling::ItemId keeper = 0;            // suggested item to keep
};

// Keeper: a member the lead marked 'keep'; else for images the largest pixel count, then one
// not flagged dark / bright / blurry (findings at the project's thresholds), then the sharpest
// (lowest blur), then the first imported; for texts the first imported.
std::vector<DuplicateGroup> duplicateGroups(const FindingsRepository& repo, labeling::SqliteProjectStore& store,
                                            const CheckSpec& spec, double threshold);

// Helper for writers: detail JSON of a neighbour list.
std::string neighboursJson(const std::vector<std::pair<labeling::ItemId, double>>& neighbours);

}  // namespace lb::qc::clean
