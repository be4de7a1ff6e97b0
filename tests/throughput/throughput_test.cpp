// Event sequences with known answers -> exact figures. Times are in ms from an arbitrary origin.
#include <gtest/gtest.h>

#include "labeling/events.h"
#include "qc/throughput/event_detail.h"
#include "qc/throughput/throughput.h"

using namespace lb::qc;
using lb::labeling::Event;
namespace ev = lb::labeling::events;

namespace {

struct Log {
  std::vector<Event> events;
  Log& add(lb::labeling::UserId user, const std::string& session, const char* action, lb::labeling::TimeMs t,
           lb::labeling::ItemId item = 0, const std::string& detail = "{}") {
    Event e;
    e.id = static_cast<std::int64_t>(events.size()) + 1;
    e.userId = user;
    e.sessionId = session;
    e.action = action;
    e.tMs = t;
    e.itemId = item;
    e.detailJson = detail;
    events.push_back(e);
    return *this;
  }
};

const ThroughputData::ItemWork* work(const ThroughputData& d, UserId user, ItemId item) {
  for (const auto& w : d.itemWork)
    if (w.user == user && w.item == item) return &w;
  return nullptr;
}

FigureRow rowOf(const ThroughputData& d, UserId user) {
  FigureFilter f;
  f.user = user;
  return totalFigures(d, f);
}

std::string created(int annotation, const char* kind, int vertices, const char* source) {
  return "{\"annotation\":" + std::to_string(annotation) + ",\"kind\":\"" + kind +
         "\",\"vertices\":" + std::to_string(vertices) + ",\"source\":\"" + source + "\"}";
}

}  // namespace

TEST(Throughput, IdleGapsAreNotActiveTime) {
  Log log;
  log.add(1, "s", ev::kSessionStart, 0)
      .add(1, "s", ev::kOpenItem, 1000, 10)
      .add(1, "s", ev::kInput, 2000)
      .add(1, "s", ev::kInput, 3000)
      .add(1, "s", ev::kInput, 100000)  // 97 s of nothing: idle, not counted at all
      .add(1, "s", ev::kInput, 110000)
      .add(1, "s", ev::kSubmit, 115000, 10)
      .add(1, "s", ev::kCloseItem, 116000, 10)
      .add(1, "s", ev::kSessionEnd, 117000);
  const auto d = computeFigures(log.events, {});
  const auto r = rowOf(d, 1);
  EXPECT_EQ(r.activeMs, 20000);
  ASSERT_NE(work(d, 1, 10), nullptr);
  EXPECT_EQ(work(d, 1, 10)->activeMs, 18000);  // time before open_item / after close_item is not the item's
  EXPECT_EQ(r.items, 1);
  EXPECT_DOUBLE_EQ(r.medianSecondsPerItem(), 18.0);
  EXPECT_DOUBLE_EQ(r.perActiveHour(r.items), 1 / (20000.0 / 3600000.0));
}

TEST(Throughput, IdleGapThresholdIsInclusiveAndConfigurable) {
  Log log;
  log.add(1, "s", ev::kSessionStart, 0).add(1, "s", ev::kInput, 60000).add(1, "s", ev::kInput, 120001);
  EXPECT_EQ(rowOf(computeFigures(log.events, {}), 1).activeMs, 60000);  // 60 s counts, 60.001 s does not
  ThroughputSettings strict;
  strict.idleGapMs = 30000;
  EXPECT_EQ(rowOf(computeFigures(log.events, strict), 1).activeMs, 0);
}

TEST(Throughput, UnfocusedTimeIsNotActive) {
  Log log;
  log.add(1, "s", ev::kSessionStart, 0)
      .add(1, "s", ev::kOpenItem, 0, 5)
      .add(1, "s", ev::kInput, 10000)
      .add(1, "s", ev::kFocusLost, 20000)
      .add(1, "s", ev::kFocusGained, 50000)  // 30 s away: under the idle gap, still not counted
      .add(1, "s", ev::kInput, 55000)
      .add(1, "s", ev::kSubmit, 60000, 5)
      .add(1, "s", ev::kSessionEnd, 60000);
  const auto d = computeFigures(log.events, {});
  EXPECT_EQ(rowOf(d, 1).activeMs, 30000);
  EXPECT_EQ(work(d, 1, 5)->activeMs, 30000);
}

