// Edge snapping, display enhancement, propagation and the Debian-model pre-labels.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "assist/assist_helpers.h"
#include "labeling/assist/edge_snap.h"
#include "labeling/assist/enhance.h"
#include "labeling/assist/prelabel.h"
#include "labeling/assist/propagate.h"
#include "support/test_support.h"

using namespace lb::labeling;
using namespace lb::labeling::assist;
using lb::ErrorCode;

namespace {

// Dark square (100..199) on a bright background: its edges are known to the pixel.
cv::Mat squareImage() {
  cv::Mat img(300, 300, CV_8UC3, cv::Scalar(220, 220, 220));
  img(cv::Rect(100, 100, 100, 100)).setTo(cv::Scalar(30, 30, 30));
  return img;
}

}  // namespace

TEST(EdgeSnap, VertexNearAnEdgeMovesOntoItAndAFarVertexStays) {
  const cv::Mat img = squareImage();
  Annotation poly;
  poly.id = 42;
  poly.kind = AnnotationKind::Polygon;
  // (97, 150) is 3 px left of the square's left edge; (150, 150) is 50 px from any edge.
  poly.coords = {97, 150, 150, 103, 150, 150};
  auto p = snapToEdges(img, poly);
  ASSERT_TRUE(p) << p.error().message;
  const Annotation& out = p->annotations.at(0);
  EXPECT_EQ(out.id, 42);  // an edit of the same object
  EXPECT_NEAR(out.coords[0], 100, 1.0);
  EXPECT_NEAR(out.coords[1], 150, 1.0);
  EXPECT_NEAR(out.coords[3], 100, 1.0);  // (150, 103) snaps up onto the top edge
  EXPECT_EQ(out.coords[4], 150);         // nothing within 5 px: unchanged
  EXPECT_EQ(out.coords[5], 150);
  EXPECT_NE(p->note.find("2 of 3"), std::string::npos) << p->note;
}

TEST(EdgeSnap, BoxSidesMoveToTheObjectsOutline) {
  const cv::Mat img = squareImage();
  Annotation box;
  box.kind = AnnotationKind::Box;
  box.coords = {96, 103, 204, 197};
  auto p = snapToEdges(img, box);
  ASSERT_TRUE(p) << p.error().message;
  const auto& c = p->annotations.at(0).coords;
  EXPECT_NEAR(c[0], 100, 1.0);
  EXPECT_NEAR(c[1], 100, 1.0);
  EXPECT_NEAR(c[2], 200, 1.0);
  EXPECT_NEAR(c[3], 200, 1.0);

  Annotation span;
  span.kind = AnnotationKind::Span;
  span.coords = {0, 4};
  EXPECT_EQ(snapToEdges(img, span).error().code, ErrorCode::InvalidArgument);
}

TEST(Enhance, RaisesContrastOfADarkImageWithoutTouchingTheOriginal) {
  cv::Mat dark = cv::imread(lb::test::opencvSample("baboon.jpg"));
  ASSERT_FALSE(dark.empty());
  dark.convertTo(dark, CV_8UC3, 0.15, 5);  // a badly under-exposed photo
  const cv::Mat before = dark.clone();
  const cv::Mat shown = enhanceForDisplay(dark);
  ASSERT_EQ(shown.size(), dark.size());
  ASSERT_EQ(shown.type(), dark.type());
  cv::Scalar meanIn, sdIn, meanOut, sdOut;
  cv::meanStdDev(dark, meanIn, sdIn);
  cv::meanStdDev(shown, meanOut, sdOut);
  EXPECT_GT(sdOut[0], 1.5 * sdIn[0]);  // CLAHE clip 2: about 1.9x here
  EXPECT_EQ(cv::norm(dark, before, cv::NORM_INF), 0);  // viewing only
}

