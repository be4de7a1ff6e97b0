// Near-duplicate views, their confirmation hash, the packed signals a re-run reads in one query,
// and re-runs that write only what changed. Images are made in the test with a known answer.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "clean_fixture.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/findings_repository.h"
#include "qc/clean/hamming_search.h"
#include "qc/clean/image_checks.h"

using namespace lb::labeling;
namespace clean = lb::qc::clean;
using lb::test::defaultThreshold;
using lb::test::photo;

namespace {

// A crop of `frac` of each side anchored at (ax, ay) in {0, 1} (0: left/top), scaled back to the
// full size, as the corpus generator's crop and as a user re-framing a photo would.
cv::Mat anchoredCrop(const cv::Mat& img, double frac, int ax, int ay) {
  const int w = static_cast<int>(img.cols * frac), h = static_cast<int>(img.rows * frac);
  cv::Mat out;
  cv::resize(img(cv::Rect(ax * (img.cols - w), ay * (img.rows - h), w, h)), out, img.size(), 0, 0, cv::INTER_CUBIC);
  return out;
}

// Rotated by `deg` and zoomed so that no corner is empty (a photo editor's straighten tool).
cv::Mat straightened(const cv::Mat& img, double deg) {
  const double rad = std::abs(deg) * CV_PI / 180;
  const double zoom = std::cos(rad) + std::sin(rad) * std::max(img.cols, img.rows) / std::min(img.cols, img.rows);
  cv::Mat out;
  cv::warpAffine(img, out, cv::getRotationMatrix2D(cv::Point2f(img.cols / 2.f, img.rows / 2.f), deg, zoom), img.size(),
                 cv::INTER_LINEAR, cv::BORDER_REFLECT);
  return out;
}

}  // namespace

TEST(NearDupViews, OffCentreCropsStraightenedAndMirroredCopiesJoinTheirOriginal) {
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(1280, 960), 0, 0, cv::INTER_CUBIC);
  const ItemId original = p.addImage(big, "original.jpg");
  const ItemId topLeft = p.addImage(anchoredCrop(big, 0.88, 0, 0), "crop_top_left.jpg");
  const ItemId bottomRight = p.addImage(anchoredCrop(big, 0.9, 1, 1), "crop_bottom_right.jpg");
  const ItemId tilted = p.addImage(straightened(big, -7), "straightened.jpg");
  cv::Mat mirrored;
  cv::flip(big, mirrored, 1);
  const ItemId mirror = p.addImage(mirrored, "mirrored.jpg");
  for (const char* other : {"baboon.jpg", "fruits.jpg", "messi5.jpg", "starry_night.jpg", "home.jpg"}) p.addImage(photo(other), other);

  ASSERT_TRUE(clean::runChecks(p.store(), {{"near_dup"}, nullptr}));
  auto report = clean::buildReport(p.store(), clean::Thresholds{}, {"near_dup"});
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->checks[0].groups.size(), 1u) << "unrelated photos must not join";
  EXPECT_EQ(report->checks[0].groups[0].members, (std::vector<ItemId>{original, topLeft, bottomRight, tilted, mirror}));
  const auto keeper = report->checks[0].groups[0].keeper;
  EXPECT_TRUE(keeper == original || keeper == mirror) << "same size: the sharpest (uncropped), got " << keeper;
}

TEST(NearDupViews, BandHashConfirmsOrRejectsAPHashCandidate) {
  // Three images with hand-made views: b is 3 PHash bits and 9 band bits from a (a copy);
  // c is 2 PHash bits from a but its next band is unrelated (same coarse layout, other picture).
  auto views = [](std::uint64_t h, std::array<std::uint64_t, 3> band) {
    std::vector<DupViewHash> v(kDupViewCount);
    for (int i = 0; i < kDupViewCount; ++i)  // other views far from everything
      v[i] = {i == 0 ? h : h ^ (0x0F0F0F0F0F0F0F0Full * (i + 1)) ^ 0xFFFF0000FFFF0000ull, band};
    return v;
  };
  const std::uint64_t h = 0x123456789ABCDEF0ull;
  const std::array<std::uint64_t, 3> band{0xAAAA5555AAAA5555ull, 0x0123456789ABCDEFull, 0xFEDCBA9876543210ull};
  std::vector<std::vector<DupViewHash>> all = {views(h, band), views(h ^ 0b10101ull, {band[0] ^ 0x1FFull, band[1], band[2]}),
                                               views(h ^ (3ull << 40), {~band[0], band[1] ^ 0xFFFFFFFFull, band[2]})};
  const std::vector<char> hasBand(3, 1);
  const auto pairs = clean::findNearViewPairs(all, hasBand, 12, 128);
  std::map<std::pair<std::uint32_t, std::uint32_t>, clean::ViewPair> byPair;
  for (const auto& pr : pairs) byPair[{pr.a, pr.b}] = pr;
  ASSERT_TRUE(byPair.count({0, 1}));
  const auto ab = byPair.at({0, 1});
  EXPECT_EQ(ab.phashBits, 3);
  EXPECT_EQ(ab.bandBits, 9);
  EXPECT_DOUBLE_EQ(ab.score, 3 + 9 / 3.0);
  EXPECT_LE(ab.score, defaultThreshold("near_dup"));
  ASSERT_TRUE(byPair.count({0, 2}));
  const auto ac = byPair.at({0, 2});
  EXPECT_EQ(ac.phashBits, 2);
  EXPECT_EQ(ac.bandBits, 64 + 32);
  EXPECT_GT(ac.score, defaultThreshold("near_dup")) << "PHash alone would call it a duplicate";
  // Images imported before the band hash existed are scored on PHash alone, three times over.
  const std::vector<char> legacy{1, 0, 1};
  for (const auto& pr : clean::findNearViewPairs(all, legacy, 12, 128))
    if (pr.a == 0 && pr.b == 1) {
      EXPECT_DOUBLE_EQ(pr.score, 9.0);
    }
}

