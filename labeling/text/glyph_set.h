#pragma once
// GlyphSet: the code points the shown texts need drawn, so the desktop program can grow its font
// atlas with exactly those (a 1 MB document holds a few thousand distinct characters; all of
// Unicode would never fit a software-GL texture).
//
// The renderer it serves (ImGui 1.86 as Debian builds it) keys glyphs by 16-bit characters, so a
// code point past U+FFFF (most emoji, CJK Extension B and later) cannot be named directly. Each
// such code point gets a stand-in from the Private Use Area (U+E000..U+F8FF), handed out from the
// top down and never one that a shown text itself contains; toDisplay() rewrites a text with its
// stand-ins. Every code point stays exactly one character, so code-point offsets and line
// layout computed on the original text hold for the display text too.
//
// No UI dependency. Not thread-safe: one owner (the UI thread).
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace lb::labeling::text {

class GlyphSet {
 public:
  // Records the drawable code points of `text` (C0/C1 controls, and surrogates, are skipped).
  // Returns how many were not in the set before; generation() moves on when that is > 0 or a
  // stand-in had to move.
  std::size_t add(std::u32string_view text);
  std::size_t addUtf8(std::string_view utf8);

  // Every code point recorded, in order.
  const std::set<char32_t>& codePoints() const { return m_cps; }
  bool contains(char32_t cp) const { return m_cps.count(cp) != 0; }

  // The 16-bit character a renderer draws for `cp`: cp itself up to U+FFFF, its Private Use
  // stand-in past it, or U+FFFD when the cp was never added or the stand-ins ran out (6,400).
  char16_t displayOf(char32_t cp) const;
  // `utf8` with every code point past U+FFFF replaced by displayOf(); same code-point count.
  std::string toDisplay(std::string_view utf8) const;
  // The way back: stand-ins in `display` become the code points they stand for, everything else
  // (a document's own Private Use characters too) stays. For text edited in a 16-bit widget:
  // without it, a correction would turn every emoji into U+FFFD.
  std::string fromDisplay(std::string_view display) const;
  // Whether `text` has any code point past U+FFFF (toDisplay is then needed).
  static bool needsDisplayMapping(std::string_view utf8);

  // Changes each time the set or a stand-in changes; a renderer rebuilds when it differs.
  std::uint64_t generation() const { return m_generation; }

 private:
  char16_t nextFreeSlot();

  std::set<char32_t> m_cps;
  std::map<char32_t, char16_t> m_slotOf;   // code point past U+FFFF -> stand-in
  std::map<char16_t, char32_t> m_slotUser; // stand-in -> code point it stands for
  char16_t m_nextSlot = 0xF8FF;
  std::uint64_t m_generation = 0;
};

}  // namespace lb::labeling::text
