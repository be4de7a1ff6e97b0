// Agreement statistics, matching and ISO 2859-1 lookups against hand-computed values and the
// worked examples published with each method.
#include <gtest/gtest.h>

#include <cmath>

#include "qc/agreement/matching.h"
#include "qc/agreement/metrics.h"
#include "qc/sampling/iso2859.h"

using namespace lb::qc;
using lb::labeling::Annotation;
using lb::labeling::AnnotationKind;

namespace {
using Units = std::vector<std::vector<std::optional<double>>>;
constexpr std::optional<double> kMissing = std::nullopt;

// Transposes coder rows into units (columns), 0 meaning missing.
Units unitsFromCoderRows(const std::vector<std::vector<int>>& rows) {
  Units units(rows.front().size());
  for (const auto& row : rows)
    for (std::size_t u = 0; u < row.size(); ++u)
      units[u].push_back(row[u] == 0 ? kMissing : std::optional<double>(row[u]));
  return units;
}

Annotation box(double x0, double y0, double x1, double y1, lb::labeling::ClassId cls = 1) {
  Annotation a;
  a.kind = AnnotationKind::Box;
  a.classId = cls;
  a.coords = {x0, y0, x1, y1};
  return a;
}
}  // namespace

// [SECTION] Cohen's kappa

TEST(Cohen, WikipediaExampleIsPointFour) {
  // Wikipedia "Cohen's kappa", simple example: 50 grant proposals, A/B yes-yes 20, yes-no 5,
  // no-yes 10, no-no 15 -> p_o = 0.7, p_e = 0.5, kappa = 0.4.
  EXPECT_NEAR(cohenKappa({{20, 5}, {10, 15}}), 0.4, 1e-12);
}

TEST(Cohen, FromLabelsMatchesHandComputation) {
  // 6 items: agreement on 4; rater1 cat,cat,dog,dog,dog,cat; rater2 cat,dog,dog,dog,cat,cat.
  // p_o = 4/6; p_e = (3/6*3/6)+(3/6*3/6) = 0.5 -> kappa = (0.6667-0.5)/0.5 = 1/3.
  EXPECT_NEAR(cohenKappa(std::vector<std::string>{"cat", "cat", "dog", "dog", "dog", "cat"},
                         std::vector<std::string>{"cat", "dog", "dog", "dog", "cat", "cat"}),
              1.0 / 3.0, 1e-12);
  EXPECT_NEAR(cohenKappa(std::vector<std::string>{"a", "b"}, std::vector<std::string>{"a", "b"}), 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(cohenKappa(std::vector<std::string>{"a", "a"}, std::vector<std::string>{"a", "a"})));
}

// [SECTION] Fleiss' kappa

