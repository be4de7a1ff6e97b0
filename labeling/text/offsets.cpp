#include "labeling/text/offsets.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace lb::labeling::text {

namespace {

inline bool isContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

inline int seqLen(unsigned char b0) {
  if (b0 < 0x80) return 1;
  if (b0 >= 0xF0) return 4;
  if (b0 >= 0xE0) return 3;
  return 2;
}

inline char32_t decodeAt(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const int n = seqLen(b0);
  char32_t cp = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

}  // namespace

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::u32string toU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(decodeAt(s, i));
  return out;
}

std::string toUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps) appendUtf8(out, c);
  return out;
}

std::int64_t codePointCount(std::string_view s) {
  std::int64_t n = 0;
  for (char c : s)
    if (!isContinuation(static_cast<unsigned char>(c))) ++n;
  return n;
}

std::int64_t utf16Length(std::string_view s) {
  std::int64_t n = 0;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (!isContinuation(b)) n += b >= 0xF0 ? 2 : 1;
  }
  return n;
}

std::size_t byteOfCodePoint(std::string_view s, std::int64_t cp) {
  if (cp <= 0) return 0;
  std::int64_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (isContinuation(static_cast<unsigned char>(s[i]))) continue;
    if (seen == cp) return i;
    ++seen;
  }
  return s.size();
}

std::int64_t codePointOfByte(std::string_view s, std::size_t byte) {
  byte = std::min(byte, s.size());
  std::int64_t n = 0;
  for (std::size_t i = 0; i < byte; ++i)
    if (!isContinuation(static_cast<unsigned char>(s[i]))) ++n;
  // A byte inside a sequence belongs to the code point that sequence starts.
  if (byte < s.size() && isContinuation(static_cast<unsigned char>(s[byte]))) --n;
  return n;
}

std::int64_t utf16OfCodePoint(std::string_view s, std::int64_t cp) {
  std::int64_t seen = 0, units = 0;
  for (std::size_t i = 0; i < s.size() && seen < cp; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (isContinuation(b)) continue;
    units += b >= 0xF0 ? 2 : 1;
    ++seen;
  }
  return units;
}

std::optional<std::int64_t> codePointOfUtf16(std::string_view s, std::int64_t unit) {
  std::int64_t units = 0, cp = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (isContinuation(b)) continue;
    if (units == unit) return cp;
    units += b >= 0xF0 ? 2 : 1;
    if (units > unit) return std::nullopt;  // inside a surrogate pair
    ++cp;
  }
  return cp;  // at or past the end
}

// ---------------------------------------------------------------------------------------

OffsetIndex::OffsetIndex(std::string_view s) : m_text(s) {
  if (s.size() > 0xFFFFFFFFu) throw std::length_error("text longer than 4 GiB");
  std::int64_t cp = 0, units = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (isContinuation(b)) continue;
    if (cp % kStride == 0) {
      m_byteAt.push_back(static_cast<std::uint32_t>(i));
      m_unitAt.push_back(static_cast<std::uint32_t>(units));
    }
    units += b >= 0xF0 ? 2 : 1;
    ++cp;
  }
  m_codePoints = cp;
  m_utf16Units = units;
}

std::size_t OffsetIndex::byteOf(std::int64_t cp) const {
  if (cp <= 0) return 0;
  if (cp >= m_codePoints) return m_text.size();
  std::size_t i = m_byteAt[cp / kStride];
  for (std::int64_t k = cp - (cp / kStride) * kStride; k > 0; --k) i += seqLen(static_cast<unsigned char>(m_text[i]));
  return i;
}

