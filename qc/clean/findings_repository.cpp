#include "qc/clean/findings_repository.h"

#include <SQLiteCpp/Statement.h>

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

Status FindingsRepository::replaceCheck(std::string_view check, const std::vector<NewFinding>& rows) {
  return m_store.transaction([&]() -> Status {
    auto& db = m_store.database();
    // Mark, upsert (keeping decisions), then drop what was not refreshed.
    SQLite::Statement mark(db, "UPDATE findings SET group_key = -1 - group_key WHERE check_name = ?");
    mark.bind(1, std::string(check));
    mark.exec();
    SQLite::Statement up(db,
                         "INSERT INTO findings (item_id, check_name, score, group_key, detail_json) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (check_name, item_id) DO UPDATE SET score = excluded.score, "
                         "group_key = excluded.group_key, detail_json = excluded.detail_json");
    const std::string name(check);
    for (const auto& r : rows) {
      if (r.groupKey < 0) return makeError(ErrorCode::InvalidArgument, "group keys are >= 0");
      up.bind(1, r.itemId);
      up.bind(2, name);
      up.bind(3, r.score);
      up.bind(4, r.groupKey);
      up.bind(5, r.detailJson);
      up.exec();
      up.reset();
    }
    SQLite::Statement drop(db, "DELETE FROM findings WHERE check_name = ? AND group_key < 0");
    drop.bind(1, name);
    drop.exec();
    return okStatus();
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
