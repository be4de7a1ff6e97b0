#pragma once
// [SECTION] One importer/exporter pair per format, and a dispatcher by Format.
//
// Importers take a file or a folder in the peer tool's layout and return a Dataset; a file or
// record that cannot be read lands in Dataset::problems (naming it) and the rest is read.
// Whole-input errors (path missing, nothing recognisable) are Errors.
//
// Exporters write into an output folder (created if needed) from an ExportSource, streaming.
// What the format cannot hold is counted in the returned ExportReport.
//
// Threads: the thread that owns the store behind the ExportSource.
#include <filesystem>
#include <string>

#include "labeling/formats/dataset.h"
#include "labeling/formats/export_source.h"

namespace lb::labeling::formats {

using Path = std::filesystem::path;

Result<Dataset> importCoco(const Path& path);
Result<ExportReport> exportCoco(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

Result<Dataset> importYolo(const Path& path);
Result<ExportReport> exportYolo(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

Result<Dataset> importVoc(const Path& path);
Result<ExportReport> exportVoc(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

Result<Dataset> importLabelme(const Path& path);
Result<ExportReport> exportLabelme(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

Result<Dataset> importCvat(const Path& path);
Result<ExportReport> exportCvat(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

Result<Dataset> importDoccano(const Path& path);
Result<ExportReport> exportDoccano(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

Result<Dataset> importConll(const Path& path);
Result<ExportReport> exportConll(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

// Plain text datasets: JSONL {"text", "labels": [...], "classes": [...], "ratings": [...]} and
// CSV (id,text,classes / ratings rows).
Result<Dataset> importTextJsonl(const Path& path);
Result<ExportReport> exportTextJsonl(const ExportSource& src, const Path& outDir, const ExportOptions& opts);
Result<Dataset> importTextCsv(const Path& path);
Result<ExportReport> exportTextCsv(const ExportSource& src, const Path& outDir, const ExportOptions& opts);

Result<Dataset> importDataset(Format format, const Path& path);
Result<ExportReport> exportDataset(Format format, const ExportSource& src, const Path& outDir,
                                   const ExportOptions& opts);

// Files of `dir` (recursively) whose extension is one of `exts` (lowercase, with dot), sorted.
std::vector<Path> listFiles(const Path& dir, std::initializer_list<const char*> exts);

}  // namespace lb::labeling::formats
