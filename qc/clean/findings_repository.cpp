#include "qc/clean/findings_repository.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace lb::qc::clean {

using labeling::ItemId;

std::string_view toString(Decision d) {
  switch (d) {
    case Decision::Exclude: return "exclude";
    case Decision::Keep: return "keep";
    case Decision::None: break;
  }
  return "";
}

namespace {
Decision decisionFrom(const std::string& s) {
  if (s == "exclude") return Decision::Exclude;
  if (s == "keep") return Decision::Keep;
  return Decision::None;
}

constexpr const char* kColumns = "id, item_id, check_name, score, group_key, detail_json, decision, decided_by, decided_ms";

Finding readRow(SQLite::Statement& q) {
  Finding f;
  f.id = q.getColumn(0).getInt64();
  f.itemId = q.getColumn(1).getInt64();
  f.check = q.getColumn(2).getString();
  f.score = q.getColumn(3).getDouble();
  f.groupKey = q.getColumn(4).getInt64();
  f.detailJson = q.getColumn(5).getString();
  f.decision = decisionFrom(q.getColumn(6).getString());
  f.decidedBy = q.getColumn(7).getInt64();
  f.decidedMs = q.getColumn(8).getInt64();
  return f;
}

const char* comparison(const CheckSpec& spec) { return spec.direction == Direction::HighIsBad ? ">=" : "<="; }
}  // namespace

Result<FindingsRepository> FindingsRepository::open(labeling::ProjectStore& store) {
  auto* sqlite = dynamic_cast<labeling::SqliteProjectStore*>(&store);
  if (!sqlite)
    return makeError(ErrorCode::Unsupported, store.path() + ": cleaning findings need a single-file (SQLite) project");
  return FindingsRepository(*sqlite);
}

namespace {
// FNV-1a over rows a check stores, to see without reading them that nothing changed.
struct RowsDigest {
  std::uint64_t h = 1469598103934665603ull;
  std::int64_t count = 0;
  void add(const NewFinding& r) {
    mix(&r.itemId, sizeof r.itemId);
    mix(&r.score, sizeof r.score);
    mix(&r.groupKey, sizeof r.groupKey);
    mix(r.detailJson.data(), r.detailJson.size());
    ++count;
  }
  void mix(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
};

// Setting text: digest and count of the rows stored, and the largest item id among them.
std::string digestText(const RowsDigest& d, ItemId maxItem) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "\"%016llx:%lld:%lld\"", static_cast<unsigned long long>(d.h), static_cast<long long>(d.count),
                static_cast<long long>(maxItem));
  return buf;
}

std::optional<std::pair<std::string, ItemId>> parseDigestText(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  unsigned long long h = 0;
  long long count = 0, maxItem = 0;
  if (std::sscanf(text->c_str(), "\"%16llx:%lld:%lld\"", &h, &count, &maxItem) != 3) return std::nullopt;
  RowsDigest d;
  d.h = h;
  d.count = count;
  return std::pair{digestText(d, maxItem), static_cast<ItemId>(maxItem)};
}
}  // namespace