TEST(Throughput, ParallelSessionsOfOneUserAreNotDoubleCounted) {
  Log log;
  log.add(1, "A", ev::kSessionStart, 0).add(1, "A", ev::kOpenItem, 0, 1);
  log.add(1, "B", ev::kSessionStart, 30000).add(1, "B", ev::kOpenItem, 30000, 2);
  for (int t = 10000; t <= 90000; t += 10000) {
    if (t <= 60000) log.add(1, "A", ev::kInput, t);
    if (t > 30000) log.add(1, "B", ev::kInput, t);
  }
  log.add(1, "A", ev::kSubmit, 60000, 1).add(1, "A", ev::kSessionEnd, 60000);
  log.add(1, "B", ev::kSubmit, 90000, 2).add(1, "B", ev::kSessionEnd, 90000);
  // Another user working at the same time is not merged with user 1.
  log.add(2, "C", ev::kSessionStart, 0).add(2, "C", ev::kInput, 50000);

  const auto d = computeFigures(log.events, {});
  EXPECT_EQ(rowOf(d, 1).activeMs, 90000);  // 0..90 s once, not 60 + 60
  // From 30 s on, the time belongs to the window the user turned to last (session B, item 2).
  EXPECT_EQ(work(d, 1, 1)->activeMs, 30000);
  EXPECT_EQ(work(d, 1, 2)->activeMs, 60000);
  EXPECT_EQ(rowOf(d, 1).items, 2);
  EXPECT_EQ(rowOf(d, 2).activeMs, 50000);
}

TEST(Throughput, ReopenedItemsAccumulate) {
  Log log;
  log.add(1, "s", ev::kSessionStart, 0)
      .add(1, "s", ev::kOpenItem, 0, 7)
      .add(1, "s", ev::kInput, 10000)
      .add(1, "s", ev::kCloseItem, 20000, 7)
      .add(1, "s", ev::kOpenItem, 20000, 8)
      .add(1, "s", ev::kSubmit, 30000, 8)
      .add(1, "s", ev::kCloseItem, 40000, 8)
      .add(1, "s", ev::kOpenItem, 40000, 7)
      .add(1, "s", ev::kInput, 50000)
      .add(1, "s", ev::kSubmit, 55000, 7)
      .add(1, "s", ev::kSubmit, 58000, 7)  // a second submit of the same item is not a new item
      .add(1, "s", ev::kCloseItem, 60000, 7);
  const auto d = computeFigures(log.events, {});
  EXPECT_EQ(work(d, 1, 7)->activeMs, 40000);
  EXPECT_EQ(work(d, 1, 8)->activeMs, 20000);
  const auto r = rowOf(d, 1);
  EXPECT_EQ(r.items, 2);
  EXPECT_DOUBLE_EQ(r.medianSecondsPerItem(), 30.0);
  EXPECT_EQ(r.activeMs, 60000);
}

TEST(Throughput, ClockGoingBackwardsIsClampedNeverNegative) {
  Log log;
  log.add(1, "s", ev::kSessionStart, 0)
      .add(1, "s", ev::kOpenItem, 1000, 3)
      .add(1, "s", ev::kInput, 5000)
      .add(1, "s", ev::kInput, 3000)  // clock set back by 2 s
      .add(1, "s", ev::kInput, 8000)
      .add(1, "s", ev::kInput, -500000)  // and far back
      .add(1, "s", ev::kSubmit, 9000, 3);
  const auto d = computeFigures(log.events, {});
  EXPECT_EQ(rowOf(d, 1).activeMs, 9000);
  EXPECT_EQ(work(d, 1, 3)->activeMs, 8000);
  for (const auto& s : d.slices) EXPECT_GE(s.ms, 0);
}

TEST(Throughput, NothingCountsAfterSessionEndOrWithoutASession) {
  Log log;
  log.add(1, "s", ev::kSessionStart, 0).add(1, "s", ev::kSessionEnd, 10000);
  log.add(1, "s", ev::kInput, 20000);  // a stray event after the end
  log.add(1, "", ev::kInput, 0).add(1, "", ev::kInput, 5000);  // unnamed: one session per user
  const auto d = computeFigures(log.events, {});
  EXPECT_EQ(rowOf(d, 1).activeMs, 10000);  // 0..5 s overlaps 0..10 s of session s
}

