#pragma once
// [SECTION] Delivery packages: the export, optionally the media, label statistics, the batch's
// QC summary and a manifest with the SHA-256 of every file, as a folder or a .zip; and the
// check a client runs on what they received.
//
// Layout: labels/ (the export in the chosen format), statistics.json, qc_summary.json,
// manifest.json (lists every other file with size and SHA-256; it does not list itself).
//
// Threads: buildDelivery on the thread that owns the store; verifyDelivery on any thread.
#include <string>
#include <vector>

#include "labeling/formats/export_source.h"
#include "labeling/formats/formats.h"

namespace lb::labeling::delivery {

struct DeliveryOptions {
  formats::Format format = formats::Format::Coco;
  formats::ExportOptions exportOptions;  // filters, split, with media, progress, cancel
  std::string out;  // a folder (created; must be empty or absent) or a path ending in .zip
};

struct DeliveryReport {
  formats::ExportReport exportReport;
  std::int64_t files = 0;   // files listed in the manifest
  std::string manifestSha256;  // of manifest.json, to tell the client out of band
  std::vector<std::string> notes;  // e.g. "no acceptance-sampling results stored"
};

// Errors: InvalidArgument (out not empty), Io, whatever the export returns.
Result<DeliveryReport> buildDelivery(const ProjectStore& store, const DeliveryOptions& options);

struct VerifyReport {
  std::int64_t checked = 0;
  std::vector<std::string> missing;  // listed in the manifest, not in the delivery
  std::vector<std::string> extra;    // in the delivery, not in the manifest
  std::vector<std::string> altered;  // size or SHA-256 differs
  bool ok() const { return missing.empty() && extra.empty() && altered.empty(); }
};

// Checks a delivery folder or .zip against its manifest.json. Errors: NotFound (no delivery or
// no manifest), BadInput (manifest unreadable).
Result<VerifyReport> verifyDelivery(const std::string& path);

// SHA-256 (lowercase hex) of a file, read in chunks. Errors: Io.
Result<std::string> sha256File(const std::string& path);

}  // namespace lb::labeling::delivery
