#include "qc/agreement/overlap.h"

#include <nlohmann/json.hpp>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "labeling/events.h"
#include "qc/agreement/matching.h"
#include "qc/agreement/metrics.h"
#include "qc/review/qc_db.h"
#include "qc/stats.h"

namespace lb::qc {

using namespace lb::labeling;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kMergeSource = "merge:majority";

bool countsAsRater(const Annotation& a) {
  return !a.isReference && a.authorId != 0 && a.source.rfind("merge:", 0) != 0;
}

using ByAuthor = std::map<UserId, std::vector<Annotation>>;

ByAuthor byAuthor(const ProjectStore& store, ItemId item) {
  ByAuthor out;
  for (auto& a : store.annotations(item, false))
    if (countsAsRater(a)) out[a.authorId].push_back(std::move(a));
  return out;
}

template <typename Pred>
std::vector<Annotation> pick(const std::vector<Annotation>& list, Pred pred) {
  std::vector<Annotation> out;
  for (const auto& a : list)
    if (pred(a)) out.push_back(a);
  return out;
}

bool isTag(const Annotation& a) { return a.kind == AnnotationKind::Tag || a.kind == AnnotationKind::DocClass; }
bool isSpan(const Annotation& a) { return a.kind == AnnotationKind::Span; }
bool isShapeA(const Annotation& a) { return isShape(a.kind); }

std::string tagValue(const std::vector<Annotation>& list) {
  std::set<ClassId> tags;
  for (const auto& a : list)
    if (isTag(a)) tags.insert(a.classId);
  std::string v;
  for (ClassId c : tags) v += (v.empty() ? "" : "+") + std::to_string(c);
  return v;
}

using RatingKey = std::pair<int, std::string>;
std::map<RatingKey, double> ratingScores(const std::vector<Annotation>& list) {
  std::map<RatingKey, double> out;
  for (const auto& a : list) {
    if (a.kind != AnnotationKind::Rating) continue;
    const auto d = json::parse(a.dataJson, nullptr, false);
    if (!d.is_object() || !d.contains("scores") || !d["scores"].is_object()) continue;
    for (const auto& [k, v] : d["scores"].items())
      if (v.is_number()) out[{d.value("response", 0), k}] = v.get<double>();
  }
  return out;
}

std::vector<double> rankingOf(const std::vector<Annotation>& list) {
  for (const auto& a : list)
    if (a.kind == AnnotationKind::Ranking) {
      const auto d = json::parse(a.dataJson, nullptr, false);
      if (d.is_object() && d.contains("ranks") && d["ranks"].is_array()) return d["ranks"].get<std::vector<double>>();
    }
  return {};
}

int exactSpanMatches(const std::vector<Annotation>& a, const std::vector<Annotation>& b) {
  std::multiset<std::tuple<double, double, ClassId>> rest;
  for (const auto& x : b) rest.insert({x.coords.at(0), x.coords.at(1), x.classId});
  int n = 0;
  for (const auto& x : a)
    if (auto it = rest.find({x.coords.at(0), x.coords.at(1), x.classId}); it != rest.end()) {
      ++n;
      rest.erase(it);
    }
  return n;
}

}  // namespace

std::vector<ItemId> overlapItems(const ProjectStore& store, std::optional<BatchId> batch) {
  ItemFilter f;
  f.batchId = batch;
  const auto ids = store.itemIds(f);
  const std::set<ItemId> wanted(ids.begin(), ids.end());
  std::map<ItemId, std::set<UserId>> authors;
  (void)store.forEachAnnotation([&](const Annotation& a) {
    if (wanted.count(a.itemId) && countsAsRater(a)) authors[a.itemId].insert(a.authorId);
    return true;
  });
  std::vector<ItemId> out;
  for (const auto& [item, users] : authors)
    if (users.size() >= 2) out.push_back(item);
  return out;
}

