#include "fonts.h"

#include <fontconfig/fontconfig.h>

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <filesystem>

namespace lb::app {

std::string findCjkFont() {
  if (!FcInit()) return "";
  FcPattern* pat = FcPatternBuild(nullptr, FC_LANG, FcTypeString, reinterpret_cast<const FcChar8*>("zh-cn"),
                                  nullptr);
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pat, &result);
  std::string path;
  if (match) {
    // fontconfig always returns *some* font; accept it only if it really covers Chinese.
    FcLangSet* langs = nullptr;
    FcChar8* file = nullptr;
    if (FcPatternGetLangSet(match, FC_LANG, 0, &langs) == FcResultMatch &&
        FcLangSetHasLang(langs, reinterpret_cast<const FcChar8*>("zh-cn")) != FcLangDifferentLang &&
        FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
      path = reinterpret_cast<const char*>(file);
    FcPatternDestroy(match);
  }
  FcPatternDestroy(pat);
  return path;
}

bool buildFonts(const std::string& lang, float size_px, std::string& message) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.SizePixels = size_px;
  io.Fonts->AddFontDefault(&cfg);
  bool ok = true;
  if (lang == "zh-CN") {
    const std::string path = findCjkFont();
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) {
      message = "No Chinese font found. Install fonts-noto-cjk or fonts-wqy-microhei "
                "(sudo apt install fonts-noto-cjk); showing English.";
      ok = false;
    } else {
      // Chinese as the main font, the built-in one merged in is not needed: Noto CJK has Latin.
      io.Fonts->Clear();
      ImFontConfig cjk;
      cjk.OversampleH = 1;  // small atlas: software GL uploads and samples it every frame
      cjk.OversampleV = 1;
      cjk.PixelSnapH = true;
      if (!io.Fonts->AddFontFromFileTTF(path.c_str(), size_px + 2, &cjk,
                                        io.Fonts->GetGlyphRangesChineseSimplifiedCommon())) {
        message = path + " could not be loaded as a font; install fonts-noto-cjk. Showing English.";
        io.Fonts->Clear();
        io.Fonts->AddFontDefault(&cfg);
        ok = false;
      }
    }
  }
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  return ok;
}

}  // namespace lb::app
