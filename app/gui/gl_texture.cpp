#include "gl_texture.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include "app/gui/partial_redraw.h"

namespace lb::app {

namespace {
int g_override = 0;
}

unsigned int uploadTexture(const unsigned char* pixels, int width_px, int height_px, int channels, int rowStride_px) {
  GLuint tex = 0;
  glGenTextures(1, &tex);
  if (!tex) return 0;
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, rowStride_px);
  glTexImage2D(GL_TEXTURE_2D, 0, channels == 4 ? GL_RGBA8 : GL_RGB8, width_px, height_px, 0,
               channels == 4 ? GL_BGRA : GL_BGR, GL_UNSIGNED_BYTE, pixels);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (glGetError() != GL_NO_ERROR) {
    glDeleteTextures(1, &tex);
    return 0;
  }
  markTextureChanged(tex);  // a recycled texture name may be drawn where the old one was
  return tex;
}

void deleteTexture(unsigned int tex) {
  if (!tex) return;
  markTextureChanged(tex);
  glDeleteTextures(1, &tex);
}

int maxTextureSize_px() {
  GLint v = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &v);
  if (g_override > 0 && (v == 0 || g_override < v)) return g_override;
  return v > 0 ? v : 2048;
}

void setMaxTextureOverride(int px) { g_override = px; }

}  // namespace lb::app
