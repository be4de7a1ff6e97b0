#pragma once
// [SECTION] UI strings. tr("key") returns the string for the current language, read from
// every assets/i18n/<lang>/*.json file (flat objects {"key": "text"}), merged, so each engineer
// keeps their own file (en/clean.json beside en/common.json). A key missing in the language
// falls back to English, then to the key itself so a missing string is visible but harmless.
//
// Threads: UI thread only. Pointers from tr() stay valid until the next loadLanguage().
#include <initializer_list>
#include <string>
#include <vector>

namespace lb::app {

// Loads `lang` ("en" or "zh-CN") from `i18nDir` (…/share/labelbench/i18n). Returns the files read.
std::vector<std::string> loadLanguage(const std::string& i18nDir, const std::string& lang);
const std::string& currentLanguage();

const char* tr(const char* key);
// tr() with "{0}", "{1}", ... replaced by args.
std::string trf(const char* key, std::initializer_list<std::string> args);

}  // namespace lb::app
