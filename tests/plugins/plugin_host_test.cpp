// The plugin host: loads the example plugins and runs them against a real project (CSV written,
// findings rows stored, shapes proposed), and refuses broken plugins with a message that names
// the plugin and both versions / the missing field while the others still load.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "labeling/store/project_store.h"
#include "plugins/host/plugin_host.h"
#include "support/test_support.h"

using namespace lb::labeling;
using namespace lb::plugins;
using lb::ErrorCode;

namespace {

const std::string kExamples = std::string(LB_BINARY_DIR) + "/plugins";
const std::string kBad = std::string(LB_BINARY_DIR) + "/tests/plugins_bad";

const PluginInfo* byFile(const std::vector<PluginInfo>& all, const std::string& file) {
  for (const auto& p : all)
    if (p.path.size() >= file.size() && p.path.compare(p.path.size() - file.size(), file.size(), file) == 0)
      return &p;
  return nullptr;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A project with a narrow image holding two boxes and a polygon, a wide image marked
// "nothing here", and an unlabelled wide image.
struct Fixture {
  lb::test::TempDir dir;
  std::string path = dir.file("p.lbproj");
  ItemId narrow = 0, empty = 0, unlabelled = 0;
  Fixture() {
    auto store = createProject(path);
    EXPECT_TRUE(store) << store.error().message;
    auto& s = **store;
    LabelSchema schema;
    ClassDef car;
    car.name = "car, red";  // a comma: the CSV must quote it
    schema.classes.push_back(car);
    EXPECT_TRUE(s.setSchema(schema));
    const ClassId carId = s.schema().classes.at(0).id;
    auto batch = s.createBatch("b", "test");
    auto add = [&](const std::string& name, int w, int h) {
      NewItem ni;
      ni.item.batchId = *batch;
      ni.item.mediaPath = name;
      ni.item.sourceKey = name;
      ni.item.contentHash = name;
      ni.item.widthPx = w;
      ni.item.heightPx = h;
      return *s.insertItem(ni);
    };
    narrow = add("narrow.jpg", 320, 240);
    empty = add("empty.jpg", 1024, 768);
    unlabelled = add("unlabelled.jpg", 1280, 720);
    for (auto coords : {std::vector<double>{10, 20, 110, 120}, std::vector<double>{5, 6, 7.5, 8.25}}) {
      Annotation a;
      a.itemId = narrow;
      a.kind = AnnotationKind::Box;
      a.classId = carId;
      a.coords = coords;
      EXPECT_TRUE(s.insertAnnotation(a));
    }
    Annotation poly;
    poly.itemId = narrow;
    poly.kind = AnnotationKind::Polygon;
    poly.coords = {1, 1, 5, 1, 5, 5};
    EXPECT_TRUE(s.insertAnnotation(poly));
    EXPECT_TRUE(s.setNothingHere(empty, true));
  }
};

}  // namespace

TEST(PluginHost, LoadsTheExamplesAndRefusesEachBrokenPluginWithItsReason) {
  PluginHost host;
  host.loadDirectories({kExamples, kBad, "/nonexistent/labelbench/plugins"});
  const auto all = host.plugins();

  for (const char* id : {"csv_boxes", "narrow_images", "bright_region"}) {
    const PluginInfo* p = host.find(id);
    ASSERT_NE(p, nullptr) << id;
    EXPECT_EQ(p->state, PluginState::Loaded);
    EXPECT_EQ(p->apiVersion, LB_PLUGIN_API_VERSION);
    EXPECT_EQ(p->version, "1.0.0");
  }
  const auto* csv = host.find("csv_boxes");
  ASSERT_EQ(csv->capabilities.size(), 1u);
  EXPECT_EQ(csv->capabilities[0].kind, LB_CAPABILITY_EXPORTER);
  ASSERT_EQ(csv->capabilities[0].settings.size(), 2u);
  EXPECT_EQ(csv->capabilities[0].settings[0].key, "header");
  EXPECT_EQ(csv->capabilities[0].settings[0].defaultValue, "true");

  const std::string host_v = versionString(LB_PLUGIN_API_VERSION);
  const PluginInfo* major = byFile(all, "lbplugin_bad_major.so");
  ASSERT_NE(major, nullptr);
  EXPECT_EQ(major->state, PluginState::Refused);
  EXPECT_NE(major->reason.find("lbplugin_bad_major.so"), std::string::npos) << major->reason;
  EXPECT_NE(major->reason.find("2.0.0"), std::string::npos) << major->reason;
  EXPECT_NE(major->reason.find(host_v), std::string::npos) << major->reason;
  EXPECT_NE(major->reason.find("major"), std::string::npos) << major->reason;

  const PluginInfo* minor = byFile(all, "lbplugin_bad_minor.so");
  ASSERT_NE(minor, nullptr);
  EXPECT_EQ(minor->state, PluginState::Refused);
  EXPECT_NE(minor->reason.find("lbplugin_bad_minor.so"), std::string::npos) << minor->reason;
  EXPECT_NE(minor->reason.find("1.1.0"), std::string::npos) << minor->reason;
  EXPECT_NE(minor->reason.find(host_v), std::string::npos) << minor->reason;
  EXPECT_NE(minor->reason.find("newer"), std::string::npos) << minor->reason;

  const PluginInfo* small = byFile(all, "lbplugin_bad_small.so");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->state, PluginState::Refused);
  EXPECT_NE(small->reason.find("'bad_small'"), std::string::npos) << small->reason;
  EXPECT_NE(small->reason.find("smaller than"), std::string::npos) << small->reason;
  EXPECT_NE(small->reason.find("plugin API " + host_v + ", host API " + host_v), std::string::npos) << small->reason;

