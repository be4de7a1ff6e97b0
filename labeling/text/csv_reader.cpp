#include "labeling/text/csv_reader.h"

namespace lb::labeling::text {

std::vector<CsvRecord> parseCsv(std::string_view s, char delim) {
  std::vector<CsvRecord> out;
  std::size_t i = 0;
  std::int64_t line = 1;
  std::int64_t index = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Skip blank lines between records.
    if (s[i] == '\n') {
      ++line, ++i;
      continue;
    }
    if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
      ++line, i += 2;
      continue;
    }
    CsvRecord rec;
    rec.index = index++;
    rec.line = line;
    std::string field;
    bool endOfRecord = false;
    while (!endOfRecord) {
      field.clear();
      if (i < n && s[i] == '"') {
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = s[i];
          if (c == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        if (!closed) {
          rec.problem = "a quoted field opened on line " + std::to_string(rec.line) + " is never closed";
          rec.fields.push_back(field);
          out.push_back(std::move(rec));
          return out;
        }
        // Lenient: text after the closing quote up to the delimiter belongs to the field.
        while (i < n && s[i] != delim && s[i] != '\n' && !(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
          field.push_back(s[i++]);
      } else {
        while (i < n && s[i] != delim && s[i] != '\n' && !(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
          field.push_back(s[i++]);
      }
      rec.fields.push_back(field);
      if (i >= n) {
        endOfRecord = true;
      } else if (s[i] == delim) {
        ++i;
      } else {
        i += s[i] == '\r' ? 2 : 1;
        ++line;
        endOfRecord = true;
      }
    }
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace lb::labeling::text
