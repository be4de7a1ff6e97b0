#include "labeling/import/text_import.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "labeling/events.h"
#include "labeling/import/encoding.h"
#include "labeling/text/csv_reader.h"
#include "labeling/text/offsets.h"

namespace lb::labeling {

namespace fs = std::filesystem;
using nlohmann::json;

std::string_view toString(TextImportMode m) {
  switch (m) {
    case TextImportMode::Lines: return "lines";
    case TextImportMode::File: return "file";
    case TextImportMode::Jsonl: return "jsonl";
    case TextImportMode::Csv: return "csv";
    case TextImportMode::Tsv: return "tsv";
  }
  return "?";
}

std::optional<TextImportMode> textImportModeFrom(std::string_view s) {
  for (auto m : {TextImportMode::Lines, TextImportMode::File, TextImportMode::Jsonl, TextImportMode::Csv,
                 TextImportMode::Tsv})
    if (s == toString(m)) return m;
  return std::nullopt;
}

std::string TextRejection::describe() const {
  return line > 0 ? file + ":" + std::to_string(line) + ": " + reason : file + ": " + reason;
}

std::string sha256Hex(std::string_view bytes) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1)
    throw std::runtime_error("OpenSSL SHA-256 failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

namespace {

// One text found in a file, before it becomes an item.
struct Candidate {
  std::int64_t line = 0;      // 1-based line where it starts (0: whole file)
  std::string keySuffix;      // "#line=N", "#record=N" or ""
  std::string text;           // raw UTF-8 (may still hold broken bytes, CRLF, non-NFC)
  std::vector<Response> responses;
  std::string problem;        // non-empty: reject with this reason
  bool skipIfBlank = false;   // blank TXT lines are not items and not errors
};

bool isBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool isDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Looks up a dotted path ("a.b.0.c"); a key that itself contains dots is found first as is.
const json* lookup(const json& j, const std::string& path) {
  if (j.is_object()) {
    if (auto it = j.find(path); it != j.end()) return &*it;
  }
  const json* cur = &j;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (cur->is_object()) {
      auto it = cur->find(part);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array() && isDigits(part)) {
      const auto idx = std::stoull(part);
      if (idx >= cur->size()) return nullptr;
      cur = &(*cur)[idx];
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

std::string keysOf(const json& j) {
  if (!j.is_object()) return "the line is not an object";
  std::string out = "fields present: ";
  int n = 0;
  for (auto it = j.begin(); it != j.end() && n < 8; ++it, ++n) out += (n ? ", " : "") + it.key();
  if (j.empty()) out += "none";
  return out;
}

// A JSON value that is the text: a string. Anything else explains itself in `problem`.
bool textAt(const json& obj, const std::string& path, std::string& out, std::string& problem) {
  const json* v = lookup(obj, path);
  if (!v) {
    problem = "no field '" + path + "' (" + keysOf(obj) + ")";
    return false;
  }
  if (!v->is_string()) {
    problem = "field '" + path + "' is " + std::string(v->type_name()) + ", not text";
    return false;
  }
  out = v->get<std::string>();
  return true;
}

// Splits into lines (LF or CRLF) with their 1-based numbers.
template <typename Fn>
void forEachLine(std::string_view s, Fn&& fn) {
  std::int64_t line = 0;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view l = s.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    fn(++line, l);
    start = end + 1;
  }
}

Result<std::string> readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorCode::Io, "cannot open (missing file or no permission)");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return makeError(ErrorCode::Io, "read failed");
  return ss.str();
}

std::vector<std::string> expandInputs(const std::vector<std::string>& inputs, const std::set<std::string>& exts) {
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (!it->is_regular_file(ec)) continue;
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        if (exts.count(ext)) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(in);  // a missing file is reported as a rejection when read
    }
  }
  return files;
}

// Path relative to the media root: stable across runs and machines that share the layout.
std::string relativeKey(const std::string& file, const std::string& mediaRoot) {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(file, ec), ec);
  if (!mediaRoot.empty()) {
    const fs::path root = fs::weakly_canonical(mediaRoot, ec);
    const fs::path rel = abs.lexically_relative(root);
    if (!rel.empty()) return rel.generic_string();
  }
  return abs.generic_string();
}

// The per-import machinery shared by texts and prompts: lazy batch, dedupe, insert, report.
class Sink {
 public:
  Sink(ProjectStore& store, std::string batchName, std::string batchSource)
      : m_store(store), m_batchName(std::move(batchName)), m_batchSource(std::move(batchSource)) {}

  TextImportReport report;

