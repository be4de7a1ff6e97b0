// Piece-rate pay: rates x units, quality multiplier (step table and curve), deduction for rejects,
// day and week periods.
#include <gtest/gtest.h>

#include "labeling/events.h"
#include "qc/throughput/pay.h"

using namespace lb::qc;
using lb::labeling::Event;
namespace ev = lb::labeling::events;

namespace {

constexpr lb::labeling::TimeMs kMonday = 1795219200000 - 5 * 86400000LL;  // 2026-11-16 00:00 UTC (a Monday)
constexpr lb::labeling::TimeMs kDay = 86400000;

Event make(UserId user, const char* action, lb::labeling::TimeMs t, ItemId item, std::string detail = "{}") {
  Event e;
  e.userId = user;
  e.sessionId = "s";
  e.sessionId += std::to_string(user);
  e.action = action;
  e.tMs = t;
  e.itemId = item;
  e.detailJson = std::move(detail);
  return e;
}

std::string box(int id, int vertices) {
  return "{\"annotation\":" + std::to_string(id) + ",\"kind\":\"polygon\",\"vertices\":" +
         std::to_string(vertices) + ",\"source\":\"manual\"}";
}

// User 1: on Monday 2 items with 3 polygons (4+4+2 vertices), one item rejected once.
// User 2: on Monday 1 item with one 10-vertex polygon; on Sunday 1 item; next Monday 1 item.
std::vector<Event> workWeek() {
  std::vector<Event> v;
  const auto t = kMonday + 9 * 3600000;
  v.push_back(make(1, ev::kAnnotationCreated, t, 1, box(1, 4)));
  v.push_back(make(1, ev::kAnnotationCreated, t + 1000, 1, box(2, 4)));
  v.push_back(make(1, ev::kSubmit, t + 2000, 1));
  v.push_back(make(1, ev::kAnnotationCreated, t + 3000, 2, box(3, 2)));
  v.push_back(make(1, ev::kSubmit, t + 4000, 2));
  v.push_back(make(9, ev::kReviewReject, t + 5000, 1, R"({"annotator":1})"));
  v.push_back(make(9, ev::kReviewAccept, t + 6000, 2, R"({"annotator":1})"));
  v.push_back(make(2, ev::kAnnotationCreated, t, 3, box(4, 10)));
  v.push_back(make(2, ev::kSubmit, t + 1000, 3));
  v.push_back(make(2, ev::kSubmit, t + 6 * kDay, 4));
  v.push_back(make(2, ev::kSubmit, t + 7 * kDay, 5));
  return v;
}

PayRates rates(const std::string& json) {
  auto r = payRatesFromJson(json, "test rates");
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : PayRates{};
}

ThroughputSettings people() {
  ThroughputSettings s;
  s.userNames = {{1, "ann"}, {2, "bo"}, {9, "rita"}};
  s.goldAccuracy = {{1, 0.95}, {2, 0.99}};
  return s;
}

}  // namespace

TEST(Pay, PieceRatesGoldMultiplierAndDeductionPerDay) {
  const auto data = computeFigures(workWeek(), people());
  const auto r = rates(R"({"currency":"CNY","item":1.0,"object":0.1,"vertex":0.01,"rejected_deduction":0.3,
      "quality":{"source":"gold","table":[[0.0,0.5],[0.9,1.0],[0.98,1.2]]}})");
  const auto pay = computeEarnings(data, r, PayPeriod::Day);
  ASSERT_EQ(pay.size(), 4u);  // ann Monday; bo Monday, Sunday, next Monday; rita reviewed only
  EXPECT_EQ(pay[0].annotator, "ann");
  EXPECT_EQ(pay[0].period, "2026-11-16");
  EXPECT_EQ(pay[0].items, 2);
  EXPECT_EQ(pay[0].objects, 3);
  EXPECT_EQ(pay[0].vertices, 10);
  EXPECT_EQ(pay[0].rejections, 1);
  EXPECT_DOUBLE_EQ(pay[0].gross, 2.0 + 0.3 + 0.1);
  EXPECT_DOUBLE_EQ(pay[0].multiplier, 1.0);  // 0.95 is in the [0.9, 0.98) step
  EXPECT_DOUBLE_EQ(pay[0].deduction, 0.3);
  EXPECT_NEAR(pay[0].net, 2.1, 1e-9);
  EXPECT_EQ(pay[1].annotator, "bo");
  EXPECT_DOUBLE_EQ(pay[1].multiplier, 1.2);
  EXPECT_NEAR(pay[1].net, (1.0 + 0.1 + 0.1) * 1.2, 1e-9);
  EXPECT_EQ(pay[2].period, "2026-11-22");
  EXPECT_EQ(pay[3].period, "2026-11-23");

  const auto csv = earningsCsv(pay, r);
  EXPECT_NE(csv.find("ann,2026-11-16,2,3,10,0,0,1,0.9500,1.0000,2.40,0.30,2.10,CNY\n"), std::string::npos) << csv;
}

