// [SECTION] ThroughputBuilder: one pass over the event log.
// Per session it turns consecutive events into active intervals (idle gaps, focus loss and
// backwards clocks handled); per user it merges the intervals of parallel sessions so no
// millisecond counts twice; meanwhile it follows annotations, submits and reviews.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <queue>
#include <tuple>
#include <unordered_map>

#include "labeling/events.h"
#include "qc/throughput/event_detail.h"
#include "qc/throughput/throughput.h"

namespace lb::qc {

namespace ev = labeling::events;
using labeling::Event;

namespace {

struct PairHash {
  std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& p) const noexcept {
    return std::hash<std::int64_t>()(p.first * 1'000'003 ^ p.second);
  }
};

struct SliceKey {
  UserId user;
  BatchId batch;
  std::int64_t hour;
  bool operator==(const SliceKey&) const = default;
};
struct SliceKeyHash {
  std::size_t operator()(const SliceKey& k) const noexcept {
    return std::hash<std::int64_t>()((k.user * 1'000'003 ^ k.batch) * 1'000'033 ^ k.hour);
  }
};

// A stretch of active time in one session with one item open.
struct Interval {
  TimeMs start = 0;
  TimeMs end = 0;
  ItemId item = 0;
  std::uint32_t session = 0;  // order in which sessions first appeared: breaks start-time ties
};

struct SessionState {
  UserId user = 0;
  std::uint32_t order = 0;
  bool hasLast = false;
  TimeMs lastMs = 0;
  bool focused = true;
  bool ended = false;
  ItemId item = 0;
  std::size_t lastInterval = static_cast<std::size_t>(-1);  // in the user's list
  std::vector<Interval>* intervals = nullptr;               // the user's list (stable address)
};

struct LastSubmit {
  UserId user = 0;
  TimeMs tMs = 0;
  bool awaitingReview = false;
};

using Unit = ThroughputData::Piece::Unit;

Unit unitOfKind(std::string_view kind) {
  if (kind == "span") return Unit::Span;
  if (kind == "rating" || kind == "ranking") return Unit::Rating;
  return Unit::Object;
}

bool isAssisted(std::string_view source) {
  return source.rfind("assist:", 0) == 0 || source.rfind("plugin:", 0) == 0;
}

}  // namespace

struct ThroughputBuilder::Impl {
  ThroughputData data;
  std::unordered_map<std::string, std::uint32_t> sessionIndex;
  std::vector<SessionState> sessions;
  std::string lastSessionKey;
  std::uint32_t lastSession = std::numeric_limits<std::uint32_t>::max();
  std::unordered_map<UserId, std::vector<Interval>> intervals;
  std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::size_t, PairHash> workIndex;
  std::unordered_map<std::int64_t, std::size_t> pieceByAnnotation;
  std::unordered_map<ItemId, LastSubmit> lastSubmit;

  SessionState& sessionOf(const Event& e) {
    // Events of one session usually come in runs; skip the hash lookup for those.
    const bool unnamed = e.sessionId.empty();
    if (!unnamed && lastSession < sessions.size() && e.sessionId == lastSessionKey &&
        sessions[lastSession].user == e.userId)
      return sessions[lastSession];
    // Events without a session id form one session per user; \x01 keeps that key apart from
    // real (hex) session ids.
    std::string key = e.sessionId;
    if (unnamed) key.append("\x01user ").append(std::to_string(e.userId));
    auto [it, inserted] = sessionIndex.try_emplace(key, static_cast<std::uint32_t>(sessions.size()));
    if (inserted) {
      SessionState s;
      s.user = e.userId;
      s.order = it->second;
      sessions.push_back(s);
    }
    lastSession = it->second;
    lastSessionKey = std::move(key);
    return sessions[lastSession];
  }

  ThroughputData::ItemWork& work(UserId user, ItemId item) {
    auto [it, inserted] = workIndex.try_emplace({user, item}, data.itemWork.size());
    if (inserted) {
      ThroughputData::ItemWork w;
      w.user = user;
      w.item = item;
      data.itemWork.push_back(w);
    }
    return data.itemWork[it->second];
  }

