// A real peer reads our output: Debian's labelme 5.1.1 loads every labelme JSON we write through
// labelme.LabelFile, and every COCO file we write passes a check as strict as pycocotools' loader.
#include "formats_test_util.h"

#include "labeling/formats/format_util.h"

namespace lb::test {
namespace {

using lf::Format;
using nlohmann::json;

// Everything pycocotools' COCO() and loadRes()/annToRLE rely on, plus what its index assumes.
std::vector<std::string> cocoProblems(const json& j) {
  std::vector<std::string> p;
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) p.push_back(what);
    return ok;
  };
  if (!need(j.is_object(), "top level is not an object")) return p;
  for (const char* k : {"images", "annotations", "categories"})
    if (!need(j.contains(k) && j[k].is_array(), std::string("missing list ") + k)) return p;
  std::map<std::int64_t, std::pair<int, int>> images;  // id -> (w, h)
  for (const auto& im : j["images"]) {
    if (!need(im.contains("id") && im["id"].is_number_integer(), "image without integer id")) continue;
    need(im.contains("file_name") && im["file_name"].is_string(), "image without file_name");
    need(im.contains("width") && im["width"].is_number_integer() && im.contains("height") && im["height"].is_number_integer(),
         "image without integer width/height");
    need(images.emplace(im["id"].get<std::int64_t>(), std::pair{im.value("width", 0), im.value("height", 0)}).second,
         "duplicate image id " + im["id"].dump());
  }
  std::set<std::int64_t> cats;
  for (const auto& c : j["categories"]) {
    need(c.contains("id") && c["id"].is_number_integer() && c.contains("name") && c["name"].is_string(), "bad category");
    need(cats.insert(c.value("id", std::int64_t{-1})).second, "duplicate category id");
    if (c.contains("keypoints")) need(c["keypoints"].is_array(), "category keypoints not a list");
  }
  std::set<std::int64_t> annIds;
  for (const auto& a : j["annotations"]) {
    const std::string id = a.contains("id") ? a["id"].dump() : "?";
    need(a.contains("id") && a["id"].is_number_integer() && annIds.insert(a["id"].get<std::int64_t>()).second,
         "annotation id missing or duplicate: " + id);
    need(a.contains("image_id") && images.count(a.value("image_id", std::int64_t{-1})), "annotation " + id + ": unknown image_id");
    need(a.contains("category_id") && cats.count(a.value("category_id", std::int64_t{-1})), "annotation " + id + ": unknown category_id");
    need(a.contains("bbox") && a["bbox"].is_array() && a["bbox"].size() == 4 &&
             std::all_of(a["bbox"].begin(), a["bbox"].end(), [](const json& v) { return v.is_number(); }),
         "annotation " + id + ": bbox is not 4 numbers");
    need(a.contains("area") && a["area"].is_number(), "annotation " + id + ": no area");
    need(a.contains("iscrowd") && (a["iscrowd"] == 0 || a["iscrowd"] == 1), "annotation " + id + ": iscrowd not 0/1");
    if (!need(a.contains("segmentation"), "annotation " + id + ": no segmentation")) continue;
    const json& s = a["segmentation"];
    if (s.is_array()) {
      for (const auto& poly : s)
        need(poly.is_array() && poly.size() >= 6 && poly.size() % 2 == 0, "annotation " + id + ": polygon of odd length or < 3 points");
    } else if (need(s.is_object() && s.contains("size") && s.contains("counts"), "annotation " + id + ": segmentation neither polygons nor RLE")) {
      const auto im = images.find(a.value("image_id", std::int64_t{-1}));
      if (im != images.end())
        need(s["size"] == json({im->second.second, im->second.first}), "annotation " + id + ": RLE size is not [h, w] of its image");
      std::int64_t total = 0;
      if (s["counts"].is_array()) {
        for (const auto& c : s["counts"]) total += c.get<std::int64_t>();
      } else if (auto counts = lf::cocoCountsFromString(s["counts"].get<std::string>(), id)) {
        for (auto c : *counts) total += c;
      }
      need(total == s["size"][0].get<std::int64_t>() * s["size"][1].get<std::int64_t>(), "annotation " + id + ": RLE counts do not cover the image");
    }
    if (a.contains("keypoints")) need(a["keypoints"].size() % 3 == 0 && a.contains("num_keypoints"), "annotation " + id + ": bad keypoints");
  }
  return p;
}

