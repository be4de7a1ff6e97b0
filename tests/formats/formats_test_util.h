#pragma once
// Helpers for the format tests: reading the peers' files, a scratch project, round trips and a
// canonical description of a dataset to compare models.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "labeling/formats/formats.h"
#include "labeling/store/project_store.h"
#include "support/test_support.h"

namespace lb::test {

namespace lf = lb::labeling::formats;
namespace fs = std::filesystem;

inline fs::path interop(const std::string& rel) { return fs::path(LB_INTEROP_DIR) / rel; }

inline lf::Dataset mustImport(lf::Format f, const fs::path& p) {
  auto r = lf::importDataset(f, p);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return {};
  return std::move(*r);
}

inline const lf::DatasetItem* findItem(const lf::Dataset& ds, const std::string& fileNameEnd) {
  for (const auto& it : ds.items)
    if (it.fileName.size() >= fileNameEnd.size() &&
        it.fileName.compare(it.fileName.size() - fileNameEnd.size(), fileNameEnd.size(), fileNameEnd) == 0)
      return &it;
  return nullptr;
}

inline int countClass(const lf::DatasetItem& it, const std::string& cls) {
  return static_cast<int>(std::count_if(it.annotations.begin(), it.annotations.end(),
                                        [&](const lf::DatasetAnnotation& d) { return d.className == cls; }));
}

struct ScratchProject {
  TempDir dir;
  std::unique_ptr<labeling::ProjectStore> store;
  ScratchProject() {
    auto s = labeling::createProject(dir.file("p.lbproj"));
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    store = std::move(*s);
  }
  lf::MergeReport merge(const lf::Dataset& ds) {
    auto r = lf::mergeDataset(*store, ds, {});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : lf::MergeReport{};
  }
  lf::ExportReport exportTo(lf::Format f, const fs::path& out, lf::ExportOptions opts = {}) {
    auto src = lf::ExportSource::open(*store, opts.filter);
    EXPECT_TRUE(src.ok());
    auto r = lf::exportDataset(f, *src, out, opts);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : lf::ExportReport{};
  }
};

// What a format holds, for comparing models after a round trip.
struct Held {
  bool attributes = true, occluded = true, groups = true, zOrder = true, data = true;
  double tolerance_px = 1e-6;
};

// One entry per annotation: a key without coordinates (kind, class, attributes, flags, renamed
// group, payload) and the coordinates; sorted by key, then by coordinates.
struct Canon {
  std::string key;
  std::vector<double> coords;
  bool operator<(const Canon& o) const { return key != o.key ? key < o.key : coords < o.coords; }
};

// A relation's ends by what they are, not by their position in the item.
inline std::string describeEnd(const lf::DatasetItem& it, int index) {
  if (index < 0 || index >= static_cast<int>(it.annotations.size())) return "?";
  const auto& d = it.annotations[static_cast<std::size_t>(index)];
  std::ostringstream s;
  s << labeling::toString(d.a.kind) << ":" << d.className;
  for (double c : d.a.coords) s << "," << c;
  return s.str();
}

inline std::vector<Canon> canonical(const lf::DatasetItem& it, const Held& h) {
  std::map<int, int> groupName;
  std::vector<Canon> out;
  for (const auto& d : it.annotations) {
    if (d.a.kind == labeling::AnnotationKind::Relation) {
      const auto j = nlohmann::json::parse(d.a.dataJson);
      out.push_back({"relation|" + d.className + "|" + describeEnd(it, j.value("from", -1)) + "->" +
                         describeEnd(it, j.value("to", -1)),
                     {}});
      continue;
    }
    std::ostringstream s;
    s << labeling::toString(d.a.kind) << "|" << d.className << "|";
    if (h.attributes) s << "|" << nlohmann::json::parse(d.a.attributesJson).dump();
    if (h.occluded) s << "|occ" << d.a.occluded;
    if (h.groups && d.a.groupId) s << "|g" << groupName.try_emplace(d.a.groupId, static_cast<int>(groupName.size()) + 1).first->second;
    if (h.zOrder) s << "|z" << d.a.zOrder;
    if (h.data) s << "|" << nlohmann::json::parse(d.a.dataJson).dump();
    std::vector<double> c;
    for (double v : d.a.coords) c.push_back(std::round(v * 10) / 10);  // coarse, for ordering only
    out.push_back({s.str(), c});
    out.back().coords = d.a.coords;
  }
  std::sort(out.begin(), out.end(), [](const Canon& a, const Canon& b) {
    if (a.key != b.key) return a.key < b.key;
    for (std::size_t i = 0; i < std::min(a.coords.size(), b.coords.size()); ++i)
      if (std::round(a.coords[i] * 10) != std::round(b.coords[i] * 10)) return a.coords[i] < b.coords[i];
    return a.coords.size() < b.coords.size();
  });
  return out;
}

inline void expectSameAnnotations(const std::vector<Canon>& a, const std::vector<Canon>& b, double tol,
                                  const std::string& where) {
  ASSERT_EQ(a.size(), b.size()) << where;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].key, b[i].key) << where << " annotation " << i;
    ASSERT_EQ(a[i].coords.size(), b[i].coords.size()) << where << " " << a[i].key;
    for (std::size_t k = 0; k < a[i].coords.size(); ++k)
      EXPECT_NEAR(a[i].coords[k], b[i].coords[k], tol) << where << " " << a[i].key << " coord " << k;
  }
}

inline std::string itemKey(const lf::DatasetItem& it) {
  return it.kind == labeling::ItemKind::Image ? fs::path(it.fileName).filename().string() : it.text;
}

// Expects both datasets to hold the same labelled items with the same annotations.
inline void expectSameModel(const lf::Dataset& a, const lf::Dataset& b, const Held& h) {
  std::map<std::string, const lf::DatasetItem*> mb;
  for (const auto& it : b.items) mb[itemKey(it)] = &it;
  std::size_t labelled = 0;
  for (const auto& it : a.items) {
    if (!it.labelled) continue;
    ++labelled;
    auto f = mb.find(itemKey(it));
    ASSERT_NE(f, mb.end()) << "item " << it.fileName << " missing after the round trip";
    expectSameAnnotations(canonical(it, h), canonical(*f->second, h), h.tolerance_px, "item " + it.fileName);
    EXPECT_EQ(it.nothingHere(), f->second->nothingHere()) << "item " << it.fileName;
    if (it.kind == labeling::ItemKind::Image && it.widthPx) {
      EXPECT_EQ(it.widthPx, f->second->widthPx) << it.fileName;
      EXPECT_EQ(it.heightPx, f->second->heightPx) << it.fileName;
    }
  }
  std::size_t labelledB = 0;
  for (const auto& it : b.items) labelledB += it.labelled;
  EXPECT_EQ(labelled, labelledB);
}

inline lf::Dataset roundTrip(lf::Format f, const lf::Dataset& ds, lf::ExportOptions opts = {},
                             lf::ExportReport* reportOut = nullptr) {
  ScratchProject p;
  p.merge(ds);
  const auto out = p.dir.path() / "out";
  auto report = p.exportTo(f, out, opts);
  if (reportOut) *reportOut = report;
  return mustImport(f, out);
}

}  // namespace lb::test
