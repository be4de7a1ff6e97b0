// Gold items: reference answers never reach an annotator through any call we provide, and
// accuracy per annotator against hand-computed figures.
#include <fstream>
#include <sstream>

#include "qc/agreement/overlap.h"
#include "qc/review/gold.h"
#include "qc/review/rule_checks.h"
#include "qc/review/workflow.h"
#include "review_fixture.h"

using namespace lb::labeling;
using namespace lb::qc;
using lb::test::boxOf;
using lb::test::ReviewProject;
using lb::test::spanOf;

TEST(Gold, AnnotatorSessionCannotReadGoldAnswersThroughAnyPublicCall) {
  ReviewProject p;
  auto lea = p.session(p.lead);
  const ItemId plain = p.addImage(lea->store(), "plain");
  const ItemId gold = p.addImage(lea->store(), "gold");
  ASSERT_TRUE(setGoldItem(*lea, gold, true));
  auto ref = addReference(*lea, gold, boxOf(p.car, 10, 10, 100, 100, R"({"make":"vw"})"));
  ASSERT_TRUE(ref) << ref.error().message;
  ASSERT_TRUE(assignGold(*lea, {p.anna}));
  ASSERT_TRUE(lea->store().assign(plain, p.anna, TaskKind::Annotate));

  auto anna = p.session(p.anna);
  // Only a lead can make gold or reference answers.
  EXPECT_FALSE(setGoldItem(*anna, plain, true));
  EXPECT_FALSE(addReference(*anna, plain, boxOf(p.car, 1, 1, 9, 9)));
  EXPECT_FALSE(assignGold(*anna, {p.anna}));

  // The queue: both items, nothing telling them apart.
  const auto queue = annotatorQueue(*anna);
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0].state, queue[1].state);
  EXPECT_FALSE(queue[0].lastRejection || queue[1].lastRejection);
  // The item view hides the gold flag; the editor shows no reference answer.
  EXPECT_FALSE(itemForSession(*anna, gold)->isGold);
  ASSERT_TRUE(anna->openItem(gold));
  EXPECT_TRUE(anna->annotations().empty());
  // Editing or deleting the reference by id is refused as if it did not exist.
  Annotation guess = *lea->store().annotation(*ref);
  EXPECT_FALSE(anna->updateAnnotation(guess));
  EXPECT_FALSE(anna->deleteAnnotations({*ref}));
  // Figures computed from references are refused to annotators.
  auto acc = goldAccuracy(*anna);
  ASSERT_FALSE(acc);
  EXPECT_NE(acc.error().message.find("annotator"), std::string::npos);
  // Rule checks, merge and agreement never list or copy reference answers.
  EXPECT_TRUE(checkItem(anna->store(), gold, RuleSettings{})->empty());
  EXPECT_TRUE(mergeItem(anna->store(), gold).merged.empty());
  EXPECT_EQ(computeAgreement(anna->store()).items, 0);
  // The project's JSON export (what an annotator could run from the CLI) leaves them out.
  const auto out = p.dir.file("export.json");
  auto r = lb::test::run(lb::test::cliPath() + " export-json " + p.path + " " + out);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  std::ifstream f(out);
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_NE(ss.str().find("gold.jpg"), std::string::npos);  // the item is exported...
  EXPECT_EQ(ss.str().find("\"vw\""), std::string::npos);     // ...without its reference answer
  // Reviewers and leads do see them.
  auto rex = p.session(p.reviewer);
  EXPECT_TRUE(itemForSession(*rex, gold)->isGold);
  ASSERT_TRUE(rex->openItem(gold));
  ASSERT_EQ(rex->annotations().size(), 1u);
  EXPECT_TRUE(rex->annotations()[0].isReference);
}

TEST(Gold, AccuracyPerAnnotatorMatchesHandComputation) {
  ReviewProject p;
  auto lea = p.session(p.lead);
  const ItemId img = p.addImage(lea->store(), "gold-img");
  const ItemId doc = p.addText(lea->store(), "gold-doc", "Anna met Bobby in Rome", 22);
  ASSERT_TRUE(addReference(*lea, img, boxOf(p.car, 0, 0, 100, 100, R"({"make":"vw"})")));
  ASSERT_TRUE(addReference(*lea, img, boxOf(p.person, 200, 0, 300, 100)));
  ASSERT_TRUE(addReference(*lea, doc, spanOf(p.name, 0, 4)));
  ASSERT_TRUE(addReference(*lea, doc, spanOf(p.name, 9, 14)));
  ASSERT_TRUE(assignGold(*lea, {p.anna}));

  auto anna = p.session(p.anna);
  ASSERT_TRUE(anna->openItem(img));
  // Car matched with the right class (IoU 0.81), person matched but called a car (IoU 0.9),
  // one box where the reference has nothing.
  ASSERT_TRUE(anna->createAnnotation(boxOf(p.car, 0, 0, 90, 90, R"({"make":"vw"})")));
  ASSERT_TRUE(anna->createAnnotation(boxOf(p.car, 200, 0, 290, 100, R"({"make":"?"})")));
  ASSERT_TRUE(anna->createAnnotation(boxOf(p.person, 400, 300, 450, 350)));
  ASSERT_TRUE(submitChecked(*anna, RuleSettings{})->submitted);
  ASSERT_TRUE(anna->openItem(doc));
  ASSERT_TRUE(anna->createAnnotation(spanOf(p.name, 0, 4)));   // exact
  ASSERT_TRUE(anna->createAnnotation(spanOf(p.name, 10, 14)));  // overlaps, not exact
  ASSERT_TRUE(submitChecked(*anna, RuleSettings{})->submitted);

  auto rex = p.session(p.reviewer);
  auto scores = goldAccuracy(*rex);
  ASSERT_TRUE(scores) << scores.error().message;
  ASSERT_EQ(scores->size(), 1u);
  const auto& s = scores->front();
  EXPECT_EQ(s.annotator, p.anna);
  EXPECT_EQ(s.goldItems, 2);
  EXPECT_EQ(s.objectsMatched, 2);
  EXPECT_NEAR(s.objectPrecision, 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(s.objectRecall, 1.0, 1e-9);
  EXPECT_NEAR(s.objectF1, 0.8, 1e-9);
  EXPECT_NEAR(s.classAccuracy, 0.5, 1e-9);
  EXPECT_NEAR(s.strictF1, 0.4, 1e-9);  // P 1/3, R 1/2
  EXPECT_NEAR(s.meanIou, (0.81 + 0.9) / 2, 1e-9);
  EXPECT_NEAR(s.spanExactF1, 0.5, 1e-9);
  EXPECT_NEAR(s.spanOverlapF1, 1.0, 1e-9);

  // A stricter IoU threshold drops the car match (0.81 < 0.85).
  GoldOptions strict;
  strict.iouThreshold = 0.85;
  EXPECT_EQ(goldAccuracy(*rex, strict)->front().objectsMatched, 1);
}
