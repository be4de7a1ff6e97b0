#include "image_cache.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <imgui.h>

#include "app/gui/app_context.h"
#include "app/gui/gl_texture.h"

namespace lb::app {

namespace {

double monotonicNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

constexpr int kTile_px = 1024;     // ~4 MB as a texture: one upload stays within a frame's budget
constexpr int kCoarsest_px = 1024;  // the pyramid stops once a level fits one tile of this size
constexpr std::int64_t kOverviewAbove_px = 64ll * 1000 * 1000;
constexpr std::size_t kRawLevelLimit_bytes = 64u << 20;
constexpr std::size_t kSourceLevelAbove_bytes = 16u << 20;

unsigned int uploadTile(ImageTile& t) {
  return uploadTexture(t.pixels.data, t.w_px, t.h_px, 3, static_cast<int>(t.pixels.step / 3));
}

}  // namespace

std::vector<ImageLevel> buildPyramid(const cv::Mat& bgr, int maxTexture_px, double scale, std::size_t rawLimit_bytes,
                                     std::size_t sourceAbove_bytes) {
  std::vector<ImageLevel> levels;
  const int tile = std::max(64, std::min(maxTexture_px, kTile_px));
  cv::Mat cur = bgr;
  for (;;) {
    ImageLevel lv;
    lv.scale = scale;
    lv.width_px = cur.cols;
    lv.height_px = cur.rows;
    const std::size_t bytes = static_cast<std::size_t>(cur.total()) * cur.elemSize();
    const bool compress = bytes > rawLimit_bytes;
    lv.fromSource = !compress && scale == 1.0 && bytes > sourceAbove_bytes;
    for (int y = 0; y < cur.rows; y += tile)
      for (int x = 0; x < cur.cols; x += tile) {
        ImageTile t;
        t.x_px = x;
        t.y_px = y;
        t.w_px = std::min(tile, cur.cols - x);
        t.h_px = std::min(tile, cur.rows - y);
        const cv::Mat view = cur(cv::Rect(t.x_px, t.y_px, t.w_px, t.h_px));
        if (compress) cv::imencode(".jpg", view, t.jpeg, {cv::IMWRITE_JPEG_QUALITY, 92});
        else if (!lv.fromSource) t.pixels = view;  // a view; `cur` stays alive through it
        lv.tiles.push_back(std::move(t));
      }
    levels.push_back(std::move(lv));
    if (std::max(cur.cols, cur.rows) <= std::min(tile, kCoarsest_px)) break;
    cv::Mat half;
    cv::resize(cur, half, cv::Size((cur.cols + 1) / 2, (cur.rows + 1) / 2), 0, 0, cv::INTER_AREA);
    cur = half;
    scale *= 0.5;
  }
  return levels;
}

int DecodedImage::levelFor(double zoom) const {
  // Levels run from the finest to the coarsest; take the coarsest whose scale still covers zoom.
  int best = 0;
  for (int i = 0; i < static_cast<int>(levels.size()); ++i)
    if (levels[i].scale >= zoom * 0.999) best = i;
  return best;
}

bool DecodedImage::levelComplete(int level, double x0, double y0, double x1, double y1) const {
  if (level < 0 || level >= static_cast<int>(levels.size())) return false;
  const auto& lv = levels[level];
  for (const auto& t : lv.tiles) {
    const double tx0 = t.x_px / lv.scale, ty0 = t.y_px / lv.scale;
    const double tx1 = (t.x_px + t.w_px) / lv.scale, ty1 = (t.y_px + t.h_px) / lv.scale;
    if (tx1 < x0 || ty1 < y0 || tx0 > x1 || ty0 > y1) continue;
    if (!t.tex) return false;
  }
  return true;
}

ImageCache::~ImageCache() { clear(); }

namespace {
void freeTextures(DecodedImage& img) {
  for (auto& lv : img.levels)
    for (auto& t : lv.tiles) {
      deleteTexture(t.tex);
      t.tex = 0;
    }
  ++img.texRevision;
}
}  // namespace

void ImageCache::clear() {
  for (auto& [id, img] : m_images) freeTextures(*img);
  m_images.clear();
  m_queued.clear();
}

std::size_t ImageCache::textureCount() const {
  std::size_t n = 0;
  for (auto& [id, img] : m_images)
    for (auto& lv : img->levels)
      for (auto& t : lv.tiles) n += t.tex != 0;
  return n;
}

void ImageCache::tick(AppContext& ctx) {
  for (auto it = m_queued.begin(); it != m_queued.end();) {
    if (it->second > ctx.frame()) {
      ++it;
      continue;
    }
    if (m_images.count(it->first)) decode(ctx, it->first, false);  // still wanted
    it = m_queued.erase(it);
  }
}

int ImageCache::largestTexture_px() const {
  int n = 0;
  for (auto& [id, img] : m_images)
    for (auto& lv : img->levels)
      for (auto& t : lv.tiles)
        if (t.tex) n = std::max({n, t.w_px, t.h_px});
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
  // Keep what is wanted plus the one we came from; drop the rest (a 12-MP image is ~48 MB).
  for (auto it = m_images.begin(); it != m_images.end();) {
    const bool keep = std::find(want.begin(), want.end(), it->first) != want.end();
    if (!keep && m_images.size() > want.size() + 1 && it->second->lastUse + 1 < m_useCounter) {
      freeTextures(*it->second);
      it = m_images.erase(it);
    } else {
      ++it;
    }
  }
  for (size_t i = 0; i < want.size(); ++i) {
    auto& slot = m_images[want[i]];
    if (!slot) {
      slot = std::make_unique<DecodedImage>();
      slot->id = want[i];
      slot->requestedAt_s = ImGui::GetTime();
      // The current image now; neighbours a few frames later, so that their decoding does not
      // compete for the CPU with the frames that first show the current one.
      if (i == 0) decode(ctx, want[i], false);
      else m_queued.push_back({want[i], ctx.frame() + 3});
    } else if (i == 0 && slot->state == DecodedImage::State::Ready && !slot->fullResolution && !slot->fullPending) {
      decode(ctx, want[i], true);  // a prefetched overview became the current image
    }
    slot->lastUse = ++m_useCounter;
  }
}

namespace {

struct Decoded {
  std::string error;
  int w = 0, h = 0;
  std::vector<ImageLevel> levels;
  bool full = true;
};

// Worker side: the item's file decoded (at 1/8 scale when `overview`); empty with `error` set.
cv::Mat readSource(WorkerEnv& env, labeling::ItemId id, const std::string& mediaRoot, bool overview, std::string& error) {
  auto* store = env.store();
  if (!store) {
    error = "project closed";
    return {};
  }
  auto item = store->item(id);
  if (!item) {
    error = item.error().message;
    return {};
  }
  namespace fs = std::filesystem;
  fs::path p = item->mediaPath;
  if (p.is_relative()) p = fs::path(mediaRoot) / p;
  cv::Mat img = cv::imread(p.string(), overview ? cv::IMREAD_REDUCED_COLOR_8 : cv::IMREAD_COLOR);
  if (img.empty()) error = p.string() + ": cannot be read as an image (missing or damaged); check the media folder";
  return img;
}

// Worker side. `overviewIfHuge`: an image over 64 MP is decoded at 1/8 scale (libjpeg's DCT
// scaling: fast and small) for a first view; its full decode is a second job.
Decoded decodeOnWorker(WorkerEnv& env, labeling::ItemId id, int maxTex, const std::string& mediaRoot, bool overviewIfHuge) {
  Decoded d;
  auto* store = env.store();
  if (!store) {
    d.error = "project closed";
    return d;
  }
  auto item = store->item(id);
  if (!item) {
    d.error = item.error().message;
    return d;
  }
  const bool overview =
      overviewIfHuge && static_cast<std::int64_t>(item->widthPx) * item->heightPx > kOverviewAbove_px;
  cv::Mat img = readSource(env, id, mediaRoot, overview, d.error);
  if (img.empty()) return d;
  d.w = overview ? item->widthPx : img.cols;
  d.h = overview ? item->heightPx : img.rows;
  d.full = !overview;
  d.levels = buildPyramid(img, maxTex, overview ? static_cast<double>(img.cols) / std::max(1, d.w) : 1.0,
                          kRawLevelLimit_bytes, kSourceLevelAbove_bytes);
  return d;
}

}  // namespace

void ImageCache::decode(AppContext& ctx, labeling::ItemId id, bool full) {
  const int maxTex = maxTextureSize_px();
  const std::string mediaRoot = ctx.projectInfo().mediaRoot;
  if (full)
    if (auto* img = find(id)) img->fullPending = true;
  ctx.workers().submit([id, maxTex, mediaRoot, full](WorkerEnv& env) -> UiFn {
    auto d = std::make_shared<Decoded>(decodeOnWorker(env, id, maxTex, mediaRoot, !full));
    return [id, d](AppContext& c) {
      auto* img = c.images().find(id);
      if (!img || (img->fullResolution && !d->full)) return;
      freeTextures(*img);
      img->width_px = d->w;
      img->height_px = d->h;
      img->error = d->error;
      img->levels = std::move(d->levels);
      img->fullResolution = d->full;
      if (d->full) img->fullPending = false;
      img->state = d->error.empty() ? DecodedImage::State::Ready : DecodedImage::State::Failed;
      img->readyAt_s = ImGui::GetTime();
      c.images().arrive(*img);
      // The overview of the image on screen: the full decode follows (not for prefetched
      // neighbours: two 1.2-GB decodes at once would not be sensible).
      if (!img->fullResolution && !img->fullPending && img->error.empty() && c.currentItem() && c.currentItem()->id == id)
        c.images().decode(c, id, true);
    };
  });
}

void ImageCache::arrive(DecodedImage& img) {
  if (img.levels.empty()) return;
  // The coarsest level (so something is always shown) and the one that fits the canvas, so that
  // a prefetched neighbour is sharp on the first frame it is shown.
  const double fitZoom = std::min(m_viewW / std::max(1, img.width_px), m_viewH / std::max(1, img.height_px));
  const int fit = img.levelFor(fitZoom);
  for (int l : {static_cast<int>(img.levels.size()) - 1, fit}) {
    for (auto& t : img.levels[l].tiles)
      if (!t.tex && !t.pixels.empty()) t.tex = uploadTile(t);
    if (img.levels[l].tiles.size() > 4) break;  // a huge image: the rest comes per frame as seen
  }
  ++img.texRevision;
}

void ImageCache::uploadVisible(AppContext& ctx, DecodedImage& img, int level, double x0, double y0, double x1,
                               double y1, std::uint64_t frame) {
  if (img.levels.empty()) return;
  level = std::clamp(level, 0, static_cast<int>(img.levels.size()) - 1);
  auto& lv = img.levels[level];
  // Uploads within ~4 ms a frame (one 1024-px tile is ~3 ms on llvmpipe): the view stays smooth
  // while the rest of a level streams in; the coarse level shows underneath meanwhile.
  const double start = monotonicNow(), budget_s = 0.004;
  if (lv.fromSource && !lv.sourceDecoding && img.fullResolution) {
    bool missing = false;
    for (const auto& t : lv.tiles) {
      const double tx0 = t.x_px / lv.scale, ty0 = t.y_px / lv.scale;
      const double tx1 = (t.x_px + t.w_px) / lv.scale, ty1 = (t.y_px + t.h_px) / lv.scale;
      if (!(tx1 < x0 || ty1 < y0 || tx0 > x1 || ty0 > y1) && !t.tex && t.pixels.empty()) missing = true;
    }
    if (missing) {  // zoomed into a level not kept: decode the file again on a worker
      lv.sourceDecoding = true;
      const std::string mediaRoot = ctx.projectInfo().mediaRoot;
      ctx.workers().submit([id = img.id, level, mediaRoot](WorkerEnv& env) -> UiFn {
        std::string error;
        cv::Mat full = readSource(env, id, mediaRoot, false, error);
        return [id, level, full](AppContext& c) {
          auto* im = c.images().find(id);
          if (!im || level >= static_cast<int>(im->levels.size())) return;
          auto& dst = im->levels[level];
          dst.sourceDecoding = false;
          if (full.cols != im->width_px || full.rows != im->height_px) return;  // file changed or unreadable
          for (auto& t : dst.tiles)
            if (!t.tex) t.pixels = full(cv::Rect(t.x_px, t.y_px, t.w_px, t.h_px));
        };
      });
    }
  }
  for (size_t i = 0; i < lv.tiles.size(); ++i) {
    auto& t = lv.tiles[i];
    const double tx0 = t.x_px / lv.scale, ty0 = t.y_px / lv.scale;
    const double tx1 = (t.x_px + t.w_px) / lv.scale, ty1 = (t.y_px + t.h_px) / lv.scale;
    if (tx1 < x0 || ty1 < y0 || tx0 > x1 || ty0 > y1) continue;
    t.lastFrame = frame;
    if (t.tex) continue;
    if (t.pixels.empty() && !t.jpeg.empty() && !t.decoding) {
      t.decoding = true;
      ctx.workers().submit(
          [id = img.id, level, i, jpeg = t.jpeg](WorkerEnv&) -> UiFn {
            cv::Mat px = cv::imdecode(jpeg, cv::IMREAD_COLOR);
            return [id, level, i, px](AppContext& c) {
              auto* im = c.images().find(id);
              if (!im || level >= static_cast<int>(im->levels.size()) || i >= im->levels[level].tiles.size()) return;
              auto& tt = im->levels[level].tiles[i];
              tt.decoding = false;
              if (!tt.tex) tt.pixels = px;
            };
          },
          WorkerPool::Priority::Low);
    }
    if (!t.pixels.empty() && monotonicNow() - start < budget_s) {
      t.tex = uploadTile(t);
      ++img.texRevision;
      if (!t.jpeg.empty()) t.pixels.release();  // the compressed copy stays for a re-upload
    }
  }
  img.shownSharp = img.fullResolution && img.levelComplete(level, x0, y0, x1, y1);
  // Free GPU memory of fine tiles that left the view a while ago (pixels stay for re-upload).
  for (int l = 0; l + 1 < static_cast<int>(img.levels.size()); ++l)
    for (auto& t : img.levels[l].tiles)
      if (t.tex && t.lastFrame + 120 < frame) {
        deleteTexture(t.tex);
        t.tex = 0;
        ++img.texRevision;
      }
}

}  // namespace lb::app