TEST(Throughput, ObjectsVerticesSpansRatingsAndAssists) {
  Log log;
  log.add(1, "s", ev::kSessionStart, 0).add(1, "s", ev::kOpenItem, 0, 1);
  log.add(1, "s", ev::kAnnotationCreated, 1000, 1, created(1, "box", 2, "manual"));
  log.add(1, "s", ev::kAnnotationCreated, 2000, 1, created(2, "polygon", 5, "assist:grabcut@1"));
  log.add(1, "s", ev::kAnnotationCreated, 3000, 1, created(3, "span", 0, "manual"));
  log.add(1, "s", ev::kAnnotationCreated, 4000, 1, created(4, "rating", 0, "manual"));
  log.add(1, "s", ev::kAnnotationCreated, 4500, 1, created(5, "ranking", 0, "plugin:llm@2"));
  log.add(1, "s", ev::kAnnotationDeleted, 5000, 1, created(1, "box", 2, "manual"));
  log.add(1, "s", ev::kAnnotationUpdated, 6000, 1, created(2, "polygon", 7, "assist:grabcut@1"));
  log.add(1, "s", ev::kUndo, 7000, 1, R"({"command":9,"kind":"create","steps":[{"op":"create","annotation":3}]})");
  log.add(1, "s", ev::kRedo, 8000, 1, R"({"command":9,"kind":"create","steps":[{"op":"create","annotation":3}]})");
  log.add(1, "s", ev::kUndo, 9000, 1, R"({"command":8,"kind":"create","steps":[{"op":"create","annotation":4}]})");
  const auto r = rowOf(computeFigures(log.events, {}), 1);
  EXPECT_EQ(r.objects, 1);   // box deleted; polygon stays
  EXPECT_EQ(r.vertices, 7);  // as last updated
  EXPECT_EQ(r.spans, 1);     // undone then redone
  EXPECT_EQ(r.ratings, 1);   // rating undone, ranking stays
  EXPECT_EQ(r.assistedObjects, 2);
  EXPECT_EQ(r.manualObjects, 1);
}

TEST(Throughput, ReworkTurnaroundAndAcceptance) {
  Log log;
  log.add(1, "a", ev::kSubmit, 0, 1).add(1, "a", ev::kSubmit, 1000, 2).add(1, "a", ev::kSubmit, 2000, 3);
  log.add(9, "r", ev::kReviewReject, 60000, 1, R"({"annotator":1,"reason":"loose box"})");
  log.add(9, "r", ev::kReviewFixAccept, 62000, 2, R"({"annotator":1})");
  log.add(9, "r", ev::kReviewAccept, 64000, 3);  // no annotator in the detail: the last submitter
  log.add(1, "a", ev::kSubmit, 70000, 1);
  log.add(9, "r", ev::kReviewAccept, 100000, 1, R"({"annotator":1})");
  log.add(9, "r", ev::kReviewAccept, 120000, 1, R"({"annotator":1})");  // second look: no turnaround
  ThroughputSettings s;
  s.goldAccuracy[1] = 0.93;
  const auto d = computeFigures(log.events, s);
  const auto r = rowOf(d, 1);
  EXPECT_EQ(r.items, 3);
  EXPECT_EQ(r.reworkedItems, 2);
  EXPECT_DOUBLE_EQ(r.reworkRate(), 2.0 / 3.0);
  ASSERT_EQ(r.turnaroundSeconds.size(), 4u);
  EXPECT_DOUBLE_EQ(r.medianTurnaroundSeconds(), 60.5);  // 30, 60, 61, 62
  EXPECT_EQ(r.reviewed, 5);
  EXPECT_EQ(r.accepted, 3);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_DOUBLE_EQ(*r.acceptanceRate(), 0.6);
  EXPECT_DOUBLE_EQ(*r.goldAccuracy, 0.93);
  EXPECT_EQ(rowOf(d, 9).items, 0);  // the reviewer's reviews are not their own items
}

