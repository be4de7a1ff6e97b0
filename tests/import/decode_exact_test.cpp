// The import's own JPEG decode and area resize must give OpenCV's pixels exactly (decodeJpegBgr,
// AreaResizer), and its luma-and-BGR decode must give the luma at twice the BGR's resolution,
// oriented alike, with BGR within 3 levels of OpenCV's.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "labeling/import/area_resize.h"
#include "labeling/import/image_signals.h"
#include "labeling/import/jpeg_decode.h"
#include "labeling/import/luma_pass.h"
#include "import/import_fixtures.h"
#include "support/test_support.h"

using namespace lb::labeling;

namespace {

int readFlagFor(int denom) {
  return denom == 8 ? cv::IMREAD_REDUCED_COLOR_8
         : denom == 4 ? cv::IMREAD_REDUCED_COLOR_4
         : denom == 2 ? cv::IMREAD_REDUCED_COLOR_2
                      : cv::IMREAD_COLOR;
}

// Expect decodeJpegBgr == cv::imdecode at every DCT scale. `mayDecline`: the fast path may
// hand the file back to OpenCV (empty result) instead.
void expectSameAsOpenCV(const std::vector<unsigned char>& jpeg, const std::string& what, bool mayDecline = false) {
  for (int denom : {1, 2, 4, 8}) {
    const cv::Mat reference = cv::imdecode(jpeg, readFlagFor(denom));
    const cv::Mat ours = decodeJpegBgr(jpeg.data(), jpeg.size(), denom);
    if (ours.empty() && mayDecline) continue;
    ASSERT_FALSE(ours.empty()) << what << " 1/" << denom;
    ASSERT_EQ(ours.size(), reference.size()) << what << " 1/" << denom;
    ASSERT_EQ(ours.type(), reference.type()) << what << " 1/" << denom;
    EXPECT_EQ(cv::norm(ours, reference, cv::NORM_INF), 0.0) << what << " 1/" << denom;
  }
}

// FF E1, length, then the two parts.
std::vector<unsigned char> app1Segment(const std::vector<unsigned char>& head, const std::vector<unsigned char>& body) {
  const std::size_t len = 2 + head.size() + body.size();
  std::vector<unsigned char> seg(2 + len);
  seg[0] = 0xFF;
  seg[1] = 0xE1;
  seg[2] = static_cast<unsigned char>(len >> 8);
  seg[3] = static_cast<unsigned char>(len & 0xFF);
  std::copy(head.begin(), head.end(), seg.begin() + 4);
  std::copy(body.begin(), body.end(), seg.begin() + 4 + static_cast<std::ptrdiff_t>(head.size()));
  return seg;
}

// An APP1 Exif segment with IFD0 holding Orientation = `orientation` (and a Make string first,
// so the orientation is not the only entry), little- or big-endian.
std::vector<unsigned char> exifApp1(int orientation, bool bigEndian) {
  std::vector<unsigned char> tiff;
  auto u16 = [&](int v) {
    const auto hi = static_cast<unsigned char>((v >> 8) & 0xFF), lo = static_cast<unsigned char>(v & 0xFF);
    tiff.push_back(bigEndian ? hi : lo);
    tiff.push_back(bigEndian ? lo : hi);
  };
  auto u32 = [&](std::uint32_t v) {
    if (bigEndian) { u16(static_cast<int>(v >> 16)); u16(static_cast<int>(v & 0xFFFF)); }
    else { u16(static_cast<int>(v & 0xFFFF)); u16(static_cast<int>(v >> 16)); }
  };
  tiff.push_back(bigEndian ? 'M' : 'I');
  tiff.push_back(bigEndian ? 'M' : 'I');
  u16(0x2A);
  u32(8);
  u16(2);                                        // two entries
  u16(0x010F); u16(2); u32(4);  // Make "LB!"
  for (char c : {'L', 'B', '!', '\0'}) tiff.push_back(static_cast<unsigned char>(c));
  u16(0x0112); u16(3); u32(1); u16(orientation); u16(0);
  u32(0);                                        // no next IFD
  const std::string exif("Exif\0\0", 6);
  return app1Segment(std::vector<unsigned char>(exif.begin(), exif.end()), tiff);
}

std::vector<unsigned char> withSegmentsAfterSoi(std::vector<unsigned char> jpeg, const std::vector<std::vector<unsigned char>>& segs) {
  std::size_t at = 2;
  for (const auto& s : segs) {
    jpeg.insert(jpeg.begin() + static_cast<std::ptrdiff_t>(at), s.begin(), s.end());
    at += s.size();
  }
  return jpeg;
}

// A photo cropped to a size that is no multiple of 8 or 16, so that scaling, padding and every
// orientation are visible.
cv::Mat oddPhoto() {
  cv::Mat img = cv::imread(lb::test::opencvSample("fruits.jpg"), cv::IMREAD_COLOR);
  return img(cv::Rect(3, 5, 301, 187)).clone();
}

std::vector<unsigned char> encode(const cv::Mat& img, std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, 90}) {
  std::vector<unsigned char> out;
  cv::imencode(".jpg", img, out, params);
  return out;
}

}  // namespace

