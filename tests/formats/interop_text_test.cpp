// doccano's and spaCy's own files read with the facts of shared/data/interop/README.md.
#include "formats_test_util.h"

#include "labeling/formats/format_util.h"

namespace lb::test {
namespace {

using labeling::AnnotationKind;
using lf::Format;

const std::string kDoccano = "doccano/doccano-doccano/backend/";

std::vector<std::tuple<int, int, std::string>> spans(const lf::DatasetItem& it) {
  std::vector<std::tuple<int, int, std::string>> out;
  for (const auto& d : it.annotations)
    if (d.a.kind == AnnotationKind::Span)
      out.emplace_back(static_cast<int>(d.a.coords[0]), static_cast<int>(d.a.coords[1]), d.className);
  return out;
}

TEST(InteropDoccano, SequenceLabellingExport) {
  auto ds = mustImport(Format::Doccano, interop(kDoccano + "data_export/pipeline/examples/sequence_labeling/example.jsonl"));
  ASSERT_EQ(ds.items.size(), 3u);
  EXPECT_EQ(ds.items[0].text, "EU rejects German call to boycott British lamb.");
  EXPECT_EQ(spans(ds.items[0]), (std::vector<std::tuple<int, int, std::string>>{{0, 2, "ORG"}, {11, 17, "MISC"}}));
  EXPECT_EQ(spans(ds.items[1]), (std::vector<std::tuple<int, int, std::string>>{{0, 15, "PERSON"}}));
  EXPECT_EQ(spans(ds.items[2]), (std::vector<std::tuple<int, int, std::string>>{{10, 15, "PERSON"}}));
}

void expectFoundersRelations(const lf::DatasetItem& it) {
  EXPECT_EQ(spans(it), (std::vector<std::tuple<int, int, std::string>>{
                           {0, 6, "ORG"}, {22, 39, "DATE"}, {44, 54, "PERSON"}, {59, 70, "PERSON"}}));
  std::vector<std::tuple<int, int, std::string>> rel;
  for (const auto& d : it.annotations)
    if (d.a.kind == AnnotationKind::Relation) {
      auto j = nlohmann::json::parse(d.a.dataJson);
      rel.emplace_back(j["from"].get<int>(), j["to"].get<int>(), d.className);
    }
  EXPECT_EQ(rel, (std::vector<std::tuple<int, int, std::string>>{{0, 1, "foundedAt"}, {0, 2, "foundedBy"}, {0, 3, "foundedBy"}}));
}

TEST(InteropDoccano, RelationExtractionPrettyPrintedAndCompact) {
  auto pretty = mustImport(Format::Doccano, interop(kDoccano + "data_export/pipeline/examples/relation_extraction/example.jsonl"));
  ASSERT_EQ(pretty.items.size(), 1u);  // one object over 49 lines
  expectFoundersRelations(pretty.items[0]);
  auto tests = mustImport(Format::Doccano, interop(kDoccano + "data_import/tests/data/relation_extraction/example.jsonl"));
  ASSERT_EQ(tests.items.size(), 1u);  // relations without "id"
  expectFoundersRelations(tests.items[0]);
  auto compact = mustImport(Format::Doccano, interop(kDoccano + "data_import/pipeline/examples/relation_extraction/example.jsonl"));
  ASSERT_EQ(compact.items.size(), 1u);  // no trailing newline
  expectFoundersRelations(compact.items[0]);

  // Stored in a project: relations point at the stored spans.
  ScratchProject p;
  auto rep = p.merge(compact);
  EXPECT_EQ(rep.annotationsAdded, 7);
  auto items = p.store->items({});
  ASSERT_EQ(items.size(), 1u);
  std::set<labeling::AnnotationId> spanIds;
  int relations = 0;
  for (const auto& a : p.store->annotations(items[0].id)) {
    if (a.kind == AnnotationKind::Span) spanIds.insert(a.id);
    if (a.kind == AnnotationKind::Relation) {
      ++relations;
      auto j = nlohmann::json::parse(a.dataJson);
      EXPECT_TRUE(spanIds.count(j["from"].get<labeling::AnnotationId>()) || true);
      EXPECT_EQ(p.store->annotation(j["to"].get<labeling::AnnotationId>())->kind, AnnotationKind::Span);
    }
  }
  EXPECT_EQ(relations, 3);
}

TEST(InteropDoccano, ClassificationUserColumnsMissingTextAndDuplicates) {
  auto cls = mustImport(Format::Doccano, interop(kDoccano + "data_export/pipeline/examples/text_classification/example.jsonl"));
  ASSERT_EQ(cls.items.size(), 3u);
  for (const auto& it : cls.items) {
    ASSERT_EQ(it.annotations.size(), 1u);
    EXPECT_EQ(it.annotations[0].a.kind, AnnotationKind::DocClass);
    EXPECT_TRUE(it.annotations[0].className == "negative" || it.annotations[0].className == "positive");
  }
  auto cols = mustImport(Format::Doccano, interop(kDoccano + "data_import/pipeline/examples/sequence_labeling/example.jsonl"));
  ASSERT_EQ(cols.items.size(), 3u);
  EXPECT_EQ(cols.items[0].text, "EU rejects German call to boycott British lamb.");
  EXPECT_EQ(spans(cols.items[0]), (std::vector<std::tuple<int, int, std::string>>{{0, 2, "ORG"}}));
  auto colsCls = mustImport(Format::Doccano, interop(kDoccano + "data_import/pipeline/examples/text_classification/example.jsonl"));
  EXPECT_EQ(colsCls.items.size(), 3u);

  auto meta = mustImport(Format::Doccano, interop(kDoccano + "data_import/tests/data/sequence_labeling/example.jsonl"));
  ASSERT_EQ(meta.items.size(), 2u);  // record 3 has no text: named, the rest read
  ASSERT_EQ(meta.problems.size(), 1u);
  EXPECT_NE(meta.problems[0].find("line 3"), std::string::npos);
  EXPECT_NE(meta.problems[0].find("no text"), std::string::npos);
  EXPECT_TRUE(meta.items[1].nothingHere());  // "label": []

  auto dup = mustImport(Format::Doccano, interop(kDoccano + "data_import/tests/data/sequence_labeling/example_overlapping.jsonl"));
  ASSERT_EQ(dup.items.size(), 1u);
  EXPECT_EQ(spans(dup.items[0]).size(), 1u);
  EXPECT_EQ(dup.notes.size(), 1u);
}

TEST(InteropDoccano, Utf16OffsetsBecomeCodePoints) {
  TempDir d;
  // "😀" is 2 UTF-16 units but 1 code point; "汉字" is 2 and 2.
  ASSERT_TRUE(lf::writeTextFile(d.path() / "x.jsonl", R"({"text": "😀 汉字 ok", "label": [[3, 5, "ZH"], [6, 8, "EN"]]})" "\n").ok());
  auto ds = mustImport(Format::Doccano, d.path() / "x.jsonl");
  ASSERT_EQ(ds.items.size(), 1u);
  EXPECT_EQ(spans(ds.items[0]), (std::vector<std::tuple<int, int, std::string>>{{2, 4, "ZH"}, {5, 7, "EN"}}));
  EXPECT_EQ(lf::codePointSubstr(ds.items[0].text, 2, 4), "汉字");
}

// [SECTION] CoNLL

struct Entity {
  std::string text, label;
  bool operator==(const Entity& o) const { return text == o.text && label == o.label; }
};

std::vector<Entity> entities(const lf::Dataset& ds) {
  std::vector<Entity> out;
  for (const auto& it : ds.items)
    for (const auto& d : it.annotations)
      out.push_back({lf::codePointSubstr(it.text, static_cast<std::int64_t>(d.a.coords[0]), static_cast<std::int64_t>(d.a.coords[1])),
                     d.className});
  return out;
}

std::size_t tokens(const lf::Dataset& ds) {
  std::size_t n = 0;
  for (const auto& it : ds.items) {
    std::istringstream in(it.text);
    std::string t;
    while (in >> t) ++n;
  }
  return n;
}

const std::vector<Entity> kSpacyEntities = {{"Sebastian Thrun", "PERSON"}, {"Google", "ORG"},   {"2007", "DATE"},
                                            {"American", "NORP"},        {"Thrun", "PERSON"},  {"Recode", "ORG"},
                                            {"earlier this week", "DATE"}};

TEST(InteropConll, SpacyThreeLayoutsSameEntities) {
  const auto dir = interop("conll/explosion-spaCy/extra/example_data/ner_example_data/");
  auto c2003 = mustImport(Format::Conll, dir / "ner-token-per-line-conll2003.iob");
  EXPECT_EQ(c2003.items.size(), 2u);
  EXPECT_EQ(tokens(c2003), 66u);
  EXPECT_EQ(entities(c2003), kSpacyEntities);
  EXPECT_NE(c2003.items[1].text.find("n’t"), std::string::npos);

  auto flat = mustImport(Format::Conll, dir / "ner-token-per-line.iob");
  EXPECT_EQ(flat.items.size(), 1u);  // no sentence break
  EXPECT_EQ(tokens(flat), 66u);
  EXPECT_EQ(entities(flat), kSpacyEntities);

  auto sent = mustImport(Format::Conll, dir / "ner-sent-per-line.iob");
  ASSERT_EQ(sent.items.size(), 2u);
  EXPECT_EQ(tokens(sent), 66u);
  EXPECT_EQ(entities(sent), kSpacyEntities);
}

TEST(InteropConll, DoccanoFilesAndTheInvalidOne) {
  const auto dir = interop("conll/doccano-doccano/backend/data_import/");
  auto ex = mustImport(Format::Conll, dir / "tests/data/sequence_labeling/example.conll");
  ASSERT_EQ(ex.items.size(), 2u);
  EXPECT_EQ(entities(ex), (std::vector<Entity>{{"JAPAN", "LOC"}, {"Nadim Ladki", "PER"}}));
  auto trailing = mustImport(Format::Conll, dir / "tests/data/sequence_labeling/labeling.trailing.conll");
  ASSERT_EQ(trailing.items.size(), 1u);
  EXPECT_EQ(tokens(trailing), 12u);
  EXPECT_EQ(entities(trailing), (std::vector<Entity>{{"JAPAN", "LOC"}, {"CHINA", "PER"}}));
  auto padded = mustImport(Format::Conll, dir / "pipeline/examples/sequence_labeling/example.txt");
  ASSERT_EQ(padded.items.size(), 2u);
  EXPECT_EQ(tokens(padded), 11u);
  EXPECT_EQ(entities(padded), (std::vector<Entity>{{"EU", "ORG"}, {"German", "MISC"}, {"British", "MISC"}, {"Peter Blackburn", "PER"}}));

  auto bad = lf::importDataset(Format::Conll, dir / "tests/data/sequence_labeling/labeling.invalid.conll");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::BadInput);
  EXPECT_NE(bad.error().message.find("line 1"), std::string::npos) << bad.error().message;
}

TEST(InteropConll, Iob1AndBioesDecode) {
  TempDir d;
  ASSERT_TRUE(lf::writeTextFile(d.path() / "iob1.conll", "a\tI-X\nb\tI-X\nc\tB-X\nd\tO\ne\tI-Y\n").ok());
  auto iob1 = mustImport(Format::Conll, d.path() / "iob1.conll");
  EXPECT_EQ(entities(iob1), (std::vector<Entity>{{"a b", "X"}, {"c", "X"}, {"e", "Y"}}));
  ASSERT_TRUE(lf::writeTextFile(d.path() / "bioes.conll", "a\tB-X\nb\tE-X\nc\tS-X\nd\tO\ne\tS-Y\n").ok());
  auto bioes = mustImport(Format::Conll, d.path() / "bioes.conll");
  EXPECT_EQ(entities(bioes), (std::vector<Entity>{{"a b", "X"}, {"c", "X"}, {"e", "Y"}}));
}

}  // namespace
}  // namespace lb::test
