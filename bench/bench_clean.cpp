// bench_clean: cleaning checks against the corpus generator's ground truth, next to
// findimagedupes on the same files in the same run, plus scale runs.
//
//   corpus_gen --out /tmp/c1080 --count 2000 --size 1080p
//   corpus_gen --out /tmp/c12mp --count 2000 --size 12mp
//   bench_clean --corpus /tmp/c1080 [--corpus12 /tmp/c12mp] [--no-peer] [--rows 100000] [--new 1000] [--lines 1000000]
//
// Prints, per corpus: end-to-end near-duplicate time from files (the import's own
// prepareImage: read, hash, DCT-scaled decode, thumbnail, signals; then the search) and
// pairwise precision/recall, the same for `findimagedupes` (default threshold), and
// precision/recall of blur, dark and bright at the project defaults. Then, over N synthetic
// images stored in a project: the first run, a re-run with nothing new, a re-run after N/100 new
// imports (a tenth of them near copies of old images; a full search of the same project follows
// to show both store the same rows; --new K for another count), cancel latency and a threshold
// change; and text near-duplicates on M generated Chinese lines. `--rows 100000 --lines 0` runs
// only the synthetic images.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <opencv2/core/utility.hpp>

#include "labeling/import/image_decode.h"
#include "labeling/import/image_signals.h"
#include "labeling/store/sqlite_project_store.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/findings_repository.h"
#include "qc/clean/hamming_search.h"
#include "qc/clean/image_checks.h"
#include "qc/clean/near_dup_search.h"
#include "qc/clean/text_normalize.h"

namespace fs = std::filesystem;
using namespace lb;
using namespace lb::labeling;
namespace clean = lb::qc::clean;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Truth {
  std::string file, kind, source, transform;
};

std::vector<Truth> readTruth(const fs::path& dir) {
  std::ifstream in(dir / "ground_truth.csv");
  std::vector<Truth> out;
  std::string line;
  std::getline(in, line);  // header: file,kind,source,transform,width,height
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    Truth t;
    std::getline(ss, t.file, ',');
    std::getline(ss, t.kind, ',');
    std::getline(ss, t.source, ',');
    std::getline(ss, t.transform, ',');
    out.push_back(t);
  }
  return out;
}

using PairSet = std::set<std::pair<int, int>>;

PairSet pairsOfGroups(const std::vector<std::vector<int>>& groups) {
  PairSet out;
  for (const auto& g : groups)
    for (std::size_t i = 0; i < g.size(); ++i)
      for (std::size_t j = i + 1; j < g.size(); ++j) out.insert({std::min(g[i], g[j]), std::max(g[i], g[j])});
  return out;
}

struct PR {
  double precision = 0, recall = 0;
  std::size_t tp = 0, fp = 0, fn = 0;
};

PR score(const PairSet& predicted, const PairSet& truth) {
  PR r;
  for (const auto& p : predicted) (truth.count(p) ? r.tp : r.fp)++;
  for (const auto& p : truth) r.fn += !predicted.count(p);
  r.precision = predicted.empty() ? 1 : static_cast<double>(r.tp) / (r.tp + r.fp);
  r.recall = truth.empty() ? 1 : static_cast<double>(r.tp) / (r.tp + r.fn);
  return r;
}

void printPR(const char* what, const PR& r) {
  std::printf("  %-44s precision %.3f  recall %.3f  (tp %zu, fp %zu, fn %zu)\n", what, r.precision, r.recall, r.tp, r.fp, r.fn);
}

// Keeps only pairs whose both files are of the given kinds.
PairSet restrict(const PairSet& s, const std::vector<Truth>& truth, const std::set<std::string>& kinds) {
  PairSet out;
  for (const auto& p : s)
    if (kinds.count(truth[p.first].kind) && kinds.count(truth[p.second].kind)) out.insert(p);
  return out;
}

