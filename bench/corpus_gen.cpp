// corpus_gen: a deterministic corpus of realistic photos with known duplicates and defects, for
// the import, cleaning and review benchmarks.
//
//   corpus_gen --out DIR [--count 2000] [--size 1080p|12mp] [--seed 1] [--threads 2]
//
// Photos are 1920x1080 (1080p) or 4032x3024 (12mp) JPEGs (quality 92) composed from the real
// images in Debian's opencv-doc and python3-skimage packages: a mosaic of 2-12 random crops of
// different sources, each flipped/colour-shifted at random, scaled up with cubic interpolation
// (never more than 4x per 1920 px of width), sharpened and given sensor-like grain. Sources that
// are blurred on purpose (OpenCV's deblurring samples) are left out, so an "original" is a sharp
// photo and the blur check's truth holds. The same --seed always gives the same files.
//
// DIR/ground_truth.csv — one row per file, header row first, comma-separated, no quoting needed
// (no field contains a comma):
//   file       file name inside DIR (IMG_00001.jpg ...; names are shuffled, so the kind cannot
//              be guessed from the order)
//   kind       original | exact_dup | near_dup | blur | dark | bright
//   source     for every kind but original: the file name of the original it was made from;
//              empty for originals
//   transform  what was done: "" (original), "copy" (byte-identical), or one or more of
//              reencode:q=N, resize:S, crop:F, brightness:+-N, rotate:DEG, text:WORD
//              joined by '+'; blur:sigma=S; dark:gain=G; bright:gain=G
//   width,height  pixel size of the written file
// Shares: about 70 % originals, 5 % exact_dup, 13 % near_dup, 4 % blur, 4 % dark, 4 % bright.
// A blur/dark/bright file is made from an original too, so it is also a near-duplicate of it
// in content; checks that look for duplicates should expect that.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Options {
  fs::path out;
  int count = 2000;
  cv::Size size{1920, 1080};
  std::uint32_t seed = 1;
  int threads = 2;
};

enum class Kind { Original, ExactDup, NearDup, Blur, Dark, Bright };
const char* kindName(Kind k) {
  static const char* names[] = {"original", "exact_dup", "near_dup", "blur", "dark", "bright"};
  return names[static_cast<int>(k)];
}

struct Entry {
  Kind kind = Kind::Original;
  int source = -1;  // index of the original in `entries`
  std::string file;
  std::string transform;
  int width = 0, height = 0;
};

