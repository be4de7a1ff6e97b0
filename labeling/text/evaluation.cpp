#include "labeling/text/evaluation.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <set>

#include "labeling/session/session.h"

namespace lb::labeling::text {

using nlohmann::json;

Result<Annotation> makeRating(const LabelSchema& schema, const Item& item, int responseIndex,
                              const std::map<std::string, int>& scores, const std::string& comment) {
  if (item.kind != ItemKind::Prompt)
    return makeError(ErrorCode::InvalidArgument, "item " + std::to_string(item.id) + " has no responses to rate");
  if (responseIndex < 0 || responseIndex >= static_cast<int>(item.responses.size()))
    return makeError(ErrorCode::InvalidArgument, "item " + std::to_string(item.id) + " has responses 1.." +
                                                     std::to_string(item.responses.size()) + "; there is no response " +
                                                     std::to_string(responseIndex + 1));
  if (schema.rubric.empty() && !scores.empty())
    return makeError(ErrorCode::InvalidArgument, "the schema has no rubric; add criteria to the schema first");
  json js = json::object();
  for (const auto& [name, score] : scores) {
    auto it = std::find_if(schema.rubric.begin(), schema.rubric.end(), [&](const RubricCriterion& c) { return c.name == name; });
    if (it == schema.rubric.end()) {
      std::string names;
      for (const auto& c : schema.rubric) names += (names.empty() ? "" : ", ") + c.name;
      return makeError(ErrorCode::InvalidArgument, "'" + name + "' is not a rubric criterion (the rubric has: " + names + ")");
    }
    if (score < it->minScore || score > it->maxScore)
      return makeError(ErrorCode::InvalidArgument, "score " + std::to_string(score) + " for '" + name + "' is outside " +
                                                       std::to_string(it->minScore) + ".." + std::to_string(it->maxScore));
    js[name] = score;
  }
  Annotation a;
  a.kind = AnnotationKind::Rating;
  a.itemId = item.id;
  a.dataJson = json{{"response", responseIndex}, {"scores", js}, {"comment", comment}}.dump();
  return a;
}

Result<Annotation> makeRanking(const LabelSchema& schema, const Item& item, const std::vector<int>& ranks) {
  if (item.kind != ItemKind::Prompt)
    return makeError(ErrorCode::InvalidArgument, "item " + std::to_string(item.id) + " has no responses to rank");
  const int n = static_cast<int>(item.responses.size());
  if (static_cast<int>(ranks.size()) != n)
    return makeError(ErrorCode::InvalidArgument, "give one rank per response: item " + std::to_string(item.id) + " has " +
                                                     std::to_string(n) + " responses, got " + std::to_string(ranks.size()) +
                                                     " ranks");
  std::set<int> distinct(ranks.begin(), ranks.end());
  for (int r : ranks)
    if (r < 1 || r > n)
      return makeError(ErrorCode::InvalidArgument, "rank " + std::to_string(r) + " is outside 1.." + std::to_string(n));
  if (static_cast<int>(distinct.size()) != n && !schema.rankingTiesAllowed)
    return makeError(ErrorCode::InvalidArgument, "this project does not allow ties: give each response its own rank");
  // Dense: the distinct ranks must be exactly 1..k, so "1, 3" (nobody second) is refused.
  int expect = 1;
  for (int r : distinct)
    if (r != expect++)
      return makeError(ErrorCode::InvalidArgument, "ranks must run 1, 2, 3, ... without gaps (rank " +
                                                       std::to_string(expect - 1) + " is missing)");
  Annotation a;
  a.kind = AnnotationKind::Ranking;
  a.itemId = item.id;
  a.dataJson = json{{"ranks", ranks}}.dump();
  return a;
}

std::optional<RatingValue> ratingOf(const Annotation& a) {
  if (a.kind != AnnotationKind::Rating) return std::nullopt;
  const json d = json::parse(a.dataJson, nullptr, false);
  if (!d.is_object()) return std::nullopt;
  RatingValue v;
  v.response = d.value("response", 0);
  v.comment = d.value("comment", std::string());
  if (d.contains("scores") && d["scores"].is_object())
    for (auto it = d["scores"].begin(); it != d["scores"].end(); ++it)
      if (it->is_number_integer()) v.scores[it.key()] = it->get<int>();
  return v;
}

std::vector<int> ranksOf(const Annotation& a) {
  if (a.kind != AnnotationKind::Ranking) return {};
  const json d = json::parse(a.dataJson, nullptr, false);
  if (!d.is_object() || !d.contains("ranks") || !d["ranks"].is_array()) return {};
  std::vector<int> out;
  for (const auto& r : d["ranks"])
    if (r.is_number_integer()) out.push_back(r.get<int>());
  return out;
}

std::vector<std::string> missingCriteria(const LabelSchema& schema, const Annotation& rating) {
  std::vector<std::string> out;
  const auto v = ratingOf(rating);
  for (const auto& c : schema.rubric)
    if (!v || !v->scores.count(c.name)) out.push_back(c.name);
  return out;
}

namespace {

Result<AnnotationId> createOrReplace(Session& session, Annotation a, const std::function<bool(const Annotation&)>& same) {
  for (const auto& e : session.annotations()) {
    if (e.kind != a.kind || e.authorId != session.user().id || e.isReference || !same(e)) continue;
    a.id = e.id;
    if (auto st = session.updateAnnotation(a); !st) return st.error();
    return e.id;
  }
  return session.createAnnotation(a);
}

}  // namespace

Result<AnnotationId> saveRating(Session& session, int responseIndex, const std::map<std::string, int>& scores,
                                const std::string& comment) {
  auto item = session.store().item(session.currentItem());
  if (!item) return item.error();
  auto a = makeRating(session.store().schema(), *item, responseIndex, scores, comment);
  if (!a) return a.error();
  return createOrReplace(session, *a, [&](const Annotation& e) {
    const auto v = ratingOf(e);
    return v && v->response == responseIndex;
  });
}

Result<AnnotationId> saveRanking(Session& session, const std::vector<int>& ranks) {
  auto item = session.store().item(session.currentItem());
  if (!item) return item.error();
  auto a = makeRanking(session.store().schema(), *item, ranks);
  if (!a) return a.error();
  return createOrReplace(session, *a, [](const Annotation&) { return true; });
}

}  // namespace lb::labeling::text