  // Continuous activity on one item in one session is one interval, however many events it
  // took; "started last" in the merge then means the stretch of work the user began last.
  void addInterval(SessionState& s, TimeMs start, TimeMs end) {
    if (!s.intervals) s.intervals = &intervals[s.user];  // unordered_map values never move
    auto& list = *s.intervals;
    if (s.lastInterval < list.size()) {
      Interval& last = list[s.lastInterval];
      if (last.item == s.item && last.end == start) {
        last.end = end;
        return;
      }
    }
    s.lastInterval = list.size();
    list.push_back({start, end, s.item, s.order});
  }

  void setLive(std::int64_t annotation, bool live) {
    if (auto it = pieceByAnnotation.find(annotation); it != pieceByAnnotation.end())
      data.pieces[it->second].live = live;
  }

  // undo/redo details may list what they changed: {"steps":[{"op":"create","annotation":7}]}.
  // Undoing a create removes the object; undoing a delete brings it back; redo the reverse.
  void applyUndoRedo(const Event& e, bool redo) {
    if (e.detailJson.find("\"steps\"") == std::string::npos) return;
    try {
      const auto j = nlohmann::json::parse(e.detailJson);
      for (const auto& step : j.at("steps")) {
        const std::string op = step.value("op", "");
        const std::int64_t ann = step.value("annotation", std::int64_t{0});
        if (op == "create") setLive(ann, redo);
        if (op == "delete") setLive(ann, !redo);
      }
    } catch (const nlohmann::json::exception&) {
      // A detail this version cannot read changes no figure.
    }
  }

  void add(const Event& e) {
    ++data.eventsSeen;
    SessionState& s = sessionOf(e);
    // A clock that went backwards: the event happened no earlier than the one before it.
    const TimeMs t = s.hasLast ? std::max(e.tMs, s.lastMs) : e.tMs;
    if (s.hasLast && !s.ended && s.focused && t > s.lastMs && t - s.lastMs <= data.settings.idleGapMs)
      addInterval(s, s.lastMs, t);
    s.hasLast = true;
    s.lastMs = t;

    const std::string& a = e.action;
    if (a == ev::kInput) return;  // the most common event: nothing more to do
    if (a == ev::kFocusLost) {
      s.focused = false;
    } else if (a == ev::kFocusGained) {
      s.focused = true;
    } else if (a == ev::kSessionStart) {
      s.focused = true;
      s.ended = false;
    } else if (a == ev::kSessionEnd) {
      s.ended = true;
      s.item = 0;
    } else if (a == ev::kOpenItem) {
      s.item = e.itemId;
    } else if (a == ev::kCloseItem) {
      s.item = 0;
    } else if (a == ev::kAnnotationCreated) {
      ThroughputData::Piece p;
      p.user = e.userId;
      p.item = e.itemId;
      p.createdMs = t;
      p.vertices = static_cast<int>(detail::intField(e.detailJson, "vertices").value_or(0));
      if (auto kind = detail::rawField(e.detailJson, "kind")) p.unit = unitOfKind(*kind);
      if (auto source = detail::rawField(e.detailJson, "source")) p.assisted = isAssisted(*source);
      if (auto ann = detail::intField(e.detailJson, "annotation"); ann && *ann != 0) {
        pieceByAnnotation[*ann] = data.pieces.size();
      }
      data.pieces.push_back(p);
    } else if (a == ev::kAnnotationUpdated) {
      if (auto ann = detail::intField(e.detailJson, "annotation")) {
        if (auto it = pieceByAnnotation.find(*ann); it != pieceByAnnotation.end()) {
          if (auto v = detail::intField(e.detailJson, "vertices"))
            data.pieces[it->second].vertices = static_cast<int>(*v);
        }
      }
    } else if (a == ev::kAnnotationDeleted) {
      if (auto ann = detail::intField(e.detailJson, "annotation")) setLive(*ann, false);
    } else if (a == ev::kUndo) {
      applyUndoRedo(e, false);
    } else if (a == ev::kRedo) {
      applyUndoRedo(e, true);
    } else if (a == ev::kSubmit) {
      if (e.itemId == 0) return;
      auto& w = work(e.userId, e.itemId);
      if (w.firstSubmitMs < 0) w.firstSubmitMs = t;
      lastSubmit[e.itemId] = {e.userId, t, true};
    } else if (a == ev::kReviewAccept || a == ev::kReviewReject || a == ev::kReviewFixAccept) {
      if (e.itemId == 0) return;
      ThroughputData::ReviewMark r;
      r.item = e.itemId;
      r.tMs = t;
      r.verdict = a == ev::kReviewAccept   ? ThroughputData::ReviewMark::Verdict::Accept
                  : a == ev::kReviewReject ? ThroughputData::ReviewMark::Verdict::Reject
                                           : ThroughputData::ReviewMark::Verdict::FixAccept;
      auto last = lastSubmit.find(e.itemId);
      if (auto annotator = detail::intField(e.detailJson, "annotator"); annotator && *annotator != 0)
        r.annotator = *annotator;
      else if (last != lastSubmit.end())
        r.annotator = last->second.user;
      if (last != lastSubmit.end() && last->second.awaitingReview) {
        r.turnaroundMs = std::max<TimeMs>(0, t - last->second.tMs);
        last->second.awaitingReview = false;
      }
      if (r.annotator != 0 && r.verdict != ThroughputData::ReviewMark::Verdict::Accept)
        work(r.annotator, e.itemId).reworked = true;
      data.reviews.push_back(r);
    }
  }