std::int64_t OffsetIndex::utf16Of(std::int64_t cp) const {
  if (cp <= 0) return 0;
  if (cp >= m_codePoints) return m_utf16Units;
  const std::int64_t base = cp / kStride;
  std::size_t i = m_byteAt[base];
  std::int64_t units = m_unitAt[base];
  for (std::int64_t k = cp - base * kStride; k > 0; --k) {
    const int n = seqLen(static_cast<unsigned char>(m_text[i]));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return units;
}

std::optional<std::int64_t> OffsetIndex::codePointOfUtf16(std::int64_t unit) const {
  if (unit <= 0) return 0;
  if (unit >= m_utf16Units) return m_codePoints;
  // Last checkpoint at or before `unit`.
  auto it = std::upper_bound(m_unitAt.begin(), m_unitAt.end(), static_cast<std::uint32_t>(unit));
  const std::int64_t base = (it - m_unitAt.begin()) - 1;
  std::int64_t cp = base * kStride;
  std::int64_t units = m_unitAt[base];
  std::size_t i = m_byteAt[base];
  while (units < unit) {
    const int n = seqLen(static_cast<unsigned char>(m_text[i]));
    units += n == 4 ? 2 : 1;
    i += n;
    ++cp;
  }
  if (units > unit) return std::nullopt;
  return cp;
}

std::int64_t OffsetIndex::codePointOfByte(std::size_t byte) const {
  if (byte >= m_text.size()) return m_codePoints;
  auto it = std::upper_bound(m_byteAt.begin(), m_byteAt.end(), static_cast<std::uint32_t>(byte));
  const std::int64_t base = (it - m_byteAt.begin()) - 1;
  std::int64_t cp = base * kStride;
  std::size_t i = m_byteAt[base];
  while (true) {
    const std::size_t next = i + seqLen(static_cast<unsigned char>(m_text[i]));
    if (next > byte) return cp;
    i = next;
    ++cp;
  }
}

// ---------------------------------------------------------------------------------------

namespace {

// Runs ICU's character (grapheme) break iterator over a window of `text` around `cp` and
// returns the boundaries as code-point offsets into `text`. Grapheme clusters are short, so a
// window of 64 code points on each side is enough for any real text.
std::vector<std::int64_t> graphemeBoundaries(std::u32string_view text, std::int64_t from, std::int64_t to) {
  icu::UnicodeString u;
  std::vector<std::int64_t> cpOfUnit;  // UTF-16 unit -> code point (window-relative)
  for (std::int64_t k = from; k < to; ++k) {
    cpOfUnit.push_back(k);
    if (text[k] >= 0x10000) cpOfUnit.push_back(k);
    u.append(static_cast<UChar32>(text[k]));
  }
  cpOfUnit.push_back(to);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) throw std::runtime_error("ICU character break iterator unavailable");
  bi->setText(u);
  std::vector<std::int64_t> out;
  for (int32_t p = bi->first(); p != icu::BreakIterator::DONE; p = bi->next()) out.push_back(cpOfUnit[p]);
  return out;
}

}  // namespace

std::int64_t nextGrapheme(std::u32string_view text, std::int64_t cp) {
  const auto n = static_cast<std::int64_t>(text.size());
  if (cp >= n) return n;
  cp = std::max<std::int64_t>(cp, 0);
  const std::int64_t from = std::max<std::int64_t>(0, cp - 64), to = std::min(n, cp + 64);
  for (std::int64_t b : graphemeBoundaries(text, from, to))
    if (b > cp) return b;
  return to;
}

std::int64_t prevGrapheme(std::u32string_view text, std::int64_t cp) {
  const auto n = static_cast<std::int64_t>(text.size());
  if (cp <= 0) return 0;
  cp = std::min(cp, n);
  const std::int64_t from = std::max<std::int64_t>(0, cp - 64), to = std::min(n, cp + 64);
  std::int64_t best = from;
  for (std::int64_t b : graphemeBoundaries(text, from, to))
    if (b < cp) best = b;
  return best;
}

std::int64_t graphemeCount(std::string_view utf8) {
  const auto u32 = toU32(utf8);
  if (u32.empty()) return 0;
  return static_cast<std::int64_t>(graphemeBoundaries(u32, 0, static_cast<std::int64_t>(u32.size())).size()) - 1;
}

std::string normalizeNewlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace lb::labeling::text
