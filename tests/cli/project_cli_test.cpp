// End-to-end tests of the project commands: run the real CLI, then look in the project file.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <fstream>

#include "support/test_support.h"

using lb::test::run;

namespace {
std::string cli() { return lb::test::cliPath(); }
}  // namespace

TEST(ProjectCli, CreateUsersSchemaAssignStatusAndExport) {
  lb::test::TempDir dir;
  const std::string p = dir.file("work.lbproj");
  std::ofstream(dir.file("schema.json")) << R"({"classes":[{"name":"car","hotkey":"1","color":"#ff0000"},
    {"name":"person","scope":"object","attributes":[{"name":"occluded","type":"bool","required":true}]}],
    "reject_reasons":["wrong class","box too loose"]})";
  auto created = run(cli() + " create " + p + " --schema " + dir.file("schema.json"));
  ASSERT_EQ(created.exitCode, 0) << created.output;

  ASSERT_EQ(run(cli() + " user add " + p + " ann --role annotator").exitCode, 0);
  ASSERT_EQ(run(cli() + " user add " + p + " rev --role reviewer").exitCode, 0);
  auto dup = run(cli() + " user add " + p + " ann");
  EXPECT_EQ(dup.exitCode, 6);
  EXPECT_NE(dup.output.find("already a user named 'ann'"), std::string::npos) << dup.output;

  // Three real images through the import command, then hand two to ann.
  const std::string images = dir.file("images");
  std::filesystem::create_directory(images);
  for (const char* f : {"fruits.jpg", "baboon.jpg", "HappyFish.jpg"}) {
    ASSERT_TRUE(std::filesystem::exists(lb::test::opencvSample(f))) << f;
      std::filesystem::copy_file(lb::test::opencvSample(f), images + "/" + f);
  }
  auto imported = run(cli() + " import images " + p + " " + images);
  ASSERT_EQ(imported.exitCode, 0) << imported.output;
  auto assigned = run(cli() + " assign " + p + " ann --count 2");
  ASSERT_EQ(assigned.exitCode, 0) << assigned.output;
  EXPECT_NE(assigned.output.find("assigned 2 items to ann"), std::string::npos);
  auto again = run(cli() + " assign " + p + " rev --unassigned");
  EXPECT_NE(again.output.find("assigned 1 items to rev"), std::string::npos) << again.output;

  ASSERT_EQ(run(cli() + " schema add-class " + p + " bike --hotkey 3").exitCode, 0);
  auto badClass = run(cli() + " schema add-class " + p + " car");
  EXPECT_EQ(badClass.exitCode, 6);

  auto status = run(cli() + " status " + p + " --json");
  ASSERT_EQ(status.exitCode, 0) << status.output;
  EXPECT_NE(status.output.find("\"ann\": 2"), std::string::npos) << status.output;

  ASSERT_EQ(run(cli() + " settings set " + p + " idle_gap_ms 90000").exitCode, 0);
  auto got = run(cli() + " settings get " + p + " idle_gap_ms");
  EXPECT_EQ(got.output, "90000\n");
  auto badJson = run(cli() + " settings set " + p + " teams '{oops'");
  EXPECT_EQ(badJson.exitCode, 2);
  EXPECT_NE(badJson.output.find("not JSON"), std::string::npos);

  SQLite::Database db(p);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM classes").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM tasks t JOIN users u ON u.id = t.user_id WHERE u.name = 'ann'").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM items").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM thumbnails").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT value_json FROM settings WHERE key = 'idle_gap_ms'").getString(), "90000");

  auto exported = run(cli() + " export-json " + p + " " + dir.file("out.json"));
  ASSERT_EQ(exported.exitCode, 0) << exported.output;
  EXPECT_NE(exported.output.find("exported 3 items"), std::string::npos);
}

TEST(ProjectCli, BadProjectFilesGiveClearMessagesAndExitCodes) {
  lb::test::TempDir dir;
  auto missing = run(cli() + " status " + dir.file("none.lbproj"));
  EXPECT_EQ(missing.exitCode, 3);
  EXPECT_NE(missing.output.find("none.lbproj does not exist"), std::string::npos) << missing.output;

  std::ofstream(dir.file("notes.lbproj")) << "just some notes, not a database at all........................";
  auto notProject = run(cli() + " status " + dir.file("notes.lbproj"));
  EXPECT_EQ(notProject.exitCode, 4);
  EXPECT_NE(notProject.output.find("is not a LabelBench project"), std::string::npos) << notProject.output;

  ASSERT_EQ(run(cli() + " create " + dir.file("p.lbproj")).exitCode, 0);
  auto exists = run(cli() + " create " + dir.file("p.lbproj"));
  EXPECT_EQ(exists.exitCode, 6);
  EXPECT_NE(exists.output.find("already exists"), std::string::npos);

  auto noUser = run(cli() + " assign " + dir.file("p.lbproj") + " ghost");
  EXPECT_EQ(noUser.exitCode, 3);
  EXPECT_NE(noUser.output.find("no user named 'ghost'"), std::string::npos);
}
