#pragma once
// [SECTION] Full images for the canvas. Decoding (cv::imread, EXIF orientation applied) runs on a
// worker; the current item is asked first, then its neighbours, so next/previous show at once.
// Every image becomes a pyramid of levels (each half the size of the one above, down to about
// 1000 px) cut into tiles of at most 1024 px (never above the GPU's texture limit). The canvas
// draws the level closest to its zoom (a fitted 12-MP photo samples a ~1000-px texture) and
// uploads the visible tiles within a time budget per frame; a decoded image arrives with its
// coarsest level and the level that fits the canvas already uploaded, so next/previous show at once.
// Very large images (over 64 MP) first show an overview decoded at 1/8 scale by libjpeg; the full
// decode follows on the worker, and levels over 64 MB are kept JPEG-compressed per tile and
// decoded on a worker when a tile comes into view.
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
  std::vector<unsigned char> jpeg;  // compressed copy for levels too big to keep raw
  bool decoding = false;            // a worker is decoding `jpeg` into `pixels`
};

struct ImageLevel {
  double scale = 1.0;  // level pixels per image pixel (1, 0.5, 0.25, ...)
  int width_px = 0, height_px = 0;
  std::vector<ImageTile> tiles;
  // Full resolution of a mid-size photo (over 16 MB raw, e.g. 12 MP): not kept after the
  // pyramid is built; decoded again from the file on a worker when the view zooms into it.
  bool fromSource = false;
  bool sourceDecoding = false;
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
  // Appended for the render loop.
  labeling::ItemId id = 0;
  std::uint64_t texRevision = 0;  // bumps whenever a texture of this image is made or freed
  bool fullResolution = false;    // false while only the overview of a very large image is in
  bool fullPending = false;       // its full decode is on a worker
  bool shownSharp = false;        // the last frame showed every visible tile at the zoom's level
  // The level with the fewest pixels that still has at least one texel per screen pixel.
  int levelFor(double zoom) const;
  // Whether every tile of `level` over the visible rectangle (image pixels) has its texture.
  bool levelComplete(int level, double x0, double y0, double x1, double y1) const;
};

class ImageCache {
 public:
  ImageCache() = default;
  ~ImageCache();
  // Makes sure `item` and `neighbours` are decoded (or on their way); evicts the rest.
  void request(AppContext& ctx, const labeling::Item& item, const std::vector<labeling::ItemId>& neighbours);
  DecodedImage* find(labeling::ItemId id);
  // Uploads pending tiles of `level` that intersect the visible rectangle (image pixels) for at
  // most ~4 ms per frame, asks workers to decode compressed ones, frees textures long unseen.
  void uploadVisible(AppContext& ctx, DecodedImage& img, int level, double x0, double y0, double x1, double y1,
                     std::uint64_t frame);
  // The canvas size, so that a decoded image arrives with the level that fits it uploaded.
  void setViewHint(float w_px, float h_px) { m_viewW = w_px, m_viewH = h_px; }
  // Once per frame: starts the neighbours' decoding a few frames after they were asked for.
  void tick(AppContext& ctx);
  // The largest texture side in use (for the benchmark, against GL_MAX_TEXTURE_SIZE).
  int largestTexture_px() const;
  void clear();
  std::size_t textureCount() const;

 private:
  // `full`: the whole image; otherwise an overview first when the image is over 64 MP.
  void decode(AppContext& ctx, labeling::ItemId id, bool full);
  void arrive(DecodedImage& img);
  std::unordered_map<labeling::ItemId, std::unique_ptr<DecodedImage>> m_images;
  std::uint64_t m_useCounter = 0;
  float m_viewW = 1000, m_viewH = 800;
  std::vector<std::pair<labeling::ItemId, std::uint64_t>> m_queued;  // neighbour, frame to start
};

// Cuts one decoded BGR image into a tiled pyramid for a texture limit of `maxTexture_px`;
// `scale` is the image's scale against the original (1/8 for an overview decoded at 1/8).
// Levels whose raw pixels exceed `rawLimit_bytes` keep their tiles JPEG-compressed; a full-size
// level over `sourceAbove_bytes` (and within the raw limit) keeps nothing (fromSource).
// Exposed for the tests and benchmarks.
std::vector<ImageLevel> buildPyramid(const cv::Mat& bgr, int maxTexture_px, double scale = 1.0,
                                     std::size_t rawLimit_bytes = SIZE_MAX, std::size_t sourceAbove_bytes = SIZE_MAX);

}  // namespace lb::app
