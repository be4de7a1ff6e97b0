// The code points a shown text needs drawn, and the 16-bit stand-ins for those past U+FFFF that
// the desktop program's font atlas keys its glyphs by.
#include <gtest/gtest.h>

#include "labeling/text/glyph_set.h"
#include "labeling/text/offsets.h"

using namespace lb::labeling::text;

TEST(GlyphSet, CollectsEachDrawableCodePointOnceAndSkipsControls) {
  GlyphSet g;
  // 𠮷 (U+20BB7, CJK Extension B), 😀 (U+1F600), e + combining acute, CRLF and a tab.
  EXPECT_EQ(g.addUtf8("北京北京 \xF0\xA0\xAE\xB7😀e\xCC\x81\r\n\t"), 7u);  // 北 京 space 𠮷 😀 e U+0301
  EXPECT_TRUE(g.contains(U'北'));
  EXPECT_TRUE(g.contains(0x20BB7));
  EXPECT_TRUE(g.contains(0x1F600));
  EXPECT_TRUE(g.contains(0x0301));
  EXPECT_FALSE(g.contains(U'\r'));
  EXPECT_FALSE(g.contains(U'\t'));
  const auto gen = g.generation();
  EXPECT_EQ(g.addUtf8("京北😀"), 0u);  // nothing new: the atlas need not be rebuilt
  EXPECT_EQ(g.generation(), gen);
  EXPECT_EQ(g.addUtf8("😀🎉"), 1u);
  EXPECT_NE(g.generation(), gen);
}

TEST(GlyphSet, CodePointsPastTheBmpGetDistinctPrivateUseStandIns) {
  GlyphSet g;
  g.addUtf8("a😀𠮷");
  EXPECT_EQ(g.displayOf(U'a'), u'a');
  EXPECT_EQ(g.displayOf(U'北'), u'北');  // BMP: itself, added or not
  const char16_t emoji = g.displayOf(0x1F600), han = g.displayOf(0x20BB7);
  EXPECT_GE(emoji, 0xE000);
  EXPECT_LE(emoji, 0xF8FF);
  EXPECT_GE(han, 0xE000);
  EXPECT_LE(han, 0xF8FF);
  EXPECT_NE(emoji, han);
  EXPECT_EQ(g.displayOf(0x1F389), 0xFFFD);  // never added: the replacement character
  g.addUtf8("🎉");
  EXPECT_EQ(g.displayOf(0x1F600), emoji);  // stand-ins stay put as the set grows
}

TEST(GlyphSet, DisplayTextKeepsOneCharacterPerCodePoint) {
  GlyphSet g;
  const std::string text = "张三😀在\xF0\xA0\xAE\xB7北京👍🏽。\r\nok";
  g.addUtf8(text);
  const std::string shown = g.toDisplay(text);
  EXPECT_FALSE(GlyphSet::needsDisplayMapping(shown));
  EXPECT_TRUE(GlyphSet::needsDisplayMapping(text));
  const auto a = toU32(text), b = toU32(shown);
  ASSERT_EQ(a.size(), b.size());  // spans and line breaks computed on the text fit the display
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] <= 0xFFFF) EXPECT_EQ(b[k], a[k]) << k;
    else EXPECT_EQ(b[k], g.displayOf(a[k])) << k;
  }
  EXPECT_EQ(g.toDisplay("plain 中文"), "plain 中文");
}

TEST(GlyphSet, AStandInMovesWhenATextUsesThatPrivateUseCharacter) {
  GlyphSet g;
  g.addUtf8("😀");
  const char16_t first = g.displayOf(0x1F600);
  std::string pua;
  appendUtf8(pua, first);
  const auto gen = g.generation();
  g.addUtf8("x" + pua);  // a document really contains that private-use character
  EXPECT_NE(g.generation(), gen);
  EXPECT_NE(g.displayOf(0x1F600), first);
  EXPECT_GE(g.displayOf(0x1F600), 0xE000);
  EXPECT_EQ(g.displayOf(first), first);  // the document's own character draws as itself
  // And a new stand-in never lands on a private-use character a text holds.
  g.addUtf8("🎉");
  EXPECT_NE(g.displayOf(0x1F389), first);
}

TEST(GlyphSet, EditedDisplayTextMapsBackToTheRealCharacters) {
  GlyphSet g;
  std::string ownPua;
  appendUtf8(ownPua, 0xE001);  // a document's own private-use character stays what it is
  const std::string text = "😀北京𠮷" + ownPua + "🎉";
  g.addUtf8(text);
  EXPECT_EQ(g.fromDisplay(g.toDisplay(text)), text);
  // An edit in the 16-bit widget: a character typed in the middle, one stand-in deleted.
  const auto shown = toU32(g.toDisplay(text));
  std::u32string edited = shown.substr(0, 2) + U"X" + shown.substr(2, 2) + shown.substr(5);
  EXPECT_EQ(g.fromDisplay(toUtf8(edited)), "😀北X京𠮷🎉");
  EXPECT_EQ(g.fromDisplay("plain"), "plain");
}
