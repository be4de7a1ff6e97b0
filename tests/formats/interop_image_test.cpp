// Peers' own files (labelme, labelme2coco, the COCO API, Datumaro/CVAT, labelme2voc) are read
// and the facts listed in shared/data/interop/README.md hold.
#include "formats_test_util.h"

#include "labeling/formats/format_util.h"

namespace lb::test {
namespace {

using labeling::AnnotationKind;
using lf::Format;

const std::string kLabelme = "labelme/wkentaro-labelme/examples/";

TEST(InteropLabelme, InstanceSegmentationPolygonsAndGroups) {
  auto ds = mustImport(Format::Labelme, interop(kLabelme + "instance_segmentation/data_annotated"));
  ASSERT_EQ(ds.items.size(), 3u);
  const auto* a = findItem(ds, "2011_000003.jpg");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->widthPx, 500);
  EXPECT_EQ(a->heightPx, 338);
  ASSERT_EQ(a->annotations.size(), 5u);
  const char* labels[] = {"person", "person", "person", "bottle", "__ignore__"};
  const std::size_t points[] = {41, 41, 4, 9, 12};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(a->annotations[i].className, labels[i]);
    EXPECT_EQ(a->annotations[i].a.kind, AnnotationKind::Polygon);
    EXPECT_EQ(a->annotations[i].a.coords.size(), points[i] * 2);
  }
  // labelme group_id 0 (parts of one instance) -> one shared, non-zero group; null -> none.
  EXPECT_EQ(a->annotations[0].a.groupId, 0);
  EXPECT_NE(a->annotations[1].a.groupId, 0);
  EXPECT_EQ(a->annotations[1].a.groupId, a->annotations[2].a.groupId);
  EXPECT_DOUBLE_EQ(a->annotations[0].a.coords[0], 250.8142292490119);
  EXPECT_DOUBLE_EQ(a->annotations[0].a.coords[1], 107.33596837944665);

  const auto* b = findItem(ds, "2011_000006.jpg");
  ASSERT_TRUE(b);
  EXPECT_EQ(countClass(*b, "person"), 4);
  EXPECT_EQ(countClass(*b, "chair"), 1);
  EXPECT_EQ(countClass(*b, "sofa"), 4);
  EXPECT_EQ(countClass(*b, "__ignore__"), 1);
  std::set<int> sofaGroups;
  for (const auto& d : b->annotations)
    if (d.className == "sofa") sofaGroups.insert(d.a.groupId);
  EXPECT_EQ(sofaGroups.size(), 1u);
  EXPECT_NE(*sofaGroups.begin(), 0);
  // labels.txt: names with a space and a slash survive.
  EXPECT_TRUE(ds.findClass("potted plant", labeling::ClassScope::Object));
  EXPECT_TRUE(ds.findClass("tv/monitor", labeling::ClassScope::Object));
}

TEST(InteropLabelme, RectanglesAndClassificationFlags) {
  auto ds = mustImport(Format::Labelme, interop(kLabelme + "bbox_detection/data_annotated"));
  const auto* a = findItem(ds, "2011_000003.jpg");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->annotations.size(), 2u);
  EXPECT_EQ(a->annotations[0].a.kind, AnnotationKind::Box);
  EXPECT_EQ(a->annotations[0].a.coords, (std::vector<double>{191.0, 107.36900369003689, 313.0, 329.36900369003695}));
  EXPECT_EQ(a->annotations[1].a.coords, (std::vector<double>{365.0, 83.0, 500.0, 333.0}));
  const auto* c = findItem(ds, "2011_000025.jpg");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->annotations[0].a.coords, (std::vector<double>{84.0, 20.384615384615387, 435.0, 373.38461538461536}));
  EXPECT_EQ(c->annotations[2].className, "car");

  auto cls = mustImport(Format::Labelme, interop(kLabelme + "classification/data_annotated"));
  const auto* one = findItem(cls, "0001.jpg");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->widthPx, 640);
  EXPECT_EQ(one->heightPx, 480);
  ASSERT_EQ(one->annotations.size(), 1u);  // only the flag that is true
  EXPECT_EQ(one->annotations[0].a.kind, AnnotationKind::Tag);
  EXPECT_EQ(one->annotations[0].className, "cat");
  EXPECT_FALSE(one->nothingHere());
  const auto* two = findItem(cls, "0002.jpg");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->annotations.at(0).className, "dog");
  for (const char* flag : {"__ignore__", "cat", "dog"}) EXPECT_TRUE(cls.findClass(flag, labeling::ClassScope::ImageTag)) << flag;
}

