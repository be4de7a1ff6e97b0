#pragma once
// [SECTION] Thumbnails for the item list: read from the project (ProjectStore::thumbnail) and
// decoded on a worker, uploaded to GL lazily when a row becomes visible, at most `capacity`
// textures kept (least recently drawn evicted).
#include <cstdint>
#include <unordered_map>

#include "labeling/model.h"

namespace lb::app {

class AppContext;

struct ThumbTexture {
  unsigned int tex = 0;
  int width_px = 0, height_px = 0;
};

class ThumbnailCache {
 public:
  explicit ThumbnailCache(std::size_t capacity = 256) : m_capacity(capacity) {}
  ~ThumbnailCache();
  // The texture if ready; otherwise asks a worker for it and returns an empty one.
  ThumbTexture get(AppContext& ctx, labeling::ItemId id);
  void clear();
  std::size_t size() const { return m_entries.size(); }

 private:
  struct Entry {
    ThumbTexture t;
    std::uint64_t lastFrame = 0;
    bool pending = false;
    double requestedAt = 0;
  };
  void evict(std::uint64_t frame);
  std::size_t m_capacity;
  std::unordered_map<labeling::ItemId, Entry> m_entries;
};

}  // namespace lb::app