Result<OverlapAssignment> assignOverlap(Session& lead, const OverlapOptions& o) {
  if (lead.user().role != Role::Lead)
    return makeError(ErrorCode::InvalidArgument, lead.user().name + " is not a lead; only a lead can assign overlap");
  if (!(o.share > 0 && o.share <= 1))
    return makeError(ErrorCode::InvalidArgument, "overlap share must be in (0, 1], e.g. 0.1 for 10% of the items");
  if (o.raters < 2) return makeError(ErrorCode::InvalidArgument, "overlap needs at least 2 annotators per item");
  ProjectStore& store = lead.store();
  std::vector<UserId> annotators = o.annotators;
  if (annotators.empty())
    for (const auto& u : store.users())
      if (u.role == Role::Annotator && u.active) annotators.push_back(u.id);
  if (static_cast<int>(annotators.size()) < o.raters)
    return makeError(ErrorCode::InvalidArgument, "overlap of " + std::to_string(o.raters) + " needs that many annotators; the project has " +
                                                     std::to_string(annotators.size()));
  ItemFilter f;
  f.batchId = o.batch;
  auto ids = store.itemIds(f);
  std::sort(ids.begin(), ids.end());
  const auto count = static_cast<std::size_t>(std::lround(o.share * static_cast<double>(ids.size())));
  std::mt19937_64 gen(o.seed);
  for (std::size_t i = 0; i < count && i < ids.size(); ++i)
    std::swap(ids[i], ids[i + static_cast<std::size_t>(gen() % (ids.size() - i))]);
  ids.resize(std::min(count, ids.size()));
  std::sort(ids.begin(), ids.end());

  std::map<ItemId, std::set<UserId>> assigned;
  std::map<UserId, int> load;
  for (UserId u : annotators) load[u] = 0;
  for (const auto& t : store.tasks(std::nullopt, TaskKind::Annotate)) {
    assigned[t.itemId].insert(t.userId);
    if (load.count(t.userId)) ++load[t.userId];
  }
  OverlapAssignment out;
  out.items = ids;
  Status st = store.transaction([&]() -> Status {
    for (ItemId item : ids) {
      auto& have = assigned[item];
      while (static_cast<int>(have.size()) < o.raters) {
        UserId best = 0;
        for (UserId u : annotators)
          if (!have.count(u) && (best == 0 || load[u] < load[best])) best = u;
        if (!best) break;
        if (auto r = store.assign(item, best, TaskKind::Annotate); !r) return r.error();
        have.insert(best);
        ++load[best];
        ++out.tasksCreated;
      }
    }
    return store.setSetting("overlap.last", json{{"share", o.share}, {"raters", o.raters}, {"seed", o.seed},
                                                 {"items", ids.size()}}.dump());
  });
  if (!st) return st.error();
  return out;
}

