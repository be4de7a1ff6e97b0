// [SECTION] COCO: instances (polygons, RLE both spellings, crowd), keypoints, results lists.
//
// Import: a COCO dataset file (or a folder of them: annotations/instances_<subset>.json), or a
// results file (a bare list). One COCO annotation with several polygons (or polygons and
// keypoints) becomes several annotations sharing a groupId; export merges them back.
// Export: annotations/instances_<subset>.json, streamed: images and annotations go to part
// files during one pass over the store and are joined at the end.
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string subsetFromFileName(const Path& p) {
  std::string stem = p.stem().string();
  for (const char* prefix : {"instances_", "person_keypoints_", "captions_", "panoptic_"})
    if (stem.rfind(prefix, 0) == 0) return stem.substr(std::string(prefix).size());
  return "";
}

std::string findMedia(const Path& jsonDir, const std::string& subset, const std::string& fileName) {
  std::vector<Path> candidates = {jsonDir / fileName, jsonDir / "images" / fileName,
                                  jsonDir.parent_path() / "images" / subset / fileName,
                                  jsonDir.parent_path() / "images" / fileName, jsonDir.parent_path() / fileName};
  std::error_code ec;
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec)) return fs::absolute(c).lexically_normal().string();
  return "";
}

// Adds the annotations of one COCO record to `item`.
void readRecord(const json& r, const std::string& className, DatasetItem& item, int& nextGroup, Dataset& ds,
                const std::string& where) {
  std::vector<DatasetAnnotation> out;
  DatasetAnnotation base;
  base.className = className;
  json attrs = json::object();
  if (r.contains("attributes") && r["attributes"].is_object()) attrs = r["attributes"];
  if (attrs.contains("occluded") && attrs["occluded"].is_boolean()) {
    base.a.occluded = attrs["occluded"].get<bool>();
    attrs.erase("occluded");
  }
  if (r.contains("score") && r["score"].is_number()) attrs["score"] = r["score"];
  base.a.attributesJson = attrs.dump();
  const bool crowd = r.value("iscrowd", 0) == 1;

  const json seg = r.contains("segmentation") ? r["segmentation"] : json();
  if (seg.is_array() && !seg.empty()) {
    for (const auto& poly : seg) {
      if (!poly.is_array() || poly.size() < 6 || poly.size() % 2) {
        ds.problems.push_back(where + ": a polygon with fewer than 3 points was skipped");
        continue;
      }
      DatasetAnnotation d = base;
      d.a.kind = AnnotationKind::Polygon;
      d.a.coords = poly.get<std::vector<double>>();
      if (crowd) d.a.dataJson = R"({"crowd":true})";
      out.push_back(d);
    }
  } else if (seg.is_object() && seg.contains("counts") && seg.contains("size")) {
    const int h = seg["size"][0].get<int>(), w = seg["size"][1].get<int>();
    Result<std::vector<std::int64_t>> counts = seg["counts"].is_string()
                                                   ? cocoCountsFromString(seg["counts"].get<std::string>(), where)
                                                   : Result<std::vector<std::int64_t>>(seg["counts"].get<std::vector<std::int64_t>>());
    if (!counts) {
      ds.problems.push_back(counts.error().message);
      return;
    }
    auto mask = maskFromCocoRle(*counts, h, w, where);
    if (!mask) {
      ds.problems.push_back(mask.error().message);
      return;
    }
    if (!item.widthPx) item.widthPx = w, item.heightPx = h;
    DatasetAnnotation d = base;
    maskToAnnotation(*mask, d.a, crowd ? R"({"crowd":true})" : "");
    out.push_back(d);
  } else if (r.contains("bbox") && r["bbox"].is_array() && r["bbox"].size() == 4 &&
             !(r.contains("keypoints") && r.value("num_keypoints", 1) > 0 && !r.contains("segmentation"))) {
    const auto b = r["bbox"].get<std::vector<double>>();
    DatasetAnnotation d = base;
    d.a.kind = AnnotationKind::Box;
    d.a.coords = {b[0], b[1], b[0] + b[2], b[1] + b[3]};
    if (crowd) d.a.dataJson = R"({"crowd":true})";
    out.push_back(d);
  }
  if (r.contains("keypoints") && r["keypoints"].is_array() && !r["keypoints"].empty()) {
    DatasetAnnotation d = base;
    d.a.kind = AnnotationKind::Keypoints;
    d.a.coords = r["keypoints"].get<std::vector<double>>();
    if (d.a.coords.size() % 3 == 0) out.push_back(d);
    else ds.problems.push_back(where + ": keypoints are not x,y,v triples; skipped");
  }
  if (out.size() > 1) {
    const int g = nextGroup++;
    for (auto& d : out) d.a.groupId = g;
  }
  for (auto& d : out) item.annotations.push_back(std::move(d));
}

