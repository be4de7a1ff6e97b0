// Text work through the session: spans, relations, document classes, corrections with span
// re-mapping, junk marks, ratings and rankings — checked as rows in the project.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "labeling/session/session.h"
#include "labeling/text/evaluation.h"
#include "labeling/text/offsets.h"
#include "labeling/text/spans.h"
#include "labeling/text/versions.h"
#include "support/test_support.h"

using namespace lb::labeling;
using namespace lb::labeling::text;
using nlohmann::json;
using lb::Result;
using lb::Status;

namespace {

struct Work {
  lb::test::TempDir dir;
  std::unique_ptr<Session> session;
  ItemId textItem = 0, promptItem = 0;
  ClassId per = 0, loc = 0, worksAt = 0, pos = 0, neg = 0;

  explicit Work(bool overlap = false, bool multi = false, bool ties = true) {
    auto s = createProject(dir.file("p.lbproj"));
    EXPECT_TRUE(s);
    auto& store = **s;
    LabelSchema schema;
    schema.spansMayOverlap = overlap;
    schema.documentMultiLabel = multi;
    schema.rankingTiesAllowed = ties;
    schema.rubric = {{"correctness", 1, 5}, {"helpfulness", 1, 5}, {"safety", 1, 3}};
    for (auto [name, scope] : {std::pair{"PER", ClassScope::Span}, {"LOC", ClassScope::Span},
                               {"works_at", ClassScope::Relation}, {"positive", ClassScope::Document},
                               {"negative", ClassScope::Document}}) {
      ClassDef c;
      c.name = name;
      c.scope = scope;
      schema.classes.push_back(c);
    }
    EXPECT_TRUE(store.setSchema(schema));
    const auto stored = store.schema();
    per = stored.findClass("PER")->id;
    loc = stored.findClass("LOC")->id;
    worksAt = stored.findClass("works_at")->id;
    pos = stored.findClass("positive")->id;
    neg = stored.findClass("negative")->id;
    auto batch = store.createBatch("b", "test");
    NewItem t;
    t.item.batchId = *batch;
    t.item.kind = ItemKind::Text;
    t.item.sourceKey = "t#1";
    t.item.text = "张三在北京工作。😀 Li Si lives in Shanghai.";
    t.item.lengthCodePoints = codePointCount(t.item.text);
    textItem = *store.insertItem(t);
    NewItem p;
    p.item.batchId = *batch;
    p.item.kind = ItemKind::Prompt;
    p.item.sourceKey = "p#1";
    p.item.text = "1+1=?";
    p.item.responses = {{0, "A", "2"}, {1, "B", "3"}, {2, "C", "two"}};
    promptItem = *store.insertItem(p);
    auto u = store.addUser("ann", Role::Annotator);
    session = std::make_unique<Session>(std::move(*s), *store.user(*u), "test");
  }

  Result<AnnotationId> span(ClassId c, std::int64_t a, std::int64_t b) {
    auto made = makeSpan(session->store().schema(), session->annotations(),
                         session->store().item(session->currentItem())->lengthCodePoints, c, a, b);
    if (!made) return made.error();
    return session->createAnnotation(*made);
  }
};

}  // namespace

TEST(TextWork, SpansAreStoredAsCodePointOffsetsAndOverlapFollowsTheSchema) {
  Work w;
  ASSERT_TRUE(w.session->openItem(w.textItem));
  auto zhang = w.span(w.per, 0, 2);  // 张三
  ASSERT_TRUE(zhang) << zhang.error().message;
  auto beijing = w.span(w.loc, 3, 5);  // 北京
  ASSERT_TRUE(beijing);
  // "Shanghai" sits after the emoji: code points, not bytes or UTF-16 units.
  const auto cps = toU32(w.session->store().item(w.textItem)->text);
  const auto sh = toUtf8(cps).find("Shanghai");
  const auto shStart = codePointOfByte(toUtf8(cps), sh);
  EXPECT_EQ(shStart, 25);  // 25 UTF-16 units would be 26 (the emoji), bytes 40
  ASSERT_TRUE(w.span(w.loc, shStart, shStart + 8));
  const auto stored = w.session->store().annotation(*zhang);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->kind, AnnotationKind::Span);
  EXPECT_EQ(stored->coords, (std::vector<double>{0, 2}));

  auto overlap = w.span(w.loc, 1, 4);
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().code, lb::ErrorCode::Conflict);
  EXPECT_FALSE(w.span(w.per, 5, 5));    // empty
  EXPECT_FALSE(w.span(w.per, 30, 99));  // past the end
  EXPECT_FALSE(w.span(w.pos, 6, 7));    // not a span class

  Work overlapping(/*overlap=*/true);
  ASSERT_TRUE(overlapping.session->openItem(overlapping.textItem));
  ASSERT_TRUE(overlapping.span(overlapping.per, 0, 2));
  EXPECT_TRUE(overlapping.span(overlapping.loc, 1, 4));
  EXPECT_FALSE(overlapping.span(overlapping.per, 0, 2));  // the same span twice
}

