#pragma once
// [SECTION] Partial redraw. The windows are rendered into a persistent offscreen framebuffer;
// each frame the draw lists are compared with the last frame's triangle by triangle, and only
// the screen rectangles where something changed (at most four, merged) are cleared and drawn
// again, scissored, before the framebuffer is copied to the window. On Mesa's software renderer
// every covered pixel costs shading and blending, so a frame where only a crosshair and a
// coordinate read-out moved costs a few thin strips instead of the whole window several times.
// A texture whose pixels changed (uploads, retained layers) damages every command that draws it.
// LB_FULL_REDRAW=1 turns it off (every frame draws everything), for comparison.
//
// Threads: UI thread only.
#include <imgui.h>

#include <cstdint>
#include <vector>

namespace lb::app {

class PartialRedraw {
 public:
  PartialRedraw();
  ~PartialRedraw();
  PartialRedraw(const PartialRedraw&) = delete;
  PartialRedraw& operator=(const PartialRedraw&) = delete;

  // Draws `dd` into the window's framebuffer (fbW x fbH): the damaged parts into the offscreen
  // copy, then the copy to the window. Returns false when nothing changed and nothing was drawn
  // (the window still shows the last frame; no swap is needed).
  bool render(ImDrawData* dd, int fbW, int fbH, const ImVec4& clear);
  // The next frame draws everything (window shown again, fonts rebuilt, ...).
  void invalidate() { m_full = true; }
  // Share of the window's pixels drawn in the last frame (0..1), for the benchmark.
  double lastDamagedShare() const { return m_lastShare; }
  bool enabled() const { return m_enabled; }

 private:
  struct Cmd {
    ImVec4 clip;
    ImTextureID tex;
    unsigned vtxOffset, idxOffset, elemCount;
    ImDrawCallback callback;
    void* callbackData;
  };
  struct Snapshot {
    const char* owner = nullptr;
    std::vector<ImDrawVert> vtx;
    std::vector<ImDrawIdx> idx;
    std::vector<Cmd> cmds;
  };
  void damageList(const Snapshot* before, const ImDrawList* now);
  void addDamage(ImVec4 r);
  bool ensureTarget(int w, int h);

  std::vector<Snapshot> m_prev;
  std::vector<ImVec4> m_damage;
  unsigned int m_fbo = 0, m_tex = 0;
  int m_w = 0, m_h = 0;
  bool m_full = true, m_enabled = true;
  double m_lastShare = 1.0;
};

// Textures whose pixels changed this frame (uploads, deletions, re-rendered layers); the partial
// redraw damages everything drawn with them. Cleared after each frame.
void markTextureChanged(unsigned int tex);

}  // namespace lb::app
