#include "qc/clean/near_dup_search.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <span>

#include "qc/clean/checks.h"
#include "qc/clean/duplicate_groups.h"
#include "qc/clean/hamming_search.h"

namespace lb::qc::clean {

using labeling::ItemId;

// [SECTION] State text

namespace {
constexpr std::uint32_t kStateMagic = 0x444e424cu;  // "LBND"
constexpr std::uint32_t kStateVersion = 1;
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

struct Reader {
  std::string_view in;
  std::size_t at = 0;
  bool ok = true;
  template <typename T>
  T get() {
    T v{};
    if (at + sizeof(T) > in.size()) {
      ok = false;
      return v;
    }
    std::memcpy(&v, in.data() + at, sizeof(T));
    at += sizeof(T);
    return v;
  }
};

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + 2);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8) | std::uint8_t(bytes[i + 2]);
    out += kBase64[v >> 18], out += kBase64[(v >> 12) & 63], out += kBase64[(v >> 6) & 63], out += kBase64[v & 63];
  }
  if (const auto rest = bytes.size() - i; rest > 0) {
    std::uint32_t v = std::uint8_t(bytes[i]) << 16;
    if (rest == 2) v |= std::uint8_t(bytes[i + 1]) << 8;
    out += kBase64[v >> 18], out += kBase64[(v >> 12) & 63];
    out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  static const auto table = [] {
    std::array<std::int8_t, 256> t;
    t.fill(-1);
    for (int k = 0; k < 64; ++k) t[static_cast<std::uint8_t>(kBase64[k])] = static_cast<std::int8_t>(k);
    return t;
  }();
  if (text.size() % 4) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
        v <<= 6;
        continue;
      }
      const auto d = table[static_cast<std::uint8_t>(c)];
      if (d < 0 || pad) return std::nullopt;
      v = (v << 6) | static_cast<std::uint32_t>(d);
    }
    out += static_cast<char>(v >> 16);
    if (pad < 2) out += static_cast<char>((v >> 8) & 255);
    if (pad < 1) out += static_cast<char>(v & 255);
  }
  return out;
}
}  // namespace

std::string serializeNearDupState(const NearDupState& s) {
  std::string bytes;
  bytes.reserve(40 + s.items.size() * 16 + s.pairs.size() * 24);
  put(bytes, kStateMagic);
  put(bytes, kStateVersion);
  put(bytes, static_cast<std::int32_t>(s.radiusBits));
  put(bytes, s.storeLimit);
  put(bytes, static_cast<std::uint64_t>(s.items.size()));
  for (const auto& [id, digest] : s.items) put(bytes, static_cast<std::int64_t>(id)), put(bytes, digest);
  put(bytes, static_cast<std::uint64_t>(s.pairs.size()));
  for (const auto& p : s.pairs) put(bytes, static_cast<std::int64_t>(p.a)), put(bytes, static_cast<std::int64_t>(p.b)), put(bytes, p.score);
  std::string out;
  out.reserve(bytes.size() / 3 * 4 + 8);
  out += '"';
  out += base64(bytes);
  out += '"';
  return out;
}

std::optional<NearDupState> parseNearDupState(std::string_view json) {
  if (json.size() < 2 || json.front() != '"' || json.back() != '"') return std::nullopt;
  const auto bytes = unbase64(json.substr(1, json.size() - 2));
  if (!bytes) return std::nullopt;
  Reader r{*bytes};
  if (r.get<std::uint32_t>() != kStateMagic || r.get<std::uint32_t>() != kStateVersion) return std::nullopt;
  NearDupState s;
  s.radiusBits = r.get<std::int32_t>();
  s.storeLimit = r.get<double>();
  const auto items = r.get<std::uint64_t>();
  if (!r.ok || items > bytes->size() / 16) return std::nullopt;
  s.items.resize(items);
  for (auto& [id, digest] : s.items) id = r.get<std::int64_t>(), digest = r.get<std::uint64_t>();
  const auto pairs = r.get<std::uint64_t>();
  if (!r.ok || pairs > bytes->size() / 24) return std::nullopt;
  s.pairs.resize(pairs);
  for (auto& p : s.pairs) p.a = r.get<std::int64_t>(), p.b = r.get<std::int64_t>(), p.score = r.get<double>();
  if (!r.ok || r.at != bytes->size()) return std::nullopt;
  if (!std::is_sorted(s.items.begin(), s.items.end())) return std::nullopt;
  return s;
}

