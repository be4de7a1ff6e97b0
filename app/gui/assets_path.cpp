#include "assets_path.h"

#include <cstdlib>
#include <filesystem>

namespace lb::app {

std::string findAssetsDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto good = [&](const fs::path& p) { return fs::is_directory(p / "i18n", ec); };
  if (const char* env = std::getenv("LABELBENCH_ASSETS"); env && *env && good(env)) return env;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path p = exe.parent_path().parent_path() / "share" / "labelbench";
    if (good(p)) return p.string();
  }
  if (good("/usr/share/labelbench")) return "/usr/share/labelbench";
  return "";
}

}  // namespace lb::app
