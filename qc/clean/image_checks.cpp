#include "qc/clean/image_checks.h"

#include <algorithm>
#include <map>
#include <optional>

#include <SQLiteCpp/Statement.h>
#include <opencv2/imgcodecs.hpp>

#include "labeling/store/sqlite_project_store.h"
#include <unordered_map>

#include "labeling/import/image_decode.h"
#include "labeling/import/image_signals.h"
#include "qc/clean/duplicate_groups.h"
#include "qc/clean/hamming_search.h"
#include "qc/clean/near_dup_search.h"

namespace lb::qc::clean {

using labeling::ItemId;
namespace keys = labeling::signal_keys;

namespace {
void applyPack(ImageSignalsRow& r, labeling::CleanPack&& p) {
  r.blur = p.blur;
  r.lumaP05 = p.lumaP05;
  r.lumaP95 = p.lumaP95;
  r.entropy = p.entropy;
  r.chroma = p.chroma;
  r.pixelHash.assign(p.pixelHash.begin(), p.pixelHash.end());
  r.views = std::move(p.views);  // 46 views: a copy per image showed in every re-run
}
}  // namespace

std::optional<ImageSignalsRow> duplicateSignalsFromFile(const std::string& path) {
  std::vector<unsigned char> bytes;
  if (!labeling::readFileInto(path, bytes)) return std::nullopt;
  if (bytes.empty()) return std::nullopt;
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, bytes.data());
  cv::Mat gray;
  int scale = 1;
  try {
    const bool jpeg = bytes.size() > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
    int flags = cv::IMREAD_GRAYSCALE;
    scale = 1;
    if (jpeg) {
      scale = 8;
      // The header's size decides the scale; a cheap probe is the 1/8 decode itself.
      gray = cv::imdecode(buffer, cv::IMREAD_REDUCED_GRAYSCALE_8);
      if (!gray.empty() && std::max(gray.cols, gray.rows) < 128) flags = cv::IMREAD_REDUCED_GRAYSCALE_2, gray.release(), scale = 2;
    }
    if (gray.empty()) {
      gray = cv::imdecode(buffer, flags);
      scale = flags == cv::IMREAD_REDUCED_GRAYSCALE_2 ? 2 : 1;
    }
  } catch (const cv::Exception&) {
    return std::nullopt;
  }
  if (gray.empty()) return std::nullopt;
  ImageSignalsRow r;
  r.fileHash = labeling::sha256Hex(bytes.data(), bytes.size());
  r.widthPx = gray.cols;
  r.heightPx = gray.rows;
  r.decodeScale = scale;
  r.views = labeling::computeDupViews(gray);
  return r;
}

void applySignals(ImageSignalsRow& r, const std::vector<labeling::NewItem::Signal>& signals) {
  for (const auto& s : signals) {
    if (s.key == keys::kCleanPack) {
      if (auto p = labeling::parseCleanPack(s.blob.data(), s.blob.size())) applyPack(r, std::move(*p));
    } else if (s.key == keys::kPHash && s.blob.size() == 8 && r.phashes.empty()) {
      r.phashes.push_back(labeling::pHashToU64(s.blob.data()));
    }
  }
}

