// [SECTION] CVAT for images XML 1.1: boxes (with rotation), polygons, polylines, points,
// skeletons, tags, masks (CVAT's RLE), attributes, z_order, occluded, group_id; ellipses become
// polygons (reported as converted) and are written back as ellipses while unchanged.
//
// Labels come from meta/task/labels or meta/project/labels; a skeleton label's sublabels
// (<parent>) become the class's keypoint names, its <svg> edges the skeleton. A skeleton becomes
// Keypoints with visibility 0 for outside="1", 1 for occluded="1", else 2. Images are told apart
// by (subset, name): real project exports repeat image ids across subsets. CVAT's mask RLE (row
// major inside left/top/width/height, starting with background) is the model's own.
#include <nlohmann/json.hpp>
#include <tinyxml2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;
using nlohmann::json;
using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

namespace {

std::string textOf(const XMLElement* e, const char* child) {
  const XMLElement* c = e ? e->FirstChildElement(child) : nullptr;
  return c && c->GetText() ? c->GetText() : "";
}

std::string attr(const XMLElement* e, const char* name) {
  const char* v = e->Attribute(name);
  return v ? v : "";
}

double num(const XMLElement* e, const char* name) { return std::atof(attr(e, name).c_str()); }

std::vector<double> parsePoints(const std::string& s) {
  std::vector<double> out;
  std::stringstream ss(s);
  std::string pair;
  while (std::getline(ss, pair, ';')) {
    const auto c = pair.find(',');
    if (c == std::string::npos) continue;
    out.push_back(std::atof(pair.substr(0, c).c_str()));
    out.push_back(std::atof(pair.substr(c + 1).c_str()));
  }
  return out;
}

std::string pointsText(const std::vector<double>& xy) {
  std::string s;
  for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
    if (i) s += ";";
    s += formatNumber(xy[i]) + "," + formatNumber(xy[i + 1]);
  }
  return s;
}

