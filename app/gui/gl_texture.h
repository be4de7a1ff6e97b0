#pragma once
// Small OpenGL texture helpers for the UI thread (the only thread with a GL context).
#include <cstdint>

namespace lb::app {

// Uploads 8-bit BGR or BGRA pixels (channels 3 or 4) with a row stride in pixels; returns the
// texture name (0 on failure). Linear filtering, clamped edges.
unsigned int uploadTexture(const unsigned char* pixels, int width_px, int height_px, int channels, int rowStride_px);
void deleteTexture(unsigned int tex);
int maxTextureSize_px();  // GL_MAX_TEXTURE_SIZE, or the --max-texture override
void setMaxTextureOverride(int px);

inline void* texId(unsigned int tex) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(tex)); }

}  // namespace lb::app
