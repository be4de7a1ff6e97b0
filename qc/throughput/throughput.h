#pragma once
// [SECTION] Throughput: who did what, how fast and how well, computed only from the event log.
//
// Every figure here can be recomputed from the `events` table: nothing reads counters that
// could drift. The computation is pure (no store, no clock): feed it events in log order
// (ProjectStore::forEachEvent order, i.e. by id) through ThroughputBuilder::add, or pass a vector
// to computeFigures, then ask figuresBy() for rows grouped by annotator, team, batch, day or hour.
//
// Rules (the tests in tests/throughput pin each one down):
// - Active time: inside one session, the time between two consecutive events counts when the
//   window was focused after the first of them and the gap is at most idleGapMs; a longer gap
//   is idle and counts not at all. focus_lost..focus_gained never counts; nothing counts after
//   session_end or after a session's last event.
// - A clock that goes backwards inside a session is clamped (an event earlier than the one
//   before it is taken to happen at the same time), so no interval is ever negative.
// - Parallel sessions of one user are merged: every millisecond of a user counts once; it is
//   attributed to the session whose interval started last (the window the user turned to).
// - Time belongs to the item open in that session (open_item .. close_item / next open_item);
//   reopening an item adds to its time. Time with no item open counts for the user only.
// - Items = distinct items a user submitted (a resubmit after rework is not a new item).
// - Objects/vertices/spans/ratings = annotations the user created that were not deleted
//   afterwards; vertices as last reported (created/updated). Kinds: span -> spans;
//   rating, ranking -> ratings; every other kind -> objects. Assisted = source starting with
//   "assist:" (or "plugin:"); manual = "manual".
// - Rework rate = distinct submitted items that got review_reject or review_fix_accept / items.
// - Review turnaround = time from a submit to the first review event on that item after it.
// - Day and hour buckets are local time: UTC plus utcOffsetMinutes.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "labeling/model.h"

namespace lb::qc {

using labeling::BatchId;
using labeling::ItemId;
using labeling::TimeMs;
using labeling::UserId;

struct ThroughputSettings {
  TimeMs idleGapMs = 60'000;  // project setting "idle_gap_ms"
  int utcOffsetMinutes = 0;   // project setting "utc_offset_minutes" (e.g. 480 for China)
  std::map<UserId, std::string> userNames;       // for row labels; "user <id>" when absent
  std::map<UserId, std::string> teamOf;          // project setting "teams"; absent -> "all"
  std::map<ItemId, BatchId> batchOf;             // from the store's items; absent -> batch 0
  std::map<BatchId, std::string> batchNames;
  std::map<UserId, double> goldAccuracy;         // 0..1, from qc/review; absent -> no figure
};

enum class GroupBy { Annotator, Team, Batch, Day, Hour };

// Restricts which work a report looks at (by local day and/or batch).
struct FigureFilter {
  std::optional<std::int64_t> day;  // local day index (days since 1970-01-01 local)
  std::optional<BatchId> batch;
  std::optional<UserId> user;
};

// One row of a report: the sums over one group and the rates derived from them.
struct FigureRow {
  std::string key;        // annotator name, team, batch name, "YYYY-MM-DD" or "YYYY-MM-DD HH:00"
  std::int64_t sortKey = 0;
  TimeMs activeMs = 0;
  std::int64_t items = 0;
  std::int64_t objects = 0;
  std::int64_t vertices = 0;
  std::int64_t spans = 0;
  std::int64_t ratings = 0;
  std::int64_t assistedObjects = 0;  // objects + spans + ratings from assists/plugins
  std::int64_t manualObjects = 0;
  std::int64_t reworkedItems = 0;
  std::int64_t reviewed = 0;         // review events about this group's work
  std::int64_t accepted = 0;         // of which review_accept
  std::int64_t rejected = 0;         // of which review_reject
  std::vector<double> secondsPerItem;     // active seconds of each submitted item
  std::vector<double> turnaroundSeconds;  // submit -> first review
  std::optional<double> goldAccuracy;  // mean over the row's people who have one
  std::vector<UserId> users;           // whose work is in this row, ascending