TEST(TextWork, RelationsJoinTwoSpansAndGoWithThemOnDelete) {
  Work w;
  ASSERT_TRUE(w.session->openItem(w.textItem));
  auto a = w.span(w.per, 0, 2), b = w.span(w.loc, 3, 5);
  ASSERT_TRUE(a && b);
  auto rel = makeRelation(w.session->store().schema(), w.session->annotations(), w.worksAt, *a, *b);
  ASSERT_TRUE(rel) << rel.error().message;
  auto relId = w.session->createAnnotation(*rel);
  ASSERT_TRUE(relId);
  EXPECT_EQ(json::parse(w.session->store().annotation(*relId)->dataJson)["from"], *a);
  EXPECT_FALSE(makeRelation(w.session->store().schema(), w.session->annotations(), w.per, *a, *b));
  EXPECT_FALSE(makeRelation(w.session->store().schema(), w.session->annotations(), w.worksAt, *a, *a));
  const auto ids = withDependentRelations(w.session->annotations(), {*a});
  ASSERT_TRUE(w.session->deleteAnnotations(ids));
  EXPECT_EQ(w.session->annotations().size(), 1u);
  ASSERT_TRUE(w.session->undo());
  EXPECT_EQ(w.session->annotations().size(), 3u);
}

TEST(TextWork, DocumentClassSingleLabelReplacesMultiLabelAdds) {
  Work w;
  ASSERT_TRUE(w.session->openItem(w.textItem));
  auto docClasses = [&] {
    std::vector<ClassId> out;
    for (const auto& a : w.session->annotations())
      if (a.kind == AnnotationKind::DocClass) out.push_back(a.classId);
    return out;
  };
  ASSERT_TRUE(toggleDocClass(*w.session, w.pos));
  ASSERT_TRUE(toggleDocClass(*w.session, w.neg));
  EXPECT_EQ(docClasses(), std::vector<ClassId>{w.neg});
  ASSERT_TRUE(w.session->undo());  // one undo step brings "positive" back
  EXPECT_EQ(docClasses(), std::vector<ClassId>{w.pos});
  ASSERT_TRUE(toggleDocClass(*w.session, w.pos));  // pressing it again removes it
  EXPECT_TRUE(docClasses().empty());

  Work m(false, /*multi=*/true);
  ASSERT_TRUE(m.session->openItem(m.textItem));
  ASSERT_TRUE(toggleDocClass(*m.session, m.pos));
  ASSERT_TRUE(toggleDocClass(*m.session, m.neg));
  int n = 0;
  for (const auto& a : m.session->annotations()) n += a.kind == AnnotationKind::DocClass;
  EXPECT_EQ(n, 2);
}

TEST(TextWork, DiffOfCodePointsFindsTheEdits) {
  const auto a = toU32("张三在北京工作"), b = toU32("张三丰在北京上班");
  const auto ops = diffCodePoints(a, b);
  std::string shape;
  for (const auto& o : ops) shape += o.kind == DiffOp::Kind::Equal ? '=' : o.kind == DiffOp::Kind::Insert ? '+' : '-';
  EXPECT_TRUE(shape == "=+=-+" || shape == "=+=+-") << shape;
  EXPECT_EQ(ops[1].bStart, 2);  // 丰 inserted at 2
  // The diff rebuilds the new text from the old one.
  std::u32string rebuilt;
  for (const auto& o : ops)
    if (o.kind == DiffOp::Kind::Equal) rebuilt += a.substr(o.aStart, o.aEnd - o.aStart);
    else if (o.kind == DiffOp::Kind::Insert) rebuilt += b.substr(o.bStart, o.bEnd - o.bStart);
  EXPECT_EQ(rebuilt, b);
}

