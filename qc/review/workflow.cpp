#include "qc/review/workflow.h"

#include <nlohmann/json.hpp>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <map>
#include <set>

#include "labeling/events.h"
#include "qc/review/qc_db.h"

namespace lb::qc {

using namespace lb::labeling;
using nlohmann::json;

// [SECTION] Pins

std::string pinAnnotation(AnnotationId id) { return json{{"annotation", id}}.dump(); }
std::string pinPoint(double x, double y) { return json{{"x", x}, {"y", y}}.dump(); }
std::string pinSpan(std::int64_t start, std::int64_t end) { return json{{"start", start}, {"end", end}}.dump(); }

Status validatePin(const ProjectStore& store, ItemId item, const std::string& pinJson) {
  const auto pin = json::parse(pinJson.empty() ? "{}" : pinJson, nullptr, false);
  const std::string where = "the pin on item " + std::to_string(item);
  if (pin.is_discarded() || !pin.is_object())
    return makeError(ErrorCode::InvalidArgument, where + " is not a JSON object: " + pinJson);
  if (pin.empty()) return okStatus();
  auto it = store.item(item);
  if (!it) return it.error();
  try {
    if (pin.contains("annotation")) {
      auto a = store.annotation(pin["annotation"].get<AnnotationId>());
      if (!a || a->itemId != item || a->isReference)
        return makeError(ErrorCode::NotFound, where + " names annotation " + pin["annotation"].dump() +
                                                  ", which is not on that item");
      return okStatus();
    }
    if (pin.contains("x") && pin.contains("y")) {
      const double x = pin["x"].get<double>(), y = pin["y"].get<double>();
      if (it->kind != ItemKind::Image || x < 0 || y < 0 || x > it->widthPx || y > it->heightPx)
        return makeError(ErrorCode::InvalidArgument,
                         where + " (" + std::to_string(x) + ", " + std::to_string(y) + ") is not on the " +
                             std::to_string(it->widthPx) + "x" + std::to_string(it->heightPx) + " image");
      return okStatus();
    }
    if (pin.contains("start") && pin.contains("end")) {
      const auto s = pin["start"].get<std::int64_t>(), e = pin["end"].get<std::int64_t>();
      if (it->kind == ItemKind::Image || s < 0 || e <= s || e > it->lengthCodePoints)
        return makeError(ErrorCode::InvalidArgument, where + " span [" + std::to_string(s) + ", " + std::to_string(e) +
                                                         ") is not inside the item's text of " +
                                                         std::to_string(it->lengthCodePoints) + " characters");
      return okStatus();
    }
  } catch (const json::exception&) {
  }
  return makeError(ErrorCode::InvalidArgument,
                   where + " must be {\"annotation\": id}, {\"x\":..,\"y\":..} or {\"start\":..,\"end\":..}");
}

// [SECTION] Queues

namespace {

bool isReviewerRole(const User& u) { return u.role == Role::Reviewer || u.role == Role::Lead; }

std::set<ItemId> tieItems(const ProjectStore& store) {
  std::set<ItemId> out;
  if (const auto* db = qcDatabase(store)) {
    SQLite::Statement q(*db, "SELECT item_id FROM merge_ties WHERE resolved = 0");
    while (q.executeStep()) out.insert(q.getColumn(0).getInt64());
  }
  return out;
}

}  // namespace

UserId annotatorOf(const ProjectStore& store, ItemId item) {
  std::vector<Task> mine;
  for (const auto& t : store.tasks(std::nullopt, TaskKind::Annotate))
    if (t.itemId == item) mine.push_back(t);
  for (const auto& t : mine)
    if (t.state == TaskState::Submitted) return t.userId;
  if (mine.size() == 1) return mine.front().userId;
  std::map<UserId, int> authors;
  for (const auto& a : store.annotations(item, false))
    if (a.authorId) ++authors[a.authorId];
  UserId best = 0;
  int bestCount = 0;
  for (auto [u, n] : authors)
    if (n > bestCount) best = u, bestCount = n;
  return best;
}

std::vector<ReviewQueueEntry> reviewQueue(const ProjectStore& store, UserId reviewer,
                                          const ReviewQueueOptions& options) {
  ItemFilter f;
  f.state = ItemState::Submitted;
  f.batchId = options.batch;
  f.withText = false;
  std::set<ItemId> mine;
  if (options.assignedOnly)
    for (const auto& t : store.tasks(reviewer, TaskKind::Review))
      if (t.state != TaskState::Done) mine.insert(t.itemId);
  // One pass over the annotate tasks instead of one query per item.
  std::map<ItemId, std::vector<Task>> annotate;
  for (const auto& t : store.tasks(std::nullopt, TaskKind::Annotate)) annotate[t.itemId].push_back(t);
  const auto ties = tieItems(store);
  std::vector<ReviewQueueEntry> out;
  for (const auto& it : store.items(f)) {
    if (options.assignedOnly && !mine.count(it.id)) continue;
    ReviewQueueEntry e;
    e.item = it.id;
    e.batch = it.batchId;
    const auto& tasks = annotate[it.id];
    for (const auto& t : tasks)
      if (t.state == TaskState::Submitted) e.annotator = t.userId;
    if (!e.annotator && tasks.size() == 1) e.annotator = tasks.front().userId;
    if (!e.annotator) e.annotator = annotatorOf(store, it.id);
    for (const auto& r : store.reviews(it.id))
      if (r.verdict == ReviewVerdict::Reject) ++e.previousRejections;
    e.mergeTie = ties.count(it.id) > 0;
    out.push_back(e);
  }
  return out;
}

// [SECTION] Verdicts

namespace {

Result<std::int64_t> recordVerdict(Session& session, ItemId item, ReviewVerdict verdict, const Verdict& v) {
  ProjectStore& store = session.store();
  const User& reviewer = session.user();
  const std::string what = std::string(toString(verdict)) + " item " + std::to_string(item);
  if (!isReviewerRole(reviewer))
    return makeError(ErrorCode::InvalidArgument,
                     reviewer.name + " is an annotator; only reviewers and leads can " + what);
  auto it = store.item(item);
  if (!it) return it.error();
  if (it->state != ItemState::Submitted)
    return makeError(ErrorCode::Conflict, "item " + std::to_string(item) + " is " + std::string(toString(it->state)) +
                                              ", not submitted; only submitted items can be reviewed");
  if (verdict == ReviewVerdict::Reject) {
    const auto reasons = store.schema().rejectReasons;
    if (!reasons.empty() && std::find(reasons.begin(), reasons.end(), v.reason) == reasons.end()) {
      std::string list;
      for (const auto& r : reasons) list += (list.empty() ? "" : ", ") + r;
      return makeError(ErrorCode::InvalidArgument, "'" + v.reason + "' is not one of the project's reject reasons (" +
                                                       list + "); pick one or add it to the schema");
    }
    if (reasons.empty() && v.comment.empty() && v.reason.empty())
      return makeError(ErrorCode::InvalidArgument, "rejecting item " + std::to_string(item) +
                                                       " needs a reason: the project has no reason list, so write a comment");
  }
  if (auto st = validatePin(store, item, v.pinJson); !st) return st.error();

  Review r;
  r.itemId = item;
  r.reviewerId = reviewer.id;
  r.annotatorId = v.annotator ? v.annotator : annotatorOf(store, item);
  r.verdict = verdict;
  r.reason = v.reason;
  r.comment = v.comment;
  r.pinJson = v.pinJson.empty() ? "{}" : v.pinJson;
  r.createdMs = nowMs();
  std::int64_t reviewId = 0;
  Status st = store.transaction([&]() -> Status {
    auto id = store.addReview(r);
    if (!id) return id.error();
    reviewId = *id;
    const bool back = verdict == ReviewVerdict::Reject;
    if (auto s = store.setItemState(item, back ? ItemState::Rejected : ItemState::Accepted); !s) return s;
    for (const auto& t : store.tasks(std::nullopt, std::nullopt)) {
      if (t.itemId != item) continue;
      TaskState next = t.state;
      if (t.kind == TaskKind::Review && t.userId == reviewer.id) next = TaskState::Done;
      if (t.kind == TaskKind::Annotate) {
        if (back && (t.userId == r.annotatorId)) next = TaskState::Assigned;
        else if (!back && t.state == TaskState::Submitted) next = TaskState::Done;
      }
      if (next != t.state)
        if (auto s = store.setTaskState(t.id, next); !s) return s;
    }
    if (!back)
      if (auto* db = qcDatabase(store)) {  // the reviewer has settled any merge tie
        SQLite::Statement u(*db, "UPDATE merge_ties SET resolved = 1 WHERE item_id = ?");
        u.bind(1, item);
        u.exec();
      }
    const char* action = verdict == ReviewVerdict::Accept   ? events::kReviewAccept
                         : verdict == ReviewVerdict::Reject ? events::kReviewReject
                                                            : events::kReviewFixAccept;
    json detail = {{"annotator", r.annotatorId}, {"review", reviewId}};
    if (!r.reason.empty()) detail["reason"] = r.reason;
    session.logEvent(action, item, detail.dump());
    return okStatus();
  });
  if (!st) return st.error();
  return reviewId;
}

}  // namespace

Result<std::int64_t> acceptItem(Session& s, ItemId item, const Verdict& v) {
  return recordVerdict(s, item, ReviewVerdict::Accept, v);
}
Result<std::int64_t> rejectItem(Session& s, ItemId item, const Verdict& v) {
  return recordVerdict(s, item, ReviewVerdict::Reject, v);
}
Result<std::int64_t> fixAndAcceptItem(Session& s, ItemId item, const Verdict& v) {
  return recordVerdict(s, item, ReviewVerdict::FixAndAccept, v);
}

std::vector<Review> reviewHistory(const ProjectStore& store, ItemId item) { return store.reviews(item); }

// [SECTION] Annotator side

std::vector<AnnotatorQueueEntry> annotatorQueue(const Session& session) {
  return annotatorQueue(session.store(), session.user());
}

std::vector<AnnotatorQueueEntry> annotatorQueue(const ProjectStore& store, const User& user) {
  std::vector<AnnotatorQueueEntry> out;
  for (const auto& t : store.tasks(user.id, TaskKind::Annotate)) {
    if (t.state != TaskState::Assigned && t.state != TaskState::InProgress) continue;
    auto it = store.item(t.itemId);
    if (!it || it->excluded) continue;
    AnnotatorQueueEntry e;
    e.item = t.itemId;
    e.state = it->state;
    const auto history = store.reviews(t.itemId);
    for (auto r = history.rbegin(); r != history.rend(); ++r)
      if (r->verdict == ReviewVerdict::Reject && (r->annotatorId == user.id || r->annotatorId == 0)) {
        e.lastRejection = *r;
        break;
      }
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.item < b.item; });
  return out;
}

Result<Item> itemForSession(const Session& session, ItemId id) {
  auto it = session.store().item(id);
  if (!it) return it;
  if (!session.canSeeReference()) it->isGold = false;
  return it;
}

}  // namespace lb::qc
