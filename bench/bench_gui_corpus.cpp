// Makes the projects the desktop program's benchmarks open (labelbench --bench ...):
//   bench_gui_corpus <outdir>
//     <outdir>/frame.lbproj   one image with 5,000 boxes and 500 polygons
//     <outdir>/next.lbproj    24 JPEGs of 12 MP (4000 x 3000)
//     <outdir>/large.lbproj   100,000 items with small thumbnails (rows inserted through ProjectStore)
//     <outdir>/huge.lbproj    one 20,000 x 20,000 JPEG (a remote-sensing-sized scan) for tiling
// Every project has the lead user "bench". Images are made from Debian's OpenCV sample photos.
// `bench_gui_corpus <outdir> huge` makes only huge.lbproj.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "labeling/store/project_store.h"

using namespace lb::labeling;
namespace fs = std::filesystem;

namespace {

const char* kPhoto = "/usr/share/doc/opencv-doc/examples/data/fruits.jpg";

std::unique_ptr<ProjectStore> fresh(const fs::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix, ec);
  auto s = createProject(path.string());
  if (!s) {
    std::fprintf(stderr, "bench_gui_corpus: %s\n", s.error().message.c_str());
    std::exit(1);
  }
  (void)(*s)->addUser("bench", Role::Lead);
  LabelSchema schema;
  for (const char* name : {"car", "person", "tree"}) {
    ClassDef c;
    c.name = name;
    c.color = name[0] == 'c' ? "#e6194b" : name[0] == 'p' ? "#3cb44b" : "#4363d8";
    c.hotkey = name[0] == 'c' ? "1" : name[0] == 'p' ? "2" : "3";
    schema.classes.push_back(c);
  }
  (void)(*s)->setSchema(schema);
  return std::move(s).value();
}

NewItem imageItem(BatchId batch, const std::string& rel, const cv::Mat& img, const std::vector<unsigned char>& thumb,
                  int tw, int th) {
  NewItem n;
  n.item.batchId = batch;
  n.item.kind = ItemKind::Image;
  n.item.mediaPath = rel;
  n.item.sourceKey = rel;
  n.item.contentHash = rel;  // benchmarks do not check hashes
  n.item.widthPx = img.cols;
  n.item.heightPx = img.rows;
  n.thumbnailJpeg = thumb;
  n.thumbnailWidthPx = tw;
  n.thumbnailHeightPx = th;
  return n;
}

