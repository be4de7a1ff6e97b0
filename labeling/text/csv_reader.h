#pragma once
// [SECTION] RFC 4180 records for CSV/TSV text import: quoted fields may hold the delimiter,
// doubled quotes ("") and line breaks (LF or CRLF). A quote only opens a quoted field at the
// start of a field, so unquoted TSV with stray quotes inside a value reads as written.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lb::labeling::text {

struct CsvRecord {
  std::int64_t index = 0;      // 0-based record number (the header, if any, is record 0)
  std::int64_t line = 0;       // 1-based line on which the record starts
  std::vector<std::string> fields;
  std::string problem;         // non-empty: the record is malformed (e.g. a quote never closed)
};

// Splits all of `text` (UTF-8, no BOM) into records. Blank lines outside quotes are skipped.
std::vector<CsvRecord> parseCsv(std::string_view text, char delimiter);

}  // namespace lb::labeling::text