TEST(TextWork, CorrectionKeepsTheOriginalMovesSpansAndFlagsTheSpanItCutsThrough) {
  Work w;
  ASSERT_TRUE(w.session->openItem(w.textItem));
  // "张三在北京工作。😀 Li Si lives in Shanghai."
  auto zhang = w.span(w.per, 0, 2);     // 张三
  auto beijing = w.span(w.loc, 3, 5);   // 北京
  auto lisi = w.span(w.per, 10, 15);    // Li Si
  auto shanghai = w.span(w.loc, 25, 33);
  ASSERT_TRUE(zhang && beijing && lisi && shanghai);
  const std::string original = w.session->store().item(w.textItem)->text;
  // Edit 1: "先生" inserted after 三, at 张三's end: outside it; later spans move by 2.
  // Edit 2: "市" inserted after 京, at 北京's end: outside it.
  // Edit 3: "Li" -> "Lee": wholly inside "Li Si": the span grows, no flag.
  // Edit 4: "ai." -> "城市。" starts inside "Shanghai" and ends after it: cut -> flagged.
  const std::string corrected = "张三先生在北京市工作。😀 Lee Si lives in Shangh城市。";
  auto plan = applyCorrection(*w.session, corrected);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->newVersion, 1);
  // The original text is untouched; the correction sits beside it.
  EXPECT_EQ(w.session->store().item(w.textItem)->text, original);
  const auto anns = w.session->annotations();
  const auto cur = currentText(*w.session->store().item(w.textItem), anns);
  EXPECT_EQ(cur.text, corrected);
  EXPECT_EQ(cur.version, 1);
  const auto newCps = toU32(corrected);
  auto textOf = [&](AnnotationId id) {
    const auto r = spanOf(*w.session->store().annotation(id));
    return toUtf8(newCps.substr(r.start, r.end - r.start));
  };
  EXPECT_EQ(textOf(*zhang), "张三");
  EXPECT_EQ(textOf(*beijing), "北京");
  EXPECT_FALSE(needsReview(*w.session->store().annotation(*beijing)));
  EXPECT_EQ(textOf(*lisi), "Lee Si");  // edited inside: resized, not flagged
  EXPECT_FALSE(needsReview(*w.session->store().annotation(*lisi)));
  const auto sh = *w.session->store().annotation(*shanghai);
  EXPECT_TRUE(needsReview(sh)) << sh.dataJson;
  EXPECT_NE(json::parse(sh.dataJson)["review_reason"].get<std::string>().find("Shanghai"), std::string::npos);
  EXPECT_EQ(plan->flaggedSpans, 1);

  // One undo step takes back the version and every span move.
  ASSERT_TRUE(w.session->undo());
  EXPECT_EQ(currentText(*w.session->store().item(w.textItem), w.session->annotations()).version, 0);
  EXPECT_EQ(spanOf(*w.session->store().annotation(*shanghai)), (SpanRange{25, 33}));
  EXPECT_FALSE(needsReview(*w.session->store().annotation(*shanghai)));

  // Saving the same text again is refused.
  EXPECT_FALSE(applyCorrection(*w.session, original));
}

TEST(TextWork, RemapRules) {
  const auto a = toU32("0123456789"), b = toU32("01X3456789");  // replace 2 -> X
  const auto d = diffCodePoints(a, b);
  EXPECT_FALSE(remapSpan(d, {3, 6}).cut);           // after the edit
  EXPECT_TRUE(remapSpan(d, {2, 5}).cut == false);   // the edit is the span's first char: inside
  const auto del = diffCodePoints(a, toU32("01789"));  // delete 23456
  EXPECT_TRUE(remapSpan(del, {4, 8}).cut);          // deletion crosses the start
  EXPECT_EQ(remapSpan(del, {4, 8}).range, (SpanRange{2, 3}));
  EXPECT_TRUE(remapSpan(del, {3, 5}).cut);          // removed entirely
  EXPECT_EQ(remapSpan(del, {7, 9}).range, (SpanRange{2, 4}));
  const auto ins = diffCodePoints(a, toU32("012345abc6789"));
  EXPECT_EQ(remapSpan(ins, {6, 8}).range, (SpanRange{9, 11}));  // insertion at start: moves
  EXPECT_EQ(remapSpan(ins, {2, 6}).range, (SpanRange{2, 6}));   // insertion at end: stays
  EXPECT_EQ(remapSpan(ins, {5, 7}).range, (SpanRange{5, 10}));  // inside: grows
}