std::vector<unsigned char> jpeg(const cv::Mat& m, int quality) {
  std::vector<unsigned char> out;
  cv::imencode(".jpg", m, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return out;
}

// A 20,000 x 20,000 mosaic of every sample photo (400 cells of 1,000 px), each cell flipped,
// rotated, tinted and numbered differently, so that every region of the image looks different
// and a wrong tile or level on screen is visible.
int makeHuge(const fs::path& out) {
  const fs::path dir = "/usr/share/doc/opencv-doc/examples/data";
  std::vector<cv::Mat> photos;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".jpg") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    cv::Mat m = cv::imread(f.string(), cv::IMREAD_COLOR);
    if (!m.empty() && m.cols >= 200 && m.rows >= 200) photos.push_back(m);
  }
  if (photos.empty()) {
    std::fprintf(stderr, "bench_gui_corpus: no sample photos in %s; apt install opencv-doc\n", dir.c_str());
    return 3;
  }
  constexpr int kSide = 20000, kCell = 1000;
  const auto t0 = std::chrono::steady_clock::now();
  cv::Mat huge(kSide, kSide, CV_8UC3);
  std::mt19937 rng(11);
  for (int r = 0; r < kSide / kCell; ++r)
    for (int c = 0; c < kSide / kCell; ++c) {
      const cv::Mat& src = photos[(r * 7 + c * 3 + r * c) % photos.size()];
      cv::Mat cell;
      cv::resize(src, cell, cv::Size(kCell, kCell), 0, 0, cv::INTER_LINEAR);
      const int variant = static_cast<int>(rng() % 8);
      if (variant & 1) cv::flip(cell, cell, 1);
      if (variant & 2) cv::rotate(cell, cell, cv::ROTATE_90_CLOCKWISE);
      cell.convertTo(cell, -1, 0.75 + (rng() % 50) / 100.0, static_cast<double>(rng() % 60) - 30);
      const std::string label = "r" + std::to_string(r) + " c" + std::to_string(c);
      cv::rectangle(cell, cv::Rect(0, 0, kCell, kCell), cv::Scalar(255, 255, 255), 4);
      cv::putText(cell, label, cv::Point(40, 140), cv::FONT_HERSHEY_SIMPLEX, 4, cv::Scalar(0, 0, 0), 18);
      cv::putText(cell, label, cv::Point(40, 140), cv::FONT_HERSHEY_SIMPLEX, 4, cv::Scalar(255, 255, 255), 6);
      cell.copyTo(huge(cv::Rect(c * kCell, r * kCell, kCell, kCell)));
    }
  const std::string rel = "media/huge_20000.jpg";
  if (!cv::imwrite((out / rel).string(), huge, {cv::IMWRITE_JPEG_QUALITY, 85})) {
    std::fprintf(stderr, "bench_gui_corpus: cannot write %s\n", (out / rel).c_str());
    return 1;
  }
  cv::Mat thumbImg;
  cv::resize(huge, thumbImg, cv::Size(256, 256), 0, 0, cv::INTER_AREA);
  auto s = fresh(out / "huge.lbproj");
  auto batch = s->createBatch("huge", "bench");
  (void)s->insertItem(imageItem(*batch, rel, huge, jpeg(thumbImg, 80), thumbImg.cols, thumbImg.rows));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%s: 1 item of %dx%d (%.0f MB JPEG) in %.1f s\n", (out / "huge.lbproj").c_str(), kSide, kSide,
              fs::file_size(out / rel) / 1e6, secs);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_gui_corpus <outdir> [huge]\n");
    return 2;
  }
  const fs::path out = argv[1];
  fs::create_directories(out / "media");
  if (argc >= 3 && std::strcmp(argv[2], "huge") == 0) return makeHuge(out);
  cv::Mat photo = cv::imread(kPhoto);
  if (photo.empty()) {
    std::fprintf(stderr, "bench_gui_corpus: %s missing; apt install opencv-doc\n", kPhoto);
    return 3;
  }
  cv::Mat thumbImg;
  cv::resize(photo, thumbImg, cv::Size(256, 256 * photo.rows / photo.cols), 0, 0, cv::INTER_AREA);
  const auto thumb = jpeg(thumbImg, 80);

  {  // frame.lbproj: one 2-MP image with 5,000 boxes and 500 polygons spread over it
    cv::Mat big;
    cv::resize(photo, big, cv::Size(1920, 1080));
    cv::imwrite((out / "media/frame.jpg").string(), big);
    auto s = fresh(out / "frame.lbproj");
    auto batch = s->createBatch("frame", "bench");
    auto id = s->insertItem(imageItem(*batch, "media/frame.jpg", big, thumb, thumbImg.cols, thumbImg.rows));
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> ux(0, 1880), uy(0, 1040), us(8, 60);
    auto st = s->transaction([&]() -> lb::Status {
      for (int i = 0; i < 5500; ++i) {
        Annotation a;
        a.itemId = *id;
        a.classId = s->schema().classes[i % 3].id;
        const double x = ux(rng), y = uy(rng), w = us(rng), h = us(rng);
        if (i < 5000) {
          a.kind = AnnotationKind::Box;
          a.coords = {x, y, x + w, y + h};
        } else {
          a.kind = AnnotationKind::Polygon;
          for (int k = 0; k < 12; ++k) {
            const double t = k * 2 * M_PI / 12;
            a.coords.push_back(x + w * (1 + std::cos(t)));
            a.coords.push_back(y + h * (1 + std::sin(t)));
          }
        }
        a.zOrder = i;
        if (auto r = s->insertAnnotation(a); !r) return r.error();
      }
      return lb::okStatus();
    });
    std::printf("%s: 1 item, 5000 boxes, 500 polygons %s\n", (out / "frame.lbproj").c_str(), st ? "" : st.error().message.c_str());
  }
  {  // next.lbproj: 24 images of 4000 x 3000 (12 MP), each a little different
    auto s = fresh(out / "next.lbproj");
    auto batch = s->createBatch("next", "bench");
    cv::Mat base;
    cv::resize(photo, base, cv::Size(4000, 3000), 0, 0, cv::INTER_CUBIC);
    for (int i = 0; i < 24; ++i) {
      cv::Mat img = base.clone();
      cv::putText(img, "frame " + std::to_string(i), cv::Point(200, 400), cv::FONT_HERSHEY_SIMPLEX, 10,
                  cv::Scalar(255, 255, 255), 20);
      const std::string rel = "media/next_" + std::to_string(100 + i) + ".jpg";
      cv::imwrite((out / rel).string(), img, {cv::IMWRITE_JPEG_QUALITY, 90});
      (void)s->insertItem(imageItem(*batch, rel, img, thumb, thumbImg.cols, thumbImg.rows));
    }
    std::printf("%s: 24 items of 4000x3000\n", (out / "next.lbproj").c_str());
  }
  {  // large.lbproj: 100,000 rows with small thumbnails (all point at one real image)
    cv::imwrite((out / "media/large.jpg").string(), photo);
    auto s = fresh(out / "large.lbproj");
    auto batch = s->createBatch("large", "bench");
    cv::Mat small;
    cv::resize(photo, small, cv::Size(64, 64 * photo.rows / photo.cols), 0, 0, cv::INTER_AREA);
    const auto smallThumb = jpeg(small, 70);
    const auto t0 = std::chrono::steady_clock::now();
    auto st = s->transaction([&]() -> lb::Status {
      for (int i = 0; i < 100000; ++i) {
        NewItem n = imageItem(*batch, "media/large.jpg", photo, smallThumb, small.cols, small.rows);
        n.item.sourceKey = "large/" + std::to_string(i);
        n.item.mediaPath = "media/large.jpg";
        if (auto r = s->insertItem(n); !r) return r.error();
      }
      return lb::okStatus();
    });
    const double s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s: 100000 items in %.1f s %s\n", (out / "large.lbproj").c_str(), s_, st ? "" : st.error().message.c_str());
  }
  return makeHuge(out);
}