Status readCocoFile(const Path& file, Dataset& ds) {
  auto text = readTextFile(file);
  if (!text) return text.error();
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded())
    return makeError(ErrorCode::BadInput, file.string() + " is not valid JSON; check that the export finished");
  const std::string fname = file.filename().string();

  if (j.is_array()) {  // a results file: [{image_id, category_id, bbox|segmentation, score}]
    std::map<std::int64_t, std::size_t> byImage;
    std::map<std::int64_t, int> groups;
    std::size_t n = 0;
    for (const auto& r : j) {
      ++n;
      if (!r.is_object() || !r.contains("image_id") || !r.contains("category_id")) {
        ds.problems.push_back(fname + ": result " + std::to_string(n) + " has no image_id/category_id; skipped");
        continue;
      }
      const auto img = r["image_id"].get<std::int64_t>();
      auto [it, fresh] = byImage.try_emplace(img, ds.items.size());
      if (fresh) {
        DatasetItem item;
        item.fileName = std::to_string(img);
        ds.items.push_back(item);
        groups[img] = 1;
      }
      const std::string cls = std::to_string(r["category_id"].get<std::int64_t>());
      ds.ensureClass(cls, ClassScope::Object);
      readRecord(r, cls, ds.items[it->second], groups[img], ds, fname + " result " + std::to_string(n));
    }
    return okStatus();
  }
  if (!j.is_object() || !j.contains("images") || !j.contains("annotations"))
    return makeError(ErrorCode::BadInput, file.string() + " is not a COCO file (no images/annotations)");

  const std::string subset = subsetFromFileName(file);
  std::map<std::int64_t, std::string> catName;
  if (j.contains("categories"))
    for (const auto& c : j["categories"]) {
      const auto id = c.value("id", std::int64_t{-1});
      const std::string name = c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>() : std::to_string(id);
      catName[id] = name;
      ClassDef& cd = ds.ensureClass(name, ClassScope::Object);
      if (id >= 0 && !cd.sourceIds.count("coco")) cd.sourceIds["coco"] = id;
      if (c.contains("keypoints") && c["keypoints"].is_array()) {
        cd.keypointNames = c["keypoints"].get<std::vector<std::string>>();
        if (c.contains("skeleton"))
          for (const auto& e : c["skeleton"])
            if (e.is_array() && e.size() == 2) cd.skeletonEdges.emplace_back(e[0].get<int>() - 1, e[1].get<int>() - 1);
      }
    }
  std::map<std::int64_t, std::size_t> byImage;
  const std::size_t first = ds.items.size();
  for (const auto& im : j["images"]) {
    DatasetItem item;
    item.fileName = im.value("file_name", std::string());
    item.widthPx = im.value("width", 0);
    item.heightPx = im.value("height", 0);
    item.subset = subset;
    item.mediaFile = findMedia(file.parent_path(), subset, item.fileName);
    byImage[im.value("id", std::int64_t{-1})] = ds.items.size();
    ds.items.push_back(item);
  }
  std::vector<int> groups(ds.items.size() - first, 1);
  for (const auto& r : j["annotations"]) {
    const auto annId = r.value("id", std::int64_t{-1});
    const std::string where = fname + " annotation " + std::to_string(annId);
    auto im = byImage.find(r.value("image_id", std::int64_t{-1}));
    auto cat = catName.find(r.value("category_id", std::int64_t{-1}));
    if (im == byImage.end() || cat == catName.end()) {
      ds.problems.push_back(where + ": image_id or category_id is not declared; skipped");
      continue;
    }
    readRecord(r, cat->second, ds.items[im->second], groups[im->second - first], ds, where);
  }
  return okStatus();
}

}  // namespace

Result<Dataset> importCoco(const Path& path) {
  Dataset ds;
  ds.format = Format::Coco;
  std::vector<Path> files = fs::is_directory(path) ? listFiles(path, {".json"}) : std::vector<Path>{path};
  if (files.empty()) return makeError(ErrorCode::NotFound, "no .json files in " + path.string());
  for (const auto& f : files) {
    auto st = readCocoFile(f, ds);
    if (!st) {
      if (files.size() == 1) return st.error();
      ds.problems.push_back(st.error().message);
    }
  }
  return ds;
}

// [SECTION] Export

namespace {

struct SubsetOut {
  Path imagesPart, annotationsPart;
  std::ofstream images, annotations;
  bool firstImage = true, firstAnn = true;
};

// Appends a file's bytes (operator<< on an empty streambuf would set failbit on `out`).
void appendFile(std::ofstream& out, const Path& part) {
  std::ifstream in(part, std::ios::binary);
  if (in.peek() != std::ifstream::traits_type::eof()) out << in.rdbuf();
}

}  // namespace