TEST(Throughput, DaysAndHoursAreLocalTime) {
  // 2026-11-20 23:30:00 UTC = 2026-11-21 07:30 in UTC+8.
  const lb::labeling::TimeMs t0 = 1795217400000;
  Log log;
  log.add(1, "s", ev::kSessionStart, t0).add(1, "s", ev::kOpenItem, t0, 1);
  log.add(1, "s", ev::kInput, t0 + 40 * 60000 - 30000);  // (not active: 39.5 min gap) 
  log.add(1, "s", ev::kInput, t0 + 40 * 60000);          // 00:10 UTC next day / 08:10 local
  log.add(1, "s", ev::kSubmit, t0 + 40 * 60000, 1);
  ThroughputSettings s;
  s.utcOffsetMinutes = 480;
  const auto d = computeFigures(log.events, s);
  auto days = figuresBy(d, GroupBy::Day);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].key, "2026-11-21");
  auto hours = figuresBy(d, GroupBy::Hour);
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0].key, "2026-11-21 08:00");
  EXPECT_EQ(hours[0].items, 1);
  EXPECT_EQ(hours[0].activeMs, 30000);

  // In UTC the same active 30 s sit on 2026-11-21 00:09:30..00:10:00.
  const auto utc = figuresBy(computeFigures(log.events, {}), GroupBy::Hour);
  ASSERT_EQ(utc.size(), 1u);
  EXPECT_EQ(utc[0].key, "2026-11-21 00:00");

  // Activity across midnight is split between the two days.
  Log night;
  night.add(1, "s", ev::kSessionStart, 1795219200000 - 20000).add(1, "s", ev::kInput, 1795219200000 + 40000);
  auto split = figuresBy(computeFigures(night.events, {}), GroupBy::Day);
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].key, "2026-11-20");
  EXPECT_EQ(split[0].activeMs, 20000);
  EXPECT_EQ(split[1].key, "2026-11-21");
  EXPECT_EQ(split[1].activeMs, 40000);
  EXPECT_EQ(parseDay("2026-11-21"), lb::qc::ThroughputData::floorDiv(1795219200000, 86400000));
  EXPECT_FALSE(parseDay("2026-02-30"));
  EXPECT_FALSE(parseDay("21/11/2026"));
}

TEST(Throughput, TeamsBatchesAndFilters) {
  Log log;
  for (UserId u : {1, 2, 3}) {
    const std::string s = "s" + std::to_string(u);
    log.add(u, s, ev::kSessionStart, 0).add(u, s, ev::kOpenItem, 0, 100 + u).add(u, s, ev::kInput, u * 10000);
    log.add(u, s, ev::kSubmit, u * 10000, 100 + u);
  }
  ThroughputSettings st;
  st.userNames = {{1, "ann"}, {2, "bo"}, {3, "cy"}};
  st.teamOf = {{1, "north"}, {2, "north"}};
  st.batchOf = {{101, 7}, {102, 8}, {103, 8}};
  st.batchNames = {{7, "client-a"}, {8, "client-b"}};
  st.goldAccuracy = {{1, 0.9}, {2, 0.8}};
  const auto d = computeFigures(log.events, st);

  const auto teams = figuresBy(d, GroupBy::Team);
  ASSERT_EQ(teams.size(), 2u);
  EXPECT_EQ(teams[0].key, "all");
  EXPECT_EQ(teams[0].activeMs, 30000);
  EXPECT_FALSE(teams[0].goldAccuracy);
  EXPECT_EQ(teams[1].key, "north");
  EXPECT_EQ(teams[1].activeMs, 30000);
  EXPECT_EQ(teams[1].items, 2);
  EXPECT_DOUBLE_EQ(*teams[1].goldAccuracy, 0.85);

  const auto batches = figuresBy(d, GroupBy::Batch);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].key, "client-a");
  EXPECT_EQ(batches[0].items, 1);
  EXPECT_EQ(batches[1].key, "client-b");
  EXPECT_EQ(batches[1].items, 2);
  EXPECT_EQ(batches[1].activeMs, 50000);
  EXPECT_DOUBLE_EQ(batches[1].medianSecondsPerItem(), 25.0);

  const auto people = figuresBy(d, GroupBy::Annotator);
  ASSERT_EQ(people.size(), 3u);
  EXPECT_EQ(people[1].key, "bo");
  EXPECT_EQ(people[1].activeMs, 20000);

  FigureFilter onlyB;
  onlyB.batch = 8;
  EXPECT_EQ(figuresBy(d, GroupBy::Annotator, onlyB).size(), 2u);
  EXPECT_EQ(totalFigures(d, onlyB).items, 2);
}

TEST(EventDetail, ReadsFlatFieldsAndSkipsNestedOnes) {
  const std::string j = R"({"nested":{"annotation":99,"s":"x,}"},"annotation":12,"source":"assist:gc@1",)"
                        R"("q":"a\"b","list":[1,[2]],"vertices":4.0})";
  EXPECT_EQ(detail::intField(j, "annotation"), 12);
  EXPECT_EQ(detail::intField(j, "vertices"), 4);
  EXPECT_EQ(detail::stringField(j, "source"), "assist:gc@1");
  EXPECT_EQ(detail::stringField(j, "q"), "a\"b");
  EXPECT_FALSE(detail::intField(j, "missing"));
  EXPECT_FALSE(detail::stringField(j, "annotation"));
  EXPECT_FALSE(detail::intField("not json", "annotation"));
  EXPECT_FALSE(detail::intField(R"({"annotation":"12"})", "annotation"));
}
