// [SECTION] CoNLL / BIO: token-per-line (TAB or space separated, tag in the last column,
// -DOCSTART- lines, blank lines between sentences) and sentence-per-line (token|POS|tag).
//
// One decoder reads IOB1, IOB2 and BIOES alike: B-/S- open an entity, I-/E- continue one of the
// same type (or open it, as IOB1 does), E-/S- close it. Each sentence becomes one text item whose
// text is its tokens joined by single spaces. Export splits an item's text on whitespace and
// tags the tokens in the chosen scheme; what tokens cannot hold (overlaps, spans that end inside
// a token, document classes) is reported. Each batch is written as one document, opened by a
// "-DOCSTART-" line; import reads those lines as document breaks, never as tokens.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "labeling/formats/format_util.h"
#include "labeling/formats/formats.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;

namespace {

struct Sentence {
  std::vector<std::string> tokens, tags;
  int firstLine = 0;
};

std::vector<std::string> splitWs(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string t;
  while (in >> t) out.push_back(t);
  return out;
}

void toItem(const Sentence& s, const std::string& where, Dataset& ds) {
  DatasetItem item;
  item.kind = ItemKind::Text;
  item.fileName = where;
  std::vector<std::int64_t> start;
  std::int64_t pos = 0;
  for (std::size_t i = 0; i < s.tokens.size(); ++i) {
    if (i) item.text += ' ', ++pos;
    start.push_back(pos);
    item.text += s.tokens[i];
    pos += codePointLength(s.tokens[i]);
  }
  std::string openType;
  std::int64_t openStart = 0, openEnd = 0;
  auto close = [&] {
    if (openType.empty()) return;
    DatasetAnnotation d;
    d.className = openType;
    d.a.kind = AnnotationKind::Span;
    d.a.coords = {double(openStart), double(openEnd)};
    item.annotations.push_back(d);
    openType.clear();
  };
  for (std::size_t i = 0; i < s.tokens.size(); ++i) {
    const std::string& tag = s.tags[i];
    const std::int64_t ts = start[i], te = start[i] + codePointLength(s.tokens[i]);
    if (tag == "O" || tag.size() < 3 || tag[1] != '-') {
      close();
      continue;
    }
    const char p = tag[0];
    const std::string type = tag.substr(2);
    const bool opens = p == 'B' || p == 'S' || ((p == 'I' || p == 'E') && type != openType);
    if (opens) {
      close();
      openType = type;
      openStart = ts;
    }
    openEnd = te;
    if (p == 'E' || p == 'S') close();
  }
  close();
  ds.items.push_back(std::move(item));
}

Status readConllFile(const Path& file, Dataset& ds) {
  auto text = readTextFile(file);
  if (!text) return text.error();
  const std::string name = file.filename().string();
  std::vector<std::string> lines;
  {
    std::istringstream in(*text);
    std::string l;
    while (std::getline(in, l)) {
      if (!l.empty() && l.back() == '\r') l.pop_back();
      lines.push_back(l);
    }
  }
  // Sentence per line: every token is token|POS|tag.
  bool sentPerLine = false;
  for (const auto& l : lines) {
    const auto toks = splitWs(l);
    if (toks.empty()) continue;
    sentPerLine = std::all_of(toks.begin(), toks.end(), [](const std::string& t) { return std::count(t.begin(), t.end(), '|') >= 2; });
    break;
  }
  int sentenceNo = 0;
  if (sentPerLine) {
    for (std::size_t n = 0; n < lines.size(); ++n) {
      Sentence s;
      for (const auto& t : splitWs(lines[n])) {
        const auto a = t.find('|'), b = t.rfind('|');
        if (a == std::string::npos || a == b)
          return makeError(ErrorCode::BadInput, name + " line " + std::to_string(n + 1) + ": '" + t + "' is not token|POS|tag");
        s.tokens.push_back(t.substr(0, a));
        s.tags.push_back(t.substr(b + 1));
      }
      if (!s.tokens.empty()) toItem(s, name + " sentence " + std::to_string(++sentenceNo), ds);
    }
    return okStatus();
  }
  const bool tabs = text->find('\t') != std::string::npos;
  Sentence cur;
  auto flush = [&] {
    if (!cur.tokens.empty()) toItem(cur, name + " sentence " + std::to_string(++sentenceNo), ds);
    cur = Sentence{};
  };
  std::size_t columns = 0;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string& l = lines[n];
    if (l.find_first_not_of(" \t") == std::string::npos) {
      flush();
      continue;
    }
    if (l.rfind("-DOCSTART-", 0) == 0) {
      flush();
      continue;
    }
    std::vector<std::string> cols;
    if (tabs) {
      std::stringstream ss(l);
      std::string c;
      while (std::getline(ss, c, '\t')) cols.push_back(c);
    } else {
      cols = splitWs(l);
    }
    const std::string where = name + " line " + std::to_string(n + 1);
    if (cols.size() < 2)
      return makeError(ErrorCode::BadInput, where + ": '" + l + "' has " + std::to_string(cols.size()) + " column" +
                                                (tabs ? " (the file separates columns with TABs)" : "") +
                                                "; every line needs a token and a tag");
    if (!columns) columns = cols.size();
    else if (cols.size() != columns)
      return makeError(ErrorCode::BadInput, where + ": " + std::to_string(cols.size()) + " columns where earlier lines have " +
                                                std::to_string(columns) + "; fix the line or the separators");
    cur.tokens.push_back(cols.front());
    cur.tags.push_back(cols.back());
  }
  flush();
  return okStatus();
}

}  // namespace