  // Validates and stores one candidate. Returns an error only for a failure of the project
  // itself (not of the input), which stops the import.
  Status add(const std::string& file, const std::string& relKey, const std::string& encoding, bool mayHaveBrokenBytes,
             ItemKind kind, Candidate c) {
    auto reject = [&](std::string reason) {
      report.rejected.push_back({file, c.line, std::move(reason)});
      return okStatus();
    };
    if (!c.problem.empty()) return reject(c.problem);
    if (mayHaveBrokenBytes) {
      std::size_t bad = 0;
      if (!isValidUtf8(c.text, &bad))
        return reject("bytes that are not valid UTF-8 (at byte " + std::to_string(bad) +
                      " of this record); fix or remove them and import again");
      for (const auto& r : c.responses)
        if (!isValidUtf8(r.text)) return reject("a response holds bytes that are not valid UTF-8");
    }
    if (c.skipIfBlank && isBlank(c.text)) return okStatus();
    if (isBlank(c.text)) return reject("the text is empty");
    const std::string key = relKey + c.keySuffix;
    if (m_store.hasSourceKey(key)) {
      ++report.alreadyInProject;
      return okStatus();
    }
    NewItem ni;
    Item& it = ni.item;
    it.kind = kind;
    it.sourceKey = key;
    it.sourceEncoding = encoding;
    it.text = toNfc(text::normalizeNewlines(c.text));
    it.lengthCodePoints = text::codePointCount(it.text);
    it.fileSizeBytes = static_cast<std::int64_t>(it.text.size());
    std::string hashInput = it.text;
    for (auto& r : c.responses) {
      r.text = toNfc(text::normalizeNewlines(r.text));
      hashInput.push_back('\0');
      hashInput += r.text;
    }
    it.responses = std::move(c.responses);
    it.contentHash = sha256Hex(hashInput);
    if (!report.batchId) {
      auto b = m_store.createBatch(m_batchName, m_batchSource);
      if (!b) return b.error();
      report.batchId = *b;
    }
    it.batchId = report.batchId;
    auto id = m_store.insertItem(ni);
    if (!id) return id.error();
    ++report.imported;
    return okStatus();
  }

  void logImport(UserId user, const std::string& sessionId, const char* what) {
    Event e;
    e.userId = user;
    e.sessionId = sessionId;
    e.action = events::kImport;
    e.tMs = nowMs();
    e.detailJson = json{{"kind", what},
                        {"imported", report.imported},
                        {"already", report.alreadyInProject},
                        {"rejected", report.rejected.size()},
                        {"batch", report.batchId}}
                       .dump();
    (void)m_store.appendEvent(e);  // the items are in; a failed log line must not undo that
  }

 private:
  ProjectStore& m_store;
  std::string m_batchName;
  std::string m_batchSource;
};