TEST(Pay, WeeksStartOnMondayAndCurveInterpolates) {
  auto s = people();
  s.goldAccuracy[1] = 0.94;
  const auto data = computeFigures(workWeek(), s);
  const auto r = rates(R"({"item":1.0,"quality":{"source":"gold","table":[[0.9,1.0],[0.98,1.2]],"interpolate":true}})");
  const auto pay = computeEarnings(data, r, PayPeriod::Week);
  ASSERT_EQ(pay.size(), 3u);
  EXPECT_EQ(pay[0].annotator, "ann");
  EXPECT_NEAR(pay[0].multiplier, 1.1, 1e-12);  // halfway between 0.9 -> 1.0 and 0.98 -> 1.2
  EXPECT_NEAR(pay[0].net, 2.2, 1e-9);
  EXPECT_EQ(pay[1].annotator, "bo");
  EXPECT_EQ(pay[1].period, "2026-11-16");  // Monday and Sunday in one week
  EXPECT_EQ(pay[1].items, 2);
  EXPECT_DOUBLE_EQ(pay[1].multiplier, 1.2);  // flat beyond the last point
  EXPECT_EQ(pay[2].period, "2026-11-23");
  EXPECT_EQ(pay[2].items, 1);
}

TEST(Pay, AcceptanceQualityBelowTheTableAndMissingQuality) {
  const auto data = computeFigures(workWeek(), people());
  const auto r = rates(R"({"item":1.0,"rejected_deduction":5,
      "quality":{"source":"acceptance","table":[[0.6,1.0]],"missing":0.8}})");
  const auto pay = computeEarnings(data, r, PayPeriod::Day);
  ASSERT_EQ(pay.size(), 4u);
  ASSERT_TRUE(pay[0].quality);
  EXPECT_DOUBLE_EQ(*pay[0].quality, 0.5);    // one accept of two reviews
  EXPECT_DOUBLE_EQ(pay[0].multiplier, 0.0);  // under the bar: not paid
  EXPECT_DOUBLE_EQ(pay[0].net, 0.0);         // and never negative despite the deduction
  EXPECT_FALSE(pay[1].quality);              // bo's work was never reviewed
  EXPECT_DOUBLE_EQ(pay[1].multiplier, 0.8);
  EXPECT_DOUBLE_EQ(pay[1].net, 0.8);
}

TEST(Pay, BadRatesAreRefusedWithTheFieldNamed) {
  auto neg = payRatesFromJson(R"({"item":-1})", "project setting pay_rates");
  ASSERT_FALSE(neg);
  EXPECT_NE(neg.error().message.find("\"item\""), std::string::npos);
  EXPECT_NE(neg.error().message.find("pay_rates"), std::string::npos);
  auto order = payRatesFromJson(R"({"quality":{"source":"gold","table":[[0.9,1],[0.5,0.5]]}})", "r");
  ASSERT_FALSE(order);
  EXPECT_NE(order.error().message.find("thresholds"), std::string::npos);
  EXPECT_FALSE(payRatesFromJson(R"({"quality":{"source":"mood"}})", "r"));
  EXPECT_FALSE(payRatesFromJson("[1,2]", "r"));
  EXPECT_FALSE(payRatesFromJson("{", "r"));
  // What is written can be read back.
  const auto r = rates(R"({"currency":"CNY","span":0.2,"quality":{"source":"acceptance","table":[[0.5,1]]}})");
  const auto back = payRatesFromJson(payRatesToJson(r), "round trip");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->currency, "CNY");
  EXPECT_DOUBLE_EQ(back->perSpan, 0.2);
  EXPECT_EQ(back->qualitySource, QualitySource::Acceptance);
  EXPECT_EQ(back->qualityTable.size(), 1u);
}
