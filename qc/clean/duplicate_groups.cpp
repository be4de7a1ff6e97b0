#include "qc/clean/duplicate_groups.h"

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <string_view>
#include <map>
#include <unordered_map>

#include "labeling/import/image_signals.h"
#include "qc/clean/hamming_search.h"

namespace lb::qc::clean {

using labeling::ItemId;

std::string neighboursJson(const std::vector<std::pair<ItemId, double>>& neighbours) {
  nlohmann::json n = nlohmann::json::array();
  for (const auto& [id, s] : neighbours) n.push_back({id, s});
  return nlohmann::json{{"n", n}}.dump();
}

namespace {
struct KeeperInfo {
  std::int64_t area = 0;
  double blur = 0;
  bool flagged = false;  // a dark / bright / blurry finding at the project's thresholds
};

// Only the findings past `threshold` can be group members: the queries start from those rows
// (CROSS JOIN keeps them the outer loop) instead of from every quality finding of the project.
std::unordered_map<ItemId, KeeperInfo> keeperInfo(labeling::SqliteProjectStore& store, const CheckSpec& spec, double threshold) {
  std::unordered_map<ItemId, KeeperInfo> out;
  if (spec.target != CheckTarget::Image) return out;
  auto& db = store.database();
  const std::string past = std::string(" d.score ") + (spec.direction == Direction::HighIsBad ? ">=" : "<=") + " ?";
  SQLite::Statement q(db,
                      "SELECT i.id, i.width_px * i.height_px, coalesce(s.number, 0) FROM findings d "
                      "CROSS JOIN items i ON i.id = d.item_id "
                      "LEFT JOIN signals s ON s.key = ? AND s.item_id = d.item_id WHERE d.check_name = ? AND" + past);
  q.bind(1, labeling::signal_keys::kBlur);
  q.bind(2, std::string(spec.name));
  q.bind(3, threshold);
  while (q.executeStep()) out[q.getColumn(0).getInt64()] = {q.getColumn(1).getInt64(), q.getColumn(2).getDouble(), false};
  // A copy the quality checks flag is a worse keeper than an unflagged one of the same size.
  const auto thresholds = Thresholds::load(store);
  for (const char* name : {"dark", "bright", "blur"}) {
    const auto* quality = findCheck(name);
    SQLite::Statement f(db, std::string("SELECT d.item_id FROM findings d CROSS JOIN findings q ON q.check_name = ? AND "
                                        "q.item_id = d.item_id WHERE d.check_name = ? AND") + past + " AND q.score " +
                                (quality->direction == Direction::HighIsBad ? ">=" : "<=") + " ?");
    f.bind(1, std::string(name));
    f.bind(2, std::string(spec.name));
    f.bind(3, threshold);
    f.bind(4, thresholds ? thresholds->get(name) : quality->defaultThreshold);
    while (f.executeStep())
      if (auto it = out.find(f.getColumn(0).getInt64()); it != out.end()) it->second.flagged = true;
  }
  return out;
}

// The neighbour list as neighboursJson writes it ({"n":[[id,score],...]}), read without building a
// JSON tree (a threshold change reads one per finding); false for anything else.
template <typename Fn>
bool readNeighbours(std::string_view s, Fn fn) {
  constexpr std::string_view head = "{\"n\":[";
  if (s.substr(0, head.size()) != head || s.size() < head.size() + 2 || s.substr(s.size() - 2) != "]}") return false;
  const char* p = s.data() + head.size();
  const char* end = s.data() + s.size() - 2;
  std::vector<std::pair<ItemId, double>> found;
  while (p < end) {
    if (*p != '[') return false;
    ItemId id = 0;
    auto r = std::from_chars(p + 1, end, id);
    if (r.ec != std::errc() || r.ptr >= end || *r.ptr != ',') return false;
    double score = 0;
    auto r2 = std::from_chars(r.ptr + 1, end, score);
    if (r2.ec != std::errc() || r2.ptr >= end || *r2.ptr != ']') return false;
    found.emplace_back(id, score);
    p = r2.ptr + 1;
    if (p < end && *p++ != ',') return false;
  }
  for (const auto& [id, score] : found) fn(id, score);
  return true;
}
}  // namespace

std::vector<DuplicateGroup> duplicateGroups(const FindingsRepository& repo, labeling::SqliteProjectStore& store,
                                            const CheckSpec& spec, double threshold) {
  const auto rows = repo.findings(spec, threshold);
  std::unordered_map<ItemId, std::uint32_t> index;
  for (std::uint32_t i = 0; i < rows.size(); ++i) index.emplace(rows[i].itemId, i);
  DisjointSets sets(rows.size());
  for (std::uint32_t i = 0; i < rows.size(); ++i) {
    auto link = [&](ItemId otherId, double score) {
      auto other = index.find(otherId);
      if (other != index.end() && isFinding(spec, score, threshold)) sets.unite(i, other->second);
    };
    if (readNeighbours(rows[i].detailJson, link)) continue;
    const auto j = nlohmann::json::parse(rows[i].detailJson, nullptr, false);
    if (j.is_discarded() || !j.contains("n")) continue;
    for (const auto& pair : j["n"]) {
      if (!pair.is_array() || pair.size() != 2) continue;
      link(pair[0].get<ItemId>(), pair[1].get<double>());
    }
  }
  std::map<std::uint32_t, std::vector<std::uint32_t>> components;
  for (std::uint32_t i = 0; i < rows.size(); ++i) components[sets.find(i)].push_back(i);

  bool anyGroup = false;
  for (const auto& [root, members] : components) anyGroup |= members.size() > 1;
  const auto info = anyGroup ? keeperInfo(store, spec, threshold) : std::unordered_map<ItemId, KeeperInfo>{};
  std::vector<DuplicateGroup> out;
  for (const auto& [root, members] : components) {
    if (members.size() < 2) continue;
    DuplicateGroup g;
    for (auto m : members) g.members.push_back(rows[m].itemId);
    std::sort(g.members.begin(), g.members.end());
    g.key = g.members.front();
    g.keeper = g.members.front();
    bool chosen = false;
    for (auto m : members)
      if (rows[m].decision == Decision::Keep) {
        g.keeper = rows[m].itemId;
        chosen = true;
        break;
      }
    if (!chosen && !info.empty()) {
      auto better = [&](ItemId a, ItemId b) {  // is a a better keeper than b?
        const auto ia = info.count(a) ? info.at(a) : KeeperInfo{};
        const auto ib = info.count(b) ? info.at(b) : KeeperInfo{};
        if (ia.area != ib.area) return ia.area > ib.area;
        if (ia.flagged != ib.flagged) return !ia.flagged;
        if (ia.blur != ib.blur) return ia.blur < ib.blur;
        return a < b;  // the earliest imported
      };
      for (auto id : g.members)
        if (better(id, g.keeper)) g.keeper = id;
    }
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace lb::qc::clean
