#include "qc/clean/hamming_search.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <bit>
#include <numeric>
#include <unordered_map>

namespace lb::qc::clean {

namespace {
// Chunk values within 2 bits of 0, as XOR masks (1 + 16 + 120 = 137).
const std::vector<std::uint16_t>& probeMasks() {
  static const std::vector<std::uint16_t> masks = [] {
    std::vector<std::uint16_t> m{0};
    for (int i = 0; i < 16; ++i) m.push_back(static_cast<std::uint16_t>(1u << i));
    for (int i = 0; i < 16; ++i)
      for (int j = i + 1; j < 16; ++j) m.push_back(static_cast<std::uint16_t>((1u << i) | (1u << j)));
    return m;
  }();
  return masks;
}

// Compressed bucket table: ids of the entries whose chunk c equals v are
// ids[offsets[v] .. offsets[v + 1]).
struct ChunkTable {
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> ids;
};

std::uint16_t chunk(std::uint64_t h, int c) { return static_cast<std::uint16_t>(h >> (16 * c)); }
}  // namespace

std::vector<HashPair> findNearPairs(std::span<const std::uint64_t> indexed,
                                    std::span<const std::vector<std::uint64_t>> queries, int radius) {
  radius = std::min(radius, kMaxHammingRadius);
  const auto n = static_cast<std::uint32_t>(indexed.size());
  ChunkTable tables[4];
  for (int c = 0; c < 4; ++c) {
    auto& t = tables[c];
    t.offsets.assign(65537, 0);
    for (std::uint32_t i = 0; i < n; ++i) ++t.offsets[chunk(indexed[i], c) + 1];
    std::partial_sum(t.offsets.begin(), t.offsets.end(), t.offsets.begin());
    t.ids.resize(n);
    std::vector<std::uint32_t> fill(t.offsets.begin(), t.offsets.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) t.ids[fill[chunk(indexed[i], c)]++] = i;
  }
  // Best distance per (i, j), i < j.
  std::unordered_map<std::uint64_t, int> best;
  const auto& masks = probeMasks();
  std::vector<std::uint32_t> seen;
  for (std::uint32_t i = 0; i < n && i < queries.size(); ++i) {
    for (const std::uint64_t q : queries[i]) {
      for (int c = 0; c < 4; ++c) {
        const auto& t = tables[c];
        const std::uint16_t v = chunk(q, c);
        for (const std::uint16_t m : masks) {
          const std::uint16_t probe = v ^ m;
          for (std::uint32_t k = t.offsets[probe]; k < t.offsets[probe + 1]; ++k) {
            const std::uint32_t j = t.ids[k];
            if (j == i) continue;
            const int d = std::popcount(q ^ indexed[j]);
            if (d > radius) continue;
            const std::uint64_t key = (static_cast<std::uint64_t>(std::min(i, j)) << 32) | std::max(i, j);
            auto [it, inserted] = best.emplace(key, d);
            if (!inserted && d < it->second) it->second = d;
          }
        }
      }
    }
  }
  std::vector<HashPair> out;
  out.reserve(best.size());
  for (const auto& [key, d] : best)
    out.push_back({static_cast<std::uint32_t>(key >> 32), static_cast<std::uint32_t>(key & 0xffffffffu), d});
  std::sort(out.begin(), out.end(), [](const HashPair& x, const HashPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return out;
}

namespace {

using ViewList = std::span<const labeling::DupViewHash>;

struct ViewIndex {
  // Per 16-bit chunk: (image, view) entries in bucket order with their hashes alongside, so a
  // bucket scan reads contiguous memory.
  struct Table {
    std::vector<std::uint32_t> offsets, entries;
    std::vector<std::uint64_t> hashes;
  } tables[4];
  std::vector<std::uint32_t> owner;
  std::vector<std::uint8_t> viewOf;
};

ViewIndex buildViewIndex(std::span<const ViewList> views) {
  const auto n = static_cast<std::uint32_t>(views.size());
  ViewIndex index;
  std::uint32_t m = 0;
  for (const auto& v : views) m += static_cast<std::uint32_t>(v.size());
  index.owner.reserve(m);
  index.viewOf.reserve(m);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::size_t v = 0; v < views[i].size(); ++v) {
      index.owner.push_back(i);
      index.viewOf.push_back(static_cast<std::uint8_t>(v));
    }
  }
  auto hashOf = [&](std::uint32_t e) { return views[index.owner[e]][index.viewOf[e]].phash; };
  for (int c = 0; c < 4; ++c) {
    auto& t = index.tables[c];
    t.offsets.assign(65537, 0);
    for (std::uint32_t e = 0; e < m; ++e) ++t.offsets[chunk(hashOf(e), c) + 1];
    std::partial_sum(t.offsets.begin(), t.offsets.end(), t.offsets.begin());
    t.entries.resize(m);
    t.hashes.resize(m);
    std::vector<std::uint32_t> fill(t.offsets.begin(), t.offsets.end() - 1);
    for (std::uint32_t e = 0; e < m; ++e) {
      const std::uint64_t h = hashOf(e);
      const auto k = fill[chunk(h, c)]++;
      t.entries[k] = e;
      t.hashes[k] = h;
    }
  }
  return index;
}

constexpr std::uint16_t kMasks1[17] = {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};

// A bucket table keyed by 16-bit chunk values for few entries: a bit per key says whether its
// bucket holds anything, and only the keys that do get a slot range (numbered by rank), so a
// lookup reads an 8 KB bitmap and tables the size of the entries instead of 256 KB of offsets.
struct SparseTable {
  std::vector<std::uint64_t> filled;    // 1024 words
  std::vector<std::uint32_t> wordRank;  // filled keys before each word
  std::vector<std::uint32_t> start;     // first slot per filled key, in key order, and the end
  std::vector<std::uint32_t> ids;       // per slot
  std::vector<std::uint64_t> hashes;    // per slot: the hash it was filed with
};

// `each(emit)` calls emit(key, id, hash) once per entry; it is called twice (count, then fill).
template <typename Each>
SparseTable buildSparse(Each each) {
  SparseTable t;
  std::vector<std::uint32_t> count(65536, 0);
  each([&](std::uint16_t key, std::uint32_t, std::uint64_t) { ++count[key]; });
  t.filled.assign(1024, 0);
  t.wordRank.assign(1024, 0);
  std::vector<std::uint32_t> fill(65536, 0);
  std::uint32_t rank = 0, slot = 0;
  for (std::uint32_t key = 0; key < 65536; ++key) {
    if ((key & 63) == 0) t.wordRank[key >> 6] = rank;
    if (!count[key]) continue;
    t.filled[key >> 6] |= 1ull << (key & 63);
    t.start.push_back(slot);
    fill[key] = slot;
    slot += count[key];
    ++rank;
  }
  t.start.push_back(slot);
  t.ids.resize(slot);
  t.hashes.resize(slot);
  each([&](std::uint16_t key, std::uint32_t id, std::uint64_t hash) {
    const auto k = fill[key]++;
    t.ids[k] = id;
    t.hashes[k] = hash;
  });
  return t;
}

// Slots [first, second) filed under `key` (empty when none).
[[gnu::always_inline]] inline std::pair<std::uint32_t, std::uint32_t> bucket(const SparseTable& t, std::uint16_t key) {
  const std::uint64_t w = t.filled[key >> 6];
  if (!(w >> (key & 63) & 1)) return {0, 0};
  const std::uint32_t r = t.wordRank[key >> 6] + static_cast<std::uint32_t>(__builtin_popcountll(w & ((1ull << (key & 63)) - 1)));
  return {t.start[r], t.start[r + 1]};
}

// What the search touching the dirty images reads besides the views: (1) the dirty images'
// views by chunk, probed by every full view as in the full search; (2) the dirty images' full
// views filed under every chunk value within one bit of theirs, looked up by every view of the
// other images: the same (view, query) candidates as a probe from the query's side.
struct TouchIndex {
  SparseTable dirtyViews[4];
  std::vector<std::uint32_t> owner;
  std::vector<std::uint8_t> viewOf;
  SparseTable dirtyQueries[4];
};

TouchIndex buildTouchIndex(std::span<const ViewList> views, std::span<const char> dirty) {
  TouchIndex t;
  const auto n = static_cast<std::uint32_t>(views.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!dirty[i]) continue;
    for (std::size_t v = 0; v < views[i].size(); ++v) {
      t.owner.push_back(i);
      t.viewOf.push_back(static_cast<std::uint8_t>(v));
    }
  }
  const auto m = static_cast<std::uint32_t>(t.owner.size());
  for (int c = 0; c < 4; ++c) {
    t.dirtyViews[c] = buildSparse([&](auto emit) {
      for (std::uint32_t e = 0; e < m; ++e) {
        const std::uint64_t h = views[t.owner[e]][t.viewOf[e]].phash;
        emit(chunk(h, c), e, h);
      }
    });
    t.dirtyQueries[c] = buildSparse([&](auto emit) {
      for (std::uint32_t q = 0; q < n; ++q)
        if (dirty[q] && !views[q].empty())
          for (const std::uint16_t mask : kMasks1) emit(static_cast<std::uint16_t>(chunk(views[q].front().phash, c) ^ mask), q, views[q].front().phash);
    });
  }
  return t;
}

struct ScanInput {
  const ViewIndex* index;  // full search
  std::span<const ViewList> views;
  std::span<const char> hasBand;
  int radius;
  double maxScore;
  const TouchIndex* touch = nullptr;  // search touching the dirty images
  std::span<const char> dirty;
};

// One candidate: view x of image i against the full view of image q. Both scans below score
// through here, so a pair found from either side scores the same.
[[gnu::always_inline]] inline void consider(const ScanInput& in, std::uint32_t i, const labeling::DupViewHash& x,
                                            std::uint32_t q, const labeling::DupViewHash& full, int d1,
                                            std::vector<ViewPair>& out) {
  const bool band = in.hasBand[i] && in.hasBand[q];
  int d2 = 0;
  if (band)
    d2 = __builtin_popcountll(x.band[0] ^ full.band[0]) + __builtin_popcountll(x.band[1] ^ full.band[1]) +
         __builtin_popcountll(x.band[2] ^ full.band[2]);
  const double score = band ? d1 + d2 / 3.0 : 3.0 * d1;
  if (score > in.maxScore) return;
  out.push_back({std::min(i, q), std::max(i, q), d1, d2, score});
}

// The scan bodies, inlined into two callers each: one compiled for the POPCNT instruction
// (chosen at run time when the CPU has it; the build targets plain x86-64, where a popcount is a
// library call and took most of the search time) and a plain one.
[[gnu::always_inline]] inline void scanBody(const ScanInput& in, std::uint32_t from, std::uint32_t to, std::vector<ViewPair>& out) {
  for (std::uint32_t q = from; q < to; ++q) {
    if (in.views[q].empty()) continue;
    const auto& full = in.views[q].front();
    // All 68 bucket ranges first, each bucket's first line prefetched, then the scans: the
    // buckets are scattered over tens of megabytes, so waiting for them one by one dominated.
    std::uint32_t from68[68], to68[68];
    for (int c = 0, r = 0; c < 4; ++c) {
      const auto& tb = in.index->tables[c];
      const std::uint16_t v = chunk(full.phash, c);
      for (const std::uint16_t mask : kMasks1) {
        const std::uint16_t probe = v ^ mask;
        from68[r] = tb.offsets[probe];
        to68[r] = tb.offsets[probe + 1];
        __builtin_prefetch(tb.hashes.data() + from68[r]);
        __builtin_prefetch(tb.entries.data() + from68[r]);
        ++r;
      }
    }
    for (int c = 0, r = 0; c < 4; ++c) {
      const auto& tb = in.index->tables[c];
      for (int p = 0; p < 17; ++p, ++r) {
        const std::uint32_t end = to68[r];
        for (std::uint32_t k = from68[r]; k < end; ++k) {
          const int d1 = __builtin_popcountll(full.phash ^ tb.hashes[k]);
          if (d1 > in.radius) continue;
          const std::uint32_t e = tb.entries[k];
          const std::uint32_t i = in.index->owner[e];
          if (i == q) continue;
          consider(in, i, in.views[i][in.index->viewOf[e]], q, full, d1, out);
        }
      }
    }
  }
}

// Every full view in [from, to) against the dirty images' views: scanBody on a sparse table.
[[gnu::always_inline]] inline void touchForward(const ScanInput& in, std::uint32_t from, std::uint32_t to,
                                                std::vector<ViewPair>& out) {
  const TouchIndex& t = *in.touch;
  for (std::uint32_t q = from; q < to; ++q) {
    if (in.views[q].empty()) continue;
    const auto& full = in.views[q].front();
    // Bucket ranges first with their first lines prefetched, then the scans (as scanBody).
    std::uint32_t first[68], last[68], tab[68];
    int r = 0;
    for (int c = 0; c < 4; ++c) {
      const std::uint16_t v = chunk(full.phash, c);
      for (const std::uint16_t mask : kMasks1) {
        const auto [a, b] = bucket(t.dirtyViews[c], static_cast<std::uint16_t>(v ^ mask));
        if (a == b) continue;
        __builtin_prefetch(t.dirtyViews[c].hashes.data() + a);
        first[r] = a, last[r] = b, tab[r] = static_cast<std::uint32_t>(c), ++r;
      }
    }
    for (int p = 0; p < r; ++p) {
      const auto& tb = t.dirtyViews[tab[p]];
      for (std::uint32_t k = first[p]; k < last[p]; ++k) {
        const int d1 = __builtin_popcountll(full.phash ^ tb.hashes[k]);
        if (d1 > in.radius) continue;
        const std::uint32_t e = tb.ids[k];
        const std::uint32_t i = t.owner[e];
        if (i == q) continue;
        consider(in, i, in.views[i][t.viewOf[e]], q, full, d1, out);
      }
    }
  }
}

// Every view of the clean images in [from, to) against the dirty images' full views.
[[gnu::always_inline]] inline void touchReverse(const ScanInput& in, std::uint32_t from, std::uint32_t to,
                                                std::vector<ViewPair>& out) {
  const TouchIndex& t = *in.touch;
  for (std::uint32_t i = from; i < to; ++i) {
    if (in.dirty[i]) continue;
    for (const auto& x : in.views[i])
      for (int c = 0; c < 4; ++c) {
        const auto& tb = t.dirtyQueries[c];
        const auto [a, b] = bucket(tb, chunk(x.phash, c));
        for (std::uint32_t k = a; k < b; ++k) {
          const int d1 = __builtin_popcountll(tb.hashes[k] ^ x.phash);
          if (d1 > in.radius) continue;
          const std::uint32_t q = tb.ids[k];
          consider(in, i, x, q, in.views[q].front(), d1, out);
        }
      }
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt")))
#endif
void scanHardware(const ScanInput& in, std::uint32_t from, std::uint32_t to, std::vector<ViewPair>& out) {
  scanBody(in, from, to, out);
}
void scanPlain(const ScanInput& in, std::uint32_t from, std::uint32_t to, std::vector<ViewPair>& out) {
  scanBody(in, from, to, out);
}
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt")))
#endif
void touchingHardware(const ScanInput& in, std::uint32_t from, std::uint32_t to, std::vector<ViewPair>& out) {
  touchForward(in, from, to, out);
  touchReverse(in, from, to, out);
}
void touchingPlain(const ScanInput& in, std::uint32_t from, std::uint32_t to, std::vector<ViewPair>& out) {
  touchForward(in, from, to, out);
  touchReverse(in, from, to, out);
}

bool hardwarePopcount() {
#if defined(__x86_64__) && defined(__GNUC__)
  return __builtin_cpu_supports("popcnt");
#else
  return false;
#endif
}

// Runs `scan` over [0, n) in chunks of 256 images on `threads` threads.
template <typename Scan>
void inParallel(std::uint32_t n, int threads, const std::atomic<bool>* cancel, std::vector<std::vector<ViewPair>>& found,
                Scan scan) {
  std::atomic<std::uint32_t> next{0};
  auto work = [&](int t) {
    for (std::uint32_t j; (j = next.fetch_add(256)) < n;) {
      if (cancel && cancel->load(std::memory_order_relaxed)) break;
      scan(j, std::min(n, j + 256), found[t]);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
}

// One row per pair: the lowest score (a pair is seen from both sides and through several views).
std::vector<ViewPair> lowestPerPair(std::vector<std::vector<ViewPair>>& found) {
  std::vector<ViewPair> all;
  for (auto& f : found) all.insert(all.end(), f.begin(), f.end());
  std::sort(all.begin(), all.end(), [](const ViewPair& x, const ViewPair& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    return x.score < y.score;
  });
  all.erase(std::unique(all.begin(), all.end(), [](const ViewPair& x, const ViewPair& y) { return x.a == y.a && x.b == y.b; }), all.end());
  return all;
}

std::vector<ViewList> asLists(std::span<const std::vector<labeling::DupViewHash>> views) {
  std::vector<ViewList> out;
  out.reserve(views.size());
  for (const auto& v : views) out.emplace_back(v);
  return out;
}

}  // namespace

std::vector<ViewPair> findNearViewPairs(std::span<const std::vector<labeling::DupViewHash>> views,
                                        std::span<const char> hasBand, int radius, double maxScore, int threads,
                                        const std::atomic<bool>* cancel) {
  const auto lists = asLists(views);
  return findNearViewPairs(std::span<const ViewList>(lists), hasBand, radius, maxScore, threads, cancel);
}

std::vector<ViewPair> findNearViewPairs(std::span<const std::span<const labeling::DupViewHash>> views,
                                        std::span<const char> hasBand, int radius, double maxScore, int threads,
                                        const std::atomic<bool>* cancel) {
  const auto n = static_cast<std::uint32_t>(views.size());
  const ViewIndex index = buildViewIndex(views);
  const ScanInput in{&index, views, hasBand, radius, maxScore};
  const bool hw = hardwarePopcount();
  threads = std::max(1, threads);
  std::vector<std::vector<ViewPair>> found(threads);
  inParallel(n, threads, cancel, found, [&](std::uint32_t from, std::uint32_t to, std::vector<ViewPair>& out) {
    if (hw) scanHardware(in, from, to, out);
    else scanPlain(in, from, to, out);
  });
  return lowestPerPair(found);
}

std::vector<ViewPair> findNearViewPairsTouching(std::span<const std::span<const labeling::DupViewHash>> views,
                                                std::span<const char> hasBand, std::span<const char> dirty, int radius,
                                                double maxScore, int threads, const std::atomic<bool>* cancel) {
  const auto n = static_cast<std::uint32_t>(views.size());
  const TouchIndex touch = buildTouchIndex(views, dirty);
  const ScanInput in{nullptr, views, hasBand, radius, maxScore, &touch, dirty};
  const bool hw = hardwarePopcount();
  threads = std::max(1, threads);
  std::vector<std::vector<ViewPair>> found(threads);
  inParallel(n, threads, cancel, found, [&](std::uint32_t from, std::uint32_t to, std::vector<ViewPair>& out) {
    if (hw) touchingHardware(in, from, to, out);
    else touchingPlain(in, from, to, out);
  });
  return lowestPerPair(found);
}

DisjointSets::DisjointSets(std::size_t n) : m_parent(n) { std::iota(m_parent.begin(), m_parent.end(), 0u); }

std::uint32_t DisjointSets::find(std::uint32_t x) {
  while (m_parent[x] != x) {
    m_parent[x] = m_parent[m_parent[x]];
    x = m_parent[x];
  }
  return x;
}

void DisjointSets::unite(std::uint32_t a, std::uint32_t b) {
  a = find(a);
  b = find(b);
  if (a == b) return;
  // The smaller index becomes the root, so a group's root is its first member.
  if (a < b) m_parent[b] = a; else m_parent[a] = b;
}

}  // namespace lb::qc::clean
