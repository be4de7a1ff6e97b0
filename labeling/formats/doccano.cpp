// [SECTION] doccano JSONL: sequence labelling ("label": [[start, end, "L"], ...]), text
// classification ("label": ["positive"]), relation extraction ("entities" + "relations").
//
// doccano counts offsets in UTF-16 code units (it is a JavaScript front end); the model counts
// code points, so both directions convert. A file holding one pretty-printed object (doccano's
// own relation example) is read too. The text and label keys may carry user-chosen names
// (column_data / column_label): the text is the record's first string field, the labels its
// first list field, when the usual names are missing. Offsets convert through
// labeling/text/offsets.h (the text engineer's OffsetIndex); an offset that falls between the
// halves of a surrogate pair is named as a problem.
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"
#include "labeling/text/offsets.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

const std::set<std::string> kNotText = {"id", "meta", "Comments", "comments", "cats"};

void readRecord(const ojson& r, const std::string& where, Dataset& ds) {
  if (!r.is_object()) {
    ds.problems.push_back(where + ": not a JSON object; skipped");
    return;
  }
  std::string textKey, labelKey;
  for (const char* k : {"text", "data"})
    if (r.contains(k) && r[k].is_string()) textKey = k;
  for (const char* k : {"label", "labels", "entities"})
    if (labelKey.empty() && r.contains(k) && r[k].is_array()) labelKey = k;
  for (const auto& [k, v] : r.items()) {
    if (textKey.empty() && v.is_string() && !kNotText.count(k)) textKey = k;
    if (labelKey.empty() && v.is_array() && k != "relations" && !kNotText.count(k)) labelKey = k;
  }
  if (textKey.empty()) {
    ds.problems.push_back(where + ": no text field; skipped");
    return;
  }
  DatasetItem item;
  item.kind = ItemKind::Text;
  item.text = r[textKey].get<std::string>();
  item.fileName = r.contains("id") ? "id " + r["id"].dump() : where;
  const std::string& text = item.text;
  const labeling::text::OffsetIndex offsets(text);
  std::map<std::int64_t, int> entityIndex;  // doccano entity id -> annotation index
  std::set<std::tuple<std::int64_t, std::int64_t, std::string>> seen;
  auto addSpan = [&](std::int64_t s16, std::int64_t e16, const std::string& label, std::optional<std::int64_t> id) {
    const auto sOpt = offsets.codePointOfUtf16(s16), eOpt = offsets.codePointOfUtf16(e16);
    if (!sOpt || !eOpt) {
      ds.problems.push_back(where + ": span [" + std::to_string(s16) + ", " + std::to_string(e16) +
                            ") cuts a character in half (UTF-16 surrogate pair); skipped");
      return;
    }
    const std::int64_t s = *sOpt, e = *eOpt;
    if (e <= s) {
      ds.problems.push_back(where + ": span [" + std::to_string(s16) + ", " + std::to_string(e16) + ") is empty or reversed; skipped");
      return;
    }
    if (!seen.insert({s, e, label}).second && !id) {
      ds.notes.push_back(where + ": duplicate span [" + std::to_string(s16) + ", " + std::to_string(e16) + ", " + label +
                         "] kept once");
      return;
    }
    DatasetAnnotation d;
    d.className = label;
    d.a.kind = AnnotationKind::Span;
    d.a.coords = {double(s), double(e)};
    if (id) entityIndex[*id] = static_cast<int>(item.annotations.size());
    item.annotations.push_back(d);
  };
  auto addClass = [&](const std::string& label) {
    DatasetAnnotation d;
    d.className = label;
    d.a.kind = AnnotationKind::DocClass;
    item.annotations.push_back(d);
  };
  if (!labelKey.empty())
    for (const auto& l : r[labelKey]) {
      if (l.is_array() && l.size() >= 3 && l[0].is_number() && l[1].is_number())
        addSpan(l[0].get<std::int64_t>(), l[1].get<std::int64_t>(), l[2].is_string() ? l[2].get<std::string>() : l[2].dump(), std::nullopt);
      else if (l.is_object() && l.contains("start_offset"))
        addSpan(l["start_offset"].get<std::int64_t>(), l["end_offset"].get<std::int64_t>(), l.value("label", std::string()),
                l.contains("id") ? std::optional<std::int64_t>(l["id"].get<std::int64_t>()) : std::nullopt);
      else if (l.is_string()) addClass(l.get<std::string>());
      else ds.problems.push_back(where + ": label " + l.dump() + " is not understood; skipped");
    }
  if (r.contains("cats") && r["cats"].is_array())
    for (const auto& c : r["cats"])
      if (c.is_string()) addClass(c.get<std::string>());
  if (r.contains("relations") && r["relations"].is_array())
    for (const auto& rel : r["relations"]) {
      const auto from = entityIndex.find(rel.value("from_id", std::int64_t{-1}));
      const auto to = entityIndex.find(rel.value("to_id", std::int64_t{-1}));
      if (from == entityIndex.end() || to == entityIndex.end()) {
        ds.problems.push_back(where + ": relation " + rel.dump() + " names an unknown entity; skipped");
        continue;
      }
      DatasetAnnotation d;
      d.className = rel.value("type", std::string());
      d.a.kind = AnnotationKind::Relation;
      d.a.dataJson = json{{"from", from->second}, {"to", to->second}}.dump();
      item.annotations.push_back(d);
    }
  ds.items.push_back(std::move(item));
}

}  // namespace

