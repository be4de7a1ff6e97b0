// [SECTION] YOLO txt: detection (class cx cy w h), segmentation (class x y x y ...), oriented
// boxes (class + 4 corners), in the Darknet layout (obj.names, obj.data, obj_<subset>_data/,
// <subset>.txt) and the Ultralytics layout (data.yaml, images/<subset>/, labels/<subset>/).
//
// Values are normalised by the image size, so import reads each image's header. A line of 4
// corners that form a rectangle is an oriented box; any other point list is a polygon. An
// empty .txt is "reviewed, nothing here"; an image without a .txt is "not labelled".
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"
#include "labeling/import/image_header.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  s = s.substr(i);
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
  return s;
}

// The part of data.yaml we need: `names` as a map (0: a), a block list (- a) or a flow list ([a, b]).
std::vector<std::string> yamlNames(const std::string& yaml) {
  std::map<int, std::string> byIndex;
  std::vector<std::string> list;
  std::istringstream in(yaml);
  std::string line;
  bool inNames = false;
  while (std::getline(in, line)) {
    if (auto h = line.find('#'); h != std::string::npos && line.find_first_of("'\"") == std::string::npos) line.resize(h);
    if (line.rfind("names:", 0) == 0) {
      const std::string rest = trim(line.substr(6));
      if (!rest.empty() && rest.front() == '[') {
        std::stringstream ss(rest.substr(1, rest.find(']') - 1));
        std::string part;
        while (std::getline(ss, part, ',')) list.push_back(trim(part));
        return list;
      }
      inNames = true;
      continue;
    }
    if (!inNames) continue;
    if (!line.empty() && !std::isspace(static_cast<unsigned char>(line[0]))) break;  // next top-level key
    const std::string t = trim(line);
    if (t.empty()) continue;
    if (t[0] == '-') list.push_back(trim(t.substr(1)));
    else if (auto c = t.find(':'); c != std::string::npos) byIndex[std::atoi(t.substr(0, c).c_str())] = trim(t.substr(c + 1));
  }
  if (!byIndex.empty()) {
    list.assign(static_cast<std::size_t>(byIndex.rbegin()->first + 1), "");
    for (auto& [i, n] : byIndex)
      if (i >= 0) list[static_cast<std::size_t>(i)] = n;
  }
  return list;
}

bool imageSize(const Path& p, int& w, int& h) {
  auto bytes = readTextFile(p);
  if (!bytes) return false;
  auto hdr = readImageHeader(reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size(), p.string());
  if (!hdr) return false;
  w = hdr->widthPx, h = hdr->heightPx;
  return true;
}

void readLabels(const Path& txt, const std::vector<std::string>& names, DatasetItem& item, Dataset& ds) {
  auto text = readTextFile(txt);
  if (!text) {
    item.labelled = false;
    return;
  }
  std::istringstream in(*text);
  std::string line;
  int lineNo = 0;
  const double W = item.widthPx, H = item.heightPx;
  while (std::getline(in, line)) {
    ++lineNo;
    std::istringstream ls(line);
    std::vector<double> v;
    std::string tok;
    bool bad = false;
    while (ls >> tok) {
      char* end = nullptr;
      v.push_back(std::strtod(tok.c_str(), &end));
      if (*end) bad = true;
    }
    if (v.empty()) continue;
    const std::string where = txt.filename().string() + " line " + std::to_string(lineNo);
    if (bad || v[0] < 0 || v[0] != std::floor(v[0]) || (v.size() != 5 && v.size() != 6 && (v.size() < 7 || v.size() % 2 == 0))) {
      ds.problems.push_back(where + ": not 'class cx cy w h' or 'class x y x y ...'; skipped");
      continue;
    }
    const auto cls = static_cast<std::size_t>(v[0]);
    DatasetAnnotation d;
    d.className = cls < names.size() ? names[cls] : std::to_string(cls);
    if (cls >= names.size()) ds.ensureClass(d.className, ClassScope::Object);
    if (v.size() <= 6) {
      d.a.kind = AnnotationKind::Box;
      d.a.coords = {(v[1] - v[3] / 2) * W, (v[2] - v[4] / 2) * H, (v[1] + v[3] / 2) * W, (v[2] + v[4] / 2) * H};
      if (v.size() == 6) d.a.attributesJson = "{\"score\":" + formatNumber(v[5]) + "}";
    } else {
      std::vector<double> xy;
      for (std::size_t i = 1; i + 1 < v.size(); i += 2) xy.insert(xy.end(), {v[i] * W, v[i + 1] * H});
      const double tol = 1e-3 * std::hypot(W, H) + 1e-3;
      auto rb = xy.size() == 8 ? rotatedBoxFromCorners(xy, tol) : std::vector<double>{};
      if (!rb.empty()) {
        d.a.kind = AnnotationKind::RotatedBox;
        d.a.coords = rb;
      } else {
        d.a.kind = AnnotationKind::Polygon;
        d.a.coords = xy;
      }
    }
    item.annotations.push_back(d);
  }
}

}  // namespace

