// Offsets: code points (stored) vs UTF-8 bytes vs UTF-16 code units (doccano) vs graphemes.
#include <gtest/gtest.h>

#include "labeling/import/encoding.h"
#include "labeling/text/offsets.h"

using namespace lb::labeling;
using namespace lb::labeling::text;

namespace {
const std::string kEmoji = "\xF0\x9F\x98\x80";         // 😀 U+1F600: 1 code point, 2 UTF-16 units, 4 bytes
const std::string kCombining = "e\xCC\x81";             // e + U+0301 COMBINING ACUTE
const std::string kPrecomposed = "\xC3\xA9";            // é U+00E9
}  // namespace

TEST(Offsets, EmojiOutsideTheBmpCountsOneCodePointTwoUtf16UnitsFourBytes) {
  const std::string s = "a" + kEmoji + "b";
  EXPECT_EQ(codePointCount(s), 3);
  EXPECT_EQ(utf16Length(s), 4);
  EXPECT_EQ(s.size(), 6u);
  EXPECT_EQ(byteOfCodePoint(s, 2), 5u);  // the "b"
  EXPECT_EQ(utf16OfCodePoint(s, 2), 3);
  EXPECT_EQ(codePointOfUtf16(s, 3), 2);
  EXPECT_EQ(codePointOfUtf16(s, 1), 1);  // the emoji itself
  // Unit 2 is the low surrogate of the emoji: no code-point offset corresponds.
  EXPECT_FALSE(codePointOfUtf16(s, 2).has_value());
  EXPECT_EQ(codePointOfByte(s, 3), 1);  // inside the emoji's bytes
}

TEST(Offsets, ChineseIsThreeBytesOneUnitOneCodePoint) {
  const std::string s = "北京2024年";  // 北 京 2 0 2 4 年
  EXPECT_EQ(codePointCount(s), 7);
  EXPECT_EQ(utf16Length(s), 7);
  EXPECT_EQ(s.size(), 3u + 3 + 4 + 3);
  EXPECT_EQ(byteOfCodePoint(s, 2), 6u);
  EXPECT_EQ(byteOfCodePoint(s, 6), 10u);
  EXPECT_EQ(s.substr(byteOfCodePoint(s, 6)), "年");
}

TEST(Offsets, DoccanoUtf16SpanConvertsToCodePointsAndBack) {
  // doccano stores [start, end) in UTF-16 units; 😀 before the entity shifts it by one unit.
  const std::string text = "我爱" + kEmoji + "北京天安门";
  // "北京" in UTF-16 units: 我 爱 😀(2) -> starts at 4, ends at 6.
  const auto start = codePointOfUtf16(text, 4), end = codePointOfUtf16(text, 6);
  ASSERT_TRUE(start && end);
  EXPECT_EQ(*start, 3);
  EXPECT_EQ(*end, 5);
  const auto cps = toU32(text);
  EXPECT_EQ(toUtf8(cps.substr(*start, *end - *start)), "北京");
  EXPECT_EQ(utf16OfCodePoint(text, *start), 4);
  EXPECT_EQ(utf16OfCodePoint(text, *end), 6);
}

TEST(Offsets, CombiningMarksAreTwoCodePointsUntilNfcMakesThemOne) {
  const std::string decomposed = "caf" + kCombining;
  EXPECT_EQ(codePointCount(decomposed), 5);
  EXPECT_EQ(graphemeCount(decomposed), 4);  // what a reader sees
  const std::string nfc = toNfc(decomposed);
  EXPECT_EQ(nfc, "caf" + kPrecomposed);
  EXPECT_EQ(codePointCount(nfc), 4);
  // Cursor movement never splits the e from its accent.
  const auto cps = toU32(decomposed);
  EXPECT_EQ(nextGrapheme(cps, 3), 5);
  EXPECT_EQ(prevGrapheme(cps, 5), 3);
  EXPECT_EQ(nextGrapheme(cps, 2), 3);
  // An emoji with a skin-tone modifier is one grapheme of two code points.
  const auto thumbs = toU32("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD!");
  EXPECT_EQ(nextGrapheme(thumbs, 0), 2);
}

