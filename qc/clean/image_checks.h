#pragma once
// [SECTION] Image checks computed from the signals the import stored (no image is decoded here).
// Same thread rules as the store it reads.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "labeling/import/image_signals.h"
#include "labeling/store/project_store.h"
#include "qc/clean/findings_repository.h"

namespace lb::qc::clean {

struct CheckRows {
  std::string check;
  std::vector<NewFinding> rows;
  std::int64_t measured = 0;  // items the check looked at (rows may be fewer: store limit)
  std::string note;           // e.g. why a check could not run
};

// In-memory form of one image's stored measurements, so that benchmarks can synthesise them.
struct ImageSignalsRow {
  labeling::ItemId id = 0;
  int widthPx = 0, heightPx = 0;
  std::string fileHash;
  std::vector<unsigned char> pixelHash;
  std::vector<std::uint64_t> phashes;  // PHashVariant order; one entry for legacy items
  double blur = -1, lumaP05 = -1, lumaP95 = -1, entropy = -1, chroma = -1;  // -1: not measured
  // Near-duplicate views with their two hashes (DupView order), from the clean pack; empty for
  // items imported before it, which are searched with `phashes` alone.
  std::vector<labeling::DupViewHash> views;
  // duplicateSignalsFromFile only: the reduced decode's divisor (widthPx * decodeScale is the
  // file's width, to within the JPEG block rounding).
  int decodeScale = 1;
};

// What the duplicate checks need, straight from an image file: SHA-256 of the bytes and the
// near-duplicate views from a grayscale JPEG decode at 1/8 scale (1/4 or 1/2 when that would
// leave fewer than 128 px; other formats full size). For checking a folder that was never
// imported; widthPx/heightPx are those of the reduced decode. Empty optional when the file
// cannot be read or decoded.
std::optional<ImageSignalsRow> duplicateSignalsFromFile(const std::string& path);

// Fills a row from an item's signals as import computed them (benchmarks, tests).
void applySignals(ImageSignalsRow& row, const std::vector<labeling::NewItem::Signal>& signals);

// Reads every image item (excluded ones too, so that restoring one needs no re-run) with its
// signals: one query over items joined with their clean pack; items imported before the pack
// existed are completed from their separate signal rows.
std::vector<ImageSignalsRow> loadImageSignals(const labeling::ProjectStore& store);

// The rows of the named image checks (all image checks when `checks` is empty).
// With `cancel` set it stops between checks and inside the near-duplicate search (per chunk of
// images); the rows it returns then are incomplete and must be discarded.
std::vector<CheckRows> computeImageChecks(const std::vector<ImageSignalsRow>& images,
                                          const std::vector<std::string>& checks,
                                          const std::atomic<bool>* cancel = nullptr);

}  // namespace lb::qc::clean