TEST(DecodeExact, OpenCVSampleJpegsDecodeToOpenCVsPixelsAtEveryScale) {
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator("/usr/share/doc/opencv-doc/examples/data")) {
    if (e.path().extension() != ".jpg") continue;
    std::vector<unsigned char> bytes = lb::test::readBytes(e.path());
    expectSameAsOpenCV(bytes, e.path().filename().string());  // baseline, progressive, with APP1s
    ++files;
  }
  EXPECT_GT(files, 20);
}

TEST(DecodeExact, EveryExifOrientationMatchesOpenCV) {
  const auto plain = encode(oddPhoto());
  for (bool bigEndian : {false, true})
    for (int o = 1; o <= 8; ++o)
      expectSameAsOpenCV(withSegmentsAfterSoi(plain, {exifApp1(o, bigEndian)}),
                         "orientation " + std::to_string(o) + (bigEndian ? " MM" : " II"));
  // Orientation 6 really turns the image (the rows become the columns).
  const auto turned = withSegmentsAfterSoi(plain, {exifApp1(6, false)});
  EXPECT_EQ(decodeJpegBgr(turned.data(), turned.size(), 1).size(), cv::Size(187, 301));
}

TEST(DecodeExact, OnlyTheFirstApp1CountsAsOpenCVReadsIt) {
  const auto plain = encode(oddPhoto());
  // An XMP packet first, then Exif with orientation 8: OpenCV reads the first APP1 only.
  const std::string ns("http://ns.adobe.com/xap/1.0/\0", 29);
  const std::string packet = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><tiff:Orientation>8</tiff:Orientation></x:xmpmeta>";
  const auto xmp = app1Segment(std::vector<unsigned char>(ns.begin(), ns.end()),
                               std::vector<unsigned char>(packet.begin(), packet.end()));
  expectSameAsOpenCV(withSegmentsAfterSoi(plain, {xmp, exifApp1(8, false)}), "xmp then exif");
  // Damaged Exif: wrong byte-order mark, IFD offset past the end, a truncated entry.
  auto badOrder = exifApp1(6, false);
  badOrder[10] = 'X';
  expectSameAsOpenCV(withSegmentsAfterSoi(plain, {badOrder}), "bad byte order");
  auto farIfd = exifApp1(6, false);
  farIfd[14] = 0xF0;
  expectSameAsOpenCV(withSegmentsAfterSoi(plain, {farIfd}), "ifd past end");
  auto cut = exifApp1(3, true);
  cut.resize(cut.size() - 9);
  cut[2] = static_cast<unsigned char>((cut.size() - 2) >> 8);
  cut[3] = static_cast<unsigned char>((cut.size() - 2) & 0xFF);
  expectSameAsOpenCV(withSegmentsAfterSoi(plain, {cut}), "truncated ifd");
}

