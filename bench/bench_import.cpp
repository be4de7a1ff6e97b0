// bench_import: images per second for importing 1080p JPEGs into a fresh project (content
// hash, size, thumbnail, signals, rows committed), next to `vipsthumbnail -s 256` on the same
// files with the same parallelism, and next to the decode floor (cv::imread with
// IMREAD_REDUCED_COLOR_4 on the same number of threads), all in one run.
//
//   corpus_gen --out /tmp/corpus1080 --count 2000 --size 1080p
//   bench_import --corpus /tmp/corpus1080 [--count 2000] [--threads 2]
//
// Every file is read once before timing so that the three runs see the same (cached) disk.
// Next to images/s it prints the CPU time each run used per image (all its threads, user +
// system): on a machine shared with other work, wall-clock rates swing with the load while
// CPU time per image mostly does not, so the CPU ratio is the steadier reading there.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>
#include <algorithm>
#include <vector>

#include "labeling/import/image_import.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// CPU seconds this process has used so far (every thread, user + system).
double processCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

double decodeFloor(const std::vector<std::string>& files, int threads) {
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t i; (i = next++) < files.size();)
        if (cv::imread(files[i], cv::IMREAD_REDUCED_COLOR_4).empty()) ++failures;
    });
  for (auto& t : pool) t.join();
  const double s = seconds(t0, Clock::now());
  if (failures) std::cerr << "floor: " << failures << " files failed to decode\n";
  return static_cast<double>(files.size()) / s;
}

double vipsThumbnail(const std::vector<std::string>& files, int threads, const fs::path& work) {
  const fs::path outDir = work / "vips";
  fs::create_directories(outDir);
  const fs::path list = work / "files.txt";
  {
    std::ofstream out(list);
    for (const auto& f : files) out << f << "\n";
  }
  const std::string cmd = "xargs -a '" + list.string() + "' -d '\\n' -P " + std::to_string(threads) +
                          " -n 25 vipsthumbnail -s 256 -o '" + outDir.string() + "/%s.jpg'";
  const auto t0 = Clock::now();
  const int rc = std::system(cmd.c_str());
  const double s = seconds(t0, Clock::now());
  if (rc != 0) std::cerr << "vipsthumbnail exited with " << rc << " (is libvips-tools installed?)\n";
  std::size_t written = 0;
  for (const auto& e : fs::directory_iterator(outDir)) written += e.is_regular_file();
  if (written != files.size()) std::cerr << "vipsthumbnail wrote " << written << " of " << files.size() << "\n";
  return static_cast<double>(files.size()) / s;
}

double importRun(const std::vector<std::string>& files, int threads, const fs::path& work, std::int64_t& imported) {
  const fs::path project = work / "bench.lbproj";
  fs::remove(project);
  auto store = lb::labeling::createProject(project.string());
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 0;
  }
  lb::labeling::ImageImportOptions opts;
  opts.threads = threads;
  const auto t0 = Clock::now();
  auto report = lb::labeling::importImages(**store, files, opts);
  const double s = seconds(t0, Clock::now());
  if (!report) {
    std::cerr << report.error().message << "\n";
    return 0;
  }
  imported = report->imported;
  for (const auto& r : report->rejected) std::cerr << "rejected: " << r.reason << "\n";
  return static_cast<double>(files.size()) / s;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path corpus;
  std::size_t count = 2000;
  int threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--corpus") corpus = argv[i + 1];
    else if (a == "--count") count = std::strtoul(argv[i + 1], nullptr, 10);
    else if (a == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
  }
  if (corpus.empty() || !fs::is_directory(corpus)) {
    std::cerr << "usage: bench_import --corpus DIR (made by corpus_gen --size 1080p) [--count 2000] [--threads 2]\n";
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(corpus))
    if (e.path().extension() == ".jpg") files.push_back(fs::absolute(e.path()).string());
  std::sort(files.begin(), files.end());
  if (files.size() > count) files.resize(count);
  if (files.empty()) {
    std::cerr << "no .jpg files in " << corpus << "\n";
    return 2;
  }
  // Warm the page cache so no run pays for the disk alone.
  std::uintmax_t bytes = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<char> buf(1 << 20);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) bytes += static_cast<std::uintmax_t>(in.gcount());
  }
  const fs::path work = fs::temp_directory_path() / ("bench_import_" + std::to_string(::getpid()));
  fs::create_directories(work);
  cv::setNumThreads(0);  // OpenCV's own pool off: each run uses exactly `threads` threads

  std::printf("%zu JPEGs (%.1f MB), %d threads\n", files.size(), static_cast<double>(bytes) / 1e6, threads);
  const double c0 = processCpuSeconds();
  const double floor = decodeFloor(files, threads);
  const double floorCpuMs = 1e3 * (processCpuSeconds() - c0) / static_cast<double>(files.size());
  std::printf("  decode floor (imread REDUCED_COLOR_4)   %8.1f images/s  %6.2f CPU ms/image\n", floor, floorCpuMs);
  std::fflush(stdout);
  const double vips = vipsThumbnail(files, threads, work);
  std::printf("  vipsthumbnail -s 256 (xargs -P%d)       %8.1f images/s\n", threads, vips);
  std::fflush(stdout);
  std::int64_t imported = 0;
  const double c1 = processCpuSeconds();
  const double imp = importRun(files, threads, work, imported);
  const double importCpuMs = 1e3 * (processCpuSeconds() - c1) / static_cast<double>(files.size());
  std::printf("  labelbench import (hash, thumbnail,\n"
              "    signals, rows committed; %lld items)  %8.1f images/s  %6.2f CPU ms/image\n",
              static_cast<long long>(imported), imp, importCpuMs);
  std::printf("  import / floor = %.0f %% (target >= 70 %%), import / vipsthumbnail = %.1fx\n",
              100.0 * imp / floor, imp / vips);
  std::printf("  by CPU time: floor / import = %.0f %% (the share of the floor's rate an idle machine would\n"
              "    give if both kept the cores equally busy)\n",
              100.0 * floorCpuMs / importCpuMs);
  std::error_code ec;
  fs::remove_all(work, ec);
  return 0;
}
