#include "qc/clean/text_quality.h"

#include <opencc/opencc.h>
#include <unicode/ucnv.h>
#include <unicode/uscript.h>

#include <unordered_map>

#include "qc/clean/text_normalize.h"

namespace lb::qc::clean {

namespace {

bool isHan(char32_t c) {
  UErrorCode err = U_ZERO_ERROR;
  return uscript_getScript(static_cast<UChar32>(c), &err) == USCRIPT_HAN;
}

// Encodes code points with an ICU converter; empty when a character has no mapping.
std::string encode(const char* charset, std::u32string_view cps) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset, &err);
  if (U_FAILURE(err)) return {};
  ucnv_setFromUCallBack(conv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  std::u16string u16;
  for (char32_t c : cps) {
    if (c < 0x10000) u16.push_back(static_cast<char16_t>(c));
    else {
      u16.push_back(static_cast<char16_t>(0xD7C0 + (c >> 10)));
      u16.push_back(static_cast<char16_t>(0xDC00 | (c & 0x3FF)));
    }
  }
  std::string out(u16.size() * 4 + 8, '\0');
  const int32_t len = ucnv_fromUChars(conv, out.data(), static_cast<int32_t>(out.size()),
                                      reinterpret_cast<const UChar*>(u16.data()), static_cast<int32_t>(u16.size()), &err);
  ucnv_close(conv);
  if (U_FAILURE(err)) return {};
  out.resize(len);
  return out;
}

// Bytes covered by valid multi-byte UTF-8 sequences.
std::size_t utf8MultiByteCoverage(const std::string& bytes) {
  std::size_t covered = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i < bytes.size();) {
    const unsigned char c = p[i];
    const int len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    bool ok = len > 1 && i + len <= bytes.size();
    for (int k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
    if (ok) {
      covered += len;
      i += len;
    } else {
      ++i;
    }
  }
  return covered;
}

// Bytes covered by GBK double-byte characters whose decode is Han.
std::size_t gbkHanCoverage(const std::string& bytes) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open("GBK", &err);
  if (U_FAILURE(err)) return 0;
  std::size_t covered = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i + 1 < bytes.size();) {
    if (p[i] >= 0x81 && p[i] <= 0xFE && p[i + 1] >= 0x40 && p[i + 1] <= 0xFE) {
      UChar u[2];
      err = U_ZERO_ERROR;
      const int32_t n = ucnv_toUChars(conv, u, 2, bytes.data() + i, 2, &err);
      if (U_SUCCESS(err) && n == 1 && isHan(u[0])) {
        covered += 2;
        i += 2;
        continue;
      }
    }
    ++i;
  }
  ucnv_close(conv);
  return covered;
}

}  // namespace

int mojibakeScore(std::string_view utf8) {
  const auto cps = toCodePoints(utf8);
  int score = 0;
  for (char32_t c : cps) score += c == 0xFFFD;
  // Well-known fossils: UTF-8 of U+FFFD read as GBK, and MSVC's uninitialised-memory fills.
  for (std::u32string_view fossil : {std::u32string_view(U"锟斤拷"), std::u32string_view(U"烫烫烫"), std::u32string_view(U"屯屯屯")})
    for (auto pos = std::u32string_view(cps).find(fossil); pos != std::u32string_view::npos;
         pos = std::u32string_view(cps).find(fossil, pos + fossil.size()))
      score += static_cast<int>(fossil.size());
  // Runs of non-ASCII characters, re-encoded the way the wrong decoder would have read them.
  for (std::size_t i = 0; i < cps.size();) {
    if (cps[i] < 0x80 || cps[i] == 0xFFFD) {
      ++i;
      continue;
    }
    std::size_t e = i;
    while (e < cps.size() && cps[e] >= 0x80 && cps[e] != 0xFFFD) ++e;
    const auto run = std::u32string_view(cps).substr(i, e - i);
    const bool latin = run[0] < 0x2000;  // Latin-1 / cp1252 letters, not CJK
    if (latin) {
      const std::string bytes = encode("windows-1252", run);
      // UTF-8 read as Latin-1: the bytes form UTF-8 sequences again.
      if (bytes.size() >= 2 && utf8MultiByteCoverage(bytes) * 10 >= bytes.size() * 8) score += static_cast<int>(run.size());
      // GBK read as Latin-1: the bytes form GBK Chinese.
      else if (bytes.size() >= 4 && gbkHanCoverage(bytes) * 10 >= bytes.size() * 9) score += static_cast<int>(run.size());
    } else if (run.size() >= 2) {
      const std::string bytes = encode("GBK", run);
      // UTF-8 read as GBK: three UTF-8 bytes became one and a half GBK characters.
      if (bytes.size() >= 6 && utf8MultiByteCoverage(bytes) * 10 >= bytes.size() * 8) score += static_cast<int>(run.size());
    }
    i = e;
  }
  return score;
}

int repeatedParagraphs(std::string_view utf8) {
  std::unordered_map<std::u32string, int> seen;
  int extra = 0;
  std::size_t start = 0;
  while (start <= utf8.size()) {
    auto end = utf8.find('\n', start);
    if (end == std::string_view::npos) end = utf8.size();
    const auto form = duplicateForm(utf8.substr(start, end - start));
    if (form.size() >= 10 && seen[form]++ > 0) ++extra;
    start = end + 1;
  }
  return extra;
}

Result<std::unique_ptr<ChineseConverter>> ChineseConverter::open(ChineseScript to) {
  const char* config = to == ChineseScript::Simplified ? "t2s.json" : "s2t.json";
  opencc_t h = opencc_open(config);
  if (h == reinterpret_cast<opencc_t>(-1))
    return makeError(ErrorCode::NotFound, std::string("OpenCC configuration ") + config +
                                              " not found; install the Debian package libopencc1.1 / opencc-data");
  return std::unique_ptr<ChineseConverter>(new ChineseConverter(h));
}

ChineseConverter::~ChineseConverter() { opencc_close(static_cast<opencc_t>(m_handle)); }

std::string ChineseConverter::convert(std::string_view utf8) const {
  char* out = opencc_convert_utf8(static_cast<opencc_t>(m_handle), utf8.data(), utf8.size());
  if (!out) return std::string(utf8);
  std::string s(out);
  opencc_convert_utf8_free(out);
  return s;
}

double traditionalFraction(const ChineseConverter& t2s, std::string_view utf8) {
  const auto before = toCodePoints(utf8);
  std::size_t han = 0;
  for (char32_t c : before) han += isHan(c);
  if (han == 0) return 0;
  const auto after = toCodePoints(t2s.convert(utf8));
  std::size_t changed = 0;
  const std::size_t n = std::min(before.size(), after.size());
  for (std::size_t i = 0; i < n; ++i) changed += before[i] != after[i] && isHan(before[i]);
  if (after.size() != before.size()) changed += before.size() > after.size() ? before.size() - after.size() : after.size() - before.size();
  return std::min(1.0, static_cast<double>(changed) / static_cast<double>(han));
}

}  // namespace lb::qc::clean