TEST(DecodeExact, GrayProgressiveAndRestartMarkersMatchOpenCV) {
  cv::Mat gray;
  cv::cvtColor(oddPhoto(), gray, cv::COLOR_BGR2GRAY);
  expectSameAsOpenCV(encode(gray), "grayscale");
  expectSameAsOpenCV(encode(oddPhoto(), {cv::IMWRITE_JPEG_QUALITY, 80, cv::IMWRITE_JPEG_PROGRESSIVE, 1}), "progressive");
  expectSameAsOpenCV(encode(oddPhoto(), {cv::IMWRITE_JPEG_RST_INTERVAL, 3}), "restart markers");
}

TEST(DecodeExact, DamagedJpegIsEitherLeftToOpenCVOrTheSame) {
  auto bytes = encode(oddPhoto());
  auto truncated = bytes;
  truncated.resize(bytes.size() / 2);
  expectSameAsOpenCV(truncated, "truncated", true);
  auto garbage = bytes;
  for (std::size_t i = garbage.size() / 2; i < garbage.size() / 2 + 200; ++i) garbage[i] = static_cast<unsigned char>(i * 31);
  expectSameAsOpenCV(garbage, "garbled scan", true);
  const std::vector<unsigned char> notJpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2};
  EXPECT_TRUE(decodeJpegBgr(notJpeg.data(), notJpeg.size(), 4).empty());
}

TEST(AreaResize, SamePixelsAsCvResizeForCropsOfEverySize) {
  cv::Mat gray;
  cv::cvtColor(cv::imread(lb::test::opencvSample("baboon.jpg"), cv::IMREAD_COLOR), gray, cv::COLOR_BGR2GRAY);
  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // Whole-image resizes: non-integer factors (the area path), integer factors and enlarging
  // (handed to cv::resize), and odd sizes.
  for (int i = 0; i < 150; ++i) {
    const cv::Size src(pick(1, 400), pick(1, 400));
    cv::Mat s;
    cv::resize(gray, s, src, 0, 0, cv::INTER_LINEAR);
    const cv::Size dst = i % 3 == 0 ? cv::Size(32, 32) : cv::Size(pick(1, 200), pick(1, 200));
    cv::Mat expected, ours;
    cv::resize(s, expected, dst, 0, 0, cv::INTER_AREA);
    areaResize8u(s, ours, dst);
    ASSERT_EQ(cv::norm(expected, ours, cv::NORM_INF), 0.0) << src << " -> " << dst;
  }
  // Many crops of one image through one resizer (shared row sums), as the views are cut.
  cv::Mat base;
  cv::resize(gray, base, cv::Size(128, 93), 0, 0, cv::INTER_AREA);
  AreaResizer resizer(base);
  for (int i = 0; i < 300; ++i) {
    const int w = pick(1, base.cols), h = pick(1, base.rows);
    const cv::Rect r(pick(0, base.cols - w), pick(0, base.rows - h), w, h);
    const cv::Size dst = i % 2 ? cv::Size(32, 32) : cv::Size(pick(1, 64), pick(1, 64));
    cv::Mat expected, ours;
    cv::resize(base(r), expected, dst, 0, 0, cv::INTER_AREA);
    resizer.resize(r, dst, ours);
    ASSERT_EQ(cv::norm(expected, ours, cv::NORM_INF), 0.0) << r << " -> " << dst;
  }
}

TEST(SignalsLuma, EveryColourGivesCvtColorsGrey) {
  cv::Mat all(4096, 4096, CV_8UC3);
  for (int i = 0; i < (1 << 24); ++i) {
    auto* p = all.ptr<unsigned char>(0) + 3 * static_cast<std::size_t>(i);
    p[0] = static_cast<unsigned char>(i & 255);
    p[1] = static_cast<unsigned char>((i >> 8) & 255);
    p[2] = static_cast<unsigned char>(i >> 16);
  }
  cv::Mat expected;
  cv::cvtColor(all, expected, cv::COLOR_BGR2GRAY);
  EXPECT_EQ(cv::norm(bgrToGray(all), expected, cv::NORM_INF), 0.0);
}