Result<Dataset> importYolo(const Path& path) {
  Dataset ds;
  ds.format = Format::Yolo;
  if (!fs::is_directory(path))
    return makeError(ErrorCode::InvalidArgument, path.string() + ": give the YOLO dataset folder (with data.yaml or obj.names)");
  std::vector<std::string> names;
  std::vector<std::pair<Path, std::string>> imagesAndSubset;  // image, subset
  std::map<Path, Path> labelOf;
  auto yamls = listFiles(path, {".yaml", ".yml"});
  if (fs::exists(path / "obj.names")) {
    auto t = readTextFile(path / "obj.names");
    std::istringstream in(t ? *t : "");
    std::string l;
    while (std::getline(in, l))
      if (!trim(l).empty()) names.push_back(trim(l));
    for (const auto& e : fs::directory_iterator(path)) {
      const std::string n = e.path().filename().string();
      if (!e.is_directory() || n.rfind("obj_", 0) != 0 || n.size() < 9 || n.substr(n.size() - 5) != "_data") continue;
      const std::string subset = n.substr(4, n.size() - 9);
      for (const auto& img : listFiles(e.path(), {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})) {
        imagesAndSubset.emplace_back(img, subset);
        labelOf[img] = Path(img).replace_extension(".txt");
      }
    }
  } else if (!yamls.empty() || fs::is_directory(path / "labels")) {
    if (!yamls.empty())
      if (auto y = readTextFile(yamls.front())) names = yamlNames(*y);
    for (const auto& img : listFiles(path / "images", {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})) {
      const Path rel = img.lexically_relative(path / "images");
      const std::string subset = std::distance(rel.begin(), rel.end()) > 1 ? rel.begin()->string() : "";
      imagesAndSubset.emplace_back(img, subset);
      labelOf[img] = (path / "labels" / rel).replace_extension(".txt");
    }
  } else {
    return makeError(ErrorCode::BadInput, path.string() + " is not a YOLO dataset: no data.yaml or obj.names found");
  }
  for (const auto& n : names) ds.ensureClass(n, ClassScope::Object);
  std::set<Path> usedLabels;
  for (const auto& [img, subset] : imagesAndSubset) {
    DatasetItem item;
    item.fileName = img.lexically_relative(path).generic_string();
    item.mediaFile = fs::absolute(img).lexically_normal().string();
    item.subset = subset;
    if (!imageSize(img, item.widthPx, item.heightPx)) {
      ds.problems.push_back(item.fileName + ": cannot read the image size; its labels were skipped");
      continue;
    }
    const Path txt = labelOf[img];
    usedLabels.insert(txt);
    readLabels(txt, names, item, ds);
    ds.items.push_back(std::move(item));
  }
  for (const auto& txt : listFiles(path, {".txt"})) {
    const auto rel = txt.lexically_relative(path).generic_string();
    const bool inLabels = rel.rfind("labels/", 0) == 0 || rel.find("obj_") == 0;
    if (inLabels && !usedLabels.count(txt) && txt.filename() != "classes.txt")
      ds.problems.push_back(rel + ": no image with this name, so its normalised values cannot be placed; skipped");
  }
  return ds;
}

// [SECTION] Export