std::vector<Candidate> candidatesFromCsv(const std::string& text, const TextImportOptions& opts, std::string& fileProblem) {
  std::vector<Candidate> out;
  const auto records = text::parseCsv(text, opts.mode == TextImportMode::Tsv ? '\t' : ',');
  std::size_t column = 0;
  std::size_t first = 0;
  if (opts.header) {
    if (records.empty()) return out;
    first = 1;
    const auto& names = records.front().fields;
    bool found = false;
    if (!opts.column.empty()) {
      for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k] == opts.column) column = k, found = true;
      if (!found && isDigits(opts.column)) column = std::stoul(opts.column) - 1, found = true;
      if (!found) {
        std::string list;
        for (std::size_t k = 0; k < names.size(); ++k) list += (k ? ", " : "") + names[k];
        fileProblem = "no column '" + opts.column + "' in the header row (columns: " + list + ")";
        return out;
      }
    }
  } else if (!opts.column.empty()) {
    column = std::stoul(opts.column) - 1;  // checked to be a number by importTexts
  }
  for (std::size_t r = first; r < records.size(); ++r) {
    const auto& rec = records[r];
    Candidate c;
    c.line = rec.line;
    c.keySuffix = "#record=" + std::to_string(rec.index + 1 - static_cast<std::int64_t>(first));
    if (!rec.problem.empty()) c.problem = rec.problem;
    else if (column >= rec.fields.size())
      c.problem = "record has " + std::to_string(rec.fields.size()) + " fields, column " + std::to_string(column + 1) +
                  " is missing";
    else c.text = rec.fields[column];
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Candidate> candidatesFromText(const std::string& text, const TextImportOptions& opts, std::string& fileProblem) {
  std::vector<Candidate> out;
  switch (opts.mode) {
    case TextImportMode::File: {
      Candidate c;
      c.text = text;
      out.push_back(std::move(c));
      break;
    }
    case TextImportMode::Lines:
      forEachLine(text, [&](std::int64_t line, std::string_view l) {
        Candidate c;
        c.line = line;
        c.keySuffix = "#line=" + std::to_string(line);
        c.text.assign(l);
        c.skipIfBlank = true;
        out.push_back(std::move(c));
      });
      break;
    case TextImportMode::Jsonl:
      forEachLine(text, [&](std::int64_t line, std::string_view l) {
        if (isBlank(l)) return;
        Candidate c;
        c.line = line;
        c.keySuffix = "#line=" + std::to_string(line);
        if (!isValidUtf8(l)) {
          c.problem = "bytes that are not valid UTF-8; fix or remove them and import again";
        } else {
          const json j = json::parse(l, nullptr, false);
          if (j.is_discarded()) c.problem = "not valid JSON";
          else textAt(j, opts.field, c.text, c.problem);
        }
        out.push_back(std::move(c));
      });
      break;
    case TextImportMode::Csv:
    case TextImportMode::Tsv:
      return candidatesFromCsv(text, opts, fileProblem);
  }
  return out;
}

std::set<std::string> extensionsFor(TextImportMode m) {
  switch (m) {
    case TextImportMode::Lines:
    case TextImportMode::File: return {".txt", ".text"};
    case TextImportMode::Jsonl: return {".jsonl", ".ndjson"};
    case TextImportMode::Csv: return {".csv"};
    case TextImportMode::Tsv: return {".tsv", ".tab"};
  }
  return {};
}

std::string defaultBatchName(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return "texts";
  fs::path p(inputs.front());
  if (!p.has_filename()) p = p.parent_path();
  return p.filename().string();
}

// Reads, decodes and splits one file, then hands each candidate to `sink`.
template <typename Extract>
Status importFile(const std::string& file, ProjectStore& store, Sink& sink, ItemKind kind,
                  std::atomic<bool>* cancel, Extract&& extract) {
  auto bytes = readBytes(file);
  if (!bytes) {
    sink.report.rejected.push_back({file, 0, bytes.error().message});
    return okStatus();
  }
  if (bytes->empty()) {
    sink.report.rejected.push_back({file, 0, "the file is empty (0 bytes)"});
    return okStatus();
  }
  auto decoded = decodeText(*bytes, file);
  if (!decoded) {
    // The message already starts with the file name; keep only the part after it.
    std::string msg = decoded.error().message;
    if (msg.rfind(file + ": ", 0) == 0) msg.erase(0, file.size() + 2);
    sink.report.rejected.push_back({file, 0, msg});
    return okStatus();
  }
  std::string fileProblem;
  auto candidates = extract(decoded->utf8, fileProblem);
  if (!fileProblem.empty()) {
    sink.report.rejected.push_back({file, 0, fileProblem});
    return okStatus();
  }
  const std::string relKey = relativeKey(file, store.info().mediaRoot);
  for (auto& c : candidates) {
    if (cancel && cancel->load()) {
      sink.report.cancelled = true;
      return okStatus();
    }
    if (auto st = sink.add(file, relKey, decoded->encoding, decoded->invalidUtf8, kind, std::move(c)); !st) return st;
  }
  return okStatus();
}

}  // namespace

Result<TextImportReport> importTexts(ProjectStore& store, const std::vector<std::string>& inputs,
                                     const TextImportOptions& opts) {
  if (inputs.empty()) return makeError(ErrorCode::InvalidArgument, "no text files given to import");
  if ((opts.mode == TextImportMode::Csv || opts.mode == TextImportMode::Tsv) && !opts.header &&
      !opts.column.empty() && (!isDigits(opts.column) || opts.column == "0"))
    return makeError(ErrorCode::InvalidArgument,
                     "without a header row the column must be a number from 1 (got '" + opts.column + "')");
  if (opts.mode == TextImportMode::Jsonl && opts.field.empty())
    return makeError(ErrorCode::InvalidArgument, "choose the JSON field that holds the text (e.g. --field text)");
  const auto files = expandInputs(inputs, extensionsFor(opts.mode));
  if (files.empty()) return makeError(ErrorCode::NotFound, "no " + std::string(toString(opts.mode)) + " files found in the inputs");
  Sink sink(store, opts.batchName.empty() ? defaultBatchName(inputs) : opts.batchName, inputs.front());
  std::int64_t done = 0;
  for (const auto& file : files) {
    auto st = importFile(file, store, sink, ItemKind::Text, opts.cancel,
                         [&](const std::string& text, std::string& problem) { return candidatesFromText(text, opts, problem); });
    if (!st) return st.error();
    if (opts.progress) opts.progress(++done, static_cast<std::int64_t>(files.size()));
    if (sink.report.cancelled) break;
  }
  sink.logImport(opts.userId, opts.sessionId, "text");
  return std::move(sink.report);
}

