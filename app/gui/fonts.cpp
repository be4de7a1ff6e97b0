// [SECTION] Index
//   - fontconfig: the main CJK font; fallback fonts for characters it lacks
//   - FreeType: one fallback glyph as alpha or colour pixels, scaled to the line
//   - the atlas: main font + extended ranges + fallback glyphs in custom rectangles
#include "fonts.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "labeling/text/glyph_set.h"

namespace lb::app {

namespace {

// The atlas must stay uploadable by software GL in one texture; a document with more distinct
// characters than this draws the rest as the replacement glyph.
constexpr std::size_t kMaxFallbackGlyphs = 6000;

struct FontFile {
  std::string path;
  int index = 0;
};

struct FontState {
  std::string lang = "en";
  float sizePx = 15.f;
  labeling::text::GlyphSet glyphs;
  std::uint64_t builtGeneration = ~0ull;
  std::uint64_t atlasGeneration = 0;
  ImVector<ImWchar> ranges;  // ImGui keeps a pointer to the ranges: they live here
  FontCoverage coverage;
};


FontState& state() {
  static FontState s;
  return s;
}

// [SECTION] fontconfig

bool findCjkFace(FontFile& out) {
  if (!FcInit()) return false;
  FcPattern* pat = FcPatternBuild(nullptr, FC_LANG, FcTypeString, reinterpret_cast<const FcChar8*>("zh-cn"),
                                  nullptr);
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pat, &result);
  bool found = false;
  if (match) {
    // fontconfig always returns *some* font; accept it only if it really covers Chinese.
    FcLangSet* langs = nullptr;
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetLangSet(match, FC_LANG, 0, &langs) == FcResultMatch &&
        FcLangSetHasLang(langs, reinterpret_cast<const FcChar8*>("zh-cn")) != FcLangDifferentLang &&
        FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
      FcPatternGetInteger(match, FC_INDEX, 0, &index);  // the SC face inside a .ttc
      out = {reinterpret_cast<const char*>(file), index};
      found = true;
    }
    FcPatternDestroy(match);
  }
  FcPatternDestroy(pat);
  return found;
}

// Installed fonts in fontconfig's order of preference for Chinese sans-serif text with colour
// (so emoji come from a colour font when one is installed), each with its character set.
class FallbackFonts {
 public:
  FallbackFonts() {
    if (!FcInit()) return;
    FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>("sans-serif"));
    FcPatternAddString(pat, FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
    FcPatternAddBool(pat, FC_COLOR, FcTrue);
    FcConfigSubstitute(nullptr, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result = FcResultNoMatch;
    m_set = FcFontSort(nullptr, pat, FcFalse, nullptr, &result);
    FcPatternDestroy(pat);
  }
  ~FallbackFonts() {
    if (m_set) FcFontSetDestroy(m_set);
  }
  FallbackFonts(const FallbackFonts&) = delete;
  FallbackFonts& operator=(const FallbackFonts&) = delete;

  // The first font in preference order that has `cp`; false when none has.
  bool fontFor(char32_t cp, FontFile& out) const {
    if (!m_set) return false;
    for (int k = 0; k < m_set->nfont; ++k) {
      FcCharSet* cs = nullptr;
      FcChar8* file = nullptr;
      if (FcPatternGetCharSet(m_set->fonts[k], FC_CHARSET, 0, &cs) != FcResultMatch || !FcCharSetHasChar(cs, cp))
        continue;
      if (FcPatternGetString(m_set->fonts[k], FC_FILE, 0, &file) != FcResultMatch) continue;
      int index = 0;
      FcPatternGetInteger(m_set->fonts[k], FC_INDEX, 0, &index);
      out = {reinterpret_cast<const char*>(file), index};
      return true;
    }
    return false;
  }

 private:
  FcFontSet* m_set = nullptr;
};

// [SECTION] FreeType

struct GlyphBitmap {
  int width = 0, height = 0;
  float left = 0, top = 0, advance = 0;  // top: baseline to the bitmap's top row (outline glyphs)
  bool color = false;                    // RGBA, drawn untinted; else alpha only
  std::vector<unsigned char> pixels;     // RGBA (straight alpha) or alpha, row-major
};

class FreeType {
 public:
  FreeType() { m_ok = FT_Init_FreeType(&m_lib) == 0; }
  ~FreeType() {
    for (auto& [key, face] : m_faces)
      if (face) FT_Done_Face(face);
    if (m_ok) FT_Done_FreeType(m_lib);
  }
  FreeType(const FreeType&) = delete;
  FreeType& operator=(const FreeType&) = delete;