  // Adds [start, end) of one user on one item to the item's time and the hourly slices.
  void credit(UserId user, ItemId item, TimeMs start, TimeMs end,
              std::unordered_map<SliceKey, TimeMs, SliceKeyHash>& slices) {
    if (end <= start) return;
    if (item != 0) work(user, item).activeMs += end - start;
    const BatchId batch = data.batchOf(item);
    const TimeMs offsetMs = static_cast<TimeMs>(data.settings.utcOffsetMinutes) * 60'000;
    TimeMs a = start;
    while (a < end) {
      const std::int64_t hour = data.localHour(a);
      const TimeMs hourEnd = (hour + 1) * 3'600'000 - offsetMs;
      const TimeMs b = std::min(end, hourEnd);
      slices[{user, batch, hour}] += b - a;
      a = b;
    }
  }

  // Merges one user's intervals: each moment counts once, for the interval that started last.
  void mergeUser(UserId user, std::vector<Interval>& list,
                 std::unordered_map<SliceKey, TimeMs, SliceKeyHash>& slices) {
    std::sort(list.begin(), list.end(), [](const Interval& x, const Interval& y) {
      return x.start != y.start ? x.start < y.start : x.session < y.session;
    });
    // Max-heap of indices into the sorted list: the top is the latest-started open interval.
    std::priority_queue<std::size_t> open;
    std::size_t next = 0;
    TimeMs x = list.empty() ? 0 : list.front().start;
    while (next < list.size() || !open.empty()) {
      while (next < list.size() && list[next].start <= x) open.push(next++);
      while (!open.empty() && list[open.top()].end <= x) open.pop();
      if (open.empty()) {
        if (next >= list.size()) break;
        x = list[next].start;
        continue;
      }
      const Interval& top = list[open.top()];
      TimeMs until = top.end;
      if (next < list.size()) until = std::min(until, list[next].start);
      credit(user, top.item, x, until, slices);
      x = until;
    }
  }

  ThroughputData finish() {
    std::unordered_map<SliceKey, TimeMs, SliceKeyHash> slices;
    for (auto& [user, list] : intervals) mergeUser(user, list, slices);
    data.slices.reserve(slices.size());
    for (const auto& [k, ms] : slices) data.slices.push_back({k.user, k.batch, k.hour, ms});
    // Deterministic order for callers that print raw data.
    std::sort(data.slices.begin(), data.slices.end(), [](const auto& p, const auto& q) {
      return std::tie(p.user, p.hour, p.batch) < std::tie(q.user, q.hour, q.batch);
    });
    return std::move(data);
  }
};

ThroughputBuilder::ThroughputBuilder(ThroughputSettings settings) : m_impl(std::make_unique<Impl>()) {
  m_impl->data.settings = std::move(settings);
}
ThroughputBuilder::~ThroughputBuilder() = default;
void ThroughputBuilder::add(const Event& e) { m_impl->add(e); }
ThroughputData ThroughputBuilder::finish() { return m_impl->finish(); }

ThroughputData computeFigures(const std::vector<Event>& events, const ThroughputSettings& settings) {
  ThroughputBuilder b(settings);
  for (const auto& e : events) b.add(e);
  return b.finish();
}

}  // namespace lb::qc
