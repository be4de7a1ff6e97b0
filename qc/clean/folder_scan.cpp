#include "qc/clean/folder_scan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "qc/clean/checks.h"
#include "qc/clean/hamming_search.h"
#include "qc/clean/image_checks.h"

namespace lb::qc::clean {

namespace fs = std::filesystem;

namespace {

bool imageName(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* e : {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})
    if (ext == e) return true;
  return false;
}

// Groups from union-find over `n` rows; keeper by pixel count, then path order (rows are sorted).
std::vector<FolderGroup> groupsOf(DisjointSets& sets, const std::vector<std::string>& names,
                                  const std::vector<ImageSignalsRow>& rows) {
  std::map<std::uint32_t, std::vector<std::uint32_t>> comps;
  for (std::uint32_t i = 0; i < rows.size(); ++i) comps[sets.find(i)].push_back(i);
  std::vector<FolderGroup> out;
  for (const auto& [root, members] : comps) {
    if (members.size() < 2) continue;
    FolderGroup g;
    std::uint32_t best = members.front();
    auto area = [&](std::uint32_t k) {
      const std::int64_t s = rows[k].decodeScale;
      return static_cast<std::int64_t>(rows[k].widthPx) * s * rows[k].heightPx * s;
    };
    for (auto m : members) {
      g.files.push_back(names[m]);
      if (area(m) > area(best)) best = m;
    }
    g.keeper = names[best];
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.files.front() < b.files.front(); });
  return out;
}

}  // namespace

Result<FolderScan> scanFolder(const std::string& dir, const FolderScanOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return makeError(ErrorCode::NotFound, dir + ": not a folder; give the folder of images to scan");
  const auto* spec = findCheck("near_dup");
  const double threshold = options.threshold < 0 ? spec->defaultThreshold : options.threshold;
  if (threshold > spec->storeLimit)
    return makeError(ErrorCode::InvalidArgument, "--threshold " + std::to_string(threshold) + " is beyond " +
                                                     std::to_string(spec->storeLimit) + " (the largest near_dup score searched)");
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && imageName(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  FolderScan out;
  std::vector<ImageSignalsRow> rows;
  std::vector<std::string> names;
  const auto total = static_cast<std::int64_t>(files.size());
  for (std::int64_t k = 0; k < total; ++k) {
    if (options.cancel && options.cancel->load()) return makeError(ErrorCode::Cancelled, "scan cancelled");
    const std::string rel = fs::relative(files[k], dir, ec).generic_string();
    if (auto r = duplicateSignalsFromFile(files[k].string())) {
      r->id = static_cast<labeling::ItemId>(rows.size() + 1);
      rows.push_back(std::move(*r));
      names.push_back(rel.empty() ? files[k].string() : rel);
    } else {
      out.unreadable.push_back(rel);
    }
    if (options.progress) options.progress(k + 1, total);
  }
  out.images = static_cast<std::int64_t>(rows.size());

  DisjointSets exact(rows.size());
  std::unordered_map<std::string, std::uint32_t> byHash;
  for (std::uint32_t i = 0; i < rows.size(); ++i)
    if (auto [it, fresh] = byHash.emplace(rows[i].fileHash, i); !fresh) exact.unite(i, it->second);
  out.exact = groupsOf(exact, names, rows);

  // The near_dup check's own rows: each lists its neighbours with pair scores.
  const auto checks = computeImageChecks(rows, {"near_dup"}, options.cancel);
  if (options.cancel && options.cancel->load()) return makeError(ErrorCode::Cancelled, "scan cancelled");
  DisjointSets near(rows.size());
  for (const auto& c : checks)
    for (const auto& f : c.rows) {
      const auto j = nlohmann::json::parse(f.detailJson, nullptr, false);
      if (j.is_discarded() || !j.contains("n")) continue;
      for (const auto& pair : j["n"])
        if (pair.is_array() && pair.size() == 2 && isFinding(*spec, pair[1].get<double>(), threshold))
          near.unite(static_cast<std::uint32_t>(f.itemId - 1), static_cast<std::uint32_t>(pair[0].get<labeling::ItemId>() - 1));
    }
  out.near = groupsOf(near, names, rows);
  return out;
}

}  // namespace lb::qc::clean