TEST(InteropLabelme, EveryPrimitiveShapeType) {
  auto ds = mustImport(Format::Labelme, interop(kLabelme + "primitives/primitives.json"));
  ASSERT_EQ(ds.items.size(), 1u);
  const auto& it = ds.items[0];
  EXPECT_EQ(it.widthPx, 560);
  EXPECT_EQ(it.heightPx, 450);
  ASSERT_EQ(it.annotations.size(), 8u) << (ds.problems.empty() ? "" : ds.problems[0]);
  const auto& an = it.annotations;
  EXPECT_EQ(an[0].a.kind, AnnotationKind::Box);
  EXPECT_EQ(an[0].a.coords, (std::vector<double>{32, 35, 132, 135}));
  EXPECT_EQ(an[1].a.kind, AnnotationKind::Polygon);  // circle
  EXPECT_EQ(nlohmann::json::parse(an[1].a.dataJson)["circle"], nlohmann::json({195.0, 84.0, 225.0, 125.0}));
  EXPECT_EQ(an[3].a.kind, AnnotationKind::Polygon);
  EXPECT_EQ(an[3].a.coords.size(), 8u);
  EXPECT_EQ(an[3].a.coords[0], 69);
  EXPECT_EQ(an[4].a.kind, AnnotationKind::Polyline);
  EXPECT_EQ(an[4].a.coords, (std::vector<double>{188, 178, 160, 224}));
  EXPECT_EQ(an[5].a.kind, AnnotationKind::Points);
  EXPECT_EQ(an[5].a.coords, (std::vector<double>{345, 174}));
  EXPECT_EQ(an[6].a.kind, AnnotationKind::Polyline);
  EXPECT_EQ(an[6].className, "line_strip");
  EXPECT_EQ(an[6].a.coords.size(), 6u);
  EXPECT_EQ(an[7].a.kind, AnnotationKind::Mask);
  EXPECT_EQ(an[7].className, "octagon");
  auto m = lf::maskFromAnnotation(an[7].a);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->width, 100);
  EXPECT_EQ(m->height, 100);
  EXPECT_EQ(m->left, 417);
  EXPECT_EQ(m->top, 305);
  // An octagon fills its box's centre but not its corners.
  EXPECT_TRUE(m->px[50 * 100 + 50]);
  EXPECT_FALSE(m->px[0]);
  EXPECT_GT(m->area(), 7000);
  EXPECT_LT(m->area(), 10000);
}

TEST(InteropLabelme, EmbeddedImageDataWinsOverAWrongImagePath) {
  auto ds = mustImport(Format::Labelme, interop(kLabelme + "tutorial/apc2016_obj3.json"));
  ASSERT_EQ(ds.items.size(), 1u);
  const auto& it = ds.items[0];
  EXPECT_TRUE(it.mediaFile.empty());
  EXPECT_FALSE(it.embeddedImage.empty());
  EXPECT_EQ(it.fileName, "apc2016_obj3.jpg");
  EXPECT_EQ(it.widthPx, 1210);  // from decoding the embedded JPEG
  EXPECT_EQ(it.heightPx, 907);
  ASSERT_EQ(it.annotations.size(), 4u);
  EXPECT_EQ(it.annotations[0].className, "shelf");
  EXPECT_EQ(it.annotations[3].className, "kong_air_dog_squeakair_tennis_ball");
  EXPECT_EQ(it.annotations[3].a.coords.size(), 56u);
  EXPECT_DOUBLE_EQ(it.annotations[0].a.coords[0], 7.942307692307736);

  // Merged into a project, the embedded image becomes a real item with its media.
  ScratchProject p;
  auto rep = p.merge(ds);
  EXPECT_EQ(rep.itemsCreated, 1);
  auto items = p.store->items({});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].widthPx, 1210);
  EXPECT_TRUE(fs::exists(fs::path(p.store->info().mediaRoot) / items[0].mediaPath));
  EXPECT_EQ(p.store->annotations(items[0].id).size(), 4u);
}

