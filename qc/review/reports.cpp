#include "qc/review/reports.h"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "qc/sampling/acceptance.h"

namespace lb::qc {

using namespace lb::labeling;

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<BatchReportRow> batchReport(const Session& viewer) { return batchReport(viewer.store(), viewer.user()); }

std::vector<BatchReportRow> batchReport(const ProjectStore& store, const User& viewer) {
  const bool canSeeReference = viewer.role != Role::Annotator;
  std::vector<BatchReportRow> out;
  for (const auto& b : store.batches()) {
    BatchReportRow r;
    r.batch = b.id;
    r.name = b.name;
    ItemFilter f;
    f.batchId = b.id;
    f.withText = false;
    for (const auto& it : store.items(f)) {
      ++r.items;
      switch (it.state) {
        case ItemState::New: ++r.fresh; break;
        case ItemState::InProgress: ++r.inProgress; break;
        case ItemState::Submitted: ++r.submitted; break;
        case ItemState::Accepted: ++r.accepted; break;
        case ItemState::Rejected: ++r.rejected; break;
      }
      if (it.isGold && canSeeReference) ++r.goldItems;
      for (const auto& rv : store.reviews(it.id)) {
        ++r.reviews;
        if (rv.verdict == ReviewVerdict::Accept) ++r.accepts;
        else if (rv.verdict == ReviewVerdict::Reject) ++r.rejects;
        else ++r.fixes;
      }
    }
    r.rejectRate = r.reviews ? static_cast<double>(r.rejects) / r.reviews : 0;
    const auto lotsOfBatch = lots(store, b.id);
    if (!lotsOfBatch.empty()) {
      const auto& l = lotsOfBatch.back();
      r.aqlState = toString(l.state);
      r.aql = l.aql;
      r.aqlSampleSize = l.plan.sampleSize;
      r.aqlNonconforming = l.state == LotState::Drawn ? 0 : l.nonconforming;
    }
    out.push_back(r);
  }
  return out;
}

std::vector<AnnotatorReportRow> annotatorReport(const Session& viewer) {
  return annotatorReport(viewer.store(), viewer.user());
}

std::vector<AnnotatorReportRow> annotatorReport(const ProjectStore& store, const User& viewer) {
  std::map<UserId, AnnotatorReportRow> rows;
  std::map<UserId, std::set<ItemId>> firstAccepted, seen;
  ItemFilter all;
  all.includeExcluded = true;
  all.withText = false;
  for (ItemId id : store.itemIds(all)) {
    std::set<UserId> firstDone;
    for (const auto& rv : store.reviews(id)) {
      if (!rv.annotatorId) continue;
      auto& r = rows[rv.annotatorId];
      r.annotator = rv.annotatorId;
      ++r.reviewed;
      if (rv.verdict == ReviewVerdict::Accept) ++r.accepted;
      else if (rv.verdict == ReviewVerdict::Reject) ++r.rejected;
      else ++r.fixed;
      seen[rv.annotatorId].insert(id);
      if (firstDone.insert(rv.annotatorId).second && rv.verdict == ReviewVerdict::Accept)
        firstAccepted[rv.annotatorId].insert(id);
    }
  }
  std::map<UserId, GoldScore> gold;
  if (viewer.role != Role::Annotator)
    if (auto g = goldAccuracy(store, viewer))
      for (const auto& s : *g) gold[s.annotator] = s;
  for (const auto& u : store.users())
    if (u.role == Role::Annotator && (rows.count(u.id) || gold.count(u.id))) rows[u.id].annotator = u.id;
  std::vector<AnnotatorReportRow> out;
  for (auto& [id, r] : rows) {
    auto u = store.user(id);
    r.name = u ? u->name : "#" + std::to_string(id);
    r.itemsReviewed = static_cast<int>(seen[id].size());
    r.firstPassAcceptRate = r.itemsReviewed ? static_cast<double>(firstAccepted[id].size()) / r.itemsReviewed : 0;
    r.reworkRate = r.reviewed ? static_cast<double>(r.rejected + r.fixed) / r.reviewed : 0;
    if (gold.count(id)) r.gold = gold[id];
    out.push_back(r);
  }
  return out;
}

std::string batchReportCsv(const std::vector<BatchReportRow>& rows) {
  std::ostringstream o;
  o << "batch_id,batch,items,new,in_progress,submitted,accepted,rejected,reviews,accepts,rejects,"
       "fix_and_accepts,reject_rate,gold_items,aql_lot,aql,aql_sample,aql_nonconforming\n";
  for (const auto& r : rows)
    o << r.batch << ',' << csvField(r.name) << ',' << r.items << ',' << r.fresh << ',' << r.inProgress << ','
      << r.submitted << ',' << r.accepted << ',' << r.rejected << ',' << r.reviews << ',' << r.accepts << ','
      << r.rejects << ',' << r.fixes << ',' << num(r.rejectRate) << ',' << r.goldItems << ',' << r.aqlState << ','
      << (r.aqlState.empty() ? "" : num(r.aql)) << ',' << r.aqlSampleSize << ',' << r.aqlNonconforming << '\n';
  return o.str();
}

std::string annotatorReportCsv(const std::vector<AnnotatorReportRow>& rows) {
  std::ostringstream o;
  o << "user_id,annotator,verdicts,items_reviewed,accepted,rejected,fix_and_accepted,first_pass_accept_rate,"
       "rework_rate,gold_items,gold_object_precision,gold_object_recall,gold_object_f1,gold_class_accuracy,"
       "gold_mean_iou,gold_span_exact_f1,gold_span_overlap_f1,gold_tag_f1,gold_rating_exact,gold_ranking_spearman\n";
  for (const auto& r : rows) {
    o << r.annotator << ',' << csvField(r.name) << ',' << r.reviewed << ',' << r.itemsReviewed << ',' << r.accepted
      << ',' << r.rejected << ',' << r.fixed << ',' << num(r.firstPassAcceptRate) << ',' << num(r.reworkRate) << ',';
    if (r.gold) {
      const auto& g = *r.gold;
      o << g.goldItems << ',' << num(g.objectPrecision) << ',' << num(g.objectRecall) << ',' << num(g.objectF1) << ','
        << num(g.classAccuracy) << ',' << num(g.meanIou) << ',' << num(g.spanExactF1) << ',' << num(g.spanOverlapF1)
        << ',' << num(g.tagF1) << ',' << num(g.ratingExact) << ',' << num(g.rankingSpearman) << '\n';
    } else {
      o << "0,,,,,,,,,,\n";
    }
  }
  return o.str();
}

}  // namespace lb::qc