AgreementReport computeAgreement(const ProjectStore& store, const AgreementOptions& o) {
  AgreementReport r;
  const auto items = overlapItems(store, o.batch);
  r.items = static_cast<int>(items.size());
  std::map<UserId, int> raterIndex;
  std::vector<ByAuthor> data;
  for (ItemId item : items) {
    data.push_back(byAuthor(store, item));
    for (const auto& [u, _] : data.back()) raterIndex.emplace(u, 0);
  }
  int next = 0;
  for (auto& [_, i] : raterIndex) i = next++;
  r.raters = next;

  // Whole-item classes
  std::map<std::string, double> categoryCode;
  std::vector<std::vector<std::optional<double>>> classUnits;
  std::map<std::pair<UserId, UserId>, std::pair<std::vector<std::string>, std::vector<std::string>>> pairLabels;
  std::vector<std::map<double, double>> fleissRows;
  std::set<std::size_t> raterCounts;
  // Ratings
  std::map<std::tuple<ItemId, int, std::string>, std::vector<std::optional<double>>> ratingUnits;
  double iouSum = 0, tpShapes = 0, sizeShapes = 0, matchesShapes = 0;
  double exactSpans = 0, overlapSpans = 0, sizeSpans = 0, spearmanSum = 0;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const auto& raters = data[k];
    std::vector<std::optional<double>> unit(static_cast<std::size_t>(r.raters));
    std::map<UserId, std::string> labels;
    for (const auto& [u, list] : raters) {
      const std::string v = tagValue(list);
      if (v.empty()) continue;
      labels[u] = v;
      const double code = categoryCode.emplace(v, static_cast<double>(categoryCode.size())).first->second;
      unit[raterIndex[u]] = code;
    }
    for (const auto& [u, list] : raters)
      for (const auto& [key, score] : ratingScores(list)) {
        auto& ru = ratingUnits[{items[k], key.first, key.second}];
        ru.resize(static_cast<std::size_t>(r.raters));
        ru[raterIndex[u]] = score;
      }
    if (labels.size() >= 2) {
      ++r.classUnits;
      classUnits.push_back(unit);
      std::map<double, double> row;
      for (const auto& [u, v] : labels) row[categoryCode[v]] += 1;
      fleissRows.push_back(row);
      raterCounts.insert(labels.size());
      for (auto a = labels.begin(); a != labels.end(); ++a)
        for (auto b = std::next(a); b != labels.end(); ++b) {
          auto& pl = pairLabels[{a->first, b->first}];
          pl.first.push_back(a->second);
          pl.second.push_back(b->second);
        }
    }
    // Pairwise shapes, spans, rankings
    for (auto a = raters.begin(); a != raters.end(); ++a)
      for (auto b = std::next(a); b != raters.end(); ++b) {
        const auto sa = pick(a->second, isShapeA), sb = pick(b->second, isShapeA);
        if (!sa.empty() || !sb.empty()) {
          ++r.shapePairs;
          const auto m = matchByIou(sa, sb, o.iouThreshold, true);
          tpShapes += static_cast<double>(m.size());
          sizeShapes += static_cast<double>(sa.size() + sb.size());
          for (const auto& x : m) iouSum += x.iou;
          matchesShapes += static_cast<double>(m.size());
        }
        const auto pa = pick(a->second, isSpan), pb = pick(b->second, isSpan);
        if (!pa.empty() || !pb.empty()) {
          ++r.spanPairs;
          exactSpans += exactSpanMatches(pa, pb);
          overlapSpans += static_cast<double>(matchByIou(pa, pb, 1e-9, true).size());
          sizeSpans += static_cast<double>(pa.size() + pb.size());
        }
        const auto ra = rankingOf(a->second), rb = rankingOf(b->second);
        if (!ra.empty() && ra.size() == rb.size()) {
          const double rho = spearman(ra, rb);
          if (!std::isnan(rho)) {
            ++r.rankingPairs;
            spearmanSum += rho;
          }
        }
      }
  }
  r.alphaNominal = classUnits.empty() ? kNaN : krippendorffAlpha(classUnits, AlphaLevel::Nominal);
  double kappaSum = 0;
  int kappaPairs = 0;
  for (const auto& [_, pl] : pairLabels) {
    const double k = cohenKappa(pl.first, pl.second);
    if (!std::isnan(k)) {
      kappaSum += k;
      ++kappaPairs;
    }
  }
  r.cohenKappa = kappaPairs ? kappaSum / kappaPairs : kNaN;
  if (raterCounts.size() == 1 && !fleissRows.empty()) {
    std::vector<std::vector<double>> counts;
    for (const auto& row : fleissRows) {
      std::vector<double> c(categoryCode.size(), 0);
      for (const auto& [code, n] : row) c[static_cast<std::size_t>(code)] = n;
      counts.push_back(c);
    }
    r.fleissKappa = fleissKappa(counts);
  } else {
    r.fleissKappa = kNaN;
  }
  std::vector<std::vector<std::optional<double>>> ru;
  for (auto& [_, u] : ratingUnits)
    if (std::count_if(u.begin(), u.end(), [](const auto& v) { return v.has_value(); }) >= 2) ru.push_back(u);
  r.ratingUnits = static_cast<int>(ru.size());
  r.ratingAlphaOrdinal = ru.empty() ? kNaN : krippendorffAlpha(ru, AlphaLevel::Ordinal);
  r.ratingAlphaInterval = ru.empty() ? kNaN : krippendorffAlpha(ru, AlphaLevel::Interval);
  r.ratingAlphaNominal = ru.empty() ? kNaN : krippendorffAlpha(ru, AlphaLevel::Nominal);
  r.meanIou = matchesShapes > 0 ? iouSum / matchesShapes : kNaN;
  r.shapeF1 = sizeShapes > 0 ? 2 * tpShapes / sizeShapes : kNaN;
  r.spanExactF1 = sizeSpans > 0 ? 2 * exactSpans / sizeSpans : kNaN;
  r.spanOverlapF1 = sizeSpans > 0 ? 2 * overlapSpans / sizeSpans : kNaN;
  r.rankingSpearman = r.rankingPairs ? spearmanSum / r.rankingPairs : kNaN;
  return r;
}

// [SECTION] Majority merge

