#include "qc/clean/hamming_search.h"

#include <algorithm>
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