TEST(InteropLabelme, VideoFrames) {
  auto ds = mustImport(Format::Labelme, interop(kLabelme + "video_annotation/data_annotated"));
  const auto* a = findItem(ds, "00000100.jpg");
  const auto* b = findItem(ds, "00000101.jpg");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->widthPx, 1000);
  EXPECT_EQ(a->heightPx, 563);
  ASSERT_EQ(a->annotations.size(), 3u);
  EXPECT_EQ(a->annotations[0].a.coords.size(), 28u);
  EXPECT_DOUBLE_EQ(a->annotations[0].a.coords[0], 634.0);
  EXPECT_DOUBLE_EQ(b->annotations[0].a.coords[0], 614.7407407407408);
  EXPECT_EQ(a->annotations[2].className, "car");
}

// [SECTION] COCO

TEST(InteropCoco, Labelme2CocoInstances) {
  auto ds = mustImport(Format::Coco, interop("coco/wkentaro-labelme/examples/instance_segmentation/data_dataset_coco/annotations.json"));
  ASSERT_EQ(ds.items.size(), 3u);
  EXPECT_EQ(ds.items[0].fileName, "JPEGImages/2011_000003.jpg");
  EXPECT_EQ(ds.items[0].widthPx, 500);
  EXPECT_EQ(ds.items[0].heightPx, 338);
  EXPECT_FALSE(ds.items[0].mediaFile.empty());  // the images are beside the file
  EXPECT_EQ(ds.items[2].fileName, "JPEGImages/2011_000006.jpg");
  EXPECT_EQ(ds.classes.size(), 21u);
  EXPECT_EQ(ds.classes[0].name, "_background_");
  EXPECT_EQ(ds.classes[15].name, "person");
  EXPECT_EQ(ds.classes[16].name, "potted plant");
  EXPECT_EQ(ds.classes[20].name, "tv/monitor");
  // Image 0: 3 records -> 4 polygons (record 1 holds 2 polygons of one instance, one group).
  const auto& a = ds.items[0].annotations;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].className, "person");
  EXPECT_EQ(a[0].a.coords.size(), 82u);
  EXPECT_DOUBLE_EQ(a[0].a.coords[0], 250.8142292490119);
  EXPECT_EQ(a[0].a.groupId, 0);
  EXPECT_EQ(a[1].a.coords.size(), 82u);
  EXPECT_EQ(a[2].a.coords.size(), 8u);
  EXPECT_NE(a[1].a.groupId, 0);
  EXPECT_EQ(a[1].a.groupId, a[2].a.groupId);
  // Image 2: 6 records, the last (sofa) holds 4 polygons of 18, 6, 18, 8 numbers.
  const auto& c = ds.items[2].annotations;
  std::vector<std::size_t> sofa;
  for (const auto& d : c)
    if (d.className == "sofa") sofa.push_back(d.a.coords.size());
  EXPECT_EQ(sofa, (std::vector<std::size_t>{18, 6, 18, 8}));
  std::size_t polygons = 0;
  for (const auto& it : ds.items) polygons += it.annotations.size();
  EXPECT_EQ(polygons, 4u + 3u + 6u + 3u);  // 12 records, 16 polygons
}

