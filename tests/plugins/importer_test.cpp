// The importer capability end to end: the example csv_box_import plugin reads a client's CSV of
// boxes, and the host merges what it reports into a project (items with copied media, classes,
// boxes recording "plugin:csv_box_import@1.0.0", an import event naming the plugin), through the
// host API and through `labelbench-cli plugins run --in`. Bad rows fail with the line named.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>

#include "labeling/store/project_store.h"
#include "plugins/host/plugin_host.h"
#include "support/test_support.h"

using namespace lb::labeling;
using namespace lb::plugins;
using lb::ErrorCode;

namespace {

const std::string kExamples = std::string(LB_BINARY_DIR) + "/plugins";
const std::string kSource = "plugin:csv_box_import@1.0.0";

// A client batch: two images in a subfolder and a CSV naming them relative to its own folder.
struct ClientBatch {
  lb::test::TempDir dir;
  std::string project = dir.file("p.lbproj");
  std::string csv = dir.file("client/boxes.csv");
  ClientBatch() {
    std::filesystem::create_directories(dir.path() / "client" / "img");
    for (int i = 0; i < 3; ++i) {
      cv::Mat img(120 + 10 * i, 160, CV_8UC3, cv::Scalar(40, 60 + 50 * i, 80));
      cv::rectangle(img, cv::Rect(20, 30, 50, 40), cv::Scalar(250, 250, 250), cv::FILLED);
      cv::imwrite(dir.file("client/img/a" + std::to_string(i) + ".png"), img);
    }
    std::ofstream out(csv);
    out << "image,class,x1,y1,x2,y2\n"
        << "img/a0.png,car,20,30,70,70\n"
        << "img/a0.png,person,1.5,2.5,10,20\n"
        << "img/a1.png,,5,5,15,15\n"  // empty class: default_class setting
        << "img/a2.png\n";            // an image alone: added, not labelled
    auto store = createProject(project);
    EXPECT_TRUE(store) << store.error().message;
  }
};

}  // namespace

TEST(PluginImporter, ImportsImagesAndBoxesRecordedWithThePluginIdAndVersion) {
  ClientBatch b;
  PluginHost host;
  host.loadDirectories({kExamples});
  const PluginInfo* p = host.find("csv_box_import");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->capabilities.size(), 1u);
  EXPECT_EQ(p->capabilities[0].kind, LB_CAPABILITY_IMPORTER);

  auto settings = host.resolveSettings("csv_box_import", LB_CAPABILITY_IMPORTER, "", {"default_class=thing"});
  ASSERT_TRUE(settings) << settings.error().message;
  {
    auto store = openProject(b.project);
    ASSERT_TRUE(store) << store.error().message;
    auto r = host.runImporter(**store, "csv_box_import", "", *settings, b.csv);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->itemsCreated, 3);
    EXPECT_EQ(r->annotationsAdded, 3);
    EXPECT_EQ(r->classesCreated, 3);
    EXPECT_TRUE(r->problems.empty()) << r->problems.front();
  }

  SQLite::Database db(b.project);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM items").getInt(), 3);
  // Media were copied under the project and sized from the pixels.
  SQLite::Statement items(db, "SELECT media_path, width_px, height_px, nothing_here FROM items ORDER BY media_path");
  int row = 0;
  while (items.executeStep()) {
    const std::string media = items.getColumn(0).getString();
    EXPECT_NE(media.find("img/a" + std::to_string(row) + ".png"), std::string::npos) << media;
    EXPECT_TRUE(std::filesystem::exists(b.dir.path() / media)) << media;
    EXPECT_EQ(items.getColumn(1).getInt(), 160);
    EXPECT_EQ(items.getColumn(2).getInt(), 120 + 10 * row);
    EXPECT_EQ(items.getColumn(3).getInt(), 0) << "an image with no rows is unlabelled, not 'nothing here'";
    ++row;
  }
  EXPECT_EQ(row, 3);

  SQLite::Statement boxes(db, "SELECT a.coords_json, c.name, a.source, i.media_path FROM annotations a "
                              "JOIN classes c ON c.id = a.class_id JOIN items i ON i.id = a.item_id "
                              "WHERE a.deleted = 0 AND a.kind = 'box' ORDER BY c.name");
  std::vector<std::string> classes;
  while (boxes.executeStep()) {
    classes.push_back(boxes.getColumn(1).getString());
    EXPECT_EQ(boxes.getColumn(2).getString(), kSource);
    const auto coords = nlohmann::json::parse(boxes.getColumn(0).getString());
    if (classes.back() == "person") {
      EXPECT_DOUBLE_EQ(coords[0].get<double>(), 1.5);
      EXPECT_DOUBLE_EQ(coords[3].get<double>(), 20.0);
      EXPECT_NE(boxes.getColumn(3).getString().find("a0.png"), std::string::npos);
    }
    if (classes.back() == "thing") {
      EXPECT_NE(boxes.getColumn(3).getString().find("a1.png"), std::string::npos);
    }
  }
  EXPECT_EQ(classes, (std::vector<std::string>{"car", "person", "thing"}));
  const auto event = db.execAndGet("SELECT detail_json FROM events WHERE action = 'import'").getString();
  const auto detail = nlohmann::json::parse(event);
  EXPECT_EQ(detail["plugin"], "csv_box_import");
  EXPECT_EQ(detail["plugin_version"], "1.0.0");
  EXPECT_EQ(detail["imported"], 3);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM batches WHERE name = '" + kSource + "'").getInt(), 1);

  // Importing the same batch again adds nothing: items match, identical boxes are skipped.
  {
    auto store = openProject(b.project);
    auto again = host.runImporter(**store, "csv_box_import", "", *settings, b.csv);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->itemsCreated, 0);
    EXPECT_EQ(again->itemsMatched, 3);
    EXPECT_EQ(again->annotationsAdded, 0);
  }
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM annotations WHERE deleted = 0").getInt(), 3);
}

