#include "image_cache.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <imgui.h>

#include "app/gui/app_context.h"
#include "app/gui/gl_texture.h"

namespace lb::app {

std::vector<ImageLevel> buildPyramid(const cv::Mat& bgr, int maxTexture_px) {
  std::vector<ImageLevel> levels;
  const bool fits = bgr.cols <= maxTexture_px && bgr.rows <= maxTexture_px;
  // Small images are one texture; big ones use tiles of at most 2048 px, which every GL 3 GPU takes.
  const int tile = fits ? std::max(bgr.cols, bgr.rows) : std::min(maxTexture_px, 2048);
  cv::Mat cur = bgr;
  double scale = 1.0;
  for (;;) {
    ImageLevel lv;
    lv.scale = scale;
    lv.width_px = cur.cols;
    lv.height_px = cur.rows;
    for (int y = 0; y < cur.rows; y += tile)
      for (int x = 0; x < cur.cols; x += tile) {
        ImageTile t;
        t.x_px = x;
        t.y_px = y;
        t.w_px = std::min(tile, cur.cols - x);
        t.h_px = std::min(tile, cur.rows - y);
        t.pixels = cur(cv::Rect(t.x_px, t.y_px, t.w_px, t.h_px));  // a view; `cur` stays alive through it
        lv.tiles.push_back(std::move(t));
      }
    levels.push_back(std::move(lv));
    if (cur.cols <= tile && cur.rows <= tile) break;
    cv::Mat half;
    cv::resize(cur, half, cv::Size((cur.cols + 1) / 2, (cur.rows + 1) / 2), 0, 0, cv::INTER_AREA);
    cur = half;
    scale *= 0.5;
  }
  return levels;
}

ImageCache::~ImageCache() { clear(); }

void ImageCache::clear() {
  for (auto& [id, img] : m_images)
    for (auto& lv : img->levels)
      for (auto& t : lv.tiles) deleteTexture(t.tex);
  m_images.clear();
}

std::size_t ImageCache::textureCount() const {
  std::size_t n = 0;
  for (auto& [id, img] : m_images)
    for (auto& lv : img->levels)
      for (auto& t : lv.tiles) n += t.tex != 0;
  return n;
}

DecodedImage* ImageCache::find(labeling::ItemId id) {
  auto it = m_images.find(id);
  if (it == m_images.end()) return nullptr;
  it->second->lastUse = ++m_useCounter;
  return it->second.get();
}

void ImageCache::request(AppContext& ctx, const labeling::Item& item, const std::vector<labeling::ItemId>& neighbours) {
  std::vector<labeling::ItemId> want{item.id};
  want.insert(want.end(), neighbours.begin(), neighbours.end());
  // Keep what is wanted plus the one we came from; drop the rest (a 12-MP image is ~36 MB).
  for (auto it = m_images.begin(); it != m_images.end();) {
    const bool keep = std::find(want.begin(), want.end(), it->first) != want.end();
    if (!keep && m_images.size() > want.size() + 1 && it->second->lastUse + 1 < m_useCounter) {
      for (auto& lv : it->second->levels)
        for (auto& t : lv.tiles) deleteTexture(t.tex);
      it = m_images.erase(it);
    } else {
      ++it;
    }
  }
  for (size_t i = 0; i < want.size(); ++i) {
    auto& slot = m_images[want[i]];
    if (!slot) {
      slot = std::make_unique<DecodedImage>();
      slot->requestedAt_s = ImGui::GetTime();
      decode(ctx, want[i], true);
    }
    slot->lastUse = ++m_useCounter;
  }
}

void ImageCache::decode(AppContext& ctx, labeling::ItemId id, bool /*upload*/) {
  const int maxTex = maxTextureSize_px();
  const std::string mediaRoot = ctx.projectInfo().mediaRoot;
  ctx.workers().submit([id, maxTex, mediaRoot](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    if (!store) return {};
    auto item = store->item(id);
    std::string error;
    std::vector<ImageLevel> levels;
    int w = 0, h = 0;
    if (!item) {
      error = item.error().message;
    } else {
      namespace fs = std::filesystem;
      fs::path p = item->mediaPath;
      if (p.is_relative()) p = fs::path(mediaRoot) / p;
      cv::Mat img = cv::imread(p.string(), cv::IMREAD_COLOR);
      if (img.empty()) {
        error = p.string() + ": cannot be read as an image (missing or damaged); check the media folder";
      } else {
        w = img.cols;
        h = img.rows;
        levels = buildPyramid(img, maxTex);
      }
    }
    return [id, error, w, h, levels = std::move(levels)](AppContext& c) mutable {
      auto* img = c.images().find(id);
      if (!img) return;
      img->width_px = w;
      img->height_px = h;
      img->error = error;
      img->levels = std::move(levels);
      img->state = error.empty() ? DecodedImage::State::Ready : DecodedImage::State::Failed;
      img->readyAt_s = ImGui::GetTime();
      // A single-texture image is uploaded right away (also for prefetched neighbours) so that
      // switching to it costs no upload; tiled images upload what is visible, a few per frame.
      if (!img->tiled() && !img->levels.empty()) {
        auto& t = img->levels[0].tiles[0];
        t.tex = uploadTexture(t.pixels.data, t.w_px, t.h_px, 3, static_cast<int>(t.pixels.step / 3));
        t.pixels.release();
      } else if (!img->levels.empty()) {
        auto& t = img->levels.back().tiles[0];
        t.tex = uploadTexture(t.pixels.data, t.w_px, t.h_px, 3, static_cast<int>(t.pixels.step / 3));
      }
    };
  });
}

void ImageCache::uploadVisible(DecodedImage& img, int level, double x0, double y0, double x1, double y1,
                               std::uint64_t frame, int budget) {
  if (img.levels.empty()) return;
  level = std::clamp(level, 0, static_cast<int>(img.levels.size()) - 1);
  auto& lv = img.levels[level];
  for (auto& t : lv.tiles) {
    const double tx0 = t.x_px / lv.scale, ty0 = t.y_px / lv.scale;
    const double tx1 = (t.x_px + t.w_px) / lv.scale, ty1 = (t.y_px + t.h_px) / lv.scale;
    if (tx1 < x0 || ty1 < y0 || tx0 > x1 || ty0 > y1) continue;
    t.lastFrame = frame;
    if (!t.tex && budget > 0 && !t.pixels.empty()) {
      t.tex = uploadTexture(t.pixels.data, t.w_px, t.h_px, 3, static_cast<int>(t.pixels.step / 3));
      --budget;
    }
  }
  // Free GPU memory of fine tiles that left the view a while ago (pixels stay for re-upload).
  for (int l = 0; l + 1 < static_cast<int>(img.levels.size()); ++l)
    for (auto& t : img.levels[l].tiles)
      if (t.tex && t.lastFrame + 120 < frame) {
        deleteTexture(t.tex);
        t.tex = 0;
      }
}

}  // namespace lb::app
