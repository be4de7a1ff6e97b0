#pragma once
// Fonts: ImGui's built-in font for Latin text; for zh-CN a CJK font found through fontconfig,
// loaded with the common simplified-Chinese glyph ranges only (keeps the atlas small for
// software GL). Returns false when no CJK font is installed; the caller falls back to English
// and says which package to install.
#include <string>

namespace lb::app {

std::string findCjkFont();  // path of a font covering zh-cn, or "" (fontconfig)
// Rebuilds ImGui's font atlas for `lang`; call between frames. `message` gets the reason on failure.
bool buildFonts(const std::string& lang, float size_px, std::string& message);

}  // namespace lb::app