Status FindingsRepository::replaceCheck(std::string_view check, const std::vector<NewFinding>& rows) {
  const std::string name(check);
  for (const auto& r : rows)
    if (r.groupKey < 0) return makeError(ErrorCode::InvalidArgument, "group keys are >= 0");
  const std::string digestKey = "clean_rows_digest." + name;
  RowsDigest all;
  ItemId maxItem = 0;
  for (const auto& r : rows) all.add(r), maxItem = std::max(maxItem, r.itemId);
  const std::string digest = digestText(all, maxItem);
  // The rows the last run stored, if the project still holds exactly those: the rows of items
  // up to its largest item id are what it stored (same digest, and as many rows stored), so only
  // rows of later items (new imports) need writing. A re-run whose rows did not change writes
  // nothing.
  if (const auto last = parseDigestText(m_store.setting(digestKey))) {
    RowsDigest prefix;
    std::vector<const NewFinding*> tail;
    for (const auto& r : rows)
      if (r.itemId <= last->second) prefix.add(r);
      else tail.push_back(&r);
    if (digestText(prefix, last->second) == last->first && countRows(check) == prefix.count) {
      if (tail.empty()) return okStatus();
      return m_store.transaction([&]() -> Status {
        SQLite::Statement ins(m_store.database(),
                              "INSERT INTO findings (item_id, check_name, score, group_key, detail_json) VALUES (?, ?, ?, ?, ?) "
                              "ON CONFLICT (check_name, item_id) DO UPDATE SET score = excluded.score, "
                              "group_key = excluded.group_key, detail_json = excluded.detail_json");
        for (const auto* r : tail) {
          ins.bind(1, r->itemId);
          ins.bind(2, name);
          ins.bind(3, r->score);
          ins.bind(4, r->groupKey);
          ins.bind(5, r->detailJson);
          ins.exec();
          ins.reset();
        }
        return m_store.setSetting(digestKey, digest);
      });
    }
  }
  return m_store.transaction([&]() -> Status {
    auto& db = m_store.database();
    // Only rows that changed are written; decisions live on the rows and stay.
    struct Old {
      double score;
      std::int64_t group;
      std::string detail;
      bool seen = false;
    };
    std::unordered_map<ItemId, Old> old;
    {
      SQLite::Statement q(db, "SELECT item_id, score, group_key, detail_json FROM findings WHERE check_name = ?");
      q.bind(1, name);
      while (q.executeStep())
        old.emplace(q.getColumn(0).getInt64(), Old{q.getColumn(1).getDouble(), q.getColumn(2).getInt64(), q.getColumn(3).getString()});
    }
    SQLite::Statement ins(db, "INSERT INTO findings (item_id, check_name, score, group_key, detail_json) VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement upd(db, "UPDATE findings SET score = ?, group_key = ?, detail_json = ? WHERE check_name = ? AND item_id = ?");
    for (const auto& r : rows) {
      auto it = old.find(r.itemId);
      if (it == old.end()) {
        ins.bind(1, r.itemId);
        ins.bind(2, name);
        ins.bind(3, r.score);
        ins.bind(4, r.groupKey);
        ins.bind(5, r.detailJson);
        ins.exec();
        ins.reset();
        continue;
      }
      it->second.seen = true;
      if (it->second.score == r.score && it->second.group == r.groupKey && it->second.detail == r.detailJson) continue;
      upd.bind(1, r.score);
      upd.bind(2, r.groupKey);
      upd.bind(3, r.detailJson);
      upd.bind(4, name);
      upd.bind(5, r.itemId);
      upd.exec();
      upd.reset();
    }
    SQLite::Statement del(db, "DELETE FROM findings WHERE check_name = ? AND item_id = ?");
    for (const auto& [id, o] : old) {
      if (o.seen) continue;
      del.bind(1, name);
      del.bind(2, id);
      del.exec();
      del.reset();
    }
    return m_store.setSetting(digestKey, digest);
  });
}

std::vector<Finding> FindingsRepository::findings(const CheckSpec& spec, double threshold) const {
  SQLite::Statement q(m_store.database(), std::string("SELECT ") + kColumns +
                                              " FROM findings WHERE check_name = ? AND score " + comparison(spec) +
                                              " ? ORDER BY item_id");
  q.bind(1, std::string(spec.name));
  q.bind(2, threshold);
  std::vector<Finding> out;
  while (q.executeStep()) out.push_back(readRow(q));
  return out;
}

std::int64_t FindingsRepository::countFindings(const CheckSpec& spec, double threshold) const {
  SQLite::Statement q(m_store.database(), std::string("SELECT count(*) FROM findings WHERE check_name = ? AND score ") +
                                              comparison(spec) + " ?");
  q.bind(1, std::string(spec.name));
  q.bind(2, threshold);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

FindingsRepository::DecisionCounts FindingsRepository::countDecisions(const CheckSpec& spec, double threshold) const {
  SQLite::Statement q(m_store.database(),
                      std::string("SELECT count(*), total(decision = 'exclude'), total(decision = 'keep') FROM findings "
                                  "WHERE check_name = ? AND score ") + comparison(spec) + " ?");
  q.bind(1, std::string(spec.name));
  q.bind(2, threshold);
  q.executeStep();
  return {q.getColumn(0).getInt64(), static_cast<std::int64_t>(q.getColumn(1).getDouble()),
          static_cast<std::int64_t>(q.getColumn(2).getDouble())};
}

std::vector<ItemId> FindingsRepository::firstFindings(const CheckSpec& spec, double threshold, int limit) const {
  SQLite::Statement q(m_store.database(), std::string("SELECT item_id FROM findings WHERE check_name = ? AND score ") +
                                              comparison(spec) + " ? ORDER BY item_id LIMIT ?");
  q.bind(1, std::string(spec.name));
  q.bind(2, threshold);
  q.bind(3, limit);
  std::vector<ItemId> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
  return out;
}

std::vector<std::pair<ItemId, Decision>> FindingsRepository::decidedFindings(const CheckSpec& spec, double threshold) const {
  SQLite::Statement q(m_store.database(), std::string("SELECT item_id, decision FROM findings WHERE check_name = ? AND decision <> '' "
                                                      "AND score ") + comparison(spec) + " ? ORDER BY item_id");
  q.bind(1, std::string(spec.name));
  q.bind(2, threshold);
  std::vector<std::pair<ItemId, Decision>> out;
  while (q.executeStep()) out.emplace_back(q.getColumn(0).getInt64(), decisionFrom(q.getColumn(1).getString()));
  return out;
}

std::vector<Finding> FindingsRepository::rows(std::string_view check) const {
  SQLite::Statement q(m_store.database(),
                      std::string("SELECT ") + kColumns + " FROM findings WHERE check_name = ? ORDER BY item_id");
  q.bind(1, std::string(check));
  std::vector<Finding> out;
  while (q.executeStep()) out.push_back(readRow(q));
  return out;
}

std::optional<Finding> FindingsRepository::row(std::string_view check, ItemId item) const {
  SQLite::Statement q(m_store.database(),
                      std::string("SELECT ") + kColumns + " FROM findings WHERE check_name = ? AND item_id = ?");
  q.bind(1, std::string(check));
  q.bind(2, item);
  if (!q.executeStep()) return std::nullopt;
  return readRow(q);
}

std::int64_t FindingsRepository::countRows(std::string_view check) const {
  SQLite::Statement q(m_store.database(), "SELECT count(*) FROM findings WHERE check_name = ?");
  q.bind(1, std::string(check));
  q.executeStep();
  return q.getColumn(0).getInt64();
}

Status FindingsRepository::setDecision(std::string_view check, ItemId item, Decision d, labeling::UserId by) {
  SQLite::Statement q(m_store.database(),
                      "UPDATE findings SET decision = ?, decided_by = ?, decided_ms = ? WHERE check_name = ? AND item_id = ?");
  q.bind(1, std::string(toString(d)));
  q.bind(2, d == Decision::None ? 0 : by);
  q.bind(3, d == Decision::None ? 0 : labeling::nowMs());
  q.bind(4, std::string(check));
  q.bind(5, item);
  if (q.exec() == 0)
    return makeError(ErrorCode::NotFound, "item " + std::to_string(item) + " has no '" + std::string(check) +
                                              "' finding; run: labelbench-cli clean run");
  return okStatus();
}

}  // namespace lb::qc::clean
