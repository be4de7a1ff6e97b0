// [SECTION] labelme JSON: one file per image, every shape type labelme writes.
//
// rectangle -> Box; polygon -> Polygon; circle -> Polygon (32-gon) with data {"circle":[cx,cy,
// rim x, rim y]} so it goes back out as a circle; line/linestrip -> Polyline (data {"line":true}
// for line); point -> Points; mask (base64 PNG over a box) -> Mask. labelme group_id g becomes
// groupId g+1 (the model's 0 means "no group"). Image flags that are true become Tags; every
// flag name becomes an image-tag class. When imagePath does not lead to an image, embedded
// imageData is used.
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

bool isImageFile(const Path& p) {
  std::string e = p.extension().string();
  for (auto& c : e) c = static_cast<char>(::tolower(c));
  return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".bmp" || e == ".tif" || e == ".tiff" || e == ".webp";
}

std::string extForBytes(const std::string& b) {
  if (b.size() > 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8) return ".jpg";
  if (b.size() > 4 && b.compare(1, 3, "PNG") == 0) return ".png";
  if (b.size() > 2 && b[0] == 'B' && b[1] == 'M') return ".bmp";
  return ".img";
}

std::vector<double> circlePolygon(double cx, double cy, double r) {
  std::vector<double> out;
  for (int i = 0; i < 32; ++i) {
    const double t = 2 * M_PI * i / 32;
    out.push_back(cx + r * std::cos(t));
    out.push_back(cy + r * std::sin(t));
  }
  return out;
}

void readNameList(const Path& file, ClassScope scope, Dataset& ds) {
  auto text = readTextFile(file);
  if (!text) return;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line == "_background_" || (scope == ClassScope::Object && line == "__ignore__")) continue;
    ds.ensureClass(line, scope);
  }
}