TEST(InteropCoco, DatumaroNonContiguousIdsEmptySegmentationAndCrowdRle) {
  const auto dir = interop("coco/cvat-ai-datumaro/tests/assets/coco_dataset/coco_instances/annotations");
  auto train = mustImport(Format::Coco, dir / "instances_train.json");
  ASSERT_EQ(train.items.size(), 1u);
  EXPECT_EQ(train.items[0].fileName, "a.jpg");
  EXPECT_EQ(train.items[0].subset, "train");
  EXPECT_FALSE(train.items[0].mediaFile.empty());  // found in images/train/
  EXPECT_EQ(train.items[0].widthPx, 10);
  EXPECT_EQ(train.items[0].heightPx, 5);
  ASSERT_EQ(train.classes.size(), 3u);
  EXPECT_EQ(train.classes[2].name, "c");  // id 4: no id 3
  ASSERT_EQ(train.items[0].annotations.size(), 1u);
  const auto& box = train.items[0].annotations[0];
  EXPECT_EQ(box.className, "b");
  EXPECT_EQ(box.a.kind, AnnotationKind::Box);  // segmentation [] -> the bbox
  EXPECT_EQ(box.a.coords, (std::vector<double>{2, 2, 5, 3}));

  auto val = mustImport(Format::Coco, dir / "instances_val.json");
  ASSERT_EQ(val.items.size(), 1u);
  const auto& an = val.items[0].annotations;
  ASSERT_EQ(an.size(), 2u);
  EXPECT_EQ(an[0].a.kind, AnnotationKind::Polygon);
  EXPECT_EQ(an[0].a.coords, (std::vector<double>{0, 0, 1, 0, 1, 2, 0, 2}));
  EXPECT_EQ(nlohmann::json::parse(an[0].a.attributesJson), nlohmann::json({{"x", 1}, {"y", "hello"}}));
  EXPECT_EQ(an[1].a.kind, AnnotationKind::Mask);
  EXPECT_TRUE(nlohmann::json::parse(an[1].a.dataJson).value("crowd", false));
  auto m = lf::maskFromAnnotation(an[1].a);
  ASSERT_TRUE(m.ok());
  // counts [0,20,30] over 10x5 fill the first 2 columns: the mask box is [0,0,2,10], not the file's bbox.
  EXPECT_EQ(m->left, 0);
  EXPECT_EQ(m->top, 0);
  EXPECT_EQ(m->width, 2);
  EXPECT_EQ(m->height, 10);
  EXPECT_EQ(m->area(), 20);

  auto both = mustImport(Format::Coco, dir);
  EXPECT_EQ(both.items.size(), 2u);
}

TEST(InteropCoco, ResultsFilesAreBareListsWithCompressedRle) {
  const auto dir = interop("coco/cocodataset-cocoapi/results");
  auto segm = mustImport(Format::Coco, dir / "instances_val2014_fakesegm100_results.json");
  EXPECT_TRUE(segm.problems.empty()) << segm.problems.front();
  EXPECT_EQ(segm.items.size(), 99u);
  EXPECT_EQ(segm.classes.size(), 75u);
  std::size_t results = 0;
  for (const auto& it : segm.items) results += it.annotations.size();
  EXPECT_EQ(results, 734u);
  const auto& first = segm.items[0];
  EXPECT_EQ(first.fileName, "42");
  EXPECT_EQ(first.heightPx, 478);
  EXPECT_EQ(first.widthPx, 640);
  EXPECT_EQ(first.annotations[0].className, "18");
  EXPECT_EQ(first.annotations[0].a.kind, AnnotationKind::Mask);
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(first.annotations[0].a.attributesJson)["score"].get<double>(), 0.236);
  // The compressed string decodes to counts that cover the image and encode back to the same string.
  auto counts = lf::cocoCountsFromString("VQi31m>0O2N100O100O2", "test");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(lf::cocoCountsToString(*counts), "VQi31m>0O2N100O100O2");
  std::map<std::pair<int, int>, int> sizes;
  for (const auto& it : segm.items)
    for (const auto& d : it.annotations) (void)d, ++sizes[{it.heightPx, it.widthPx}];
  EXPECT_EQ((sizes[{480, 640}]), 278);
  EXPECT_EQ((sizes[{427, 640}]), 88);
  EXPECT_EQ((sizes[{426, 640}]), 44);
  const auto& last = segm.items.back();
  EXPECT_EQ(last.fileName, "1292");
  EXPECT_EQ(last.annotations.back().className, "47");

  auto bbox = mustImport(Format::Coco, dir / "instances_val2014_fakebbox100_results.json");
  const auto& b0 = bbox.items[0].annotations[0];
  EXPECT_EQ(b0.a.kind, AnnotationKind::Box);
  EXPECT_NEAR(b0.a.coords[0], 258.15, 1e-9);
  EXPECT_NEAR(b0.a.coords[2], 258.15 + 348.26, 1e-9);
  const auto& bl = bbox.items.back().annotations.back();
  EXPECT_NEAR(bl.a.coords[3], 228.43 + 32.89, 1e-9);
}

// [SECTION] YOLO

const std::string kYolo = "yolo/cvat-ai-datumaro/tests/assets/yolo_dataset/";

