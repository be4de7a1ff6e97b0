// Image checks on images made in the test with a known answer, through the same signals the
// import stores and the same findings table the CLI reads.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <SQLiteCpp/Database.h>

#include <algorithm>

#include "clean_fixture.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/findings_repository.h"
#include "qc/clean/image_checks.h"

using namespace lb::labeling;
namespace clean = lb::qc::clean;
using lb::test::defaultThreshold;
using lb::test::photo;

namespace {

cv::Mat checkerboard(int w, int h, int cell, unsigned char lo = 30, unsigned char hi = 225) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool on = ((x / cell) + (y / cell)) % 2 == 0;
      // A little colour so that the grayscale check stays quiet.
      const int v = on ? hi : lo;
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<unsigned char>(v * 0.8), cv::saturate_cast<unsigned char>(v * 0.95),
                                        cv::saturate_cast<unsigned char>(v * 1.1));
    }
  return m;
}

double signal(const std::vector<NewItem::Signal>& s, const char* key) {
  for (const auto& x : s)
    if (x.key == key) return x.number;
  ADD_FAILURE() << "no signal " << key;
  return -1;
}

std::vector<NewItem::Signal> signalsOf(const cv::Mat& img) { return computeImageSignals(img, img.cols, img.rows); }

std::set<ItemId> findingItems(lb::test::CleanProject& p, const char* check, double t) {
  auto repo = clean::FindingsRepository::open(p.store());
  std::set<ItemId> out;
  for (const auto& f : repo->findings(*clean::findCheck(check), t)) out.insert(f.itemId);
  return out;
}

}  // namespace

TEST(ImageSignals, SharpCheckerboardIsSharpAndItsBlurIsBlurry) {
  const cv::Mat sharp = checkerboard(1920, 1080, 96);
  cv::Mat blurred;
  cv::GaussianBlur(sharp, blurred, cv::Size(0, 0), 8);
  const double s = signal(signalsOf(sharp), signal_keys::kBlur);
  const double b = signal(signalsOf(blurred), signal_keys::kBlur);
  EXPECT_LT(s, defaultThreshold("blur"));
  EXPECT_GE(b, defaultThreshold("blur"));
}

TEST(ImageSignals, DarkButSharpImageIsDarkNotBlurry) {
  const cv::Mat dark = checkerboard(1920, 1080, 96, 2, 40);
  const auto s = signalsOf(dark);
  EXPECT_LT(signal(s, signal_keys::kBlur), defaultThreshold("blur")) << "a dark image must not read as blurry";
  EXPECT_LE(signal(s, signal_keys::kLumaP95), defaultThreshold("dark"));
  const auto normal = signalsOf(checkerboard(1920, 1080, 96));
  EXPECT_GT(signal(normal, signal_keys::kLumaP95), defaultThreshold("dark"));
  EXPECT_LT(signal(normal, signal_keys::kLumaP05), defaultThreshold("bright"));
}

TEST(ImageSignals, BlurScoreHoldsAcrossResolutions) {
  // The same scene at 1080p and at 12 MP, blurred by the same fraction of the image width:
  // the score is measured at a fixed analysis scale, so both land on the same side.
  const cv::Mat small = photo("fruits.jpg");
  cv::Mat hd, mp12;
  cv::resize(small, hd, cv::Size(1920, 1080), 0, 0, cv::INTER_CUBIC);
  cv::resize(small, mp12, cv::Size(4032, 3024), 0, 0, cv::INTER_CUBIC);
  cv::Mat hdBlur, mpBlur;
  cv::GaussianBlur(hd, hdBlur, cv::Size(0, 0), 1920 / 200.0);
  cv::GaussianBlur(mp12, mpBlur, cv::Size(0, 0), 4032 / 200.0);
  const double sHd = signal(signalsOf(hd), signal_keys::kBlur), sMp = signal(signalsOf(mp12), signal_keys::kBlur);
  const double bHd = signal(signalsOf(hdBlur), signal_keys::kBlur), bMp = signal(signalsOf(mpBlur), signal_keys::kBlur);
  EXPECT_NEAR(sHd, sMp, 0.1);
  EXPECT_NEAR(bHd, bMp, 0.1);
  EXPECT_GE(bHd, defaultThreshold("blur"));
  EXPECT_GE(bMp, defaultThreshold("blur"));
}

