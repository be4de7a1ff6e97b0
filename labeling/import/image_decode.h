#pragma once
// One image file -> everything import stores about it, from one read and one decode:
// SHA-256 of the bytes, file size, oriented size, 256 px thumbnail and the qc signals.
//
// Pure apart from reading the file; safe on any thread (each call uses its own buffers).
#include <cstdint>
#include <string>
#include <vector>

#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::labeling {

inline constexpr int kThumbnailSizePx = 256;

// SHA-256 of a buffer as lowercase hex.
std::string sha256Hex(const unsigned char* data, std::size_t size);

// Reads `path` fully into `bytes` (reusing its capacity). Errors: Io, names the file.
Status readFileInto(const std::string& path, std::vector<unsigned char>& bytes);
// Reads `path` fully. Errors: Io (unreadable), names the file.
Result<std::vector<unsigned char>> readFileBytes(const std::string& path);

// Fills item.{kind, contentHash, fileSizeBytes, widthPx, heightPx}, the thumbnail and the
// signals. The caller sets batch, media path and source key. `displayName` names the file in
// messages. Errors (BadInput): empty, not an image, damaged or truncated, larger than maxPixels.
Result<NewItem> prepareImage(const std::string& path, const std::string& displayName, std::int64_t maxPixels);

}  // namespace lb::labeling
