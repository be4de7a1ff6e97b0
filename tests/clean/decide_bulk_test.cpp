// decide() applies a whole group or check set-based; it must do exactly what applying the same
// decisions one member at a time does (findings' decisions, excluded items, events).
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <SQLiteCpp/Statement.h>

#include "clean_fixture.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/findings_repository.h"

using namespace lb::labeling;
namespace clean = lb::qc::clean;
using lb::test::photo;

namespace {

// Two near-duplicate families, an exact copy, dark images, and an item a reviewer excluded by hand.
void fill(lb::test::CleanProject& p) {
  const cv::Mat building = photo("building.jpg");
  const cv::Mat fruits = photo("fruits.jpg");
  p.addImage(building, "building.jpg");
  p.addImage(building, "building_copy.jpg");
  cv::Mat small;
  cv::resize(building, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  p.addImage(small, "building_small.jpg");
  p.addImage(fruits, "fruits.jpg");
  cv::Mat fsmall;
  cv::resize(fruits, fsmall, cv::Size(), 0.6, 0.6, cv::INTER_AREA);
  const ItemId byHand = p.addImage(fsmall, "fruits_small.jpg");
  p.addImage(photo("baboon.jpg") * 0.08, "baboon_dark.jpg");
  p.addImage(photo("butterfly.jpg") * 0.08, "butterfly_dark.jpg");
  EXPECT_TRUE(p.store().setExcluded(byHand, true, "blurry, excluded by the reviewer"));
  EXPECT_TRUE(clean::runChecks(p.store(), {}));
}

std::vector<std::string> state(lb::test::CleanProject& p) {
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  std::vector<std::string> out;
  SQLite::Statement f(db, "SELECT check_name, item_id, decision, decided_by, decided_ms > 0 FROM findings ORDER BY 1, 2");
  while (f.executeStep())
    out.push_back("finding " + f.getColumn(0).getString() + " " + f.getColumn(1).getString() + " '" +
                  f.getColumn(2).getString() + "' by " + f.getColumn(3).getString() + " timed " + f.getColumn(4).getString());
  SQLite::Statement i(db, "SELECT id, excluded, excluded_reason FROM items ORDER BY id");
  while (i.executeStep())
    out.push_back("item " + i.getColumn(0).getString() + " " + i.getColumn(1).getString() + " " + i.getColumn(2).getString());
  (void)p.store().forEachEvent([&](const Event& e) {
    if (e.action == "clean_decide") out.push_back("event " + std::to_string(e.userId) + " " + e.detailJson);
    return true;
  });
  return out;
}

}  // namespace

TEST(CleanDecide, SetBasedDecisionsMatchItemByItem) {
  lb::test::CleanProject a, b;
  fill(a);
  fill(b);
  ASSERT_EQ(state(a), state(b));
  auto report = clean::buildReport(a.store(), clean::Thresholds{});
  ASSERT_TRUE(report);
  std::int64_t exactKey = 0;
  std::size_t nearGroups = 0;
  ItemId nearOther = 0;  // a member of a near-duplicate group that is not its suggested keeper
  for (const auto& c : report->checks) {
    if (c.spec->name == "exact_dup" && !c.groups.empty()) exactKey = c.groups[0].key;
    if (c.spec->name == "near_dup") {
      nearGroups = c.groups.size();
      for (auto m : c.groups.at(0).members)
        if (m != c.groups[0].keeper) nearOther = m;
    }
    if (c.spec->name == "dark") {
      EXPECT_GE(c.findings, 2);
    }
  }
  ASSERT_NE(exactKey, 0) << "the fixture has an exact copy";
  ASSERT_GE(nearGroups, 2u) << "the fixture has two near-duplicate families";

  using A = clean::DecideAction;
  const std::vector<std::pair<clean::DecideTarget, A>> steps{
      {{"exact_dup", exactKey, std::nullopt}, A::Keep},
      {{"near_dup", std::nullopt, std::nullopt}, A::Exclude},
      {{"dark", std::nullopt, std::nullopt}, A::Exclude},
      {{"exact_dup", exactKey, std::nullopt}, A::Exclude},
      {{"near_dup", std::nullopt, std::nullopt}, A::Restore},
      {{"dark", std::nullopt, std::nullopt}, A::Keep},
      {{"near_dup", std::nullopt, std::nullopt}, A::Exclude},
      {{"near_dup", std::nullopt, nearOther}, A::Keep},  // the old keeper loses its 'keep'
      {{"near_dup", std::nullopt, std::nullopt}, A::Exclude},
  };
  bool changed = false;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const auto before = state(a);
    auto ra = clean::decide(a.store(), clean::Thresholds{}, steps[k].first, steps[k].second, a.lead());
    auto rb = clean::detail::decideItemByItem(b.store(), clean::Thresholds{}, steps[k].first, steps[k].second, b.lead());
    ASSERT_TRUE(ra) << ra.error().message;
    ASSERT_TRUE(rb) << rb.error().message;
    EXPECT_EQ(ra->decided, rb->decided) << "step " << k;
    EXPECT_EQ(ra->excluded, rb->excluded) << "step " << k;
    EXPECT_EQ(ra->restored, rb->restored) << "step " << k;
    EXPECT_EQ(state(a), state(b)) << "step " << k;
    changed = changed || state(a) != before;
  }
  EXPECT_TRUE(changed);
  // The reviewer's own exclusion survived every restore on both paths.
  EXPECT_TRUE(a.store().item(5)->excluded);
  EXPECT_EQ(a.store().item(5)->excludedReason, "blurry, excluded by the reviewer");
}