std::vector<ImageSignalsRow> loadImageSignals(const labeling::ProjectStore& store) {
  std::vector<ImageSignalsRow> rows;
  std::vector<std::size_t> legacy;  // rows without a clean pack
  if (const auto* sqlite = dynamic_cast<const labeling::SqliteProjectStore*>(&store)) {
    SQLite::Statement q(sqlite->database(),
                        "SELECT i.id, i.width_px, i.height_px, i.content_hash, s.blob FROM items i "
                        "LEFT JOIN signals s ON s.key = ? AND s.item_id = i.id WHERE i.kind = ? ORDER BY i.id");
    q.bind(1, keys::kCleanPack);
    q.bind(2, std::string(labeling::toString(labeling::ItemKind::Image)));
    while (q.executeStep()) {
      ImageSignalsRow r;
      r.id = q.getColumn(0).getInt64();
      r.widthPx = q.getColumn(1).getInt();
      r.heightPx = q.getColumn(2).getInt();
      r.fileHash = q.getColumn(3).getString();
      const auto blob = q.getColumn(4);
      std::optional<labeling::CleanPack> pack;
      if (!blob.isNull()) pack = labeling::parseCleanPack(static_cast<const unsigned char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
      if (pack) applyPack(r, std::move(*pack));
      else legacy.push_back(rows.size());
      rows.push_back(std::move(r));
    }
  } else {
    labeling::ItemFilter f;
    f.kind = labeling::ItemKind::Image;
    f.includeExcluded = true;
    f.withText = false;
    for (const auto& item : store.items(f)) {
      legacy.push_back(rows.size());
      ImageSignalsRow r;
      r.id = item.id;
      r.widthPx = item.widthPx;
      r.heightPx = item.heightPx;
      r.fileHash = item.contentHash;
      rows.push_back(std::move(r));
    }
  }
  if (legacy.empty()) return rows;
  // Items imported before the clean pack: their signals are separate rows, one query per key.
  std::unordered_map<ItemId, std::size_t> index;
  for (auto k : legacy) index.emplace(rows[k].id, k);
  auto each = [&](const char* key, auto&& fn) {
    for (auto& [id, s] : store.signals(key)) {
      auto it = index.find(id);
      if (it != index.end()) fn(rows[it->second], s);
    }
  };
  each(keys::kPixelHash, [](ImageSignalsRow& r, auto& s) { r.pixelHash = std::move(s.blob); });
  each(keys::kPHashVariants, [](ImageSignalsRow& r, auto& s) {
    if (auto v = labeling::parsePHashVariants(s.blob)) r.phashes.assign(v->begin(), v->end());
  });
  each(keys::kPHash, [](ImageSignalsRow& r, auto& s) {
    if (r.phashes.empty() && s.blob.size() == 8) r.phashes.push_back(labeling::pHashToU64(s.blob.data()));
  });
  each(keys::kBlur, [](ImageSignalsRow& r, auto& s) { r.blur = s.number; });
  each(keys::kLumaP05, [](ImageSignalsRow& r, auto& s) { r.lumaP05 = s.number; });
  each(keys::kLumaP95, [](ImageSignalsRow& r, auto& s) { r.lumaP95 = s.number; });
  each(keys::kLumaEntropy, [](ImageSignalsRow& r, auto& s) { r.entropy = s.number; });
  each(keys::kChroma, [](ImageSignalsRow& r, auto& s) { r.chroma = s.number; });
  return rows;
}

namespace {

bool wanted(const std::vector<std::string>& checks, std::string_view name) {
  return checks.empty() || std::find(checks.begin(), checks.end(), name) != checks.end();
}

// Exact duplicates: same file bytes (pair score 0) or same decoded pixels (1). Each member links
// to the group's first item (a star), which is enough for union-find regrouping.
CheckRows exactDuplicates(const std::vector<ImageSignalsRow>& images) {
  CheckRows out{"exact_dup", {}, static_cast<std::int64_t>(images.size()), ""};
  const auto n = static_cast<std::uint32_t>(images.size());
  DisjointSets sets(n);
  // Views into the rows' own strings and bytes: no copy per image (this runs on every re-run).
  std::unordered_map<std::string_view, std::uint32_t> byFile, byPixels;
  byFile.reserve(n);
  byPixels.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (auto [it, fresh] = byFile.emplace(images[i].fileHash, i); !fresh) sets.unite(i, it->second);
    if (images[i].pixelHash.empty()) continue;
    const std::string_view px(reinterpret_cast<const char*>(images[i].pixelHash.data()), images[i].pixelHash.size());
    if (auto [it, fresh] = byPixels.emplace(px, i); !fresh) sets.unite(i, it->second);
  }
  // Groups in order of their first member (a set's root is its smallest index), singles skipped.
  std::vector<std::uint32_t> size(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) ++size[sets.find(i)];
  std::map<std::uint32_t, std::vector<std::uint32_t>> groups;
  for (std::uint32_t i = 0; i < n; ++i)
    if (const auto root = sets.find(i); size[root] > 1) groups[root].push_back(i);
  for (const auto& [root, members] : groups) {
    if (members.size() < 2) continue;
    for (auto m : members) {
      std::vector<std::pair<ItemId, double>> links;
      double best = 1;
      for (auto o : members) {
        if (o == m) continue;
        // Star around the first member, plus the member's own link to it.
        if (m != members.front() && o != members.front()) continue;
        const double s = images[o].fileHash == images[m].fileHash ? 0 : 1;
        best = std::min(best, s);
        links.emplace_back(images[o].id, s);
      }
      out.rows.push_back({images[m].id, best, static_cast<std::int64_t>(images[members.front()].id), neighboursJson(links)});
    }
  }
  return out;
}

// One row per image with a measured value inside the check's store limit.
template <typename Score>
CheckRows scalar(const std::vector<ImageSignalsRow>& images, std::string_view name, Score score) {
  const auto* spec = findCheck(name);
  CheckRows out{std::string(name), {}, 0, ""};
  for (const auto& img : images) {
    const double s = score(img);
    if (s < 0) continue;  // not measured
    ++out.measured;
    if (worthStoring(*spec, s)) out.rows.push_back({img.id, s, 0, "{}"});
  }
  if (out.measured < static_cast<std::int64_t>(images.size()))
    out.note = std::to_string(images.size() - out.measured) + " images lack the signal (imported by an older version)";
  return out;
}

}  // namespace

std::vector<CheckRows> computeImageChecks(const std::vector<ImageSignalsRow>& images,
                                          const std::vector<std::string>& checks,
                                          const std::atomic<bool>* cancel) {
  std::vector<CheckRows> out;
  auto stopped = [cancel] { return cancel && cancel->load(); };
  if (wanted(checks, "exact_dup")) out.push_back(exactDuplicates(images));
  if (stopped()) return out;
  if (wanted(checks, "near_dup")) out.push_back(nearDuplicateRows(images, nullptr, 0, cancel).rows);
  if (stopped()) return out;
  if (wanted(checks, "blur")) out.push_back(scalar(images, "blur", [](const auto& r) { return r.blur; }));
  if (wanted(checks, "dark")) out.push_back(scalar(images, "dark", [](const auto& r) { return r.lumaP95; }));
  if (wanted(checks, "bright")) out.push_back(scalar(images, "bright", [](const auto& r) { return r.lumaP05; }));
  if (wanted(checks, "low_info")) out.push_back(scalar(images, "low_info", [](const auto& r) { return r.entropy; }));
  if (wanted(checks, "grayscale")) out.push_back(scalar(images, "grayscale", [](const auto& r) { return r.chroma; }));
  if (wanted(checks, "odd_aspect"))
    out.push_back(scalar(images, "odd_aspect", [](const auto& r) {
      if (r.widthPx <= 0 || r.heightPx <= 0) return -1.0;
      return static_cast<double>(std::max(r.widthPx, r.heightPx)) / std::min(r.widthPx, r.heightPx);
    }));
  if (wanted(checks, "small"))
    out.push_back(scalar(images, "small", [](const auto& r) {
      return r.widthPx <= 0 ? -1.0 : static_cast<double>(std::min(r.widthPx, r.heightPx));
    }));
  return out;
}

}  // namespace lb::qc::clean