TEST(Fleiss, Fleiss1971WikipediaExampleIsPoint210) {
  // Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories.
  const std::vector<std::vector<double>> counts = {
      {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
      {7, 7, 0, 0, 0},  {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};
  EXPECT_NEAR(fleissKappa(counts), 0.210, 0.0005);
}

TEST(Fleiss, HandComputedAndUnequalRatersRefused) {
  // 2 subjects, 3 raters, 2 categories: {3,0},{1,2}. P1 = 1, P2 = (1+4-3)/6 = 1/3, Pbar = 2/3;
  // p = (4/6, 2/6) -> Pe = 16/36+4/36 = 5/9; kappa = (2/3-5/9)/(4/9) = 0.25.
  EXPECT_NEAR(fleissKappa({{3, 0}, {1, 2}}), 0.25, 1e-12);
  EXPECT_TRUE(std::isnan(fleissKappa({{3, 0}, {1, 1}})));
}

// [SECTION] Krippendorff's alpha

TEST(Krippendorff, Krippendorff2011FourCodersTwelveUnitsWithMissingData) {
  // Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
  // 12 units, values 1-5, '.' missing (0 here). Published: nominal .743, ordinal .815,
  // interval .849, ratio .797.
  const auto units = unitsFromCoderRows({{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
                                         {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
                                         {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
                                         {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0}});
  EXPECT_NEAR(krippendorffAlpha(units, AlphaLevel::Nominal), 0.743, 0.0005);
  EXPECT_NEAR(krippendorffAlpha(units, AlphaLevel::Ordinal), 0.815, 0.0005);
  EXPECT_NEAR(krippendorffAlpha(units, AlphaLevel::Interval), 0.849, 0.0005);
  EXPECT_NEAR(krippendorffAlpha(units, AlphaLevel::Ratio), 0.797, 0.0005);
}

TEST(Krippendorff, WikipediaThreeCodersFifteenUnits) {
  // Wikipedia "Krippendorff's alpha", computational example: nominal .691, interval .811.
  const auto units = unitsFromCoderRows({{0, 0, 0, 0, 0, 3, 4, 1, 2, 1, 1, 3, 3, 0, 3},
                                         {1, 0, 2, 1, 3, 3, 4, 3, 0, 0, 0, 0, 0, 0, 0},
                                         {0, 0, 2, 1, 3, 4, 4, 0, 2, 1, 1, 3, 3, 0, 4}});
  EXPECT_NEAR(krippendorffAlpha(units, AlphaLevel::Nominal), 0.691, 0.0005);
  EXPECT_NEAR(krippendorffAlpha(units, AlphaLevel::Interval), 0.811, 0.0005);
}

TEST(Krippendorff, HandComputedTwoCodersAndEdgeCases) {
  // Units (1,1), (1,2), (2,2): coincidences o11=2, o12=o21=1, o22=2; n1=n2=3, n=6.
  // D_o = 2/6; D_e = 2*3*3/(6*5) = 0.6 -> alpha = 1 - (1/3)/0.6 = 4/9.
  const Units u = {{1.0, 1.0}, {1.0, 2.0}, {2.0, 2.0}};
  EXPECT_NEAR(krippendorffAlpha(u, AlphaLevel::Nominal), 4.0 / 9.0, 1e-12);
  // With two values interval and nominal coincide (delta^2 = 1).
  EXPECT_NEAR(krippendorffAlpha(u, AlphaLevel::Interval), 4.0 / 9.0, 1e-12);
  // A unit with a single value is not pairable: adding one changes nothing.
  Units withLonely = u;
  withLonely.push_back({3.0, kMissing});
  EXPECT_NEAR(krippendorffAlpha(withLonely, AlphaLevel::Nominal), 4.0 / 9.0, 1e-12);
  // Perfect agreement on varied values is 1; one value everywhere is undefined.
  EXPECT_NEAR(krippendorffAlpha({{1.0, 1.0}, {2.0, 2.0}}, AlphaLevel::Nominal), 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(krippendorffAlpha({{1.0, 1.0}, {1.0, 1.0}}, AlphaLevel::Nominal)));
}

// [SECTION] Precision/recall, rank correlation

TEST(Prf, HandComputed) {
  const auto r = prf(3, 4, 6);
  EXPECT_DOUBLE_EQ(r.precision, 0.75);
  EXPECT_DOUBLE_EQ(r.recall, 0.5);
  EXPECT_DOUBLE_EQ(r.f1, 0.6);
  EXPECT_DOUBLE_EQ(prf(0, 0, 0).f1, 1.0);
  EXPECT_DOUBLE_EQ(prf(0, 2, 0).f1, 0.0);
}

TEST(Spearman, HandComputedWithTies) {
  EXPECT_NEAR(spearman({1, 2, 3, 4}, {1, 2, 3, 4}), 1.0, 1e-12);
  EXPECT_NEAR(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0, 1e-12);
  // ranks a: 1,2,3 ; b ties: 1.5,1.5,3 -> r = 0.866...
  EXPECT_NEAR(spearman({1, 2, 3}, {1, 1, 2}), std::sqrt(3.0) / 2.0, 1e-12);
}

// [SECTION] Hungarian matching

TEST(Hungarian, SolvesSmallAssignmentOptimally) {
  // Classic 3x3: optimum 0->1, 1->0, 2->2 with cost 1+2+2 = 5 (hand enumeration of 6 perms).
  const auto a = hungarian({{4, 1, 3}, {2, 0, 5}, {3, 2, 2}});
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0], 1);
  EXPECT_EQ(a[1], 0);
  EXPECT_EQ(a[2], 2);
  // Rectangular both ways.
  EXPECT_EQ(hungarian({{5, 1, 9}}), (std::vector<int>{1}));
  EXPECT_EQ(hungarian({{5}, {1}, {9}}), (std::vector<int>{-1, 0, -1}));
}

TEST(Hungarian, BeatsGreedyOnBoxesWhereGreedyLosesAMatch) {
  // References R1=[30,130], R2=[70,170]; predictions P1=[40,140], P2=[0,100] (all 10 high).
  // IoU(P1,R1)=.818, IoU(P1,R2)=.538, IoU(P2,R1)=.538, IoU(P2,R2)=.176. Greedy takes P1-R1 first
  // and leaves P2 unmatched at 0.5; the optimal assignment matches both.
  const std::vector<Annotation> refs = {box(30, 0, 130, 10), box(70, 0, 170, 10)};
  const std::vector<Annotation> preds = {box(40, 0, 140, 10), box(0, 0, 100, 10)};
  EXPECT_NEAR(shapeIou(preds[0], refs[0]), 90.0 / 110.0, 1e-12);
  const auto m = matchByIou(preds, refs, 0.5, false);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].a, 0);
  EXPECT_EQ(m[0].b, 1);
  EXPECT_EQ(m[1].a, 1);
  EXPECT_EQ(m[1].b, 0);
  // Same-class matching refuses cross-class pairs.
  std::vector<Annotation> other = {box(30, 0, 130, 10, 2)};
  EXPECT_TRUE(matchByIou(other, refs, 0.5, true).empty());
}

TEST(Iou, PolygonAndRotatedBoxAgreeWithExactAreas) {
  Annotation tri;
  tri.kind = AnnotationKind::Polygon;
  tri.coords = {0, 0, 100, 0, 0, 100};  // area 5000, inside the 100x100 box
  const auto b = box(0, 0, 100, 100);
  EXPECT_NEAR(shapeIou(tri, b), 0.5, 0.01);
  Annotation rot;
  rot.kind = AnnotationKind::RotatedBox;
  rot.coords = {50, 50, 100, 100, 90};  // a square turned 90 degrees is itself
  EXPECT_NEAR(shapeIou(rot, b), 1.0, 0.01);
  Annotation mask;
  mask.kind = AnnotationKind::Mask;
  mask.coords = {0, 0, 4, 2};
  mask.dataJson = R"({"rle":[0,2,2,4]})";  // row 0: 2 fg, 2 bg; row 1: 4 fg -> area 6 of 8
  EXPECT_NEAR(shapeIou(mask, box(0, 0, 4, 2)), 6.0 / 8.0, 0.01);
  Annotation s1, s2;
  s1.kind = s2.kind = AnnotationKind::Span;
  s1.coords = {0, 10};
  s2.coords = {5, 15};
  EXPECT_NEAR(spanIou(s1, s2), 5.0 / 15.0, 1e-12);
}

// [SECTION] ISO 2859-1

TEST(Iso2859, Table1CodeLettersForEveryRowAndLevel) {
  struct Row {
    long long lot;
    const char* letters;  // I, II, III
  };
  const Row rows[] = {{2, "AAB"},      {8, "AAB"},         {9, "ABC"},          {15, "ABC"},   {16, "BCD"},
                      {25, "BCD"},     {26, "CDE"},        {50, "CDE"},         {51, "CEF"},   {90, "CEF"},
                      {91, "DFG"},     {150, "DFG"},       {151, "EGH"},        {280, "EGH"},  {281, "FHJ"},
                      {500, "FHJ"},    {501, "GJK"},       {1200, "GJK"},       {1201, "HKL"}, {3200, "HKL"},
                      {3201, "JLM"},   {10000, "JLM"},     {10001, "KMN"},      {35000, "KMN"},
                      {35001, "LNP"},  {150000, "LNP"},    {150001, "MPQ"},     {500000, "MPQ"},
                      {500001, "NQR"}, {10000000, "NQR"}};
  for (const auto& r : rows)
    for (int lv = 0; lv < 3; ++lv) {
      auto l = codeLetter(r.lot, static_cast<InspectionLevel>(lv));
      ASSERT_TRUE(l);
      EXPECT_EQ(*l, r.letters[lv]) << "lot " << r.lot << " level " << lv + 1;
    }
  EXPECT_FALSE(codeLetter(1, InspectionLevel::II));
}

TEST(Iso2859, Lot1000LevelIIGivesJ80AndPublishedAcRe) {
  auto l = codeLetter(1000, InspectionLevel::II);
  ASSERT_TRUE(l);
  EXPECT_EQ(*l, 'J');
  EXPECT_EQ(sampleSizeOf('J'), 80);
  auto p = planForLot(1000, InspectionLevel::II, 1.0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sampleSize, 80);
  EXPECT_EQ(p->accept, 2);
  EXPECT_EQ(p->reject, 3);
  p = planForLot(1000, InspectionLevel::II, 0.65);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->accept, 1);
  EXPECT_EQ(p->reject, 2);
}

