#include "render_layer.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
#include <backends/imgui_impl_opengl3.h>

#include "app/gui/partial_redraw.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace lb::app {

namespace {
std::vector<RenderLayer*> g_pending;
int g_renderedLastFrame = 0;

void noBlend(const ImDrawList*, const ImDrawCmd*) { glDisable(GL_BLEND); }
// The layer holds premultiplied colour (ImGui's renderer blends alpha with ONE, ONE_MINUS_SRC_ALPHA).
void premultipliedBlend(const ImDrawList*, const ImDrawCmd*) { glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA); }
}  // namespace

std::uint64_t hashMix(std::uint64_t h, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  if (h == 0) h = 1469598103934665603ull;
  for (std::size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

RenderLayer::RenderLayer() : m_list(ImGui::GetDrawListSharedData()) {}

RenderLayer::~RenderLayer() {
  std::erase(g_pending, this);
  if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
  if (m_tex) glDeleteTextures(1, &m_tex);
}

ImDrawList* RenderLayer::record(ImVec2 origin, ImVec2 size) {
  m_origin = ImVec2(std::floor(origin.x), std::floor(origin.y));
  m_w = std::max(1, static_cast<int>(std::lround(size.x)));
  m_h = std::max(1, static_cast<int>(std::lround(size.y)));
  // The texture exists from now on so that this frame's composite() can name it.
  if (!m_tex || m_texW != m_w || m_texH != m_h) {
    if (!m_tex) glGenTextures(1, &m_tex);
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    glBindTexture(GL_TEXTURE_2D, m_tex);
    // Shown 1:1 on screen pixels: nearest sampling is exact and the cheapest for software GL.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, m_w, m_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindTexture(GL_TEXTURE_2D, previous);
    if (!m_fbo) glGenFramebuffers(1, &m_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_tex, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    m_texW = m_w;
    m_texH = m_h;
  }
  m_list._ResetForNewFrame();
  m_list.PushClipRect(m_origin, ImVec2(m_origin.x + m_w, m_origin.y + m_h));
  m_list.PushTextureID(ImGui::GetIO().Fonts->TexID);
  if (!m_pending) g_pending.push_back(this);
  m_pending = true;
  return &m_list;
}

void RenderLayer::swap(RenderLayer& other) {
  if (m_pending || other.m_pending) return;
  std::swap(m_fbo, other.m_fbo);
  std::swap(m_tex, other.m_tex);
  std::swap(m_texW, other.m_texW);
  std::swap(m_texH, other.m_texH);
  std::swap(m_origin, other.m_origin);
  std::swap(m_w, other.m_w);
  std::swap(m_h, other.m_h);
  std::swap(m_key, other.m_key);
}

void RenderLayer::render() {
  m_pending = false;
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    m_key = 0;  // nothing valid in it; composite() draws nothing
    return;
  }
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  ImDrawList* lists[] = {&m_list};
  ImDrawData data;
  data.Valid = true;
  data.CmdLists = lists;
  data.CmdListsCount = 1;
  data.TotalVtxCount = m_list.VtxBuffer.Size;
  data.TotalIdxCount = m_list.IdxBuffer.Size;
  data.DisplayPos = m_origin;
  data.DisplaySize = ImVec2(static_cast<float>(m_w), static_cast<float>(m_h));
  data.FramebufferScale = ImVec2(1, 1);
  ImGui_ImplOpenGL3_RenderDrawData(&data);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  markTextureChanged(m_tex);
  // The recorded geometry is not needed again until the next record(); drop its memory use.
  m_list._ResetForNewFrame();
}

void RenderLayer::composite(ImDrawList* dl, bool opaque) const {
  if (!m_tex || !m_key) return;
  dl->AddCallback(opaque ? noBlend : premultipliedBlend, nullptr);
  // GL textures start at the bottom row; ImGui's projection puts the layer's top at v = 1.
  dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(m_tex)), m_origin,
               ImVec2(m_origin.x + m_w, m_origin.y + m_h), ImVec2(0, 1), ImVec2(1, 0));
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

int RenderLayer::renderPending() {
  auto list = std::move(g_pending);
  g_pending.clear();
  for (RenderLayer* l : list) l->render();
  g_renderedLastFrame = static_cast<int>(list.size());
  return g_renderedLastFrame;
}

int RenderLayer::renderedLastFrame() { return g_renderedLastFrame; }

}  // namespace lb::app
