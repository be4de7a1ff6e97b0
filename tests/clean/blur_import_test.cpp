// Blur as the import measures it: from the file, through the import's own decode (the luma at
// twice the thumbnail decode's resolution), at 1080p and at 12 MP with one threshold.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <string>

#include "labeling/import/image_decode.h"
#include "labeling/import/image_signals.h"
#include "clean_fixture.h"

using namespace lb;
using namespace lb::labeling;

namespace {

double importedBlur(const lb::test::TempDir& dir, const cv::Mat& img, const std::string& name) {
  const std::string path = (dir.path() / name).string();
  cv::imwrite(path, img, {cv::IMWRITE_JPEG_QUALITY, 92});
  auto item = prepareImage(path, name, 100'000'000);
  EXPECT_TRUE(item) << name;
  if (!item) return -1;
  for (const auto& s : item->signals)
    if (s.key == signal_keys::kBlur) return s.number;
  ADD_FAILURE() << name << ": no blur signal";
  return -1;
}

// A sharp photo of `size`: a large real photo (aloeL, 1282x1110) cropped to the aspect and
// scaled, then sharpened a little as a camera does.
cv::Mat sharpPhoto(cv::Size size) {
  const cv::Mat src = lb::test::photo("aloeL.jpg");
  const int h = src.cols * size.height / size.width;
  cv::Mat scaled, soft;
  cv::resize(src(cv::Rect(0, (src.rows - h) / 2, src.cols, h)), scaled, size, 0, 0, cv::INTER_CUBIC);
  cv::GaussianBlur(scaled, soft, cv::Size(0, 0), 1.5 * size.width / 1920.0);
  cv::addWeighted(scaled, 1.8, soft, -0.8, 0, scaled);
  return scaled;
}

}  // namespace

TEST(BlurThroughImport, OneThresholdSeparatesSharpFromBlurredAt1080pAnd12MP) {
  lb::test::TempDir dir;
  const double limit = lb::test::defaultThreshold("blur");
  for (const cv::Size size : {cv::Size(1920, 1080), cv::Size(4032, 3024)}) {
    const std::string tag = std::to_string(size.width);
    const cv::Mat sharp = sharpPhoto(size);
    // A blur from the middle of the corpus generator's range (2.5-6 px per 1920 px of width) and
    // a heavy one. (Recall over the whole range is bench_clean's to measure.)
    cv::Mat mild, heavy, dark;
    cv::GaussianBlur(sharp, mild, cv::Size(0, 0), 4.0 * size.width / 1920.0);
    cv::GaussianBlur(sharp, heavy, cv::Size(0, 0), 12.0 * size.width / 1920.0);
    sharp.convertTo(dark, CV_8U, 0.1);
    const double s = importedBlur(dir, sharp, "sharp" + tag + ".jpg"), m = importedBlur(dir, mild, "mild" + tag + ".jpg");
    const double h = importedBlur(dir, heavy, "heavy" + tag + ".jpg"), d = importedBlur(dir, dark, "dark" + tag + ".jpg");
    EXPECT_LT(s, limit) << tag;
    EXPECT_GE(m, limit) << tag;
    EXPECT_GT(h, m) << tag << ": a heavier blur scores higher";
    EXPECT_LT(d, limit) << tag << ": a dark but sharp photo is not blurry";
  }
}
