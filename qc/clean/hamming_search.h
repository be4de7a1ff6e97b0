#pragma once
// [SECTION] Near-duplicate search over 64-bit perceptual hashes without comparing all pairs.
//
// Multi-index hashing (Norouzi et al. 2012): the 64 bits are cut into four 16-bit chunks, each
// indexed in its own table. Two hashes within distance r <= 11 agree to within 2 bits on at least
// one chunk (pigeonhole: four chunks each >= 3 apart would be >= 12), so probing every chunk
// value within 2 bits (137 probes per chunk) finds every candidate; candidates are verified with
// a popcount. Pure computation, any thread.
#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "labeling/import/image_signals.h"

namespace lb::qc::clean {

inline constexpr int kMaxHammingRadius = 11;

struct HashPair {
  std::uint32_t a = 0;  // indices into the input (a < b)
  std::uint32_t b = 0;
  int distance = 0;
};

// For each entry i, `queries[i]` are the hashes of i's variants (itself, crops, rotations, ...)
// and `indexed[i]` the one hash it is indexed under. Returns each pair (i, j) once with the
// smallest distance between any variant of one and the indexed hash of the other, if <= radius.
std::vector<HashPair> findNearPairs(std::span<const std::uint64_t> indexed,
                                    std::span<const std::vector<std::uint64_t>> queries, int radius);

// Near-duplicate search over views (see labeling::DupView). Every view of every image is
// indexed under its PHash; each image's full view is the query. A candidate (a view of i within
// `radius` PHash bits of j's full view, found through a 16-bit chunk that differs in at most one
// bit: certain up to 7 bits, most pairs up to `radius`) is scored
//   score = PHash bits + band bits / 3  (0..128)
// on that view, keeping the view with the lowest score per pair. Images without band hashes
// (imported before the clean pack: hasBand false) score 3 x PHash bits instead. Runs on
// `threads` threads; pure computation.
struct ViewPair {
  std::uint32_t a = 0;  // indices into the input (a < b)
  std::uint32_t b = 0;
  int phashBits = 0;
  int bandBits = 0;
  double score = 0;
};
std::vector<ViewPair> findNearViewPairs(std::span<const std::vector<labeling::DupViewHash>> views,
                                        std::span<const char> hasBand, int radius, double maxScore, int threads = 2,
                                        const std::atomic<bool>* cancel = nullptr);
// With `cancel` set while it runs, stops within one chunk of 256 images per thread and returns
// what it found so far (callers that cancel discard it).
std::vector<ViewPair> findNearViewPairs(std::span<const std::span<const labeling::DupViewHash>> views,
                                        std::span<const char> hasBand, int radius, double maxScore, int threads = 2,
                                        const std::atomic<bool>* cancel = nullptr);

// The pairs findNearViewPairs would return that have at least one image with dirty[i] set, at a
// cost in proportion to the dirty images (plus one pass over the other images' views): their
// views are indexed and probed by every full view, and every other view looks up the dirty full
// views filed under each chunk value within one bit. Same candidates, same scores.
std::vector<ViewPair> findNearViewPairsTouching(std::span<const std::span<const labeling::DupViewHash>> views,
                                                std::span<const char> hasBand, std::span<const char> dirty, int radius,
                                                double maxScore, int threads = 2, const std::atomic<bool>* cancel = nullptr);

// Union-find over n elements.
class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n);
  std::uint32_t find(std::uint32_t x);
  void unite(std::uint32_t a, std::uint32_t b);

 private:
  std::vector<std::uint32_t> m_parent;
};

}  // namespace lb::qc::clean