std::vector<cv::Mat> loadSources() {
  std::vector<cv::Mat> out;
  std::vector<fs::path> files;
  for (const char* dir : {"/usr/share/doc/opencv-doc/examples/data", "/usr/lib/python3/dist-packages/skimage/data"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const auto ext = e.path().extension().string();
      // skimage ships a deliberately truncated JPEG for its own tests, and OpenCV's deblurring
      // samples (*_motion, *defocus*) are blurred on purpose: neither is a sharp photo source.
      const auto stem = e.path().stem().string();
      const bool blurredOnPurpose = stem.find("_motion") != std::string::npos || stem.find("defocus") != std::string::npos;
      if ((ext == ".jpg" || ext == ".png") && stem != "truncated" && !blurredOnPurpose) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());  // directory order is not stable
  for (const auto& f : files) {
    cv::Mat m = cv::imread(f.string(), cv::IMREAD_COLOR);
    if (m.empty() || std::min(m.cols, m.rows) < 200) continue;  // logos, icons, tiny test files
    cv::Scalar mean, sd;
    cv::meanStdDev(m, mean, sd);
    if (sd[0] + sd[1] + sd[2] < 45) continue;  // nearly flat masks and gradients
    out.push_back(m);
  }
  return out;
}

// A random crop of a source with aspect `aspect`, covering 35-100 % of the possible width but
// never so little that filling `cellWidth` enlarges it more than `maxEnlarge` times; empty when
// even the whole source is too small for that.
cv::Mat randomCrop(const cv::Mat& src, double aspect, int cellWidth, double maxEnlarge, std::mt19937& rng) {
  int w = src.cols, h = static_cast<int>(w / aspect);
  if (h > src.rows) {
    h = src.rows;
    w = static_cast<int>(h * aspect);
  }
  const double minFraction = std::max(0.35, cellWidth / (maxEnlarge * w));
  if (minFraction > 1.0) return {};
  std::uniform_real_distribution<double> frac(minFraction, 1.0);
  const double f = frac(rng);
  w = std::max(16, static_cast<int>(w * f));
  h = std::max(16, static_cast<int>(h * f));
  std::uniform_int_distribution<int> x(0, src.cols - w), y(0, src.rows - h);
  return src(cv::Rect(x(rng), y(rng), w, h));
}

// The grain is the same for every photo of a size (a fixed field at a random offset), which keeps
// generation cheap; it is fine detail far below what perceptual hashes look at.
const cv::Mat& grainField(cv::Size size) {
  static std::mutex m;
  static std::map<std::pair<int, int>, cv::Mat> cache;
  std::lock_guard lock(m);
  auto& g = cache[{size.width, size.height}];
  if (g.empty()) {
    g.create(size.height + 64, size.width + 64, CV_16SC3);
    cv::RNG r(12345);
    r.fill(g, cv::RNG::NORMAL, 0, 4);
  }
  return g;
}

cv::Mat makeOriginal(const std::vector<cv::Mat>& sources, cv::Size size, std::mt19937& rng) {
  // No single-crop layout: with no crop enlarged past 4x (below), a photo-sized single crop of
  // one of the mostly 512-640 px sources covers most of it, so two such "distinct" originals of
  // one source would be near-duplicates in truth as well as in look.
  static const int layouts[][2] = {{2, 1}, {1, 2}, {2, 2}, {3, 2}, {2, 3}, {3, 3}, {4, 3}};
  std::uniform_int_distribution<int> layoutPick(0, 6), srcPick(0, static_cast<int>(sources.size()) - 1);
  std::uniform_real_distribution<double> gain(0.8, 1.2), bias(-20, 20), unit(0, 1);
  const auto& l = layouts[layoutPick(rng)];
  const int cols = l[0], rows = l[1];
  cv::Mat canvas(size, CV_8UC3);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const int x0 = size.width * c / cols, x1 = size.width * (c + 1) / cols;
      const int y0 = size.height * r / rows, y1 = size.height * (r + 1) / rows;
      const cv::Rect cell(x0, y0, x1 - x0, y1 - y0);
      // A photo is not a few hundred pixels blown up: no crop is enlarged more than 4x per
      // 1920 px of width. Beyond that a crop is soft at any viewing size, and a "sharp
      // original" that every person would call blurry makes the blur check's truth wrong.
      const double maxEnlarge = 4.0 * size.width / 1920.0, aspect = static_cast<double>(cell.width) / cell.height;
      cv::Mat crop;
      for (int attempt = 0; crop.empty(); ++attempt)
        crop = randomCrop(sources[srcPick(rng)], aspect, cell.width, attempt < 50 ? maxEnlarge : 1e9, rng);
      cv::Mat scaled;
      cv::resize(crop, scaled, cell.size(), 0, 0, cv::INTER_CUBIC);
      if (unit(rng) < 0.5) cv::flip(scaled, scaled, 1);
      // Per-channel colour shift, so the same source never looks the same twice.
      std::vector<cv::Mat> ch;
      cv::split(scaled, ch);
      for (auto& m : ch) m.convertTo(m, CV_8U, gain(rng), bias(rng));
      cv::merge(ch, scaled);
      scaled.copyTo(canvas(cell));
    }
  // Unsharp mask: upscaled crops are soft; real photos have edges.
  cv::Mat soft;
  cv::GaussianBlur(canvas, soft, {0, 0}, 1.5 * size.width / 1920.0);
  cv::addWeighted(canvas, 1.8, soft, -0.8, 0, canvas);
  std::uniform_int_distribution<int> off(0, 63);
  const cv::Mat& g = grainField(size);
  cv::Mat grain = g(cv::Rect(off(rng), off(rng), size.width, size.height));
  cv::Mat wide;
  canvas.convertTo(wide, CV_16SC3);
  wide += grain;
  wide.convertTo(canvas, CV_8UC3);
  return canvas;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// One or two near-duplicate transforms; returns the description.
std::string nearDuplicate(cv::Mat& img, int& quality, std::mt19937& rng) {
  std::uniform_int_distribution<int> pick(0, 5);
  std::uniform_real_distribution<double> unit(0, 1);
  static const char* words[] = {"SAMPLE", "2023-06-01 14:22", "(c) Studio", "DRAFT", "#42", "IMG"};
  std::string desc;
  const int n = unit(rng) < 0.3 ? 2 : 1;
  int last = -1;
  for (int k = 0; k < n; ++k) {
    int t = pick(rng);
    if (t == last) t = (t + 1) % 6;
    last = t;
    if (!desc.empty()) desc += "+";
    const double s = img.cols / 1920.0;
    switch (t) {
      case 0: quality = 55 + static_cast<int>(unit(rng) * 25); desc += "reencode:q=" + std::to_string(quality); break;
      case 1: {
        const double f = 0.5 + unit(rng) * 0.3;
        cv::resize(img, img, {}, f, f, cv::INTER_AREA);
        desc += fmt("resize:%.2f", f);
        break;
      }
      case 2: {
        const double f = 0.05 + unit(rng) * 0.10;
        const int dx = static_cast<int>(img.cols * f), dy = static_cast<int>(img.rows * f);
        const int ox = static_cast<int>(unit(rng) * dx), oy = static_cast<int>(unit(rng) * dy);
        const cv::Size full = img.size();
        cv::resize(img(cv::Rect(ox, oy, img.cols - dx, img.rows - dy)).clone(), img, full, 0, 0, cv::INTER_CUBIC);
        desc += fmt("crop:%.2f", f);
        break;
      }
      case 3: {
        const int b = (unit(rng) < 0.5 ? -1 : 1) * (15 + static_cast<int>(unit(rng) * 25));
        img.convertTo(img, CV_8U, 1.0, b);
        desc += "brightness:" + std::string(b > 0 ? "+" : "") + std::to_string(b);
        break;
      }
      case 4: {
        const double deg = (unit(rng) < 0.5 ? -1 : 1) * (2 + unit(rng) * 8);
        const double rad = std::abs(deg) * CV_PI / 180;
        // Zoom so that no empty corner shows.
        const double zoom = std::cos(rad) + std::sin(rad) * std::max(img.cols, img.rows) / std::min(img.cols, img.rows);
        cv::Mat rot = cv::getRotationMatrix2D({img.cols / 2.0f, img.rows / 2.0f}, deg, zoom);
        cv::warpAffine(img, img, rot, img.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
        desc += fmt("rotate:%.1f", deg);
        break;
      }
      default: {
        const std::string w = words[static_cast<int>(unit(rng) * 6) % 6];
        const double scale = (1.5 + unit(rng) * 2) * s;
        const cv::Point at(static_cast<int>(img.cols * (0.05 + unit(rng) * 0.4)),
                           static_cast<int>(img.rows * (0.15 + unit(rng) * 0.8)));
        cv::putText(img, w, at, cv::FONT_HERSHEY_SIMPLEX, scale, {255, 255, 255}, std::max(2, static_cast<int>(4 * s)), cv::LINE_AA);
        desc += "text:" + w;
      }
    }
  }
  return desc;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--out") o.out = next();
    else if (a == "--count") o.count = std::atoi(next().c_str());
    else if (a == "--seed") o.seed = static_cast<std::uint32_t>(std::strtoul(next().c_str(), nullptr, 10));
    else if (a == "--threads") o.threads = std::max(1, std::atoi(next().c_str()));
    else if (a == "--size") {
      const auto s = next();
      if (s == "1080p") o.size = {1920, 1080};
      else if (s == "12mp") o.size = {4032, 3024};
      else return false;
    } else return false;
  }
  return !o.out.empty() && o.count > 0;
}

template <typename Fn>
void parallelFor(int n, int threads, Fn fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i; (i = next++) < n;) fn(i);
    });
  for (auto& t : pool) t.join();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::cerr << "usage: corpus_gen --out DIR [--count 2000] [--size 1080p|12mp] [--seed 1] [--threads 2]\n";
    return 2;
  }
  const auto sources = loadSources();
  if (sources.size() < 10) {
    std::cerr << "corpus_gen: too few source images; install opencv-doc and python3-skimage\n";
    return 3;
  }
  fs::create_directories(o.out);

  // Decide every file's kind and name up front, from the seed alone.
  std::mt19937 plan(o.seed);
  const int nOriginal = std::max(1, o.count * 70 / 100);
  std::vector<Entry> entries(o.count);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> origPick(0, nOriginal - 1);
  for (int i = 0; i < o.count; ++i) {
    if (i < nOriginal) continue;
    const double r = unit(plan);
    entries[i].kind = r < 0.17 ? Kind::ExactDup : r < 0.60 ? Kind::NearDup : r < 0.73 ? Kind::Blur : r < 0.87 ? Kind::Dark : Kind::Bright;
    entries[i].source = origPick(plan);
  }
  std::vector<int> names(o.count);
  std::iota(names.begin(), names.end(), 1);
  std::shuffle(names.begin(), names.end(), plan);
  for (int i = 0; i < o.count; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "IMG_%05d.jpg", names[i]);
    entries[i].file = buf;
  }

  std::atomic<int> done{0};
  auto report = [&] {
    const int d = ++done;
    if (d % 100 == 0 || d == o.count) std::fprintf(stderr, "\rcorpus_gen: %d/%d", d, o.count);
  };
  // Phase 1: originals. Each file has its own RNG seeded from (seed, index): same output
  // whatever the thread count.
  parallelFor(nOriginal, o.threads, [&](int i) {
    std::mt19937 rng(o.seed * 1000003u + static_cast<std::uint32_t>(i));
    cv::Mat img = makeOriginal(sources, o.size, rng);
    cv::imwrite((o.out / entries[i].file).string(), img, {cv::IMWRITE_JPEG_QUALITY, 92});
    entries[i].width = img.cols;
    entries[i].height = img.rows;
    report();
  });
  // Phase 2: variants of the written originals.
  parallelFor(o.count - nOriginal, o.threads, [&](int k) {
    const int i = nOriginal + k;
    Entry& e = entries[i];
    const Entry& src = entries[e.source];
    std::mt19937 rng(o.seed * 1000003u + static_cast<std::uint32_t>(i));
    const fs::path srcPath = o.out / src.file;
    if (e.kind == Kind::ExactDup) {
      fs::copy_file(srcPath, o.out / e.file, fs::copy_options::overwrite_existing);
      e.transform = "copy";
      e.width = src.width;
      e.height = src.height;
      report();
      return;
    }
    cv::Mat img = cv::imread(srcPath.string(), cv::IMREAD_COLOR);
    int quality = 92;
    const double s = img.cols / 1920.0;
    switch (e.kind) {
      case Kind::NearDup: e.transform = nearDuplicate(img, quality, rng); break;
      case Kind::Blur: {
        const double sigma = (2.5 + unit(rng) * 3.5) * s;
        cv::GaussianBlur(img, img, {0, 0}, sigma);
        e.transform = fmt("blur:sigma=%.2f", sigma);
        break;
      }
      case Kind::Dark: {
        const double g = 0.08 + unit(rng) * 0.12;
        img.convertTo(img, CV_8U, g);
        e.transform = fmt("dark:gain=%.2f", g);
        break;
      }
      default: {  // bright: squeeze everything towards white
        const double g = 0.08 + unit(rng) * 0.12;
        img.convertTo(img, CV_8U, g, 255.0 * (1.0 - g));
        e.transform = fmt("bright:gain=%.2f", g);
      }
    }
    cv::imwrite((o.out / e.file).string(), img, {cv::IMWRITE_JPEG_QUALITY, quality});
    e.width = img.cols;
    e.height = img.rows;
    report();
  });
  std::fprintf(stderr, "\n");

  std::ofstream csv(o.out / "ground_truth.csv");
  csv << "file,kind,source,transform,width,height\n";
  for (const auto& e : entries)
    csv << e.file << "," << kindName(e.kind) << "," << (e.source >= 0 ? entries[e.source].file : "") << ","
        << e.transform << "," << e.width << "," << e.height << "\n";
  std::cout << "wrote " << o.count << " photos (" << o.size.width << "x" << o.size.height << ") and "
            << (o.out / "ground_truth.csv").string() << "\n";
  return csv ? 0 : 1;
}