namespace {
// The view hashes straight from cv::dct (what the stored hashes were made from).
DupViewHash hashFromCvDct(const cv::Mat& view32) {
  cv::Mat f, d;
  view32.convertTo(f, CV_32F);
  cv::dct(f, d);
  DupViewHash h;
  float low[64];
  double sum = 0;
  for (int k = 0; k < 64; ++k) {
    low[k] = k == 0 ? 0.f : d.at<float>(k / 8, k % 8);
    sum += low[k];
  }
  const auto mean = static_cast<float>(sum / 64);
  for (int k = 0; k < 64; ++k)
    if (low[k] > mean) h.phash |= 1ull << k;
  std::vector<float> band;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x)
      if (y >= 8 || x >= 8) band.push_back(d.at<float>(y, x));
  std::vector<float> sorted = band;
  std::nth_element(sorted.begin(), sorted.begin() + 96, sorted.end());
  for (int i = 0; i < 192; ++i)
    if (band[i] > sorted[96]) h.band[i / 64] |= 1ull << (i % 64);
  return h;
}
}  // namespace

TEST(ViewHash, SameBitsAsFromCvDctOnPhotosAndOnTieProneViews) {
  std::vector<cv::Mat> views;
  std::mt19937 rng(5);
  for (const char* name : {"baboon.jpg", "fruits.jpg", "building.jpg", "aloeL.jpg", "starry_night.jpg"}) {
    cv::Mat gray;
    cv::cvtColor(cv::imread(lb::test::opencvSample(name), cv::IMREAD_COLOR), gray, cv::COLOR_BGR2GRAY);
    for (int i = 0; i < 300; ++i) {
      const int w = std::uniform_int_distribution<int>(32, gray.cols)(rng), h = std::uniform_int_distribution<int>(32, gray.rows)(rng);
      const cv::Rect r(std::uniform_int_distribution<int>(0, gray.cols - w)(rng), std::uniform_int_distribution<int>(0, gray.rows - h)(rng), w, h);
      cv::Mat v;
      cv::resize(gray(r), v, cv::Size(32, 32), 0, 0, cv::INTER_AREA);
      views.push_back(v);
    }
  }
  // Flat, ramps, stripes, a checkerboard: many coefficients equal (ties the fast path must
  // leave to cv::dct).
  views.push_back(cv::Mat(32, 32, CV_8U, cv::Scalar(128)));
  cv::Mat ramp(32, 32, CV_8U), stripes(32, 32, CV_8U), checker(32, 32, CV_8U);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) {
      ramp.at<unsigned char>(y, x) = static_cast<unsigned char>(x * 8);
      stripes.at<unsigned char>(y, x) = static_cast<unsigned char>((x / 4) % 2 ? 200 : 40);
      checker.at<unsigned char>(y, x) = static_cast<unsigned char>(((x / 8) + (y / 8)) % 2 ? 255 : 0);
    }
  for (const cv::Mat& m : {ramp, stripes, checker}) {
    views.push_back(m);
    views.push_back(m.t());
  }
  for (std::size_t i = 0; i < views.size(); ++i) {
    const DupViewHash ours = hashDupView(views[i]), reference = hashFromCvDct(views[i]);
    ASSERT_EQ(ours.phash, reference.phash) << "view " << i;
    ASSERT_EQ(ours.band, reference.band) << "view " << i;
  }
}

TEST(SignalsLuma, HistogramAndColourSpreadAtEveryRowWidth) {
  for (int cols = 1; cols <= 70; ++cols) {
    cv::Mat bgr(3, cols, CV_8UC3);
    cv::randu(bgr, cv::Scalar::all(0), cv::Scalar::all(256));
    cv::Mat gray;
    const LumaStats stats = lumaStats(bgr, gray);
    cv::Mat expectedGray;
    cv::cvtColor(bgr, expectedGray, cv::COLOR_BGR2GRAY);
    ASSERT_EQ(cv::norm(gray, expectedGray, cv::NORM_INF), 0.0) << cols;
    std::array<std::uint32_t, 256> hist{};
    std::uint64_t spread = 0;
    for (int y = 0; y < bgr.rows; ++y)
      for (int x = 0; x < cols; ++x) {
        const auto p = bgr.at<cv::Vec3b>(y, x);
        ++hist[expectedGray.at<unsigned char>(y, x)];
        spread += static_cast<std::uint64_t>(std::max({p[0], p[1], p[2]}) - std::min({p[0], p[1], p[2]}));
      }
    EXPECT_EQ(stats.histogram, hist) << cols;
    EXPECT_EQ(stats.chromaSum, spread) << cols;
  }
}

