#include "labeling/import/image_sources.h"

#include <algorithm>
#include <fstream>
#include <set>

namespace lb::labeling {

namespace fs = std::filesystem;

namespace {

std::string lowerName(const fs::path& p) {
  std::string s = p.filename().string();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool endsWithAny(const fs::path& p, std::initializer_list<const char*> suffixes) {
  const std::string name = lowerName(p);
  for (const char* s : suffixes)
    if (endsWith(name, s)) return true;
  return false;
}

bool cancelled(const SourceContext& ctx) { return ctx.cancel && ctx.cancel->load(); }

// Collects files and videos; keeps each source key once and skips what the project has.
class Planner {
 public:
  Planner(const SourceContext& ctx, ImportPlan& plan) : m_ctx(ctx), m_plan(plan) {}

  void addImage(const fs::path& file, const std::string& displayName) {
    ImportCandidate c;
    c.path = file.string();
    c.displayName = displayName;
    c.mediaPath = relativeMediaPath(file, m_ctx.mediaRoot);
    c.sourceKey = c.mediaPath;
    if (!m_seen.insert(c.sourceKey).second) return;
    if (m_ctx.known && m_ctx.known(c.sourceKey)) {
      ++m_plan.alreadyInProject;
      return;
    }
    m_plan.candidates.push_back(std::move(c));
  }

  void addInput(const std::string& input, bool allowList) {
    if (cancelled(m_ctx)) return;
    if (allowList && !input.empty() && input[0] == '@') return addList(input.substr(1));
    const fs::path p(input);
    std::error_code ec;
    const auto st = fs::symlink_status(p, ec);
    if (ec || !fs::exists(st) || (fs::is_symlink(st) && !fs::exists(p, ec)))
      return reject(input, input + ": does not exist; check the path");
    if (fs::is_directory(p, ec)) return addFolder(p, input);
    if (isArchiveFileName(p)) {
      std::vector<fs::path> videos;
      extractArchive(p, m_ctx, m_plan, videos);
      for (const auto& v : videos) m_videos.emplace_back(v, input + ":" + v.filename().string());
      return;
    }
    if (isVideoFileName(p)) {
      m_videos.emplace_back(p, input);
      return;
    }
    // A single named file is imported whatever its extension: if it is not an image, the
    // decoder says so and the user sees why.
    addImage(fs::absolute(p), input);
  }

  void finish() {
    for (const auto& [video, name] : m_videos) {
      if (cancelled(m_ctx)) break;
      const std::size_t before = m_plan.candidates.size();
      extractVideoFrames(video, name, m_ctx, m_plan);
      // Frames of one video may repeat keys only if it was listed twice.
      for (std::size_t i = before; i < m_plan.candidates.size(); ++i) m_seen.insert(m_plan.candidates[i].sourceKey);
    }
    if (cancelled(m_ctx)) m_plan.cancelled = true;
  }

 private:
  void reject(const std::string& path, const std::string& reason) { m_plan.rejected.push_back({path, reason}); }

  void addList(const std::string& listPath) {
    std::ifstream in(listPath);
    if (!in) return reject(listPath, listPath + ": list file cannot be read; check the path after '@'");
    const fs::path base = fs::absolute(fs::path(listPath)).parent_path();
    std::string line;
    while (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
      std::size_t start = line.find_first_not_of(" \t");
      if (start == std::string::npos || line[start] == '#') continue;
      fs::path entry(line.substr(start));
      if (entry.is_relative()) entry = base / entry;
      addInput(entry.string(), false);
    }
  }

  void addFolder(const fs::path& folder, const std::string& displayRoot) {
    std::error_code ec;
    const fs::path root = fs::canonical(folder, ec);
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      const std::string name = p.filename().string();
      if (!name.empty() && name[0] == '.') {  // .DS_Store, ._resource forks, hidden folders
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_symlink()) {
        std::error_code lec;
        const fs::path target = fs::canonical(p, lec);
        const auto rel = target.lexically_relative(root);
        if (lec || rel.empty() || *rel.begin() == "..") {
          if (isImageFileName(p) || isVideoFileName(p))
            reject(p.string(), p.string() + ": symbolic link leading outside " + displayRoot + "; not followed");
          continue;
        }
      }
      if (!it->is_regular_file()) continue;
      if (isImageFileName(p) || isVideoFileName(p)) files.push_back(p);
    }
    if (ec) reject(displayRoot, displayRoot + ": cannot list folder (" + ec.message() + ")");
    std::sort(files.begin(), files.end());  // stable order: same project layout on every run
    for (const auto& f : files) {
      if (isVideoFileName(f))
        m_videos.emplace_back(f, f.string());
      else
        addImage(fs::absolute(f), f.string());
    }
  }

  const SourceContext& m_ctx;
  ImportPlan& m_plan;
  std::set<std::string> m_seen;
  std::vector<std::pair<fs::path, std::string>> m_videos;
};

}  // namespace

bool isImageFileName(const fs::path& p) {
  return endsWithAny(p, {".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".dib", ".tif", ".tiff", ".webp"});
}

bool isVideoFileName(const fs::path& p) {
  return endsWithAny(p, {".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"});
}

bool isArchiveFileName(const fs::path& p) {
  return endsWithAny(p, {".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz"});
}

std::string relativeMediaPath(const fs::path& file, const fs::path& root) {
  // Canonical folder, literal file name: a link inside the folder keeps its own name.
  std::error_code ec;
  const fs::path abs = fs::absolute(file);
  fs::path dir = fs::weakly_canonical(abs.parent_path(), ec);
  if (ec) dir = abs.parent_path().lexically_normal();
  fs::path base = fs::weakly_canonical(root, ec);
  if (ec) base = fs::absolute(root).lexically_normal();
  return (dir / abs.filename()).lexically_relative(base).generic_string();
}

ImportPlan planImport(const std::vector<std::string>& inputs, const SourceContext& ctx) {
  ImportPlan plan;
  Planner planner(ctx, plan);
  for (const auto& in : inputs) planner.addInput(in, true);
  planner.finish();
  return plan;
}

}  // namespace lb::labeling