TEST(ImageSignals, ExposureInformationAndColour) {
  cv::Mat bright;
  checkerboard(800, 600, 40).convertTo(bright, -1, 0.2, 204);  // washed out, as the corpus makes them
  EXPECT_GE(signal(signalsOf(bright), signal_keys::kLumaP05), defaultThreshold("bright"));
  const cv::Mat flat(600, 800, CV_8UC3, cv::Scalar(90, 120, 140));
  EXPECT_LE(signal(signalsOf(flat), signal_keys::kLumaEntropy), defaultThreshold("low_info"));
  EXPECT_GT(signal(signalsOf(photo("baboon.jpg")), signal_keys::kLumaEntropy), defaultThreshold("low_info"));
  cv::Mat gray, gray3;
  cv::cvtColor(photo("baboon.jpg"), gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(gray, gray3, cv::COLOR_GRAY2BGR);
  EXPECT_LE(signal(signalsOf(gray3), signal_keys::kChroma), defaultThreshold("grayscale"));
  EXPECT_GT(signal(signalsOf(photo("baboon.jpg")), signal_keys::kChroma), defaultThreshold("grayscale"));
}

TEST(ImageChecks, FindsExactAndNearDuplicatesIncludingRotationAndCrop) {
  lb::test::CleanProject p;
  const cv::Mat base = photo("building.jpg");
  cv::Mat big;
  cv::resize(base, big, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  const ItemId original = p.addImage(big, "original.jpg");
  const ItemId sameFile = p.addImage(big, "copy_of_original.jpg");  // same bytes
  cv::Mat rot90;
  cv::rotate(big, rot90, cv::ROTATE_90_CLOCKWISE);
  const ItemId rotated = p.addImage(rot90, "rotated.jpg");
  const cv::Rect crop(big.cols / 10, big.rows / 10, big.cols * 8 / 10, big.rows * 8 / 10);
  const ItemId cropped = p.addImage(big(crop).clone(), "cropped.jpg");
  cv::Mat small;
  cv::resize(big, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  const ItemId resized = p.addImage(small, "resized.jpg");
  cv::Mat tilt;
  const cv::Mat r = cv::getRotationMatrix2D(cv::Point2f(big.cols / 2.f, big.rows / 2.f), 4, 1.08);
  cv::warpAffine(big, tilt, r, big.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  const ItemId tilted = p.addImage(tilt, "tilted.jpg");
  const ItemId other1 = p.addImage(photo("baboon.jpg"), "baboon.jpg");
  const ItemId other2 = p.addImage(photo("fruits.jpg"), "fruits.jpg");
  const ItemId other3 = p.addImage(photo("apple.jpg"), "apple.jpg");

  auto run = clean::runChecks(p.store(), {{"exact_dup", "near_dup"}, nullptr});
  ASSERT_TRUE(run) << run.error().message;
  auto report = clean::buildReport(p.store(), clean::Thresholds{});
  ASSERT_TRUE(report);
  const auto& exact = report->checks[0];
  ASSERT_EQ(exact.spec->name, "exact_dup");
  ASSERT_EQ(exact.groups.size(), 1u);
  EXPECT_EQ(exact.groups[0].members, (std::vector<ItemId>{original, sameFile}));

  const auto& near = report->checks[1];
  ASSERT_EQ(near.spec->name, "near_dup");
  ASSERT_EQ(near.groups.size(), 1u) << "unrelated photos must not join";
  const std::vector<ItemId> expected{original, sameFile, rotated, cropped, resized, tilted};
  EXPECT_EQ(near.groups[0].members, expected);
  // Keeper: the largest resolution; of the equal-size ones the sharpest, then the largest file.
  const auto keeper = near.groups[0].keeper;
  EXPECT_TRUE(keeper == original || keeper == sameFile || keeper == rotated) << keeper;
  for (auto o : {other1, other2, other3})
    EXPECT_EQ(std::count(near.groups[0].members.begin(), near.groups[0].members.end(), o), 0);
}

TEST(ImageChecks, ScalarChecksStoreScoresAndThresholdChangesNeedNoRecompute) {
  lb::test::CleanProject p;
  const ItemId sharp = p.addImage(checkerboard(1920, 1080, 96), "sharp.jpg");
  cv::Mat soft, softer;
  cv::GaussianBlur(checkerboard(1920, 1080, 96), soft, cv::Size(0, 0), 4);
  cv::GaussianBlur(checkerboard(1920, 1080, 96), softer, cv::Size(0, 0), 12);
  const ItemId a = p.addImage(soft, "soft.jpg");
  const ItemId b = p.addImage(softer, "softer.jpg");
  const ItemId dark = p.addImage(checkerboard(1920, 1080, 96, 2, 40), "dark.jpg");
  const ItemId strip = p.addImage(checkerboard(1200, 150, 10), "strip.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));

  EXPECT_EQ(findingItems(p, "dark", defaultThreshold("dark")), (std::set<ItemId>{dark}));
  EXPECT_EQ(findingItems(p, "odd_aspect", defaultThreshold("odd_aspect")), (std::set<ItemId>{strip}));
  EXPECT_EQ(findingItems(p, "small", defaultThreshold("small")), (std::set<ItemId>{strip}));
  auto blurry = findingItems(p, "blur", defaultThreshold("blur"));
  EXPECT_TRUE(blurry.count(b));
  EXPECT_FALSE(blurry.count(sharp));
  EXPECT_FALSE(blurry.count(dark));

  // Remove every signal: a report at other thresholds must still work from stored scores.
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  db.exec("DELETE FROM signals");
  auto repo = clean::FindingsRepository::open(p.store());
  const double softScore = repo->row("blur", a)->score, softerScore = repo->row("blur", b)->score;
  ASSERT_LT(softScore, softerScore);
  clean::Thresholds strict, lenient;
  ASSERT_TRUE(strict.set("blur", (softScore + softerScore) / 2));
  ASSERT_TRUE(lenient.set("blur", std::max(clean::findCheck("blur")->storeLimit, softScore - 0.01)));
  auto rStrict = clean::buildReport(p.store(), strict, {"blur"});
  auto rLenient = clean::buildReport(p.store(), lenient, {"blur"});
  ASSERT_TRUE(rStrict && rLenient);
  EXPECT_EQ(rStrict->checks[0].examples, (std::vector<ItemId>{b}));
  EXPECT_EQ(rLenient->checks[0].examples, (std::vector<ItemId>{a, b}));
  // Thresholds persist per project.
  ASSERT_TRUE(strict.save(p.store()));
  auto loaded = clean::Thresholds::load(p.store());
  ASSERT_TRUE(loaded);
  EXPECT_DOUBLE_EQ(loaded->get("blur"), strict.get("blur"));
  EXPECT_FALSE(strict.set("blur", 0.01)) << "below the stored range must be refused, not silently miss rows";
}

TEST(ImageChecks, ExcludeGroupLeavesKeeperAndRestoreBringsBack) {
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  cv::Mat small;
  cv::resize(big, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  const ItemId large = p.addImage(big, "large.jpg");
  const ItemId copy = p.addImage(small, "small_copy.jpg");
  const ItemId other = p.addImage(photo("baboon.jpg"), "baboon.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {{"near_dup"}, nullptr}));
  ItemFilter visible;
  EXPECT_EQ(p.store().countItems(visible), 3);

  auto r = clean::decide(p.store(), clean::Thresholds{}, {"near_dup", large, std::nullopt}, clean::DecideAction::Exclude, p.lead());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->excluded, 1);
  EXPECT_EQ(p.store().itemIds(visible), (std::vector<ItemId>{large, other}));
  EXPECT_TRUE(p.store().item(copy)->excluded);
  EXPECT_NE(p.store().item(copy)->excludedReason.find("near_dup"), std::string::npos);
  auto repo = clean::FindingsRepository::open(p.store());
  EXPECT_EQ(repo->row("near_dup", copy)->decision, clean::Decision::Exclude);
  EXPECT_EQ(repo->row("near_dup", large)->decision, clean::Decision::Keep);

  // Decisions survive a re-run.
  ASSERT_TRUE(clean::runChecks(p.store(), {{"near_dup"}, nullptr}));
  EXPECT_EQ(repo->row("near_dup", copy)->decision, clean::Decision::Exclude);

  auto back = clean::decide(p.store(), clean::Thresholds{}, {"near_dup", std::nullopt, copy}, clean::DecideAction::Restore, p.lead());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->restored, 1);
  EXPECT_EQ(p.store().countItems(visible), 3);
  EXPECT_EQ(repo->row("near_dup", copy)->decision, clean::Decision::None);

  // Keeping the small copy makes it the keeper: excluding the group now takes out the large one.
  ASSERT_TRUE(clean::decide(p.store(), clean::Thresholds{}, {"near_dup", std::nullopt, copy}, clean::DecideAction::Keep, p.lead()));
  ASSERT_TRUE(clean::decide(p.store(), clean::Thresholds{}, {"near_dup", std::nullopt, std::nullopt}, clean::DecideAction::Exclude, p.lead()));
  EXPECT_EQ(p.store().itemIds(visible), (std::vector<ItemId>{copy, other}));

  auto missing = clean::decide(p.store(), clean::Thresholds{}, {"near_dup", 999, std::nullopt}, clean::DecideAction::Exclude, p.lead());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, lb::ErrorCode::NotFound);
}
