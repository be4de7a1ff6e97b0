// Text import: rows a user would see in the project after importing TXT, JSONL, CSV/TSV and
// prompt files, including bad records and re-imports.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <fstream>

#include "labeling/import/text_import.h"
#include "support/test_support.h"

using namespace lb::labeling;

namespace {

struct Fixture {
  lb::test::TempDir dir;
  std::unique_ptr<ProjectStore> store;
  Fixture() {
    auto s = createProject(dir.file("p.lbproj"));
    EXPECT_TRUE(s) << s.error().message;
    store = std::move(*s);
  }
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string p = dir.file(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  // Every item, read one by one as the labelling view does (lists leave responses out).
  std::vector<Item> texts() const {
    ItemFilter f;
    f.includeExcluded = true;
    std::vector<Item> out;
    for (ItemId id : store->itemIds(f)) out.push_back(*store->item(id));
    return out;
  }
};

TextImportOptions mode(TextImportMode m) {
  TextImportOptions o;
  o.mode = m;
  return o;
}

}  // namespace

TEST(TextImport, LinesSkipBlankLinesRecordKeysAndReimportAddsOnlyNew) {
  Fixture fx;
  const auto file = fx.write("a.txt", "第一条\r\n\r\nsecond line\r\n  \r\nthird 😀\r\n");
  auto r = importTexts(*fx.store, {file}, mode(TextImportMode::Lines));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 3);
  EXPECT_TRUE(r->rejected.empty());
  const auto items = fx.texts();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, ItemKind::Text);
  EXPECT_EQ(items[0].text, "第一条");  // CR stripped
  EXPECT_EQ(items[0].sourceKey, "a.txt#line=1");
  EXPECT_EQ(items[1].sourceKey, "a.txt#line=3");
  EXPECT_EQ(items[2].text, "third 😀");
  EXPECT_EQ(items[2].lengthCodePoints, 7);
  EXPECT_EQ(items[2].sourceEncoding, "UTF-8");
  // SHA-256 of "第一条" (checked with sha256sum).
  EXPECT_EQ(items[0].contentHash, sha256Hex("第一条"));
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  // Append a line and import again: only the new line comes in.
  fx.write("a.txt", "第一条\r\n\r\nsecond line\r\n  \r\nthird 😀\r\nfourth\r\n");
  auto again = importTexts(*fx.store, {file}, mode(TextImportMode::Lines));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->imported, 1);
  EXPECT_EQ(again->alreadyInProject, 3);
  EXPECT_EQ(fx.texts().size(), 4u);
}

TEST(TextImport, WholeFileModeNormalisesToNfcAndLf) {
  Fixture fx;
  const auto file = fx.write("doc.txt", "Cafe\xCC\x81 au lait\r\nzweite Zeile\r\n");
  auto r = importTexts(*fx.store, {file}, mode(TextImportMode::File));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->imported, 1);
  const auto it = fx.texts().at(0);
  EXPECT_EQ(it.text, "Caf\xC3\xA9 au lait\nzweite Zeile\n");
  EXPECT_EQ(it.lengthCodePoints, 26);
  EXPECT_EQ(it.sourceKey, "doc.txt");
}

TEST(TextImport, GbkAndUtf16FilesAreStoredAsUtf8WithTheirEncodingRecorded) {
  Fixture fx;
  const std::string utf8 = "你好，世界\n今天天气很好\n";
  const auto src = fx.write("src.txt", utf8);
  ASSERT_EQ(lb::test::run("iconv -f UTF-8 -t GBK " + src + " > " + fx.dir.file("gbk.txt")).exitCode, 0);
  ASSERT_EQ(lb::test::run("iconv -f UTF-8 -t UTF-16 " + src + " > " + fx.dir.file("u16.txt")).exitCode, 0);
  auto r = importTexts(*fx.store, {fx.dir.file("gbk.txt"), fx.dir.file("u16.txt")}, mode(TextImportMode::Lines));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 4);
  const auto items = fx.texts();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].text, "你好，世界");
  EXPECT_EQ(items[0].sourceEncoding, "GB18030");
  EXPECT_EQ(items[0].lengthCodePoints, 5);
  EXPECT_EQ(items[3].text, "今天天气很好");
  EXPECT_EQ(items[3].sourceEncoding.rfind("UTF-16", 0), 0u) << items[3].sourceEncoding;
}

