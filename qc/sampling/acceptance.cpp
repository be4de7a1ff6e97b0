#include "qc/sampling/acceptance.h"

#include <nlohmann/json.hpp>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <random>

#include "labeling/events.h"
#include "qc/review/qc_db.h"

namespace lb::qc {

using namespace lb::labeling;
using nlohmann::json;

const char* toString(LotState s) {
  switch (s) {
    case LotState::Drawn: return "drawn";
    case LotState::Accepted: return "accepted";
    case LotState::Rejected: return "rejected";
  }
  return "drawn";
}

namespace {

LotState lotStateFrom(const std::string& s) {
  return s == "accepted" ? LotState::Accepted : s == "rejected" ? LotState::Rejected : LotState::Drawn;
}

Status requireReviewer(const Session& s) {
  if (s.user().role == Role::Annotator)
    return makeError(ErrorCode::InvalidArgument,
                     s.user().name + " is an annotator; acceptance sampling is done by reviewers and leads");
  return okStatus();
}

Error noSql() {
  return makeError(ErrorCode::Unsupported, "this project store does not hold acceptance-sampling tables");
}

}  // namespace

Result<Lot> lot(const ProjectStore& store, std::int64_t id) {
  const auto* db = qcDatabase(store);
  if (!db) return noSql();
  SQLite::Statement q(*db,
                      "SELECT id, batch_id, lot_size, level, aql, table_letter, plan_letter, sample_size, "
                      "accept_number, reject_number, seed, state, nonconforming, created_ms, decided_ms "
                      "FROM aql_lots WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return makeError(ErrorCode::NotFound, "acceptance lot " + std::to_string(id) + " does not exist");
  Lot l;
  l.id = q.getColumn(0).getInt64();
  l.batch = q.getColumn(1).getInt64();
  l.lotSize = q.getColumn(2).getInt64();
  l.level = inspectionLevelFrom(q.getColumn(3).getString()).value_or(InspectionLevel::II);
  l.aql = q.getColumn(4).getDouble();
  l.plan.tableLetter = q.getColumn(5).getString().at(0);
  l.plan.planLetter = q.getColumn(6).getString().at(0);
  l.plan.sampleSize = q.getColumn(7).getInt();
  l.plan.accept = q.getColumn(8).getInt();
  l.plan.reject = q.getColumn(9).getInt();
  l.plan.hundredPercent = l.plan.sampleSize >= l.lotSize;
  l.seed = static_cast<std::uint64_t>(q.getColumn(10).getInt64());
  l.state = lotStateFrom(q.getColumn(11).getString());
  l.nonconforming = q.getColumn(12).getInt();
  l.createdMs = q.getColumn(13).getInt64();
  l.decidedMs = q.getColumn(14).getInt64();
  SQLite::Statement s(*db, "SELECT item_id, position, verdict, note FROM aql_samples WHERE lot_id = ? ORDER BY position");
  s.bind(1, id);
  while (s.executeStep()) {
    SampledItem it{s.getColumn(0).getInt64(), s.getColumn(1).getInt(), s.getColumn(2).getString(),
                   s.getColumn(3).getString()};
    if (!it.verdict.empty()) ++l.inspected;
    l.sample.push_back(std::move(it));
  }
  return l;
}

std::vector<Lot> lots(const ProjectStore& store, std::optional<BatchId> batch) {
  std::vector<Lot> out;
  const auto* db = qcDatabase(store);
  if (!db) return out;
  SQLite::Statement q(*db, batch ? "SELECT id FROM aql_lots WHERE batch_id = ? ORDER BY id" : "SELECT id FROM aql_lots ORDER BY id");
  if (batch) q.bind(1, *batch);
  std::vector<std::int64_t> ids;
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  for (auto id : ids)
    if (auto l = lot(store, id)) out.push_back(std::move(*l));
  return out;
}

Result<Lot> drawLot(Session& session, BatchId batch, double aql, InspectionLevel level, std::uint64_t seed) {
  if (auto st = requireReviewer(session); !st) return st.error();
  ProjectStore& store = session.store();
  auto* db = qcDatabase(store);
  if (!db) return noSql();
  ItemFilter f;
  f.batchId = batch;
  auto ids = store.itemIds(f);
  if (ids.size() < 2)
    return makeError(ErrorCode::InvalidArgument, "batch " + std::to_string(batch) + " has " + std::to_string(ids.size()) +
                                                     " items; acceptance sampling needs a lot of at least 2");
  auto plan = planForLot(static_cast<long long>(ids.size()), level, aql);
  if (!plan) return plan.error();
  std::sort(ids.begin(), ids.end());
  // Partial Fisher–Yates with a fixed generator: reproducible from the recorded seed.
  std::mt19937_64 gen(seed);
  const std::size_t n = static_cast<std::size_t>(plan->sampleSize);
  for (std::size_t i = 0; i < n; ++i) {
    // Modulo rather than uniform_int_distribution: the latter differs between standard
    // libraries, and a recorded seed must redraw the same sample anywhere.
    const std::size_t j = i + static_cast<std::size_t>(gen() % (ids.size() - i));
    std::swap(ids[i], ids[j]);
  }
  std::int64_t lotId = 0;
  Status st = store.transaction([&]() -> Status {
    try {
      SQLite::Statement ins(*db,
                            "INSERT INTO aql_lots(batch_id, lot_size, level, aql, table_letter, plan_letter, "
                            "sample_size, accept_number, reject_number, seed, drawn_by, created_ms) "
                            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
      ins.bind(1, batch);
      ins.bind(2, static_cast<std::int64_t>(ids.size()));
      ins.bind(3, toString(level));
      ins.bind(4, aql);
      ins.bind(5, std::string(1, plan->tableLetter));
      ins.bind(6, std::string(1, plan->planLetter));
      ins.bind(7, plan->sampleSize);
      ins.bind(8, plan->accept);
      ins.bind(9, plan->reject);
      ins.bind(10, static_cast<std::int64_t>(seed));
      ins.bind(11, session.user().id);
      ins.bind(12, nowMs());
      ins.exec();
      lotId = db->getLastInsertRowid();
      SQLite::Statement s(*db, "INSERT INTO aql_samples(lot_id, item_id, position) VALUES (?,?,?)");
      for (std::size_t i = 0; i < n; ++i) {
        s.bind(1, lotId);
        s.bind(2, ids[i]);
        s.bind(3, static_cast<int>(i));
        s.exec();
        s.reset();
      }
    } catch (const SQLite::Exception& e) {
      return makeError(ErrorCode::Io, std::string("recording the acceptance lot failed: ") + e.what());
    }
    session.logEvent(events::kAqlDraw, 0,
                     json{{"lot", lotId}, {"batch", batch}, {"sample_size", plan->sampleSize}}.dump());
    return okStatus();
  });
  if (!st) return st.error();
  return lot(store, lotId);
}

Status inspectSample(Session& session, std::int64_t lotId, ItemId item, bool conforming, const std::string& note) {
  if (auto st = requireReviewer(session); !st) return st;
  auto l = lot(session.store(), lotId);
  if (!l) return l.error();
  if (l->state != LotState::Drawn)
    return makeError(ErrorCode::Conflict, "acceptance lot " + std::to_string(lotId) + " is already " + toString(l->state));
  auto* db = qcDatabase(session.store());
  return session.store().transaction([&]() -> Status {
    SQLite::Statement u(*db,
                        "UPDATE aql_samples SET verdict = ?, note = ?, inspected_by = ?, inspected_ms = ? "
                        "WHERE lot_id = ? AND item_id = ?");
    u.bind(1, conforming ? "conforming" : "nonconforming");
    u.bind(2, note);
    u.bind(3, session.user().id);
    u.bind(4, nowMs());
    u.bind(5, lotId);
    u.bind(6, item);
    if (u.exec() != 1)
      return makeError(ErrorCode::NotFound,
                       "item " + std::to_string(item) + " is not in the sample of acceptance lot " + std::to_string(lotId));
    session.logEvent(events::kAqlInspect, item,
                     json{{"lot", lotId}, {"verdict", conforming ? "conforming" : "nonconforming"}}.dump());
    return okStatus();
  });
}

Result<Lot> decideLot(Session& session, std::int64_t lotId) {
  if (auto st = requireReviewer(session); !st) return st.error();
  auto l = lot(session.store(), lotId);
  if (!l) return l.error();
  if (l->state != LotState::Drawn) return l;
  int bad = 0, open = 0;
  for (const auto& s : l->sample) {
    if (s.verdict == "nonconforming") ++bad;
    if (s.verdict.empty()) ++open;
  }
  LotState decision;
  if (bad >= l->plan.reject) decision = LotState::Rejected;
  else if (open == 0) decision = LotState::Accepted;
  else
    return makeError(ErrorCode::Conflict, "acceptance lot " + std::to_string(lotId) + ": " + std::to_string(open) +
                                              " of " + std::to_string(l->sample.size()) +
                                              " sampled items are not inspected yet (nonconforming so far: " +
                                              std::to_string(bad) + ", rejection at " + std::to_string(l->plan.reject) + ")");
  auto* db = qcDatabase(session.store());
  Status st = session.store().transaction([&]() -> Status {
    SQLite::Statement u(*db, "UPDATE aql_lots SET state = ?, nonconforming = ?, decided_by = ?, decided_ms = ? WHERE id = ?");
    u.bind(1, toString(decision));
    u.bind(2, bad);
    u.bind(3, session.user().id);
    u.bind(4, nowMs());
    u.bind(5, lotId);
    u.exec();
    session.logEvent(events::kAqlDecide, 0,
                     json{{"lot", lotId}, {"state", toString(decision)}, {"nonconforming", bad}}.dump());
    return okStatus();
  });
  if (!st) return st.error();
  return lot(session.store(), lotId);
}

}  // namespace lb::qc