TEST(Iso2859, EveryCodeLetterAtSeveralAqls) {
  // Expected Ac per letter for AQL 0.65, 1.0, 2.5, 4.0, 6.5 (Re = Ac + 1) with the sample size
  // of the plan actually used (arrows followed). Rows J..Q at AQL 0.65-15 match the published
  // level-II extract of Table 2-A (MIL-STD-105E / ISO 2859-1).
  struct Expect {
    double aql;
    int n;
    int ac;
  };
  const std::vector<std::pair<char, std::vector<Expect>>> table = {
      {'A', {{0.65, 20, 0}, {1.0, 13, 0}, {2.5, 5, 0}, {4.0, 3, 0}, {6.5, 2, 0}}},
      {'B', {{0.65, 20, 0}, {1.0, 13, 0}, {2.5, 5, 0}, {4.0, 3, 0}, {6.5, 2, 0}}},
      {'C', {{0.65, 20, 0}, {1.0, 13, 0}, {2.5, 5, 0}, {4.0, 3, 0}, {6.5, 8, 1}}},
      {'D', {{0.65, 20, 0}, {1.0, 13, 0}, {2.5, 5, 0}, {4.0, 13, 1}, {6.5, 8, 1}}},
      {'E', {{0.65, 20, 0}, {1.0, 13, 0}, {2.5, 20, 1}, {4.0, 13, 1}, {6.5, 13, 2}}},
      {'F', {{0.65, 20, 0}, {1.0, 13, 0}, {2.5, 20, 1}, {4.0, 20, 2}, {6.5, 20, 3}}},
      {'G', {{0.65, 20, 0}, {1.0, 50, 1}, {2.5, 32, 2}, {4.0, 32, 3}, {6.5, 32, 5}}},
      {'H', {{0.65, 80, 1}, {1.0, 50, 1}, {2.5, 50, 3}, {4.0, 50, 5}, {6.5, 50, 7}}},
      {'J', {{0.65, 80, 1}, {1.0, 80, 2}, {2.5, 80, 5}, {4.0, 80, 7}, {6.5, 80, 10}}},
      {'K', {{0.65, 125, 2}, {1.0, 125, 3}, {2.5, 125, 7}, {4.0, 125, 10}, {6.5, 125, 14}}},
      {'L', {{0.65, 200, 3}, {1.0, 200, 5}, {2.5, 200, 10}, {4.0, 200, 14}, {6.5, 200, 21}}},
      {'M', {{0.65, 315, 5}, {1.0, 315, 7}, {2.5, 315, 14}, {4.0, 315, 21}, {6.5, 200, 21}}},
      {'N', {{0.65, 500, 7}, {1.0, 500, 10}, {2.5, 500, 21}, {4.0, 315, 21}, {6.5, 200, 21}}},
      {'P', {{0.65, 800, 10}, {1.0, 800, 14}, {2.5, 500, 21}, {4.0, 315, 21}, {6.5, 200, 21}}},
      {'Q', {{0.65, 1250, 14}, {1.0, 1250, 21}, {2.5, 500, 21}, {4.0, 315, 21}, {6.5, 200, 21}}},
      {'R', {{0.65, 2000, 21}, {1.0, 1250, 21}, {2.5, 500, 21}, {4.0, 315, 21}, {6.5, 200, 21}}},
  };
  for (const auto& [letter, expects] : table)
    for (const auto& e : expects) {
      auto p = planFor(letter, e.aql);
      ASSERT_TRUE(p) << letter << " " << e.aql;
      EXPECT_EQ(p->sampleSize, e.n) << letter << " @ " << e.aql;
      EXPECT_EQ(p->accept, e.ac) << letter << " @ " << e.aql;
      EXPECT_EQ(p->reject, e.ac + 1) << letter << " @ " << e.aql;
    }
}