TEST(TextImport, JsonlChosenFieldWithDottedPathAndBadLinesReportedByNumber) {
  Fixture fx;
  const auto file = fx.write("d.jsonl",
                             "{\"id\": 1, \"data\": {\"content\": \"北京欢迎你\"}}\n"
                             "{\"id\": 2, \"data\": {\"content\": \"second\"}}\n"
                             "this is not json\n"
                             "\n"
                             "{\"id\": 4, \"data\": {}}\n"
                             "{\"id\": 5, \"data\": {\"content\": 42}}\n"
                             "{\"id\": 6, \"data\": {\"content\": \"sixth \\u00e9\"}}\n");
  auto opts = mode(TextImportMode::Jsonl);
  opts.field = "data.content";
  auto r = importTexts(*fx.store, {file}, opts);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 3);
  ASSERT_EQ(r->rejected.size(), 3u);
  EXPECT_EQ(r->rejected[0].line, 3);
  EXPECT_NE(r->rejected[0].reason.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(r->rejected[1].line, 5);
  EXPECT_NE(r->rejected[1].reason.find("no field 'data.content'"), std::string::npos);
  EXPECT_EQ(r->rejected[2].line, 6);
  EXPECT_NE(r->rejected[2].reason.find("not text"), std::string::npos);
  EXPECT_EQ(r->rejected[2].describe().rfind(file + ":6: ", 0), 0u);
  const auto items = fx.texts();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].text, "北京欢迎你");
  EXPECT_EQ(items[2].text, "sixth \xC3\xA9");
  EXPECT_EQ(items[2].sourceKey, "d.jsonl#line=7");
}

TEST(TextImport, CsvWithQuotedNewlinesDoubledQuotesAndChosenColumn) {
  Fixture fx;
  const auto file = fx.write("t.csv",
                             "id,review,stars\r\n"
                             "1,\"Great phone.\r\nBattery lasts \"\"forever\"\".\",5\r\n"
                             "2,普通,3\r\n"
                             "3\r\n"
                             "4,\"a, b, and c\",4\r\n");
  auto opts = mode(TextImportMode::Csv);
  opts.column = "review";
  auto r = importTexts(*fx.store, {file}, opts);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 3);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].line, 5);  // record 3 starts on line 5 (record 1 spans two lines)
  EXPECT_NE(r->rejected[0].reason.find("column 2 is missing"), std::string::npos);
  const auto items = fx.texts();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].text, "Great phone.\nBattery lasts \"forever\".");
  EXPECT_EQ(items[0].sourceKey, "t.csv#record=1");
  EXPECT_EQ(items[1].text, "普通");
  EXPECT_EQ(items[2].text, "a, b, and c");
  EXPECT_EQ(items[2].sourceKey, "t.csv#record=4");

  // By number, and an unknown column name rejects the file with the columns listed.
  opts.column = "nope";
  auto bad = importTexts(*fx.store, {file}, opts);
  ASSERT_TRUE(bad);
  ASSERT_EQ(bad->rejected.size(), 1u);
  EXPECT_NE(bad->rejected[0].reason.find("columns: id, review, stars"), std::string::npos);
}

TEST(TextImport, TsvWithoutHeaderByColumnNumberAndUnclosedQuote) {
  Fixture fx;
  const auto file = fx.write("t.tsv", "a\tfirst text\nb\tsecond \"quoted\" word\nc\t\"never closed\nstill going\n");
  auto opts = mode(TextImportMode::Tsv);
  opts.header = false;
  opts.column = "2";
  auto r = importTexts(*fx.store, {file}, opts);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 2);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].line, 3);
  EXPECT_NE(r->rejected[0].reason.find("never closed"), std::string::npos);
  EXPECT_EQ(fx.texts().at(1).text, "second \"quoted\" word");

  opts.column = "text";
  auto bad = importTexts(*fx.store, {file}, opts);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, lb::ErrorCode::InvalidArgument);
}

