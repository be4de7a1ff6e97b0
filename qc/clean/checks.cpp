#include "qc/clean/checks.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace lb::qc::clean {

using labeling::ProjectStore;

const std::vector<CheckSpec>& allChecks() {
  using enum CheckTarget;
  using enum Direction;
  // Defaults come from bench/bench_clean on the generated 1080p and 12-MP corpora.
  static const std::vector<CheckSpec> checks = {
      {"exact_dup", Image, LowIsBad, true, 1, 1, "0 same file, 1 same pixels", "identical files or identical decoded pixels"},
      {"near_dup", Image, LowIsBad, true, 20, 34, "pHash bits + band bits / 3", "re-encoded, resized, cropped, rotated or edited copies"},
      {"blur", Image, HighIsBad, false, 0.55, 0.3, "re-blur 0..1", "out of focus or motion-blurred"},
      {"dark", Image, LowIsBad, false, 60, 140, "95th percentile luma", "too dark"},
      {"bright", Image, HighIsBad, false, 185, 110, "5th percentile luma", "too bright / washed out"},
      {"low_info", Image, LowIsBad, false, 3.0, 5.5, "luma entropy bits", "almost uniform (blank, lens cap, solid colour)"},
      {"grayscale", Image, LowIsBad, false, 2.0, 8, "mean channel spread", "grayscale image in a colour set"},
      {"odd_aspect", Image, HighIsBad, false, 3.0, 2.0, "long/short side", "unusual aspect ratio (panorama, strip)"},
      {"small", Image, LowIsBad, false, 200, 512, "short side px", "too small to label"},
      {"text_exact_dup", Text, LowIsBad, true, 0, 0, "0 identical after normalisation", "same text up to width, case, spaces, punctuation"},
      {"text_near_dup", Text, HighIsBad, true, 0.7, 0.5, "Jaccard of char 3-grams", "nearly the same text"},
      {"too_short", Text, LowIsBad, false, 5, 20, "code points", "empty or too short"},
      {"too_long", Text, HighIsBad, false, 20000, 5000, "code points", "too long for one task"},
      {"mojibake", Text, HighIsBad, false, 1, 1, "garbled characters", "mis-decoded text (UTF-8 read as GBK or Latin-1, U+FFFD)"},
      {"boilerplate", Text, HighIsBad, false, 0.01, 0.0001, "fraction of lines", "lines repeated across many items (navigation, ads)"},
      {"repeated_paragraph", Text, HighIsBad, false, 1, 1, "repeated copies", "a paragraph repeated inside one item"},
      {"traditional", Text, HighIsBad, false, 0.1, 0.01, "fraction of Han characters", "traditional Chinese (convertible to simplified)"},
      {"pii", Text, HighIsBad, false, 1, 1, "matches", "personal data: mobile numbers, ID numbers, bank cards, e-mail"},
  };
  return checks;
}

const CheckSpec* findCheck(std::string_view name) {
  for (const auto& c : allChecks())
    if (c.name == name) return &c;
  return nullptr;
}

bool isFinding(const CheckSpec& spec, double score, double threshold) {
  return spec.direction == Direction::HighIsBad ? score >= threshold : score <= threshold;
}

bool worthStoring(const CheckSpec& spec, double score) { return isFinding(spec, score, spec.storeLimit); }

Result<Thresholds> Thresholds::fromJson(const std::string& json) {
  Thresholds t;
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return makeError(ErrorCode::BadInput, "setting clean_thresholds is not a JSON object: " + json);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_number())
      return makeError(ErrorCode::BadInput, "setting clean_thresholds: '" + it.key() + "' is not a number");
    if (auto st = t.set(it.key(), it.value().get<double>()); !st) return st.error();
  }
  return t;
}

Result<Thresholds> Thresholds::load(const ProjectStore& store) {
  auto json = store.setting(kThresholdsSetting);
  if (!json) return Thresholds{};
  return fromJson(*json);
}

std::string Thresholds::toJson() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : m_values) j[k] = v;
  return j.dump();
}

Status Thresholds::save(ProjectStore& store) const { return store.setSetting(kThresholdsSetting, toJson()); }

double Thresholds::get(std::string_view check) const {
  for (const auto& [k, v] : m_values)
    if (k == check) return v;
  const auto* spec = findCheck(check);
  return spec ? spec->defaultThreshold : 0;
}

Status Thresholds::set(std::string_view check, double value) {
  const auto* spec = findCheck(check);
  if (!spec) return makeError(ErrorCode::InvalidArgument, "unknown check '" + std::string(check) + "'");
  if (!std::isfinite(value) || !worthStoring(*spec, value))
    return makeError(ErrorCode::InvalidArgument,
                     "threshold " + std::to_string(value) + " for " + std::string(check) + " is outside the measured range (" +
                         (spec->direction == Direction::HighIsBad ? ">= " : "<= ") + std::to_string(spec->storeLimit) + ")");
  for (auto& [k, v] : m_values)
    if (k == check) {
      v = value;
      return okStatus();
    }
  m_values.emplace_back(std::string(check), value);
  return okStatus();
}

}  // namespace lb::qc::clean