namespace {

std::vector<Candidate> promptCandidates(const std::string& text, const PromptImportOptions& opts) {
  std::vector<Candidate> out;
  forEachLine(text, [&](std::int64_t line, std::string_view l) {
    if (isBlank(l)) return;
    Candidate c;
    c.line = line;
    c.keySuffix = "#line=" + std::to_string(line);
    out.push_back(c);
    Candidate& cur = out.back();
    if (!isValidUtf8(l)) {
      cur.problem = "bytes that are not valid UTF-8; fix or remove them and import again";
      return;
    }
    const json j = json::parse(l, nullptr, false);
    if (j.is_discarded()) {
      cur.problem = "not valid JSON";
      return;
    }
    if (!textAt(j, opts.promptField, cur.text, cur.problem)) return;
    if (!opts.responsesField.empty()) {
      const json* arr = lookup(j, opts.responsesField);
      if (!arr) {
        cur.problem = "no field '" + opts.responsesField + "' (" + keysOf(j) + ")";
        return;
      }
      if (!arr->is_array()) {
        cur.problem = "field '" + opts.responsesField + "' is " + std::string(arr->type_name()) + ", not an array";
        return;
      }
      for (std::size_t k = 0; k < arr->size(); ++k) {
        const json& r = (*arr)[k];
        Response resp;
        resp.index = static_cast<int>(k);
        if (r.is_string()) {
          resp.text = r.get<std::string>();
        } else if (r.is_object()) {
          std::string problem;
          if (!textAt(r, opts.responseTextField, resp.text, problem)) {
            cur.problem = "response " + std::to_string(k + 1) + ": " + problem;
            return;
          }
          if (const json* src = lookup(r, opts.responseSourceField); src && src->is_string())
            resp.source = src->get<std::string>();
        } else {
          cur.problem = "response " + std::to_string(k + 1) + " is " + std::string(r.type_name()) +
                        ", not text or an object";
          return;
        }
        cur.responses.push_back(std::move(resp));
      }
    } else {
      for (std::size_t k = 0; k < opts.responseFields.size(); ++k) {
        Response resp;
        resp.index = static_cast<int>(k);
        resp.source = opts.responseFields[k];
        if (!textAt(j, opts.responseFields[k], resp.text, cur.problem)) return;
        cur.responses.push_back(std::move(resp));
      }
    }
    if (static_cast<int>(cur.responses.size()) < opts.minResponses)
      cur.problem = "has " + std::to_string(cur.responses.size()) + " response(s); at least " +
                    std::to_string(opts.minResponses) + " are needed to compare";
  });
  return out;
}

}  // namespace

Result<TextImportReport> importPrompts(ProjectStore& store, const std::vector<std::string>& inputs,
                                       const PromptImportOptions& opts) {
  if (inputs.empty()) return makeError(ErrorCode::InvalidArgument, "no JSONL files given to import");
  if (opts.promptField.empty())
    return makeError(ErrorCode::InvalidArgument, "choose the field that holds the prompt (--prompt-field)");
  if (opts.responsesField.empty() == opts.responseFields.empty())
    return makeError(ErrorCode::InvalidArgument,
                     "choose either one array field of responses (--responses-field) or one field per response "
                     "(--response-field, repeated)");
  const auto files = expandInputs(inputs, {".jsonl", ".ndjson"});
  if (files.empty()) return makeError(ErrorCode::NotFound, "no .jsonl files found in the inputs");
  Sink sink(store, opts.batchName.empty() ? defaultBatchName(inputs) : opts.batchName, inputs.front());
  std::int64_t done = 0;
  for (const auto& file : files) {
    auto st = importFile(file, store, sink, ItemKind::Prompt, opts.cancel,
                         [&](const std::string& text, std::string&) { return promptCandidates(text, opts); });
    if (!st) return st.error();
    if (opts.progress) opts.progress(++done, static_cast<std::int64_t>(files.size()));
    if (sink.report.cancelled) break;
  }
  sink.logImport(opts.userId, opts.sessionId, "prompt");
  return std::move(sink.report);
}

}  // namespace lb::labeling