void imageCorpus(const fs::path& dir, bool peer, const char* label) {
  double leanS = 1;
  const auto truth = readTruth(dir);
  if (truth.empty()) {
    std::printf("%s: no ground_truth.csv in %s\n", label, dir.c_str());
    return;
  }
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < static_cast<int>(truth.size()); ++i) index[truth[i].file] = i;
  std::printf("\n== %s: %zu images in %s ==\n", label, truth.size(), dir.c_str());

  // Truth groups: each original with everything made from it.
  std::map<int, std::vector<int>> family;
  for (int i = 0; i < static_cast<int>(truth.size()); ++i) {
    const int root = truth[i].source.empty() ? i : index.at(truth[i].source);
    family[root].push_back(i);
  }
  std::vector<std::vector<int>> truthGroups;
  for (auto& [r, g] : family) truthGroups.push_back(g);
  const PairSet truthPairs = pairsOfGroups(truthGroups);

  // Ours, end to end: import decode + signals for every file on 2 threads, then the search.
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<clean::ImageSignalsRow> rows(truth.size());
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 2; ++t)
    pool.emplace_back([&] {
      for (int i; (i = next++) < static_cast<int>(truth.size());) {
        auto n = prepareImage((dir / truth[i].file).string(), truth[i].file, 400'000'000);
        auto& r = rows[i];
        r.id = i + 1;
        if (!n) continue;
        r.widthPx = n->item.widthPx;
        r.heightPx = n->item.heightPx;
        r.fileHash = n->item.contentHash;
        clean::applySignals(r, n->signals);
      }
    });
  for (auto& t : pool) t.join();
  const double importS = secondsSince(t0);
  const auto t1 = std::chrono::steady_clock::now();
  auto checks = clean::computeImageChecks(rows, {"exact_dup", "near_dup", "blur", "dark", "bright"});
  const double searchS = secondsSince(t1);
  const double oursS = importS + searchS;

  auto groupsAt = [&](const clean::CheckRows& cr, double threshold) {
    const auto* spec = clean::findCheck(cr.check);
    clean::DisjointSets sets(truth.size());
    for (const auto& f : cr.rows) {
      // detail {"n":[[id,score],...]}: parse the few numbers by hand for speed.
      const auto& d = f.detailJson;
      std::size_t p = d.find('[');
      while ((p = d.find('[', p + 1)) != std::string::npos) {
        const long other = std::strtol(d.c_str() + p + 1, nullptr, 10);
        const double s = std::strtod(d.c_str() + d.find(',', p) + 1, nullptr);
        if (clean::isFinding(*spec, s, threshold)) sets.unite(static_cast<std::uint32_t>(f.itemId - 1), static_cast<std::uint32_t>(other - 1));
      }
    }
    std::map<std::uint32_t, std::vector<int>> g;
    for (std::uint32_t i = 0; i < truth.size(); ++i) g[sets.find(i)].push_back(static_cast<int>(i));
    std::vector<std::vector<int>> out;
    for (auto& [k, v] : g)
      if (v.size() > 1) out.push_back(v);
    return out;
  };
  const clean::CheckRows* near = nullptr;
  for (const auto& c : checks)
    if (c.check == "near_dup") near = &c;
  const std::set<std::string> dupKinds{"original", "exact_dup", "near_dup"};
  std::printf("ours: %.2f s end to end (%.0f images/s): import decode+signals %.2f s, checks %.3f s\n", oursS,
              truth.size() / oursS, importS, searchS);
  // Duplicates only, straight from the files (what checking a never-imported folder costs):
  // file hash + views from a 1/8 grayscale decode, on 2 threads, then the search.
  const auto l0 = std::chrono::steady_clock::now();
  std::vector<clean::ImageSignalsRow> lean(truth.size());
  {
    std::atomic<int> nextLean{0};
    std::vector<std::thread> leanPool;
    for (int t = 0; t < 2; ++t)
      leanPool.emplace_back([&] {
        for (int i; (i = nextLean++) < static_cast<int>(truth.size());) {
          if (auto r = clean::duplicateSignalsFromFile((dir / truth[i].file).string())) lean[i] = std::move(*r);
          lean[i].id = i + 1;
        }
      });
    for (auto& t : leanPool) t.join();
  }
  auto leanChecks = clean::computeImageChecks(lean, {"exact_dup", "near_dup"});
  leanS = secondsSince(l0);
  std::printf("ours, duplicates only from files (1/8 gray decode + views + search): %.2f s (%.0f images/s)\n", leanS,
              truth.size() / leanS);
  const double defaultNear = clean::findCheck("near_dup")->defaultThreshold;
  for (double t : {defaultNear - 2, defaultNear - 1, defaultNear, defaultNear + 1, defaultNear + 3}) {
    const auto groups = groupsAt(*near, t);
    const auto predicted = pairsOfGroups(groups);
    char what[96];
    std::snprintf(what, sizeof what, "near_dup <= %.0f%s, all copies", t, t == defaultNear ? " (default)" : "");
    printPR(what, score(predicted, truthPairs));
    std::snprintf(what, sizeof what, "near_dup <= %.0f, exact+near kinds only", t);
    printPR(what, score(restrict(predicted, truth, dupKinds), restrict(truthPairs, truth, dupKinds)));
    if (t != defaultNear) continue;
    // Which kinds of copies are missed: a copy counts as found when it is grouped with its original.
    std::vector<int> groupOf(truth.size(), -1);
    for (int g = 0; g < static_cast<int>(groups.size()); ++g)
      for (int m : groups[g]) groupOf[m] = g;
    std::map<std::string, std::pair<int, int>> perKind;  // found, total
    for (int i = 0; i < static_cast<int>(truth.size()); ++i) {
      if (truth[i].source.empty()) continue;
      std::string kind = truth[i].kind;
      if (kind == "near_dup") {
        kind = "near_dup:" + truth[i].transform.substr(0, truth[i].transform.find(':'));
        if (truth[i].transform.find('+') != std::string::npos) kind += "+more";
      }
      const int src = index.at(truth[i].source);
      auto& [found, total] = perKind[kind];
      ++total;
      found += groupOf[i] >= 0 && groupOf[i] == groupOf[src];
    }
    std::printf("  copy recall per transformation at the default (copy grouped with its original):\n   ");
    int col = 0;
    for (const auto& [kind, ft] : perKind)
      std::printf(" %s %d/%d%s", kind.c_str(), ft.first, ft.second, ++col % 5 == 0 ? "\n   " : ";");
    std::printf("\n");
  }
  {
    const auto predicted = pairsOfGroups(groupsAt(leanChecks[1], defaultNear));
    printPR("duplicates-only path, near_dup at default, all", score(predicted, truthPairs));
  }
  // Scalar checks at the defaults, per image.
  for (const auto& c : checks) {
    if (c.check != "blur" && c.check != "dark" && c.check != "bright") continue;
    const auto* spec = clean::findCheck(c.check);
    std::set<int> predicted;
    for (const auto& f : c.rows)
      if (clean::isFinding(*spec, f.score, spec->defaultThreshold)) predicted.insert(static_cast<int>(f.itemId - 1));
    std::size_t tp = 0, fp = 0, fn = 0;
    for (int i = 0; i < static_cast<int>(truth.size()); ++i) {
      const bool is = truth[i].kind == c.check, said = predicted.count(i);
      tp += is && said;
      fp += !is && said;
      fn += is && !said;
    }
    // Score spread: where the positives and the rest lie (for choosing a default).
    std::vector<double> pos, neg;
    for (const auto& f : c.rows) (truth[f.itemId - 1].kind == c.check ? pos : neg).push_back(f.score);
    std::sort(pos.begin(), pos.end());
    std::sort(neg.begin(), neg.end());
    auto q = [](const std::vector<double>& v, double f) { return v.empty() ? -1.0 : v[static_cast<std::size_t>(f * (v.size() - 1))]; };
    std::printf("  %s scores: %s min %.3f p10 %.3f p50 %.3f max %.3f | other stored rows n=%zu p50 %.3f p90 %.3f p99 %.3f max %.3f\n",
                c.check.c_str(), c.check.c_str(), q(pos, 0), q(pos, 0.1), q(pos, 0.5), q(pos, 1), neg.size(), q(neg, 0.5),
                q(neg, 0.9), q(neg, 0.99), q(neg, 1));
    char what[96];
    std::snprintf(what, sizeof what, "%s at default threshold %.3g", c.check.c_str(), spec->defaultThreshold);
    printPR(what, PR{tp + fp ? double(tp) / (tp + fp) : 1, tp + fn ? double(tp) / (tp + fn) : 1, tp, fp, fn});
    if (c.check != "blur") continue;
    int darkN = 0, darkBlurry = 0;
    for (int i = 0; i < static_cast<int>(truth.size()); ++i)
      if (truth[i].kind == "dark") {
        ++darkN;
        darkBlurry += predicted.count(i) > 0;
      }
    std::printf("  dark images called blurry at the default: %d of %d\n", darkBlurry, darkN);
    for (double t : {0.4, 0.45, 0.5, 0.55, 0.6}) {
      std::size_t tp2 = 0, fp2 = 0, fn2 = 0;
      std::set<int> said;
      for (const auto& f : c.rows)
        if (clean::isFinding(*spec, f.score, t)) said.insert(static_cast<int>(f.itemId - 1));
      for (int i = 0; i < static_cast<int>(truth.size()); ++i) {
        const bool is = truth[i].kind == "blur", s2 = said.count(i) > 0;
        tp2 += is && s2;
        fp2 += !is && s2;
        fn2 += is && !s2;
      }
      std::snprintf(what, sizeof what, "blur at %.2f", t);
      printPR(what, PR{tp2 + fp2 ? double(tp2) / (tp2 + fp2) : 1, tp2 + fn2 ? double(tp2) / (tp2 + fn2) : 1, tp2, fp2, fn2});
    }
  }

  if (!peer) return;
  const auto t2 = std::chrono::steady_clock::now();
  const std::string cmd = "findimagedupes '" + dir.string() + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::vector<std::vector<int>> peerGroups;
  char buf[65536];
  while (p && std::fgets(buf, sizeof buf, p)) {
    std::stringstream ss(buf);
    std::string f;
    std::vector<int> g;
    while (ss >> f) {
      auto it = index.find(fs::path(f).filename().string());
      if (it != index.end()) g.push_back(it->second);
    }
    if (g.size() > 1) peerGroups.push_back(g);
  }
  const int rc = p ? pclose(p) : -1;
  const double peerS = secondsSince(t2);
  std::printf("findimagedupes (default 90%%): %.2f s (%.0f images/s), exit %d\n", peerS, truth.size() / peerS, rc);
  std::printf("SPEED end to end from files: ours via the full import path %.0f images/s, findimagedupes %.0f images/s: %.2fx\n",
              truth.size() / oursS, truth.size() / peerS, peerS / oursS);
  std::printf("SPEED end to end from files: ours duplicates only %.0f images/s, findimagedupes %.0f images/s: %.2fx\n",
              truth.size() / leanS, truth.size() / peerS, peerS / leanS);
  const auto peerPairs = pairsOfGroups(peerGroups);
  printPR("findimagedupes, all copies", score(peerPairs, truthPairs));
  printPR("findimagedupes, exact+near kinds only", score(restrict(peerPairs, truth, dupKinds), restrict(truthPairs, truth, dupKinds)));
}