Result<ExportReport> exportYolo(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  const bool darknet = opts.yoloLayout == "darknet";
  if (!darknet && opts.yoloLayout != "ultralytics")
    return makeError(ErrorCode::InvalidArgument, "YOLO layout '" + opts.yoloLayout + "' is not 'ultralytics' or 'darknet'");
  std::map<ClassId, int> classIndex;
  std::vector<std::string> names;
  for (const auto& c : src.schema().classes)
    if (c.scope == ClassScope::Object) {
      classIndex[c.id] = static_cast<int>(names.size());
      names.push_back(c.name);
    }
  std::map<std::string, int> baseCount;
  for (const auto& it : src.items()) ++baseCount[Path(it.mediaPath).filename().string()];
  std::map<std::string, std::vector<std::string>> listed;  // subset -> image paths (darknet lists)

  auto st = forEachImageToWrite(src, "YOLO", opts, report,
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        if (item.widthPx <= 0 || item.heightPx <= 0) {
          report.lose("item without an image size (cannot normalise)", describe(item));
          return true;
        }
        std::string subset = src.subsetOf(index);
        if (subset.empty()) subset = "train";
        std::string base = Path(item.mediaPath).filename().string();
        if (baseCount[base] > 1) {
          base = item.mediaPath;
          for (auto& c : base)
            if (c == '/' || c == '\\') c = '_';
        }
        const Path imgRel = darknet ? Path("obj_" + subset + "_data") / base : Path("images") / subset / base;
        const Path txtRel = darknet ? Path(imgRel).replace_extension(".txt")
                                    : (Path("labels") / subset / base).replace_extension(".txt");
        std::string out;
        const double W = item.widthPx, H = item.heightPx;
        char buf[64];
        auto num = [&](double v) {
          std::snprintf(buf, sizeof buf, " %.6f", v);
          out += buf;
        };
        for (const auto& a : anns) {
          auto ci = classIndex.find(a.classId);
          if (ci == classIndex.end()) {
            report.lose("annotation without an object class", describe(item, a));
            continue;
          }
          std::vector<double> xy;
          switch (a.kind) {
            case AnnotationKind::Box: {
              const auto& c = a.coords;
              out += std::to_string(ci->second);
              num((c[0] + c[2]) / 2 / W), num((c[1] + c[3]) / 2 / H), num((c[2] - c[0]) / W), num((c[3] - c[1]) / H);
              out += "\n";
              break;
            }
            case AnnotationKind::Polygon: xy = a.coords; break;
            case AnnotationKind::RotatedBox: xy = rotatedBoxCorners(a.coords); break;
            default:
              report.lose(std::string(toString(a.kind)) + " (YOLO cannot hold it)", describe(item, a));
              continue;
          }
          if (!xy.empty()) {
            out += std::to_string(ci->second);
            for (std::size_t i = 0; i + 1 < xy.size(); i += 2) num(xy[i] / W), num(xy[i + 1] / H);
            out += "\n";
          }
          ++report.annotations;
          if (a.attributesJson != "{}" && a.attributesJson != "") report.lose("attributes", describe(item, a));
          if (a.occluded) report.lose("occluded flag", describe(item, a));
          if (a.groupId) report.lose("group (parts of one instance)", describe(item, a));
        }
        if (auto w = writeTextFile(outDir / txtRel, out); !w) {
          report.lose("file not written", w.error().message);
          return true;
        }
        report.files.push_back(txtRel.generic_string());
        if (opts.withMedia) copyMedia(src, item, outDir / imgRel, report);
        listed[subset].push_back(darknet ? "data/" + imgRel.generic_string() : imgRel.generic_string());
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      });
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  if (darknet) {
    std::string namesText, data = "classes = " + std::to_string(names.size()) + "\n";
    for (const auto& n : names) namesText += n + "\n";
    for (const auto& [subset, files] : listed) {
      std::string list;
      for (const auto& f : files) list += f + "\n";
      if (auto w = writeTextFile(outDir / (subset + ".txt"), list); !w) return w.error();
      report.files.push_back(subset + ".txt");
      data += (subset == "val" ? std::string("valid") : subset) + " = data/" + subset + ".txt\n";
    }
    data += "names = data/obj.names\nbackup = backup/\n";
    if (auto w = writeTextFile(outDir / "obj.names", namesText); !w) return w.error();
    if (auto w = writeTextFile(outDir / "obj.data", data); !w) return w.error();
    report.files.insert(report.files.end(), {"obj.names", "obj.data"});
  } else {
    std::string yaml = "path: .\n";
    for (const auto& [subset, files] : listed) yaml += subset + ": images/" + subset + "\n";
    yaml += "\nnames:\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
      const bool quote = names[i].find_first_of(":#'\"[]{},") != std::string::npos || names[i].empty();
      std::string n = names[i];
      if (quote) {
        std::string q;
        for (char c : n) q += c == '\'' ? std::string("''") : std::string(1, c);
        n = "'" + q + "'";
      }
      yaml += "  " + std::to_string(i) + ": " + n + "\n";
    }
    if (auto w = writeTextFile(outDir / "data.yaml", yaml); !w) return w.error();
    report.files.push_back("data.yaml");
  }
  return report;
}

}  // namespace lb::labeling::formats