TEST(DecodeLumaAndBgr, LumaIsTwiceTheBgrsSizeAndBothMatchOpenCVOrientedAlike) {
  // Colour 4:2:0 (OpenCV's default: the raw-plane path) and grayscale (the BGR fallback),
  // plain and turned by EXIF.
  cv::Mat photo, gray;
  cv::resize(cv::imread(lb::test::opencvSample("fruits.jpg"), cv::IMREAD_COLOR), photo, cv::Size(1203, 677), 0, 0, cv::INTER_CUBIC);
  cv::cvtColor(photo, gray, cv::COLOR_BGR2GRAY);
  // Also progressive and with restart markers (raw-plane output reads both).
  const std::vector<std::pair<std::string, std::vector<int>>> encodings{
      {"baseline", {cv::IMWRITE_JPEG_QUALITY, 92}},
      {"progressive", {cv::IMWRITE_JPEG_QUALITY, 92, cv::IMWRITE_JPEG_PROGRESSIVE, 1}},
      {"restarts", {cv::IMWRITE_JPEG_QUALITY, 92, cv::IMWRITE_JPEG_RST_INTERVAL, 3}}};
  for (const auto& [encoding, params] : encodings)
    for (const cv::Mat* img : {&photo, &gray})
      for (int orientation : {1, 6}) {
        auto jpeg = encode(*img, params);
        if (orientation != 1) jpeg = withSegmentsAfterSoi(jpeg, {exifApp1(orientation, false)});
        const std::string what = encoding + (img == &photo ? " colour" : " gray") + " orientation " + std::to_string(orientation);
        for (int denom : {2, 4, 8}) {
          const auto both = decodeJpegLumaAndBgr(jpeg.data(), jpeg.size(), denom);
          ASSERT_FALSE(both.bgr.empty()) << what;
          const cv::Mat bgrRef = cv::imdecode(jpeg, readFlagFor(denom));
          const cv::Mat lumaRef = cv::imdecode(jpeg, denom == 2 ? cv::IMREAD_GRAYSCALE : denom == 4 ? cv::IMREAD_REDUCED_GRAYSCALE_2 : cv::IMREAD_REDUCED_GRAYSCALE_4);
          ASSERT_EQ(both.bgr.size(), bgrRef.size()) << what << " 1/" << denom;
          ASSERT_EQ(both.luma.size(), lumaRef.size()) << what << " 1/" << denom;
          cv::Mat diff;
          cv::absdiff(both.bgr, bgrRef, diff);
          if (denom >= 4) {  // decoded at 1/(denom/2) and halved: rounding (and chroma's fast IDCT) differ
            EXPECT_LE(cv::norm(diff, cv::NORM_INF), 5.0) << what << " 1/" << denom;
            EXPECT_LE(cv::mean(diff)[0], 1.0) << what << " 1/" << denom;
          } else {  // full-size BGR area-halved: another filter than DCT scaling, close on average
            EXPECT_LE(cv::mean(diff)[0], 1.0) << what << " 1/" << denom;
          }
          // Full size (1/2 asked) goes through BGR and back to gray: rounding each way.
          EXPECT_LE(cv::norm(both.luma, lumaRef, cv::NORM_INF), denom == 2 ? 3.0 : 0.0) << what << " 1/" << denom;
        }
      }
  EXPECT_TRUE(decodeJpegLumaAndBgr(reinterpret_cast<const unsigned char*>("not a jpeg"), 10, 4).bgr.empty());
}
