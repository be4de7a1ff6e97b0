#pragma once
// Turning import inputs (folders, archives, list files, single images, videos) into the list of
// files to import. Archives are unpacked and videos cut into frames here, into the batch's
// media folder; nothing is decoded except video frames.
//
// Runs on the importing thread. Safe unpacking: an archive entry whose path is absolute or
// contains "..", a link entry, or one that would land outside the target folder is refused
// (recorded as a rejection) and never written.
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "labeling/import/image_import.h"

namespace lb::labeling {

struct ImportCandidate {
  std::string path;         // file to read
  std::string displayName;  // for messages: the path as given, or "archive.zip:entry"
  std::string mediaPath;    // relative to the media root, '/'-separated
  std::string sourceKey;    // mediaPath, plus "#frame=N" for video frames
  int frameIndex = -1;
};

struct ImportPlan {
  std::vector<ImportCandidate> candidates;  // new to the project, each key once
  std::vector<ImportRejection> rejected;
  std::int64_t alreadyInProject = 0;
  bool cancelled = false;
};

struct SourceContext {
  std::filesystem::path mediaRoot;    // the project's media root
  std::filesystem::path extractRoot;  // <project folder>/media/<batch>: archives and frames go here
  int videoFrameStep = 30;
  std::function<bool(const std::string& sourceKey)> known;  // already in the project?
  std::atomic<bool>* cancel = nullptr;
};

ImportPlan planImport(const std::vector<std::string>& inputs, const SourceContext& ctx);

// Lowercased extension checks ("jpg", "tar.gz", ...).
bool isImageFileName(const std::filesystem::path& p);
bool isVideoFileName(const std::filesystem::path& p);
bool isArchiveFileName(const std::filesystem::path& p);

// The path relative to root as '/'-separated text (".." components when outside it).
std::string relativeMediaPath(const std::filesystem::path& file, const std::filesystem::path& root);

// Unpacks the supported images and videos of one archive below ctx.extractRoot/<stem>/ (see the
// safety rules above) and appends them to the plan. Implemented in archive_extract.cpp.
void extractArchive(const std::filesystem::path& archive, const SourceContext& ctx, ImportPlan& plan,
                    std::vector<std::filesystem::path>& videosOut);

// Writes every videoFrameStep-th frame as JPEG below ctx.extractRoot/<video stem>/ and appends
// them. Frames already in the project are counted, not rewritten. Implemented in video_frames.cpp.
void extractVideoFrames(const std::filesystem::path& video, const std::string& displayName,
                        const SourceContext& ctx, ImportPlan& plan);

}  // namespace lb::labeling
