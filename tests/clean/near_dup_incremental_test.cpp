// A re-run after new imports searches only what is new (near_dup_search.h) and must store exactly
// what a full search stores: the near_dup rows (score, group key, neighbour list, decision) and
// the groups. Each case runs the incremental re-run, snapshots the rows, then forces a full search
// (search state cleared) and compares. Last, the report a threshold change builds (counts in SQL)
// against counts from every stored row.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "clean_fixture.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/findings_repository.h"
#include "qc/clean/hamming_search.h"
#include "qc/clean/near_dup_search.h"

using namespace lb::labeling;
namespace clean = lb::qc::clean;
using lb::test::photo;

namespace {

cv::Mat cropped(const cv::Mat& img, double frac) {
  const int w = static_cast<int>(img.cols * frac), h = static_cast<int>(img.rows * frac);
  cv::Mat out;
  cv::resize(img(cv::Rect(img.cols - w, 0, w, h)), out, img.size(), 0, 0, cv::INTER_CUBIC);
  return out;
}

cv::Mat brighter(const cv::Mat& img, double gain) {
  cv::Mat out;
  img.convertTo(out, -1, gain, 10);
  return out;
}

using Row = std::tuple<ItemId, double, std::int64_t, std::string, std::string>;

std::vector<Row> nearRows(lb::labeling::ProjectStore& store) {
  auto repo = clean::FindingsRepository::open(store);
  std::vector<Row> out;
  for (const auto& f : repo->rows("near_dup"))
    out.emplace_back(f.itemId, f.score, f.groupKey, f.detailJson, std::string(clean::toString(f.decision)));
  return out;
}

std::vector<std::vector<ItemId>> nearGroups(lb::labeling::ProjectStore& store) {
  auto report = clean::buildReport(store, clean::Thresholds{}, {"near_dup"});
  EXPECT_TRUE(report);
  std::vector<std::vector<ItemId>> out;
  for (const auto& g : report->checks[0].groups) out.push_back(g.members);
  return out;
}

std::string nearNote(const lb::Result<std::vector<clean::CheckSummary>>& run) {
  EXPECT_TRUE(run) << run.error().message;
  if (run)
    for (const auto& c : *run)
      if (c.check == "near_dup") return c.note;
  return "";
}

// Runs the checks (incremental when it can), then a full search of the same project, and
// expects the same stored rows and groups. Returns the first run's near_dup note.
std::string expectRerunEqualsFullRun(lb::test::CleanProject& p) {
  const std::string note = nearNote(clean::runChecks(p.store(), {}));
  const auto rows = nearRows(p.store());
  const auto groups = nearGroups(p.store());
  EXPECT_TRUE(p.store().setSetting(clean::kNearDupStateKey, "\"\""));
  const std::string fullNote = nearNote(clean::runChecks(p.store(), {}));
  EXPECT_NE(fullNote.find("images searched ("), std::string::npos) << fullNote;
  EXPECT_EQ(nearRows(p.store()), rows) << "incremental re-run (" << note << ") and full search store different rows";
  EXPECT_EQ(nearGroups(p.store()), groups);
  return note;
}

}  // namespace

TEST(NearDupIncremental, NewImportsAreSearchedAloneAndGiveTheFullRunsRowsAndGroups) {
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(1280, 960), 0, 0, cv::INTER_CUBIC);
  const ItemId building = p.addImage(big, "building.jpg");
  const ItemId buildingCrop = p.addImage(cropped(big, 0.9), "building_crop.jpg");
  const ItemId baboon = p.addImage(photo("baboon.jpg"), "baboon.jpg");
  for (const char* name : {"fruits.jpg", "home.jpg", "starry_night.jpg", "orange.jpg", "board.jpg"}) p.addImage(photo(name), name);
  const auto first = nearNote(clean::runChecks(p.store(), {}));
  EXPECT_NE(first.find("all 8 images searched (no earlier search stored)"), std::string::npos) << first;
  EXPECT_EQ(nearGroups(p.store()), (std::vector<std::vector<ItemId>>{{building, buildingCrop}}));
  // The lead decides the group; decisions must survive the incremental re-run.
  ASSERT_TRUE(clean::decide(p.store(), clean::Thresholds{}, {"near_dup", building, std::nullopt}, clean::DecideAction::Exclude, p.lead()));

  // The next import: near copies of an old image (brighter re-encode, crop) and unrelated photos.
  const ItemId baboonCopy = p.addImage(brighter(photo("baboon.jpg"), 1.15), "baboon_bright.jpg");
  const ItemId buildingCopy = p.addImage(cropped(big, 0.85), "building_crop2.jpg");
  for (const char* name : {"messi5.jpg", "apple.jpg", "butterfly.jpg"}) p.addImage(photo(name), name);
  const std::string note = expectRerunEqualsFullRun(p);
  EXPECT_NE(note.find("5 new or changed images searched against 13"), std::string::npos) << note;
  EXPECT_NE(note.find("stored pairs kept"), std::string::npos) << note;
  EXPECT_EQ(nearGroups(p.store()), (std::vector<std::vector<ItemId>>{{building, buildingCrop, buildingCopy}, {baboon, baboonCopy}}));
  auto repo = clean::FindingsRepository::open(p.store());
  EXPECT_EQ(repo->row("near_dup", buildingCrop)->decision, clean::Decision::Exclude);

  // Nothing new: the stored rows stand.
  EXPECT_NE(nearNote(clean::runChecks(p.store(), {})).find("hashes unchanged since the last run"), std::string::npos);
}

