#pragma once
// [SECTION] The catalogue of cleaning checks and their per-project thresholds.
//
// Every check stores one row per measured item in the findings table with a score in the
// check's own unit (blur 0..1, luma levels, bits, Hamming distance, ...). Whether a row is a
// finding is decided at read time by comparing the score with the project's threshold, so a
// threshold change needs no recomputation. Rows whose score could never be a finding at any
// threshold the UI offers (beyond `storeLimit`) are not stored at all, to keep the table small.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::qc::clean {

enum class CheckTarget { Image, Text };
enum class Direction { HighIsBad, LowIsBad };

struct CheckSpec {
  std::string_view name;      // stable: stored in findings.check_name
  CheckTarget target;
  Direction direction;
  bool grouped;               // duplicate checks: findings form groups with a suggested keeper
  double defaultThreshold;
  double storeLimit;          // rows beyond this (on the harmless side) are not stored
  std::string_view unit;
  std::string_view description;
};

// All checks in report order.
const std::vector<CheckSpec>& allChecks();
const CheckSpec* findCheck(std::string_view name);
// True when `score` is a finding at `threshold` for this check.
bool isFinding(const CheckSpec& spec, double score, double threshold);
// True when a measured score is worth a row (inside the store limit).
bool worthStoring(const CheckSpec& spec, double score);

// Per-project thresholds: the project setting "clean_thresholds" is a JSON object
// {"check name": number, ...}; checks it does not name use their defaults.
class Thresholds {
 public:
  Thresholds() = default;
  static Result<Thresholds> load(const labeling::ProjectStore& store);
  static Result<Thresholds> fromJson(const std::string& json);
  Status save(labeling::ProjectStore& store) const;
  std::string toJson() const;

  double get(std::string_view check) const;
  // Refuses unknown checks and thresholds outside the stored range (they would silently miss rows).
  Status set(std::string_view check, double value);

 private:
  std::vector<std::pair<std::string, double>> m_values;
};

inline constexpr const char* kThresholdsSetting = "clean_thresholds";

}  // namespace lb::qc::clean