// N synthetic images stored in a project: a re-run of the signal-based checks and a threshold
// change (report) over all of them.
void scaleRun(std::int64_t n, std::int64_t newItems) {
  const fs::path dir = fs::temp_directory_path() / "lb_bench_clean";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = createProject((dir / "p.lbproj").string());
  if (!store) return void(std::printf("cannot create project: %s\n", store.error().message.c_str()));
  auto batch = (*store)->createBatch("synthetic", "");
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  const auto t0 = std::chrono::steady_clock::now();
  DupViewHash lastFull;
  std::vector<DupViewHash> fulls;  // each item's full view, for near copies among new imports
  // `count` more items. 10 % are near copies: of the previous image, or with `ofAnyOld` of a
  // random earlier one (new imports that duplicate what the project has): its full view with 3
  // PHash bits and ~12 band bits flipped.
  auto addItems = [&](std::int64_t count, bool ofAnyOld) {
    return (*store)->transaction([&]() -> Status {
      const auto old = fulls.size();
      for (std::int64_t i = 0; i < count; ++i) {
        NewItem it;
        it.item.batchId = *batch;
        it.item.sourceKey = "s";
        it.item.sourceKey += std::to_string(fulls.size());
        it.item.contentHash = std::to_string(rng());
        it.item.widthPx = 1920;
        it.item.heightPx = 1080;
        // Signals as the import stores them (clean pack + the separate scalar rows).
        CleanPack pack;
        pack.views.resize(kDupViewCount);
        for (auto& v : pack.views) v = {rng(), {rng(), rng(), rng()}};
        if (!fulls.empty() && u(rng) < 0.1) {
          pack.views[0] = ofAnyOld ? fulls[rng() % old] : lastFull;
          for (int k = 0; k < 3; ++k) pack.views[0].phash ^= 1ull << (rng() % 64);
          for (int k = 0; k < 12; ++k) pack.views[0].band[rng() % 3] ^= 1ull << (rng() % 64);
        }
        lastFull = pack.views[0];
        fulls.push_back(lastFull);
        for (auto& b : pack.pixelHash) b = static_cast<unsigned char>(rng());
        pack.blur = static_cast<float>(u(rng) * 0.8);
        pack.lumaP05 = static_cast<float>(u(rng) * 255);
        pack.lumaP95 = static_cast<float>(u(rng) * 255);
        pack.entropy = static_cast<float>(u(rng) * 8);
        pack.chroma = static_cast<float>(u(rng) * 40);
        it.signals = {{signal_keys::kCleanPack, 0, serializeCleanPack(pack)},
                      {signal_keys::kPixelHash, 0, std::vector<unsigned char>(pack.pixelHash.begin(), pack.pixelHash.end())},
                      {signal_keys::kBlur, pack.blur, {}},
                      {signal_keys::kLumaP05, pack.lumaP05, {}},
                      {signal_keys::kLumaP95, pack.lumaP95, {}},
                      {signal_keys::kLumaEntropy, pack.entropy, {}},
                      {signal_keys::kChroma, pack.chroma, {}}};
        if (auto r = (*store)->insertItem(it); !r) return r.error();
      }
      return okStatus();
    });
  };
  (void)addItems(n, false);
  std::printf("\n== %lld synthetic images in a project (built in %.1f s) ==\n", static_cast<long long>(n), secondsSince(t0));
  clean::RunOptions opts;
  opts.checks = {"exact_dup", "near_dup", "blur", "dark", "bright", "low_info", "grayscale", "odd_aspect", "small"};
  auto stageT = std::chrono::steady_clock::now();
  opts.progress = [&](std::int64_t, std::int64_t, const std::string& stage) {
    std::printf("    %-20s %.3f s\n", stage.c_str(), secondsSince(stageT));
    stageT = std::chrono::steady_clock::now();
  };
  auto nearNote = [](const Result<std::vector<clean::CheckSummary>>& r) -> std::string {
    if (r)
      for (const auto& c : *r)
        if (c.check == "near_dup") return c.note;
    return "";
  };
  // CPU seconds of this process next to the wall time: on a shared machine the wall time grows
  // with the load, the CPU time much less (it is what an idle machine's wall time is bounded by,
  // give or take the two search threads).
  auto cpuS = [] { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
  double passS[2] = {0, 0};
  for (int pass = 0; pass < 2; ++pass) {
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = cpuS();
    stageT = t1;
    auto r = clean::runChecks(**store, opts);
    passS[pass] = secondsSince(t1);
    std::printf("clean run (%s): %.3f s (cpu %.3f s)%s\n", pass == 0 ? "first" : "re-run, nothing new", passS[pass], cpuS() - c1,
                r ? "" : " FAILED");
    std::printf("    near_dup: %s\n", nearNote(r).c_str());
  }
  // New imports into the project (1 % more items, at least 100; a tenth of them near copies of
  // random old items), then a re-run: only the new items are searched.
  {
    const std::int64_t added = newItems > 0 ? newItems : std::max<std::int64_t>(100, n / 100);
    const auto ta = std::chrono::steady_clock::now();
    (void)addItems(added, true);
    std::printf("imported %lld new items (%.1f s, not timed below)\n", static_cast<long long>(added), secondsSince(ta));
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = cpuS();
    stageT = t1;
    auto r = clean::runChecks(**store, opts);
    const double incS = secondsSince(t1);
    std::printf("clean run (re-run after %lld new imports): %.3f s (cpu %.3f s)%s\n", static_cast<long long>(added), incS, cpuS() - c1,
                r ? "" : " FAILED");
    std::printf("    near_dup: %s\n", nearNote(r).c_str());
    // The same rows from a full search (state cleared), to show both agree.
    auto repo = clean::FindingsRepository::open(**store);
    const auto incRows = repo->rows("near_dup");
    (void)(*store)->setSetting(clean::kNearDupStateKey, "\"\"");
    clean::RunOptions full = opts;
    full.progress = nullptr;
    const auto t2 = std::chrono::steady_clock::now();
    auto rf = clean::runChecks(**store, full);
    const double fullS = secondsSince(t2);
    const auto fullRows = repo->rows("near_dup");
    bool same = incRows.size() == fullRows.size();
    for (std::size_t k = 0; same && k < incRows.size(); ++k)
      same = incRows[k].itemId == fullRows[k].itemId && incRows[k].score == fullRows[k].score &&
             incRows[k].groupKey == fullRows[k].groupKey && incRows[k].detailJson == fullRows[k].detailJson;
    std::printf("clean run (full search of the same %lld items, for comparison): %.3f s%s; near_dup rows %zu, %s the re-run's\n",
                static_cast<long long>(n + added), fullS, rf ? "" : " FAILED", fullRows.size(), same ? "identical to" : "DIFFERENT from");
    std::printf("SUMMARY %lld images: first run %.3f s, re-run with nothing new %.3f s, re-run after %lld new imports %.3f s "
                "(a full search of them %.3f s)\n",
                static_cast<long long>(n), passS[0], passS[1], static_cast<long long>(added), incS, fullS);
  }
  // Cancel latency: a fresh run (near-duplicate input digest cleared so the search runs) is
  // stopped after a delay; the time from setting the flag to runChecks returning, and whether the
  // stored findings stayed as they were.
  for (double delayS : {0.3, 1.0, 2.5}) {
    (void)(*store)->setSetting(clean::kNearDupStateKey, "\"\"");
    auto repo = clean::FindingsRepository::open(**store);
    const auto rowsBefore = repo->countRows("near_dup");
    std::atomic<bool> cancel{false};
    std::atomic<std::int64_t> setAtNs{0};
    clean::RunOptions c = opts;
    c.progress = nullptr;
    c.cancel = &cancel;
    const auto t3 = std::chrono::steady_clock::now();
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::duration<double>(delayS));
      setAtNs = std::chrono::steady_clock::now().time_since_epoch().count();
      cancel = true;
    });
    auto r = clean::runChecks(**store, c);
    const auto endNs = std::chrono::steady_clock::now().time_since_epoch().count();
    const double runS = secondsSince(t3);
    stopper.join();
    const bool stopped = !r && r.error().code == ErrorCode::Cancelled;
    std::printf("cancel after %.1f s: %s, %.3f s from the flag to the return (run %.2f s), near_dup rows %lld -> %lld\n", delayS,
                stopped ? "cancelled" : "finished first", stopped ? (endNs - setAtNs.load()) / 1e9 : 0.0, runS,
                static_cast<long long>(rowsBefore), static_cast<long long>(repo->countRows("near_dup")));
  }
  for (double blur : {0.55, 0.4, 0.7}) {
    clean::Thresholds t;
    (void)t.set("blur", blur);
    (void)t.set("near_dup", blur > 0.5 ? 30 : 20);
    const auto t2 = std::chrono::steady_clock::now();
    auto rep = clean::buildReport(**store, t, opts.checks);
    if (!rep) continue;
    std::int64_t total = 0;
    for (const auto& c : rep->checks) total += c.findings;
    std::printf("threshold change (blur %.2f): report over all checks %.3f s, %lld findings, blur %lld, near_dup groups %zu\n",
                blur, secondsSince(t2), static_cast<long long>(total), static_cast<long long>(rep->checks[2].findings),
                rep->checks[1].groups.size());
  }
  store->reset();
  fs::remove_all(dir);
}

