// The review, gold, overlap and aql commands of labelbench-cli: what they print and their exit codes.
#include <algorithm>

#include "qc/review/rule_checks.h"
#include "review_fixture.h"

using namespace lb::labeling;
using lb::test::boxOf;
using lb::test::cliPath;
using lb::test::ReviewProject;
using lb::test::run;

namespace {
bool has(const std::string& out, const std::string& s) { return out.find(s) != std::string::npos; }
}  // namespace

TEST(ReviewCli, AqlPlanPrintsTheIsoPlanAndRefusesNonStandardAql) {
  auto r = run(cliPath() + " aql plan --lot 1000 --aql 1.0");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_TRUE(has(r.output, "code letter J")) << r.output;
  EXPECT_TRUE(has(r.output, "sample size 80")) << r.output;
  EXPECT_TRUE(has(r.output, "Ac 2, Re 3")) << r.output;
  r = run(cliPath() + " aql plan --lot 1000 --aql 0.25 --level II");
  EXPECT_TRUE(has(r.output, "arrow to H")) << r.output;
  EXPECT_TRUE(has(r.output, "sample size 50")) << r.output;
  r = run(cliPath() + " aql plan --lot 1000 --aql 3");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_TRUE(has(r.output, "not in ISO 2859-1")) << r.output;
}

TEST(ReviewCli, RejectCheckReportAndSampleFromTheCommandLine) {
  ReviewProject p;
  ItemId item = 0, bad = 0;
  {
    auto anna = p.session(p.anna);
    item = p.addImage(anna->store(), "a");
    bad = p.addImage(anna->store(), "b");
    ASSERT_TRUE(anna->store().assign(item, p.anna, TaskKind::Annotate));
    ASSERT_TRUE(anna->openItem(item));
    ASSERT_TRUE(anna->createAnnotation(boxOf(p.car, 10, 10, 100, 100, R"({"make":"vw"})")));
    ASSERT_TRUE(lb::qc::submitChecked(*anna, lb::qc::RuleSettings{})->submitted);
    ASSERT_TRUE(anna->openItem(bad));
    ASSERT_TRUE(anna->createAnnotation(boxOf(p.car, 10, 10, 100, 100)));  // lacks "make"
  }
  const std::string cli = cliPath() + " ";
  auto q = run(cli + "review queue " + p.path + " --user rex --json");
  ASSERT_EQ(q.exitCode, 0) << q.output;
  EXPECT_TRUE(has(q.output, "\"annotator\": \"anna\"")) << q.output;

  auto wrong = run(cli + "review reject " + p.path + " " + std::to_string(item) + " --user rex --reason nope");
  EXPECT_EQ(wrong.exitCode, 2);
  EXPECT_TRUE(has(wrong.output, "loose box")) << wrong.output;
  auto rej = run(cli + "review reject " + p.path + " " + std::to_string(item) +
                 " --user rex --reason 'loose box' --comment 'left edge' --pin-point 20 30");
  ASSERT_EQ(rej.exitCode, 0) << rej.output;
  auto hist = run(cli + "review history " + p.path + " " + std::to_string(item));
  EXPECT_TRUE(has(hist.output, "reject\trex\tloose box\tleft edge")) << hist.output;
  EXPECT_TRUE(p.open()->item(item)->state == ItemState::Rejected);

  auto check = run(cli + "review check " + p.path);
  EXPECT_EQ(check.exitCode, 1) << check.output;
  EXPECT_TRUE(has(check.output, std::to_string(bad) + "\t")) << check.output;
  EXPECT_TRUE(has(check.output, "required_attribute_missing")) << check.output;

  auto report = run(cli + "review report " + p.path + " --by annotator --csv --user rex");
  ASSERT_EQ(report.exitCode, 0) << report.output;
  EXPECT_TRUE(has(report.output, "user_id,annotator,verdicts")) << report.output;
  EXPECT_TRUE(has(report.output, std::to_string(p.anna) + ",anna,1,1,0,1,0,0.0000,1.0000")) << report.output;
  auto batch = run(cli + "review report " + p.path + " --by batch --csv --user rex");
  EXPECT_TRUE(has(batch.output, ",b1,2,")) << batch.output;

  auto ref = run(cli + "gold reference " + p.path + " " + std::to_string(bad) +
                 R"( '{"kind":"box","class_name":"car","coords":[10,10,100,100],"attributes":{"make":"vw"}}' --user lea)");
  ASSERT_EQ(ref.exitCode, 0) << ref.output;
  {
    auto st = p.open();
    EXPECT_TRUE(st->item(bad)->isGold);
    const auto refs = st->annotations(bad, true);
    EXPECT_EQ(std::count_if(refs.begin(), refs.end(), [](const Annotation& a) { return a.isReference; }), 1);
  }
  EXPECT_EQ(run(cli + "gold reference " + p.path + " " + std::to_string(bad) +
                R"( '{"kind":"box","class_name":"car","coords":[1,1,9,9]}' --user anna)").exitCode, 2);
  auto gold = run(cli + "gold accuracy " + p.path + " --user anna");
  EXPECT_EQ(gold.exitCode, 2);
  EXPECT_TRUE(has(gold.output, "annotator")) << gold.output;

  auto draw = run(cli + "aql draw " + p.path + " --batch " + std::to_string(p.batch) + " --aql 1.0 --user rex");
  ASSERT_EQ(draw.exitCode, 0) << draw.output;
  EXPECT_TRUE(has(draw.output, "2 items")) << draw.output;
  EXPECT_TRUE(has(draw.output, "100% inspection") || has(draw.output, "sample 2")) << draw.output;
}