TEST(CleanPack, RoundTripsAndTheLoaderReadsPackedAndOlderItems) {
  CleanPack pack;
  pack.blur = 0.25f;
  pack.lumaP05 = 3;
  pack.lumaP95 = 250;
  pack.entropy = 7.5f;
  pack.chroma = 12;
  pack.pixelHash.fill(7);
  pack.views.resize(kDupViewCount);
  for (int i = 0; i < kDupViewCount; ++i) pack.views[i] = {0x1111ull * i, {1ull * i, 2ull * i, 3ull * i}};
  const auto blob = serializeCleanPack(pack);
  const auto back = parseCleanPack(blob.data(), blob.size());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->blur, 0.25f);
  EXPECT_EQ(back->lumaP95, 250.f);
  EXPECT_EQ(back->views.size(), static_cast<std::size_t>(kDupViewCount));
  EXPECT_EQ(back->views[5].phash, 0x1111ull * 5);
  EXPECT_EQ(back->views[5].band[2], 15ull);
  EXPECT_FALSE(parseCleanPack(blob.data(), blob.size() - 1)) << "a truncated blob is refused";

  lb::test::CleanProject p;
  const ItemId packed = p.addImage(photo("baboon.jpg"), "packed.jpg");
  // An item as an earlier version stored it: separate signal rows, one PHash, no pack.
  NewItem old;
  old.item.batchId = *p.store().createBatch("old", "");
  old.item.kind = ItemKind::Image;
  old.item.mediaPath = old.item.sourceKey = "old.jpg";
  old.item.contentHash = "abc";
  old.item.widthPx = 640;
  old.item.heightPx = 480;
  old.signals = {{signal_keys::kPHash, 0, {1, 2, 3, 4, 5, 6, 7, 8}}, {signal_keys::kBlur, 0.7, {}}, {signal_keys::kLumaP95, 30, {}}};
  const ItemId legacy = *p.store().insertItem(old);

  const auto rows = clean::loadImageSignals(p.store());
  ASSERT_EQ(rows.size(), 2u);
  const auto& a = rows[0].id == packed ? rows[0] : rows[1];
  const auto& b = rows[0].id == legacy ? rows[0] : rows[1];
  EXPECT_EQ(a.views.size(), static_cast<std::size_t>(kDupViewCount));
  EXPECT_GE(a.blur, 0);
  EXPECT_EQ(a.pixelHash.size(), 32u);
  EXPECT_TRUE(b.views.empty());
  ASSERT_EQ(b.phashes.size(), 1u);
  EXPECT_EQ(b.phashes[0], pHashToU64(std::vector<unsigned char>{1, 2, 3, 4, 5, 6, 7, 8}.data()));
  EXPECT_DOUBLE_EQ(b.blur, 0.7);
  EXPECT_DOUBLE_EQ(b.lumaP95, 30);
  // The older item still gets its scalar findings, and the run says why it lacks crop/rotation search.
  auto run = clean::runChecks(p.store(), {{"near_dup", "dark"}, nullptr});
  ASSERT_TRUE(run);
  for (const auto& c : *run)
    if (c.check == "near_dup") {
      EXPECT_NE(c.note.find("older version"), std::string::npos) << c.note;
    }
  auto repo = clean::FindingsRepository::open(p.store());
  EXPECT_TRUE(repo->row("dark", legacy));
}

