#include "qc/clean/duplicate_groups.h"

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <algorithm>
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

std::unordered_map<ItemId, KeeperInfo> keeperInfo(labeling::SqliteProjectStore& store, const CheckSpec& spec) {
  std::unordered_map<ItemId, KeeperInfo> out;
  if (spec.target != CheckTarget::Image) return out;
  auto& db = store.database();
  SQLite::Statement q(db,
                      "SELECT i.id, i.width_px * i.height_px, coalesce(s.number, 0) FROM items i "
                      "JOIN findings f ON f.item_id = i.id AND f.check_name = ? "
                      "LEFT JOIN signals s ON s.item_id = i.id AND s.key = ?");
  q.bind(1, std::string(spec.name));
  q.bind(2, labeling::signal_keys::kBlur);
  while (q.executeStep()) out[q.getColumn(0).getInt64()] = {q.getColumn(1).getInt64(), q.getColumn(2).getDouble(), false};
  // A copy the quality checks flag is a worse keeper than an unflagged one of the same size.
  const auto thresholds = Thresholds::load(store);
  for (const char* name : {"dark", "bright", "blur"}) {
    const auto* quality = findCheck(name);
    SQLite::Statement f(db, std::string("SELECT q.item_id FROM findings q JOIN findings d ON d.item_id = q.item_id AND d.check_name = ? "
                                        "WHERE q.check_name = ? AND q.score ") +
                                (quality->direction == Direction::HighIsBad ? ">=" : "<=") + " ?");
    f.bind(1, std::string(spec.name));
    f.bind(2, std::string(name));
    f.bind(3, thresholds ? thresholds->get(name) : quality->defaultThreshold);
    while (f.executeStep())
      if (auto it = out.find(f.getColumn(0).getInt64()); it != out.end()) it->second.flagged = true;
  }
  return out;
}
}  // namespace

std::vector<DuplicateGroup> duplicateGroups(const FindingsRepository& repo, labeling::SqliteProjectStore& store,
                                            const CheckSpec& spec, double threshold) {
  const auto rows = repo.findings(spec, threshold);
  std::unordered_map<ItemId, std::uint32_t> index;
  for (std::uint32_t i = 0; i < rows.size(); ++i) index.emplace(rows[i].itemId, i);
  DisjointSets sets(rows.size());
  for (std::uint32_t i = 0; i < rows.size(); ++i) {
    const auto j = nlohmann::json::parse(rows[i].detailJson, nullptr, false);
    if (j.is_discarded() || !j.contains("n")) continue;
    for (const auto& pair : j["n"]) {
      if (!pair.is_array() || pair.size() != 2) continue;
      auto other = index.find(pair[0].get<ItemId>());
      if (other != index.end() && isFinding(spec, pair[1].get<double>(), threshold)) sets.unite(i, other->second);
    }
  }
  std::map<std::uint32_t, std::vector<std::uint32_t>> components;
  for (std::uint32_t i = 0; i < rows.size(); ++i) components[sets.find(i)].push_back(i);

  const auto info = keeperInfo(store, spec);
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
