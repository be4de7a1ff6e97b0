// [SECTION] Dispatch by format, and helpers shared by the importers.
#include "labeling/formats/formats.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace lb::labeling::formats {

namespace fs = std::filesystem;

Result<Dataset> importDataset(Format format, const Path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return makeError(ErrorCode::NotFound, path.string() + " does not exist; give the labels file or folder");
  switch (format) {
    case Format::Coco: return importCoco(path);
    case Format::Yolo: return importYolo(path);
    case Format::Voc: return importVoc(path);
    case Format::Labelme: return importLabelme(path);
    case Format::Cvat: return importCvat(path);
    case Format::Doccano: return importDoccano(path);
    case Format::Conll: return importConll(path);
    case Format::TextJsonl: return importTextJsonl(path);
    case Format::TextCsv: return importTextCsv(path);
  }
  return makeError(ErrorCode::Unsupported, "unknown format");
}

namespace {

Result<ExportReport> exportInto(Format format, const ExportSource& src, const Path& dir, const ExportOptions& opts) {
  switch (format) {
    case Format::Coco: return exportCoco(src, dir, opts);
    case Format::Yolo: return exportYolo(src, dir, opts);
    case Format::Voc: return exportVoc(src, dir, opts);
    case Format::Labelme: return exportLabelme(src, dir, opts);
    case Format::Cvat: return exportCvat(src, dir, opts);
    case Format::Doccano: return exportDoccano(src, dir, opts);
    case Format::Conll: return exportConll(src, dir, opts);
    case Format::TextJsonl: return exportTextJsonl(src, dir, opts);
    case Format::TextCsv: return exportTextCsv(src, dir, opts);
  }
  return makeError(ErrorCode::Unsupported, "unknown format");
}

// Moves every file under `from` to the same place under `to` (same file system: renames).
Status moveTree(const Path& from, const Path& to) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory()) continue;
    const Path dest = to / it->path().lexically_relative(from);
    fs::create_directories(dest.parent_path(), ec);
    if (fs::is_directory(dest)) fs::remove_all(dest, ec);
    fs::rename(it->path(), dest, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot move the export into " + dest.string() + ": " + ec.message());
  }
  if (ec) return makeError(ErrorCode::Io, "cannot read " + from.string() + ": " + ec.message());
  return okStatus();
}

}  // namespace

// The exporters write into a hidden staging folder beside outDir; only a finished export is
// moved into place. A cancelled or failed export leaves nothing behind, so no half-written file
// can pass for a finished one (COCO joins its parts into a valid-looking JSON, YOLO writes one
// file per image).
Result<ExportReport> exportDataset(Format format, const ExportSource& src, const Path& outDir,
                                   const ExportOptions& opts) {
  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) return makeError(ErrorCode::Io, "cannot create " + outDir.string() + ": " + ec.message());
  // Beside outDir, so that paths the exporters write relative to their files (labelme's
  // imagePath to media left in place) stay right after the move; inside it if that fails.
  static std::atomic<unsigned> counter{0};
  Path dir = outDir.lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  const std::string tag = ".labelbench-partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  Path staging = (dir.has_parent_path() ? dir.parent_path() : Path(".")) / ("." + dir.filename().string() + tag);
  fs::remove_all(staging, ec);
  if (!fs::create_directories(staging, ec) || ec) {
    staging = outDir / tag;
    fs::remove_all(staging, ec);
    fs::create_directories(staging, ec);
  }
  if (ec) return makeError(ErrorCode::Io, "cannot write in " + outDir.string() + ": " + ec.message());
  auto r = exportInto(format, src, staging, opts);
  if (r && !r->cancelled) {
    if (auto st = moveTree(staging, outDir); !st) r = st.error();
  } else if (r) {
    r->files.clear();  // nothing was delivered
  }
  fs::remove_all(staging, ec);
  return r;
}

std::vector<Path> listFiles(const Path& dir, std::initializer_list<const char*> exts) {
  std::vector<Path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    for (const char* e : exts)
      if (ext == e) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace lb::labeling::formats