TEST(NearDupIncremental, DeletedItemsAndChangedHashesGiveTheFullRunsRows) {
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(1280, 960), 0, 0, cv::INTER_CUBIC);
  const ItemId building = p.addImage(big, "building.jpg");
  const ItemId crop = p.addImage(cropped(big, 0.9), "building_crop.jpg");
  const ItemId crop2 = p.addImage(cropped(big, 0.85), "building_crop2.jpg");
  const ItemId fruits = p.addImage(photo("fruits.jpg"), "fruits.jpg");
  const ItemId fruitsCopy = p.addImage(brighter(photo("fruits.jpg"), 1.1), "fruits_bright.jpg");
  std::vector<ItemId> others;
  for (const char* name : {"baboon.jpg", "home.jpg", "starry_night.jpg", "orange.jpg", "board.jpg", "messi5.jpg", "apple.jpg",
                           "butterfly.jpg", "HappyFish.jpg", "aero1.jpg", "left01.jpg", "blox.jpg"})
    others.push_back(p.addImage(photo(name), name));
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  ASSERT_EQ(nearGroups(p.store()), (std::vector<std::vector<ItemId>>{{building, crop, crop2}, {fruits, fruitsCopy}}));

  // A member of a group is deleted: its pairs go, the group's key moves to the next member.
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  SQLite::Statement del(db, "DELETE FROM items WHERE id = ?");
  del.bind(1, building);
  del.exec();
  std::string note = expectRerunEqualsFullRun(p);
  EXPECT_NE(note.find("0 new or changed images searched against 16"), std::string::npos) << note;
  EXPECT_NE(note.find("pairs of 1 deleted images dropped"), std::string::npos) << note;
  EXPECT_EQ(nearGroups(p.store()), (std::vector<std::vector<ItemId>>{{crop, crop2}, {fruits, fruitsCopy}}));

  // An item's hashes change (re-measured: it now carries the signals of a copy of the baboon), so
  // its old pairs are wrong: it is searched again like a new one.
  const cv::Mat baboonCopy = brighter(photo("baboon.jpg"), 1.2);
  ASSERT_TRUE(p.store().putSignal(fruitsCopy, [&] {
    for (auto& s : computeImageSignals(baboonCopy, baboonCopy.cols, baboonCopy.rows))
      if (s.key == signal_keys::kCleanPack) return s;
    return NewItem::Signal{};
  }()));
  note = expectRerunEqualsFullRun(p);
  EXPECT_NE(note.find("1 new or changed images searched against 16"), std::string::npos) << note;
  EXPECT_EQ(nearGroups(p.store()), (std::vector<std::vector<ItemId>>{{crop, crop2}, {fruitsCopy, others[0]}}));

  // Both at once, with a new import besides.
  SQLite::Statement del2(db, "DELETE FROM items WHERE id = ?");
  del2.bind(1, crop);
  del2.exec();
  const ItemId late = p.addImage(cropped(big, 0.8), "building_crop3.jpg");
  ASSERT_TRUE(p.store().putSignal(others[1], [&] {
    const cv::Mat f = photo("fruits.jpg");
    for (auto& s : computeImageSignals(f, f.cols, f.rows))
      if (s.key == signal_keys::kCleanPack) return s;
    return NewItem::Signal{};
  }()));
  note = expectRerunEqualsFullRun(p);
  EXPECT_NE(note.find("2 new or changed images searched against 16"), std::string::npos) << note;
  EXPECT_EQ(nearGroups(p.store()), (std::vector<std::vector<ItemId>>{{crop2, late}, {fruits, others[1]}, {fruitsCopy, others[0]}}));
}

