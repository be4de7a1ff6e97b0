#include "partial_redraw.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace lb::app {

namespace {

std::vector<unsigned int> g_changedTextures;

float area(const ImVec4& r) { return std::max(0.f, r.z - r.x) * std::max(0.f, r.w - r.y); }
ImVec4 unite(const ImVec4& a, const ImVec4& b) {
  return ImVec4(std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.z, b.z), std::max(a.w, b.w));
}
ImVec4 intersect(const ImVec4& a, const ImVec4& b) {
  return ImVec4(std::max(a.x, b.x), std::max(a.y, b.y), std::min(a.z, b.z), std::min(a.w, b.w));
}
bool empty(const ImVec4& r) { return r.z <= r.x || r.w <= r.y; }

// Merges the pair of rectangles whose union adds the least area until at most `n` are left.
void mergeDown(std::vector<ImVec4>& rs, size_t n) {
  while (rs.size() > n) {
    size_t bi = 0, bj = 1;
    float best = 1e30f;
    for (size_t i = 0; i < rs.size(); ++i)
      for (size_t j = i + 1; j < rs.size(); ++j) {
        const float extra = area(unite(rs[i], rs[j])) - area(rs[i]) - area(rs[j]);
        if (extra < best) best = extra, bi = i, bj = j;
      }
    rs[bi] = unite(rs[bi], rs[bj]);
    rs.erase(rs.begin() + static_cast<long>(bj));
  }
}

bool textureChanged(const std::vector<unsigned int>& changed, ImTextureID tex) {
  const auto id = static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(tex));
  return std::find(changed.begin(), changed.end(), id) != changed.end();
}

ImVec4 triangleBox(const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c) {
  return ImVec4(std::min({a.pos.x, b.pos.x, c.pos.x}), std::min({a.pos.y, b.pos.y, c.pos.y}),
                std::max({a.pos.x, b.pos.x, c.pos.x}), std::max({a.pos.y, b.pos.y, c.pos.y}));
}

}  // namespace

void markTextureChanged(unsigned int tex) {
  if (tex && std::find(g_changedTextures.begin(), g_changedTextures.end(), tex) == g_changedTextures.end())
    g_changedTextures.push_back(tex);
}

PartialRedraw::PartialRedraw() {
  const char* off = std::getenv("LB_FULL_REDRAW");
  m_enabled = !(off && *off && *off != '0');
}

PartialRedraw::~PartialRedraw() {
  if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
  if (m_tex) glDeleteRenderbuffers(1, &m_tex);
}

bool PartialRedraw::ensureTarget(int w, int h) {
  if (m_fbo && w == m_w && h == m_h) return true;
  if (!m_fbo) glGenFramebuffers(1, &m_fbo);
  if (!m_tex) glGenRenderbuffers(1, &m_tex);
  glBindRenderbuffer(GL_RENDERBUFFER, m_tex);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
  glBindRenderbuffer(GL_RENDERBUFFER, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_tex);
  const bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  m_w = w;
  m_h = h;
  m_full = true;
  return ok;
}

void PartialRedraw::addDamage(ImVec4 r) {
  // One pixel around: anti-aliased fringes and rounding of the rasteriser.
  r = ImVec4(std::floor(r.x) - 1, std::floor(r.y) - 1, std::ceil(r.z) + 1, std::ceil(r.w) + 1);
  r = intersect(r, ImVec4(0, 0, static_cast<float>(m_w), static_cast<float>(m_h)));
  if (empty(r)) return;
  for (auto& d : m_damage)
    if (area(unite(d, r)) <= area(d) + area(r) + 4096.f) {
      d = unite(d, r);
      return;
    }
  m_damage.push_back(r);
  if (m_damage.size() > 24) mergeDown(m_damage, 8);
}

