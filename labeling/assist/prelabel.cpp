#include "labeling/assist/prelabel.h"

#include <nlohmann/json.hpp>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <filesystem>
#include <memory>

namespace lb::labeling::assist {
namespace {

cv::Mat toGrey(const cv::Mat& image) {
  if (image.channels() == 1) return image;
  cv::Mat g;
  cv::cvtColor(image, g, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return g;
}

}  // namespace

Result<Proposal> detectFaces(const cv::Mat& image, const FaceOptions& options, const CancelFlag* cancel) {
  if (image.empty()) return makeError(ErrorCode::InvalidArgument, "face pre-labels need an image");
  if (!std::filesystem::exists(options.cascadePath))
    return makeError(ErrorCode::NotFound, "face cascade " + options.cascadePath +
                                              " is missing; install the Debian package opencv-data");
  cv::CascadeClassifier cascade;
  if (!cascade.load(options.cascadePath))
    return makeError(ErrorCode::BadInput, "face cascade " + options.cascadePath + " could not be read");
  if (isCancelled(cancel)) return cancelledError("Face pre-labelling");

  const double scale = std::min(1.0, double(options.workingSide_px) / std::max(image.cols, image.rows));
  cv::Mat g = toGrey(image);
  if (scale < 1.0) cv::resize(g, g, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::equalizeHist(g, g);
  std::vector<cv::Rect> faces;
  const int minSide = std::max(8, int(options.minSize_px * scale));
  cascade.detectMultiScale(g, faces, options.scaleFactor, options.minNeighbors, 0, cv::Size(minSide, minSide));
  if (isCancelled(cancel)) return cancelledError("Face pre-labelling");

  Proposal p{kFacesId, kFacesVersion, {}, {}};
  for (const auto& f : faces) {
    Annotation a;
    a.kind = AnnotationKind::Box;
    a.classId = options.classId;
    a.coords = {f.x / scale, f.y / scale, f.br().x / scale, f.br().y / scale};
    a.source = p.source();
    p.annotations.push_back(std::move(a));
  }
  p.note = std::to_string(faces.size()) + " faces found";
  return p;
}

Result<Proposal> recognizeTextLines(const cv::Mat& image, const OcrOptions& options, const CancelFlag* cancel) {
  if (image.empty()) return makeError(ErrorCode::InvalidArgument, "text pre-labels need an image");
  tesseract::TessBaseAPI api;
  // Init prints to stderr on failure and returns non-zero; the message we give says what to do.
  if (api.Init(options.tessdataDir.empty() ? nullptr : options.tessdataDir.c_str(), options.languages.c_str(),
               tesseract::OEM_DEFAULT) != 0)
    return makeError(ErrorCode::NotFound, "Tesseract has no data for '" + options.languages +
                                              "'; install tesseract-ocr-eng / tesseract-ocr-chi-sim");
  api.SetPageSegMode(tesseract::PSM_AUTO);
  const cv::Mat g = toGrey(image);
  const cv::Mat cont = g.isContinuous() ? g : g.clone();
  api.SetImage(cont.data, cont.cols, cont.rows, 1, int(cont.step));

  tesseract::ETEXT_DESC monitor;
  monitor.cancel = [](void* flag, int) -> bool { return isCancelled(static_cast<const CancelFlag*>(flag)); };
  monitor.cancel_this = const_cast<CancelFlag*>(cancel);
  const int rc = api.Recognize(&monitor);
  if (isCancelled(cancel)) return cancelledError("Text pre-labelling");
  if (rc != 0) return makeError(ErrorCode::BadInput, "Tesseract could not read this image");

  Proposal p{kOcrId, kOcrVersion, {}, {}};
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  const auto level = tesseract::RIL_TEXTLINE;
  if (it) do {
      std::unique_ptr<char[]> text(it->GetUTF8Text(level));
      if (!text) continue;
      std::string line(text.get());
      while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
      const float conf = it->Confidence(level);
      int x1, y1, x2, y2;
      if (line.empty() || conf < options.minConfidence || !it->BoundingBox(level, &x1, &y1, &x2, &y2)) continue;
      Annotation a;
      a.kind = AnnotationKind::Box;
      a.classId = options.classId;
      a.coords = {double(x1), double(y1), double(x2), double(y2)};
      a.dataJson = nlohmann::json{{"transcription", line}, {"confidence", std::round(conf * 10) / 10}}.dump();
      a.source = p.source();
      p.annotations.push_back(std::move(a));
    } while (it->Next(level));
  p.note = std::to_string(p.annotations.size()) + " text lines found";
  return p;
}

}  // namespace lb::labeling::assist
