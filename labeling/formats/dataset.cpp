// [SECTION] Dataset helpers, export reports and merging an imported dataset into a project.
#include "labeling/formats/dataset.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "labeling/import/image_decode.h"

namespace lb::labeling::formats {

namespace fs = std::filesystem;

namespace {
constexpr std::pair<Format, const char*> kFormatNames[] = {
    {Format::Coco, "coco"},       {Format::Yolo, "yolo"},       {Format::Voc, "voc"},
    {Format::Labelme, "labelme"}, {Format::Cvat, "cvat"},       {Format::Doccano, "doccano"},
    {Format::Conll, "conll"},     {Format::TextJsonl, "jsonl"}, {Format::TextCsv, "csv"},
};
}  // namespace

std::string_view toString(Format f) {
  for (const auto& [k, n] : kFormatNames)
    if (k == f) return n;
  return "?";
}

std::optional<Format> formatFrom(std::string_view s) {
  for (const auto& [k, n] : kFormatNames)
    if (s == n) return k;
  return std::nullopt;
}

std::vector<Format> allFormats() {
  std::vector<Format> out;
  for (const auto& [k, n] : kFormatNames) out.push_back(k);
  return out;
}

const ClassDef* Dataset::findClass(std::string_view name, ClassScope scope) const {
  for (const auto& c : classes)
    if (c.name == name && c.scope == scope) return &c;
  return nullptr;
}

ClassDef& Dataset::ensureClass(const std::string& name, ClassScope scope) {
  for (auto& c : classes)
    if (c.name == name && c.scope == scope) return c;
  ClassDef c;
  c.name = name;
  c.scope = scope;
  classes.push_back(c);
  return classes.back();
}

ClassScope scopeForKind(AnnotationKind kind) {
  switch (kind) {
    case AnnotationKind::Tag: return ClassScope::ImageTag;
    case AnnotationKind::DocClass: return ClassScope::Document;
    case AnnotationKind::Span: return ClassScope::Span;
    case AnnotationKind::Relation: return ClassScope::Relation;
    default: return ClassScope::Object;
  }
}

void ExportReport::lose(const std::string& what, const std::string& example) {
  Loss& l = losses[what];
  ++l.count;
  if (l.examples.size() < 5) l.examples.push_back(example);
}

std::string ExportReport::summary() const {
  std::ostringstream s;
  s << items << " items, " << annotations << " annotations written";
  if (nothingHere) s << " (" << nothingHere << " items marked 'nothing here')";
  s << "\n";
  if (unlabelledLeftOut)
    s << "left out " << unlabelledLeftOut << " items that are not labelled yet\n";
  for (const auto& [what, l] : losses) {
    s << "not held by the format: " << what << ": " << l.count;
    if (!l.examples.empty()) s << " (e.g. " << l.examples.front() << ")";
    s << "\n";
  }
  return s.str();
}

// [SECTION] Merge

namespace {

const char* kPalette[] = {"#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4",
                          "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990"};

std::string baseName(const std::string& p) { return fs::path(p).filename().string(); }

bool sameAnnotation(const Annotation& x, const Annotation& y) {
  if (x.kind != y.kind || x.classId != y.classId || x.coords.size() != y.coords.size()) return false;
  for (std::size_t i = 0; i < x.coords.size(); ++i)
    if (std::abs(x.coords[i] - y.coords[i]) > 1e-6) return false;
  return x.dataJson == y.dataJson && x.attributesJson == y.attributesJson;
}

std::string sanitize(const std::string& name) {
  std::string out;
  for (char c : name) out += (c == '/' || c == '\\' || c == ':') ? '_' : c;
  return out;
}

// The dataset's relative path kept as folders, minus anything that could climb out ("..", a root).
fs::path safeRelative(const std::string& name) {
  fs::path out;
  for (const auto& part : fs::path(name).relative_path()) {
    const std::string s = part.string();
    if (s.empty() || s == "." || s == "..") continue;
    out /= sanitize(s);
  }
  return out.empty() ? fs::path("item") : out;
}

// Where a new item's media will live: under the media root as it is, or copied into
// <media root>/media/<batch>/ when it lies outside (or only exists inside a label file).
Result<std::string> placeMedia(const std::string& mediaRoot, const std::string& batchName, const DatasetItem& d,
                               std::string& absPath) {
  const fs::path root = fs::weakly_canonical(mediaRoot);
  std::error_code ec;
  if (!d.mediaFile.empty()) {
    const fs::path p = fs::weakly_canonical(d.mediaFile, ec);
    const auto rel = p.lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..") {
      absPath = p.string();
      return rel.generic_string();
    }
  }
  const fs::path dest = root / "media" / sanitize(batchName) / safeRelative(d.fileName);
  fs::create_directories(dest.parent_path(), ec);
  if (!d.mediaFile.empty()) {
    fs::copy_file(d.mediaFile, dest, fs::copy_options::skip_existing, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot copy " + d.mediaFile + " to " + dest.string() + ": " + ec.message());
  } else {
    std::ofstream out(dest, std::ios::binary);
    out.write(d.embeddedImage.data(), static_cast<std::streamsize>(d.embeddedImage.size()));
    if (!out) return makeError(ErrorCode::Io, "cannot write " + dest.string());
  }
  absPath = dest.string();
  return dest.lexically_relative(root).generic_string();
}

}  // namespace

Result<MergeReport> mergeDataset(ProjectStore& store, const Dataset& dataset, const MergeOptions& options) {
  MergeReport report;
  const std::string source =
      options.source.empty() ? "import:" + std::string(toString(dataset.format)) : options.source;

  // Classes: create what the project lacks (matched by name and scope).
  LabelSchema schema = store.schema();
  bool schemaChanged = false;
  auto addClass = [&](const ClassDef& c) {
    if (schema.findClass(c.name) && schema.findClass(c.name)->scope == c.scope) {
      for (auto& pc : schema.classes)
        if (pc.name == c.name && pc.scope == c.scope && pc.keypointNames.empty() && !c.keypointNames.empty()) {
          pc.keypointNames = c.keypointNames;
          pc.skeletonEdges = c.skeletonEdges;
          schemaChanged = true;
        }
      // Remember the id the client's file gives an existing class (the first one stays).
      for (auto& pc : schema.classes)
        if (pc.name == c.name && pc.scope == c.scope)
          for (const auto& [format, id] : c.sourceIds)
            if (pc.sourceIds.emplace(format, id).second) schemaChanged = true;
      return;
    }
    for (const auto& pc : schema.classes)
      if (pc.name == c.name && pc.scope == c.scope) return;
    ClassDef n = c;
    n.id = 0;
    n.color = kPalette[schema.classes.size() % 10];
    n.hotkey.clear();
    schema.classes.push_back(n);
    schemaChanged = true;
    ++report.classesCreated;
  };
  for (const auto& c : dataset.classes) addClass(c);
  for (const auto& d : dataset.items)
    for (const auto& da : d.annotations)
      if (!da.className.empty()) {
        ClassDef c;
        c.name = da.className;
        c.scope = scopeForKind(da.a.kind);
        addClass(c);
      }
  if (schemaChanged) {
    if (auto st = store.setSchema(schema); !st) return st.error();
    schema = store.schema();
  }
  auto classIdOf = [&](const std::string& name, AnnotationKind kind) -> ClassId {
    if (name.empty()) return 0;
    const ClassScope scope = scopeForKind(kind);
    for (const auto& c : schema.classes)
      if (c.name == name && c.scope == scope) return c.id;
    return 0;
  };

  // Project items, indexed for matching: media path, base name (if unique), content hash. A
  // batch often holds byte-identical copies under different names, so a name that matches wins
  // over the hash, and among items sharing a hash the one with the same base name (else the
  // first imported) gets the labels.
  ItemFilter all;
  all.includeExcluded = true;
  all.withText = false;
  std::unordered_map<std::string, ItemId> byPath, byBase;
  std::unordered_map<std::string, std::vector<ItemId>> byHash;
  std::unordered_map<ItemId, std::string> baseOf;
  std::unordered_map<std::string, int> baseCount;
  for (const auto& it : store.items(all)) {
    if (!it.mediaPath.empty()) {
      byPath[it.mediaPath] = it.id;
      const auto b = baseName(it.mediaPath);
      byBase[b] = it.id;
      baseOf[it.id] = b;
      ++baseCount[b];
    }
    if (!it.contentHash.empty()) byHash[it.contentHash].push_back(it.id);
  }
  auto byHashFor = [&](const std::string& hash, const std::string& fileName) -> ItemId {
    const auto f = byHash.find(hash);
    if (hash.empty() || f == byHash.end() || f->second.empty()) return 0;
    const auto b = baseName(fileName);
    for (ItemId id : f->second)
      if (baseOf.count(id) && baseOf[id] == b) return id;
    return f->second.front();
  };
  const std::string mediaRoot = store.info().mediaRoot;
  const std::string batchName = options.batchName.empty() ? source : options.batchName;
  BatchId batch = 0;

  const auto total = static_cast<std::int64_t>(dataset.items.size());
  std::int64_t done = 0;
  for (const auto& d : dataset.items) {
    if (options.cancel && options.cancel->load()) {
      report.cancelled = true;
      break;
    }
    if (options.progress) options.progress(done, total);
    ++done;

    // 1. Match.
    ItemId id = 0;
    std::string hash;
    if (d.kind == ItemKind::Image) {
      if (auto f = byPath.find(d.fileName); f != byPath.end()) id = f->second;
      if (!id) {
        const auto b = baseName(d.fileName);
        if (auto f = byBase.find(b); f != byBase.end() && baseCount[b] == 1) id = f->second;
      }
      if (!id && (!d.mediaFile.empty() || !d.embeddedImage.empty())) {
        if (!d.mediaFile.empty()) {
          if (auto bytes = readFileBytes(d.mediaFile)) hash = sha256Hex(bytes->data(), bytes->size());
        } else {
          hash = sha256Hex(reinterpret_cast<const unsigned char*>(d.embeddedImage.data()), d.embeddedImage.size());
        }
        id = byHashFor(hash, d.fileName);
      }
    } else {
      hash = sha256Hex(reinterpret_cast<const unsigned char*>(d.text.data()), d.text.size());
      id = byHashFor(hash, "");
    }

    std::vector<Annotation> anns;
    for (const auto& da : d.annotations) {
      Annotation a = da.a;
      a.classId = classIdOf(da.className, a.kind);
      a.source = source;
      a.authorId = 0;
      anns.push_back(a);
    }
    const bool hasRelations = std::any_of(anns.begin(), anns.end(),
                                          [](const Annotation& a) { return a.kind == AnnotationKind::Relation; });

    Status st = store.transaction([&]() -> Status {
      if (!id) {
        if (!options.createMissingItems) {
          report.problems.push_back(d.fileName + ": no such item in the project; labels skipped");
          return okStatus();
        }
        if (!batch) {
          auto b = store.createBatch(batchName, dataset.format == Format::Coco ? "labels" : batchName);
          if (!b) return b.error();
          batch = *b;
        }
        NewItem n;
        if (d.kind == ItemKind::Image) {
          std::string abs;
          if (!d.mediaFile.empty() || !d.embeddedImage.empty()) {
            auto rel = placeMedia(mediaRoot, batchName, d, abs);
            if (!rel) return rel.error();
            auto prepared = prepareImage(abs, d.fileName, 400'000'000);
            if (prepared) n = std::move(*prepared);
            else report.problems.push_back(d.fileName + ": " + prepared.error().message);
            n.item.mediaPath = *rel;
          } else {
            n.item.mediaPath = d.fileName;
            report.problems.push_back(d.fileName + ": media not found beside the labels; item created without it "
                                      "(put the image at that path under the media root)");
          }
          n.item.kind = ItemKind::Image;
          if (!n.item.widthPx) n.item.widthPx = d.widthPx;
          if (!n.item.heightPx) n.item.heightPx = d.heightPx;
          n.item.sourceKey = n.item.contentHash.empty() ? source + ":" + d.fileName : "sha256:" + n.item.contentHash;
        } else {
          n.item.kind = d.kind;
          n.item.text = d.text;
          n.item.responses = d.responses;
          n.item.contentHash = hash;
          n.item.sourceEncoding = "UTF-8";
          n.item.fileSizeBytes = static_cast<std::int64_t>(d.text.size());
          n.item.sourceKey = "sha256:" + hash;
          std::int64_t cps = 0;
          for (unsigned char c : d.text) cps += (c & 0xC0) != 0x80;
          n.item.lengthCodePoints = cps;
        }
        if (store.hasSourceKey(n.item.sourceKey)) n.item.sourceKey += ":" + std::to_string(nowMs());
        n.item.batchId = batch;
        n.item.nothingHere = d.nothingHere();
        auto newId = store.insertItem(n);
        if (!newId) return newId.error();
        id = *newId;
        ++report.itemsCreated;
        if (!n.item.contentHash.empty()) byHash[n.item.contentHash].push_back(id);
      } else {
        ++report.itemsMatched;
        if (d.nothingHere()) {
          if (auto s = store.setNothingHere(id, true); !s) return s;
        }
      }
      // 2. Annotations: identical ones already stored are skipped so that importing twice adds nothing.
      const auto existing = store.annotations(id, true);
      std::vector<AnnotationId> newIds(anns.size(), 0);
      for (std::size_t i = 0; i < anns.size(); ++i) {
        Annotation a = anns[i];
        a.itemId = id;
        if (a.kind == AnnotationKind::Relation) continue;
        auto same = std::find_if(existing.begin(), existing.end(), [&](const Annotation& e) { return sameAnnotation(e, a); });
        if (same != existing.end()) {
          newIds[i] = same->id;
          ++report.annotationsAlreadyThere;
          continue;
        }
        auto r = store.insertAnnotation(a);
        if (!r) return r.error();
        newIds[i] = *r;
        ++report.annotationsAdded;
      }
      if (hasRelations) {
        for (std::size_t i = 0; i < anns.size(); ++i) {
          if (anns[i].kind != AnnotationKind::Relation) continue;
          Annotation a = anns[i];
          a.itemId = id;
          auto j = nlohmann::json::parse(a.dataJson);
          const auto from = j.value("from", -1), to = j.value("to", -1);
          if (from < 0 || to < 0 || from >= static_cast<int>(newIds.size()) || to >= static_cast<int>(newIds.size())) {
            report.problems.push_back(d.fileName + ": a relation points at a missing entity; skipped");
            continue;
          }
          j["from"] = newIds[from];
          j["to"] = newIds[to];
          a.dataJson = j.dump();
          auto same = std::find_if(existing.begin(), existing.end(), [&](const Annotation& e) { return sameAnnotation(e, a); });
          if (same != existing.end()) {
            ++report.annotationsAlreadyThere;
            continue;
          }
          auto r = store.insertAnnotation(a);
          if (!r) return r.error();
          ++report.annotationsAdded;
        }
      }
      return okStatus();
    });
    if (!st) report.problems.push_back(d.fileName + ": " + st.error().message);
  }
  if (options.progress) options.progress(done, total);
  return report;
}

}  // namespace lb::labeling::formats
