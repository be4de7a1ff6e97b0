// Cutting a video into frames for import: every N-th frame becomes a JPEG in the media folder.
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "labeling/import/image_sources.h"

namespace lb::labeling {

namespace fs = std::filesystem;

void extractVideoFrames(const fs::path& video, const std::string& displayName, const SourceContext& ctx,
                        ImportPlan& plan) {
  const int step = std::max(1, ctx.videoFrameStep);
  const std::string videoKey = relativeMediaPath(video, ctx.mediaRoot);
  cv::VideoCapture cap;
  try {
    cap.open(video.string());
  } catch (const cv::Exception&) {
  }
  if (!cap.isOpened()) {
    plan.rejected.push_back({displayName, displayName + ": cannot be opened as a video (unsupported codec or damaged file)"});
    return;
  }
  const fs::path dir = ctx.extractRoot / (video.stem().string() + "_frames");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    plan.rejected.push_back({displayName, displayName + ": cannot create " + dir.string() + " (" + ec.message() + ")"});
    return;
  }
  cv::Mat frame;
  int index = 0;
  int kept = 0;
  // grab() every frame (cheap), retrieve() only the kept ones: seeking is unreliable in many
  // containers, sequential reading is exact.
  for (; cap.grab(); ++index) {
    if (ctx.cancel && ctx.cancel->load()) return;
    if (index % step != 0) continue;
    const std::string key = videoKey + "#frame=" + std::to_string(index);
    if (ctx.known && ctx.known(key)) {
      ++plan.alreadyInProject;
      ++kept;
      continue;
    }
    if (!cap.retrieve(frame) || frame.empty()) break;
    char name[32];
    std::snprintf(name, sizeof name, "frame_%06d.jpg", index);
    const fs::path out = dir / name;
    if (!cv::imwrite(out.string(), frame, {cv::IMWRITE_JPEG_QUALITY, 95})) {
      plan.rejected.push_back({displayName, displayName + ": cannot write frame " + out.string()});
      return;
    }
    ImportCandidate c;
    c.path = out.string();
    c.displayName = displayName + "#frame=" + std::to_string(index);
    c.mediaPath = relativeMediaPath(out, ctx.mediaRoot);
    c.sourceKey = key;
    c.frameIndex = index;
    plan.candidates.push_back(std::move(c));
    ++kept;
  }
  if (kept == 0)
    plan.rejected.push_back({displayName, displayName + ": no frame could be decoded (damaged video?)"});
}

}  // namespace lb::labeling
