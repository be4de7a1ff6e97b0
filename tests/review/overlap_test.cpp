// Overlap assignment, agreement from the project, and the majority merge with ties to review.
#include <SQLiteCpp/Database.h>

#include <cmath>
#include <set>

#include "qc/agreement/overlap.h"
#include "qc/review/workflow.h"
#include "review_fixture.h"

using namespace lb::labeling;
using namespace lb::qc;
using lb::test::boxOf;
using lb::test::ReviewProject;
using lb::test::tagOf;

namespace {

void draw(ProjectStore& st, ItemId item, UserId author, Annotation a) {
  a.itemId = item;
  a.authorId = author;
  ASSERT_TRUE(st.insertAnnotation(a));
}

}  // namespace

TEST(Overlap, AssignsTheChosenShareToTwoAnnotatorsReproducibly) {
  ReviewProject p;
  auto lea = p.session(p.lead);
  std::vector<ItemId> items;
  for (int i = 0; i < 10; ++i) items.push_back(p.addImage(lea->store(), "i" + std::to_string(i)));
  OverlapOptions o;
  o.share = 0.3;
  o.raters = 2;
  o.seed = 7;
  auto a = assignOverlap(*lea, o);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->items.size(), 3u);
  EXPECT_EQ(a->tasksCreated, 6);
  for (ItemId item : a->items) {
    std::set<UserId> who;
    for (const auto& t : lea->store().tasks(std::nullopt, TaskKind::Annotate))
      if (t.itemId == item) who.insert(t.userId);
    EXPECT_EQ(who, (std::set<UserId>{p.anna, p.ben}));
  }
  // Same seed, same choice (on a fresh project with the same items).
  ReviewProject q;
  auto lea2 = q.session(q.lead);
  for (int i = 0; i < 10; ++i) q.addImage(lea2->store(), "i" + std::to_string(i));
  EXPECT_EQ(assignOverlap(*lea2, o)->items, a->items);
  // Bad input is refused with a message.
  o.share = 1.5;
  EXPECT_FALSE(assignOverlap(*lea, o));
  o.share = 0.5;
  auto anna = p.session(p.anna);
  EXPECT_FALSE(assignOverlap(*anna, o));
}

TEST(Overlap, AgreementOnTagsShapesAndRatingsMatchesHandComputation) {
  ReviewProject p;
  auto st = p.open();
  // Tags: anna day,day,night,night; ben day,night,night,night.
  const char* annaTags[] = {"d", "d", "n", "n"};
  const char* benTags[] = {"d", "n", "n", "n"};
  for (int i = 0; i < 4; ++i) {
    const ItemId item = p.addImage(*st, "t" + std::to_string(i));
    draw(*st, item, p.anna, tagOf(annaTags[i][0] == 'd' ? p.day : p.night));
    draw(*st, item, p.ben, tagOf(benTags[i][0] == 'd' ? p.day : p.night));
  }
  // Shapes: one identical pair, one box only anna drew.
  const ItemId shapes = p.addImage(*st, "shapes");
  draw(*st, shapes, p.anna, boxOf(p.person, 0, 0, 100, 100));
  draw(*st, shapes, p.ben, boxOf(p.person, 0, 0, 100, 100));
  draw(*st, shapes, p.anna, boxOf(p.person, 300, 300, 400, 400));
  // An item only one annotator labelled is not overlap.
  draw(*st, p.addImage(*st, "solo"), p.anna, tagOf(p.day));

  const auto r = computeAgreement(*st);
  EXPECT_EQ(r.items, 5);
  EXPECT_EQ(r.raters, 2);
  EXPECT_EQ(r.classUnits, 4);
  // Confusion [[1,1],[0,2]]: p_o = 3/4, p_e = 1/2*1/4 + 1/2*3/4 = 1/2 -> kappa 0.5.
  EXPECT_NEAR(r.cohenKappa, 0.5, 1e-9);
  // Pbar = 3/4, p = (3/8, 5/8) -> Pe = 34/64 -> (0.75 - 0.53125) / 0.46875.
  EXPECT_NEAR(r.fleissKappa, (0.75 - 34.0 / 64) / (1 - 34.0 / 64), 1e-9);
  // o_dd 2, o_dn 1+1, o_nn 4: D_o = 2/8, D_e = 2*3*5/(8*7) -> 1 - 0.25/(30/56).
  EXPECT_NEAR(r.alphaNominal, 1 - 0.25 / (30.0 / 56), 1e-9);
  EXPECT_EQ(r.shapePairs, 1);
  EXPECT_NEAR(r.meanIou, 1.0, 1e-9);
  EXPECT_NEAR(r.shapeF1, 2.0 / 3.0, 1e-9);  // 1 match, 2 + 1 boxes
}