TEST(TextImport, UndecodableAndBrokenFilesAreReportedByNameAndTheRestGoesOn) {
  Fixture fx;
  std::string binary;
  for (int i = 0; i < 400; ++i) binary.push_back(static_cast<char>((i * 7919) % 256));
  const auto bin = fx.write("binary.txt", binary);
  const auto empty = fx.write("empty.txt", "");
  std::string mixed;
  for (int i = 0; i < 12; ++i) mixed += "好的第" + std::to_string(i) + "行\n";
  mixed += "broken \xFF here\n";
  const auto mostlyUtf8 = fx.write("mixed.txt", mixed);
  const auto good = fx.write("good.txt", "fine\n");
  auto r = importTexts(*fx.store, {bin, empty, fx.dir.file("missing.txt"), mostlyUtf8, good}, mode(TextImportMode::Lines));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 13);
  ASSERT_EQ(r->rejected.size(), 4u);
  EXPECT_EQ(r->rejected[0].file, bin);
  EXPECT_NE(r->rejected[0].reason.find("not a text file"), std::string::npos);
  EXPECT_EQ(r->rejected[1].file, empty);
  EXPECT_NE(r->rejected[1].reason.find("empty"), std::string::npos);
  EXPECT_EQ(r->rejected[2].file, fx.dir.file("missing.txt"));
  EXPECT_EQ(r->rejected[3].file, mostlyUtf8);
  EXPECT_EQ(r->rejected[3].line, 13);
  EXPECT_NE(r->rejected[3].reason.find("not valid UTF-8"), std::string::npos);
}

TEST(TextImport, PromptsWithResponseArrayOfObjectsAndOfStrings) {
  Fixture fx;
  const auto file = fx.write("eval.jsonl",
                             "{\"q\": \"什么是光合作用？\", \"answers\": [{\"model\": \"A\", \"content\": \"植物利用光能…\"}, "
                             "{\"model\": \"B\", \"content\": \"不知道\"}]}\n"
                             "{\"q\": \"2+2?\", \"answers\": [\"4\", \"5\", \"four\"]}\n"
                             "{\"q\": \"only one\", \"answers\": [\"x\"]}\n"
                             "{\"q\": \"no answers\"}\n");
  PromptImportOptions opts;
  opts.promptField = "q";
  opts.responsesField = "answers";
  opts.responseTextField = "content";
  auto r = importPrompts(*fx.store, {file}, opts);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 2);
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].line, 3);
  EXPECT_NE(r->rejected[0].reason.find("at least 2"), std::string::npos);
  EXPECT_EQ(r->rejected[1].line, 4);
  const auto items = fx.texts();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].kind, ItemKind::Prompt);
  EXPECT_EQ(items[0].text, "什么是光合作用？");
  ASSERT_EQ(items[0].responses.size(), 2u);
  EXPECT_EQ(items[0].responses[0].source, "A");
  EXPECT_EQ(items[0].responses[1].text, "不知道");
  ASSERT_EQ(items[1].responses.size(), 3u);
  EXPECT_EQ(items[1].responses[2].text, "four");
  EXPECT_EQ(items[1].responses[2].index, 2);
}

TEST(TextImport, PromptsWithOneFieldPerResponse) {
  Fixture fx;
  const auto file = fx.write("pair.jsonl", "{\"prompt\": \"写一首诗\", \"chosen\": \"床前明月光\", \"rejected\": \"不会\"}\n");
  PromptImportOptions opts;
  opts.responseFields = {"chosen", "rejected"};
  auto r = importPrompts(*fx.store, {file}, opts);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->imported, 1);
  const auto it = fx.texts().at(0);
  ASSERT_EQ(it.responses.size(), 2u);
  EXPECT_EQ(it.responses[0].source, "chosen");
  EXPECT_EQ(it.responses[1].text, "不会");
  // The hash covers the responses too: the same prompt with other answers is other content.
  EXPECT_NE(it.contentHash, sha256Hex("写一首诗"));

  PromptImportOptions both = opts;
  both.responsesField = "x";
  EXPECT_FALSE(importPrompts(*fx.store, {file}, both));
}

TEST(TextImport, FolderInputPicksFilesOfTheModeAndRecordsAnImportEvent) {
  Fixture fx;
  std::filesystem::create_directories(fx.dir.path() / "in" / "sub");
  fx.write("in/a.txt", "one\n");
  fx.write("in/sub/b.txt", "two\nthree\n");
  fx.write("in/skip.csv", "x,y\n");
  auto r = importTexts(*fx.store, {fx.dir.file("in")}, mode(TextImportMode::Lines));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 3);
  ASSERT_EQ(fx.store->batches().size(), 1u);
  EXPECT_EQ(fx.store->batches()[0].name, "in");
  EXPECT_EQ(fx.texts().at(2).sourceKey, "in/sub/b.txt#line=2");
  int importEvents = 0;
  (void)fx.store->forEachEvent([&](const Event& e) {
    if (e.action == "import") ++importEvents;
    return true;
  });
  EXPECT_EQ(importEvents, 1);
}
