// [SECTION] Pascal VOC XML: Annotations/<id>.xml (+ JPEGImages/, ImageSets/Main/<subset>.txt).
//
// bndbox -> Box (floats kept); pose/truncated/difficult -> attributes; occluded -> the flag;
// <actions> -> yes/no attributes; <part> -> a Box of the part's class in the object's group with
// data {"voc_part": true}; Datumaro-style <attributes> -> attributes. A file without <size> takes
// the size from its image. Ids listed in ImageSets without an XML are "not labelled".
#include <nlohmann/json.hpp>
#include <tinyxml2.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"
#include "labeling/import/image_header.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;
using nlohmann::json;
using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

namespace {

const std::set<std::string> kStandardKeys = {"pose", "truncated", "difficult"};

std::string textOf(const XMLElement* e, const char* child) {
  const XMLElement* c = e ? e->FirstChildElement(child) : nullptr;
  return c && c->GetText() ? c->GetText() : "";
}

bool readBox(const XMLElement* obj, std::vector<double>& out) {
  const XMLElement* b = obj->FirstChildElement("bndbox");
  if (!b) return false;
  out.clear();
  for (const char* k : {"xmin", "ymin", "xmax", "ymax"}) {
    const std::string t = textOf(b, k);
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (t.empty() || *end) return false;
    out.push_back(v);
  }
  return true;
}

Path findImage(const Path& root, const std::string& fileName, const std::string& id) {
  std::error_code ec;
  for (const Path& p : {root / "JPEGImages" / fileName, root / "JPEGImages" / (id + ".jpg"),
                        root / "JPEGImages" / (id + ".png"), root / "images" / fileName})
    if (!fileName.empty() && fs::is_regular_file(p, ec)) return p;
  return {};
}

void sizeFromImage(const Path& img, DatasetItem& item) {
  auto bytes = readTextFile(img);
  if (!bytes) return;
  auto hdr = readImageHeader(reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size(), img.string());
  if (hdr) item.widthPx = hdr->widthPx, item.heightPx = hdr->heightPx;
}

Status readVocFile(const Path& file, const Path& root, DatasetItem& item, Dataset& ds) {
  XMLDocument doc;
  if (doc.LoadFile(file.string().c_str()) != tinyxml2::XML_SUCCESS)
    return makeError(ErrorCode::BadInput, file.string() + " is not well-formed XML: " + (doc.ErrorStr() ? doc.ErrorStr() : ""));
  const XMLElement* ann = doc.FirstChildElement("annotation");
  if (!ann) return makeError(ErrorCode::BadInput, file.string() + " has no <annotation> root; not a VOC file");
  const std::string id = file.stem().string();
  std::string fileName = textOf(ann, "filename");
  if (fileName.empty()) fileName = id + ".jpg";
  const Path img = findImage(root, fileName, id);
  item.fileName = img.empty() ? fileName : img.lexically_relative(root).generic_string();
  if (!img.empty()) item.mediaFile = fs::absolute(img).lexically_normal().string();
  if (const XMLElement* size = ann->FirstChildElement("size")) {
    item.widthPx = static_cast<int>(std::lround(std::atof(textOf(size, "width").c_str())));
    item.heightPx = static_cast<int>(std::lround(std::atof(textOf(size, "height").c_str())));
  }
  if ((item.widthPx <= 0 || item.heightPx <= 0) && !img.empty()) sizeFromImage(img, item);

  int group = 1;
  int n = 0;
  for (const XMLElement* obj = ann->FirstChildElement("object"); obj; obj = obj->NextSiblingElement("object")) {
    ++n;
    DatasetAnnotation d;
    d.className = textOf(obj, "name");
    d.a.kind = AnnotationKind::Box;
    if (!readBox(obj, d.a.coords)) {
      ds.problems.push_back(file.filename().string() + " object " + std::to_string(n) + ": no numeric <bndbox>; skipped");
      continue;
    }
    json attrs = json::object();
    if (const std::string pose = textOf(obj, "pose"); !pose.empty()) attrs["pose"] = pose;
    for (const char* k : {"truncated", "difficult"})
      if (const std::string v = textOf(obj, k); !v.empty()) attrs[k] = v == "1" || v == "true";
    if (textOf(obj, "occluded") == "1") d.a.occluded = true;
    if (const XMLElement* actions = obj->FirstChildElement("actions"))
      for (const XMLElement* a = actions->FirstChildElement(); a; a = a->NextSiblingElement())
        attrs[a->Name()] = a->GetText() && std::string(a->GetText()) == "1";
    if (const XMLElement* extra = obj->FirstChildElement("attributes"))
      for (const XMLElement* a = extra->FirstChildElement("attribute"); a; a = a->NextSiblingElement("attribute"))
        attrs[textOf(a, "name")] = textOf(a, "value");
    d.a.attributesJson = attrs.dump();
    std::vector<DatasetAnnotation> parts;
    for (const XMLElement* p = obj->FirstChildElement("part"); p; p = p->NextSiblingElement("part")) {
      DatasetAnnotation pd;
      pd.className = textOf(p, "name");
      pd.a.kind = AnnotationKind::Box;
      pd.a.dataJson = R"({"voc_part":true})";
      if (readBox(p, pd.a.coords)) parts.push_back(pd);
    }
    if (!parts.empty()) {
      d.a.groupId = group;
      for (auto& p : parts) p.a.groupId = group;
      ++group;
    }
    item.annotations.push_back(d);
    for (auto& p : parts) item.annotations.push_back(p);
  }
  return okStatus();
}

}  // namespace

