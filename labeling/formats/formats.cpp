// [SECTION] Dispatch by format, and helpers shared by the importers.
#include "labeling/formats/formats.h"

#include <algorithm>

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

Result<ExportReport> exportDataset(Format format, const ExportSource& src, const Path& outDir,
                                   const ExportOptions& opts) {
  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) return makeError(ErrorCode::Io, "cannot create " + outDir.string() + ": " + ec.message());
  switch (format) {
    case Format::Coco: return exportCoco(src, outDir, opts);
    case Format::Yolo: return exportYolo(src, outDir, opts);
    case Format::Voc: return exportVoc(src, outDir, opts);
    case Format::Labelme: return exportLabelme(src, outDir, opts);
    case Format::Cvat: return exportCvat(src, outDir, opts);
    case Format::Doccano: return exportDoccano(src, outDir, opts);
    case Format::Conll: return exportConll(src, outDir, opts);
    case Format::TextJsonl: return exportTextJsonl(src, outDir, opts);
    case Format::TextCsv: return exportTextCsv(src, outDir, opts);
  }
  return makeError(ErrorCode::Unsupported, "unknown format");
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
