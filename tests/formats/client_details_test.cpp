// Details a client notices in a delivery: their own COCO category ids come back (not renumbered),
// CoNLL documents are separated by -DOCSTART-, and CVAT ellipses arrive as polygons (reported as
// converted) instead of being dropped.
#include <fstream>
#include <set>

#include "formats_test_util.h"
#include "labeling/formats/format_util.h"
#include "labeling/import/image_decode.h"

namespace lb::test {
namespace {

using labeling::AnnotationKind;
using lf::Format;
using nlohmann::json;

std::map<std::int64_t, std::string> categoriesOf(const json& coco) {
  std::map<std::int64_t, std::string> out;
  for (const auto& c : coco["categories"]) out[c["id"].get<std::int64_t>()] = c["name"].get<std::string>();
  return out;
}

json readJson(const fs::path& p) {
  auto text = lf::readTextFile(p);
  EXPECT_TRUE(text.ok()) << p;
  return json::parse(text.ok() ? *text : "{}");
}

// [SECTION] COCO category ids

TEST(CocoCategoryIds, DatumaroFileWithAGapKeepsIdsOneTwoFour) {
  const auto src = interop("coco/cvat-ai-datumaro/tests/assets/coco_dataset/coco_instances/annotations");
  const json train = readJson(src / "instances_train.json");
  ASSERT_EQ(categoriesOf(train), (std::map<std::int64_t, std::string>{{1, "a"}, {2, "b"}, {4, "c"}}));

  ScratchProject p;
  p.merge(mustImport(Format::Coco, src));
  // The project remembers the client's ids with its classes (in the database, across a reopen).
  for (const auto& c : p.store->schema().classes) {
    if (c.name == "c") {
      EXPECT_EQ(c.sourceIds.at("coco"), 4);
    }
  }

  // A class the client never had gets an id after theirs.
  auto schema = p.store->schema();
  auto& extra = schema.classes.emplace_back();
  extra.name = "d";
  ASSERT_TRUE(p.store->setSchema(schema).ok());

  p.exportTo(Format::Coco, p.dir.path() / "out");
  const json out = readJson(p.dir.path() / "out/annotations/instances_default.json");
  EXPECT_EQ(categoriesOf(out), (std::map<std::int64_t, std::string>{{1, "a"}, {2, "b"}, {4, "c"}, {5, "d"}}));
  // Every annotation keeps its category: the two files' ids, all together.
  std::multiset<std::int64_t> want, got;
  for (const char* subset : {"train", "val"}) {
    const json in = readJson(src / (std::string("instances_") + subset + ".json"));
    for (const auto& a : in["annotations"]) want.insert(a["category_id"].get<std::int64_t>());
  }
  for (const auto& a : out["annotations"]) got.insert(a["category_id"].get<std::int64_t>());
  EXPECT_EQ(got, want);
}

TEST(CocoCategoryIds, Labelme2cocoIdsZeroToTwentyRoundTrip) {
  const auto file = interop("coco/wkentaro-labelme/examples/instance_segmentation/data_dataset_coco/annotations.json");
  const json in = readJson(file);
  auto back = [&] {
    ScratchProject p;
    p.merge(mustImport(Format::Coco, file));
    p.exportTo(Format::Coco, p.dir.path() / "out");
    return readJson(p.dir.path() / "out/annotations/instances_default.json");
  }();
  const auto cats = categoriesOf(back);
  EXPECT_EQ(cats, categoriesOf(in));
  EXPECT_EQ(cats.at(0), "_background_");
  EXPECT_EQ(cats.at(15), "person");
  EXPECT_EQ(cats.at(20), "tv/monitor");
  std::multiset<std::int64_t> want, got;
  for (const auto& a : in["annotations"]) want.insert(a["category_id"].get<std::int64_t>());
  for (const auto& a : back["annotations"]) got.insert(a["category_id"].get<std::int64_t>());
  EXPECT_EQ(got, want);
  // Importing our export again gives the same ids to the same classes.
  TempDir d;
  std::ofstream(d.file("again.json")) << back.dump();
  auto again = mustImport(Format::Coco, d.file("again.json"));
  for (const auto& c : again.classes)
    for (const auto& [id, name] : categoriesOf(in)) {
      if (name == c.name) {
        EXPECT_EQ(c.sourceIds.at("coco"), id) << name;
      }
    }
}

TEST(CocoCategoryIds, ProjectWithoutClientIdsStillNumbersFromOne) {
  lf::Dataset ds;
  ds.format = Format::Labelme;
  lf::DatasetItem it;
  it.fileName = "x.jpg";
  it.widthPx = 20, it.heightPx = 20;
  for (const char* cls : {"cat", "dog"}) {
    lf::DatasetAnnotation box;
    box.className = cls;
    box.a.kind = AnnotationKind::Box;
    box.a.coords = {1, 1, 5, 5};
    it.annotations.push_back(box);
  }
  ds.items.push_back(it);
  ScratchProject p;
  p.merge(ds);
  p.exportTo(Format::Coco, p.dir.path() / "out");
  const json out = readJson(p.dir.path() / "out/annotations/instances_default.json");
  EXPECT_EQ(categoriesOf(out), (std::map<std::int64_t, std::string>{{1, "cat"}, {2, "dog"}}));
}

// [SECTION] CoNLL -DOCSTART-

TEST(ConllDocstart, EachBatchIsOneDocumentAndImportSkipsTheMarkers) {
  ScratchProject p;
  auto sentence = [](const std::string& text, std::int64_t s, std::int64_t e) {
    lf::DatasetItem it;
    it.kind = labeling::ItemKind::Text;
    it.text = text;
    lf::DatasetAnnotation d;
    d.className = "LOC";
    d.a.kind = AnnotationKind::Span;
    d.a.coords = {double(s), double(e)};
    it.annotations.push_back(d);
    return it;
  };
  for (auto [batch, texts] : {std::pair<std::string, std::vector<std::string>>{"doc-one", {"to Paris today", "in Rome now"}},
                              {"doc-two", {"from Oslo again"}}}) {
    lf::Dataset ds;
    ds.format = Format::Conll;
    for (const auto& t : texts) ds.items.push_back(sentence(t, t.find(' ') + 1, t.rfind(' ')));
    lf::MergeOptions o;
    o.batchName = batch;
    ASSERT_TRUE(lf::mergeDataset(*p.store, ds, o).ok());
  }
  auto report = p.exportTo(Format::Conll, p.dir.path() / "out");
  EXPECT_EQ(report.items, 3);
  const std::string text = *lf::readTextFile(p.dir.path() / "out/all.conll");
  EXPECT_EQ(text,
            "-DOCSTART-\tO\n\n"
            "to\tO\nParis\tB-LOC\ntoday\tO\n\n"
            "in\tO\nRome\tB-LOC\nnow\tO\n\n"
            "-DOCSTART-\tO\n\n"
            "from\tO\nOslo\tB-LOC\nagain\tO\n");
  auto back = mustImport(Format::Conll, p.dir.path() / "out");
  ASSERT_EQ(back.items.size(), 3u);
  for (const auto& it : back.items) {
    EXPECT_EQ(it.text.find("DOCSTART"), std::string::npos) << it.text;
    ASSERT_EQ(it.annotations.size(), 1u);
  }
  EXPECT_EQ(back.items[2].text, "from Oslo again");
}

TEST(ConllDocstart, Conll2003FileWithMarkerReadsTwoSentences) {
  auto ds = mustImport(Format::Conll, interop("conll/explosion-spaCy/extra/example_data/ner_example_data/ner-token-per-line-conll2003.iob"));
  ASSERT_EQ(ds.items.size(), 2u);
  for (const auto& it : ds.items) EXPECT_EQ(it.text.find("-DOCSTART-"), std::string::npos);
}

// [SECTION] CVAT ellipses

const char* kCvatWithEllipses = R"(<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <image id="0" name="cells.png" width="200" height="100">
    <ellipse label="cell" source="manual" occluded="0" cx="50" cy="40" rx="30" ry="10" z_order="2">
      <attribute name="stage">early</attribute>
    </ellipse>
    <ellipse label="cell" source="manual" occluded="1" cx="150" cy="50" rx="20" ry="8" rotation="30" z_order="0">
    </ellipse>
    <box label="cell" source="manual" occluded="0" xtl="1" ytl="2" xbr="10" ybr="12" z_order="0"></box>
  </image>
</annotations>
)";

TEST(CvatEllipse, ImportedAsPolygonsReportedAndWrittenBackAsEllipses) {
  TempDir d;
  std::ofstream(d.file("annotations.xml")) << kCvatWithEllipses;
  auto ds = mustImport(Format::Cvat, d.file("annotations.xml"));
  EXPECT_TRUE(ds.problems.empty()) << ds.problems.front();
  ASSERT_EQ(ds.items.size(), 1u);
  const auto& anns = ds.items[0].annotations;
  ASSERT_EQ(anns.size(), 3u);
  // Reported, one note per ellipse naming the image and the conversion.
  ASSERT_EQ(ds.notes.size(), 2u);
  EXPECT_NE(ds.notes[0].find("cells.png"), std::string::npos) << ds.notes[0];
  EXPECT_NE(ds.notes[0].find("converted to a"), std::string::npos) << ds.notes[0];

  const auto& e1 = anns[0].a;
  EXPECT_EQ(e1.kind, AnnotationKind::Polygon);
  EXPECT_EQ(anns[0].className, "cell");
  EXPECT_EQ(e1.zOrder, 2);
  EXPECT_EQ(json::parse(e1.attributesJson)["stage"], "early");
  // Every vertex lies on the ellipse, and the area is the ellipse's within 1 %.
  const double kPi = 3.14159265358979323846;
  for (std::size_t i = 0; i + 1 < e1.coords.size(); i += 2) {
    const double u = (e1.coords[i] - 50) / 30, v = (e1.coords[i + 1] - 40) / 10;
    EXPECT_NEAR(u * u + v * v, 1.0, 1e-9);
  }
  EXPECT_NEAR(lf::polygonArea(e1.coords), kPi * 30 * 10, 0.01 * kPi * 30 * 10);
  // Rotated 30 degrees clockwise (y down): the end of the major axis is at angle 30 degrees.
  const auto& e2 = anns[1].a;
  EXPECT_TRUE(e2.occluded);
  EXPECT_NEAR(e2.coords[0], 150 + 20 * std::cos(kPi / 6), 1e-9);
  EXPECT_NEAR(e2.coords[1], 50 + 20 * std::sin(kPi / 6), 1e-9);
  EXPECT_NEAR(lf::polygonArea(e2.coords), kPi * 20 * 8, 0.01 * kPi * 20 * 8);
  EXPECT_EQ(anns[2].a.kind, AnnotationKind::Box);

  // Through a project and back to CVAT: still ellipses with the client's numbers.
  ScratchProject p;
  p.merge(ds);
  auto report = p.exportTo(Format::Cvat, p.dir.path() / "out");
  EXPECT_TRUE(report.losses.empty()) << report.summary();
  const std::string xml = *lf::readTextFile(p.dir.path() / "out/annotations.xml");
  EXPECT_NE(xml.find(R"(cx="50.0" cy="40.0" rx="30.0" ry="10.0")"), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(cx="150.0" cy="50.0" rx="20.0" ry="8.0" rotation="30.0")"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("<polygon"), std::string::npos) << xml;
  auto back = mustImport(Format::Cvat, p.dir.path() / "out");
  expectSameModel(ds, back, Held{});
}

TEST(CvatEllipse, AnEditedEllipseIsExportedAsItsPolygon) {
  TempDir d;
  std::ofstream(d.file("annotations.xml")) << kCvatWithEllipses;
  auto ds = mustImport(Format::Cvat, d.file("annotations.xml"));
  ds.items[0].annotations[0].a.coords[0] += 3;  // a vertex moved: no longer the ellipse
  ScratchProject p;
  p.merge(ds);
  p.exportTo(Format::Cvat, p.dir.path() / "out");
  const std::string xml = *lf::readTextFile(p.dir.path() / "out/annotations.xml");
  EXPECT_NE(xml.find("<polygon"), std::string::npos) << xml;
  EXPECT_EQ(xml.find(R"(cx="50.0")"), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(cx="150.0")"), std::string::npos) << xml;  // the other one is unchanged
}


// A client's batch often holds byte-identical copies under different names. Labels must go to the
// file they name, not to whichever copy shares the content hash (seen with fruits.jpg and
// fruits_copy.jpg: both label sets landed on the copy).
TEST(MergeMatching, IdenticalCopiesGetTheLabelsOfTheirOwnName) {
  ScratchProject p;
  const std::string bytes = "the same bytes in two files";
  auto batch = p.store->createBatch("client", "test");
  ASSERT_TRUE(batch.ok());
  for (const char* name : {"fruits.jpg", "fruits_copy.jpg"}) {
    std::ofstream(p.dir.file(name), std::ios::binary) << bytes;
    labeling::NewItem n;
    n.item.kind = labeling::ItemKind::Image;
    n.item.mediaPath = p.dir.file(name);
    n.item.contentHash = labeling::sha256Hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    n.item.widthPx = 100;
    n.item.heightPx = 80;
    n.item.sourceKey = "test:" + std::string(name);
    n.item.batchId = *batch;
    auto inserted = p.store->insertItem(n);
    ASSERT_TRUE(inserted.ok()) << inserted.error().message;
  }
  lf::Dataset ds;
  ds.format = Format::Coco;
  for (auto [name, boxes] : {std::pair<const char*, int>{"fruits.jpg", 1}, {"fruits_copy.jpg", 2}}) {
    lf::DatasetItem it;
    it.kind = labeling::ItemKind::Image;
    it.fileName = name;
    it.mediaFile = p.dir.file(name);
    for (int i = 0; i < boxes; ++i) {
      lf::DatasetAnnotation d;
      d.className = "fruit";
      d.a.kind = AnnotationKind::Box;
      d.a.coords = {1.0 + i, 1, 20, 20};
      it.annotations.push_back(d);
    }
    ds.items.push_back(it);
  }
  auto report = p.merge(ds);
  EXPECT_EQ(report.itemsMatched, 2);
  for (const auto& it : p.store->items({})) {
    const auto anns = p.store->annotations(it.id);
    const bool copy = it.mediaPath.find("_copy") != std::string::npos;
    EXPECT_EQ(anns.size(), copy ? 2u : 1u) << it.mediaPath;
  }
}

}  // namespace
}  // namespace lb::test
