// [SECTION] Plain JSONL and CSV for texts, prompts and ratings: what a client's own pipeline
// reads without knowing any annotation tool.
//
// JSONL, one object per item: {"id", "text", "spans": [{"start","end","label","text"}],
// "classes": [...], "responses": [{"source","text"}], "ratings": [{"response","scores",
// "comment"}], "ranking": [...], "corrected_text": "..."}; offsets are code points.
// CSV: texts.csv (id,text,classes with classes joined by '|') and, when there are ratings,
// ratings.csv (id,text,response,criterion,score,comment). RFC 4180 quoting.
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

// [SECTION] CSV

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Parses RFC 4180 CSV (quoted fields may hold commas, quotes and newlines).
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true, any = true;
    } else if (c == ',') {
      row.push_back(field), field.clear(), any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) row.push_back(field), rows.push_back(row);
      row.clear(), field.clear(), any = false;
    } else {
      field += c, any = true;
    }
  }
  if (any || !field.empty()) row.push_back(field), rows.push_back(row);
  return rows;
}

DatasetItem& itemFor(Dataset& ds, std::map<std::string, std::size_t>& byKey, const std::string& key, const std::string& text) {
  auto [it, fresh] = byKey.try_emplace(key, ds.items.size());
  if (fresh) {
    DatasetItem item;
    item.kind = ItemKind::Text;
    item.fileName = key;
    item.text = text;
    ds.items.push_back(item);
  }
  return ds.items[it->second];
}

}  // namespace

// [SECTION] JSONL

Result<Dataset> importTextJsonl(const Path& path) {
  Dataset ds;
  ds.format = Format::TextJsonl;
  std::vector<Path> files = fs::is_directory(path) ? listFiles(path, {".jsonl"}) : std::vector<Path>{path};
  if (files.empty()) return makeError(ErrorCode::NotFound, "no .jsonl files in " + path.string());
  for (const auto& f : files) {
    auto text = readTextFile(f);
    if (!text) return text.error();
    std::istringstream in(*text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = f.filename().string() + " line " + std::to_string(n);
      json r = json::parse(line, nullptr, false);
      if (r.is_discarded() || !r.is_object() || !r.contains("text") || !r["text"].is_string()) {
        ds.problems.push_back(where + ": not an object with a \"text\"; skipped");
        continue;
      }
      DatasetItem item;
      item.kind = r.contains("responses") ? ItemKind::Prompt : ItemKind::Text;
      item.text = r["text"].get<std::string>();
      item.fileName = r.contains("id") ? "id " + r["id"].dump() : where;
      item.subset = r.value("subset", std::string());
      if (r.contains("responses"))
        for (const auto& resp : r["responses"]) {
          Response rs;
          rs.index = static_cast<int>(item.responses.size());
          rs.source = resp.value("source", std::string());
          rs.text = resp.value("text", std::string());
          item.responses.push_back(rs);
        }
      std::map<std::int64_t, int> spanIndex;
      if (r.contains("spans"))
        for (const auto& s : r["spans"]) {
          DatasetAnnotation d;
          d.className = s.value("label", std::string());
          d.a.kind = AnnotationKind::Span;
          d.a.coords = {s.value("start", 0.0), s.value("end", 0.0)};
          if (s.contains("id")) spanIndex[s["id"].get<std::int64_t>()] = static_cast<int>(item.annotations.size());
          item.annotations.push_back(d);
        }
      if (r.contains("relations"))
        for (const auto& rel : r["relations"]) {
          auto from = spanIndex.find(rel.value("from", std::int64_t{-1})), to = spanIndex.find(rel.value("to", std::int64_t{-1}));
          if (from == spanIndex.end() || to == spanIndex.end()) continue;
          DatasetAnnotation d;
          d.className = rel.value("type", std::string());
          d.a.kind = AnnotationKind::Relation;
          d.a.dataJson = json{{"from", from->second}, {"to", to->second}}.dump();
          item.annotations.push_back(d);
        }
      if (r.contains("classes"))
        for (const auto& c : r["classes"]) {
          DatasetAnnotation d;
          d.className = c.get<std::string>();
          d.a.kind = AnnotationKind::DocClass;
          item.annotations.push_back(d);
        }
      if (r.contains("ratings"))
        for (const auto& rt : r["ratings"]) {
          DatasetAnnotation d;
          d.a.kind = AnnotationKind::Rating;
          d.a.dataJson = rt.dump();
          item.annotations.push_back(d);
        }
      if (r.contains("ranking")) {
        DatasetAnnotation d;
        d.a.kind = AnnotationKind::Ranking;
        d.a.dataJson = json{{"ranks", r["ranking"]}}.dump();
        item.annotations.push_back(d);
      }
      if (r.contains("corrected_text")) {
        DatasetAnnotation d;
        d.a.kind = AnnotationKind::CorrectedText;
        d.a.dataJson = json{{"text", r["corrected_text"]}}.dump();
        item.annotations.push_back(d);
      }
      ds.items.push_back(std::move(item));
    }
  }
  return ds;
}

