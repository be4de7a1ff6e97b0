#include "app/gui/panels/clean_panel_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "qc/clean/clean_service.h"

namespace lb::app::cleanui {

using labeling::ItemId;
namespace clean = lb::qc::clean;

clean::Thresholds thresholdsFrom(const std::vector<double>& values) {
  clean::Thresholds t;
  const auto& all = clean::allChecks();
  for (std::size_t i = 0; i < all.size() && i < values.size(); ++i) (void)t.set(all[i].name, values[i]);
  return t;
}

Result<Snapshot> loadSnapshot(labeling::ProjectStore& store, const std::vector<double>& shown) {
  auto stored = clean::Thresholds::load(store);
  if (!stored) return stored.error();
  const auto& all = clean::allChecks();
  Snapshot s;
  for (const auto& spec : all) s.storedThresholds.push_back(stored->get(spec.name));
  const std::vector<double>& use = shown.size() == all.size() ? shown : s.storedThresholds;
  // The report gives the groups (with their keepers) and the refused-file count; the rows come
  // beside it so that moving a scalar threshold needs nothing more from the store.
  auto report = clean::buildReport(store, thresholdsFrom(use), {}, 0);
  if (!report) return report.error();
  auto repo = clean::FindingsRepository::open(store);
  if (!repo) return repo.error();
  s.corruptKnown = report->corruptKnown;
  s.corruptFiles = report->corruptFiles;
  for (std::size_t i = 0; i < all.size(); ++i) {
    CheckData d;
    d.spec = &all[i];
    d.rows = repo->rows(all[i].name);
    for (auto& c : report->checks)
      if (c.spec == d.spec) {
        d.groups = std::move(c.groups);
        d.groupsThreshold = c.threshold;
      }
    s.checks.push_back(std::move(d));
  }
  return s;
}

Result<std::vector<clean::DuplicateGroup>> loadGroups(labeling::ProjectStore& store, const clean::CheckSpec& spec,
                                                      double threshold) {
  auto repo = clean::FindingsRepository::open(store);
  if (!repo) return repo.error();
  auto& sqlite = dynamic_cast<labeling::SqliteProjectStore&>(store);  // open() checked the kind
  return clean::duplicateGroups(*repo, sqlite, spec, threshold);
}

Counts countAt(const CheckData& data, double threshold) {
  Counts c;
  auto tally = [&c](const clean::Finding& f) {
    ++c.findings;
    c.excluded += f.decision == clean::Decision::Exclude;
    c.kept += f.decision == clean::Decision::Keep;
  };
  if (!data.spec->grouped) {
    for (const auto& f : data.rows)
      if (clean::isFinding(*data.spec, f.score, threshold)) tally(f);
    return c;
  }
  c.groupsCurrent = data.groupsThreshold == threshold;
  c.groups = static_cast<std::int64_t>(data.groups.size());
  std::set<ItemId> members;
  for (const auto& g : data.groups) members.insert(g.members.begin(), g.members.end());
  for (const auto& f : data.rows)
    if (members.count(f.itemId)) tally(f);
  return c;
}

std::vector<std::size_t> findingsAt(const CheckData& data, double threshold) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < data.rows.size(); ++i)
    if (clean::isFinding(*data.spec, data.rows[i].score, threshold)) out.push_back(i);
  return out;
}

SliderRange sliderRange(const clean::CheckSpec& spec, const CheckData& data) {
  struct Far {
    double end;
    bool integral, log;
  };
  // The harmless end of each check's scale; the other end is the store limit, past which no row
  // exists (a threshold there would silently miss items).
  static const std::map<std::string, Far, std::less<>> far = {
      {"exact_dup", {0, true, false}},      {"near_dup", {0, false, false}},    {"blur", {1, false, false}},
      {"dark", {0, false, false}},          {"bright", {255, false, false}},   {"low_info", {0, false, false}},
      {"grayscale", {0, false, false}},     {"odd_aspect", {10, false, false}}, {"small", {1, true, false}},
      {"text_exact_dup", {0, true, false}}, {"text_near_dup", {1, false, false}}, {"too_short", {0, true, false}},
      {"too_long", {200000, true, true}},   {"mojibake", {50, true, false}},   {"boilerplate", {1, false, true}},
      {"repeated_paragraph", {20, true, false}}, {"traditional", {1, false, false}}, {"pii", {20, true, false}},
  };
  SliderRange r;
  const auto it = far.find(spec.name);
  const bool high = spec.direction == clean::Direction::HighIsBad;
  double end = it != far.end() ? it->second.end : spec.storeLimit + 2 * (spec.defaultThreshold - spec.storeLimit);
  if (it != far.end()) {
    r.integral = it->second.integral;
    r.logScale = it->second.log;
  }
  // Scores beyond the usual end (a very long text, many matches) stay reachable.
  for (const auto& f : data.rows) end = high ? std::max(end, f.score) : std::min(end, f.score);
  r.lo = high ? spec.storeLimit : end;
  r.hi = high ? end : spec.storeLimit;
  if (r.logScale && r.lo <= 0) r.logScale = false;
  return r;
}

std::string snippetOf(const std::string& utf8, std::size_t maxCodePoints) {
  std::string out;
  std::size_t cps = 0;
  bool space = false;
  for (std::size_t i = 0; i < utf8.size() && cps < maxCodePoints;) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;  // runs of white space and line breaks read as one space on one line
      ++i;
      continue;
    }
    if (space && !out.empty()) {
      out += ' ';
      ++cps;
    }
    space = false;
    out.append(utf8, i, std::min(len, utf8.size() - i));
    i += len;
    ++cps;
  }
  if (cps >= maxCodePoints) out += "...";  // U+2026 is missing from some UI fonts
  return out;
}

std::unordered_map<ItemId, ItemBrief> loadBriefs(const labeling::ProjectStore& store, const std::vector<ItemId>& ids) {
  std::unordered_map<ItemId, ItemBrief> out;
  for (ItemId id : ids) {
    auto item = store.item(id);
    ItemBrief b;
    if (!item) {
      b.name = "#" + std::to_string(id) + " ?";
      out.emplace(id, std::move(b));
      continue;
    }
    b.kind = item->kind;
    const auto slash = item->mediaPath.find_last_of('/');
    b.name = item->mediaPath.empty() ? "#" + std::to_string(id)
                                     : item->mediaPath.substr(slash == std::string::npos ? 0 : slash + 1);
    if (item->frameIndex >= 0) b.name += " @" + std::to_string(item->frameIndex);
    b.width_px = item->widthPx;
    b.height_px = item->heightPx;
    if (item->kind != labeling::ItemKind::Image) b.snippet = snippetOf(item->text, 240);
    b.excluded = item->excluded;
    b.excludedReason = item->excludedReason;
    out.emplace(id, std::move(b));
  }
  return out;
}

std::vector<ExcludedEntry> excludedEntries(const Snapshot& snapshot) {
  std::map<ItemId, std::vector<std::string>> byItem;
  for (const auto& d : snapshot.checks)
    for (const auto& f : d.rows)
      if (f.decision == clean::Decision::Exclude) byItem[f.itemId].push_back(std::string(d.spec->name));
  std::vector<ExcludedEntry> out;
  for (auto& [id, checks] : byItem) out.push_back({id, std::move(checks)});
  return out;
}

}  // namespace lb::app::cleanui