std::uint64_t nearDupHashDigest(const ImageSignalsRow& r) {
  // Four independent chains (PHash and the three band words), so that the multiplies overlap:
  // this runs over every view of every image on each re-run.
  std::uint64_t h[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull, 0x27D4EB2F165667C5ull};
  auto mix = [](std::uint64_t& x, std::uint64_t v) {
    x ^= v + 0x9E3779B97F4A7C15ull + (x << 6) + (x >> 2);
    x *= 0xff51afd7ed558ccdull;
  };
  mix(h[0], r.views.size());
  for (const auto& v : r.views) {
    mix(h[0], v.phash);
    mix(h[1], v.band[0]);
    mix(h[2], v.band[1]);
    mix(h[3], v.band[2]);
  }
  mix(h[1], r.phashes.size());
  for (auto p : r.phashes) mix(h[2], p);
  std::uint64_t out = h[0];
  for (int k = 1; k < 4; ++k) mix(out, h[k]);
  return out ^ (out >> 31);
}

// [SECTION] Rows

namespace {

std::string count(std::int64_t n) {  // 101,000
  const std::string digits = std::to_string(n);
  std::string s;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) s.push_back(',');
    s.push_back(digits[k]);
  }
  return s;
}

// Each item's row lists its neighbours with their pair scores, so groups can be re-formed at any
// threshold up to the store limit without searching again. `pairs` ascend by (a, b).
void rowsFromPairs(const std::vector<ImageSignalsRow>& images, const std::vector<ViewPair>& pairs, CheckRows& out) {
  const auto* spec = findCheck("near_dup");
  std::vector<std::vector<std::pair<ItemId, double>>> neighbours(images.size());
  DisjointSets sets(images.size());
  for (const auto& p : pairs) {
    neighbours[p.a].emplace_back(images[p.b].id, p.score);
    neighbours[p.b].emplace_back(images[p.a].id, p.score);
    if (isFinding(*spec, p.score, spec->defaultThreshold)) sets.unite(p.a, p.b);
  }
  for (std::uint32_t k = 0; k < images.size(); ++k) {
    if (neighbours[k].empty()) continue;
    double best = 1e9;
    for (const auto& [id, d] : neighbours[k]) best = std::min(best, d);
    out.rows.push_back({images[k].id, best, static_cast<std::int64_t>(images[sets.find(k)].id), neighboursJson(neighbours[k])});
  }
}

}  // namespace

