// The command a user types, end to end: exit codes, the summary line, the rows in the project;
// and an import killed (SIGKILL) at random moments leaves a project that opens and holds only
// whole items.
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "import/import_fixtures.h"
#include "labeling/store/project_store.h"
#include "support/test_support.h"

namespace lb::test {
namespace {

namespace fs = std::filesystem;

std::string q(const std::string& s) { return "'" + s + "'"; }

TEST(CliImport, ImportsReportsRejectionsAndSetsTheExitCode) {
  TempDir dir;
  const std::string project = dir.file("work.lbproj");
  ASSERT_EQ(run(cliPath() + " create " + q(project)).exitCode, 0);
  writeSamplePhoto(dir.path() / "in" / "a.jpg", 800, 600, 0);
  writeSamplePhoto(dir.path() / "in" / "sub" / "b.png", 800, 600, 1);
  writeBytes(dir.path() / "in" / "empty.jpg", {});

  auto r = run(cliPath() + " import images " + q(project) + " " + q(dir.file("in")) + " --batch first --threads 2");
  EXPECT_EQ(r.exitCode, 5) << r.output;  // some rejected, others imported
  EXPECT_NE(r.output.find("2 imported, 0 already in project, 1 rejected"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("empty.jpg"), std::string::npos) << r.output;
  EXPECT_EQ(queryInt(project, "SELECT count(*) FROM items"), 2);
  EXPECT_EQ(queryInt(project, "SELECT count(*) FROM thumbnails"), 2);
  EXPECT_EQ(queryInt(project, "SELECT count(DISTINCT item_id) FROM signals"), 2);
  EXPECT_EQ(queryText(project, "SELECT name FROM batches"), "first");
  EXPECT_EQ(queryText(project, "SELECT media_path FROM items ORDER BY id LIMIT 1"), "in/a.jpg");
  EXPECT_EQ(queryInt(project, "SELECT width_px FROM items ORDER BY id LIMIT 1"), 800);

  writeSamplePhoto(dir.path() / "more" / "c.jpg", 640, 480, 2);
  r = run(cliPath() + " import images " + q(project) + " " + q(dir.file("more")) + " " + q(dir.file("in/a.jpg")));
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("1 imported, 1 already in project, 0 rejected"), std::string::npos) << r.output;
  EXPECT_EQ(queryInt(project, "SELECT count(*) FROM items"), 3);
}

TEST(CliImport, UsageErrorsSayWhatToDo) {
  TempDir dir;
  auto r = run(cliPath() + " import images " + q(dir.file("missing.lbproj")) + " " + q(dir.file("x")));
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("missing.lbproj"), std::string::npos) << r.output;
  r = run(cliPath() + " import");
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("--help"), std::string::npos) << r.output;
  r = run(cliPath() + " import --help");
  EXPECT_NE(r.output.find("images"), std::string::npos) << r.output;
  r = run(cliPath() + " import images --help");
  EXPECT_NE(r.output.find("--video-step"), std::string::npos) << r.output;
}

// Starts the CLI import in a child process; returns its pid.
pid_t startImport(const std::string& project, const std::string& folder) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
    const std::string cli = cliPath();
    execl(cli.c_str(), cli.c_str(), "import", "images", project.c_str(), folder.c_str(), "--threads", "2",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

void expectConsistent(const std::string& project, int round) {
  auto opened = labeling::openProject(project);
  ASSERT_TRUE(opened.ok()) << "round " << round << ": " << opened.error().message;
  opened.value().reset();
  EXPECT_EQ(queryText(project, "PRAGMA integrity_check"), "ok") << "round " << round;
  EXPECT_EQ(queryInt(project, "SELECT count(*) FROM items WHERE id NOT IN (SELECT item_id FROM thumbnails)"), 0)
      << "round " << round << ": an item without its thumbnail";
  EXPECT_EQ(queryInt(project, "SELECT count(*) FROM items WHERE id NOT IN "
                              "(SELECT item_id FROM signals WHERE key = 'phash')"),
            0)
      << "round " << round << ": an item without its signals";
  EXPECT_EQ(queryInt(project, "SELECT count(*) FROM items WHERE content_hash = '' OR width_px = 0"), 0);
}

TEST(CliImport, KilledImportLeavesAConsistentProjectAndCanBeResumed) {
  TempDir dir;
  const std::string project = dir.file("work.lbproj");
  ASSERT_EQ(run(cliPath() + " create " + q(project)).exitCode, 0);
  const int kImages = 120;
  for (int i = 0; i < kImages; ++i)
    writeSamplePhoto(dir.path() / "in" / ("img" + std::to_string(1000 + i) + ".jpg"), 1280, 960, i);

  std::mt19937 rng(20240607);  // fixed: the same kill moments on every run
  std::uniform_int_distribution<int> delay_ms(50, 800);
  std::int64_t before = 0;
  for (int round = 0; round < 6; ++round) {
    const pid_t pid = startImport(project, dir.file("in"));
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    expectConsistent(project, round);
    const auto now = queryInt(project, "SELECT count(*) FROM items");
    EXPECT_GE(now, before);  // committed items survive every kill
    before = now;
  }
  // Finishing the job afterwards imports exactly what is missing.
  auto r = run(cliPath() + " import images " + q(project) + " " + q(dir.file("in")));
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_EQ(queryInt(project, "SELECT count(*) FROM items"), kImages);
  EXPECT_EQ(queryInt(project, "SELECT count(DISTINCT source_key) FROM items"), kImages);
  expectConsistent(project, 99);
}

}  // namespace
}  // namespace lb::test
