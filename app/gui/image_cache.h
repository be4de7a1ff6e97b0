#pragma once
// [SECTION] Full images for the canvas. Decoding (cv::imread, EXIF orientation applied) runs on a
// worker; the current item is asked first, then its neighbours, so next/previous show at once.
// An image larger than the GPU's texture limit becomes a pyramid of levels (each half the size
// of the one above) cut into tiles no larger than the limit; the canvas draws the tiles of the
// level that matches its zoom, uploading the visible ones a few per frame.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <opencv2/core.hpp>

#include "labeling/model.h"

namespace lb::app {

class AppContext;

struct ImageTile {
  int x_px = 0, y_px = 0, w_px = 0, h_px = 0;  // in this level's pixels
  cv::Mat pixels;                               // BGR, kept until uploaded
  unsigned int tex = 0;
  std::uint64_t lastFrame = 0;
};

struct ImageLevel {
  double scale = 1.0;  // level pixels per image pixel (1, 0.5, 0.25, ...)
  int width_px = 0, height_px = 0;
  std::vector<ImageTile> tiles;
};

struct DecodedImage {
  enum class State { Loading, Ready, Failed };
  State state = State::Loading;
  std::string error;
  int width_px = 0, height_px = 0;
  std::vector<ImageLevel> levels;  // [0] full size; last = coarsest (one tile)
  double requestedAt_s = 0, readyAt_s = 0;
  std::uint64_t lastUse = 0;
  bool tiled() const { return levels.size() > 1 || (!levels.empty() && levels[0].tiles.size() > 1); }
};

class ImageCache {
 public:
  ImageCache() = default;
  ~ImageCache();
  // Makes sure `item` and `neighbours` are decoded (or on their way); evicts the rest.
  void request(AppContext& ctx, const labeling::Item& item, const std::vector<labeling::ItemId>& neighbours);
  DecodedImage* find(labeling::ItemId id);
  // Uploads up to `budget` pending tiles of `level` that intersect the visible rectangle (image
  // pixels); the coarsest level is always uploaded first so something is always shown.
  void uploadVisible(DecodedImage& img, int level, double x0, double y0, double x1, double y1,
                     std::uint64_t frame, int budget);
  void clear();
  std::size_t textureCount() const;

 private:
  void decode(AppContext& ctx, labeling::ItemId id, bool upload);
  std::unordered_map<labeling::ItemId, std::unique_ptr<DecodedImage>> m_images;
  std::uint64_t m_useCounter = 0;
};

// Cuts one decoded BGR image into a tiled pyramid for a texture limit of `maxTexture_px`.
// Exposed for the tests and benchmarks.
std::vector<ImageLevel> buildPyramid(const cv::Mat& bgr, int maxTexture_px);

}  // namespace lb::app