TEST(NearDupIncremental, RowsThatAreNotTheStoredSearchsLeadToAFullSearch) {
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(1280, 960), 0, 0, cv::INTER_CUBIC);
  p.addImage(big, "building.jpg");
  const ItemId crop = p.addImage(cropped(big, 0.9), "building_crop.jpg");
  p.addImage(photo("fruits.jpg"), "fruits.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  const auto rows = nearRows(p.store());
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  SQLite::Statement del(db, "DELETE FROM findings WHERE check_name = 'near_dup' AND item_id = ?");
  del.bind(1, crop);
  del.exec();
  const auto note = nearNote(clean::runChecks(p.store(), {}));
  EXPECT_NE(note.find("all 3 images searched (stored rows differ from the last search)"), std::string::npos) << note;
  EXPECT_EQ(nearRows(p.store()), rows);
  // Unreadable state text: a full search as well.
  ASSERT_TRUE(p.store().setSetting(clean::kNearDupStateKey, "\"not base64!\""));
  p.addImage(photo("home.jpg"), "home.jpg");
  EXPECT_NE(nearNote(clean::runChecks(p.store(), {})).find("no earlier search stored"), std::string::npos);
}

TEST(NearDupIncremental, TouchingSearchFindsExactlyTheFullSearchsPairsOfDirtyImages) {
  // Random views with many near copies (0..12 PHash bits, some band bits flipped, copies of
  // other views than the full one), so candidates come through every chunk and both directions.
  std::mt19937_64 rng(11);
  const int n = 1500;
  std::vector<std::vector<DupViewHash>> views(n);
  std::vector<char> hasBand(n, 1);
  for (int i = 0; i < n; ++i) {
    views[i].resize(kDupViewCount);
    for (auto& v : views[i]) v = {rng(), {rng(), rng(), rng()}};
    if (i > 0 && rng() % 3 == 0) {
      const auto& src = views[rng() % i];
      views[i][rng() % 2 ? 0 : rng() % kDupViewCount] = src[rng() % 4 ? 0 : rng() % kDupViewCount];
      auto& v = views[i][0];
      for (int k = 0, flips = static_cast<int>(rng() % 13); k < flips; ++k) v.phash ^= 1ull << (rng() % 64);
      for (int k = 0, flips = static_cast<int>(rng() % 30); k < flips; ++k) v.band[rng() % 3] ^= 1ull << (rng() % 64);
    }
    if (rng() % 10 == 0) hasBand[i] = 0;
  }
  views[7].clear();  // an image without hashes
  std::vector<std::span<const DupViewHash>> lists(views.begin(), views.end());
  const auto all = clean::findNearViewPairs(std::span<const std::span<const DupViewHash>>(lists), hasBand, 12, 64);
  ASSERT_GT(all.size(), 200u);
  for (int round = 0; round < 3; ++round) {
    std::vector<char> dirty(n, 0);
    for (auto& d : dirty) d = rng() % (round == 0 ? 50 : 5) == 0;
    dirty[7] = 1;
    std::vector<std::tuple<std::uint32_t, std::uint32_t, double>> want, got;
    for (const auto& pr : all)
      if (dirty[pr.a] || dirty[pr.b]) want.emplace_back(pr.a, pr.b, pr.score);
    for (const auto& pr : clean::findNearViewPairsTouching(lists, hasBand, dirty, 12, 64)) got.emplace_back(pr.a, pr.b, pr.score);
    EXPECT_FALSE(want.empty());
    EXPECT_EQ(got, want) << "round " << round;
  }
}

