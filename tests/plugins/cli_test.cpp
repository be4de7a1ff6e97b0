// End to end through labelbench-cli: plugin listing with refused plugins, an assist accepted into a
// project (recorded as assisted), and an exporter plugin writing what was accepted.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(PluginsCli, ListShowsLoadedAndRefusedPluginsWithReasons) {
  const std::string bad = std::string(LB_BINARY_DIR) + "/tests/plugins_bad";
  auto r = lb::test::run("LB_PLUGIN_PATH=" + bad + " " + lb::test::cliPath() + " plugins list");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("csv_boxes 1.0.0\tloaded"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("narrow_images 1.0.0\tloaded"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--set min_width_px=640"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lbplugin_bad_major.so\trefused: plugin lbplugin_bad_major.so was built for plugin API 2.0.0"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("run_check"), std::string::npos) << r.output;
}

TEST(PluginsCli, AcceptedFaceAssistIsStoredAsAssistedAndExportedByThePlugin) {
  lb::test::TempDir dir;
  std::filesystem::copy_file("/usr/lib/python3/dist-packages/skimage/data/astronaut.png", dir.file("astronaut.png"));
  const std::string cli = lb::test::cliPath();
  const std::string project = dir.file("p.lbproj");
  ASSERT_EQ(lb::test::run(cli + " create " + project).exitCode, 0);
  auto imported = lb::test::run(cli + " import images " + project + " " + dir.file("astronaut.png"));
  ASSERT_EQ(imported.exitCode, 0) << imported.output;
  ASSERT_EQ(lb::test::run(cli + " schema add-class " + project + " face").exitCode, 0);

  auto missingBox = lb::test::run(cli + " assist " + project + " 1 grabcut");
  EXPECT_NE(missingBox.exitCode, 0);
  EXPECT_NE(missingBox.output.find("--box"), std::string::npos) << missingBox.output;

  auto assisted = lb::test::run(cli + " assist " + project + " 1 faces --class face --accept");
  ASSERT_EQ(assisted.exitCode, 0) << assisted.output;
  EXPECT_NE(assisted.output.find("\"accepted\": 1"), std::string::npos) << assisted.output;
  {
    SQLite::Database db(project);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM annotations WHERE source = 'assist:faces@1' AND deleted = 0").getInt(), 1);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM events WHERE action = 'annotation_created' "
                            "AND detail_json LIKE '%assist:faces@1%'").getInt(), 1);
  }

  const std::string csv = dir.file("boxes.csv");
  auto exported = lb::test::run(cli + " plugins run " + project + " csv_boxes --set header=false --out " + csv);
  ASSERT_EQ(exported.exitCode, 0) << exported.output;
  EXPECT_EQ(slurp(csv).rfind("astronaut.png,512,512,face,", 0), 0u) << slurp(csv);
  EXPECT_NE(slurp(csv).find(",assist:faces@1\n"), std::string::npos);

  auto badSetting = lb::test::run(cli + " plugins run " + project + " narrow_images --set min_width_px=wide");
  EXPECT_EQ(badSetting.exitCode, 2);
  EXPECT_NE(badSetting.output.find("takes a value of type int, not 'wide'"), std::string::npos) << badSetting.output;
}