Result<ExportReport> exportCoco(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  const LabelSchema& schema = src.schema();
  // Category ids: the client's own (kept from a COCO import) where every object class has one
  // and they are distinct; otherwise classes without one (or clashing) get ids after the largest.
  std::map<ClassId, std::int64_t> catId;
  std::set<std::int64_t> usedIds;
  std::int64_t maxId = 0;
  for (const auto& c : schema.classes)
    if (auto s = c.sourceIds.find("coco"); c.scope == ClassScope::Object && s != c.sourceIds.end() && s->second >= 0 &&
                                           usedIds.insert(s->second).second) {
      catId[c.id] = s->second;
      maxId = std::max(maxId, s->second);
    }
  json categories = json::array();
  for (const auto& c : schema.classes) {
    if (c.scope != ClassScope::Object) continue;
    if (!catId.count(c.id)) catId[c.id] = ++maxId;
    const std::int64_t id = catId[c.id];
    json cat = {{"id", id}, {"name", c.name}, {"supercategory", ""}};
    if (!c.keypointNames.empty()) {
      cat["keypoints"] = c.keypointNames;
      json sk = json::array();
      for (auto [a, b] : c.skeletonEdges) sk.push_back({a + 1, b + 1});
      cat["skeleton"] = sk;
    }
    categories.push_back(cat);
  }
  fs::create_directories(outDir / "annotations");
  std::map<std::string, SubsetOut> outs;
  for (const auto& s : src.subsets()) {
    auto& o = outs[s];
    const std::string name = s.empty() ? "default" : s;
    o.imagesPart = outDir / "annotations" / (".images_" + name + ".part");
    o.annotationsPart = outDir / "annotations" / (".annotations_" + name + ".part");
    o.images.open(o.imagesPart, std::ios::binary);
    o.annotations.open(o.annotationsPart, std::ios::binary);
    if (!o.images || !o.annotations) return makeError(ErrorCode::Io, "cannot write in " + outDir.string());
  }
  std::int64_t nextAnnId = 1;

  auto writeAnn = [&](SubsetOut& o, json rec) {
    rec["id"] = nextAnnId++;
    o.annotations << (o.firstAnn ? "\n" : ",\n") << rec.dump();
    o.firstAnn = false;
  };

  auto st = forEachImageToWrite(src, "COCO", opts, report,
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        SubsetOut& o = outs[src.subsetOf(index)];
        json image = {{"id", item.id}, {"file_name", item.mediaPath}, {"width", item.widthPx}, {"height", item.heightPx}};
        o.images << (o.firstImage ? "\n" : ",\n") << image.dump();
        o.firstImage = false;
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        if (opts.withMedia) copyMedia(src, item, outDir / "images" / item.mediaPath, report);

        // Group parts of one instance (same groupId and class) into one COCO annotation.
        std::map<std::pair<int, ClassId>, std::vector<const Annotation*>> groups;
        std::vector<std::vector<const Annotation*>> records;
        for (const auto& a : anns) {
          if (a.groupId != 0) groups[{a.groupId, a.classId}].push_back(&a);
          else records.push_back({&a});
        }
        for (auto& [k, v] : groups) records.push_back(v);

        for (const auto& rec : records) {
          const Annotation& head = *rec.front();
          auto cat = catId.find(head.classId);
          json base = {{"image_id", item.id}, {"iscrowd", 0}};
          json attrs = json::parse(head.attributesJson, nullptr, false);
          if (!attrs.is_object()) attrs = json::object();
          if (head.occluded) attrs["occluded"] = true;
          json polys = json::array();
          double polyArea = 0;
          std::vector<double> allXy;
          const Annotation* kp = nullptr;
          std::vector<const Annotation*> singles;
          for (const Annotation* a : rec) {
            const auto d = json::parse(a->dataJson, nullptr, false);
            const bool crowd = d.is_object() && d.value("crowd", false);
            if (a->zOrder != 0) report.lose("z order", describe(item, *a));
            if (a->kind == AnnotationKind::Polygon || a->kind == AnnotationKind::RotatedBox) {
              const auto xy = a->kind == AnnotationKind::Polygon ? a->coords : rotatedBoxCorners(a->coords);
              if (a->kind == AnnotationKind::RotatedBox) report.lose("rotated box written as a 4-point polygon", describe(item, *a));
              polys.push_back(xy);
              polyArea += polygonArea(xy);
              allXy.insert(allXy.end(), xy.begin(), xy.end());
              if (crowd) base["iscrowd"] = 1;
            } else if (a->kind == AnnotationKind::Keypoints && !kp) {
              kp = a;
            } else {
              singles.push_back(a);
            }
          }
          auto finish = [&](json r, const Annotation& a) {
            if (!attrs.empty()) r["attributes"] = attrs;
            auto c = catId.find(a.classId);
            if (c == catId.end()) {
              report.lose("annotation without an object class", describe(item, a));
              return;
            }
            r["category_id"] = c->second;
            writeAnn(o, r);
          };
          if (cat != catId.end() && (!polys.empty() || kp)) {
            json r = base;
            if (!polys.empty()) {
              const auto b = boundsOf(allXy);
              r["segmentation"] = polys;
              r["bbox"] = {b[0], b[1], b[2] - b[0], b[3] - b[1]};
              r["area"] = polyArea;
            } else {
              // Keypoints alone: the box of a Box in the same group, else of the visible points.
              const Annotation* box = nullptr;
              for (auto* s : singles)
                if (s->kind == AnnotationKind::Box) box = s;
              std::vector<double> xy;
              if (box) xy = box->coords;
              else
                for (std::size_t i = 0; i + 2 < kp->coords.size(); i += 3)
                  if (kp->coords[i + 2] > 0) xy.insert(xy.end(), {kp->coords[i], kp->coords[i + 1]});
              const auto b = boundsOf(xy);
              r["segmentation"] = json::array();
              r["bbox"] = {b[0], b[1], b[2] - b[0], b[3] - b[1]};
              r["area"] = (b[2] - b[0]) * (b[3] - b[1]);
              if (box) singles.erase(std::find(singles.begin(), singles.end(), box));
            }
            if (kp) {
              r["keypoints"] = kp->coords;
              int n = 0;
              for (std::size_t i = 2; i < kp->coords.size(); i += 3) n += kp->coords[i] > 0;
              r["num_keypoints"] = n;
              ++report.annotations;
            }
            report.annotations += static_cast<std::int64_t>(polys.size());
            finish(r, head);
          } else if (cat == catId.end() && (!polys.empty() || kp)) {
            report.lose("annotation without an object class", describe(item, head));
          }
          for (const Annotation* a : singles) {
            json r = base;
            const auto d = json::parse(a->dataJson, nullptr, false);
            const bool crowd = d.is_object() && d.value("crowd", false);
            if (a->kind == AnnotationKind::Box) {
              const auto& c = a->coords;
              r["segmentation"] = json::array();
              r["bbox"] = {c[0], c[1], c[2] - c[0], c[3] - c[1]};
              r["area"] = (c[2] - c[0]) * (c[3] - c[1]);
              if (crowd) r["iscrowd"] = 1;
            } else if (a->kind == AnnotationKind::Mask) {
              auto m = maskFromAnnotation(*a);
              if (!m) {
                report.lose("damaged mask", describe(item, *a));
                continue;
              }
              const auto counts = cocoRleFromMask(*m, item.widthPx, item.heightPx);
              // Crowd regions use the uncompressed list (as COCO's own files do), others the string.
              r["segmentation"] = {{"size", {item.heightPx, item.widthPx}},
                                   {"counts", crowd ? json(counts) : json(cocoCountsToString(counts))}};
              r["iscrowd"] = crowd ? 1 : 0;
              r["area"] = m->area();
              auto fg = maskFromCocoRle(counts, item.heightPx, item.widthPx, "");
              const auto& t = fg ? *fg : *m;
              r["bbox"] = {double(t.left), double(t.top), double(t.width), double(t.height)};
            } else {
              report.lose(std::string(toString(a->kind)) + " (COCO cannot hold it)", describe(item, *a));
              continue;
            }
            ++report.annotations;
            json saved = attrs;
            attrs = json::parse(a->attributesJson, nullptr, false);
            if (!attrs.is_object()) attrs = json::object();
            if (a->occluded) attrs["occluded"] = true;
            finish(r, *a);
            attrs = saved;
          }
        }
        return true;
      });
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();

  // Join the parts into the final files.
  for (auto& [subset, o] : outs) {
    o.images.close();
    o.annotations.close();
    const std::string name = "instances_" + (subset.empty() ? std::string("default") : subset) + ".json";
    const Path dest = outDir / "annotations" / name;
    std::ofstream out(dest, std::ios::binary);
    json info = {{"description", "LabelBench export"}, {"version", "1.0"}, {"year", 2026}, {"contributor", ""},
                 {"url", ""}, {"date_created", ""}};
    out << "{\"info\":" << info.dump() << ",\"licenses\":[],\"categories\":" << categories.dump() << ",\"images\":[";
    appendFile(out, o.imagesPart);
    out << "],\"annotations\":[";
    appendFile(out, o.annotationsPart);
    out << "]}\n";
    std::error_code ec;
    fs::remove(o.imagesPart, ec);
    fs::remove(o.annotationsPart, ec);
    if (!out) return makeError(ErrorCode::Io, "writing " + dest.string() + " failed (disk full?)");
    report.files.push_back("annotations/" + name);
  }
  return report;
}

}  // namespace lb::labeling::formats