TEST(NearDupIncremental, StateTextRoundTripsAndRejectsOtherText) {
  clean::NearDupState s;
  s.radiusBits = 12;
  s.storeLimit = 64;
  s.items = {{1, 0xFFFFFFFFFFFFFFFFull}, {5, 2}, {9, 0}};
  s.pairs = {{1, 5, 3.3333333333333335}, {5, 9, 64}};
  const auto text = clean::serializeNearDupState(s);
  auto back = clean::parseNearDupState(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->radiusBits, 12);
  EXPECT_EQ(back->storeLimit, 64);
  EXPECT_EQ(back->items, s.items);
  ASSERT_EQ(back->pairs.size(), 2u);
  EXPECT_EQ(back->pairs[0].score, 3.3333333333333335);
  EXPECT_EQ(back->pairs[1].b, 9);
  EXPECT_FALSE(clean::parseNearDupState("\"\""));
  EXPECT_FALSE(clean::parseNearDupState("{}"));
  EXPECT_FALSE(clean::parseNearDupState(text.substr(0, text.size() - 5) + "\""));
}

namespace {
using AnyRow = std::tuple<std::string, ItemId, double, std::int64_t, std::string, std::string>;
std::vector<AnyRow> allRows(lb::labeling::ProjectStore& store) {
  auto& db = dynamic_cast<SqliteProjectStore&>(store).database();
  SQLite::Statement q(db, "SELECT check_name, item_id, score, group_key, detail_json, decision FROM findings ORDER BY check_name, item_id");
  std::vector<AnyRow> out;
  while (q.executeStep())
    out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getDouble(), q.getColumn(3).getInt64(),
                     q.getColumn(4).getString(), q.getColumn(5).getString());
  return out;
}

// Every check's rows after a re-run, then after a run that may build on nothing it stored
// (row digests and search state cleared): the two must agree.
void expectRowsEqualAFullRewrite(lb::test::CleanProject& p) {
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  const auto rows = allRows(p.store());
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  db.exec("DELETE FROM settings WHERE key LIKE 'clean_rows_digest.%' OR key = 'clean_search_state.near_dup'");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  EXPECT_EQ(allRows(p.store()), rows);
}
}  // namespace