Result<Dataset> importConll(const Path& path) {
  Dataset ds;
  ds.format = Format::Conll;
  std::vector<Path> files = fs::is_directory(path) ? listFiles(path, {".conll", ".iob", ".bio", ".txt", ".tsv"})
                                                   : std::vector<Path>{path};
  if (files.empty()) return makeError(ErrorCode::NotFound, "no CoNLL files in " + path.string());
  for (const auto& f : files)
    if (auto st = readConllFile(f, ds); !st) {
      if (files.size() == 1) return st.error();
      ds.problems.push_back(st.error().message);
    }
  return ds;
}

// [SECTION] Export

Result<ExportReport> exportConll(const ExportSource& src, const Path& outDir, const ExportOptions& opts) {
  ExportReport report;
  const std::string scheme = opts.conllScheme;
  if (scheme != "IOB1" && scheme != "IOB2" && scheme != "BIOES")
    return makeError(ErrorCode::InvalidArgument, "CoNLL scheme '" + scheme + "' is not IOB1, IOB2 or BIOES");
  std::map<std::string, std::ofstream> outs;
  std::map<std::string, BatchId> lastBatch;  // per file: the batch (document) written last
  std::int64_t done = 0;
  const auto total = static_cast<std::int64_t>(src.items().size());
  auto st = src.forEach(
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        if (opts.progress && (++done % 256 == 0 || done == total)) opts.progress(done, total);
        if (item.kind == ItemKind::Image) {
          report.lose("image item (CoNLL holds texts only)", describe(item));
          return true;
        }
        if (anns.empty() && !item.nothingHere) {
          ++report.unlabelledLeftOut;
          return true;
        }
        // Tokens with their code-point ranges.
        struct Tok {
          std::string text;
          std::int64_t s, e;
        };
        std::vector<Tok> toks;
        {
          std::int64_t cp = 0;
          std::string cur;
          std::int64_t curStart = 0;
          for (std::size_t i = 0; i < item.text.size();) {
            const unsigned char c = static_cast<unsigned char>(item.text[i]);
            const int n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            const bool ws = n == 1 && std::isspace(c);
            if (ws) {
              if (!cur.empty()) toks.push_back({cur, curStart, cp});
              cur.clear();
            } else {
              if (cur.empty()) curStart = cp;
              cur += item.text.substr(i, static_cast<std::size_t>(n));
            }
            i += static_cast<std::size_t>(n);
            ++cp;
          }
          if (!cur.empty()) toks.push_back({cur, curStart, cp});
        }
        std::vector<std::string> type(toks.size());
        std::vector<int> entity(toks.size(), -1);
        int nextEntity = 0;
        for (const auto& a : anns) {
          if (a.kind != AnnotationKind::Span) {
            report.lose(std::string(toString(a.kind)) + " (CoNLL holds token tags only)", describe(item, a));
            continue;
          }
          const auto s = static_cast<std::int64_t>(a.coords[0]), e = static_cast<std::int64_t>(a.coords[1]);
          std::vector<std::size_t> covered;
          bool aligned = true, overlap = false;
          for (std::size_t t = 0; t < toks.size(); ++t)
            if (toks[t].e > s && toks[t].s < e) {
              covered.push_back(t);
              if (toks[t].s < s || toks[t].e > e) aligned = false;
              if (entity[t] >= 0) overlap = true;
            }
          if (covered.empty()) {
            report.lose("span over whitespace only", describe(item, a));
            continue;
          }
          if (overlap) {
            report.lose("overlapping span (one tag per token)", describe(item, a));
            continue;
          }
          if (!aligned) report.lose("span boundary inside a token (widened to whole tokens)", describe(item, a));
          const int id = nextEntity++;
          for (auto t : covered) type[t] = src.className(a), entity[t] = id;
          ++report.annotations;
        }
        std::string out;
        for (std::size_t t = 0; t < toks.size(); ++t) {
          std::string tag = "O";
          if (entity[t] >= 0) {
            const bool first = t == 0 || entity[t - 1] != entity[t];
            const bool last = t + 1 == toks.size() || entity[t + 1] != entity[t];
            const bool prevSameType = t > 0 && entity[t - 1] >= 0 && type[t - 1] == type[t];
            char p = 'I';
            if (scheme == "IOB2") p = first ? 'B' : 'I';
            else if (scheme == "IOB1") p = first && prevSameType ? 'B' : 'I';
            else p = first && last ? 'S' : first ? 'B' : last ? 'E' : 'I';
            tag = std::string(1, p) + "-" + type[t];
          }
          out += toks[t].text + "\t" + tag + "\n";
        }
        const std::string subset = src.subsetOf(index).empty() ? "all" : src.subsetOf(index);
        auto& f = outs[subset];
        if (!f.is_open()) {
          f.open(outDir / (subset + ".conll"), std::ios::binary);
          report.files.push_back(subset + ".conll");
        } else {
          f << "\n";
        }
        // A document is a batch (a client file): CoNLL-2003 readers expect "-DOCSTART-" and a
        // blank line before each document's first sentence.
        auto last = lastBatch.find(subset);
        if (last == lastBatch.end() || last->second != item.batchId) {
          f << "-DOCSTART-\tO\n\n";
          lastBatch[subset] = item.batchId;
        }
        f << out;
        ++report.items;
        if (anns.empty()) ++report.nothingHere;
        return true;
      },
      opts.cancel);
  if (auto walked = cancelIsNotAnError(st, report); !walked) return walked.error();
  for (auto& [s, f] : outs) {
    f.close();
    if (!f) return makeError(ErrorCode::Io, "writing " + (outDir / (s + ".conll")).string() + " failed");
  }
  return report;
}

}  // namespace lb::labeling::formats
