#include "qc/clean/text_normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <thread>

namespace lb::qc::clean {

std::u32string toCodePoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (!ok || overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string toUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size() * 3);
  for (char32_t c : cps) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::u32string duplicateForm(std::string_view utf8) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(err);
  const auto src = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded = U_SUCCESS(err) ? nfkc->normalize(src, err) : src;
  if (U_FAILURE(err)) folded = src;
  std::u32string out;
  out.reserve(folded.length());
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) || u_ispunct(c)) continue;
    const auto type = u_charType(c);
    if (type == U_MATH_SYMBOL || type == U_CURRENCY_SYMBOL || type == U_MODIFIER_SYMBOL || type == U_OTHER_SYMBOL ||
        type == U_CONTROL_CHAR || type == U_FORMAT_CHAR)
      continue;
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Sorted, unique 3-gram hashes of one text (32 bits: collisions among one text's few hundred
// grams are negligible and halve the memory for a million texts).
std::vector<std::uint32_t> grams(const std::u32string& s) {
  std::vector<std::uint32_t> g;
  if (s.empty()) return g;
  if (s.size() < 3) {
    std::uint64_t h = 0;
    for (char32_t c : s) h = mix(h ^ c);
    g.push_back(static_cast<std::uint32_t>(h));
    return g;
  }
  g.reserve(s.size() - 2);
  for (std::size_t i = 0; i + 3 <= s.size(); ++i)
    g.push_back(static_cast<std::uint32_t>(
        mix((static_cast<std::uint64_t>(s[i]) << 42) ^ (static_cast<std::uint64_t>(s[i + 1]) << 21) ^ s[i + 2])));
  std::sort(g.begin(), g.end());
  g.erase(std::unique(g.begin(), g.end()), g.end());
  return g;
}

double jaccard(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) {
  std::size_t i = 0, j = 0, common = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) ++i;
    else if (y[j] < x[i]) ++j;
    else { ++common; ++i; ++j; }
  }
  const std::size_t uni = x.size() + y.size() - common;
  return uni == 0 ? 1.0 : static_cast<double>(common) / uni;
}

// 20 bands of 3 rows: a pair with Jaccard s shares a band with probability 1 - (1 - s^3)^20,
// 0.92 at s = 0.5 and > 0.999 at s = 0.7; the exact check afterwards removes false candidates.
constexpr int kBands = 20;
constexpr int kRows = 3;
constexpr int kPerms = kBands * kRows;
// Buckets larger than this are linked as a chain after a check against their first member,
// so a text repeated 10,000 times costs 10,000 comparisons, not 50 million.
constexpr std::size_t kBucketAllPairs = 64;

}  // namespace

std::vector<TextPair> findNearTexts(const std::vector<std::u32string>& forms, double minJaccard, int threads) {
  const auto n = static_cast<std::uint32_t>(forms.size());
  std::vector<std::vector<std::uint32_t>> gramSets(n);
  // 32-bit band keys, item-major; chance collisions only add candidates that verification drops.
  std::vector<std::uint32_t> bandKeys(static_cast<std::size_t>(n) * kBands);
  std::uint64_t seeds[kPerms];
  for (int p = 0; p < kPerms; ++p) seeds[p] = mix(0x1234567ull + p);
  auto work = [&](std::uint32_t from, std::uint32_t to) {
    std::uint64_t sig[kPerms];
    for (std::uint32_t i = from; i < to; ++i) {
      gramSets[i] = grams(forms[i]);
      std::fill(std::begin(sig), std::end(sig), ~0ull);
      for (const auto g : gramSets[i])
        for (int p = 0; p < kPerms; ++p) sig[p] = std::min(sig[p], mix(g ^ seeds[p]));
      for (int b = 0; b < kBands; ++b) {
        std::uint64_t key = 0x9E37ull + b;
        for (int r = 0; r < kRows; ++r) key = mix(key ^ sig[b * kRows + r]);
        // Empty texts get a key of their own (they are "too short", not duplicates of each other).
        if (gramSets[i].empty()) key = mix(i * 31ull + b);
        bandKeys[static_cast<std::size_t>(i) * kBands + b] = static_cast<std::uint32_t>(key);
      }
    }
  };
  threads = std::max(1, threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back(work, static_cast<std::uint32_t>(static_cast<std::uint64_t>(n) * t / threads),
                      static_cast<std::uint32_t>(static_cast<std::uint64_t>(n) * (t + 1) / threads));
  for (auto& t : pool) t.join();

  // Candidate pairs band by band (key << 32 | index, sorted), then exact verification.
  std::vector<std::uint64_t> candidates;
  std::vector<std::uint64_t> band(n);
  for (int b = 0; b < kBands; ++b) {
    for (std::uint32_t i = 0; i < n; ++i)
      band[i] = (static_cast<std::uint64_t>(bandKeys[static_cast<std::size_t>(i) * kBands + b]) << 32) | i;
    std::sort(band.begin(), band.end());
    for (std::size_t s = 0; s < band.size();) {
      std::size_t e = s + 1;
      while (e < band.size() && (band[e] >> 32) == (band[s] >> 32)) ++e;
      const std::size_t size = e - s;
      auto idx = [&](std::size_t k) { return band[k] & 0xffffffffull; };
      if (size > 1) {
        if (size <= kBucketAllPairs) {
          for (std::size_t i = s; i < e; ++i)
            for (std::size_t j = i + 1; j < e; ++j) candidates.push_back((idx(i) << 32) | idx(j));
        } else {
          for (std::size_t i = s + 1; i < e; ++i) candidates.push_back((idx(s) << 32) | idx(i));
        }
      }
      s = e;
    }
  }
  std::vector<std::uint64_t>().swap(band);
  std::vector<std::uint32_t>().swap(bandKeys);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<TextPair> out;
  for (const auto c : candidates) {
    const auto a = static_cast<std::uint32_t>(c >> 32), b = static_cast<std::uint32_t>(c & 0xffffffffu);
    const double j = jaccard(gramSets[a], gramSets[b]);
    if (j >= minJaccard) out.push_back({std::min(a, b), std::max(a, b), j});
  }
  return out;
}

}  // namespace lb::qc::clean