TEST(NearDupIncremental, EveryChecksRowsAfterNewImportsDeletionsAndChangesEqualAFullRewrite) {
  lb::test::CleanProject p;
  cv::Mat dark = photo("fruits.jpg") * 0.1, small;
  cv::resize(photo("baboon.jpg"), small, cv::Size(60, 40));
  p.addImage(photo("fruits.jpg"), "fruits.jpg");
  const ItemId darkOne = p.addImage(dark, "dark.jpg");
  p.addImage(small, "small.jpg");
  const ItemId home = p.addImage(photo("home.jpg"), "home.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  ASSERT_TRUE(clean::decide(p.store(), clean::Thresholds{}, {"dark", std::nullopt, darkOne}, clean::DecideAction::Exclude, p.lead()));
  // New imports only: rows of new items are appended to what is stored.
  p.addImage(dark.clone() * 0.8, "darker.jpg");
  p.addImage(photo("board.jpg"), "board.jpg");
  expectRowsEqualAFullRewrite(p);
  auto repo = clean::FindingsRepository::open(p.store());
  EXPECT_EQ(repo->row("dark", darkOne)->decision, clean::Decision::Exclude);
  // A deleted item in the middle, then a changed signal, each with a new import besides.
  auto& db = dynamic_cast<SqliteProjectStore&>(p.store()).database();
  db.exec("DELETE FROM items WHERE id = " + std::to_string(home));
  p.addImage(photo("apple.jpg"), "apple.jpg");
  expectRowsEqualAFullRewrite(p);
  const cv::Mat bright = photo("apple.jpg") * 3;
  ASSERT_TRUE(p.store().putSignal(darkOne, [&] {
    for (auto& s : computeImageSignals(bright, bright.cols, bright.rows))
      if (s.key == signal_keys::kCleanPack) return s;
    return NewItem::Signal{};
  }()));
  p.addImage(photo("orange.jpg"), "orange.jpg");
  expectRowsEqualAFullRewrite(p);
  EXPECT_FALSE(repo->row("dark", darkOne)) << "no longer dark: its row (and decision) goes";
}

TEST(CleanReportCounts, ReportEqualsCountsFromTheStoredRowsAtEveryThreshold) {
  // The report counts scalar findings in SQL and reads group decisions only; the reference here
  // reads every stored row, as a person checking the database would.
  lb::test::CleanProject p;
  cv::Mat big;
  cv::resize(photo("building.jpg"), big, cv::Size(1280, 960), 0, 0, cv::INTER_CUBIC);
  const ItemId building = p.addImage(big, "building.jpg");
  p.addImage(cropped(big, 0.9), "building_crop.jpg");
  p.addImage(cropped(big, 0.85) * 0.3, "building_crop_dark.jpg");
  const ItemId fruits = p.addImage(photo("fruits.jpg"), "fruits.jpg");
  p.addImage(brighter(photo("fruits.jpg"), 1.1), "fruits_bright.jpg");
  p.addImage(photo("home.jpg") * 0.2, "home_dark.jpg");
  p.addImage(photo("baboon.jpg") * 0.25, "baboon_dark.jpg");
  cv::Mat soft;
  cv::GaussianBlur(photo("starry_night.jpg"), soft, cv::Size(0, 0), 6);
  p.addImage(soft, "soft.jpg");
  ASSERT_TRUE(clean::runChecks(p.store(), {}));
  const clean::Thresholds defaults;
  ASSERT_TRUE(clean::decide(p.store(), defaults, {"near_dup", building, std::nullopt}, clean::DecideAction::Exclude, p.lead()));
  ASSERT_TRUE(clean::decide(p.store(), defaults, {"near_dup", std::nullopt, fruits}, clean::DecideAction::Keep, p.lead()));
  ASSERT_TRUE(clean::decide(p.store(), defaults, {"dark", std::nullopt, std::nullopt}, clean::DecideAction::Exclude, p.lead()));
  auto repo = clean::FindingsRepository::open(p.store());
  int compared = 0;
  for (const char* check : {"near_dup", "dark", "blur", "low_info"}) {
    const auto* spec = clean::findCheck(check);
    for (double t : {0.0, 0.3, 0.5, 0.7, 2.0, 5.0, 7.0, 12.0, 20.0, 28.0, 60.0, 90.0, 200.0}) {
      clean::Thresholds th;
      if (!th.set(check, t)) continue;  // outside what the check stores
      auto report = clean::buildReport(p.store(), th, {check});
      ASSERT_TRUE(report);
      const auto& c = report->checks[0];
      const auto rows = repo->findings(*spec, t);
      std::set<ItemId> counted;
      if (spec->grouped) {
        for (const auto& g : c.groups) counted.insert(g.members.begin(), g.members.end());
        // Groups from the rows' neighbour lists (pairs past the threshold, joined transitively).
        std::map<ItemId, ItemId> parent;
        for (const auto& f : rows) parent[f.itemId] = f.itemId;
        std::function<ItemId(ItemId)> root = [&](ItemId x) { return parent[x] == x ? x : parent[x] = root(parent[x]); };
        for (const auto& f : rows) {
          const auto detail = nlohmann::json::parse(f.detailJson);
          for (const auto& pr : detail["n"])
            if (parent.count(pr[0].get<ItemId>()) && clean::isFinding(*spec, pr[1].get<double>(), t))
              parent[root(f.itemId)] = root(pr[0].get<ItemId>());
        }
        std::map<ItemId, std::vector<ItemId>> want;
        for (const auto& f : rows) want[root(f.itemId)].push_back(f.itemId);
        std::vector<std::vector<ItemId>> wantGroups;
        for (const auto& [r, members] : want)
          if (members.size() > 1) wantGroups.push_back(members);
        std::vector<std::vector<ItemId>> got;
        for (const auto& g : c.groups) got.push_back(g.members);
        std::sort(got.begin(), got.end());
        std::sort(wantGroups.begin(), wantGroups.end());
        EXPECT_EQ(got, wantGroups) << check << " at " << t;
      } else {
        for (const auto& f : rows) counted.insert(f.itemId);
        std::vector<ItemId> first;
        for (const auto& f : rows)
          if (first.size() < 5) first.push_back(f.itemId);
        EXPECT_EQ(c.examples, first) << check << " at " << t;
      }
      std::int64_t excluded = 0, kept = 0;
      for (const auto& f : rows) {
        if (!counted.count(f.itemId)) continue;
        excluded += f.decision == clean::Decision::Exclude;
        kept += f.decision == clean::Decision::Keep;
      }
      EXPECT_EQ(c.findings, static_cast<std::int64_t>(counted.size())) << check << " at " << t;
      EXPECT_EQ(c.excluded, excluded) << check << " at " << t;
      EXPECT_EQ(c.kept, kept) << check << " at " << t;
      compared += c.findings > 0 && (c.excluded > 0 || c.kept > 0);
    }
  }
  EXPECT_GE(compared, 6) << "thresholds where decided findings were counted";
}