TEST(CleanDecide, UnknownGroupIsNotFoundAndChangesNothing) {
  lb::test::CleanProject p;
  fill(p);
  const auto before = state(p);
  auto r = clean::decide(p.store(), clean::Thresholds{}, {"near_dup", 99999, std::nullopt}, clean::DecideAction::Exclude, p.lead());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, lb::ErrorCode::NotFound);
  EXPECT_EQ(state(p), before);
}

TEST(CleanKeeper, OriginalBeatsItsDarkenedAndDownscaledCopies) {
  lb::test::CleanProject p;
  const cv::Mat original = photo("building.jpg");
  // The copies are imported first, so "earliest imported" alone would pick a copy; the dark copy
  // was also sharpened, so "sharpest" alone would pick it too.
  cv::Mat soft, sharpened;
  cv::GaussianBlur(original, soft, cv::Size(0, 0), 2.0);
  cv::addWeighted(original, 2.5, soft, -1.5, 0, sharpened);
  const ItemId dark = p.addImage(sharpened * 0.2, "building_dark.jpg");
  cv::Mat small;
  cv::resize(original, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  const ItemId smaller = p.addImage(small, "building_small.jpg");
  const ItemId orig = p.addImage(original, "building.jpg");
  p.addImage(photo("baboon.jpg"), "baboon.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  auto report = clean::buildReport(p.store(), clean::Thresholds{});
  ASSERT_TRUE(report);
  for (const auto& c : report->checks) {
    if (c.spec->name == "dark") {
      auto repo = clean::FindingsRepository::open(p.store());
      bool darkFlagged = false;
      for (const auto& f : repo->findings(*c.spec, c.threshold)) darkFlagged = darkFlagged || f.itemId == dark;
      EXPECT_TRUE(darkFlagged) << "the darkened copy must be a dark finding";
      // ...and it measures sharper than the original, so only its flag makes the original win.
      const auto blur = p.store().signals(lb::labeling::signal_keys::kBlur);
      double blurDark = -1, blurOrig = -1;
      for (const auto& [id, sig] : blur) {
        if (id == dark) blurDark = sig.number;
        if (id == orig) blurOrig = sig.number;
      }
      EXPECT_LT(blurDark, blurOrig);
    }
    if (c.spec->name != "near_dup") continue;
    ASSERT_EQ(c.groups.size(), 1u);
    EXPECT_EQ(c.groups[0].members, (std::vector<ItemId>{dark, smaller, orig}));
    EXPECT_EQ(c.groups[0].keeper, orig);
  }
  // Excluding the group keeps the original and takes out both copies.
  auto r = clean::decide(p.store(), clean::Thresholds{}, {"near_dup", dark, std::nullopt}, clean::DecideAction::Exclude, p.lead());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(p.store().item(orig)->excluded);
  EXPECT_TRUE(p.store().item(dark)->excluded);
  EXPECT_TRUE(p.store().item(smaller)->excluded);
}
