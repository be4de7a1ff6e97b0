#pragma once
// [SECTION] Pre-labels from models Debian ships: faces from the opencv-data Haar cascades, and
// text lines with their transcriptions from Tesseract (tesseract-ocr, -chi-sim for Chinese).
#include <opencv2/core.hpp>

#include "labeling/assist/proposal.h"

namespace lb::labeling::assist {

inline constexpr const char* kFacesId = "faces";
inline constexpr const char* kFacesVersion = "1";
inline constexpr const char* kOcrId = "ocr";
inline constexpr const char* kOcrVersion = "1";

inline constexpr const char* kDefaultFaceCascade =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

struct FaceOptions {
  std::string cascadePath = kDefaultFaceCascade;
  int workingSide_px = 1024;   // detection runs on the image scaled to this long side
  double scaleFactor = 1.1;
  int minNeighbors = 5;
  int minSize_px = 24;         // in image pixels
  ClassId classId = 0;
};

// Boxes around frontal faces. Errors: NotFound (cascade file missing: install opencv-data),
// InvalidArgument (empty image), Cancelled.
Result<Proposal> detectFaces(const cv::Mat& image, const FaceOptions& options = {},
                             const CancelFlag* cancel = nullptr);

struct OcrOptions {
  std::string languages = "eng";  // Tesseract names joined by '+', e.g. "chi_sim+eng"
  std::string tessdataDir;        // "" = Tesseract's default
  int minConfidence = 30;         // lines below this (0..100) are not proposed
  ClassId classId = 0;
};

// One Box per text line, dataJson {"transcription": "...", "confidence": 0..100}.
// Errors: NotFound (language data missing: install tesseract-ocr-<lang>), InvalidArgument,
// Cancelled (Tesseract is stopped through its progress monitor).
Result<Proposal> recognizeTextLines(const cv::Mat& image, const OcrOptions& options = {},
                                    const CancelFlag* cancel = nullptr);

}  // namespace lb::labeling::assist
