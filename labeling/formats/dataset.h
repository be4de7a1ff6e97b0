#pragma once
// [SECTION] The format-neutral dataset every importer produces, and what exporters report.
//
// Importers read a peer tool's files into a Dataset (items named as the files name them, their
// annotations with class *names*, the classes the files declare). mergeDataset() then puts it
// into a project: items are matched by media path / content hash / file name, missing classes are
// created, annotations are stored with source "import:<format>".
//
// Exporters stream from the store (see export_source.h) and return an ExportReport that counts
// everything the format could not hold, by kind of loss, with examples: nothing is dropped in
// silence.
//
// Threads: plain data; the functions here run on the thread that owns the store.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::labeling::formats {

enum class Format { Coco, Yolo, Voc, Labelme, Cvat, Doccano, Conll, TextJsonl, TextCsv };

std::string_view toString(Format f);               // "coco", "yolo", ... (CLI spelling)
std::optional<Format> formatFrom(std::string_view s);
std::vector<Format> allFormats();

// One annotation as a file states it. `a.classId` is unused; the class travels by name (and
// scope, derived from the kind). For Relation, a.dataJson {"from": i, "to": j} are indices into
// the owning DatasetItem::annotations.
struct DatasetAnnotation {
  Annotation a;
  std::string className;
};

struct DatasetItem {
  std::string fileName;       // as the file names it (relative, e.g. "JPEGImages/x.jpg"); texts: a key
  std::string mediaFile;      // absolute path of the media found on disk, or ""
  std::string embeddedImage;  // image bytes carried inside the label file (labelme imageData)
  ItemKind kind = ItemKind::Image;
  int widthPx = 0;
  int heightPx = 0;
  std::string text;           // texts and prompts: UTF-8
  std::vector<Response> responses;  // prompts
  bool labelled = true;       // false: the dataset lists the item but no label file exists
  std::string subset;         // "train", "val", ... or ""
  std::vector<DatasetAnnotation> annotations;
  // true when labelled and nothing was found (an empty label file, an image with no objects)
  bool nothingHere() const { return labelled && annotations.empty(); }
};

struct Dataset {
  Format format = Format::Coco;
  std::vector<ClassDef> classes;  // as declared by the files (ids unused), in file order
  std::vector<DatasetItem> items;
  // Files or records that could not be read; the rest was read. Each names the file and why.
  std::vector<std::string> problems;
  // Things read but changed on the way in (e.g. duplicate spans merged), counted like losses.
  std::vector<std::string> notes;

  const ClassDef* findClass(std::string_view name, ClassScope scope) const;
  // Adds the class if it is not declared yet; returns it.
  ClassDef& ensureClass(const std::string& name, ClassScope scope);
};

// The scope a class must have to label this kind of annotation.
ClassScope scopeForKind(AnnotationKind kind);

// [SECTION] Reports

struct Loss {
  std::int64_t count = 0;
  std::vector<std::string> examples;  // up to 5, each naming the item and annotation
};

struct ExportReport {
  std::int64_t items = 0;          // items written
  std::int64_t annotations = 0;    // annotations written (before any merging into one record)
  std::int64_t nothingHere = 0;    // items written as "reviewed, nothing here"
  std::int64_t unlabelledLeftOut = 0;  // items with no labels and not marked nothing-here
  std::vector<std::string> files;  // files written, relative to the output folder
  std::map<std::string, Loss> losses;  // what the format could not hold, by kind of loss
  bool cancelled = false;

  void lose(const std::string& what, const std::string& example);
  std::string summary() const;  // human-readable, one line per loss
};

struct MergeOptions {
  std::string batchName;          // batch for items the project does not have yet
  bool createMissingItems = true;  // false: labels for unknown items are reported and skipped
  UserId userId = 0;
  std::atomic<bool>* cancel = nullptr;
  std::function<void(std::int64_t done, std::int64_t total)> progress;
  // What new annotations record as their source; "" = "import:<format>". Importer plugins give
  // "plugin:<id>@<version>" so results name the plugin that produced them.
  std::string source;
};

struct MergeReport {
  std::int64_t itemsMatched = 0;
  std::int64_t itemsCreated = 0;
  std::int64_t annotationsAdded = 0;
  std::int64_t annotationsAlreadyThere = 0;  // identical annotation already stored: skipped
  std::int64_t classesCreated = 0;
  std::vector<std::string> problems;         // items skipped, media not found, ...
  bool cancelled = false;
};

// Puts the dataset into the project. Each item (with its annotations) is one transaction.
// Errors: only whole-job problems (schema cannot be extended); per-item problems go to the report.
Result<MergeReport> mergeDataset(ProjectStore& store, const Dataset& dataset, const MergeOptions& options);

}  // namespace lb::labeling::formats