  FT_Face face(const FontFile& f) {
    if (!m_ok) return nullptr;
    const auto key = f.path + "#" + std::to_string(f.index);
    auto it = m_faces.find(key);
    if (it != m_faces.end()) return it->second;
    FT_Face face = nullptr;
    if (FT_New_Face(m_lib, f.path.c_str(), f.index, &face) != 0) face = nullptr;
    m_faces[key] = face;
    return face;
  }

  // `em_px`: em size for outline fonts; `line_px`: the height a bitmap-only (colour emoji) glyph
  // is scaled to.
  bool render(FT_Face face, char32_t cp, float em_px, float line_px, GlyphBitmap& out) {
    const FT_UInt index = FT_Get_Char_Index(face, cp);
    if (index == 0) return false;
    float scale = 1.f;
    if (FT_IS_SCALABLE(face)) {
      if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(std::lround(em_px))) != 0) return false;
    } else if (face->num_fixed_sizes > 0) {
      // Bitmap strikes only (CBDT colour emoji at 109 ppem): take the largest and scale down.
      int best = 0;
      for (int k = 1; k < face->num_fixed_sizes; ++k)
        if (face->available_sizes[k].height > face->available_sizes[best].height) best = k;
      if (FT_Select_Size(face, best) != 0) return false;
      scale = line_px / static_cast<float>(face->available_sizes[best].height);
    } else {
      return false;
    }
    if (FT_Load_Glyph(face, index, FT_LOAD_RENDER | FT_LOAD_COLOR | FT_LOAD_TARGET_LIGHT) != 0) return false;
    const FT_GlyphSlot g = face->glyph;
    const FT_Bitmap& bm = g->bitmap;
    const int w = static_cast<int>(bm.width), h = static_cast<int>(bm.rows);
    out.color = bm.pixel_mode == FT_PIXEL_MODE_BGRA;
    out.advance = static_cast<float>(g->advance.x) / 64.f * scale;
    if (w == 0 || h == 0) {  // a blank glyph (a space of some script): advance only
      out.width = out.height = 0;
      out.pixels.clear();
      return true;
    }
    // Source as RGBA (straight alpha) or alpha, then box-filtered down when scaled.
    const int channels = out.color ? 4 : 1;
    std::vector<float> src(static_cast<std::size_t>(w) * h * channels);
    for (int y = 0; y < h; ++y) {
      const unsigned char* row = bm.buffer + static_cast<std::ptrdiff_t>(y) * bm.pitch;
      for (int x = 0; x < w; ++x) {
        float* px = &src[(static_cast<std::size_t>(y) * w + x) * channels];
        if (bm.pixel_mode == FT_PIXEL_MODE_BGRA) {
          // Premultiplied BGRA: keep premultiplied while filtering, straighten at the end.
          px[0] = row[x * 4 + 2], px[1] = row[x * 4 + 1], px[2] = row[x * 4 + 0], px[3] = row[x * 4 + 3];
        } else if (bm.pixel_mode == FT_PIXEL_MODE_MONO) {
          px[0] = (row[x >> 3] & (0x80 >> (x & 7))) ? 255.f : 0.f;
        } else {
          px[0] = row[x];
        }
      }
    }
    const int dw = std::max(1, static_cast<int>(std::lround(w * scale)));
    const int dh = std::max(1, static_cast<int>(std::lround(h * scale)));
    out.width = dw;
    out.height = dh;
    out.left = static_cast<float>(g->bitmap_left) * scale;
    out.top = static_cast<float>(g->bitmap_top) * scale;
    out.pixels.assign(static_cast<std::size_t>(dw) * dh * 4, 0);
    for (int y = 0; y < dh; ++y)
      for (int x = 0; x < dw; ++x) {
        // Box filter over the source pixels that fall into this destination pixel.
        const int x0 = x * w / dw, x1 = std::max(x0 + 1, (x + 1) * w / dw);
        const int y0 = y * h / dh, y1 = std::max(y0 + 1, (y + 1) * h / dh);
        float acc[4] = {0, 0, 0, 0};
        for (int sy = y0; sy < y1; ++sy)
          for (int sx = x0; sx < x1; ++sx)
            for (int c = 0; c < channels; ++c) acc[c] += src[(static_cast<std::size_t>(sy) * w + sx) * channels + c];
        const float n = static_cast<float>((x1 - x0) * (y1 - y0));
        unsigned char* d = &out.pixels[(static_cast<std::size_t>(y) * dw + x) * 4];
        if (out.color) {
          const float a = acc[3] / n;
          for (int c = 0; c < 3; ++c)
            d[c] = static_cast<unsigned char>(a > 0 ? std::clamp(acc[c] / n * 255.f / a, 0.f, 255.f) : 0.f);
          d[3] = static_cast<unsigned char>(a);
        } else {
          d[0] = d[1] = d[2] = 255;  // tinted by the text colour like ImGui's own glyphs
          d[3] = static_cast<unsigned char>(acc[0] / n);
        }
      }
    return true;
  }

 private:
  FT_Library m_lib = nullptr;
  bool m_ok = false;
  std::map<std::string, FT_Face> m_faces;
};