NearDupRun nearDuplicateRows(const std::vector<ImageSignalsRow>& images, const NearDupState* previous,
                             std::int64_t storedRows, const std::atomic<bool>* cancel) {
  const auto* spec = findCheck("near_dup");
  const auto n = static_cast<std::uint32_t>(images.size());
  NearDupRun run;
  run.rows = {"near_dup", {}, 0, ""};
  // Views as the search reads them: the clean pack's, or for items imported before it their
  // PHash variants without band hashes (the view vectors are only made for those).
  std::vector<std::span<const labeling::DupViewHash>> views(n);
  std::vector<std::vector<labeling::DupViewHash>> legacyViews;
  legacyViews.reserve(std::count_if(images.begin(), images.end(), [](const auto& r) { return r.views.empty(); }));
  std::vector<char> hasBand(n, 0);
  std::int64_t legacy = 0, missing = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!images[i].views.empty()) {
      views[i] = images[i].views;
      hasBand[i] = 1;
    } else if (!images[i].phashes.empty()) {
      ++legacy;
      auto& v = legacyViews.emplace_back();
      for (auto h : images[i].phashes) v.push_back({h, {}});
      views[i] = v;
    } else {
      ++missing;
      continue;
    }
    ++run.rows.measured;
  }
  if (missing) run.rows.note = std::to_string(missing) + " images have no perceptual hash (imported without signals)";
  if (legacy)
    run.rows.note += std::string(run.rows.note.empty() ? "" : "; ") + std::to_string(legacy) +
                     " images were imported by an older version (one hash only: crops and rotations are missed; re-import them)";

  run.state.radiusBits = kNearDupRadiusBits;
  run.state.storeLimit = spec->storeLimit;
  std::vector<std::uint64_t> digests(n);
  for (std::uint32_t i = 0; i < n; ++i) digests[i] = nearDupHashDigest(images[i]);
  run.state.items.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) run.state.items.emplace_back(images[i].id, digests[i]);
  std::sort(run.state.items.begin(), run.state.items.end());

  // Which images the previous search covered with the same hashes (clean); the rest are dirty.
  std::vector<char> dirty(n, 1);
  std::vector<std::int64_t> at;  // previous item index -> current index, -1: gone
  std::string fullWhy;
  if (!previous) fullWhy = "no earlier search stored";
  else if (previous->radiusBits != run.state.radiusBits || previous->storeLimit != run.state.storeLimit)
    fullWhy = "search settings changed";
  else {
    at.assign(previous->items.size(), -1);
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto& p = previous->items;
      auto it = std::lower_bound(p.begin(), p.end(), std::pair<ItemId, std::uint64_t>{images[i].id, 0});
      if (it == p.end() || it->first != images[i].id) continue;
      at[static_cast<std::size_t>(it - p.begin())] = i;
      if (it->second == digests[i]) dirty[i] = 0;
    }
    run.removed = std::count(at.begin(), at.end(), -1);
    // The rows now stored must be the ones that state produced: one per image still present
    // with at least one pair (deleting an item deletes its row, not its partners').
    std::vector<ItemId> paired;
    paired.reserve(previous->pairs.size() * 2);
    for (const auto& pr : previous->pairs) paired.push_back(pr.a), paired.push_back(pr.b);
    std::sort(paired.begin(), paired.end());
    paired.erase(std::unique(paired.begin(), paired.end()), paired.end());
    std::int64_t present = 0;
    for (auto id : paired) {
      auto it = std::lower_bound(previous->items.begin(), previous->items.end(), std::pair<ItemId, std::uint64_t>{id, 0});
      present += it != previous->items.end() && it->first == id && at[static_cast<std::size_t>(it - previous->items.begin())] >= 0;
    }
    const auto dirtyCount = std::count(dirty.begin(), dirty.end(), 1);
    if (present != storedRows) fullWhy = "stored rows differ from the last search";
    else if (dirtyCount == 0 && run.removed == 0) {
      run.unchanged = true;
      run.keptPairs = static_cast<std::int64_t>(previous->pairs.size());
      run.how = "hashes unchanged since the last run: stored pairs kept";
      return run;
    }
  }

  std::vector<ViewPair> pairs;
  if (!fullWhy.empty()) {
    run.searched = n;
    pairs = findNearViewPairs(std::span<const std::span<const labeling::DupViewHash>>(views), hasBand, kNearDupRadiusBits,
                              spec->storeLimit, 2, cancel);
    run.how = "all " + count(n) + " images searched (" + fullWhy + ")";
  } else {
    run.incremental = true;
    run.searched = std::count(dirty.begin(), dirty.end(), 1);
    pairs = findNearViewPairsTouching(std::span<const std::span<const labeling::DupViewHash>>(views), hasBand, dirty,
                                      kNearDupRadiusBits, spec->storeLimit, 2, cancel);
    // Pairs between two clean images stand as the last run found them.
    std::int64_t kept = 0;
    for (const auto& pr : previous->pairs) {
      auto ia = std::lower_bound(previous->items.begin(), previous->items.end(), std::pair<ItemId, std::uint64_t>{pr.a, 0});
      auto ib = std::lower_bound(previous->items.begin(), previous->items.end(), std::pair<ItemId, std::uint64_t>{pr.b, 0});
      if (ia == previous->items.end() || ia->first != pr.a || ib == previous->items.end() || ib->first != pr.b) continue;
      const auto a = at[static_cast<std::size_t>(ia - previous->items.begin())];
      const auto b = at[static_cast<std::size_t>(ib - previous->items.begin())];
      if (a < 0 || b < 0 || dirty[a] || dirty[b]) continue;
      const auto lo = static_cast<std::uint32_t>(std::min(a, b)), hi = static_cast<std::uint32_t>(std::max(a, b));
      pairs.push_back({lo, hi, 0, 0, pr.score});
      ++kept;
    }
    run.keptPairs = kept;
    std::sort(pairs.begin(), pairs.end(), [](const ViewPair& x, const ViewPair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    run.how = count(run.searched) + " new or changed images searched against " + count(n) + "; " + count(kept) +
              " stored pairs kept";
    if (run.removed) run.how += "; pairs of " + count(run.removed) + " deleted images dropped";
  }
  if (cancel && cancel->load()) return run;
  rowsFromPairs(images, pairs, run.rows);
  run.state.pairs.reserve(pairs.size());
  for (const auto& p : pairs) {
    const ItemId a = images[p.a].id, b = images[p.b].id;
    run.state.pairs.push_back({std::min(a, b), std::max(a, b), p.score});
  }
  std::sort(run.state.pairs.begin(), run.state.pairs.end(),
            [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  return run;
}

}  // namespace lb::qc::clean