Result<ExportReport> exportTextJsonl(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  const std::string rel = "items.jsonl";
  std::ofstream out(outDir / rel, std::ios::binary);
  if (!out) return makeError(ErrorCode::Io, "cannot write " + (outDir / rel).string());
  auto st = src.forEach(
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        if (item.kind == ItemKind::Image) {
          report.lose("image item (the text JSONL holds texts only)", describe(item));
          return true;
        }
        if (anns.empty() && !item.nothingHere) {
          ++report.unlabelledLeftOut;
          return true;
        }
        ojson r;
        r["id"] = item.id;
        r["text"] = item.text;
        if (!src.subsetOf(index).empty()) r["subset"] = src.subsetOf(index);
        if (item.kind == ItemKind::Prompt) {
          r["responses"] = ojson::array();
          for (const auto& resp : item.responses) r["responses"].push_back({{"source", resp.source}, {"text", resp.text}});
        }
        for (const auto& a : anns) {
          const auto data = json::parse(a.dataJson, nullptr, false);
          switch (a.kind) {
            case AnnotationKind::Span: {
              const auto s = static_cast<std::int64_t>(a.coords[0]), e = static_cast<std::int64_t>(a.coords[1]);
              r["spans"].push_back({{"id", a.id}, {"start", s}, {"end", e}, {"label", src.className(a)},
                                    {"text", codePointSubstr(item.text, s, e)}});
              break;
            }
            case AnnotationKind::Relation:
              r["relations"].push_back({{"from", data.value("from", AnnotationId{0})}, {"to", data.value("to", AnnotationId{0})},
                                        {"type", src.className(a)}});
              break;
            case AnnotationKind::DocClass: r["classes"].push_back(src.className(a)); break;
            case AnnotationKind::Rating: r["ratings"].push_back(ojson::parse(a.dataJson)); break;
            case AnnotationKind::Ranking: r["ranking"] = data.value("ranks", json::array()); break;
            case AnnotationKind::CorrectedText: r["corrected_text"] = data.value("text", std::string()); break;
            default:
              report.lose(std::string(toString(a.kind)) + " (not a text label)", describe(item, a));
              continue;
          }
          ++report.annotations;
        }
        out << r.dump() << "\n";
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      },
      opts.cancel);
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  out.close();
  if (!out) return makeError(ErrorCode::Io, "writing " + (outDir / rel).string() + " failed");
  report.files.push_back(rel);
  return report;
}

// [SECTION] CSV