// M short Chinese lines: ~70 % distinct lines, the rest edited copies of one of them.
void textRun(std::int64_t m) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  auto han = [&] { return static_cast<char32_t>(0x4E00 + rng() % 3500); };  // common-ish block
  std::vector<std::string> lines;
  std::vector<std::int64_t> family;  // index of the line it was made from (itself for bases)
  lines.reserve(m);
  family.reserve(m);
  const std::u32string punct = U"，。！？、；：";
  for (std::int64_t i = 0; i < m; ++i) {
    if (i < 10 || u(rng) < 0.7) {
      std::u32string s;
      const int len = 16 + static_cast<int>(rng() % 25);
      for (int k = 0; k < len; ++k) s.push_back(k % 9 == 8 ? punct[rng() % punct.size()] : han());
      lines.push_back(clean::toUtf8(s));
      family.push_back(i);
      continue;
    }
    std::int64_t base = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(i));
    base = family[base];
    std::u32string s = clean::toCodePoints(lines[base]);
    switch (rng() % 4) {
      case 0: s.insert(s.begin() + static_cast<long>(rng() % s.size()), U' '); s.push_back(U'！'); break;  // spacing/punctuation
      case 1: s[rng() % s.size()] = han(); break;                                                            // one character changed
      case 2: s.erase(s.begin() + static_cast<long>(rng() % s.size())); break;                               // one deleted
      default: s += U"（转载）"; break;                                                                       // suffix
    }
    lines.push_back(clean::toUtf8(s));
    family.push_back(base);
  }
  std::printf("\n== text near-duplicates: %lld generated Chinese lines ==\n", static_cast<long long>(m));
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::u32string> forms(lines.size());
  {
    std::vector<std::thread> pool;
    for (int t = 0; t < 2; ++t)
      pool.emplace_back([&, t] {
        for (std::size_t i = t; i < lines.size(); i += 2) forms[i] = clean::duplicateForm(lines[i]);
      });
    for (auto& t : pool) t.join();
  }
  const double normS = secondsSince(t0);
  const double threshold = clean::findCheck("text_near_dup")->defaultThreshold;
  const auto pairs = clean::findNearTexts(forms, threshold, 2);
  const double totalS = secondsSince(t0);
  // Pairwise truth within families would be quadratic for big families; count by family instead.
  std::size_t tp = 0, fp = 0;
  clean::DisjointSets sets(lines.size());
  for (const auto& p : pairs) {
    (family[p.a] == family[p.b] ? tp : fp)++;
    sets.unite(p.a, p.b);
  }
  // Recall: of the edited copies, how many ended in their base's group.
  std::size_t copies = 0, found = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (family[i] == static_cast<std::int64_t>(i)) continue;
    ++copies;
    found += sets.find(static_cast<std::uint32_t>(i)) == sets.find(static_cast<std::uint32_t>(family[i]));
  }
  std::printf("normalise %.1f s + MinHash/LSH search %.1f s = %.1f s on 2 threads; %zu pairs >= %.2f\n", normS, totalS - normS,
              totalS, pairs.size(), threshold);
  std::printf("  pair precision %.4f (tp %zu, fp %zu); copy recall %.4f (%zu of %zu copies grouped with their original)\n",
              tp + fp ? double(tp) / (tp + fp) : 1.0, tp, fp, copies ? double(found) / copies : 1.0, found, copies);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured, also into a file
  cv::setNumThreads(0);  // OpenCV's own pool off: the import's two workers are all the threads
  std::string corpus, corpus12;
  bool peer = true;
  std::int64_t rows = 100000, lines = 1000000, newItems = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--corpus") corpus = next();
    else if (a == "--corpus12") corpus12 = next();
    else if (a == "--no-peer") peer = false;
    else if (a == "--rows") rows = std::atoll(next().c_str());
    else if (a == "--lines") lines = std::atoll(next().c_str());
    else if (a == "--new") newItems = std::atoll(next().c_str());
    else {
      std::fprintf(stderr, "usage: bench_clean [--corpus DIR] [--corpus12 DIR] [--no-peer] [--rows N] [--new K] [--lines M]\n");
      return 2;
    }
  }
  if (!corpus.empty()) imageCorpus(corpus, peer, "1080p corpus");
  if (!corpus12.empty()) imageCorpus(corpus12, false, "12-MP corpus");
  if (rows > 0) scaleRun(rows, newItems);
  if (lines > 0) textRun(lines);
  return 0;
}
