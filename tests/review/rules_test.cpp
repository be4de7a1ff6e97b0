// Rule checks: each rule fires on the object it is about, and the submit wrapper refuses on
// errors but lets warnings through.
#include <SQLiteCpp/Database.h>

#include <algorithm>

#include "qc/review/rule_checks.h"
#include "review_fixture.h"

using namespace lb::labeling;
using namespace lb::qc;
using lb::test::boxOf;
using lb::test::ReviewProject;
using lb::test::spanOf;

namespace {

const RuleViolation* find(const std::vector<RuleViolation>& list, const std::string& rule, AnnotationId id) {
  for (const auto& v : list)
    if (v.rule == rule && v.annotation == id) return &v;
  return nullptr;
}

}  // namespace

TEST(RuleChecks, EachRuleNamesTheObject) {
  ReviewProject p;
  auto store = p.open();
  const ItemId img = p.addImage(*store, "img");
  auto add = [&](Annotation a) {
    a.itemId = img;
    a.authorId = p.anna;
    return *store->insertAnnotation(a);
  };
  const AnnotationId good = add(boxOf(p.car, 10, 10, 100, 100, R"({"make":"vw"})"));
  const AnnotationId noMake = add(boxOf(p.car, 200, 10, 260, 60));
  const AnnotationId outside = add(boxOf(p.person, 600, 10, 700, 60));
  const AnnotationId flat = add(boxOf(p.person, 300, 300, 300, 340));
  const AnnotationId tiny = add(boxOf(p.person, 400, 400, 402, 402));
  Annotation bowTie;
  bowTie.kind = AnnotationKind::Polygon;
  bowTie.classId = p.person;
  bowTie.coords = {10, 200, 110, 300, 110, 200, 10, 300};  // edges 0 and 2 cross
  const AnnotationId crossed = add(bowTie);
  Annotation square = bowTie;
  square.coords = {10, 350, 110, 350, 110, 450, 10, 450};
  const AnnotationId simple = add(square);
  const AnnotationId dupA = add(boxOf(p.person, 500, 200, 600, 300));
  const AnnotationId dupB = add(boxOf(p.person, 502, 202, 600, 300));
  const AnnotationId strange = add(boxOf(p.person, 20, 20, 60, 60));
  {  // A class that left the schema (written by an older tool with foreign keys off).
    SQLite::Database db(p.path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys=OFF");
    db.exec("UPDATE annotations SET class_id = 999 WHERE id = " + std::to_string(strange));
  }
  store = p.open();

  RuleSettings settings;
  settings.minBoxSide_px = 4;
  auto result = checkItem(*store, img, settings);
  ASSERT_TRUE(result) << result.error().message;
  const auto& v = *result;
  ASSERT_TRUE(find(v, "required_attribute_missing", noMake));
  EXPECT_NE(find(v, "required_attribute_missing", noMake)->message.find("make"), std::string::npos);
  EXPECT_NE(find(v, "required_attribute_missing", noMake)->message.find(std::to_string(noMake)), std::string::npos);
  EXPECT_TRUE(find(v, "box_outside_image", outside));
  EXPECT_TRUE(find(v, "box_zero_area", flat));
  ASSERT_TRUE(find(v, "box_too_small", tiny));
  EXPECT_EQ(find(v, "box_too_small", tiny)->severity, RuleSeverity::Warning);
  EXPECT_TRUE(find(v, "polygon_self_intersecting", crossed));
  EXPECT_FALSE(find(v, "polygon_self_intersecting", simple));
  const auto* overlap = find(v, "same_class_overlap", dupA);
  ASSERT_TRUE(overlap);
  EXPECT_EQ(overlap->other, dupB);
  EXPECT_EQ(overlap->severity, RuleSeverity::Warning);
  EXPECT_TRUE(find(v, "class_not_in_schema", strange));
  // The good box, and nothing else, is clean.
  EXPECT_TRUE(std::none_of(v.begin(), v.end(), [&](const auto& x) { return x.annotation == good; }));
  EXPECT_EQ(v.size(), 7u);

  // The min-size setting is a project setting.
  settings.minBoxSide_px = 1;
  ASSERT_TRUE(saveRuleSettings(*store, settings));
  EXPECT_DOUBLE_EQ(loadRuleSettings(*store).minBoxSide_px, 1);
  EXPECT_FALSE(find(*checkItem(*store, img, loadRuleSettings(*store)), "box_too_small", tiny));
}

TEST(RuleChecks, WhitespaceSpansAndEmptyItems) {
  ReviewProject p;
  auto store = p.open();
  // "Ana  \u3000 met Bob": code points 0-2 "Ana", 3-4 spaces, 5 ideographic space, 6 space.
  const std::string text = "Ana  \xE3\x80\x80 met Bob";
  const ItemId doc = p.addText(*store, "t1", text, 14);
  Annotation ok = spanOf(p.name, 0, 3), blank = spanOf(p.name, 3, 7), beyond = spanOf(p.name, 10, 20);
  for (auto* a : {&ok, &blank, &beyond}) {
    a->itemId = doc;
    a->authorId = p.anna;
    a->id = *store->insertAnnotation(*a);
  }
  auto v = *checkItem(*store, doc, RuleSettings{});
  EXPECT_TRUE(find(v, "span_whitespace_only", blank.id));
  EXPECT_TRUE(find(v, "span_out_of_range", beyond.id));
  EXPECT_FALSE(find(v, "span_whitespace_only", ok.id));
  EXPECT_EQ(v.size(), 2u);

  const ItemId empty = p.addImage(*store, "empty");
  EXPECT_TRUE(checkItem(*store, empty, RuleSettings{})->empty());  // not labelled yet: fine
  ASSERT_TRUE(store->setItemState(empty, ItemState::Submitted));
  auto e = *checkItem(*store, empty, RuleSettings{});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rule, "no_objects");
  EXPECT_EQ(e[0].annotation, 0);
  ASSERT_TRUE(store->setNothingHere(empty, true));
  EXPECT_TRUE(checkItem(*store, empty, RuleSettings{})->empty());
}