void PartialRedraw::damageList(const Snapshot* before, const ImDrawList* now) {
  auto boxOf = [](const auto& cmds, auto clipOf, auto countOf) {
    ImVec4 b(1e30f, 1e30f, -1e30f, -1e30f);
    for (const auto& c : cmds)
      if (countOf(c) > 0) b = unite(b, clipOf(c));
    return b;
  };
  const ImVec4 nowBox = boxOf(
      now->CmdBuffer, [](const ImDrawCmd& c) { return c.ClipRect; }, [](const ImDrawCmd& c) { return c.ElemCount; });
  if (!before) {
    addDamage(nowBox);
    return;
  }
  const ImVec4 beforeBox = boxOf(
      before->cmds, [](const Cmd& c) { return c.clip; }, [](const Cmd& c) { return c.elemCount; });
  bool sameCmds = before->cmds.size() == static_cast<size_t>(now->CmdBuffer.Size);
  for (size_t i = 0; sameCmds && i < before->cmds.size(); ++i) {
    const Cmd& a = before->cmds[i];
    const ImDrawCmd& b = now->CmdBuffer[static_cast<int>(i)];
    sameCmds = std::memcmp(&a.clip, &b.ClipRect, sizeof a.clip) == 0 && a.vtxOffset == b.VtxOffset &&
               a.idxOffset == b.IdxOffset && a.elemCount == b.ElemCount &&
               a.callback == b.UserCallback && a.callbackData == b.UserCallbackData;
  }
  if (!sameCmds) {  // a different structure (items added or removed): the list's whole area
    addDamage(beforeBox);
    addDamage(nowBox);
    return;
  }
  for (int ci = 0; ci < now->CmdBuffer.Size; ++ci) {
    const ImDrawCmd& c = now->CmdBuffer[ci];
    if (c.UserCallback || c.ElemCount == 0) continue;
    // Another texture under the same geometry (a retained layer swapped for one rendered ahead of
    // time) changes the command's pixels like a texture whose pixels changed: its clip, not the
    // whole list (whose box includes the window's full-viewport decorations).
    if (before->cmds[static_cast<size_t>(ci)].tex != c.TextureId || textureChanged(g_changedTextures, c.TextureId)) {
      addDamage(c.ClipRect);
      continue;
    }
    int changed = 0;
    for (unsigned k = c.IdxOffset; k + 2 < c.IdxOffset + c.ElemCount; k += 3) {
      const ImDrawIdx* ni = now->IdxBuffer.Data + k;
      const ImDrawIdx* oi = before->idx.data() + k;
      const size_t n0 = c.VtxOffset + ni[0], n1 = c.VtxOffset + ni[1], n2 = c.VtxOffset + ni[2];
      const size_t o0 = c.VtxOffset + oi[0], o1 = c.VtxOffset + oi[1], o2 = c.VtxOffset + oi[2];
      const bool inOld = std::max({o0, o1, o2}) < before->vtx.size();
      const ImDrawVert* nv = now->VtxBuffer.Data;
      if (inOld && n0 == o0 && n1 == o1 && n2 == o2 &&
          std::memcmp(&nv[n0], &before->vtx[o0], sizeof(ImDrawVert)) == 0 &&
          std::memcmp(&nv[n1], &before->vtx[o1], sizeof(ImDrawVert)) == 0 &&
          std::memcmp(&nv[n2], &before->vtx[o2], sizeof(ImDrawVert)) == 0)
        continue;
      if (++changed > 512) {  // much of the command changed (scrolling, a new page): all of it
        addDamage(c.ClipRect);
        break;
      }
      addDamage(intersect(triangleBox(nv[n0], nv[n1], nv[n2]), c.ClipRect));
      if (inOld) addDamage(intersect(triangleBox(before->vtx[o0], before->vtx[o1], before->vtx[o2]), c.ClipRect));
      else addDamage(c.ClipRect);
    }
  }
}