  const PluginInfo* missing = byFile(all, "lbplugin_bad_missing.so");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->state, PluginState::Refused);
  EXPECT_NE(missing->reason.find("'bad_missing'"), std::string::npos) << missing->reason;
  EXPECT_NE(missing->reason.find("run_check"), std::string::npos) << missing->reason;
  EXPECT_EQ(host.find("bad_missing"), nullptr);

  const PluginInfo* stray = byFile(all, "lbplugin_not_a_plugin.so");
  ASSERT_NE(stray, nullptr);
  EXPECT_EQ(stray->state, PluginState::Refused);
  EXPECT_NE(stray->reason.find("not a LabelBench plugin"), std::string::npos) << stray->reason;

  // Loading the same examples again (another folder on the path) does not duplicate them.
  host.loadFile(kExamples + "/lbplugin_csv_boxes.so");
  int csvCount = 0;
  for (const auto& p : host.plugins()) csvCount += p.id == "csv_boxes" && p.state == PluginState::Loaded;
  EXPECT_EQ(csvCount, 1);
}

TEST(PluginHost, ExporterWritesTheProjectsBoxesAsCsv) {
  Fixture f;
  PluginHost host;
  host.loadDirectories({kExamples});
  auto store = openProject(f.path);
  ASSERT_TRUE(store);
  auto settings = host.resolveSettings("csv_boxes", LB_CAPABILITY_EXPORTER, "", {});
  ASSERT_TRUE(settings) << settings.error().message;
  const std::string out = f.dir.file("boxes.csv");
  auto st = host.runExporter(**store, "csv_boxes", "", *settings, out);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(slurp(out),
            "media_path,width_px,height_px,class,x1,y1,x2,y2,source\n"
            "narrow.jpg,320,240,\"car, red\",10.00,20.00,110.00,120.00,manual\n"
            "narrow.jpg,320,240,\"car, red\",5.00,6.00,7.50,8.25,manual\n"
            "empty.jpg,1024,768,,,,,,\n");

  auto semi = host.resolveSettings("csv_boxes", LB_CAPABILITY_EXPORTER, "csv", {"separator=;", "header=false"});
  ASSERT_TRUE(semi) << semi.error().message;
  ASSERT_TRUE(host.runExporter(**store, "csv_boxes", "csv", *semi, out));
  EXPECT_EQ(slurp(out).substr(0, 61), "narrow.jpg;320;240;car, red;10.00;20.00;110.00;120.00;manual\n");
}

TEST(PluginHost, BadSettingsAndPluginErrorsNameWhatIsWrong) {
  Fixture f;
  PluginHost host;
  host.loadDirectories({kExamples});
  auto unknown = host.resolveSettings("csv_boxes", LB_CAPABILITY_EXPORTER, "", {"colour=red"});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("colour=red"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("header, separator"), std::string::npos) << unknown.error().message;
  auto wrongType = host.resolveSettings("csv_boxes", LB_CAPABILITY_EXPORTER, "", {"header=maybe"});
  ASSERT_FALSE(wrongType);
  EXPECT_NE(wrongType.error().message.find("bool"), std::string::npos);

  auto store = openProject(f.path);
  ASSERT_TRUE(store);
  auto two = host.resolveSettings("csv_boxes", LB_CAPABILITY_EXPORTER, "", {"separator=ab"});
  ASSERT_TRUE(two);
  auto st = host.runExporter(**store, "csv_boxes", "", *two, f.dir.file("x.csv"));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::BadInput);
  EXPECT_NE(st.error().message.find("csv_boxes"), std::string::npos);
  EXPECT_NE(st.error().message.find("one character"), std::string::npos) << st.error().message;

  auto none = host.runExporter(**store, "no_such_plugin", "", {}, f.dir.file("x.csv"));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::NotFound);
}