namespace {

struct Member {
  UserId author;
  const Annotation* a;
};

// Clusters annotations of one family (shapes or spans): each joins the best-overlapping cluster
// of the same kind that has no member by the same author, else starts its own.
std::vector<std::vector<Member>> cluster(const ByAuthor& raters, bool spans, double threshold) {
  std::vector<std::vector<Member>> clusters;
  for (const auto& [u, list] : raters)
    for (const auto& a : list) {
      if (spans ? !isSpan(a) : !isShape(a.kind)) continue;
      int best = -1;
      double bestIou = 0;
      for (std::size_t c = 0; c < clusters.size(); ++c) {
        const auto& head = *clusters[c].front().a;
        if (head.kind != a.kind) continue;
        if (std::any_of(clusters[c].begin(), clusters[c].end(), [&](const Member& m) { return m.author == u; })) continue;
        const double iou = spans ? spanIou(head, a) : shapeIou(head, a);
        if (iou >= threshold && iou > bestIou) {
          bestIou = iou;
          best = static_cast<int>(c);
        }
      }
      if (best < 0) clusters.push_back({{u, &a}});
      else clusters[static_cast<std::size_t>(best)].push_back({u, &a});
    }
  return clusters;
}

// The majority class of a cluster, and whether the top two tie.
std::pair<ClassId, bool> majorityClass(const std::vector<Member>& members) {
  std::map<ClassId, int> votes;
  for (const auto& m : members) ++votes[m.a->classId];
  ClassId best = 0;
  int top = -1, second = -1;
  for (auto [c, n] : votes) {
    if (n > top) {
      second = top;
      top = n;
      best = c;
    } else if (n > second) {
      second = n;
    }
  }
  return {best, second == top};
}

Annotation representative(const std::vector<Member>& members, bool spans) {
  Annotation out = *members.front().a;
  if (out.kind == AnnotationKind::Box || spans) {
    // Coordinate-wise median: robust to one annotator's sloppy edge.
    for (std::size_t k = 0; k < out.coords.size(); ++k) {
      std::vector<double> v;
      for (const auto& m : members)
        if (k < m.a->coords.size()) v.push_back(m.a->coords[k]);
      out.coords[k] = median(v);
      if (spans) out.coords[k] = std::round(out.coords[k]);
    }
    return out;
  }
  // Medoid: the member closest (by total IoU) to all others.
  double best = -1;
  for (const auto& m : members) {
    double sum = 0;
    for (const auto& o : members) sum += shapeIou(*m.a, *o.a);
    if (sum > best) {
      best = sum;
      out = *m.a;
    }
  }
  return out;
}

std::string where(const Annotation& a) {
  char buf[96];
  if (a.kind == AnnotationKind::Span && a.coords.size() >= 2)
    std::snprintf(buf, sizeof buf, "span [%g, %g)", a.coords[0], a.coords[1]);
  else if (a.coords.size() >= 2)
    std::snprintf(buf, sizeof buf, "%s at (%g, %g)", std::string(toString(a.kind)).c_str(), a.coords[0], a.coords[1]);
  else
    std::snprintf(buf, sizeof buf, "%s", std::string(toString(a.kind)).c_str());
  return buf;
}

}  // namespace

