// Stopping a cleaning run: a cancelled run stores nothing and says it was cancelled.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <SQLiteCpp/Statement.h>

#include <atomic>

#include "clean_fixture.h"
#include "qc/clean/clean_service.h"

using namespace lb::labeling;
namespace clean = lb::qc::clean;
using lb::test::photo;

namespace {

// Every findings row as text, to compare the table before and after.
std::vector<std::string> findingsDump(lb::test::CleanProject& p) {
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  SQLite::Statement q(db, "SELECT check_name, item_id, score, detail_json, decision FROM findings ORDER BY check_name, item_id");
  std::vector<std::string> out;
  while (q.executeStep())
    out.push_back(q.getColumn(0).getString() + "|" + std::to_string(q.getColumn(1).getInt64()) + "|" +
                  q.getColumn(2).getString() + "|" + q.getColumn(3).getString() + "|" + q.getColumn(4).getString());
  return out;
}

}  // namespace

TEST(CleanRunCancel, CancelledAfterFirstProgressCallStoresNothingAndReturnsCancelled) {
  lb::test::CleanProject p;
  const cv::Mat base = photo("building.jpg");
  p.addImage(base, "building.jpg");
  p.addImage(photo("baboon.jpg"), "baboon.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  const auto before = findingsDump(p);

  // New items a full run would find: an exact copy and a darkened, downscaled near-duplicate.
  p.addImage(base, "building_copy.jpg");
  cv::Mat small;
  cv::resize(base * 0.5, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  p.addImage(small, "building_small_dark.jpg");

  for (int stopAfter : {1, 2, 3}) {
    std::atomic<bool> cancel{false};
    int calls = 0;
    clean::RunOptions options;
    options.cancel = &cancel;
    options.progress = [&](std::int64_t, std::int64_t, const std::string&) {
      if (++calls == stopAfter) cancel = true;
    };
    auto run = clean::runChecks(p.store(), options);
    ASSERT_FALSE(run) << "stopped after " << stopAfter << " progress calls";
    EXPECT_EQ(run.error().code, lb::ErrorCode::Cancelled);
    EXPECT_EQ(calls, stopAfter) << "no stage runs after the cancel";
    EXPECT_EQ(findingsDump(p), before) << "a cancelled run must leave the findings as they were";
  }

  // The same run, not cancelled, does change the findings (so the comparison above can fail).
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  EXPECT_NE(findingsDump(p), before);
}

TEST(CleanRunCancel, FlagSetBeforeTheRunStopsAtTheFirstStage) {
  lb::test::CleanProject p;
  p.addImage(photo("building.jpg"), "a.jpg");
  p.addImage(photo("building.jpg"), "b.jpg");
  std::atomic<bool> cancel{true};
  clean::RunOptions options;
  options.cancel = &cancel;
  auto run = clean::runChecks(p.store(), options);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, lb::ErrorCode::Cancelled);
  EXPECT_TRUE(findingsDump(p).empty());
}
