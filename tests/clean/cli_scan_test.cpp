// labelbench-cli clean scan on a folder that was never imported: groups, keepers, exit codes.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>

#include "support/test_support.h"

namespace {

std::string groupLine(const std::string& out, const std::string& section) {
  const auto at = out.find(section);
  if (at == std::string::npos) return "";
  const auto g = out.find("  group 1:", at);
  if (g == std::string::npos) return "";
  return out.substr(g, out.find('\n', g) - g);
}

}  // namespace

TEST(CleanCliScan, FindsExactAndNearDuplicateGroupsWithKeepers) {
  lb::test::TempDir dir;
  const std::string folder = dir.file("photos");
  std::filesystem::create_directories(folder + "/sub");
  // Sample images copied as they are; one byte-for-byte copy, one smaller re-encoded copy in a
  // sub-folder, and unrelated photos.
  std::filesystem::copy_file(lb::test::opencvSample("building.jpg"), folder + "/building.jpg");
  std::filesystem::copy_file(lb::test::opencvSample("building.jpg"), folder + "/building_copy.jpg");
  cv::Mat small;
  cv::resize(cv::imread(lb::test::opencvSample("building.jpg")), small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  ASSERT_TRUE(cv::imwrite(folder + "/sub/a_building_small.jpg", small, {cv::IMWRITE_JPEG_QUALITY, 80}));
  for (const char* f : {"baboon.jpg", "fruits.jpg", "apple.jpg"})
    std::filesystem::copy_file(lb::test::opencvSample(f), folder + "/" + f);
  std::ofstream(folder + "/broken.jpg") << "not an image";
  std::ofstream(folder + "/notes.txt") << "ignored";

  const std::string cli = lb::test::cliPath() + " clean scan '" + folder + "'";
  auto r = lb::test::run(cli);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("scanned 6 images"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unreadable: broken.jpg"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("exact duplicates: 1 group"), std::string::npos) << r.output;
  EXPECT_EQ(groupLine(r.output, "exact duplicates"), "  group 1: keep building.jpg; duplicates building_copy.jpg");
  EXPECT_NE(r.output.find("near duplicates (threshold 20): 1 group"), std::string::npos) << r.output;
  // The full-size original is kept over its half-size copy although the copy sorts first.
  EXPECT_EQ(groupLine(r.output, "near duplicates"),
            "  group 1: keep building.jpg; duplicates building_copy.jpg sub/a_building_small.jpg");
  for (const char* f : {"baboon", "fruits", "apple"}) EXPECT_EQ(r.output.find(std::string("duplicates ") + f), std::string::npos);

  auto strict = lb::test::run(cli + " --threshold 0");
  ASSERT_EQ(strict.exitCode, 0) << strict.output;
  EXPECT_EQ(groupLine(strict.output, "near duplicates"), "  group 1: keep building.jpg; duplicates building_copy.jpg")
      << strict.output;

  auto missing = lb::test::run(lb::test::cliPath() + " clean scan '" + dir.file("nope") + "'");
  EXPECT_NE(missing.exitCode, 0);
  EXPECT_NE(missing.output.find("not a folder"), std::string::npos) << missing.output;
  auto bad = lb::test::run(cli + " --threshold 500");
  EXPECT_NE(bad.exitCode, 0);
}