Result<Dataset> importVoc(const Path& path) {
  Dataset ds;
  ds.format = Format::Voc;
  const bool isDir = fs::is_directory(path);
  Path root = isDir ? path : path.parent_path();
  if (!isDir && root.filename() == "Annotations") root = root.parent_path();
  if (isDir && fs::exists(path / "labelmap.txt")) {
    auto t = readTextFile(path / "labelmap.txt");
    std::istringstream in(t ? *t : "");
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') ds.ensureClass(line.substr(0, line.find(':')), ClassScope::Object);
  }
  std::map<std::string, std::string> subsetOf;  // id -> subset from ImageSets/Main
  std::vector<std::string> listedIds;
  if (isDir && fs::is_directory(path / "ImageSets" / "Main"))
    for (const auto& f : listFiles(path / "ImageSets" / "Main", {".txt"})) {
      auto t = readTextFile(f);
      std::istringstream in(t ? *t : "");
      std::string line;
      while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string id;
        if (!(ls >> id)) continue;
        if (!subsetOf.count(id)) listedIds.push_back(id);
        if (!subsetOf.count(id) || f.stem() != "trainval") subsetOf[id] = f.stem().string();
      }
    }
  std::vector<Path> files;
  if (!isDir) files.push_back(path);
  else files = listFiles(fs::is_directory(path / "Annotations") ? path / "Annotations" : path, {".xml"});
  if (files.empty() && listedIds.empty()) return makeError(ErrorCode::NotFound, "no VOC .xml files in " + path.string());
  std::set<std::string> seen;
  for (const auto& f : files) {
    DatasetItem item;
    item.subset = subsetOf.count(f.stem().string()) ? subsetOf[f.stem().string()] : "";
    if (auto st = readVocFile(f, root, item, ds); !st) {
      if (files.size() == 1) return st.error();
      ds.problems.push_back(st.error().message);
      continue;
    }
    seen.insert(f.stem().string());
    ds.items.push_back(std::move(item));
  }
  for (const auto& id : listedIds) {
    if (seen.count(id)) continue;
    DatasetItem item;  // listed, image maybe present, no annotation file: not labelled
    item.labelled = false;
    item.subset = subsetOf[id];
    const Path img = findImage(root, id + ".jpg", id);
    item.fileName = img.empty() ? id + ".jpg" : img.lexically_relative(root).generic_string();
    if (!img.empty()) {
      item.mediaFile = fs::absolute(img).lexically_normal().string();
      sizeFromImage(img, item);
    }
    ds.items.push_back(std::move(item));
  }
  return ds;
}

// [SECTION] Export

namespace {

void addText(XMLDocument& doc, XMLElement* parent, const char* name, const std::string& text) {
  XMLElement* e = doc.NewElement(name);
  e->SetText(text.c_str());
  parent->InsertEndChild(e);
}

void addBox(XMLDocument& doc, XMLElement* parent, const std::vector<double>& c) {
  XMLElement* b = doc.NewElement("bndbox");
  const char* keys[] = {"xmin", "ymin", "xmax", "ymax"};
  for (int i = 0; i < 4; ++i) addText(doc, b, keys[i], formatNumber(c[static_cast<std::size_t>(i)]));
  parent->InsertEndChild(b);
}

}  // namespace

