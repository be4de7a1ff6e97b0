// End to end: `labelbench-cli import texts|prompts`, then the rows in the project database.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <fstream>

#include "support/test_support.h"

namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

}  // namespace

TEST(CliText, ImportTextsFromGbkCsvAndJsonlThenCheckTheDatabase) {
  lb::test::TempDir dir;
  const std::string cli = lb::test::cliPath();
  const std::string proj = dir.file("p.lbproj");
  ASSERT_EQ(lb::test::run(cli + " create " + q(proj)).exitCode, 0);

  std::ofstream(dir.file("utf8.csv"), std::ios::binary) << "id,text\n1,\"第一条\n第二行\"\n2,普通的评论\n";
  ASSERT_EQ(lb::test::run("iconv -f UTF-8 -t GBK " + q(dir.file("utf8.csv")) + " > " + q(dir.file("gbk.csv"))).exitCode, 0);
  auto r = lb::test::run(cli + " import texts " + q(proj) + " " + q(dir.file("gbk.csv")) + " --mode csv --column text --batch reviews");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("2 imported, 0 already in project, 0 rejected"), std::string::npos) << r.output;

  std::ofstream(dir.file("d.jsonl"), std::ios::binary) << "{\"t\": \"good one\"}\n{broken\n{\"x\": 1}\n";
  r = lb::test::run(cli + " import texts " + q(proj) + " " + q(dir.file("d.jsonl")) + " --mode jsonl --field t");
  EXPECT_EQ(r.exitCode, 5) << r.output;  // some records were rejected
  EXPECT_NE(r.output.find("1 imported, 0 already in project, 2 rejected"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("d.jsonl:2: not valid JSON"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("d.jsonl:3: no field 't'"), std::string::npos) << r.output;

  // Re-running adds nothing.
  r = lb::test::run(cli + " import texts " + q(proj) + " " + q(dir.file("gbk.csv")) + " --mode csv --column text");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("0 imported, 2 already in project"), std::string::npos) << r.output;

  std::ofstream(dir.file("eval.jsonl"), std::ios::binary)
      << "{\"prompt\": \"翻译: hello\", \"responses\": [{\"model\": \"m1\", \"text\": \"你好\"}, {\"model\": \"m2\", \"text\": \"哈喽\"}]}\n";
  r = lb::test::run(cli + " import prompts " + q(proj) + " " + q(dir.file("eval.jsonl")) +
                    " --prompt-field prompt --responses-field responses");
  EXPECT_EQ(r.exitCode, 0) << r.output;

  SQLite::Database db(proj);
  SQLite::Statement items(db, "SELECT kind, text, source_encoding, length_cp, source_key, content_hash FROM items ORDER BY id");
  std::vector<std::tuple<std::string, std::string, std::string, int, std::string>> rows;
  while (items.executeStep())
    rows.emplace_back(items.getColumn(0).getString(), items.getColumn(1).getString(), items.getColumn(2).getString(),
                      items.getColumn(3).getInt(), items.getColumn(4).getString());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], std::make_tuple(std::string("text"), std::string("第一条\n第二行"), std::string("GB18030"), 7,
                                     std::string("gbk.csv#record=1")));
  EXPECT_EQ(std::get<1>(rows[1]), "普通的评论");
  EXPECT_EQ(std::get<1>(rows[2]), "good one");
  EXPECT_EQ(std::get<4>(rows[2]), "d.jsonl#line=1");
  EXPECT_EQ(std::get<0>(rows[3]), "prompt");
  EXPECT_EQ(std::get<1>(rows[3]), "翻译: hello");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM responses").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT text FROM responses WHERE idx = 1").getString(), "哈喽");
  EXPECT_EQ(db.execAndGet("SELECT source FROM responses WHERE idx = 0").getString(), "m1");
  EXPECT_EQ(db.execAndGet("SELECT name FROM batches ORDER BY id LIMIT 1").getString(), "reviews");
  EXPECT_EQ(db.execAndGet("SELECT length(content_hash) FROM items LIMIT 1").getInt(), 64);
}

TEST(CliText, BadOptionsExplainWhatToDo) {
  lb::test::TempDir dir;
  const std::string cli = lb::test::cliPath();
  const std::string proj = dir.file("p.lbproj");
  ASSERT_EQ(lb::test::run(cli + " create " + q(proj)).exitCode, 0);
  std::ofstream(dir.file("e.jsonl")) << "{\"prompt\": \"x\", \"a\": \"1\", \"b\": \"2\"}\n";
  auto r = lb::test::run(cli + " import prompts " + q(proj) + " " + q(dir.file("e.jsonl")));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_NE(r.output.find("--responses-field"), std::string::npos) << r.output;
  r = lb::test::run(cli + " import prompts " + q(proj) + " " + q(dir.file("e.jsonl")) + " --response-field a --response-field b");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  r = lb::test::run(cli + " import texts " + q(proj) + " " + q(dir.file("none.txt")));
  EXPECT_EQ(r.exitCode, 5) << r.output;
  EXPECT_NE(r.output.find("none.txt"), std::string::npos) << r.output;
}