TEST(Propagate, BoxFollowsTheObjectIntoAShiftedFrame) {
  const cv::Mat scene = cv::imread(lb::test::opencvSample("fruits.jpg"));
  ASSERT_FALSE(scene.empty());
  // Frame 2 is frame 1 with the camera moved by (18, 11) pixels.
  const cv::Rect view1(40, 40, 400, 300);
  const cv::Rect view2 = view1 + cv::Point(18, 11);
  const cv::Mat f1 = scene(view1).clone(), f2 = scene(view2).clone();
  Annotation box;
  box.kind = AnnotationKind::Box;
  box.classId = 5;
  box.coords = {150, 100, 250, 190};
  auto p = propagateBoxes(f1, f2, {box});
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->annotations.size(), 1u);
  const Annotation& a = p->annotations[0];
  EXPECT_EQ(a.source, "assist:propagate@1");
  EXPECT_EQ(a.classId, 5);
  EXPECT_NEAR(a.coords[0], 150 - 18, 4);
  EXPECT_NEAR(a.coords[1], 100 - 11, 4);
  EXPECT_NEAR(a.coords[2], 250 - 18, 4);
  EXPECT_NEAR(a.coords[3], 190 - 11, 4);
}

TEST(Propagate, RefusesAFrameThatIsNotSimilar) {
  cv::Mat f1 = cv::imread(lb::test::opencvSample("fruits.jpg"));
  ASSERT_FALSE(f1.empty());
  cv::Mat f2(f1.size(), f1.type(), cv::Scalar(0, 0, 0));
  cv::rectangle(f2, cv::Rect(0, 0, f2.cols / 2, f2.rows), cv::Scalar(255, 255, 255), cv::FILLED);
  Annotation box;
  box.kind = AnnotationKind::Box;
  box.coords = {10, 10, 60, 60};
  auto p = propagateBoxes(f1, f2, {box});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::BadInput);
  EXPECT_NE(p.error().message.find("not similar"), std::string::npos);
}

TEST(PreLabel, FaceCascadeFindsTheAstronautsFace) {
  const cv::Mat img = cv::imread("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
  ASSERT_FALSE(img.empty());
  auto p = detectFaces(img);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_GE(p->annotations.size(), 1u);
  // The face (Eileen Collins, 512x512 photo) lies around x 170..260, y 50..140.
  bool onFace = false;
  for (const auto& a : p->annotations) {
    EXPECT_EQ(a.source, "assist:faces@1");
    const double cx = (a.coords[0] + a.coords[2]) / 2, cy = (a.coords[1] + a.coords[3]) / 2;
    onFace |= cx > 170 && cx < 260 && cy > 50 && cy < 140;
  }
  EXPECT_TRUE(onFace);

  FaceOptions missing;
  missing.cascadePath = "/nonexistent/cascade.xml";
  auto err = detectFaces(img, missing);
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().code, ErrorCode::NotFound);
  EXPECT_NE(err.error().message.find("opencv-data"), std::string::npos);
}

TEST(PreLabel, TesseractTranscribesEachTextLine) {
  cv::Mat page(260, 900, CV_8UC1, cv::Scalar(255));
  cv::putText(page, "INVOICE 2024", {40, 90}, cv::FONT_HERSHEY_DUPLEX, 2.0, cv::Scalar(0), 3, cv::LINE_AA);
  cv::putText(page, "TOTAL 315 YUAN", {40, 200}, cv::FONT_HERSHEY_DUPLEX, 2.0, cv::Scalar(0), 3, cv::LINE_AA);
  auto p = recognizeTextLines(page);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->annotations.size(), 2u) << p->note;
  const auto first = nlohmann::json::parse(p->annotations[0].dataJson);
  const auto second = nlohmann::json::parse(p->annotations[1].dataJson);
  EXPECT_NE(first["transcription"].get<std::string>().find("INVOICE"), std::string::npos) << first.dump();
  EXPECT_NE(second["transcription"].get<std::string>().find("315"), std::string::npos) << second.dump();
  EXPECT_LT(p->annotations[0].coords[3], p->annotations[1].coords[1]);  // line 1 above line 2
  EXPECT_EQ(p->annotations[0].source, "assist:ocr@1");

  OcrOptions klingon;
  klingon.languages = "tlh";
  auto missing = recognizeTextLines(page, klingon);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);

  CancelFlag cancel{true};
  auto cancelled = recognizeTextLines(page, {}, &cancel);
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, ErrorCode::Cancelled);
}
