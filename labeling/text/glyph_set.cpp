#include "labeling/text/glyph_set.h"

#include "labeling/text/offsets.h"

namespace lb::labeling::text {

namespace {
constexpr char16_t kPuaFirst = 0xE000;
constexpr char16_t kPuaLast = 0xF8FF;
constexpr char16_t kReplacement = 0xFFFD;

bool drawable(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;  // controls: never drawn
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;            // lone surrogates
  return cp <= 0x10FFFF;
}
bool inPua(char32_t cp) { return cp >= kPuaFirst && cp <= kPuaLast; }
}  // namespace

char16_t GlyphSet::nextFreeSlot() {
  // Downward from U+F8FF: fonts that use the Private Use Area at all mostly start at U+E000.
  while (m_nextSlot >= kPuaFirst) {
    const char16_t s = m_nextSlot--;
    if (!m_cps.count(s) && !m_slotUser.count(s)) return s;
  }
  return kReplacement;
}

std::size_t GlyphSet::add(std::u32string_view text) {
  std::size_t added = 0;
  bool moved = false;
  for (const char32_t cp : text) {
    if (!drawable(cp) || !m_cps.insert(cp).second) continue;
    ++added;
    if (inPua(cp)) {
      // A text uses this Private Use character itself: whatever stood in there moves away.
      const auto it = m_slotUser.find(static_cast<char16_t>(cp));
      if (it != m_slotUser.end()) {
        const char32_t displaced = it->second;
        m_slotUser.erase(it);
        const char16_t slot = nextFreeSlot();
        m_slotOf[displaced] = slot;
        if (slot != kReplacement) m_slotUser[slot] = displaced;
        moved = true;
      }
    } else if (cp > 0xFFFF) {
      const char16_t slot = nextFreeSlot();
      m_slotOf[cp] = slot;
      if (slot != kReplacement) m_slotUser[slot] = cp;
    }
  }
  if (added > 0 || moved) ++m_generation;
  return added;
}

std::size_t GlyphSet::addUtf8(std::string_view utf8) { return add(toU32(utf8)); }

char16_t GlyphSet::displayOf(char32_t cp) const {
  if (cp <= 0xFFFF) return static_cast<char16_t>(cp);
  const auto it = m_slotOf.find(cp);
  return it == m_slotOf.end() ? kReplacement : it->second;
}

bool GlyphSet::needsDisplayMapping(std::string_view utf8) {
  for (const char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xF8) == 0xF0) return true;  // lead byte of a 4-byte sequence
  return false;
}

std::string GlyphSet::toDisplay(std::string_view utf8) const {
  if (!needsDisplayMapping(utf8)) return std::string(utf8);
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    if ((lead & 0xF8) != 0xF0 || i + 4 > utf8.size()) {
      // Not a 4-byte sequence: copy this byte as it is (valid UTF-8 keeps its other sequences).
      out += utf8[i++];
      continue;
    }
    const char32_t cp = (static_cast<char32_t>(lead & 0x07) << 18) |
                        (static_cast<char32_t>(static_cast<unsigned char>(utf8[i + 1]) & 0x3F) << 12) |
                        (static_cast<char32_t>(static_cast<unsigned char>(utf8[i + 2]) & 0x3F) << 6) |
                        static_cast<char32_t>(static_cast<unsigned char>(utf8[i + 3]) & 0x3F);
    appendUtf8(out, displayOf(cp));
    i += 4;
  }
  return out;
}

std::string GlyphSet::fromDisplay(std::string_view display) const {
  if (m_slotUser.empty()) return std::string(display);
  std::string out;
  out.reserve(display.size() + display.size() / 8);
  for (const char32_t c : toU32(display)) {
    const auto it = inPua(c) ? m_slotUser.find(static_cast<char16_t>(c)) : m_slotUser.end();
    appendUtf8(out, it == m_slotUser.end() ? c : it->second);
  }
  return out;
}

}  // namespace lb::labeling::text
