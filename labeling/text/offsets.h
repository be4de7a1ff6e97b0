#pragma once
// [SECTION] Text offsets. LabelBench stores span offsets as Unicode code points into the item's
// UTF-8 (NFC) text, [start, end). Other places count differently: UTF-8 bytes (our storage),
// UTF-16 code units (doccano, JavaScript tools, ImGui's Windows peers), and user-perceived
// characters (grapheme clusters: "e" + U+0301, flags, emoji with modifiers). These helpers
// convert between them. Example: "a😀b" is 3 code points, 4 UTF-16 units, 6 bytes; the "b" is
// at code point 2, UTF-16 unit 3, byte 5.
//
// All inputs are valid UTF-8 (import guarantees it). Offsets past the end clamp to the end.
// Threads: pure functions, any thread; OffsetIndex is immutable after construction.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lb::labeling::text {

std::u32string toU32(std::string_view utf8);
std::string toUtf8(std::u32string_view cps);
void appendUtf8(std::string& out, char32_t cp);

std::int64_t codePointCount(std::string_view utf8);
std::int64_t utf16Length(std::string_view utf8);

// code point -> byte, byte -> code point (a byte inside a sequence maps to that code point).
std::size_t byteOfCodePoint(std::string_view utf8, std::int64_t cp);
std::int64_t codePointOfByte(std::string_view utf8, std::size_t byte);

// code point <-> UTF-16 code unit.
std::int64_t utf16OfCodePoint(std::string_view utf8, std::int64_t cp);
// nullopt when `unit` falls between the two halves of a surrogate pair (an offset no
// code-point tool can express: the peer's file is wrong there).
std::optional<std::int64_t> codePointOfUtf16(std::string_view utf8, std::int64_t unit);

// Same conversions in O(log n) for long documents and many spans (exports, the text view).
class OffsetIndex {
 public:
  explicit OffsetIndex(std::string_view utf8);
  std::int64_t codePoints() const { return m_codePoints; }
  std::int64_t utf16Units() const { return m_utf16Units; }
  std::size_t byteOf(std::int64_t cp) const;
  std::int64_t utf16Of(std::int64_t cp) const;
  std::optional<std::int64_t> codePointOfUtf16(std::int64_t unit) const;
  std::int64_t codePointOfByte(std::size_t byte) const;

 private:
  static constexpr int kStride = 64;  // one checkpoint per 64 code points
  std::string_view m_text;
  std::int64_t m_codePoints = 0;
  std::int64_t m_utf16Units = 0;
  std::vector<std::uint32_t> m_byteAt;   // byte offset of code point k * kStride
  std::vector<std::uint32_t> m_unitAt;   // UTF-16 offset of code point k * kStride
};

// Grapheme clusters (ICU character break iterator) in code points: the boundary after / before
// `cp`. Cursor movement and selection use these so an accent never separates from its letter.
std::int64_t nextGrapheme(std::u32string_view text, std::int64_t cp);
std::int64_t prevGrapheme(std::u32string_view text, std::int64_t cp);
std::int64_t graphemeCount(std::string_view utf8);

// "\r\n" -> "\n" (stored texts use LF only).
std::string normalizeNewlines(std::string_view s);

}  // namespace lb::labeling::text
