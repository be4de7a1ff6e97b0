// GrabCut, magic wand and the mask <-> RLE helpers, on images whose right answer is known.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "assist/assist_helpers.h"
#include "labeling/assist/grabcut.h"
#include "labeling/assist/magic_wand.h"
#include "labeling/mask_rle.h"

using namespace lb::labeling;
using namespace lb::labeling::assist;
using lb::ErrorCode;

namespace {

// A filled, non-convex shape in a strong colour on colour noise; returns its true mask.
cv::Mat drawBlob(cv::Mat& img, cv::Point centre, int radius) {
  cv::Mat truth(img.size(), CV_8UC1, cv::Scalar(0));
  cv::ellipse(truth, centre, cv::Size(radius, radius * 2 / 3), 20, 0, 360, cv::Scalar(255), cv::FILLED);
  cv::circle(truth, centre + cv::Point(radius * 3 / 4, -radius / 2), radius / 3, cv::Scalar(255), cv::FILLED);
  cv::Mat colour(img.size(), CV_8UC3);
  cv::RNG rng(3);
  rng.fill(colour, cv::RNG::NORMAL, cv::Scalar(30, 170, 230), cv::Scalar(12, 12, 12));
  colour.copyTo(img, truth);
  return truth;
}

}  // namespace

TEST(MaskRle, RoundTripKeepsEveryPixelAndStartsWithBackground) {
  cv::Mat mask(37, 53, CV_8UC1);
  cv::RNG(11).fill(mask, cv::RNG::UNIFORM, 0, 2);
  mask *= 255;
  mask.at<unsigned char>(0, 0) = 255;  // foreground first: the first run must be a 0 background run
  const auto runs = encodeMaskRle(mask);
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs.front(), 0);
  auto back = decodeMaskRle(runs, mask.cols, mask.rows);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(cv::countNonZero(*back != mask), 0);

  auto bad = decodeMaskRle({5, 5}, 4, 4);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::BadInput);
  EXPECT_NE(bad.error().message.find("16"), std::string::npos);
}

TEST(MaskRle, AnnotationIsTightAndRasterisesBackInPlace) {
  cv::Mat full(100, 120, CV_8UC1, cv::Scalar(0));
  cv::rectangle(full, cv::Rect(30, 40, 20, 10), cv::Scalar(255), cv::FILLED);
  cv::circle(full, cv::Point(70, 60), 8, cv::Scalar(255), cv::FILLED);
  // The mask handed over sits at image offset (5, 7).
  const Annotation a = makeMaskAnnotation(full(cv::Rect(5, 7, 110, 90)), cv::Point(5, 7));
  EXPECT_EQ(a.kind, AnnotationKind::Mask);
  ASSERT_EQ(a.coords.size(), 4u);
  EXPECT_EQ(a.coords[0], 30);
  EXPECT_EQ(a.coords[1], 40);
  EXPECT_EQ(a.coords[2], 78 - 30 + 1);
  EXPECT_TRUE(nlohmann::json::parse(a.dataJson).contains("rle"));
  auto back = rasterizeMask(a, full.size());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(cv::countNonZero(*back != full), 0);
}

TEST(GrabCut, PolygonOfAFilledShapeOnNoiseMatchesTheShape) {
  cv::Mat img = lb::test::noiseImage({640, 480});
  const cv::Mat truth = drawBlob(img, {300, 250}, 120);
  const cv::Rect tight = cv::boundingRect(truth);
  GrabCutOptions o;
  o.box = cv::Rect2d(tight.x - 15, tight.y - 12, tight.width + 30, tight.height + 24);
  o.classId = 3;
  auto p = grabCutFromBox(img, o);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->annotations.size(), 1u);
  const Annotation& a = p->annotations[0];
  EXPECT_EQ(a.kind, AnnotationKind::Polygon);
  EXPECT_EQ(a.source, "assist:grabcut@1");
  EXPECT_EQ(a.classId, 3);
  EXPECT_GE(lb::test::iou(lb::test::polygonMask(img.size(), a.coords), truth), 0.9);
  EXPECT_LT(a.coords.size(), 2u * 200);  // simplified, not one vertex per boundary pixel
}

TEST(GrabCut, LargeBoxIsSolvedDownscaledAndScaledBackAsAMask) {
  cv::Mat img = lb::test::noiseImage({2200, 1600}, 9);
  const cv::Mat truth = drawBlob(img, {1100, 800}, 480);
  const cv::Rect tight = cv::boundingRect(truth);
  GrabCutOptions o;
  o.box = cv::Rect2d(tight.x - 40, tight.y - 40, tight.width + 80, tight.height + 80);
  o.output = ShapeOutput::Mask;
  auto p = grabCutFromBox(img, o);
  ASSERT_TRUE(p) << p.error().message;
  const Annotation& a = p->annotations.at(0);
  EXPECT_EQ(a.kind, AnnotationKind::Mask);
  auto mask = rasterizeMask(a, img.size());
  ASSERT_TRUE(mask) << mask.error().message;
  EXPECT_GE(lb::test::iou(*mask, truth), 0.9);
}

TEST(GrabCut, RefusesABoxOutsideTheImageAndStopsWhenCancelled) {
  cv::Mat img = lb::test::noiseImage({200, 200});
  GrabCutOptions o;
  o.box = cv::Rect2d(500, 500, 50, 50);
  auto outside = grabCutFromBox(img, o);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::InvalidArgument);

  o.box = cv::Rect2d(20, 20, 100, 100);
  CancelFlag cancel{true};
  auto cancelled = grabCutFromBox(img, o, &cancel);
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, ErrorCode::Cancelled);
}

TEST(MagicWand, SelectsAFlatRegionAndStopsAtAColourStep) {
  cv::Mat img = lb::test::noiseImage({400, 300});
  const cv::Rect flat(80, 60, 200, 150);
  img(flat).setTo(cv::Scalar(250, 10, 10));
  // A neighbour 60 levels away touching the flat region must not be swallowed.
  img(cv::Rect(280, 60, 60, 150)).setTo(cv::Scalar(190, 10, 10));
  MagicWandOptions o;
  o.seed = {150.5, 120.5};
  o.tolerance = 20;
  auto p = magicWand(img, o);
  ASSERT_TRUE(p) << p.error().message;
  const Annotation& a = p->annotations.at(0);
  EXPECT_EQ(a.kind, AnnotationKind::Polygon);
  EXPECT_EQ(a.source, "assist:magic_wand@1");
  cv::Mat truth(img.size(), CV_8UC1, cv::Scalar(0));
  truth(flat).setTo(255);
  EXPECT_GE(lb::test::iou(lb::test::polygonMask(img.size(), a.coords), truth), 0.97);

  o.output = ShapeOutput::Mask;
  auto m = magicWand(img, o);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->annotations.at(0).coords, (std::vector<double>{80, 60, 200, 150}));
  auto raster = rasterizeMask(m->annotations.at(0), img.size());
  ASSERT_TRUE(raster);
  EXPECT_EQ(cv::countNonZero(*raster != truth), 0);
}

TEST(MagicWand, AClickOutsideTheImageIsRefused) {
  cv::Mat img = lb::test::noiseImage({100, 100});
  MagicWandOptions o;
  o.seed = {-3, 50};
  auto p = magicWand(img, o);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::InvalidArgument);
}
