#pragma once
// [SECTION] Image import: folders, archives, list files, single images and videos into a project.
//
// Each image is read once, hashed (SHA-256 of the file bytes), decoded once with a DCT-scaled
// decode, and from that one decode come the 256 px thumbnail and the signals qc reads later.
// Work runs on a small pool of threads; rows are written on the calling thread (the store
// belongs to it), each item with its thumbnail and signals all-or-nothing, so a cancelled or
// killed import leaves only whole items behind.
//
// Threads: call from the thread that owns `store`. `progress` is called on that thread too.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::labeling {

struct ImageImportOptions {
  std::string batchName;            // default: the first input's name
  int threads = 2;                  // decode/hash/thumbnail workers
  int videoFrameStep = 30;          // a video becomes every N-th frame
  std::int64_t maxPixels = 400'000'000;  // larger headers are refused before decoding
  std::atomic<bool>* cancel = nullptr;   // set to true to stop; finished items stay in
  std::function<void(std::int64_t done, std::int64_t total)> progress;
  UserId userId = 0;                // recorded on the import event
  std::string sessionId;            // recorded on the import event
};

struct ImportRejection {
  std::string path;    // the file (or "archive:entry") that was refused
  std::string reason;  // names the file and the problem
};

struct ImportReport {
  BatchId batchId = 0;               // 0 when nothing new was imported
  std::int64_t imported = 0;
  std::int64_t alreadyInProject = 0;
  std::vector<ImportRejection> rejected;
  bool cancelled = false;
};

// inputs: folders (recursive), .zip/.tar/.tar.gz/.tgz archives (unpacked into
// <project folder>/media/<batch>/ with every entry checked to stay inside it, links never
// followed), single image or video files, or "@list.txt" (one path per line, relative to the
// list's folder; blank lines and lines starting with # are skipped).
// Errors (as values): only problems with the whole job (no inputs, project not writable).
// Bad files are not errors: they land in ImportReport::rejected and the rest goes on.
Result<ImportReport> importImages(ProjectStore& store, const std::vector<std::string>& inputs,
                                  const ImageImportOptions& opts);

}  // namespace lb::labeling
