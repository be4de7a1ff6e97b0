#pragma once
// [SECTION] The near-duplicate check's rows: a full search, or the last run's pairs plus a search
// of what is new.
//
// A run keeps, next to its rows, what it searched (NearDupState, one project setting): a digest
// of each image's hashes and the pairs it found. A pair's score depends only on its two images,
// so on the next run the pairs between two images whose digests did not change are still right;
// only pairs touching new or changed images are searched (findNearViewPairsTouching), and the
// pairs of deleted images are dropped. The rows are then built from the pairs exactly as a full
// run builds them, so both give the same rows. Pure computation, any thread.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labeling/model.h"
#include "qc/clean/image_checks.h"

namespace lb::qc::clean {

// PHash bits within which a view and a full image are candidates (see findNearViewPairs).
inline constexpr int kNearDupRadiusBits = 12;

// Project setting that holds the state of the last stored near-duplicate search.
inline constexpr const char* kNearDupStateKey = "clean_search_state.near_dup";

struct NearDupState {
  struct Pair {
    labeling::ItemId a = 0, b = 0;  // a < b
    double score = 0;
  };
  int radiusBits = 0;     // search settings the pairs were found with
  double storeLimit = 0;
  std::vector<std::pair<labeling::ItemId, std::uint64_t>> items;  // ascending id, digest of its hashes
  std::vector<Pair> pairs;                                        // ascending (a, b)
};

// As a JSON string (base64 of a packed form: about 22 bytes per image), and back; nullopt when
// the text is not such a state.
std::string serializeNearDupState(const NearDupState& state);
std::optional<NearDupState> parseNearDupState(std::string_view json);

// Digest of everything the search reads of one image: its views (both hashes) and legacy hashes.
std::uint64_t nearDupHashDigest(const ImageSignalsRow& row);

struct NearDupRun {
  // Nothing changed since `previous` (same images, same hashes, its rows still stored): `rows`
  // is left empty and the stored rows stand.
  bool unchanged = false;
  bool incremental = false;   // built on `previous` rather than a full search
  CheckRows rows;             // the check's rows (unless unchanged)
  NearDupState state;         // what this run searched, to store with the rows (unless unchanged)
  std::int64_t searched = 0;  // images whose pairs were searched (new or changed; all when full)
  std::int64_t removed = 0;   // images of `previous` that are gone
  std::int64_t keptPairs = 0; // pairs taken from `previous` without searching
  std::string how;            // one line for the run summary: what was searched and why
};

// `previous`: the state stored with the project's near_dup rows (nullptr: none); `storedRows`:
// how many near_dup rows the project holds, to see that they are still the rows that state
// produced. Searches everything when there is no usable state, the search settings changed, the
// stored rows are not the state's. (Many new images need no full search: the search touching
// them costs at most about what a full one does.) With `cancel` set it stops early; the result
// must be discarded.
NearDupRun nearDuplicateRows(const std::vector<ImageSignalsRow>& images, const NearDupState* previous,
                             std::int64_t storedRows, const std::atomic<bool>* cancel = nullptr);

}  // namespace lb::qc::clean