MergeResult mergeItem(const ProjectStore& store, ItemId item, const MergeOptions& o) {
  MergeResult r;
  r.item = item;
  const ByAuthor raters = byAuthor(store, item);
  std::set<UserId> who;
  for (const auto& [u, _] : raters) who.insert(u);
  for (const auto& t : store.tasks(std::nullopt, TaskKind::Annotate))
    if (t.itemId == item && (t.state == TaskState::Submitted || t.state == TaskState::Done)) who.insert(t.userId);
  r.raters = static_cast<int>(who.size());
  const int n = r.raters;
  auto fresh = [&](Annotation a) {
    a.id = 0;
    a.authorId = 0;
    a.source = kMergeSource;
    a.isReference = false;
    return a;
  };
  for (bool spans : {false, true})
    for (const auto& c : cluster(raters, spans, o.iouThreshold)) {
      const int votes = static_cast<int>(c.size());
      const Annotation rep = representative(c, spans);
      if (2 * votes < n) continue;
      if (2 * votes == n) {
        r.ties.push_back(where(rep) + ": drawn by " + std::to_string(votes) + " of " + std::to_string(n) + " annotators");
        continue;
      }
      auto [cls, tie] = majorityClass(c);
      Annotation m = fresh(rep);
      m.classId = cls;
      if (tie) r.ties.push_back(where(rep) + ": the annotators split evenly on its class");
      r.merged.push_back(m);
    }
  // Whole-item classes: each class kept by a strict majority of raters.
  std::map<std::pair<AnnotationKind, ClassId>, std::pair<int, const Annotation*>> tagVotes;
  for (const auto& [u, list] : raters) {
    std::set<std::pair<AnnotationKind, ClassId>> mine;
    for (const auto& a : list)
      if (isTag(a) && mine.insert({a.kind, a.classId}).second) {
        auto& v = tagVotes[{a.kind, a.classId}];
        ++v.first;
        v.second = &a;
      }
  }
  for (const auto& [key, v] : tagVotes) {
    if (2 * v.first > n) r.merged.push_back(fresh(*v.second));
    else if (2 * v.first == n)
      r.ties.push_back(std::string(toString(key.first)) + " class " + std::to_string(key.second) + ": chosen by " +
                       std::to_string(v.first) + " of " + std::to_string(n) + " annotators");
  }
  // Rating scores: the most common score per (response, criterion).
  std::map<int, json> scoresByResponse;
  std::map<RatingKey, std::map<double, int>> scoreVotes;
  for (const auto& [u, list] : raters)
    for (const auto& [key, score] : ratingScores(list)) ++scoreVotes[key][score];
  for (const auto& [key, votes] : scoreVotes) {
    double best = 0;
    int top = -1, second = -1;
    for (auto [score, count] : votes) {
      if (count > top) {
        second = top;
        top = count;
        best = score;
      } else if (count > second) {
        second = count;
      }
    }
    if (second == top)
      r.ties.push_back("rating of response " + std::to_string(key.first) + ", " + key.second + ": no majority score");
    else
      scoresByResponse[key.first][key.second] = best;
  }
  for (const auto& [response, scores] : scoresByResponse) {
    Annotation a;
    a.itemId = item;
    a.kind = AnnotationKind::Rating;
    a.dataJson = json{{"response", response}, {"scores", scores}}.dump();
    r.merged.push_back(fresh(a));
  }
  // Rankings: kept only when a strict majority gave the same order.
  std::map<std::vector<double>, std::pair<int, const Annotation*>> rankVotes;
  for (const auto& [u, list] : raters)
    for (const auto& a : list)
      if (a.kind == AnnotationKind::Ranking) {
        auto& v = rankVotes[rankingOf({a})];
        ++v.first;
        v.second = &a;
        break;
      }
  if (!rankVotes.empty()) {
    auto best = std::max_element(rankVotes.begin(), rankVotes.end(),
                                 [](const auto& x, const auto& y) { return x.second.first < y.second.first; });
    if (2 * best->second.first > n) r.merged.push_back(fresh(*best->second.second));
    else r.ties.push_back("ranking: no order was given by a majority of annotators");
  }
  return r;
}

Result<MergeResult> applyMerge(Session& lead, ItemId item, const MergeOptions& o) {
  if (lead.user().role != Role::Lead)
    return makeError(ErrorCode::InvalidArgument, lead.user().name + " is not a lead; only a lead can merge overlap");
  ProjectStore& store = lead.store();
  auto* db = qcDatabase(store);
  if (!db) return makeError(ErrorCode::Unsupported, "this project store cannot record merge ties");
  MergeResult r = mergeItem(store, item, o);
  if (r.raters < 2)
    return makeError(ErrorCode::InvalidArgument, "item " + std::to_string(item) + " has " + std::to_string(r.raters) +
                                                     " annotator(s); a merge needs at least 2");
  Status st = store.transaction([&]() -> Status {
    for (const auto& a : store.annotations(item, false))
      if (a.source == kMergeSource)
        if (auto s = store.deleteAnnotation(a.id); !s) return s;
    for (auto& a : r.merged) {
      a.itemId = item;
      a.authorId = lead.user().id;
      auto id = store.insertAnnotation(a);
      if (!id) return id.error();
      a.id = *id;
    }
    if (r.ties.empty()) {
      SQLite::Statement u(*db, "UPDATE merge_ties SET resolved = 1 WHERE item_id = ?");
      u.bind(1, item);
      u.exec();
      return okStatus();
    }
    SQLite::Statement up(*db,
                         "INSERT INTO merge_ties(item_id, detail_json, created_ms, resolved) VALUES (?,?,?,0) "
                         "ON CONFLICT(item_id) DO UPDATE SET detail_json = excluded.detail_json, "
                         "created_ms = excluded.created_ms, resolved = 0");
    up.bind(1, item);
    up.bind(2, json(r.ties).dump());
    up.bind(3, nowMs());
    up.exec();
    if (auto s = store.setItemState(item, ItemState::Submitted); !s) return s;
    lead.logEvent(events::kOverlapTie, item, json{{"ties", r.ties}}.dump());
    return okStatus();
  });
  if (!st) return st.error();
  return r;
}

}  // namespace lb::qc
