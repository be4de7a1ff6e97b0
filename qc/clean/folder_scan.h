#pragma once
// [SECTION] Duplicates in a folder that was never imported (labelbench-cli clean scan).
//
// Reads each image once (duplicateSignalsFromFile: file hash + near-duplicate views from a
// reduced grayscale decode), then groups exact copies (same bytes) and near-duplicates (the same
// view search and pair score as the near_dup check, at `threshold`). Nothing is stored.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "labeling/result.h"

namespace lb::qc::clean {

struct FolderScanOptions {
  double threshold = -1;  // near_dup pair score; < 0: the check's default
  std::function<void(std::int64_t done, std::int64_t total)> progress;  // after each file
  const std::atomic<bool>* cancel = nullptr;
};

struct FolderGroup {
  std::vector<std::string> files;  // paths relative to the folder, sorted
  std::string keeper;              // suggested file to keep
};

struct FolderScan {
  std::int64_t images = 0;              // files read as images
  std::vector<std::string> unreadable;  // image-named files that could not be decoded
  std::vector<FolderGroup> exact;       // same bytes
  std::vector<FolderGroup> near;        // near-duplicates (exact copies included)
};

// Image files (jpg, jpeg, png, bmp, webp, tif, tiff; any case) under `dir`, recursively.
// Keeper: the largest pixel count, then the first in path order. Errors: `dir` is not a
// folder (NotFound), threshold beyond the stored range (InvalidArgument), cancelled (Cancelled).
Result<FolderScan> scanFolder(const std::string& dir, const FolderScanOptions& options);

}  // namespace lb::qc::clean
