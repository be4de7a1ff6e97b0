#pragma once
// [SECTION] Text import: TXT (one item per line or per file), JSONL (a chosen field), CSV/TSV
// (a chosen column), and prompts with model responses (JSONL) for model-output evaluation.
//
// Each file's encoding is detected (see encoding.h) and recorded on its items; the stored text
// is UTF-8 in NFC with line breaks as "\n" (CRLF becomes LF, the way most tools read text
// files, so offsets agree with theirs). Every item gets:
//   sourceKey  = <path relative to the media root>["#line=N" | "#record=N"], so re-importing a
//                file adds only what is new ("#line" for TXT lines and JSONL, "#record" for
//                CSV/TSV records, which may span lines; 1-based; a whole-file item has no suffix);
//   contentHash = SHA-256 hex of the stored UTF-8 text (prompts: of the prompt and responses,
//                separated by NUL bytes);
//   lengthCodePoints, sourceEncoding, and fileSizeBytes = UTF-8 bytes of the stored text.
// Bad records (invalid JSON, a missing or non-text field, undecodable bytes, an empty text)
// are listed with file:line and the reason; the rest goes on. Each item is inserted in its own
// transaction, so a killed import leaves only whole items.
//
// Threads: call from the thread that owns `store`; `progress` is called on that thread.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::labeling {

enum class TextImportMode {
  Lines,  // TXT: one item per non-blank line
  File,   // TXT: one item per file
  Jsonl,  // one JSON object per line; the text is at `field`
  Csv,    // comma-separated, RFC 4180 quoting; the text is in `column`
  Tsv,    // tab-separated, same quoting rules
};

std::string_view toString(TextImportMode m);
std::optional<TextImportMode> textImportModeFrom(std::string_view s);

struct TextImportOptions {
  TextImportMode mode = TextImportMode::Lines;
  std::string field = "text";  // JSONL: dotted path, e.g. "data.content"; array index as "items.0"
  std::string column;          // CSV/TSV: a header name, or a 1-based column number; "" = first column
  bool header = true;          // CSV/TSV: the first record names the columns
  std::string batchName;       // default: the first input's file name
  std::atomic<bool>* cancel = nullptr;  // set to true to stop; finished items stay in
  std::function<void(std::int64_t done, std::int64_t total)> progress;  // per input file
  UserId userId = 0;           // recorded on the import event
  std::string sessionId;
};

struct PromptImportOptions {
  std::string promptField = "prompt";     // dotted path to the prompt text
  // Either one field holding an array (of strings, or of objects with `responseTextField`
  // and optionally `responseSourceField`) ...
  std::string responsesField;
  std::string responseTextField = "text";
  std::string responseSourceField = "model";
  // ... or several fields, each one response (its source is the field name).
  std::vector<std::string> responseFields;
  int minResponses = 2;                   // fewer is a rejected record
  std::string batchName;
  std::atomic<bool>* cancel = nullptr;
  std::function<void(std::int64_t done, std::int64_t total)> progress;
  UserId userId = 0;
  std::string sessionId;
};

struct TextRejection {
  std::string file;       // as given on input
  std::int64_t line = 0;  // 1-based line (0: the whole file)
  std::string reason;     // names the problem and what to do
  std::string describe() const;  // "file:line: reason"
};

struct TextImportReport {
  BatchId batchId = 0;  // 0 when nothing new was imported
  std::int64_t imported = 0;
  std::int64_t alreadyInProject = 0;
  std::vector<TextRejection> rejected;
  bool cancelled = false;
};

// inputs: text files (a folder is read recursively for *.txt, *.jsonl, *.csv, *.tsv matching
// the mode). Errors (as values) only for the whole job: no inputs, bad options (e.g. a CSV
// column that no header has), a project that cannot be written.
Result<TextImportReport> importTexts(ProjectStore& store, const std::vector<std::string>& inputs,
                                     const TextImportOptions& opts);

// JSONL files of prompts with responses -> ItemKind::Prompt items with Item::responses.
Result<TextImportReport> importPrompts(ProjectStore& store, const std::vector<std::string>& inputs,
                                       const PromptImportOptions& opts);

// SHA-256 of `bytes` as 64 lower-case hex digits (OpenSSL EVP).
std::string sha256Hex(std::string_view bytes);

}  // namespace lb::labeling