Status readLabelmeFile(const Path& file, const Path& root, Dataset& ds) {
  auto text = readTextFile(file);
  if (!text) return text.error();
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("shapes") || !j["shapes"].is_array())
    return makeError(ErrorCode::BadInput, file.string() + " is not a labelme file (no \"shapes\" list)");
  const std::string where = file.filename().string();
  DatasetItem item;
  item.widthPx = j.value("imageWidth", 0);
  item.heightPx = j.value("imageHeight", 0);
  const std::string imagePath = j.contains("imagePath") && j["imagePath"].is_string() ? j["imagePath"].get<std::string>() : "";
  const Path dir = file.parent_path();
  std::error_code ec;
  if (!imagePath.empty() && isImageFile(imagePath) && fs::is_regular_file(dir / imagePath, ec)) {
    item.mediaFile = fs::absolute(dir / imagePath).lexically_normal().string();
    item.fileName = (dir / imagePath).lexically_normal().lexically_relative(root).generic_string();
  } else if (j.contains("imageData") && j["imageData"].is_string()) {
    // imagePath is wrong (labelme's own tutorial file points at itself): the embedded copy wins.
    auto bytes = base64Decode(j["imageData"].get<std::string>(), where);
    if (!bytes) return bytes.error();
    item.embeddedImage = std::move(*bytes);
    item.fileName = (dir / (file.stem().string() + extForBytes(item.embeddedImage)))
                        .lexically_normal().lexically_relative(root).generic_string();
    cv::Mat m = cv::imdecode(cv::Mat(1, static_cast<int>(item.embeddedImage.size()), CV_8UC1,
                                     item.embeddedImage.data()), cv::IMREAD_UNCHANGED);
    if (!m.empty()) item.widthPx = m.cols, item.heightPx = m.rows;
  } else {
    item.fileName = (dir / imagePath).lexically_normal().lexically_relative(root).generic_string();
    ds.problems.push_back(where + ": image " + imagePath + " not found and no imageData; sizes taken from the file");
  }

  if (j.contains("flags") && j["flags"].is_object())
    for (const auto& [name, v] : j["flags"].items()) {
      ds.ensureClass(name, ClassScope::ImageTag);
      if (v.is_boolean() && v.get<bool>()) {
        DatasetAnnotation d;
        d.className = name;
        d.a.kind = AnnotationKind::Tag;
        item.annotations.push_back(d);
      }
    }
  int n = 0;
  for (const auto& s : j["shapes"]) {
    ++n;
    const std::string sw = where + " shape " + std::to_string(n);
    if (!s.is_object() || !s.contains("points") || !s["points"].is_array()) {
      ds.problems.push_back(sw + ": no points; skipped");
      continue;
    }
    DatasetAnnotation d;
    d.className = s.value("label", std::string());
    std::vector<double> xy;
    for (const auto& p : s["points"])
      if (p.is_array() && p.size() >= 2) xy.insert(xy.end(), {p[0].get<double>(), p[1].get<double>()});
    const std::string type = s.contains("shape_type") && s["shape_type"].is_string() ? s["shape_type"].get<std::string>() : "polygon";
    json data = json::object();
    if (s.contains("description") && s["description"].is_string() && !s["description"].get<std::string>().empty())
      data["description"] = s["description"];
    json attrs = json::object();
    if (s.contains("flags") && s["flags"].is_object()) attrs = s["flags"];
    if (s.contains("group_id") && s["group_id"].is_number_integer()) d.a.groupId = s["group_id"].get<int>() + 1;
    auto need = [&](std::size_t pts) {
      if (xy.size() >= 2 * pts) return true;
      ds.problems.push_back(sw + ": a " + type + " needs " + std::to_string(pts) + " points; skipped");
      return false;
    };
    if (type == "rectangle") {
      if (!need(2)) continue;
      d.a.kind = AnnotationKind::Box;
      d.a.coords = boundsOf({xy[0], xy[1], xy[2], xy[3]});
    } else if (type == "polygon") {
      if (!need(3)) continue;
      d.a.kind = AnnotationKind::Polygon;
      d.a.coords = xy;
    } else if (type == "circle") {
      if (!need(2)) continue;
      d.a.kind = AnnotationKind::Polygon;
      d.a.coords = circlePolygon(xy[0], xy[1], std::hypot(xy[2] - xy[0], xy[3] - xy[1]));
      data["circle"] = {xy[0], xy[1], xy[2], xy[3]};
    } else if (type == "line" || type == "linestrip") {
      if (!need(2)) continue;
      d.a.kind = AnnotationKind::Polyline;
      d.a.coords = xy;
      if (type == "line") data["line"] = true;
    } else if (type == "point" || type == "points") {
      if (!need(1)) continue;
      d.a.kind = AnnotationKind::Points;
      d.a.coords = xy;
    } else if (type == "mask") {
      if (!need(2) || !s.contains("mask") || !s["mask"].is_string()) {
        ds.problems.push_back(sw + ": a mask without its PNG; skipped");
        continue;
      }
      auto png = base64Decode(s["mask"].get<std::string>(), sw);
      if (!png) {
        ds.problems.push_back(png.error().message);
        continue;
      }
      cv::Mat m = cv::imdecode(cv::Mat(1, static_cast<int>(png->size()), CV_8UC1, png->data()), cv::IMREAD_GRAYSCALE);
      if (m.empty()) {
        ds.problems.push_back(sw + ": the mask is not a PNG; skipped");
        continue;
      }
      BinaryMask bm;
      bm.left = static_cast<int>(std::floor(xy[0]));
      bm.top = static_cast<int>(std::floor(xy[1]));
      bm.width = m.cols;
      bm.height = m.rows;
      bm.px.resize(static_cast<std::size_t>(m.cols) * m.rows);
      for (int y = 0; y < m.rows; ++y)
        for (int x = 0; x < m.cols; ++x) bm.px[static_cast<std::size_t>(y) * m.cols + x] = m.at<std::uint8_t>(y, x) ? 1 : 0;
      maskToAnnotation(bm, d.a, data.dump());
    } else {
      ds.problems.push_back(sw + ": shape type '" + type + "' is not known; skipped");
      continue;
    }
    if (d.a.kind != AnnotationKind::Mask) d.a.dataJson = data.dump();
    d.a.attributesJson = attrs.dump();
    item.annotations.push_back(std::move(d));
  }
  ds.items.push_back(std::move(item));
  return okStatus();
}

}  // namespace

Result<Dataset> importLabelme(const Path& path) {
  Dataset ds;
  ds.format = Format::Labelme;
  const bool isDir = fs::is_directory(path);
  const Path abs = fs::absolute(path).lexically_normal();
  const Path root = isDir ? abs : abs.parent_path();
  // labelme keeps labels.txt / flags.txt beside the folder of JSON files (or in it).
  for (const Path& dir : {root, root.parent_path()}) {
    for (const char* n : {"labels.txt", "class_names.txt"})
      if (fs::exists(dir / n)) readNameList(dir / n, ClassScope::Object, ds);
    if (fs::exists(dir / "flags.txt")) readNameList(dir / "flags.txt", ClassScope::ImageTag, ds);
    if (!isDir) break;
  }
  std::vector<Path> files = isDir ? listFiles(root, {".json"}) : std::vector<Path>{abs};
  if (files.empty()) return makeError(ErrorCode::NotFound, "no labelme .json files in " + path.string());
  for (const auto& f : files)
    if (auto st = readLabelmeFile(f, root, ds); !st) {
      if (files.size() == 1) return st.error();
      ds.problems.push_back(st.error().message);
    }
  return ds;
}

// [SECTION] Export