TEST(ReviewCli, SubmitDrawsBoxesAsTheAnnotatorAndRunsTheRuleChecks) {
  ReviewProject p;
  ItemId item = 0, other = 0;
  {
    auto st = p.open();
    item = p.addImage(*st, "a");
    other = p.addImage(*st, "b");
    ASSERT_TRUE(st->assign(item, p.anna, TaskKind::Annotate));
  }
  const std::string cli = cliPath() + " review submit " + p.path + " ";
  // "car" has a required attribute "make": the rule check refuses, nothing is submitted.
  auto bad = run(cli + std::to_string(other) + " --user anna --box 'car 10 10 100 100'");
  EXPECT_EQ(bad.exitCode, 1) << bad.output;
  EXPECT_TRUE(has(bad.output, "required_attribute_missing")) << bad.output;
  EXPECT_TRUE(has(bad.output, "was not submitted")) << bad.output;
  auto unknown = run(cli + std::to_string(item) + " --user anna --box 'truck 1 1 5 5'");
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_TRUE(has(unknown.output, "no class 'truck'")) << unknown.output;
  auto malformed = run(cli + std::to_string(item) + " --user anna --box 'person 1 1'");
  EXPECT_EQ(malformed.exitCode, 2);
  EXPECT_TRUE(has(malformed.output, "is not 'CLASS X1 Y1 X2 Y2'")) << malformed.output;

  auto ok = run(cli + std::to_string(item) + " --user anna --box 'person 10 20 110 220'");
  ASSERT_EQ(ok.exitCode, 0) << ok.output;
  EXPECT_TRUE(has(ok.output, "submitted")) << ok.output;
  auto st = p.open();
  EXPECT_EQ(st->item(item)->state, ItemState::Submitted);
  EXPECT_NE(st->item(other)->state, ItemState::Submitted);
  const auto anns = st->annotations(item, false);
  ASSERT_EQ(anns.size(), 1u);
  EXPECT_EQ(anns[0].authorId, p.anna);
  EXPECT_EQ(anns[0].classId, p.person);
  EXPECT_EQ(anns[0].coords, (std::vector<double>{10, 20, 110, 220}));
  // The lead now finds it in the review queue, submitted by anna.
  auto q = run(cliPath() + " review queue " + p.path + " --user rex --json");
  EXPECT_TRUE(has(q.output, "\"annotator\": \"anna\"")) << q.output;
}