bool PartialRedraw::render(ImDrawData* dd, int fbW, int fbH, const ImVec4& clear) {
  auto changedTextures = std::move(g_changedTextures);
  g_changedTextures.clear();
  if (m_enabled && !ensureTarget(fbW, fbH)) m_enabled = false;  // no framebuffer objects: draw all
  if (!m_enabled) {
    glViewport(0, 0, fbW, fbH);
    glClearColor(clear.x, clear.y, clear.z, clear.w);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(dd);
    m_lastShare = 1.0;
    return true;
  }
  g_changedTextures.swap(changedTextures);  // damageList reads this frame's changes
  m_damage.clear();
  // Damage is found in ImGui's coordinates; with a scaled or offset display (HiDPI) draw all.
  const bool plain = dd->DisplayPos.x == 0 && dd->DisplayPos.y == 0 && dd->FramebufferScale.x == 1 &&
                     dd->FramebufferScale.y == 1;
  bool sameOrder = plain && !m_full && m_prev.size() == static_cast<size_t>(dd->CmdListsCount);
  for (int i = 0; sameOrder && i < dd->CmdListsCount; ++i) sameOrder = m_prev[i].owner == dd->CmdLists[i]->_OwnerName;
  if (!sameOrder) {  // first frame, resize, or windows changed order: everything
    m_damage.push_back(ImVec4(0, 0, static_cast<float>(fbW), static_cast<float>(fbH)));
  } else {
    for (int i = 0; i < dd->CmdListsCount; ++i) damageList(&m_prev[i], dd->CmdLists[i]);
  }
  g_changedTextures.clear();
  // Remember this frame's lists for the next comparison.
  m_prev.resize(static_cast<size_t>(dd->CmdListsCount));
  for (int i = 0; i < dd->CmdListsCount; ++i) {
    const ImDrawList* l = dd->CmdLists[i];
    Snapshot& s = m_prev[i];
    s.owner = l->_OwnerName;
    s.vtx.assign(l->VtxBuffer.Data, l->VtxBuffer.Data + l->VtxBuffer.Size);
    s.idx.assign(l->IdxBuffer.Data, l->IdxBuffer.Data + l->IdxBuffer.Size);
    s.cmds.clear();
    for (const ImDrawCmd& c : l->CmdBuffer)
      s.cmds.push_back({c.ClipRect, c.TextureId, c.VtxOffset, c.IdxOffset, c.ElemCount, c.UserCallback, c.UserCallbackData});
  }
  m_full = false;
  if (m_damage.empty()) {
    m_lastShare = 0;
    return false;
  }
  mergeDown(m_damage, 4);
  double damaged = 0;
  for (const auto& r : m_damage) damaged += area(r);
  m_lastShare = std::min(1.0, damaged / std::max(1.0, double(fbW) * fbH));

  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glViewport(0, 0, fbW, fbH);
  glEnable(GL_SCISSOR_TEST);
  glClearColor(clear.x, clear.y, clear.z, clear.w);
  for (const auto& r : m_damage) {
    glScissor(static_cast<int>(r.x), fbH - static_cast<int>(r.w), static_cast<int>(r.z - r.x), static_cast<int>(r.w - r.y));
    glClear(GL_COLOR_BUFFER_BIT);
  }
  glDisable(GL_SCISSOR_TEST);
  // Each damaged rectangle: every command clipped to it (the renderer skips empty clips).
  std::vector<ImVec4> saved;
  for (int i = 0; i < dd->CmdListsCount; ++i)
    for (const ImDrawCmd& c : dd->CmdLists[i]->CmdBuffer) saved.push_back(c.ClipRect);
  for (const auto& r : m_damage) {
    size_t k = 0;
    for (int i = 0; i < dd->CmdListsCount; ++i)
      for (ImDrawCmd& c : dd->CmdLists[i]->CmdBuffer) {
        c.ClipRect = intersect(saved[k++], r);
        if (empty(c.ClipRect)) c.ClipRect = ImVec4(0, 0, 0, 0);
      }
    ImGui_ImplOpenGL3_RenderDrawData(dd);
  }
  size_t k = 0;
  for (int i = 0; i < dd->CmdListsCount; ++i)
    for (ImDrawCmd& c : dd->CmdLists[i]->CmdBuffer) c.ClipRect = saved[k++];
  // The whole copy to the window: its back buffer holds nothing reliable after a swap.
  glDisable(GL_SCISSOR_TEST);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, m_fbo);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  glBlitFramebuffer(0, 0, fbW, fbH, 0, 0, fbW, fbH, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  return true;
}

}  // namespace lb::app
