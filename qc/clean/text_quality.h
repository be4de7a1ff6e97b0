#pragma once
// [SECTION] Per-text quality measures: mojibake, repeated paragraphs, traditional vs simplified
// Chinese (OpenCC). Pure functions except ChineseConverter, which owns an OpenCC handle (one
// per thread: OpenCC converters are not documented as thread-safe).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "labeling/result.h"

namespace lb::qc::clean {

// Number of garbled code points: U+FFFD replacement characters, the classic "锟斤拷"/"烫烫烫"
// patterns, and runs that turn back into valid multi-byte UTF-8 when encoded as GBK (UTF-8 read
// as GBK: "鍙戠敓") or windows-1252 (UTF-8 read as Latin-1: "Ã©"), or into GBK Chinese when
// encoded as windows-1252 (GBK read as Latin-1: "ÖÐÎÄ").
int mojibakeScore(std::string_view utf8);

// Extra copies of paragraphs (lines or blank-line separated blocks of >= 10 code points after
// normalisation) inside one text.
int repeatedParagraphs(std::string_view utf8);

enum class ChineseScript { Simplified, Traditional };

class ChineseConverter {
 public:
  // to = Simplified uses OpenCC's t2s.json, Traditional uses s2t.json.
  static Result<std::unique_ptr<ChineseConverter>> open(ChineseScript to);
  ~ChineseConverter();
  ChineseConverter(const ChineseConverter&) = delete;
  ChineseConverter& operator=(const ChineseConverter&) = delete;
  std::string convert(std::string_view utf8) const;

 private:
  explicit ChineseConverter(void* handle) : m_handle(handle) {}
  void* m_handle;
};

// Fraction of Han characters that t2s changes (0 for a simplified or non-Chinese text).
double traditionalFraction(const ChineseConverter& t2s, std::string_view utf8);

}  // namespace lb::qc::clean