TEST(PluginHost, CheckWritesFindingsRowsAndKeepsDecisions) {
  Fixture f;
  PluginHost host;
  host.loadDirectories({kExamples});
  auto store = openProject(f.path);
  ASSERT_TRUE(store);
  auto defaults = host.resolveSettings("narrow_images", LB_CAPABILITY_CHECK, "", {});
  ASSERT_TRUE(defaults);
  auto n = host.runCheck(**store, "narrow_images", "", *defaults);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);
  {
    SQLite::Database db(f.path);
    SQLite::Statement q(db, "SELECT item_id, score, detail_json FROM findings WHERE check_name = 'plugin:narrow_images'");
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt64(), f.narrow);
    EXPECT_DOUBLE_EQ(q.getColumn(1).getDouble(), 0.5);
    const auto detail = nlohmann::json::parse(q.getColumn(2).getString());
    EXPECT_EQ(detail["width_px"], 320);
    EXPECT_EQ(detail["plugin"], "narrow_images");
    EXPECT_EQ(detail["plugin_version"], "1.0.0");
    EXPECT_FALSE(q.executeStep());
    // The lead decides to keep the narrow image.
    SQLite::Database rw(f.path, SQLite::OPEN_READWRITE);
    rw.exec("UPDATE findings SET decision = 'keep' WHERE check_name = 'plugin:narrow_images'");
  }
  auto stricter = host.resolveSettings("narrow_images", LB_CAPABILITY_CHECK, "narrow", {"min_width_px=1100"});
  ASSERT_TRUE(stricter);
  auto n2 = host.runCheck(**store, "narrow_images", "narrow", *stricter);
  ASSERT_TRUE(n2) << n2.error().message;
  EXPECT_EQ(*n2, 2);
  SQLite::Database db(f.path);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM findings WHERE check_name = 'plugin:narrow_images'").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT decision FROM findings WHERE item_id = " + std::to_string(f.narrow)).getString(),
            "keep");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM findings WHERE item_id = " + std::to_string(f.unlabelled)).getInt(), 0);
}

TEST(PluginHost, AssistPluginProposesShapesRecordedWithItsIdAndVersion) {
  PluginHost host;
  host.loadDirectories({kExamples});
  cv::Mat img(200, 300, CV_8UC3, cv::Scalar(30, 30, 30));
  img(cv::Rect(120, 50, 40, 70)).setTo(cv::Scalar(250, 250, 250));
  auto settings = host.resolveSettings("bright_region", LB_CAPABILITY_ASSIST, "", {});
  ASSERT_TRUE(settings);
  AssistRequest req;
  req.box = cv::Rect2d(100, 30, 100, 120);
  auto p = host.runAssist(img, req, "bright_region", "", *settings);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->annotations.size(), 1u);
  EXPECT_EQ(p->annotations[0].kind, AnnotationKind::Box);
  EXPECT_EQ(p->annotations[0].coords, (std::vector<double>{120, 50, 160, 120}));
  EXPECT_EQ(p->annotations[0].source, "plugin:bright_region@1.0.0");

  lb::labeling::assist::CancelFlag cancel{true};
  auto cancelled = host.runAssist(img, req, "bright_region", "", *settings, &cancel);
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, ErrorCode::Cancelled);
}

TEST(PluginHost, SearchesTheUsersAndTheSystemsFolders) {
  setenv("XDG_DATA_HOME", "/tmp/lb-xdg", 1);
  unsetenv("LB_PLUGIN_PATH");
  auto dirs = defaultPluginDirs();
  ASSERT_GE(dirs.size(), 4u);
  EXPECT_EQ(dirs[0], "/tmp/lb-xdg/labelbench/plugins");
  EXPECT_EQ(dirs[1], "/usr/lib/labelbench/plugins");
  unsetenv("XDG_DATA_HOME");
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(defaultPluginDirs()[0], "/home/someone/.local/share/labelbench/plugins");
}