TEST(RuleChecks, SubmitRefusesOnErrorsAndPassesWarnings) {
  ReviewProject p;
  auto anna = p.session(p.anna);
  const ItemId img = p.addImage(anna->store(), "img");
  ASSERT_TRUE(anna->store().assign(img, p.anna, TaskKind::Annotate));
  ASSERT_TRUE(anna->openItem(img));

  auto empty = submitChecked(*anna, RuleSettings{});
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->submitted);
  ASSERT_EQ(empty->violations.size(), 1u);
  EXPECT_EQ(empty->violations[0].rule, "no_objects");

  const auto bad = *anna->createAnnotation(boxOf(p.car, 10, 10, 100, 100));  // no "make"
  auto refused = submitChecked(*anna, RuleSettings{});
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->submitted);
  EXPECT_EQ(refused->violations.at(0).annotation, bad);
  EXPECT_EQ(anna->store().item(img)->state, ItemState::InProgress);

  Annotation fixed = *anna->store().annotation(bad);
  fixed.attributesJson = R"({"make":"fiat"})";
  ASSERT_TRUE(anna->updateAnnotation(fixed));
  ASSERT_TRUE(anna->createAnnotation(boxOf(p.person, 300, 300, 302, 330)));  // narrow: warning only
  auto passed = submitChecked(*anna, RuleSettings{});
  ASSERT_TRUE(passed);
  EXPECT_TRUE(passed->submitted);
  ASSERT_EQ(passed->violations.size(), 1u);
  EXPECT_EQ(passed->violations[0].rule, "box_too_small");
  EXPECT_EQ(anna->store().item(img)->state, ItemState::Submitted);
  EXPECT_EQ(anna->store().tasks(p.anna, TaskKind::Annotate).front().state, TaskState::Submitted);
}