TEST(Overlap, AgreementOnRatingsUsesKrippendorffOrdinal) {
  ReviewProject p;
  auto st = p.open();
  auto rating = [](int response, int score) {
    Annotation a;
    a.kind = AnnotationKind::Rating;
    a.dataJson = R"({"response":)" + std::to_string(response) + R"(,"scores":{"correctness":)" + std::to_string(score) + "}}";
    return a;
  };
  // Units (1,1), (1,2), (2,2) as in the hand-computed metric test: alpha 4/9 at every level.
  const ItemId item = p.addText(*st, "prompt", "q", 1);
  draw(*st, item, p.anna, rating(0, 1));
  draw(*st, item, p.ben, rating(0, 1));
  draw(*st, item, p.anna, rating(1, 1));
  draw(*st, item, p.ben, rating(1, 2));
  draw(*st, item, p.anna, rating(2, 2));
  draw(*st, item, p.ben, rating(2, 2));
  const auto r = computeAgreement(*st);
  EXPECT_EQ(r.ratingUnits, 3);
  EXPECT_NEAR(r.ratingAlphaNominal, 4.0 / 9.0, 1e-9);
  EXPECT_NEAR(r.ratingAlphaInterval, 4.0 / 9.0, 1e-9);
  EXPECT_NEAR(r.ratingAlphaOrdinal, 4.0 / 9.0, 1e-9);
  EXPECT_TRUE(std::isnan(r.cohenKappa));  // no whole-item classes here
}

TEST(Overlap, MajorityMergeKeepsMajorityShapesAndSendsTiesToReview) {
  ReviewProject p;
  auto cat = p.open()->addUser("cat", Role::Annotator);
  ASSERT_TRUE(cat);
  auto lea = p.session(p.lead);
  auto& st = lea->store();
  const ItemId item = p.addImage(st, "three");
  // Box A drawn by all three (edges differ), box B by two of three, box C by one.
  draw(st, item, p.anna, boxOf(p.car, 10, 10, 110, 110, R"({"make":"vw"})"));
  draw(st, item, p.ben, boxOf(p.car, 12, 10, 110, 112, R"({"make":"vw"})"));
  draw(st, item, *cat, boxOf(p.person, 14, 8, 108, 110));
  draw(st, item, p.anna, boxOf(p.person, 300, 300, 400, 400));
  draw(st, item, p.ben, boxOf(p.person, 302, 300, 400, 400));
  draw(st, item, *cat, boxOf(p.person, 500, 10, 600, 100));
  auto m = mergeItem(st, item);
  EXPECT_EQ(m.raters, 3);
  EXPECT_TRUE(m.ties.empty());
  ASSERT_EQ(m.merged.size(), 2u);
  // The median box, with the majority class (car 2 : person 1).
  const Annotation* a = nullptr;
  for (const auto& x : m.merged)
    if (x.coords[0] < 50) a = &x;
  ASSERT_TRUE(a);
  EXPECT_EQ(a->classId, p.car);
  EXPECT_EQ(a->coords, (std::vector<double>{12, 10, 110, 110}));

  auto applied = applyMerge(*lea, item);
  ASSERT_TRUE(applied) << applied.error().message;
  int mergedRows = 0;
  for (const auto& x : st.annotations(item, false))
    if (x.source == "merge:majority") ++mergedRows;
  EXPECT_EQ(mergedRows, 2);
  // Applying again replaces, not duplicates.
  ASSERT_TRUE(applyMerge(*lea, item));
  mergedRows = 0;
  for (const auto& x : st.annotations(item, false))
    if (x.source == "merge:majority") ++mergedRows;
  EXPECT_EQ(mergedRows, 2);
  // Merged answers do not count as a rater.
  EXPECT_EQ(computeAgreement(st).raters, 3);

  // Two annotators disagreeing on a class: a tie, sent to the review queue with a flag.
  const ItemId split = p.addImage(st, "split");
  draw(st, split, p.anna, boxOf(p.person, 10, 10, 110, 110));
  draw(st, split, p.ben, boxOf(p.car, 10, 10, 110, 110, R"({"make":"vw"})"));
  draw(st, split, p.anna, tagOf(p.day));
  auto tie = applyMerge(*lea, split);
  ASSERT_TRUE(tie);
  EXPECT_EQ(tie->ties.size(), 2u);  // the box's class, and "day" chosen by 1 of 2
  EXPECT_EQ(st.item(split)->state, ItemState::Submitted);
  auto queue = reviewQueue(st, p.reviewer);
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].item, split);
  EXPECT_TRUE(queue[0].mergeTie);
  // Accepting settles the tie.
  auto rex = p.session(p.reviewer);
  ASSERT_TRUE(acceptItem(*rex, split));
  SQLite::Database db(p.path);
  EXPECT_EQ(db.execAndGet("SELECT resolved FROM merge_ties WHERE item_id = " + std::to_string(split)).getInt(), 1);
}