Result<ExportReport> exportVoc(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  std::map<std::string, std::vector<std::string>> lists;
  std::set<std::string> usedIds;
  auto st = forEachImageToWrite(src, "VOC", opts, report,
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        std::string id = Path(item.mediaPath).stem().string();
        if (usedIds.count(id)) id += "_" + std::to_string(item.id);
        usedIds.insert(id);
        const std::string fileName = id + Path(item.mediaPath).extension().string();
        XMLDocument doc;
        doc.InsertEndChild(doc.NewDeclaration());
        XMLElement* root = doc.NewElement("annotation");
        doc.InsertEndChild(root);
        addText(doc, root, "folder", "JPEGImages");
        addText(doc, root, "filename", fileName);
        XMLElement* size = doc.NewElement("size");
        addText(doc, size, "width", std::to_string(item.widthPx));
        addText(doc, size, "height", std::to_string(item.heightPx));
        addText(doc, size, "depth", "3");
        root->InsertEndChild(size);
        addText(doc, root, "segmented", "0");

        // Parts (Box with voc_part) go inside the first non-part object of their group.
        std::map<int, XMLElement*> groupObject;
        std::vector<const Annotation*> parts;
        for (const auto& a : anns) {
          const auto data = json::parse(a.dataJson, nullptr, false);
          if (a.kind == AnnotationKind::Box && a.groupId && data.is_object() && data.value("voc_part", false)) {
            parts.push_back(&a);
            continue;
          }
          std::vector<double> box;
          if (a.kind == AnnotationKind::Box) box = a.coords;
          else if (a.kind == AnnotationKind::Polygon || a.kind == AnnotationKind::Polyline || a.kind == AnnotationKind::Points) {
            box = boundsOf(a.coords);
            report.lose(std::string(toString(a.kind)) + " written as its bounding box", describe(item, a));
          } else if (a.kind == AnnotationKind::RotatedBox) {
            box = boundsOf(rotatedBoxCorners(a.coords));
            report.lose("rotated box written as its axis-aligned bounding box", describe(item, a));
          } else {
            report.lose(std::string(toString(a.kind)) + " (VOC XML cannot hold it)", describe(item, a));
            continue;
          }
          XMLElement* obj = doc.NewElement("object");
          addText(doc, obj, "name", src.className(a));
          const auto attrs = json::parse(a.attributesJson, nullptr, false);
          if (attrs.is_object() && attrs.contains("pose") && attrs["pose"].is_string()) addText(doc, obj, "pose", attrs["pose"]);
          for (const char* k : {"truncated", "difficult"})
            if (attrs.is_object() && attrs.contains(k) && attrs[k].is_boolean()) addText(doc, obj, k, attrs[k].get<bool>() ? "1" : "0");
          if (a.occluded) addText(doc, obj, "occluded", "1");
          addBox(doc, obj, box);
          XMLElement* actions = nullptr;
          XMLElement* extra = nullptr;
          if (attrs.is_object())
            for (const auto& [k, v] : attrs.items()) {
              if (kStandardKeys.count(k)) continue;
              if (v.is_boolean()) {
                if (!actions) actions = doc.NewElement("actions");
                addText(doc, actions, k.c_str(), v.get<bool>() ? "1" : "0");
              } else {
                if (!extra) extra = doc.NewElement("attributes");
                XMLElement* at = doc.NewElement("attribute");
                addText(doc, at, "name", k);
                addText(doc, at, "value", v.is_string() ? v.get<std::string>() : v.dump());
                extra->InsertEndChild(at);
              }
            }
          if (actions) obj->InsertEndChild(actions);
          if (extra) obj->InsertEndChild(extra);
          if (a.groupId && !groupObject.count(a.groupId)) groupObject[a.groupId] = obj;
          else if (a.groupId) report.lose("group (only parts can join an object in VOC)", describe(item, a));
          root->InsertEndChild(obj);
          ++report.annotations;
        }
        for (const Annotation* p : parts) {
          auto g = groupObject.find(p->groupId);
          if (g == groupObject.end()) {
            report.lose("part without its object", describe(item, *p));
            continue;
          }
          XMLElement* part = doc.NewElement("part");
          addText(doc, part, "name", src.className(*p));
          addBox(doc, part, p->coords);
          // VOC puts parts after the object's own box.
          g->second->InsertAfterChild(g->second->FirstChildElement("bndbox"), part);
          ++report.annotations;
        }
        const Path rel = Path("Annotations") / (id + ".xml");
        std::error_code ec;
        fs::create_directories(outDir / "Annotations", ec);
        if (doc.SaveFile((outDir / rel).string().c_str()) != tinyxml2::XML_SUCCESS) {
          report.lose("file not written", (outDir / rel).string());
          return true;
        }
        report.files.push_back(rel.generic_string());
        if (opts.withMedia) copyMedia(src, item, outDir / "JPEGImages" / fileName, report);
        const std::string subset = src.subsetOf(index);
        lists[subset.empty() ? "default" : subset].push_back(id);
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      });
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  for (const auto& [subset, ids] : lists) {
    std::string text;
    for (const auto& id : ids) text += id + "\n";
    const std::string rel = "ImageSets/Main/" + subset + ".txt";
    if (auto w = writeTextFile(outDir / rel, text); !w) return w.error();
    report.files.push_back(rel);
  }
  std::string labelmap = "# label:color_rgb:parts:actions\n";
  for (const auto& c : src.schema().classes)
    if (c.scope == ClassScope::Object) {
      const unsigned v = static_cast<unsigned>(std::strtoul(c.color.c_str() + (c.color.empty() ? 0 : 1), nullptr, 16));
      labelmap += c.name + ":" + std::to_string((v >> 16) & 255) + "," + std::to_string((v >> 8) & 255) + "," +
                  std::to_string(v & 255) + "::\n";
    }
  if (auto w = writeTextFile(outDir / "labelmap.txt", labelmap); !w) return w.error();
  report.files.push_back("labelmap.txt");
  return report;
}

}  // namespace lb::labeling::formats