TEST(TextWork, WordSnapUsesIcuForChineseAndEnglish) {
  const auto en = toU32("The quick brown fox");
  EXPECT_EQ(snapToWords(en, {5, 12}), (SpanRange{4, 15}));  // "uick br" -> "quick brown"
  EXPECT_EQ(snapToWords(en, {3, 5}), (SpanRange{4, 9}));    // leading space trimmed
  const auto zh = toU32("我们在北京大学学习");
  const auto r = snapToWords(zh, {3, 4});  // 北 -> a dictionary word containing it
  EXPECT_LE(r.start, 3);
  EXPECT_GE(r.end, 5);
  EXPECT_LE(r.end, 7);
}

TEST(TextWork, JunkAndDuplicateMarksExcludeWithReason) {
  Work w;
  ASSERT_TRUE(w.session->openItem(w.textItem));
  EXPECT_FALSE(markItem(*w.session, w.textItem, ItemMark::Junk, ""));
  ASSERT_TRUE(markItem(*w.session, w.textItem, ItemMark::Duplicate, "same as item 7"));
  auto it = w.session->store().item(w.textItem);
  EXPECT_TRUE(it->excluded);
  EXPECT_EQ(it->excludedReason, "duplicate: same as item 7");
  EXPECT_EQ(w.session->store().countItems(ItemFilter{}), 1);  // out of the queue
  ASSERT_TRUE(unmarkItem(*w.session, w.textItem));
  EXPECT_FALSE(w.session->store().item(w.textItem)->excluded);
}

TEST(TextWork, RatingsAreValidatedAgainstTheRubricAndReplacedPerResponse) {
  Work w;
  ASSERT_TRUE(w.session->openItem(w.promptItem));
  const auto schema = w.session->store().schema();
  const auto item = *w.session->store().item(w.promptItem);
  EXPECT_FALSE(makeRating(schema, item, 0, {{"correctness", 6}}, ""));   // out of range
  EXPECT_FALSE(makeRating(schema, item, 0, {{"safety", 4}}, ""));        // safety is 1..3
  EXPECT_FALSE(makeRating(schema, item, 0, {{"style", 3}}, ""));         // not in the rubric
  EXPECT_FALSE(makeRating(schema, item, 3, {{"correctness", 3}}, ""));   // no 4th response
  auto id = saveRating(*w.session, 1, {{"correctness", 1}, {"helpfulness", 2}}, "3 is wrong");
  ASSERT_TRUE(id) << id.error().message;
  auto again = saveRating(*w.session, 1, {{"correctness", 1}, {"helpfulness", 2}, {"safety", 3}}, "3 is wrong");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *id);  // replaced, not duplicated
  const auto stored = *w.session->store().annotation(*id);
  EXPECT_EQ(stored.kind, AnnotationKind::Rating);
  const auto d = json::parse(stored.dataJson);
  EXPECT_EQ(d["response"], 1);
  EXPECT_EQ(d["scores"]["safety"], 3);
  EXPECT_EQ(d["comment"], "3 is wrong");
  EXPECT_TRUE(missingCriteria(schema, stored).empty());
}

TEST(TextWork, RankingsNeedOneDenseRankPerResponseAndTiesPerSchema) {
  Work w(false, false, /*ties=*/false);
  ASSERT_TRUE(w.session->openItem(w.promptItem));
  const auto item = *w.session->store().item(w.promptItem);
  const auto schema = w.session->store().schema();
  EXPECT_FALSE(makeRanking(schema, item, {1, 2}));        // one rank missing
  EXPECT_FALSE(makeRanking(schema, item, {1, 1, 2}));     // tie not allowed here
  EXPECT_FALSE(makeRanking(schema, item, {1, 3, 4}));     // out of range
  auto id = saveRanking(*w.session, {2, 1, 3});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(ranksOf(*w.session->store().annotation(*id)), (std::vector<int>{2, 1, 3}));

  Work t(false, false, /*ties=*/true);
  const auto titem = *t.session->store().item(t.promptItem);
  EXPECT_TRUE(makeRanking(t.session->store().schema(), titem, {1, 1, 2}));
  EXPECT_FALSE(makeRanking(t.session->store().schema(), titem, {1, 1, 3}));  // gap
}