TEST(PeerCheck, CocoExportsPassAPycocotoolsStrictCheck) {
  lf::Dataset all;
  all.format = Format::Coco;
  for (auto [f, path] : {std::pair{Format::Coco, "coco/wkentaro-labelme/examples/instance_segmentation/data_dataset_coco/annotations.json"},
                         {Format::Coco, "coco/cvat-ai-datumaro/tests/assets/coco_dataset/coco_instances/annotations"},
                         {Format::Coco, "coco/cocodataset-cocoapi/results/instances_val2014_fakesegm100_results.json"},
                         {Format::Labelme, "labelme/wkentaro-labelme/examples/primitives/primitives.json"},
                         {Format::Cvat, "cvat/cvat-ai-datumaro/tests/assets/cvat_dataset/for_images/train.xml"}}) {
    auto ds = mustImport(f, interop(path));
    all.items.insert(all.items.end(), ds.items.begin(), ds.items.end());
    all.classes.insert(all.classes.end(), ds.classes.begin(), ds.classes.end());
  }
  ScratchProject p;
  p.merge(all);
  lf::ExportOptions opts;
  opts.filter.splitRatios = {0.5, 0.5};
  p.exportTo(Format::Coco, p.dir.path() / "out", opts);
  int files = 0;
  for (const auto& f : lf::listFiles(p.dir.path() / "out", {".json"})) {
    ++files;
    auto j = json::parse(*lf::readTextFile(f), nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << f;
    const auto problems = cocoProblems(j);
    EXPECT_TRUE(problems.empty()) << f << ": " << problems.front();
    EXPECT_GT(j["annotations"].size(), 0u);
  }
  EXPECT_EQ(files, 2);
}

TEST(PeerCheck, TheStrictCheckCatchesBrokenFiles) {
  auto good = json::parse(R"({"images":[{"id":1,"file_name":"a.jpg","width":4,"height":2}],
    "categories":[{"id":3,"name":"x"}],
    "annotations":[{"id":1,"image_id":1,"category_id":3,"bbox":[0,0,1,1],"area":1,"iscrowd":0,
                    "segmentation":{"size":[2,4],"counts":[0,8]}}]})");
  EXPECT_TRUE(cocoProblems(good).empty());
  auto bad = good;
  bad["annotations"][0]["segmentation"]["size"] = {4, 2};
  EXPECT_FALSE(cocoProblems(bad).empty());
  bad = good;
  bad["annotations"][0]["category_id"] = 2;
  EXPECT_FALSE(cocoProblems(bad).empty());
  bad = good;
  bad["annotations"][0]["segmentation"] = {{1, 2, 3, 4, 5}};
  EXPECT_FALSE(cocoProblems(bad).empty());
}

TEST(PeerCheck, Labelme511LoadsEveryFileWeWrite) {
  if (!fs::exists("/usr/lib/python3/dist-packages/labelme/label_file.py")) GTEST_SKIP() << "Debian's labelme is not installed";
  const std::string ex = "labelme/wkentaro-labelme/examples/";
  lf::Dataset all;
  all.format = Format::Labelme;
  for (auto [f, path] : {std::pair{Format::Labelme, ex + "instance_segmentation/data_annotated"},
                         {Format::Labelme, ex + "primitives/primitives.json"},
                         {Format::Labelme, ex + "classification/data_annotated"},
                         {Format::Labelme, ex + "tutorial/apc2016_obj3.json"},
                         {Format::Coco, std::string("coco/cvat-ai-datumaro/tests/assets/coco_dataset/coco_instances/annotations")}}) {
    auto ds = mustImport(f, interop(path));
    all.items.insert(all.items.end(), ds.items.begin(), ds.items.end());
  }
  ScratchProject p;
  p.merge(all);
  for (bool withMedia : {false, true}) {
    SCOPED_TRACE(withMedia ? "with media" : "media referenced in the project");
    lf::ExportOptions opts;
    opts.withMedia = withMedia;
    const auto out = p.dir.path() / (withMedia ? "with" : "without");
    auto report = p.exportTo(Format::Labelme, out, opts);
    EXPECT_EQ(report.files.size(), 9u);
    for (const auto& rel : report.files) {
      const auto file = (out / rel).string();
      auto r = run("/usr/bin/python3 -c \"import sys, labelme; f = labelme.LabelFile(filename=sys.argv[1]); "
                   "assert len(f.shapes) >= 0 and f.imageData\" '" + file + "' 2>&1");
      EXPECT_EQ(r.exitCode, 0) << file << "\n" << r.output;
    }
  }
  // The shapes labelme reads are ours: count them for one file.
  std::string primitives;
  for (const auto& f : lf::listFiles(p.dir.path() / "with", {".json"}))
    if (f.filename() == "primitives.json") primitives = f.string();
  ASSERT_FALSE(primitives.empty());
  auto r = run("/usr/bin/python3 -c \"import sys, labelme; f = labelme.LabelFile(filename=sys.argv[1]); "
               "print(len(f.shapes), sorted(set(s['shape_type'] for s in f.shapes)))\" '" +
               primitives + "' 2>/dev/null");
  EXPECT_EQ(r.output, "8 ['circle', 'line', 'linestrip', 'mask', 'point', 'polygon', 'rectangle']\n");
}

}  // namespace
}  // namespace lb::test