void expectTwoDatumaroBoxes(const lf::DatasetItem& it) {
  ASSERT_EQ(it.annotations.size(), 2u);
  EXPECT_EQ(it.widthPx, 15);
  EXPECT_EQ(it.heightPx, 10);
  EXPECT_EQ(it.annotations[0].className, "label_2");
  EXPECT_EQ(it.annotations[1].className, "label_4");
  const auto& a = it.annotations[0].a.coords;
  const auto& b = it.annotations[1].a.coords;
  // label_2 at x 0-4, y 2-4; label_4 at x 3-5, y 3-6 (values are 6-decimal normalised).
  for (auto [got, want] : {std::pair{a[0], 0.0}, {a[1], 2.0}, {a[2], 4.0}, {a[3], 4.0}, {b[0], 3.0}, {b[1], 3.0}, {b[2], 5.0}, {b[3], 6.0}})
    EXPECT_NEAR(got, want, 1e-4);
}

TEST(InteropYolo, DarknetLayout) {
  auto ds = mustImport(Format::Yolo, interop(kYolo + "yolo"));
  EXPECT_EQ(ds.classes.size(), 10u);
  EXPECT_EQ(ds.classes[9].name, "label_9");
  ASSERT_EQ(ds.items.size(), 1u);
  EXPECT_EQ(ds.items[0].subset, "train");
  expectTwoDatumaroBoxes(ds.items[0]);
}

TEST(InteropYolo, UltralyticsDetectionSegmentationAndOrientedBoxes) {
  auto det = mustImport(Format::Yolo, interop(kYolo + "yolov8_detection"));
  EXPECT_EQ(det.classes.size(), 10u);
  ASSERT_EQ(det.items.size(), 1u);
  EXPECT_EQ(det.items[0].subset, "train");
  expectTwoDatumaroBoxes(det.items[0]);

  auto seg = mustImport(Format::Yolo, interop(kYolo + "yolov8_segmentation"));
  ASSERT_EQ(seg.items.size(), 1u);
  const auto& s = seg.items[0].annotations;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].a.kind, AnnotationKind::Polygon);
  EXPECT_EQ(s[0].a.coords.size(), 6u);
  EXPECT_NEAR(s[0].a.coords[2], 0.4 * 15, 1e-9);
  EXPECT_EQ(s[1].a.coords.size(), 10u);

  auto obb = mustImport(Format::Yolo, interop(kYolo + "yolov8_oriented_boxes"));
  ASSERT_EQ(obb.items.size(), 1u);
  const auto& o = obb.items[0].annotations;
  ASSERT_EQ(o.size(), 2u);
  for (const auto& d : o) EXPECT_EQ(d.a.kind, AnnotationKind::RotatedBox);
  // The second box pokes out of the image (a corner at y = -0.009808): kept, not clamped.
  const auto corners = lf::rotatedBoxCorners(o[1].a.coords);
  double minY = 1e9;
  for (std::size_t i = 1; i < corners.size(); i += 2) minY = std::min(minY, corners[i]);
  EXPECT_NEAR(minY, -0.009808 * 10, 1e-3);
}

// [SECTION] VOC

TEST(InteropVoc, Labelme2VocFloatsAndNoDeclaration) {
  auto ds = mustImport(Format::Voc, interop("voc/wkentaro-labelme/examples/bbox_detection/data_dataset_voc"));
  ASSERT_EQ(ds.items.size(), 3u);
  EXPECT_EQ(ds.classes.size(), 0u + 0u);  // no labelmap.txt in this layout
  const auto* a = findItem(ds, "2011_000003.jpg");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->widthPx, 500);
  EXPECT_EQ(a->heightPx, 338);
  ASSERT_EQ(a->annotations.size(), 2u);
  EXPECT_EQ(a->annotations[0].a.coords, (std::vector<double>{191.0, 107.36900369003689, 313.0, 329.36900369003695}));
  // Empty <pose/>, <truncated/>, <difficult/> are absent values, not zeros.
  EXPECT_EQ(a->annotations[0].a.attributesJson, "{}");
  const auto* b = findItem(ds, "2011_000006.jpg");
  ASSERT_TRUE(b);
  ASSERT_EQ(b->annotations.size(), 4u);
  EXPECT_EQ(b->annotations[2].a.coords,
            (std::vector<double>{254.38461538461536, 115.38461538461539, 369.38461538461536, 292.38461538461536}));
  const auto* c = findItem(ds, "2011_000025.jpg");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->annotations[1].a.coords, (std::vector<double>{1.0, 99.0, 107.0, 282.0}));
  EXPECT_EQ(c->annotations[2].className, "car");
}

