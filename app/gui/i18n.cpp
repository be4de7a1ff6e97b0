#include "i18n.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unordered_map>

namespace lb::app {

namespace {
namespace fs = std::filesystem;

struct Strings {
  std::string lang = "en";
  std::unordered_map<std::string, std::string> current;
  std::unordered_map<std::string, std::string> english;
};
Strings& strings() {
  static Strings s;
  return s;
}

std::vector<std::string> readFolder(const fs::path& dir, std::unordered_map<std::string, std::string>& into) {
  std::vector<std::string> read;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());  // deterministic when two files share a key
  for (const auto& f : files) {
    std::ifstream in(f);
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      std::fprintf(stderr, "labelbench: %s is not a JSON object of strings; its strings are skipped\n",
                   f.string().c_str());
      continue;
    }
    for (auto& [k, v] : j.items())
      if (v.is_string()) into[k] = v.get<std::string>();
    read.push_back(f.string());
  }
  return read;
}
}  // namespace

std::vector<std::string> loadLanguage(const std::string& i18nDir, const std::string& lang) {
  auto& s = strings();
  s.english.clear();
  s.current.clear();
  auto read = readFolder(fs::path(i18nDir) / "en", s.english);
  if (lang != "en") {
    auto more = readFolder(fs::path(i18nDir) / lang, s.current);
    read.insert(read.end(), more.begin(), more.end());
  }
  s.lang = lang;
  return read;
}

const std::string& currentLanguage() { return strings().lang; }

const char* tr(const char* key) {
  auto& s = strings();
  if (auto it = s.current.find(key); it != s.current.end()) return it->second.c_str();
  if (auto it = s.english.find(key); it != s.english.end()) return it->second.c_str();
  return key;
}

std::string trf(const char* key, std::initializer_list<std::string> args) {
  std::string out = tr(key);
  int i = 0;
  for (const auto& a : args) {
    const std::string mark = "{" + std::to_string(i++) + "}";
    for (size_t pos = out.find(mark); pos != std::string::npos; pos = out.find(mark, pos + a.size()))
      out.replace(pos, mark.size(), a);
  }
  return out;
}

}  // namespace lb::app