TEST(Offsets, CrLfCountsTwoCodePointsAndNormalisesToLf) {
  const std::string s = "ab\r\ncd";
  EXPECT_EQ(codePointCount(s), 6);
  EXPECT_EQ(utf16Length(s), 6);
  const std::string lf = normalizeNewlines(s);
  EXPECT_EQ(lf, "ab\ncd");
  EXPECT_EQ(codePointCount(lf), 5);
  EXPECT_EQ(lf.substr(byteOfCodePoint(lf, 3)), "cd");
  // A lone CR (not part of CRLF) is kept.
  EXPECT_EQ(normalizeNewlines("a\rb"), "a\rb");
}

TEST(Offsets, IndexAgreesWithLinearConversionsOnMixedText) {
  std::string s;
  for (int i = 0; i < 500; ++i) s += (i % 3 == 0 ? kEmoji : i % 3 == 1 ? "中" : "x") + (i % 7 == 0 ? kCombining : "");
  OffsetIndex idx(s);
  EXPECT_EQ(idx.codePoints(), codePointCount(s));
  EXPECT_EQ(idx.utf16Units(), utf16Length(s));
  for (std::int64_t cp = 0; cp <= idx.codePoints(); cp += 7) {
    EXPECT_EQ(idx.byteOf(cp), byteOfCodePoint(s, cp)) << cp;
    EXPECT_EQ(idx.utf16Of(cp), utf16OfCodePoint(s, cp)) << cp;
    EXPECT_EQ(idx.codePointOfUtf16(idx.utf16Of(cp)), cp) << cp;
    EXPECT_EQ(idx.codePointOfByte(idx.byteOf(cp)), cp) << cp;
  }
  for (std::int64_t u = 0; u <= idx.utf16Units(); u += 5) EXPECT_EQ(idx.codePointOfUtf16(u), codePointOfUtf16(s, u)) << u;
}

TEST(Offsets, RoundTripUtf8ThroughCodePoints) {
  const std::string s = "Hello 世界 " + kEmoji + " " + kPrecomposed + "\n";
  EXPECT_EQ(toUtf8(toU32(s)), s);
  EXPECT_TRUE(isValidUtf8(s));
  std::size_t bad = 0;
  EXPECT_FALSE(isValidUtf8("ab\xC3(", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));  // an encoded surrogate
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));      // overlong "/"
}

#include "labeling/text/text_layout.h"

TEST(TextLayout, WrapsLatinAtSpacesChineseAnywhereAndKeepsCodePointStarts) {
  TextLayout layout;
  auto ten = [](char32_t) { return 10.f; };
  layout.build(toU32("hello world foo"), 65, ten);  // 6 characters per line
  ASSERT_EQ(layout.lineCount(), 3u);
  EXPECT_EQ(layout.lines()[0].start, 0);
  EXPECT_EQ(layout.lines()[1].start, 6);   // "world "
  EXPECT_EQ(layout.lines()[2].start, 12);  // "foo"
  layout.build(toU32("北京欢迎你们大家\n第二段"), 35, ten);  // 3 CJK per line, hard break kept
  ASSERT_EQ(layout.lineCount(), 4u);
  EXPECT_EQ(layout.lines()[1].start, 3);
  EXPECT_EQ(layout.lines()[2].start, 6);
  EXPECT_EQ(layout.lines()[2].end, 8);     // stops before the '\n'
  EXPECT_EQ(layout.lines()[3].start, 9);
  EXPECT_EQ(layout.lineOf(7), 2u);
  EXPECT_EQ(layout.lineOf(9), 3u);
  // A word longer than the line is cut where it overflows.
  layout.build(toU32("abcdefghij"), 45, ten);
  ASSERT_EQ(layout.lineCount(), 3u);
  EXPECT_EQ(layout.lines()[1].start, 4);
}
