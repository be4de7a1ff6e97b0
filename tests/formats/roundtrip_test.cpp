// Import -> project -> export -> import gives the same model, for every format; what a format
// cannot hold is reported; "nothing here" stays apart from "not labelled".
#include "formats_test_util.h"

#include "labeling/formats/format_util.h"

namespace lb::test {
namespace {

using labeling::AnnotationKind;
using lf::Format;

lf::Dataset concat(std::vector<lf::Dataset> parts) {
  lf::Dataset out = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    out.items.insert(out.items.end(), parts[i].items.begin(), parts[i].items.end());
    out.classes.insert(out.classes.end(), parts[i].classes.begin(), parts[i].classes.end());
  }
  return out;
}

TEST(RoundTrip, Labelme) {
  const std::string ex = "labelme/wkentaro-labelme/examples/";
  auto ds = concat({mustImport(Format::Labelme, interop(ex + "instance_segmentation/data_annotated")),
                    mustImport(Format::Labelme, interop(ex + "primitives/primitives.json")),
                    mustImport(Format::Labelme, interop(ex + "classification/data_annotated")),
                    mustImport(Format::Labelme, interop(ex + "tutorial/apc2016_obj3.json"))});
  lf::ExportOptions opts;
  opts.withMedia = true;
  lf::ExportReport report;
  auto back = roundTrip(Format::Labelme, ds, opts, &report);
  EXPECT_TRUE(report.losses.empty()) << report.summary();
  expectSameModel(ds, back, Held{});
}

TEST(RoundTrip, CocoInstancesCrowdAttributesAndResults) {
  auto ds = concat({mustImport(Format::Coco, interop("coco/wkentaro-labelme/examples/instance_segmentation/data_dataset_coco/annotations.json")),
                    mustImport(Format::Coco, interop("coco/cvat-ai-datumaro/tests/assets/coco_dataset/coco_instances/annotations")),
                    mustImport(Format::Coco, interop("coco/cocodataset-cocoapi/results/instances_val2014_fakesegm100_results.json"))});
  Held h;
  h.zOrder = false;
  lf::ExportReport report;
  auto back = roundTrip(Format::Coco, ds, {}, &report);
  EXPECT_TRUE(report.losses.empty()) << report.summary();
  expectSameModel(ds, back, h);
}

TEST(RoundTrip, CocoKeypointsWithSkeleton) {
  lf::Dataset ds;
  ds.format = Format::Coco;
  auto& person = ds.ensureClass("person", labeling::ClassScope::Object);
  person.keypointNames = {"nose", "left_eye", "right_eye"};
  person.skeletonEdges = {{0, 1}, {0, 2}};
  lf::DatasetItem it;
  it.fileName = "p.jpg";
  it.widthPx = 100, it.heightPx = 80;
  lf::DatasetAnnotation kp;
  kp.className = "person";
  kp.a.kind = AnnotationKind::Keypoints;
  kp.a.coords = {10, 10, 2, 20, 12, 1, 0, 0, 0};
  kp.a.groupId = 1;
  lf::DatasetAnnotation poly = kp;
  poly.a.kind = AnnotationKind::Polygon;
  poly.a.coords = {5, 5, 30, 5, 30, 40, 5, 40};
  it.annotations = {poly, kp};
  ds.items.push_back(it);
  ScratchProject p;
  p.merge(ds);
  auto report = p.exportTo(Format::Coco, p.dir.path() / "out");
  auto j = nlohmann::json::parse(*lf::readTextFile(p.dir.path() / "out/annotations/instances_default.json"));
  ASSERT_EQ(j["annotations"].size(), 1u);  // polygon and keypoints of one instance: one record
  EXPECT_EQ(j["annotations"][0]["num_keypoints"], 2);
  EXPECT_EQ(j["categories"][0]["skeleton"], nlohmann::json({{1, 2}, {1, 3}}));
  auto back = mustImport(Format::Coco, p.dir.path() / "out");
  expectSameModel(ds, back, Held{});
  EXPECT_EQ(back.classes[0].keypointNames, person.keypointNames);
}

TEST(RoundTrip, YoloUltralyticsAndDarknet) {
  const std::string y = "yolo/cvat-ai-datumaro/tests/assets/yolo_dataset/";
  Held h;
  h.attributes = h.occluded = h.groups = h.zOrder = h.data = false;
  h.tolerance_px = 1e-3;
  for (const char* layout : {"ultralytics", "darknet"})
    for (const char* sub : {"yolo", "yolov8_detection", "yolov8_segmentation", "yolov8_oriented_boxes"}) {
      SCOPED_TRACE(std::string(layout) + " " + sub);
      auto ds = mustImport(Format::Yolo, interop(y + sub));
      lf::ExportOptions opts;
      opts.withMedia = true;  // YOLO values are normalised: the images travel along
      opts.yoloLayout = layout;
      lf::ExportReport report;
      auto back = roundTrip(Format::Yolo, ds, opts, &report);
      EXPECT_TRUE(report.losses.empty()) << report.summary();
      expectSameModel(ds, back, h);
    }
}

TEST(RoundTrip, Voc) {
  Held h;
  h.zOrder = false;
  for (const char* dir : {"voc/wkentaro-labelme/examples/bbox_detection/data_dataset_voc",
                          "voc/openvinotoolkit-datumaro/tests/assets/voc_dataset/voc_dataset1",
                          "voc/openvinotoolkit-datumaro/tests/assets/voc_dataset/voc_dataset2"}) {
    SCOPED_TRACE(dir);
    auto ds = mustImport(Format::Voc, interop(dir));
    lf::ExportReport report;
    auto back = roundTrip(Format::Voc, ds, {}, &report);
    EXPECT_TRUE(report.losses.empty()) << report.summary();
    expectSameModel(ds, back, h);
  }
}

TEST(RoundTrip, Cvat) {
  for (const char* file : {"cvat/cvat-ai-datumaro/tests/assets/cvat_dataset/for_images/train.xml"}) {
    auto ds = mustImport(Format::Cvat, interop(file));
    lf::ExportReport report;
    auto back = roundTrip(Format::Cvat, ds, {}, &report);
    EXPECT_TRUE(report.losses.empty()) << report.summary();
    expectSameModel(ds, back, Held{});
    const auto* l1 = back.findClass("label1", labeling::ClassScope::Object);
    ASSERT_TRUE(l1);
    EXPECT_EQ(l1->attributes.size(), 4u);
    const auto* sk = back.findClass("skeleton", labeling::ClassScope::Object);
    ASSERT_TRUE(sk);
    EXPECT_EQ(sk->skeletonEdges, (std::vector<std::pair<int, int>>{{2, 1}, {0, 3}}));
  }
}

TEST(RoundTrip, CvatMasksAndRotatedBoxes) {
  lf::Dataset ds;
  ds.format = Format::Cvat;
  lf::DatasetItem it;
  it.fileName = "m.png";
  it.widthPx = 20, it.heightPx = 10;
  lf::DatasetAnnotation m;
  m.className = "blob";
  m.a.kind = AnnotationKind::Mask;
  m.a.coords = {3, 2, 4, 3};
  m.a.dataJson = R"({"rle":[1,3,2,4,2]})";
  lf::DatasetAnnotation r;
  r.className = "car";
  r.a.kind = AnnotationKind::RotatedBox;
  r.a.coords = {10, 5, 6, 2, 30};
  it.annotations = {m, r};
  ds.items.push_back(it);
  auto back = roundTrip(Format::Cvat, ds);
  expectSameModel(ds, back, Held{});
}

TEST(RoundTrip, Doccano) {
  const std::string d = "doccano/doccano-doccano/backend/";
  for (const char* f : {"data_export/pipeline/examples/sequence_labeling/example.jsonl",
                        "data_export/pipeline/examples/relation_extraction/example.jsonl",
                        "data_export/pipeline/examples/text_classification/example.jsonl",
                        "data_import/tests/data/sequence_labeling/example.jsonl"}) {
    SCOPED_TRACE(f);
    auto ds = mustImport(Format::Doccano, interop(d + f));
    lf::ExportReport report;
    auto back = roundTrip(Format::Doccano, ds, {}, &report);
    EXPECT_TRUE(report.losses.empty()) << report.summary();
    expectSameModel(ds, back, Held{});
  }
  // Offsets beyond the BMP go out in UTF-16 units again.
  TempDir t;
  ASSERT_TRUE(lf::writeTextFile(t.path() / "x.jsonl", R"({"text": "😀 汉字 ok", "label": [[3, 5, "ZH"]]})" "\n").ok());
  ScratchProject p;
  p.merge(mustImport(Format::Doccano, t.path() / "x.jsonl"));
  p.exportTo(Format::Doccano, p.dir.path() / "out");
  auto line = nlohmann::json::parse(*lf::readTextFile(p.dir.path() / "out/all.jsonl"));
  EXPECT_EQ(line["label"][0][0], 3);
  EXPECT_EQ(line["label"][0][1], 5);
}

TEST(RoundTrip, ConllEveryScheme) {
  auto ds = concat({mustImport(Format::Conll, interop("conll/explosion-spaCy/extra/example_data/ner_example_data/ner-token-per-line-conll2003.iob")),
                    mustImport(Format::Conll, interop("conll/doccano-doccano/backend/data_import/tests/data/sequence_labeling/example.conll"))});
  // Two entities of one type side by side: the case where IOB1 needs a B-.
  lf::DatasetItem adj;
  adj.kind = labeling::ItemKind::Text;
  adj.text = "Paris Berlin and Rome";
  for (auto [s, e] : {std::pair{0, 5}, {6, 12}, {17, 21}}) {
    lf::DatasetAnnotation d;
    d.className = "LOC";
    d.a.kind = AnnotationKind::Span;
    d.a.coords = {double(s), double(e)};
    adj.annotations.push_back(d);
  }
  ds.items.push_back(adj);
  for (const char* scheme : {"IOB1", "IOB2", "BIOES"}) {
    SCOPED_TRACE(scheme);
    lf::ExportOptions opts;
    opts.conllScheme = scheme;
    lf::ExportReport report;
    auto back = roundTrip(Format::Conll, ds, opts, &report);
    EXPECT_TRUE(report.losses.empty()) << report.summary();
    expectSameModel(ds, back, Held{});
  }
}

lf::Dataset textRatingsDataset() {
  lf::Dataset ds;
  ds.format = Format::TextJsonl;
  lf::DatasetItem a;
  a.kind = labeling::ItemKind::Text;
  a.text = "Café au lait, s'il vous plaît";
  lf::DatasetAnnotation c;
  c.className = "french";
  c.a.kind = AnnotationKind::DocClass;
  a.annotations.push_back(c);
  lf::DatasetItem b;
  b.kind = labeling::ItemKind::Text;
  b.text = "Which answer is better, \"A\" or B?\nTwo lines, too.";
  lf::DatasetAnnotation r;
  r.a.kind = AnnotationKind::Rating;
  r.a.dataJson = R"({"comment":"ok, fine","response":0,"scores":{"correctness":4.0,"style":2.0}})";
  b.annotations.push_back(r);
  ds.items = {a, b};
  return ds;
}

TEST(RoundTrip, TextCsvClassesAndRatings) {
  auto ds = textRatingsDataset();
  lf::ExportReport report;
  auto back = roundTrip(Format::TextCsv, ds, {}, &report);
  EXPECT_TRUE(report.losses.empty()) << report.summary();
  expectSameModel(ds, back, Held{});
}

TEST(RoundTrip, TextJsonlSpansRelationsRatingsPrompts) {
  auto ds = textRatingsDataset();
  lf::DatasetItem p;
  p.kind = labeling::ItemKind::Prompt;
  p.text = "Summarise: 東京は日本の首都です。";
  p.responses = {{0, "model-a", "Tokyo is the capital."}, {1, "model-b", "Japan."}};
  lf::DatasetAnnotation rank;
  rank.a.kind = AnnotationKind::Ranking;
  rank.a.dataJson = R"({"ranks":[1,2]})";
  p.annotations.push_back(rank);
  lf::DatasetAnnotation s1, s2, rel, fix;
  s1.className = "PLACE", s1.a.kind = AnnotationKind::Span, s1.a.coords = {11, 13};
  s2.className = "PLACE", s2.a.kind = AnnotationKind::Span, s2.a.coords = {14, 16};
  rel.className = "capital_of", rel.a.kind = AnnotationKind::Relation, rel.a.dataJson = R"({"from":1,"to":2})";
  fix.a.kind = AnnotationKind::CorrectedText, fix.a.dataJson = R"({"text":"Summarise: Tokyo"})";
  p.annotations.insert(p.annotations.end(), {s1, s2, rel, fix});
  ds.items.push_back(p);
  lf::ExportReport report;
  auto back = roundTrip(Format::TextJsonl, ds, {}, &report);
  EXPECT_TRUE(report.losses.empty()) << report.summary();
  expectSameModel(ds, back, Held{});
  ASSERT_EQ(back.items.size(), 3u);
  EXPECT_EQ(back.items[2].responses.size(), 2u);
}

// [SECTION] Losses are reported

TEST(ExportLosses, YoloNamesWhatItCannotHold) {
  auto ds = mustImport(Format::Cvat, interop("cvat/cvat-ai-datumaro/tests/assets/cvat_dataset/for_images/train.xml"));
  ScratchProject p;
  p.merge(ds);
  auto report = p.exportTo(Format::Yolo, p.dir.path() / "out");
  EXPECT_EQ(report.losses["attributes"].count, 1);                       // the box's a1..a4
  EXPECT_EQ(report.losses["occluded flag"].count, 1);
  EXPECT_EQ(report.losses["keypoints (YOLO cannot hold it)"].count, 2);   // the skeletons
  EXPECT_EQ(report.losses["points (YOLO cannot hold it)"].count, 1);
  EXPECT_EQ(report.losses["annotation without an object class"].count, 2) << report.summary();  // label=""
  EXPECT_NE(report.summary().find("not held by the format"), std::string::npos);
  EXPECT_FALSE(report.losses["attributes"].examples.empty());
}

TEST(ExportLosses, VocReducesPolygonsToBoxesAndSaysSo) {
  auto ds = mustImport(Format::Labelme, interop("labelme/wkentaro-labelme/examples/primitives/primitives.json"));
  ScratchProject p;
  p.merge(ds);
  auto report = p.exportTo(Format::Voc, p.dir.path() / "out");
  std::int64_t lost = 0;
  for (const auto& [k, l] : report.losses) lost += l.count;
  EXPECT_EQ(lost, 6) << report.summary();  // circle, polygon, line, point, linestrip, mask
  EXPECT_EQ(report.annotations, 2 + 5);    // 2 rectangles + 5 shapes written as boxes
}

// [SECTION] Nothing here vs not labelled

TEST(NothingHere, YoloEmptyFileCocoListedImageLabelmeEmptyShapes) {
  ScratchProject p;
  lf::Dataset ds;
  ds.format = Format::Labelme;
  for (const char* name : {"empty.jpg", "todo.jpg", "one.jpg"}) {
    lf::DatasetItem it;
    it.fileName = name;
    it.widthPx = 10, it.heightPx = 10;
    ds.items.push_back(it);
  }
  lf::DatasetAnnotation box;
  box.className = "x";
  box.a.kind = AnnotationKind::Box;
  box.a.coords = {1, 1, 5, 5};
  ds.items[2].annotations.push_back(box);
  p.merge(ds);
  auto items = p.store->items({});
  ASSERT_EQ(items.size(), 3u);
  // merge marked both empty ones as nothing here (they were "labelled" with no shapes); undo one.
  ASSERT_TRUE(p.store->setNothingHere(items[1].id, false).ok());

  auto yolo = p.exportTo(Format::Yolo, p.dir.path() / "yolo");
  EXPECT_EQ(yolo.nothingHere, 1);
  EXPECT_EQ(yolo.unlabelledLeftOut, 1);
  EXPECT_TRUE(fs::exists(p.dir.path() / "yolo/labels/train/empty.txt"));
  EXPECT_EQ(fs::file_size(p.dir.path() / "yolo/labels/train/empty.txt"), 0u);
  EXPECT_FALSE(fs::exists(p.dir.path() / "yolo/labels/train/todo.txt"));

  p.exportTo(Format::Coco, p.dir.path() / "coco");
  auto j = nlohmann::json::parse(*lf::readTextFile(p.dir.path() / "coco/annotations/instances_default.json"));
  std::set<std::string> names;
  for (const auto& im : j["images"]) names.insert(im["file_name"]);
  EXPECT_EQ(names, (std::set<std::string>{"empty.jpg", "one.jpg"}));

  p.exportTo(Format::Labelme, p.dir.path() / "lm");
  EXPECT_TRUE(fs::exists(p.dir.path() / "lm/empty.json"));
  EXPECT_FALSE(fs::exists(p.dir.path() / "lm/todo.json"));
  auto back = mustImport(Format::Labelme, p.dir.path() / "lm");
  EXPECT_TRUE(findItem(back, "empty.jpg")->nothingHere());
}

}  // namespace
}  // namespace lb::test