void readLabels(const XMLElement* labels, Dataset& ds, std::map<std::string, std::map<std::string, AttributeType>>& types) {
  std::map<std::string, std::vector<std::string>> children;  // parent -> sublabel names in order
  std::map<std::string, std::string> svgOf;
  std::vector<std::string> order;
  for (const XMLElement* l = labels->FirstChildElement("label"); l; l = l->NextSiblingElement("label")) {
    const std::string name = textOf(l, "name"), parent = textOf(l, "parent"), type = textOf(l, "type");
    if (!parent.empty()) {
      children[parent].push_back(name);
      continue;
    }
    ClassDef& c = ds.ensureClass(name, type == "tag" ? ClassScope::ImageTag : ClassScope::Object);
    if (const std::string color = textOf(l, "color"); color.size() == 7) c.color = color;
    if (type == "skeleton") svgOf[name] = textOf(l, "svg");
    if (const XMLElement* as = l->FirstChildElement("attributes"))
      for (const XMLElement* a = as->FirstChildElement("attribute"); a; a = a->NextSiblingElement("attribute")) {
        AttributeDef d;
        d.name = textOf(a, "name");
        const std::string it = textOf(a, "input_type");
        d.type = it == "checkbox" ? AttributeType::Bool : it == "number" ? AttributeType::Number
               : (it == "radio" || it == "select") ? AttributeType::Enum : AttributeType::Text;
        d.defaultValue = textOf(a, "default_value");
        if (d.type == AttributeType::Enum) {
          const std::string values = textOf(a, "values");
          std::stringstream ss(values);
          std::string v;
          if (values.find('\n') != std::string::npos) {
            while (std::getline(ss, v, '\n'))
              if (!v.empty()) d.options.push_back(v);
          } else {
            while (ss >> v) d.options.push_back(v);
          }
        }
        types[name][d.name] = d.type;
        c.attributes.push_back(d);
      }
  }
  for (auto& c : ds.classes) {
    auto ch = children.find(c.name);
    if (ch == children.end()) continue;
    c.keypointNames = ch->second;
    // Edges live in the escaped SVG: <line data-node-from="3" data-node-to="2"> between nodes whose
    // <circle data-node-id="k" data-label-name="name">.
    const std::string svg = svgOf[c.name];
    std::map<std::string, int> nodeIndex;
    const std::regex circle(R"(<circle[^>]*>)"), nodeId(R"(data-node-id="([^"]*)\")"), label(R"(data-label-name="([^"]*)\")");
    for (std::sregex_iterator it(svg.begin(), svg.end(), circle), end; it != end; ++it) {
      const std::string tag = it->str();
      std::smatch m1, m2;
      if (std::regex_search(tag, m1, nodeId) && std::regex_search(tag, m2, label)) {
        auto pos = std::find(c.keypointNames.begin(), c.keypointNames.end(), m2[1].str());
        if (pos != c.keypointNames.end()) nodeIndex[m1[1].str()] = static_cast<int>(pos - c.keypointNames.begin());
      }
    }
    const std::regex line(R"(<line[^>]*>)"), from(R"(data-node-from="([^"]*)\")"), to(R"(data-node-to="([^"]*)\")");
    for (std::sregex_iterator it(svg.begin(), svg.end(), line), end; it != end; ++it) {
      const std::string tag = it->str();
      std::smatch mf, mt;
      if (std::regex_search(tag, mf, from) && std::regex_search(tag, mt, to) && nodeIndex.count(mf[1].str()) &&
          nodeIndex.count(mt[1].str()))
        c.skeletonEdges.emplace_back(nodeIndex[mf[1].str()], nodeIndex[mt[1].str()]);
    }
  }
}

// [SECTION] Ellipses. The model has no ellipse, so CVAT's <ellipse cx cy rx ry rotation> becomes
// a polygon that stays within 0.1 px of the curve (16 to 256 vertices), with the ellipse kept in
// data {"ellipse": [cx, cy, rx, ry, rotation_deg]} so that a CVAT export can give the ellipse back
// while the polygon is unchanged. Rotation is clockwise in image coordinates (y down), as in CVAT.
std::vector<double> ellipsePolygon(double cx, double cy, double rx, double ry, double rotation_deg) {
  const double kPi = 3.14159265358979323846;
  const double r = std::max({rx, ry, 1.0});
  int n = static_cast<int>(std::ceil(kPi / std::acos(std::max(-1.0, 1.0 - 0.1 / r))));
  n = std::clamp(n, 16, 256);
  const double phi = rotation_deg * kPi / 180.0, cp = std::cos(phi), sp = std::sin(phi);
  std::vector<double> xy;
  xy.reserve(static_cast<std::size_t>(n) * 2);
  for (int k = 0; k < n; ++k) {
    const double t = 2 * kPi * k / n, ex = rx * std::cos(t), ey = ry * std::sin(t);
    xy.push_back(cx + ex * cp - ey * sp);
    xy.push_back(cy + ex * sp + ey * cp);
  }
  return xy;
}

// The ellipse a polygon was made from, if it still is exactly that polygon.
std::optional<std::array<double, 5>> ellipseOf(const Annotation& a) {
  if (a.kind != AnnotationKind::Polygon) return std::nullopt;
  const auto j = json::parse(a.dataJson, nullptr, false);
  if (!j.is_object() || !j.contains("ellipse") || !j["ellipse"].is_array() || j["ellipse"].size() != 5) return std::nullopt;
  std::array<double, 5> e{};
  for (std::size_t i = 0; i < 5; ++i) {
    if (!j["ellipse"][i].is_number()) return std::nullopt;
    e[i] = j["ellipse"][i].get<double>();
  }
  const auto xy = ellipsePolygon(e[0], e[1], e[2], e[3], e[4]);
  if (xy.size() != a.coords.size()) return std::nullopt;
  for (std::size_t i = 0; i < xy.size(); ++i)
    if (std::fabs(xy[i] - a.coords[i]) > 1e-6) return std::nullopt;
  return e;
}

}  // namespace

Result<Dataset> importCvat(const Path& path) {
  Dataset ds;
  ds.format = Format::Cvat;
  Path file = path;
  if (fs::is_directory(path)) {
    auto xmls = listFiles(path, {".xml"});
    if (xmls.empty()) return makeError(ErrorCode::NotFound, "no CVAT .xml file in " + path.string());
    file = fs::exists(path / "annotations.xml") ? path / "annotations.xml" : xmls.front();
  }
  XMLDocument doc;
  if (doc.LoadFile(file.string().c_str()) != tinyxml2::XML_SUCCESS)
    return makeError(ErrorCode::BadInput, file.string() + " is not well-formed XML: " + (doc.ErrorStr() ? doc.ErrorStr() : ""));
  const XMLElement* root = doc.FirstChildElement("annotations");
  if (!root) return makeError(ErrorCode::BadInput, file.string() + " has no <annotations> root; not CVAT for images XML");
  const std::string version = textOf(root, "version");
  if (!version.empty() && version != "1.1")
    ds.notes.push_back(file.filename().string() + ": CVAT XML version " + version + " read as 1.1");
  std::map<std::string, std::map<std::string, AttributeType>> types;
  if (const XMLElement* meta = root->FirstChildElement("meta"))
    for (const XMLElement* m = meta->FirstChildElement(); m; m = m->NextSiblingElement())
      if (const XMLElement* labels = m->FirstChildElement("labels")) readLabels(labels, ds, types);
  const Path dir = file.parent_path();
  std::map<std::string, const ClassDef*> keypointClass;
  for (const auto& c : ds.classes)
    if (!c.keypointNames.empty()) keypointClass[c.name] = &c;

  for (const XMLElement* im = root->FirstChildElement("image"); im; im = im->NextSiblingElement("image")) {
    DatasetItem item;
    const std::string name = attr(im, "name");
    item.subset = attr(im, "subset");
    item.widthPx = static_cast<int>(num(im, "width"));
    item.heightPx = static_cast<int>(num(im, "height"));
    std::error_code ec;
    item.fileName = name;
    for (const Path& p : {dir / "images" / item.subset / name, dir / "images" / name, dir / name})
      if (fs::is_regular_file(p, ec)) {
        item.mediaFile = fs::absolute(p).lexically_normal().string();
        item.fileName = p.lexically_relative(dir).generic_string();
        break;
      }
    const std::string where = file.filename().string() + " image " + name;
    for (const XMLElement* s = im->FirstChildElement(); s; s = s->NextSiblingElement()) {
      const std::string kind = s->Name();
      DatasetAnnotation d;
      d.className = attr(s, "label");
      d.a.occluded = attr(s, "occluded") == "1";
      d.a.zOrder = static_cast<int>(num(s, "z_order"));
      d.a.groupId = static_cast<int>(num(s, "group_id"));
      json attrs = json::object();
      for (const XMLElement* a = s->FirstChildElement("attribute"); a; a = a->NextSiblingElement("attribute")) {
        const std::string an = attr(a, "name"), v = a->GetText() ? a->GetText() : "";
        const auto t = types[d.className].count(an) ? types[d.className][an] : AttributeType::Text;
        if (t == AttributeType::Bool) attrs[an] = v == "true" || v == "1";
        else if (t == AttributeType::Number) attrs[an] = std::atof(v.c_str());
        else attrs[an] = v;
      }
      d.a.attributesJson = attrs.dump();
      if (kind == "box") {
        const double x1 = num(s, "xtl"), y1 = num(s, "ytl"), x2 = num(s, "xbr"), y2 = num(s, "ybr");
        const double rot = num(s, "rotation");
        if (rot != 0) {
          d.a.kind = AnnotationKind::RotatedBox;
          d.a.coords = {(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, rot};
        } else {
          d.a.kind = AnnotationKind::Box;
          d.a.coords = {x1, y1, x2, y2};
        }
      } else if (kind == "polygon" || kind == "polyline" || kind == "points") {
        d.a.kind = kind == "polygon" ? AnnotationKind::Polygon : kind == "polyline" ? AnnotationKind::Polyline : AnnotationKind::Points;
        d.a.coords = parsePoints(attr(s, "points"));
        const std::size_t need = kind == "polygon" ? 6 : kind == "polyline" ? 4 : 2;
        if (d.a.coords.size() < need) {
          ds.problems.push_back(where + ": a " + kind + " with too few points; skipped");
          continue;
        }
      } else if (kind == "ellipse") {
        const double cx = num(s, "cx"), cy = num(s, "cy"), rx = num(s, "rx"), ry = num(s, "ry"), rot = num(s, "rotation");
        if (!(rx > 0) || !(ry > 0)) {
          ds.problems.push_back(where + ": an ellipse with radius 0; skipped");
          continue;
        }
        d.a.kind = AnnotationKind::Polygon;
        d.a.coords = ellipsePolygon(cx, cy, rx, ry, rot);
        d.a.dataJson = json{{"ellipse", {cx, cy, rx, ry, rot}}}.dump();
        ds.notes.push_back(where + ": ellipse '" + d.className + "' at (" + formatNumber(cx) + ", " + formatNumber(cy) +
                           ") converted to a " + std::to_string(d.a.coords.size() / 2) + "-point polygon");
      } else if (kind == "tag") {
        d.a.kind = AnnotationKind::Tag;
        ds.ensureClass(d.className, ClassScope::ImageTag);
      } else if (kind == "mask") {
        BinaryMask m;
        m.left = static_cast<int>(num(s, "left")), m.top = static_cast<int>(num(s, "top"));
        m.width = static_cast<int>(num(s, "width")), m.height = static_cast<int>(num(s, "height"));
        Annotation tmp;
        tmp.kind = AnnotationKind::Mask;
        tmp.coords = {double(m.left), double(m.top), double(m.width), double(m.height)};
        json rle = json::array();
        std::stringstream ss(attr(s, "rle"));
        std::string c;
        while (std::getline(ss, c, ',')) rle.push_back(std::atoll(c.c_str()));
        tmp.dataJson = json{{"rle", rle}}.dump();
        auto decoded = maskFromAnnotation(tmp);
        if (!decoded) {
          ds.problems.push_back(where + ": mask RLE does not fit its box; skipped");
          continue;
        }
        maskToAnnotation(*decoded, d.a);
      } else if (kind == "skeleton") {
        auto kc = keypointClass.find(d.className);
        if (kc == keypointClass.end()) {
          ds.problems.push_back(where + ": skeleton of undeclared label '" + d.className + "'; skipped");
          continue;
        }
        const auto& names = kc->second->keypointNames;
        d.a.kind = AnnotationKind::Keypoints;
        d.a.coords.assign(names.size() * 3, 0.0);
        for (const XMLElement* p = s->FirstChildElement("points"); p; p = p->NextSiblingElement("points")) {
          auto pos = std::find(names.begin(), names.end(), attr(p, "label"));
          const auto xy = parsePoints(attr(p, "points"));
          if (pos == names.end() || xy.size() < 2) continue;
          const std::size_t k = static_cast<std::size_t>(pos - names.begin()) * 3;
          d.a.coords[k] = xy[0];
          d.a.coords[k + 1] = xy[1];
          d.a.coords[k + 2] = attr(p, "outside") == "1" ? 0 : attr(p, "occluded") == "1" ? 1 : 2;
        }
      } else {
        ds.problems.push_back(where + ": <" + kind + "> is not supported; skipped");
        continue;
      }
      item.annotations.push_back(std::move(d));
    }
    ds.items.push_back(std::move(item));
  }
  return ds;
}

// [SECTION] Export

Result<ExportReport> exportCvat(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  XMLDocument head;
  const std::string rel = "annotations.xml";
  std::ofstream out(outDir / rel, std::ios::binary);
  if (!out) return makeError(ErrorCode::Io, "cannot write " + (outDir / rel).string());
  // meta is small: build it as a document; images are streamed one by one.
  XMLElement* meta = head.NewElement("meta");
  head.InsertEndChild(meta);
  XMLElement* task = head.NewElement("task");
  meta->InsertEndChild(task);
  auto add = [&](XMLElement* p, const char* n, const std::string& t) {
    XMLElement* e = head.NewElement(n);
    e->SetText(t.c_str());
    p->InsertEndChild(e);
    return e;
  };
  add(task, "name", "LabelBench export");
  add(task, "size", std::to_string(src.items().size()));
  add(task, "mode", "annotation");
  add(task, "z_order", "True");
  XMLElement* labels = head.NewElement("labels");
  task->InsertEndChild(labels);
  for (const auto& c : src.schema().classes) {
    if (c.scope != ClassScope::Object && c.scope != ClassScope::ImageTag) continue;
    XMLElement* l = head.NewElement("label");
    labels->InsertEndChild(l);
    add(l, "name", c.name);
    add(l, "color", c.color);
    add(l, "type", c.scope == ClassScope::ImageTag ? "tag" : !c.keypointNames.empty() ? "skeleton" : "any");
    XMLElement* as = head.NewElement("attributes");
    l->InsertEndChild(as);
    for (const auto& a : c.attributes) {
      XMLElement* e = head.NewElement("attribute");
      as->InsertEndChild(e);
      add(e, "name", a.name);
      add(e, "mutable", "False");
      add(e, "input_type", a.type == AttributeType::Bool ? "checkbox" : a.type == AttributeType::Number ? "number"
                                   : a.type == AttributeType::Enum ? "select" : "text");
      add(e, "default_value", a.defaultValue.empty() && a.type == AttributeType::Bool ? "false" : a.defaultValue);
      std::string values;
      if (a.type == AttributeType::Bool) values = "false\ntrue";
      for (std::size_t i = 0; i < a.options.size(); ++i) values += (i ? "\n" : "") + a.options[i];
      add(e, "values", values);
    }
    if (!c.keypointNames.empty()) {
      std::string svg;
      for (auto [from, to] : c.skeletonEdges)
        svg += "<line data-type=\"edge\" data-node-from=\"" + std::to_string(from + 1) + "\" data-node-to=\"" +
               std::to_string(to + 1) + "\"></line>";
      for (std::size_t i = 0; i < c.keypointNames.size(); ++i)
        svg += "<circle r=\"1.5\" data-type=\"element node\" data-element-id=\"" + std::to_string(i + 1) +
               "\" data-node-id=\"" + std::to_string(i + 1) + "\" data-label-name=\"" + c.keypointNames[i] + "\"></circle>";
      add(l, "svg", svg);
      for (const auto& k : c.keypointNames) {
        XMLElement* sub = head.NewElement("label");
        labels->InsertEndChild(sub);
        add(sub, "name", k);
        add(sub, "type", "points");
        add(sub, "attributes", "");
        add(sub, "parent", c.name);
      }
    }
  }
  tinyxml2::XMLPrinter metaPrinter;
  head.Print(&metaPrinter);
  out << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n  <version>1.1</version>\n" << metaPrinter.CStr();

  std::int64_t nextId = 0;
  auto st = forEachImageToWrite(src, "CVAT for images", opts, report,
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        XMLDocument doc;
        XMLElement* im = doc.NewElement("image");
        doc.InsertEndChild(im);
        im->SetAttribute("id", static_cast<int64_t>(nextId++));
        im->SetAttribute("name", item.mediaPath.c_str());
        if (!src.subsetOf(index).empty()) im->SetAttribute("subset", src.subsetOf(index).c_str());
        im->SetAttribute("width", item.widthPx);
        im->SetAttribute("height", item.heightPx);
        for (const auto& a : anns) {
          const ClassDef* cls = src.classOf(a);
          const std::string label = cls ? cls->name : "";
          const char* tag = nullptr;
          switch (a.kind) {
            case AnnotationKind::Box: case AnnotationKind::RotatedBox: tag = "box"; break;
            case AnnotationKind::Polygon: tag = "polygon"; break;
            case AnnotationKind::Polyline: tag = "polyline"; break;
            case AnnotationKind::Points: tag = "points"; break;
            case AnnotationKind::Tag: tag = "tag"; break;
            case AnnotationKind::Mask: tag = "mask"; break;
            case AnnotationKind::Keypoints: tag = "skeleton"; break;
            default: break;
          }
          if (!tag) {
            report.lose(std::string(toString(a.kind)) + " (CVAT for images cannot hold it)", describe(item, a));
            continue;
          }
          const auto ellipse = ellipseOf(a);
          if (ellipse) tag = "ellipse";
          XMLElement* s = doc.NewElement(tag);
          im->InsertEndChild(s);
          s->SetAttribute("label", label.c_str());
          s->SetAttribute("source", a.source.rfind("manual", 0) == 0 ? "manual" : a.source.rfind("assist", 0) == 0 ? "auto" : "file");
          if (a.kind != AnnotationKind::Tag) {
            s->SetAttribute("occluded", a.occluded ? 1 : 0);
            s->SetAttribute("z_order", a.zOrder);
          }
          if (a.groupId) s->SetAttribute("group_id", a.groupId);
          const auto& c = a.coords;
          if (a.kind == AnnotationKind::Box) {
            s->SetAttribute("xtl", formatNumber(c[0]).c_str()), s->SetAttribute("ytl", formatNumber(c[1]).c_str());
            s->SetAttribute("xbr", formatNumber(c[2]).c_str()), s->SetAttribute("ybr", formatNumber(c[3]).c_str());
          } else if (a.kind == AnnotationKind::RotatedBox) {
            s->SetAttribute("xtl", formatNumber(c[0] - c[2] / 2).c_str()), s->SetAttribute("ytl", formatNumber(c[1] - c[3] / 2).c_str());
            s->SetAttribute("xbr", formatNumber(c[0] + c[2] / 2).c_str()), s->SetAttribute("ybr", formatNumber(c[1] + c[3] / 2).c_str());
            s->SetAttribute("rotation", formatNumber(std::fmod(c[4] + 360.0, 360.0)).c_str());
          } else if (ellipse) {
            const auto& e = *ellipse;
            s->SetAttribute("cx", formatNumber(e[0]).c_str()), s->SetAttribute("cy", formatNumber(e[1]).c_str());
            s->SetAttribute("rx", formatNumber(e[2]).c_str()), s->SetAttribute("ry", formatNumber(e[3]).c_str());
            if (e[4] != 0) s->SetAttribute("rotation", formatNumber(e[4]).c_str());
          } else if (a.kind == AnnotationKind::Polygon || a.kind == AnnotationKind::Polyline || a.kind == AnnotationKind::Points) {
            s->SetAttribute("points", pointsText(c).c_str());
          } else if (a.kind == AnnotationKind::Mask) {
            auto m = maskFromAnnotation(a);
            if (!m) {
              report.lose("damaged mask", describe(item, a));
              im->DeleteChild(s);
              continue;
            }
            std::string rle;
            for (auto v : rowMajorRle(*m)) rle += (rle.empty() ? "" : ", ") + std::to_string(v);
            s->SetAttribute("rle", rle.c_str());
            s->SetAttribute("left", m->left), s->SetAttribute("top", m->top);
            s->SetAttribute("width", m->width), s->SetAttribute("height", m->height);
          } else if (a.kind == AnnotationKind::Keypoints) {
            s->SetAttribute("points", "");
            for (std::size_t k = 0; k * 3 + 2 < c.size(); ++k) {
              XMLElement* p = doc.NewElement("points");
              s->InsertEndChild(p);
              p->SetAttribute("label", cls && k < cls->keypointNames.size() ? cls->keypointNames[k].c_str() : std::to_string(k + 1).c_str());
              p->SetAttribute("occluded", c[k * 3 + 2] == 1 ? 1 : 0);
              p->SetAttribute("outside", c[k * 3 + 2] == 0 ? 1 : 0);
              p->SetAttribute("points", pointsText({c[k * 3], c[k * 3 + 1]}).c_str());
            }
          }
          const auto attrs = json::parse(a.attributesJson, nullptr, false);
          if (attrs.is_object())
            for (const auto& [k, v] : attrs.items()) {
              XMLElement* e = doc.NewElement("attribute");
              s->InsertEndChild(e);
              e->SetAttribute("name", k.c_str());
              const std::string t = v.is_string() ? v.get<std::string>() : v.is_number() ? formatNumber(v.get<double>()) : v.dump();
              e->SetText(t.c_str());
            }
          ++report.annotations;
        }
        tinyxml2::XMLPrinter p;
        doc.Print(&p);
        out << p.CStr();
        if (opts.withMedia) copyMedia(src, item, outDir / "images" / item.mediaPath, report);
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      });
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  out << "</annotations>\n";
  out.close();
  if (!out) return makeError(ErrorCode::Io, "writing " + (outDir / rel).string() + " failed (disk full?)");
  report.files.push_back(rel);
  return report;
}

}  // namespace lb::labeling::formats
