#pragma once
// Fonts. The atlas holds ImGui's built-in font for Latin text (English UI) or a CJK font found
// through fontconfig (zh-CN UI, common simplified-Chinese glyph set: keeps the atlas small for
// software GL), plus every other character the shown texts contain:
//   - characters the main font has (rare CJK in the zh-CN font) join its glyph ranges;
//   - characters it lacks (emoji, CJK Extension B, other scripts) are drawn by FreeType from the
//     font fontconfig ranks first among those that have them (colour emoji included, e.g.
//     fonts-noto-color-emoji; Extension B from e.g. fonts-hanazono) into rectangles of the atlas.
// ImGui 1.86 as Debian builds it keys glyphs by 16-bit characters, so a character past U+FFFF is
// drawn under a Private Use stand-in (labeling/text/glyph_set.h): draw toDisplayText(s), not s.
//
// Threads: UI thread only. buildFonts and rebuildFontsIfOutdated must run between frames (after
// ImGui::Render, before the next NewFrame: e.g. from AppContext::defer), never inside one.
#include <cstdint>
#include <string>
#include <string_view>

namespace lb::app {

std::string findCjkFont();  // path of a font covering zh-cn, or "" (fontconfig)
// Rebuilds ImGui's font atlas for `lang` (remembered for later rebuilds), with every character
// noted so far. Returns false when zh-CN has no CJK font; `message` gets the reason.
bool buildFonts(const std::string& lang, float size_px, std::string& message);

// Notes the characters of a text about to be shown. Returns true when some are not in the atlas
// yet; then call rebuildFontsIfOutdated() between frames.
bool noteShownText(std::u32string_view text);
bool noteShownTextUtf8(std::string_view utf8);
bool fontsOutdated();
void rebuildFontsIfOutdated();
// Changes on each rebuild: cached text layouts measure again (advances may have changed).
std::uint64_t fontAtlasGeneration();

// `utf8` as ImGui must be given it: characters past U+FFFF replaced by their stand-ins (same
// number of code points). Returns the text unchanged when it has none.
std::string toDisplayText(std::string_view utf8);
// Text edited in an ImGui field given toDisplayText: the stand-ins back to the real characters.
std::string fromDisplayText(std::string_view display);
// The 16-bit character drawn for `cp` (itself up to U+FFFF).
unsigned displayCharOf(char32_t cp);

// For tests and the status line: characters drawn from fallback fonts, and those no installed
// font has (they show as the replacement glyph).
struct FontCoverage {
  std::size_t fallbackGlyphs = 0;
  std::size_t missing = 0;
  double lastBuildMs = 0;  // the last atlas build, upload included
};
FontCoverage fontCoverage();

}  // namespace lb::app
