#pragma once
// [SECTION] What an export reads: the chosen items of a project, streamed with their annotations.
//
// ExportSource holds the selected items (without their annotations) and the schema; exporters
// walk it with forEach(), which streams annotations from ProjectStore::forEachAnnotation in item
// order, so memory holds one item's annotations at a time whatever the project size.
//
// Filters: accepted only, one batch, a date range, excluded items left out (by default), and a
// train/val/test split by ratio with a fixed seed, stratified by each item's most frequent class.
//
// Threads: use on the thread that owns the store.
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "labeling/formats/dataset.h"
#include "labeling/store/project_store.h"

namespace lb::labeling::formats {

struct ExportFilter {
  bool acceptedOnly = false;
  std::optional<BatchId> batchId;
  std::optional<TimeMs> fromMs;   // items whose last label change (else creation) is >= fromMs
  std::optional<TimeMs> toMs;     // ... and < toMs
  bool includeExcluded = false;   // junk and duplicates marked by cleaning are left out by default
  std::vector<double> splitRatios;  // e.g. {0.8, 0.1, 0.1} -> train/val/test; empty: no split
  std::uint64_t seed = 1;
};

struct ExportOptions {
  ExportFilter filter;
  bool withMedia = false;          // copy the media files into the export
  std::string yoloLayout = "ultralytics";  // or "darknet"
  std::string conllScheme = "IOB2";        // IOB1, IOB2 or BIOES
  bool labelmeEmbedImages = false;  // write imageData into labelme files
  std::atomic<bool>* cancel = nullptr;
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// "train", "val", "test" for 3 ratios; "train", "val" for 2; "" when there is no split.
std::vector<std::string> splitNames(std::size_t ratioCount);

// Parses "0.8,0.1,0.1". Errors: InvalidArgument naming the value.
Result<std::vector<double>> parseSplitRatios(const std::string& text);
// Parses "2026-01-31" (UTC midnight) or milliseconds since the epoch.
Result<TimeMs> parseDate(const std::string& text);

class ExportSource {
 public:
  // Selects items by the filter and assigns splits. Errors: InvalidArgument (bad ratios).
  static Result<ExportSource> open(const ProjectStore& store, const ExportFilter& filter);

  const ProjectStore& store() const { return m_store; }
  const LabelSchema& schema() const { return m_schema; }
  const std::vector<Item>& items() const { return m_items; }
  const std::string& subsetOf(std::size_t index) const { return m_subsets[index]; }
  std::vector<std::string> subsets() const;  // distinct, in split order ({""} without a split)
  std::string mediaRoot() const { return m_mediaRoot; }
  std::filesystem::path mediaPath(const Item& item) const;
  const ClassDef* classOf(const Annotation& a) const { return m_schema.findClass(a.classId); }
  std::string className(const Annotation& a) const;

  // Calls fn for every selected item in id order with its live annotations (z order, id).
  // fn returns false to stop. Stops with Cancelled when *cancel becomes true.
  using ItemFn = std::function<bool(std::size_t index, const Item&, const std::vector<Annotation>&)>;
  Status forEach(const ItemFn& fn, std::atomic<bool>* cancel = nullptr) const;

 private:
  explicit ExportSource(const ProjectStore& store) : m_store(store) {}
  const ProjectStore& m_store;
  LabelSchema m_schema;
  std::string m_mediaRoot;
  std::vector<Item> m_items;
  std::vector<std::string> m_subsets;  // parallel to m_items
};

// Shared export helpers
// Copies the item's media to outDir/relPath; reports a missing file as a loss.
void copyMedia(const ExportSource& src, const Item& item, const std::filesystem::path& dest, ExportReport& report);
std::string describe(const Item& item);                        // "item 12 (cat.jpg)"
std::string describe(const Item& item, const Annotation& a);   // "item 12 (cat.jpg), box 77"

// The walk every image format's exporter makes: reports progress, reports text items as lost
// (`formatName` holds images only), and leaves out images that are not yet labelled (no
// annotations and not marked "nothing here"), counting them. fn sees every other item.
Status forEachImageToWrite(const ExportSource& src, const std::string& formatName, const ExportOptions& opts,
                           ExportReport& report, const ExportSource::ItemFn& fn);

// After a walk: a cancelled export is not a failure of the exporter (the report says cancelled and
// the staged output is dropped by the caller); any other error is passed on.
Status cancelIsNotAnError(const Status& walk, ExportReport& report);

}  // namespace lb::labeling::formats
