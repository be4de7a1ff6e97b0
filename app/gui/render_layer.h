#pragma once
// [SECTION] Retained layers: geometry recorded once into an offscreen texture (an OpenGL
// framebuffer object) and shown as one textured quad on the frames after, until its owner
// records it again. The canvas keeps its image and thousands of annotation outlines in one: on
// Mesa's software renderer the per-frame cost of 5,500 outlines (~200k triangles) and of sampling
// a large image texture is what made a frame slow, while the scene only changes when the view or
// the annotations do.
//
// Threads: UI thread only (the GL context's thread).
#include <imgui.h>

#include <cstdint>

namespace lb::app {

class RenderLayer {
 public:
  RenderLayer();
  ~RenderLayer();
  RenderLayer(const RenderLayer&) = delete;
  RenderLayer& operator=(const RenderLayer&) = delete;

  // Starts recording the layer for the screen rectangle [origin, origin + size) (rounded to whole
  // pixels). Draw into the returned list in screen coordinates during the frame; renderFrame
  // renders it into the layer's texture after ImGui::Render and before the windows are drawn.
  ImDrawList* record(ImVec2 origin, ImVec2 size);
  // Draws the layer's texture into `dl` at the rectangle it was recorded for. `opaque` skips
  // blending (the layer covers its rectangle with opaque pixels), which software GL pays per pixel.
  void composite(ImDrawList* dl, bool opaque) const;
  // The caller's description of what the texture holds (view, data revision); 0 = nothing yet.
  std::uint64_t key() const { return m_key; }
  void setKey(std::uint64_t k) { m_key = k; }
  bool ready() const { return m_tex != 0 && m_key != 0; }
  // Exchanges what two layers hold (texture, rectangle, key): a layer rendered ahead of time
  // (the next image, during idle frames) becomes the one shown. Neither may be pending.
  void swap(RenderLayer& other);

  // renderFrame's part: renders every layer recorded this frame. Returns how many were rendered.
  static int renderPending();
  // How many layers were (re-)rendered in the last frame; the benchmark reports it.
  static int renderedLastFrame();

 private:
  void render();
  ImDrawList m_list;
  unsigned int m_fbo = 0, m_tex = 0;
  int m_texW = 0, m_texH = 0;
  ImVec2 m_origin{0, 0};
  int m_w = 0, m_h = 0;
  std::uint64_t m_key = 0;
  bool m_pending = false;
};

// Mixes a value into a running 64-bit hash (FNV-1a over its bytes); for layer keys.
std::uint64_t hashMix(std::uint64_t h, const void* data, std::size_t bytes);
template <class T>
std::uint64_t hashMix(std::uint64_t h, const T& v) {
  return hashMix(h, &v, sizeof v);
}

}  // namespace lb::app
