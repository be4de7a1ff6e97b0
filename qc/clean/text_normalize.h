#pragma once
// [SECTION] Text helpers for cleaning: UTF-8 <-> code points, the duplicate-normal form, and
// character n-gram near-duplicate search (MinHash + LSH). Pure functions, any thread.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lb::qc::clean {

// Invalid bytes become U+FFFD (one per bad byte).
std::u32string toCodePoints(std::string_view utf8);
std::string toUtf8(std::u32string_view cps);

// The form two texts are compared in for exact duplicates: NFKC with case folding (full-width
// letters/digits become half-width, case is folded), then whitespace, punctuation and symbols
// dropped. "Ｈｅｌｌｏ， 世界！" and "hello世界" have the same form.
std::u32string duplicateForm(std::string_view utf8);

struct TextPair {
  std::uint32_t a = 0;  // indices into the input, a < b
  std::uint32_t b = 0;
  double jaccard = 0;   // exact Jaccard similarity of the two character 3-gram sets
};

// Pairs of texts whose character 3-gram sets have Jaccard >= minJaccard, found with MinHash
// signatures banded for LSH (no all-pairs comparison) and verified exactly. Texts shorter than
// 3 code points compare as one gram. `threads` workers compute signatures.
std::vector<TextPair> findNearTexts(const std::vector<std::u32string>& forms, double minJaccard, int threads = 2);

}  // namespace lb::qc::clean
