#include "qc/review/gold.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>

#include "labeling/events.h"
#include "qc/agreement/matching.h"
#include "qc/agreement/metrics.h"

namespace lb::qc {

using namespace lb::labeling;
using nlohmann::json;

namespace {

Status requireLead(const Session& s, const std::string& what) {
  if (s.user().role != Role::Lead)
    return makeError(ErrorCode::InvalidArgument, s.user().name + " is not a lead; only a lead can " + what);
  return okStatus();
}

bool isMerged(const Annotation& a) { return a.source.rfind("merge:", 0) == 0; }

using RatingKey = std::pair<int, std::string>;  // (response, criterion)
std::map<RatingKey, double> ratingScores(const std::vector<Annotation>& list) {
  std::map<RatingKey, double> out;
  for (const auto& a : list) {
    if (a.kind != AnnotationKind::Rating) continue;
    const auto d = json::parse(a.dataJson, nullptr, false);
    if (!d.is_object() || !d.contains("scores") || !d["scores"].is_object()) continue;
    const int response = d.value("response", 0);
    for (const auto& [k, v] : d["scores"].items())
      if (v.is_number()) out[{response, k}] = v.get<double>();
  }
  return out;
}

std::vector<double> rankingOf(const std::vector<Annotation>& list) {
  for (const auto& a : list) {
    if (a.kind != AnnotationKind::Ranking) continue;
    const auto d = json::parse(a.dataJson, nullptr, false);
    if (d.is_object() && d.contains("ranks") && d["ranks"].is_array()) return d["ranks"].get<std::vector<double>>();
  }
  return {};
}

struct Totals {
  GoldScore s;
  double iouSum = 0, ratingAbsSum = 0, ratingExactCount = 0, spearmanSum = 0;
};

void scoreItem(const std::vector<Annotation>& refs, const std::vector<Annotation>& mine, double iouThreshold,
               Totals& t) {
  auto pick = [](const std::vector<Annotation>& list, auto pred) {
    std::vector<Annotation> out;
    for (const auto& a : list)
      if (pred(a)) out.push_back(a);
    return out;
  };
  // Objects
  const auto refObjs = pick(refs, [](const Annotation& a) { return isShape(a.kind); });
  const auto myObjs = pick(mine, [](const Annotation& a) { return isShape(a.kind); });
  t.s.objectsReference += static_cast<int>(refObjs.size());
  t.s.objectsPredicted += static_cast<int>(myObjs.size());
  for (const auto& m : matchByIou(myObjs, refObjs, iouThreshold, false)) {
    ++t.s.objectsMatched;
    t.iouSum += m.iou;
    if (myObjs[m.a].classId == refObjs[m.b].classId) ++t.s.objectsClassCorrect;
  }
  // Spans
  const auto refSpans = pick(refs, [](const Annotation& a) { return a.kind == AnnotationKind::Span; });
  const auto mySpans = pick(mine, [](const Annotation& a) { return a.kind == AnnotationKind::Span; });
  t.s.spansReference += static_cast<int>(refSpans.size());
  t.s.spansPredicted += static_cast<int>(mySpans.size());
  std::multiset<std::tuple<double, double, ClassId>> refSet;
  for (const auto& r : refSpans) refSet.insert({r.coords.at(0), r.coords.at(1), r.classId});
  for (const auto& m : mySpans) {
    auto it = refSet.find({m.coords.at(0), m.coords.at(1), m.classId});
    if (it != refSet.end()) {
      ++t.s.spansExact;
      refSet.erase(it);
    }
  }
  t.s.spansOverlap += static_cast<int>(matchByIou(mySpans, refSpans, 1e-9, true).size());
  // Tags and document classes
  std::set<ClassId> refTags, myTags;
  for (const auto& a : refs)
    if (a.kind == AnnotationKind::Tag || a.kind == AnnotationKind::DocClass) refTags.insert(a.classId);
  for (const auto& a : mine)
    if (a.kind == AnnotationKind::Tag || a.kind == AnnotationKind::DocClass) myTags.insert(a.classId);
  t.s.tagsReference += static_cast<int>(refTags.size());
  t.s.tagsPredicted += static_cast<int>(myTags.size());
  for (ClassId c : myTags) t.s.tagsCorrect += static_cast<int>(refTags.count(c));
  // Ratings
  const auto refScores = ratingScores(refs), myScores = ratingScores(mine);
  for (const auto& [k, v] : refScores) {
    auto it = myScores.find(k);
    if (it == myScores.end()) continue;
    ++t.s.ratingPairs;
    t.ratingAbsSum += std::fabs(it->second - v);
    if (it->second == v) ++t.ratingExactCount;
  }
  // Rankings
  const auto refRank = rankingOf(refs), myRank = rankingOf(mine);
  if (!refRank.empty() && refRank.size() == myRank.size()) {
    const double rho = spearman(myRank, refRank);
    if (!std::isnan(rho)) {
      ++t.s.rankings;
      t.spearmanSum += rho;
    }
  }
}

}  // namespace

Status setGoldItem(Session& lead, ItemId item, bool gold) {
  if (auto st = requireLead(lead, "mark gold items"); !st) return st;
  return lead.store().setGold(item, gold);
}

Result<AnnotationId> addReference(Session& lead, ItemId item, Annotation a) {
  if (auto st = requireLead(lead, "give reference answers"); !st) return st.error();
  ProjectStore& store = lead.store();
  auto it = store.item(item);
  if (!it) return it.error();
  a.id = 0;
  a.itemId = item;
  a.authorId = lead.user().id;
  a.isReference = true;
  a.source = "manual";
  AnnotationId id = 0;
  Status st = store.transaction([&]() -> Status {
    if (!it->isGold)
      if (auto s = store.setGold(item, true); !s) return s;
    auto r = store.insertAnnotation(a);
    if (!r) return r.error();
    id = *r;
    lead.logEvent(events::kAnnotationCreated, item,
                  json{{"annotation", id}, {"kind", toString(a.kind)}, {"reference", true}}.dump());
    return okStatus();
  });
  if (!st) return st.error();
  return id;
}

Result<int> assignGold(Session& lead, const std::vector<UserId>& annotators, std::optional<BatchId> batch) {
  if (auto st = requireLead(lead, "hand out gold items"); !st) return st.error();
  ProjectStore& store = lead.store();
  ItemFilter f;
  f.batchId = batch;
  f.withText = false;
  std::vector<ItemId> gold;
  for (const auto& it : store.items(f))
    if (it.isGold) gold.push_back(it.id);
  std::set<std::pair<ItemId, UserId>> existing;
  for (const auto& t : store.tasks(std::nullopt, TaskKind::Annotate)) existing.insert({t.itemId, t.userId});
  int created = 0;
  Status st = store.transaction([&]() -> Status {
    for (UserId u : annotators) {
      auto user = store.user(u);
      if (!user) return user.error();
      for (ItemId item : gold) {
        if (existing.count({item, u})) continue;
        if (auto r = store.assign(item, u, TaskKind::Annotate); !r) return r.error();
        ++created;
      }
    }
    return okStatus();
  });
  if (!st) return st.error();
  return created;
}

Result<std::vector<GoldScore>> goldAccuracy(const Session& viewer, const GoldOptions& options) {
  return goldAccuracy(viewer.store(), viewer.user(), options);
}

Result<std::vector<GoldScore>> goldAccuracy(const ProjectStore& store, const User& viewer, const GoldOptions& options) {
  if (viewer.role == Role::Annotator)
    return makeError(ErrorCode::InvalidArgument, viewer.name + " is an annotator; gold figures are for reviewers and leads");
  ItemFilter f;
  f.batchId = options.batch;
  f.withText = false;
  std::map<ItemId, bool> goldItems;
  for (const auto& it : store.items(f))
    if (it.isGold) goldItems[it.id] = true;
  // Who labelled which gold item: finished annotate tasks, and anyone who drew on it.
  std::map<UserId, std::set<ItemId>> done;
  for (const auto& t : store.tasks(std::nullopt, TaskKind::Annotate))
    if (goldItems.count(t.itemId) && (t.state == TaskState::Submitted || t.state == TaskState::Done))
      done[t.userId].insert(t.itemId);
  std::map<ItemId, std::vector<Annotation>> all;
  for (const auto& [item, _] : goldItems) {
    all[item] = store.annotations(item, true);
    for (const auto& a : all[item])
      if (!a.isReference && a.authorId && !isMerged(a)) done[a.authorId].insert(item);
  }
  std::vector<GoldScore> out;
  for (const auto& [user, items] : done) {
    auto u = store.user(user);
    if (!u || u->role != Role::Annotator) continue;
    Totals t;
    t.s.annotator = user;
    t.s.annotatorName = u->name;
    for (ItemId item : items) {
      std::vector<Annotation> refs, mine;
      for (const auto& a : all[item]) {
        if (a.isReference) refs.push_back(a);
        else if (a.authorId == user && !isMerged(a)) mine.push_back(a);
      }
      ++t.s.goldItems;
      scoreItem(refs, mine, options.iouThreshold, t);
    }
    auto& s = t.s;
    const Prf obj = prf(s.objectsMatched, s.objectsPredicted, s.objectsReference);
    s.objectPrecision = obj.precision;
    s.objectRecall = obj.recall;
    s.objectF1 = obj.f1;
    s.classAccuracy = s.objectsMatched ? static_cast<double>(s.objectsClassCorrect) / s.objectsMatched : 0;
    s.strictF1 = prf(s.objectsClassCorrect, s.objectsPredicted, s.objectsReference).f1;
    s.meanIou = s.objectsMatched ? t.iouSum / s.objectsMatched : 0;
    s.spanExactF1 = prf(s.spansExact, s.spansPredicted, s.spansReference).f1;
    s.spanOverlapF1 = prf(s.spansOverlap, s.spansPredicted, s.spansReference).f1;
    s.tagF1 = prf(s.tagsCorrect, s.tagsPredicted, s.tagsReference).f1;
    s.ratingExact = s.ratingPairs ? t.ratingExactCount / s.ratingPairs : 0;
    s.ratingMeanAbsDiff = s.ratingPairs ? t.ratingAbsSum / s.ratingPairs : 0;
    s.rankingSpearman = s.rankings ? t.spearmanSum / s.rankings : 0;
    out.push_back(s);
  }
  return out;
}

}  // namespace lb::qc