FreeType& freeType() {
  static FreeType ft;
  return ft;
}

// [SECTION] The atlas

// Fallback glyphs already drawn at the current sizes (nullopt: no installed font has it), so a
// rebuild for a few new characters does not draw the thousands before them again.
struct RenderCache {
  float em = -1, line = -1;
  std::map<char32_t, std::optional<GlyphBitmap>> glyphs;
};
RenderCache& renderCache() {
  static RenderCache c;
  return c;
}

struct PendingGlyph {
  int rect = -1;
  ImWchar id = 0;
  GlyphBitmap bitmap;
};

// Default-ignorable characters (joiners, variation selectors, BOM): zero width, nothing drawn.
bool invisible(char32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         cp == 0xFEFF || cp == 0x034F || (cp >= 0x180B && cp <= 0x180E) || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

// Em size in pixels of a font that ImGui loads at `size_px`: stb_truetype scales so that
// ascender - descender fills size_px, so the em is smaller than size_px by the font's ratio.
float emOfImGuiSize(FT_Face face, float size_px) {
  const float extent = static_cast<float>(face->ascender - face->descender);
  return extent > 0 ? size_px * static_cast<float>(face->units_per_EM) / extent : size_px;
}

bool buildAtlas(const std::string& lang, float size_px, std::string& message) {
  const auto t0 = std::chrono::steady_clock::now();
  auto& st = state();
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  st.ranges.clear();
  st.coverage = {};
  ImFont* font = nullptr;
  FT_Face mainFace = nullptr;
  float fontSize = size_px;
  bool ok = true;
  if (lang == "zh-CN") {
    FontFile cjk;
    std::error_code ec;
    if (!findCjkFace(cjk) || !std::filesystem::exists(cjk.path, ec)) {
      message = "No Chinese font found. Install fonts-noto-cjk or fonts-wqy-microhei "
                "(sudo apt install fonts-noto-cjk); showing English.";
      ok = false;
    } else {
      // The common simplified-Chinese set, plus the rarer characters the shown texts hold that
      // this font has (Noto Sans CJK has Latin, so no second font is merged for it).
      mainFace = freeType().face(cjk);
      ImFontGlyphRangesBuilder builder;
      builder.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
      if (mainFace)
        for (const char32_t cp : st.glyphs.codePoints())
          if (cp <= 0xFFFF && FT_Get_Char_Index(mainFace, cp) != 0) builder.AddChar(static_cast<ImWchar>(cp));
      builder.BuildRanges(&st.ranges);
      ImFontConfig cfg;
      cfg.OversampleH = 1;  // small atlas: software GL uploads and samples it every frame
      cfg.OversampleV = 1;
      cfg.PixelSnapH = true;
      cfg.FontNo = cjk.index;
      fontSize = size_px + 2;
      font = io.Fonts->AddFontFromFileTTF(cjk.path.c_str(), fontSize, &cfg, st.ranges.Data);
      if (!font) {
        message = cjk.path + " could not be loaded as a font; install fonts-noto-cjk. Showing English.";
        io.Fonts->Clear();
        mainFace = nullptr;
        ok = false;
      }
    }
  }
  if (!font) {
    ImFontConfig cfg;
    cfg.SizePixels = size_px;
    fontSize = size_px;
    font = io.Fonts->AddFontDefault(&cfg);  // ProggyClean: U+0020..U+00FF
  }
  auto mainHas = [&](char32_t cp) {
    if (cp > 0xFFFF) return false;  // never in a 16-bit-keyed font
    if (mainFace) return FT_Get_Char_Index(mainFace, cp) != 0;  // then it is in st.ranges
    return cp >= 0x20 && cp <= 0xFF;
  };

  // Characters the main font lacks: FreeType draws them from the preferred font that has them.
  const float em = mainFace ? emOfImGuiSize(mainFace, fontSize) : fontSize * 0.9f;
  std::vector<PendingGlyph> pending;
  auto& cache = renderCache();
  if (cache.em != em || cache.line != fontSize) cache = {em, fontSize, {}};
  {
    std::optional<FallbackFonts> fallback;  // one fontconfig sort, only when something is new
    for (const char32_t cp : st.glyphs.codePoints()) {
      if (mainHas(cp)) continue;
      const ImWchar id = static_cast<ImWchar>(st.glyphs.displayOf(cp));
      FontFile file;
      FT_Face face = nullptr;
      PendingGlyph g;
      if (id == 0xFFFD || pending.size() >= kMaxFallbackGlyphs) {
        ++st.coverage.missing;
        continue;
      }
      auto cached = cache.glyphs.find(cp);
      if (cached == cache.glyphs.end()) {
        std::optional<GlyphBitmap> drawn;
        if (invisible(cp)) {
          drawn = GlyphBitmap{};  // joiners and variation selectors: nothing (no shaping here)
        } else {
          if (!fallback) fallback.emplace();
          GlyphBitmap b;
          if (fallback->fontFor(cp, file) && (face = freeType().face(file)) &&
              freeType().render(face, cp, em, fontSize, b))
            drawn = std::move(b);
        }
        cached = cache.glyphs.emplace(cp, std::move(drawn)).first;
      }
      if (!cached->second) {
        ++st.coverage.missing;  // no installed font has it: ImGui's "?"
        continue;
      }
      g.bitmap = *cached->second;
      if (g.bitmap.width == 0 || g.bitmap.height == 0) {  // ImGui packs no empty rectangles
        g.bitmap.width = g.bitmap.height = 1;
        g.bitmap.pixels.assign(4, 0);
      }
      g.id = id;
      g.rect = io.Fonts->AddCustomRectFontGlyph(font, id, g.bitmap.width, g.bitmap.height,
                                                std::ceil(g.bitmap.advance), ImVec2(g.bitmap.left, 0));
      pending.push_back(std::move(g));
    }
  }
  st.coverage.fallbackGlyphs = pending.size();
  io.Fonts->TexDesiredWidth = pending.size() > 500 ? 2048 : 0;  // keep a big atlas from growing tall
  io.Fonts->Build();

  // Place the fallback glyphs on the main font's baseline (colour ones centred in the line),
  // and copy their pixels into the atlas.
  unsigned char* pixels = nullptr;
  int texW = 0, texH = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &texW, &texH);
  for (const auto& g : pending) {
    auto* glyph = const_cast<ImFontGlyph*>(font->FindGlyphNoFallback(g.id));
    const ImFontAtlasCustomRect* r = io.Fonts->GetCustomRectByIndex(g.rect);
    if (!glyph || !r->IsPacked()) continue;
    const float y0 = g.bitmap.color ? std::round((font->FontSize - static_cast<float>(g.bitmap.height)) * 0.5f)
                                    : std::round(font->Ascent - g.bitmap.top);
    glyph->Y0 = y0;
    glyph->Y1 = y0 + static_cast<float>(g.bitmap.height);
    glyph->Colored = g.bitmap.color ? 1 : 0;
    for (int y = 0; y < g.bitmap.height; ++y)
      std::copy_n(&g.bitmap.pixels[static_cast<std::size_t>(y) * g.bitmap.width * 4], g.bitmap.width * 4,
                  pixels + (static_cast<std::size_t>(r->Y + y) * texW + r->X) * 4);
  }
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  st.coverage.lastBuildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  st.builtGeneration = st.glyphs.generation();
  ++st.atlasGeneration;
  return ok;
}

}  // namespace

