// The clean command end to end: run, report at another threshold, decide, restore; exit codes.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "clean_fixture.h"
#include "qc/clean/findings_repository.h"

using namespace lb::labeling;

TEST(CleanCli, RunReportDecideRestore) {
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(cv::imread(lb::test::opencvSample("building.jpg")), big, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  cv::Mat small;  // a smaller, slightly tilted copy: a near duplicate a few bits away
  cv::resize(big, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  const cv::Mat r = cv::getRotationMatrix2D(cv::Point2f(small.cols / 2.f, small.rows / 2.f), 2, 1.03);
  cv::warpAffine(small, small, r, small.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  const auto a = p.addImage(big, "a.jpg");
  const auto b = p.addImage(small, "b.jpg");
  p.addImage(cv::imread(lb::test::opencvSample("baboon.jpg")), "c.jpg");
  const std::string cli = lb::test::cliPath() + " ";
  const std::string proj = "'" + p.path() + "'";

  // The lead loosens the near-duplicate threshold for this batch (stored in the project).
  auto set = lb::test::run(cli + "clean thresholds " + proj + " --set near_dup=30");
  ASSERT_EQ(set.exitCode, 0) << set.output;
  auto run = lb::test::run(cli + "clean run " + proj + " --checks exact_dup,near_dup,blur");
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.output.find("near_dup"), std::string::npos);
  EXPECT_NE(run.output.find("groups " + std::to_string(a)), std::string::npos) << run.output;

  auto json = lb::test::run(cli + "clean report " + proj + " --checks near_dup --json");
  ASSERT_EQ(json.exitCode, 0) << json.output;
  EXPECT_NE(json.output.find("\"findings\": 2"), std::string::npos) << json.output;
  // One weighted bit stricter than the pair's score, the copy is no longer a duplicate; nothing recomputed.
  double distance = 0;
  {
    auto s = openProject(p.path());
    auto repo = lb::qc::clean::FindingsRepository::open(**s);
    distance = repo->row("near_dup", b)->score;
  }
  ASSERT_GT(distance, 0);
  ASSERT_LE(distance, 30);
  auto strict = lb::test::run(cli + "clean report " + proj + " --checks near_dup --set near_dup=" + std::to_string(distance - 1) + " --json");
  ASSERT_EQ(strict.exitCode, 0) << strict.output;
  EXPECT_NE(strict.output.find("\"findings\": 0"), std::string::npos) << strict.output;

  auto decide = lb::test::run(cli + "clean decide " + proj + " --check near_dup --group " + std::to_string(a) + " exclude");
  ASSERT_EQ(decide.exitCode, 0) << decide.output;
  EXPECT_NE(decide.output.find("1 item(s) excluded"), std::string::npos) << decide.output;
  {
    auto s = openProject(p.path());
    ASSERT_TRUE(s);
    EXPECT_TRUE((*s)->item(b)->excluded);
    EXPECT_EQ((*s)->countItems(ItemFilter{}), 2);
  }
  auto restore = lb::test::run(cli + "clean decide " + proj + " --check near_dup --item " + std::to_string(b) + " restore");
  ASSERT_EQ(restore.exitCode, 0) << restore.output;
  {
    auto s = openProject(p.path());
    EXPECT_FALSE((*s)->item(b)->excluded);
  }
  auto bad = lb::test::run(cli + "clean decide " + proj + " --check nonsense exclude");
  EXPECT_NE(bad.exitCode, 0);
  EXPECT_NE(bad.output.find("unknown check 'nonsense'"), std::string::npos) << bad.output;
  auto badSet = lb::test::run(cli + "clean report " + proj + " --set blur=0.01");
  EXPECT_NE(badSet.exitCode, 0);
  EXPECT_NE(badSet.output.find("outside the measured range"), std::string::npos) << badSet.output;
}