TEST(InteropVoc, DatumaroPartsActionsAndUnlabelledListedItem) {
  auto ds = mustImport(Format::Voc, interop("voc/openvinotoolkit-datumaro/tests/assets/voc_dataset/voc_dataset1"));
  const auto* a = findItem(ds, "2007_000001.jpg");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->subset, "train");
  EXPECT_EQ(a->widthPx, 20);
  ASSERT_EQ(a->annotations.size(), 3u);  // cat, person, head (part of person)
  const auto cat = nlohmann::json::parse(a->annotations[0].a.attributesJson);
  EXPECT_EQ(cat["pose"], "Unspecified");
  EXPECT_EQ(cat["truncated"], true);
  EXPECT_EQ(cat["difficult"], false);
  const auto& person = a->annotations[1];
  const auto pj = nlohmann::json::parse(person.a.attributesJson);
  EXPECT_FALSE(pj.contains("pose"));
  EXPECT_EQ(pj["jumping"], false);
  EXPECT_EQ(pj["phoning"], true);
  EXPECT_EQ(pj["walking"], true);
  const auto& head = a->annotations[2];
  EXPECT_EQ(head.className, "head");
  EXPECT_EQ(head.a.coords, (std::vector<double>{5.5, 6, 7.5, 8}));
  EXPECT_NE(person.a.groupId, 0);
  EXPECT_EQ(person.a.groupId, head.a.groupId);
  const auto* b = findItem(ds, "2007_000002.jpg");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->labelled);  // listed in test.txt, has an image, no XML
  EXPECT_EQ(b->subset, "test");
  EXPECT_FALSE(b->nothingHere());
}

TEST(InteropVoc, NoSizeElementAndZeroObjects) {
  auto ds = mustImport(Format::Voc, interop("voc/openvinotoolkit-datumaro/tests/assets/voc_dataset/voc_dataset2"));
  EXPECT_EQ(ds.classes.size(), 22u);
  EXPECT_EQ(ds.classes.front().name, "background");
  EXPECT_EQ(ds.classes.back().name, "ignored");
  ASSERT_EQ(ds.items.size(), 5u);
  const auto* at = findItem(ds, "@.jpg");
  ASSERT_TRUE(at);
  EXPECT_TRUE(at->nothingHere());
  const auto* a = findItem(ds, "a.jpg");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->widthPx, 0);  // no <size> and no image: unknown
  ASSERT_EQ(a->annotations.size(), 1u);
  EXPECT_EQ(a->annotations[0].className, "background");
  EXPECT_TRUE(a->annotations[0].a.occluded);
  EXPECT_EQ(a->annotations[0].a.coords, (std::vector<double>{1, 2, 4, 6}));
  EXPECT_EQ(findItem(ds, "c.jpg")->annotations[0].a.coords, (std::vector<double>{3, 1, 11, 6}));
  EXPECT_EQ(findItem(ds, "d.jpg")->annotations[0].className, "bird");
}

TEST(InteropVoc, SizeFromTheImageWhenTheXmlHasNone) {
  // A copy of labelme2voc's layout with the <size> element removed.
  TempDir d;
  const auto src = interop("voc/wkentaro-labelme/examples/bbox_detection/data_dataset_voc");
  fs::create_directories(d.path() / "Annotations");
  fs::copy(src / "JPEGImages", d.path() / "JPEGImages");
  auto xml = lf::readTextFile(src / "Annotations/2011_000003.xml");
  ASSERT_TRUE(xml.ok());
  std::string t = *xml;
  t.erase(t.find("<size>"), t.find("</size>") + 7 - t.find("<size>"));
  ASSERT_TRUE(lf::writeTextFile(d.path() / "Annotations/2011_000003.xml", t).ok());
  auto ds = mustImport(Format::Voc, d.path());
  ASSERT_EQ(ds.items.size(), 1u);
  EXPECT_EQ(ds.items[0].widthPx, 500);
  EXPECT_EQ(ds.items[0].heightPx, 338);
}

// [SECTION] CVAT