Result<Dataset> importDoccano(const Path& path) {
  Dataset ds;
  ds.format = Format::Doccano;
  std::vector<Path> files = fs::is_directory(path) ? listFiles(path, {".jsonl", ".json"}) : std::vector<Path>{path};
  if (files.empty()) return makeError(ErrorCode::NotFound, "no .jsonl files in " + path.string());
  for (const auto& f : files) {
    auto text = readTextFile(f);
    if (!text) {
      ds.problems.push_back(text.error().message);
      continue;
    }
    const std::string name = f.filename().string();
    // One pretty-printed object (or a JSON array) instead of JSON Lines.
    ojson whole = ojson::parse(*text, nullptr, false);
    if (!whole.is_discarded() && (whole.is_object() || whole.is_array())) {
      if (whole.is_object()) readRecord(whole, name + " record 1", ds);
      else
        for (std::size_t i = 0; i < whole.size(); ++i) readRecord(whole[i], name + " record " + std::to_string(i + 1), ds);
      continue;
    }
    std::istringstream in(*text);
    std::string line;
    int n = 0, good = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      ojson r = ojson::parse(line, nullptr, false);
      if (r.is_discarded()) {
        ds.problems.push_back(name + " line " + std::to_string(n) + ": not valid JSON; skipped");
        continue;
      }
      ++good;
      readRecord(r, name + " line " + std::to_string(n), ds);
    }
    if (!good && files.size() == 1)
      return makeError(ErrorCode::BadInput, f.string() + " holds no JSON records; is it doccano JSONL?");
  }
  return ds;
}

// [SECTION] Export

Result<ExportReport> exportDoccano(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  std::map<std::string, std::ofstream> outs;
  std::int64_t done = 0;
  const auto total = static_cast<std::int64_t>(src.items().size());
  auto st = src.forEach(
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        if (opts.progress && (++done % 256 == 0 || done == total)) opts.progress(done, total);
        if (item.kind == ItemKind::Image) {
          report.lose("image item (doccano JSONL holds texts only)", describe(item));
          return true;
        }
        if (anns.empty() && !item.nothingHere) {
          ++report.unlabelledLeftOut;
          return true;
        }
        const std::string& text = item.text;
        const labeling::text::OffsetIndex offsets(text);
        ojson spans = ojson::array(), entities = ojson::array(), relations = ojson::array(), classes = ojson::array();
        std::map<AnnotationId, std::int64_t> entityId;
        bool hasRelations = false;
        for (const auto& a : anns)
          if (a.kind == AnnotationKind::Relation) hasRelations = true;
        for (const auto& a : anns) {
          const std::string label = src.className(a);
          if (a.kind == AnnotationKind::Span) {
            const auto s = offsets.utf16Of(static_cast<std::int64_t>(a.coords[0]));
            const auto e = offsets.utf16Of(static_cast<std::int64_t>(a.coords[1]));
            const auto id = static_cast<std::int64_t>(entityId.size());
            entityId[a.id] = id;
            spans.push_back({s, e, label});
            entities.push_back({{"id", id}, {"label", label}, {"start_offset", s}, {"end_offset", e}});
          } else if (a.kind == AnnotationKind::DocClass) {
            classes.push_back(label);
          } else if (a.kind != AnnotationKind::Relation) {
            report.lose(std::string(toString(a.kind)) + " (doccano cannot hold it)", describe(item, a));
            continue;
          }
          if (a.kind != AnnotationKind::Relation) ++report.annotations;
          if (a.attributesJson != "{}" && !a.attributesJson.empty()) report.lose("attributes", describe(item, a));
        }
        for (const auto& a : anns) {
          if (a.kind != AnnotationKind::Relation) continue;
          const auto d = json::parse(a.dataJson, nullptr, false);
          const auto from = entityId.find(d.value("from", AnnotationId{0})), to = entityId.find(d.value("to", AnnotationId{0}));
          if (from == entityId.end() || to == entityId.end()) {
            report.lose("relation whose span is gone", describe(item, a));
            continue;
          }
          relations.push_back({{"id", static_cast<std::int64_t>(relations.size())}, {"from_id", from->second},
                               {"to_id", to->second}, {"type", src.className(a)}});
          ++report.annotations;
        }
        ojson rec;
        rec["id"] = item.id;
        rec["text"] = text;
        if (hasRelations) {
          rec["entities"] = entities;
          rec["relations"] = relations;
          if (!classes.empty()) rec["cats"] = classes;
        } else if (!spans.empty()) {
          rec["label"] = spans;
          if (!classes.empty()) rec["cats"] = classes;
        } else {
          rec["label"] = classes;  // text classification, or [] for "nothing here"
        }
        const std::string subset = src.subsetOf(index).empty() ? "all" : src.subsetOf(index);
        auto& out = outs[subset];
        if (!out.is_open()) {
          out.open(outDir / (subset + ".jsonl"), std::ios::binary);
          report.files.push_back(subset + ".jsonl");
        }
        out << rec.dump() << "\n";
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      },
      opts.cancel);
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  for (auto& [s, out] : outs) {
    out.close();
    if (!out) return makeError(ErrorCode::Io, "writing " + (outDir / (s + ".jsonl")).string() + " failed (disk full?)");
  }
  return report;
}

}  // namespace lb::labeling::formats
