#include "thumbnail_cache.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <imgui.h>
#include <vector>

#include "app/gui/app_context.h"
#include "app/gui/gl_texture.h"

namespace lb::app {

ThumbnailCache::~ThumbnailCache() { clear(); }

void ThumbnailCache::clear() {
  for (auto& [id, e] : m_entries) deleteTexture(e.t.tex);
  m_entries.clear();
}

ThumbTexture ThumbnailCache::get(AppContext& ctx, labeling::ItemId id) {
  auto& e = m_entries[id];
  e.lastFrame = ctx.frame();
  const double now = ImGui::GetTime();
  // A request dropped from the worker queue (scrolled past) is asked again after a while.
  if (!e.t.tex && (!e.pending || now - e.requestedAt > 3.0)) {
    e.pending = true;
    e.requestedAt = now;
    ctx.workers().submit(
        [id](WorkerEnv& env) -> UiFn {
          auto* store = env.store();
          if (!store) return {};
          auto th = store->thumbnail(id);
          if (!th || th->jpeg.empty()) return {};
          cv::Mat img = cv::imdecode(th->jpeg, cv::IMREAD_COLOR);
          if (img.empty()) return {};
          return [id, img](AppContext& c) {
            auto& cache = c.thumbnails();
            auto it = cache.m_entries.find(id);
            if (it == cache.m_entries.end() || it->second.t.tex) return;
            it->second.t = {uploadTexture(img.data, img.cols, img.rows, 3, static_cast<int>(img.step / 3)),
                            img.cols, img.rows};
            it->second.pending = false;
            cache.evict(c.frame());
          };
        },
        WorkerPool::Priority::Low);
  }
  return e.t;
}

void ThumbnailCache::evict(std::uint64_t frame) {
  if (m_entries.size() <= m_capacity) return;
  std::vector<std::pair<std::uint64_t, labeling::ItemId>> order;
  for (auto& [id, e] : m_entries)
    if (e.lastFrame + 2 < frame) order.emplace_back(e.lastFrame, id);
  std::sort(order.begin(), order.end());
  for (auto& [f, id] : order) {
    if (m_entries.size() <= m_capacity) break;
    deleteTexture(m_entries[id].t.tex);
    m_entries.erase(id);
  }
}

}  // namespace lb::app