TEST(CleanRerun, UnchangedRunWritesNothingAndANewCopyJoinsKeepingDecisions) {
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(1280, 960), 0, 0, cv::INTER_CUBIC);
  const ItemId original = p.addImage(big, "original.jpg");
  const ItemId copy = p.addImage(anchoredCrop(big, 0.9, 0, 1), "copy.jpg");
  p.addImage(photo("baboon.jpg"), "baboon.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  auto repo = clean::FindingsRepository::open(p.store());
  auto first = clean::buildReport(p.store(), clean::Thresholds{}, {"near_dup"});
  ASSERT_EQ(first->checks[0].groups.size(), 1u);
  const ItemId keeper = first->checks[0].groups[0].keeper;
  const ItemId dropped = keeper == original ? copy : original;
  ASSERT_TRUE(clean::decide(p.store(), clean::Thresholds{}, {"near_dup", original, std::nullopt}, clean::DecideAction::Exclude,
                            p.lead()));
  ASSERT_TRUE(p.store().item(dropped)->excluded);
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  auto changes = [&] {
    SQLite::Statement q(db, "SELECT total_changes()");
    q.executeStep();
    return q.getColumn(0).getInt64();
  };
  const auto before = repo->rows("near_dup");
  const auto c0 = changes();
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  EXPECT_EQ(changes(), c0) << "a re-run over unchanged signals writes no row";

  // A new copy arrives with the next import: the re-run adds it to the group and keeps the decisions.
  const ItemId late = p.addImage(straightened(big, 5), "late.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  const auto after = repo->rows("near_dup");
  EXPECT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(repo->row("near_dup", dropped)->decision, clean::Decision::Exclude);
  EXPECT_EQ(repo->row("near_dup", keeper)->decision, clean::Decision::Keep);
  auto report = clean::buildReport(p.store(), clean::Thresholds{}, {"near_dup"});
  ASSERT_EQ(report->checks[0].groups.size(), 1u);
  EXPECT_EQ(report->checks[0].groups[0].members, (std::vector<ItemId>{original, copy, late}));
  // Removing an item's finding source (its item) drops its row on the next run.
  SQLite::Statement del(db, "DELETE FROM items WHERE id = ?");
  del.bind(1, late);
  del.exec();
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  EXPECT_FALSE(repo->row("near_dup", late));
  EXPECT_EQ(repo->rows("near_dup").size(), before.size());
}

TEST(NearDupViews, ViewPHashIsOpenCVImgHashPHashBitForBit) {
  for (const char* name : {"baboon.jpg", "building.jpg", "fruits.jpg", "starry_night.jpg"}) {
    cv::Mat gray, view;
    cv::cvtColor(photo(name), gray, cv::COLOR_BGR2GRAY);
    cv::resize(gray, view, cv::Size(32, 32), 0, 0, cv::INTER_AREA);
    cv::Mat reference;
    cv::img_hash::pHash(view, reference);
    ASSERT_EQ(reference.total(), 8u);
    EXPECT_EQ(hashDupView(view).phash, pHashToU64(reference.ptr())) << name;
  }
}

TEST(NearDupViews, DuplicatesStraightFromFilesOfAFolderNeverImported) {
  lb::test::TempDir dir;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(1920, 1440), 0, 0, cv::INTER_CUBIC);
  ASSERT_TRUE(cv::imwrite(dir.file("a.jpg"), big));
  ASSERT_TRUE(cv::imwrite(dir.file("b.jpg"), anchoredCrop(big, 0.9, 1, 0)));
  ASSERT_TRUE(cv::imwrite(dir.file("c.jpg"), photo("fruits.jpg")));
  std::vector<clean::ImageSignalsRow> rows;
  for (const char* f : {"a.jpg", "b.jpg", "c.jpg"}) {
    auto r = clean::duplicateSignalsFromFile(dir.file(f));
    ASSERT_TRUE(r) << f;
    EXPECT_EQ(r->views.size(), static_cast<std::size_t>(kDupViewCount));
    r->id = static_cast<ItemId>(rows.size() + 1);
    rows.push_back(std::move(*r));
  }
  EXPECT_EQ(rows[0].widthPx, 240) << "a 1920 px JPEG is decoded at 1/8";
  const auto checks = clean::computeImageChecks(rows, {"near_dup"});
  ASSERT_EQ(checks.size(), 1u);
  std::set<ItemId> withPairs;
  for (const auto& f : checks[0].rows)
    if (f.score <= defaultThreshold("near_dup")) withPairs.insert(f.itemId);
  EXPECT_EQ(withPairs, (std::set<ItemId>{1, 2}));
  EXPECT_FALSE(clean::duplicateSignalsFromFile(dir.file("missing.jpg")));
  std::FILE* junk = std::fopen(dir.file("junk.jpg").c_str(), "wb");
  std::fputs("not an image", junk);
  std::fclose(junk);
  EXPECT_FALSE(clean::duplicateSignalsFromFile(dir.file("junk.jpg")));
}