  double activeHours() const { return static_cast<double>(activeMs) / 3'600'000.0; }
  double perActiveHour(std::int64_t n) const { return activeMs > 0 ? n / activeHours() : 0.0; }
  double medianSecondsPerItem() const;
  double medianTurnaroundSeconds() const;
  double reworkRate() const { return items > 0 ? static_cast<double>(reworkedItems) / items : 0.0; }
  // Share of reviews that accepted the work as it was; nullopt when nothing was reviewed.
  std::optional<double> acceptanceRate() const;
};

// What the event log says, at the finest grain the reports need. Built by ThroughputBuilder.
struct ThroughputData {
  ThroughputSettings settings;
  struct Slice {  // active time of one user, in one batch, in one local hour
    UserId user = 0;
    BatchId batch = 0;
    std::int64_t hour = 0;  // local hours since the epoch
    TimeMs ms = 0;
  };
  struct ItemWork {  // one user's work on one item
    UserId user = 0;
    ItemId item = 0;
    TimeMs activeMs = 0;
    TimeMs firstSubmitMs = -1;  // -1: never submitted
    bool reworked = false;
  };
  struct Piece {  // one annotation a user created
    UserId user = 0;
    ItemId item = 0;
    TimeMs createdMs = 0;
    int vertices = 0;
    enum class Unit : std::uint8_t { Object, Span, Rating } unit = Unit::Object;
    bool assisted = false;
    bool live = true;
  };
  struct ReviewMark {  // one review event about an annotator's item
    UserId annotator = 0;
    ItemId item = 0;
    TimeMs tMs = 0;
    enum class Verdict : std::uint8_t { Accept, Reject, FixAccept } verdict = Verdict::Accept;
    TimeMs turnaroundMs = -1;  // -1 unless this is the first review after a submit
  };
  std::vector<Slice> slices;
  std::vector<ItemWork> itemWork;
  std::vector<Piece> pieces;
  std::vector<ReviewMark> reviews;
  std::int64_t eventsSeen = 0;

  BatchId batchOf(ItemId item) const;
  std::int64_t localHour(TimeMs t) const;
  std::int64_t localDay(TimeMs t) const { return floorDiv(localHour(t), 24); }
  static std::int64_t floorDiv(std::int64_t a, std::int64_t b);
};

// Streams events in log order. Not thread-safe; one builder per computation.
class ThroughputBuilder {
 public:
  explicit ThroughputBuilder(ThroughputSettings settings);
  ~ThroughputBuilder();
  ThroughputBuilder(const ThroughputBuilder&) = delete;
  ThroughputBuilder& operator=(const ThroughputBuilder&) = delete;

  void add(const labeling::Event& e);
  // Closes open sessions, merges parallel sessions, and hands over the data.
  ThroughputData finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

ThroughputData computeFigures(const std::vector<labeling::Event>& events,
                              const ThroughputSettings& settings);

// Rows grouped as asked, sorted by key (names alphabetically, days and hours in time order).
std::vector<FigureRow> figuresBy(const ThroughputData& data, GroupBy by,
                                 const FigureFilter& filter = {});
// Lower level: rows by any key of (user, batch, local hour); nullopt drops the record. Rows come
// back unlabelled, ordered by key, with sortKey = key. Used by pay (user x period) and reports.
using GroupKeyFn = std::function<std::optional<std::int64_t>(UserId, BatchId, std::int64_t localHour)>;
std::vector<std::pair<std::int64_t, FigureRow>> groupRows(const ThroughputData& data, const GroupKeyFn& keyOf);

// One row over everything the filter lets through.
FigureRow totalFigures(const ThroughputData& data, const FigureFilter& filter = {});

// "YYYY-MM-DD" of a local day index and back (nullopt for a malformed date).
std::string dayLabel(std::int64_t localDay);
std::optional<std::int64_t> parseDay(const std::string& yyyyMmDd);
std::string hourLabel(std::int64_t localHour);
std::string_view toString(GroupBy by);
std::optional<GroupBy> groupByFrom(std::string_view s);

}  // namespace lb::qc
