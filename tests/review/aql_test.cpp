// Acceptance sampling of a batch, recorded in the project; and the migration that adds its tables.
#include <SQLiteCpp/Database.h>

#include <set>

#include "labeling/store/sqlite_project_store.h"
#include "qc/sampling/acceptance.h"
#include "review_fixture.h"

using namespace lb::labeling;
using namespace lb::qc;
using lb::test::ReviewProject;

namespace {

void addItems(ReviewProject& p, ProjectStore& st, int n) {
  ASSERT_TRUE(st.transaction([&]() -> lb::Status {
    for (int i = 0; i < n; ++i) p.addImage(st, "lot-" + std::to_string(i));
    return lb::okStatus();
  }));
}

}  // namespace

TEST(Aql, Lot1000DrawsEightyAcceptsWithTwoDefectsAndRecordsIt) {
  ReviewProject p;
  auto rex = p.session(p.reviewer);
  addItems(p, rex->store(), 1000);
  auto lot = drawLot(*rex, p.batch, 1.0, InspectionLevel::II, 42);
  ASSERT_TRUE(lot) << lot.error().message;
  EXPECT_EQ(lot->lotSize, 1000);
  EXPECT_EQ(lot->plan.tableLetter, 'J');
  EXPECT_EQ(lot->plan.sampleSize, 80);
  EXPECT_EQ(lot->plan.accept, 2);
  EXPECT_EQ(lot->plan.reject, 3);
  ASSERT_EQ(lot->sample.size(), 80u);
  std::set<ItemId> distinct;
  for (const auto& s : lot->sample) distinct.insert(s.item);
  EXPECT_EQ(distinct.size(), 80u);

  // The same seed draws the same sample; another seed draws another.
  auto again = drawLot(*rex, p.batch, 1.0, InspectionLevel::II, 42);
  auto other = drawLot(*rex, p.batch, 1.0, InspectionLevel::II, 43);
  std::set<ItemId> againSet, otherSet;
  for (const auto& s : again->sample) againSet.insert(s.item);
  for (const auto& s : other->sample) otherSet.insert(s.item);
  EXPECT_EQ(againSet, distinct);
  EXPECT_NE(otherSet, distinct);

  // Not all inspected and below Re: no decision yet, and the message says how many are left.
  ASSERT_TRUE(inspectSample(*rex, lot->id, lot->sample[0].item, false, "box misses a wheel"));
  ASSERT_TRUE(inspectSample(*rex, lot->id, lot->sample[1].item, false));
  auto early = decideLot(*rex, lot->id);
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message.find("78 of 80"), std::string::npos);
  for (std::size_t i = 2; i < lot->sample.size(); ++i)
    ASSERT_TRUE(inspectSample(*rex, lot->id, lot->sample[i].item, true));
  auto decided = decideLot(*rex, lot->id);
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->state, LotState::Accepted);
  EXPECT_EQ(decided->nonconforming, 2);
  // Decided lots are closed.
  EXPECT_FALSE(inspectSample(*rex, lot->id, lot->sample[3].item, false));

  // A third defect reaches Re = 3: rejected at once, without inspecting the rest.
  ASSERT_TRUE(inspectSample(*rex, other->id, other->sample[0].item, false));
  ASSERT_TRUE(inspectSample(*rex, other->id, other->sample[1].item, false));
  ASSERT_TRUE(inspectSample(*rex, other->id, other->sample[2].item, false));
  EXPECT_EQ(decideLot(*rex, other->id)->state, LotState::Rejected);

  // Recorded in the project for the delivery report.
  auto reopened = p.open();
  const auto all = lots(*reopened, p.batch);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].state, LotState::Accepted);
  EXPECT_EQ(all[0].inspected, 80);
  EXPECT_EQ(all[0].sample[0].note, "box misses a wheel");
  EXPECT_EQ(all[1].state, LotState::Drawn);
  EXPECT_EQ(all[2].state, LotState::Rejected);
}

TEST(Aql, RefusesAnnotatorsUnknownItemsAndBadAql) {
  ReviewProject p;
  auto rex = p.session(p.reviewer);
  addItems(p, rex->store(), 30);
  auto anna = p.session(p.anna);
  EXPECT_FALSE(drawLot(*anna, p.batch, 1.0));
  auto bad = drawLot(*rex, p.batch, 1.2);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("1.5"), std::string::npos);
  auto lot = drawLot(*rex, p.batch, 4.0, InspectionLevel::I);  // 30 -> C (n=5), AQL 4.0 -> B n=3 0/1
  ASSERT_TRUE(lot);
  EXPECT_EQ(lot->plan.tableLetter, 'C');
  EXPECT_EQ(lot->plan.sampleSize, 3);
  std::set<ItemId> sampled;
  for (const auto& s : lot->sample) sampled.insert(s.item);
  ItemId outside = 0;
  for (ItemId id : rex->store().itemIds({}))
    if (!sampled.count(id)) outside = id;
  auto notSampled = inspectSample(*rex, lot->id, outside, false);
  ASSERT_FALSE(notSampled);
  EXPECT_EQ(notSampled.error().code, lb::ErrorCode::NotFound);
}

TEST(Aql, ProjectAtFormatTwoMigratesToThree) {
  ReviewProject p;
  {  // Turn the file back into a format-2 project: drop what step 3 added.
    SQLite::Database db(p.path, SQLite::OPEN_READWRITE);
    db.exec("DROP TABLE aql_samples; DROP TABLE aql_lots; DROP TABLE merge_ties; PRAGMA user_version=2;");
  }
  {
    SQLite::Database db(p.path);
    EXPECT_EQ(storedSchemaVersion(db), 2);
  }
  auto st = p.open();  // migrates
  EXPECT_EQ(st->info().schemaVersion, kSchemaVersion);
  EXPECT_GE(kSchemaVersion, 3);
  SQLite::Database db(p.path);
  EXPECT_TRUE(db.tableExists("aql_lots"));
  EXPECT_TRUE(db.tableExists("aql_samples"));
  EXPECT_TRUE(db.tableExists("merge_ties"));
  EXPECT_EQ(lots(*st).size(), 0u);
}