TEST(Iso2859, ArrowsAreFollowedToTheRightLetter) {
  // Up arrow: J at AQL 0.25 -> H (n=50) 0/1. Down arrow: J at AQL 0.40 -> K (n=125) 1/2.
  auto up = planFor('J', 0.25);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->planLetter, 'H');
  EXPECT_EQ(up->sampleSize, 50);
  EXPECT_EQ(up->accept, 0);
  auto down = planFor('J', 0.40);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->planLetter, 'K');
  EXPECT_EQ(down->sampleSize, 125);
  EXPECT_EQ(down->accept, 1);
  // Long down arrow at the smallest AQL: A at 0.010 -> Q (n=1250) 0/1.
  auto far = planFor('A', 0.010);
  ASSERT_TRUE(far);
  EXPECT_EQ(far->planLetter, 'Q');
  EXPECT_EQ(far->sampleSize, 1250);
  // Up arrow past the 21/22 diagonal: R at AQL 1.0 -> Q (n=1250) 21/22.
  auto past = planFor('R', 1.0);
  ASSERT_TRUE(past);
  EXPECT_EQ(past->planLetter, 'Q');
  EXPECT_EQ(past->accept, 21);
  // Top-right corner: A at AQL 1000 -> 30/31; B -> 44/45; C points up to B.
  EXPECT_EQ(planFor('A', 1000)->accept, 30);
  EXPECT_EQ(planFor('B', 1000)->accept, 44);
  EXPECT_EQ(planFor('C', 1000)->planLetter, 'B');
  // AQL 10 at A: the 0/1 diagonal's up arrow has nothing above; the first plan below is C 1/2.
  EXPECT_EQ(planFor('A', 10)->planLetter, 'C');
  EXPECT_EQ(planFor('A', 10)->accept, 1);
}