TEST(InteropCvat, DatumaroSampleBoxesAttributesSkeletons) {
  auto ds = mustImport(Format::Cvat, interop("cvat/cvat-ai-datumaro/tests/assets/cvat_dataset/for_images/train.xml"));
  const auto* l1 = ds.findClass("label1", labeling::ClassScope::Object);
  ASSERT_TRUE(l1);
  ASSERT_EQ(l1->attributes.size(), 4u);
  EXPECT_EQ(l1->attributes[0].type, labeling::AttributeType::Bool);
  EXPECT_EQ(l1->attributes[1].type, labeling::AttributeType::Enum);
  EXPECT_EQ(l1->attributes[1].options, (std::vector<std::string>{"v1", "v2", "v3"}));
  EXPECT_EQ(l1->attributes[1].defaultValue, "v1");
  EXPECT_EQ(l1->attributes[2].type, labeling::AttributeType::Text);
  EXPECT_EQ(l1->attributes[3].type, labeling::AttributeType::Number);
  const auto* sk = ds.findClass("skeleton", labeling::ClassScope::Object);
  ASSERT_TRUE(sk);
  EXPECT_EQ(sk->keypointNames, (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(sk->skeletonEdges, (std::vector<std::pair<int, int>>{{2, 1}, {0, 3}}));
  EXPECT_FALSE(ds.findClass("1", labeling::ClassScope::Object));  // sublabels are keypoints, not classes

  ASSERT_EQ(ds.items.size(), 2u);
  const auto& img0 = ds.items[0];
  EXPECT_EQ(img0.widthPx, 8);
  ASSERT_EQ(img0.annotations.size(), 3u);
  const auto& box = img0.annotations[0].a;
  EXPECT_EQ(box.kind, AnnotationKind::Box);
  EXPECT_TRUE(box.occluded);
  EXPECT_EQ(box.zOrder, 1);
  EXPECT_EQ(box.coords, (std::vector<double>{0, 2, 4, 4}));
  const auto attrs = nlohmann::json::parse(box.attributesJson);
  EXPECT_EQ(attrs["a1"], true);
  EXPECT_EQ(attrs["a2"], "v3");
  EXPECT_EQ(attrs["a3"], "0003");
  EXPECT_DOUBLE_EQ(attrs["a4"].get<double>(), 2.4);
  EXPECT_EQ(img0.annotations[1].a.kind, AnnotationKind::Polyline);
  EXPECT_EQ(img0.annotations[1].className, "");
  EXPECT_EQ(img0.annotations[1].a.coords, (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8}));
  const auto& kp = img0.annotations[2].a;
  EXPECT_EQ(kp.kind, AnnotationKind::Keypoints);
  EXPECT_EQ(kp.coords, (std::vector<double>{1, 1, 0, 2, 2, 2, 3, 3, 2, 4, 4, 2}));  // "1" is outside
  const auto& img1 = ds.items[1];
  ASSERT_EQ(img1.annotations.size(), 3u);
  EXPECT_EQ(img1.annotations[0].a.kind, AnnotationKind::Polygon);
  EXPECT_EQ(img1.annotations[1].a.kind, AnnotationKind::Points);
  EXPECT_EQ(img1.annotations[1].className, "label2");
  EXPECT_EQ(img1.annotations[1].a.zOrder, 2);
  EXPECT_EQ(img1.annotations[2].a.coords[8], 0);  // "3" is outside
  EXPECT_FALSE(img0.mediaFile.empty());
}

TEST(InteropCvat, ProjectExportRepeatsImageIdsAcrossSubsets) {
  auto ds = mustImport(Format::Cvat, interop("cvat/openvinotoolkit-datumaro/tests/assets/cvat_dataset/for_images/export_project/annotations.xml"));
  ASSERT_EQ(ds.items.size(), 6u);
  std::set<std::string> keys;
  for (const auto& it : ds.items) {
    keys.insert(it.subset + "/" + fs::path(it.fileName).filename().string());
    EXPECT_FALSE(it.mediaFile.empty()) << it.fileName;
    EXPECT_EQ(it.annotations.size(), 2u);
  }
  EXPECT_EQ(keys.size(), 6u);
  EXPECT_TRUE(keys.count("Validation/img1.jpg"));
  EXPECT_TRUE(ds.findClass("label1", labeling::ClassScope::Object));
  // Merged into a project: six items (same names, different files per subset).
  ScratchProject p;
  auto rep = p.merge(ds);
  EXPECT_EQ(rep.itemsCreated + rep.itemsMatched, 6);
  EXPECT_EQ(rep.annotationsAdded + rep.annotationsAlreadyThere, 12);
}

}  // namespace
}  // namespace lb::test