Result<Dataset> importTextCsv(const Path& path) {
  Dataset ds;
  ds.format = Format::TextCsv;
  std::vector<Path> files = fs::is_directory(path) ? listFiles(path, {".csv"}) : std::vector<Path>{path};
  if (files.empty()) return makeError(ErrorCode::NotFound, "no .csv files in " + path.string());
  std::map<std::string, std::size_t> byKey;
  // texts.csv first so that ratings attach to its items.
  std::stable_sort(files.begin(), files.end(), [](const Path& a, const Path& b) {
    return (a.filename() == "texts.csv") > (b.filename() == "texts.csv");
  });
  for (const auto& f : files) {
    auto text = readTextFile(f);
    if (!text) return text.error();
    auto rows = parseCsv(*text);
    if (rows.empty()) continue;
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
    if (!col.count("text")) {
      ds.problems.push_back(f.filename().string() + ": no 'text' column in the header; skipped");
      continue;
    }
    auto get = [&](const std::vector<std::string>& row, const char* name) -> std::string {
      auto c = col.find(name);
      return c != col.end() && c->second < row.size() ? row[c->second] : "";
    };
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const auto& row = rows[r];
      const std::string key = col.count("id") ? "id " + get(row, "id") : f.filename().string() + " row " + std::to_string(r + 1);
      DatasetItem& item = itemFor(ds, byKey, key, get(row, "text"));
      for (const char* classCol : {"classes", "label", "labels"}) {
        std::stringstream ss(get(row, classCol));
        std::string c;
        while (std::getline(ss, c, '|'))
          if (!c.empty()) {
            DatasetAnnotation d;
            d.className = c;
            d.a.kind = AnnotationKind::DocClass;
            item.annotations.push_back(d);
          }
      }
      if (col.count("criterion") && !get(row, "criterion").empty()) {
        const int response = std::atoi(get(row, "response").c_str());
        const std::string criterion = get(row, "criterion");
        const double score = std::atof(get(row, "score").c_str());
        // Rows of one rating (same response) share one Rating annotation.
        DatasetAnnotation* target = nullptr;
        for (auto& d : item.annotations)
          if (d.a.kind == AnnotationKind::Rating && json::parse(d.a.dataJson).value("response", -1) == response) target = &d;
        if (!target) {
          DatasetAnnotation d;
          d.a.kind = AnnotationKind::Rating;
          d.a.dataJson = json{{"response", response}, {"scores", json::object()}, {"comment", get(row, "comment")}}.dump();
          item.annotations.push_back(d);
          target = &item.annotations.back();
        }
        json j = json::parse(target->a.dataJson);
        j["scores"][criterion] = score;
        target->a.dataJson = j.dump();
      }
    }
  }
  return ds;
}

Result<ExportReport> exportTextCsv(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  std::ofstream texts(outDir / "texts.csv", std::ios::binary);
  std::ofstream ratings;
  texts << "id,text,classes\n";
  auto st = src.forEach(
      [&](std::size_t, const Item& item, const std::vector<Annotation>& anns) {
        if (item.kind == ItemKind::Image) {
          report.lose("image item (the text CSV holds texts only)", describe(item));
          return true;
        }
        if (anns.empty() && !item.nothingHere) {
          ++report.unlabelledLeftOut;
          return true;
        }
        std::string classes;
        for (const auto& a : anns) {
          if (a.kind == AnnotationKind::DocClass) {
            classes += (classes.empty() ? "" : "|") + src.className(a);
          } else if (a.kind == AnnotationKind::Rating) {
            if (!ratings.is_open()) {
              ratings.open(outDir / "ratings.csv", std::ios::binary);
              ratings << "id,text,response,criterion,score,comment\n";
            }
            const auto d = json::parse(a.dataJson, nullptr, false);
            if (d.is_object() && d.contains("scores"))
              for (const auto& [k, v] : d["scores"].items())
                ratings << item.id << "," << csvField(item.text) << "," << d.value("response", 0) << "," << csvField(k) << ","
                        << formatNumber(v.get<double>()) << "," << csvField(d.value("comment", std::string())) << "\n";
          } else {
            report.lose(std::string(toString(a.kind)) + " (the CSV holds document classes and ratings)", describe(item, a));
            continue;
          }
          ++report.annotations;
        }
        texts << item.id << "," << csvField(item.text) << "," << csvField(classes) << "\n";
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      },
      opts.cancel);
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  texts.close();
  if (!texts) return makeError(ErrorCode::Io, "writing " + (outDir / "texts.csv").string() + " failed");
  report.files.push_back("texts.csv");
  if (ratings.is_open()) report.files.push_back("ratings.csv");
  return report;
}

}  // namespace lb::labeling::formats