Result<ExportReport> exportLabelme(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  std::vector<std::string> tagClasses;
  for (const auto& c : src.schema().classes)
    if (c.scope == ClassScope::ImageTag) tagClasses.push_back(c.name);
  auto st = forEachImageToWrite(src, "labelme", opts, report,
      [&](std::size_t, const Item& item, const std::vector<Annotation>& anns) {
        const Path rel = Path(item.mediaPath).replace_extension(".json");
        const Path jsonPath = outDir / rel;
        std::error_code ec;
        fs::create_directories(jsonPath.parent_path(), ec);
        std::string imagePath;
        if (opts.withMedia) {
          copyMedia(src, item, outDir / item.mediaPath, report);
          imagePath = Path(item.mediaPath).filename().string();
        } else {
          imagePath = fs::absolute(src.mediaPath(item)).lexically_normal()
                          .lexically_relative(fs::absolute(jsonPath.parent_path()).lexically_normal()).generic_string();
        }
        ojson flags = ojson::object();
        for (const auto& t : tagClasses) flags[t] = false;
        ojson shapes = ojson::array();
        for (const auto& a : anns) {
          const std::string label = src.className(a);
          const auto data = json::parse(a.dataJson, nullptr, false);
          if (a.kind == AnnotationKind::Tag) {
            flags[label] = true;
            ++report.annotations;
            continue;
          }
          ojson shape;
          shape["label"] = label;
          ojson pts = ojson::array();
          auto addPts = [&](const std::vector<double>& xy) {
            for (std::size_t i = 0; i + 1 < xy.size(); i += 2) pts.push_back({xy[i], xy[i + 1]});
          };
          std::string type;
          switch (a.kind) {
            case AnnotationKind::Box: type = "rectangle"; addPts(a.coords); break;
            case AnnotationKind::Polygon:
              if (data.is_object() && data.contains("circle")) {
                type = "circle";
                addPts(data["circle"].get<std::vector<double>>());
              } else {
                type = "polygon";
                addPts(a.coords);
              }
              break;
            case AnnotationKind::RotatedBox:
              type = "polygon";
              addPts(rotatedBoxCorners(a.coords));
              report.lose("rotated box written as a 4-point polygon", describe(item, a));
              break;
            case AnnotationKind::Polyline:
              type = data.is_object() && data.value("line", false) && a.coords.size() == 4 ? "line" : "linestrip";
              addPts(a.coords);
              break;
            case AnnotationKind::Points:
              type = "point";
              addPts({a.coords[0], a.coords[1]});
              if (a.coords.size() > 2) report.lose("points after the first (labelme points hold one)", describe(item, a));
              break;
            case AnnotationKind::Mask: {
              auto m = maskFromAnnotation(a);
              if (!m) {
                report.lose("damaged mask", describe(item, a));
                continue;
              }
              cv::Mat img(m->height, m->width, CV_8UC1);
              for (int y = 0; y < m->height; ++y)
                for (int x = 0; x < m->width; ++x)
                  img.at<std::uint8_t>(y, x) = m->px[static_cast<std::size_t>(y) * m->width + x] ? 255 : 0;
              std::vector<unsigned char> png;
              cv::imencode(".png", img, png);
              type = "mask";
              addPts({double(m->left), double(m->top), double(m->left + m->width - 1), double(m->top + m->height - 1)});
              shape["mask"] = base64Encode(std::string(png.begin(), png.end()));
              break;
            }
            default:
              report.lose(std::string(toString(a.kind)) + " (labelme cannot hold it)", describe(item, a));
              continue;
          }
          shape["points"] = pts;
          shape["group_id"] = a.groupId > 0 ? ojson(a.groupId - 1) : ojson(nullptr);
          shape["description"] = data.is_object() && data.contains("description") ? ojson(data["description"]) : ojson("");
          shape["shape_type"] = type;
          ojson shapeFlags = ojson::object();
          const auto attrs = json::parse(a.attributesJson, nullptr, false);
          if (attrs.is_object())
            for (const auto& [k, v] : attrs.items()) {
              if (v.is_boolean()) shapeFlags[k] = v.get<bool>();
              else report.lose("attribute that is not a yes/no flag", describe(item, a) + " " + k);
            }
          if (a.occluded) report.lose("occluded flag", describe(item, a));
          shape["flags"] = shapeFlags;
          if (!shape.contains("mask")) shape["mask"] = nullptr;
          shapes.push_back(shape);
          ++report.annotations;
        }
        ojson doc;
        doc["version"] = "5.1.1";
        doc["flags"] = flags;
        doc["shapes"] = shapes;
        doc["imagePath"] = imagePath;
        doc["imageData"] = nullptr;
        if (opts.labelmeEmbedImages) {
          if (auto bytes = readTextFile(src.mediaPath(item))) doc["imageData"] = base64Encode(*bytes);
          else report.lose("media file missing (not embedded)", describe(item));
        }
        doc["imageHeight"] = item.heightPx;
        doc["imageWidth"] = item.widthPx;
        if (auto w = writeTextFile(jsonPath, doc.dump(2) + "\n"); !w) {
          report.lose("file not written", w.error().message);
          return true;
        }
        report.files.push_back(rel.generic_string());
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      });
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  return report;
}

}  // namespace lb::labeling::formats