TEST(PluginImporter, RefusesWhatItCannotReadAndNamesTheBadLine) {
  ClientBatch b;
  PluginHost host;
  host.loadDirectories({kExamples});
  auto settings = host.resolveSettings("csv_box_import", LB_CAPABILITY_IMPORTER, "", {});
  ASSERT_TRUE(settings);
  auto store = openProject(b.project);
  ASSERT_TRUE(store);

  const std::string txt = b.dir.file("client/boxes.txt");
  std::filesystem::copy_file(b.csv, txt);
  auto notCsv = host.runImporter(**store, "csv_box_import", "", *settings, txt);
  ASSERT_FALSE(notCsv);
  EXPECT_EQ(notCsv.error().code, ErrorCode::BadInput);
  EXPECT_NE(notCsv.error().message.find("cannot read " + txt), std::string::npos) << notCsv.error().message;

  const std::string bad = b.dir.file("client/bad.csv");
  std::ofstream(bad) << "img/a0.png,car,20,30,70,70\nimg/a1.png,car,50,30,10,70\n";
  auto badRow = host.runImporter(**store, "csv_box_import", "", *settings, bad);
  ASSERT_FALSE(badRow);
  EXPECT_NE(badRow.error().message.find("plugin 'csv_box_import' 1.0.0"), std::string::npos) << badRow.error().message;
  EXPECT_NE(badRow.error().message.find("line 2"), std::string::npos) << badRow.error().message;

  const std::string missing = b.dir.file("client/missing.csv");
  std::ofstream(missing) << "img/nope.png,car,1,2,3,4\n";
  auto noImage = host.runImporter(**store, "csv_box_import", "", *settings, missing);
  ASSERT_FALSE(noImage);
  EXPECT_NE(noImage.error().message.find("nope.png"), std::string::npos) << noImage.error().message;

  SQLite::Database db(b.project);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM items").getInt(), 0) << "a failed import stores nothing";
}

TEST(PluginImporter, CliRunsTheImporterAndReportsWhatItAdded) {
  ClientBatch b;
  const std::string cli = "LB_PLUGIN_PATH=" + kExamples + " " + lb::test::cliPath();
  auto r = lb::test::run(cli + " plugins run " + b.project + " csv_box_import --in " + b.csv +
                         " --batch-name client-7 --set default_class=thing");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("imported with " + kSource + ": 3 items added"), std::string::npos) << r.output;
  SQLite::Database db(b.project);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM annotations WHERE source = '" + kSource + "'").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM batches WHERE name = 'client-7'").getInt(), 1);

  auto noInput = lb::test::run(cli + " plugins run " + b.project + " csv_box_import");
  EXPECT_NE(noInput.exitCode, 0);
  EXPECT_NE(noInput.output.find("needs --in"), std::string::npos) << noInput.output;
  auto badSetting = lb::test::run(cli + " plugins run " + b.project + " csv_box_import --in " + b.csv + " --set 'sep=;'");
  EXPECT_NE(badSetting.exitCode, 0);
  EXPECT_NE(badSetting.output.find("separator"), std::string::npos) << badSetting.output;
}