// Every code letter at the corner columns of Table 2-A. Expected values are read off the
// master table, MIL-STD-105E Table II-A (10 May 1989, page 19 of 74 of the public "legible
// copy"), which is the same table as ISO 2859-1 Table 2-A and ANSI/ASQ Z1.4 Table II-A, and were
// cross-checked cell by cell with the resolved tables of the CRAN package AQLSchemes (J. Lawson).
// Written as the plan each letter ends on: sample size n and Ac (Re = Ac + 1).
TEST(Iso2859, EveryCodeLetterAtTheCornerColumnsOfTheMasterTable) {
  struct Cell {
    double aql;
    const char* planLetters;  // plan letter for A B C D E F G H J K L M N P Q R
    std::vector<int> ac;      // Ac for the same 16 letters
  };
  const std::string letters = "ABCDEFGHJKLMNPQR";
  const std::vector<Cell> cells = {
      // Smallest AQLs: long down-arrows to Q (0/1); R@0.010 points up to Q.
      {0.010, "QQQQQQQQQQQQQQQQ", std::vector<int>(16, 0)},
      // R@0.015 has no row below: the table prints an up-arrow to P, like Q's.
      {0.015, "PPPPPPPPPPPPPPPP", std::vector<int>(16, 0)},
      // A@10 is an up-arrow with nothing above: the first plan below, C 1/2. Rows below K
      // point up to K 21/22.
      {10, "CCCDEFGHJKKKKKKK", {1, 1, 1, 2, 3, 5, 7, 10, 14, 21, 21, 21, 21, 21, 21, 21}},
      // Rows F-R stop at 21/22: J@25 and below point up to H (n = 50) 21/22, not to 30/31.
      {25, "ABCDEFGHHHHHHHHH", {1, 2, 3, 5, 7, 10, 14, 21, 21, 21, 21, 21, 21, 21, 21, 21}},
      {40, "ABCDEFGGGGGGGGGG", {2, 3, 5, 7, 10, 14, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21}},
      {100, "ABCDEEEEEEEEEEEE", {5, 7, 10, 14, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21}},
      // 30/31 and 44/45 appear only in rows A-E.
      {150, "ABCDEEEEEEEEEEEE", {7, 10, 14, 21, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30}},
      {250, "ABCDEEEEEEEEEEEE", {10, 14, 21, 30, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44}},
      {1000, "ABBBBBBBBBBBBBBB", {30, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44}},
  };
  for (const auto& c : cells)
    for (std::size_t i = 0; i < letters.size(); ++i) {
      const char letter = letters[i];
      auto p = planFor(letter, c.aql);
      ASSERT_TRUE(p) << letter << " @ " << c.aql << ": " << p.error().message;
      EXPECT_EQ(p->tableLetter, letter);
      EXPECT_EQ(p->planLetter, c.planLetters[i]) << letter << " @ " << c.aql;
      EXPECT_EQ(p->sampleSize, sampleSizeOf(c.planLetters[i])) << letter << " @ " << c.aql;
      EXPECT_EQ(p->accept, c.ac[i]) << letter << " @ " << c.aql;
      EXPECT_EQ(p->reject, c.ac[i] + 1) << letter << " @ " << c.aql;
    }
  // The two corners by name, with the sample sizes a reviewer would draw.
  EXPECT_EQ(planFor('A', 10)->sampleSize, 5);
  EXPECT_EQ(planFor('R', 0.015)->sampleSize, 800);
  EXPECT_EQ(planFor('J', 25)->sampleSize, 50);
  EXPECT_EQ(planFor('E', 150)->accept, 30);
  EXPECT_EQ(planFor('F', 150)->sampleSize, 13);
}

TEST(Iso2859, SmallLotIsFullyInspectedAndBadAqlIsRefused) {
  auto p = planForLot(10, InspectionLevel::II, 0.65);  // B -> arrow down to F (n=20) > lot
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->hundredPercent);
  EXPECT_EQ(p->sampleSize, 10);
  auto bad = planForLot(1000, InspectionLevel::II, 3.0);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("2.5"), std::string::npos);
}