std::string findCjkFont() {
  FontFile f;
  return findCjkFace(f) ? f.path : std::string();
}

bool buildFonts(const std::string& lang, float size_px, std::string& message) {
  state().lang = lang;
  state().sizePx = size_px;
  return buildAtlas(lang, size_px, message);
}

bool noteShownText(std::u32string_view text) {
  state().glyphs.add(text);
  return fontsOutdated();
}

bool noteShownTextUtf8(std::string_view utf8) {
  state().glyphs.addUtf8(utf8);
  return fontsOutdated();
}

bool fontsOutdated() { return state().builtGeneration != state().glyphs.generation(); }

void rebuildFontsIfOutdated() {
  if (!fontsOutdated()) return;
  std::string message;
  if (!buildAtlas(state().lang, state().sizePx, message)) {
    // The language's font vanished since start-up: keep going in the built-in font.
    std::fprintf(stderr, "labelbench: %s\n", message.c_str());
    state().lang = "en";
  }
}

std::uint64_t fontAtlasGeneration() { return state().atlasGeneration; }

std::string toDisplayText(std::string_view utf8) { return state().glyphs.toDisplay(utf8); }

std::string fromDisplayText(std::string_view display) { return state().glyphs.fromDisplay(display); }

unsigned displayCharOf(char32_t cp) { return state().glyphs.displayOf(cp); }

FontCoverage fontCoverage() { return state().coverage; }

}  // namespace lb::app
