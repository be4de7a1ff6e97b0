// --bench: figures for the speed targets, measured on the real window and renderer
// (run under Xvfb with LIBGL_ALWAYS_SOFTWARE=1 for Mesa llvmpipe). Projects come from
// bench/bench_gui_corpus.cpp. Prints one line per figure.
#include "bench_mode.h"

#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app/gui/app.h"
#include "app/gui/app_context.h"
#include "app/gui/frame_loop.h"
#include "app/gui/image_cache.h"

namespace lb::app {

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

long rssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

// One frame, finished on the GPU (glFinish) so the time includes llvmpipe's rasterising.
double timedFrame(AppContext& ctx, App& app, GLFWwindow* window) {
  const double t0 = monotonicSeconds();
  glfwPollEvents();
  ctx.workers().drain(ctx);
  renderFrame(ctx, app, window);
  glFinish();
  return (monotonicSeconds() - t0) * 1000.0;
}

bool currentReady(AppContext& ctx) {
  if (!ctx.currentItem()) return false;
  auto* img = ctx.images().find(ctx.currentItem()->id);
  return img && img->state != DecodedImage::State::Loading;
}

// Frames until the item list is loaded and the current image is decoded (or `limit_s` passes).
bool settle(AppContext& ctx, App& app, GLFWwindow* window, double limit_s) {
  const double t0 = monotonicSeconds();
  while (monotonicSeconds() - t0 < limit_s) {
    timedFrame(ctx, app, window);
    if (ctx.hasProject() && !ctx.items().loading && currentReady(ctx) && ctx.workers().pending() == 0) return true;
  }
  return false;
}

}  // namespace

int runBench(AppContext& ctx, App& app, GLFWwindow* window, double startSeconds) {
  const std::string& what = ctx.options().bench;
  if (!ctx.hasProject()) {
    std::fprintf(stderr, "labelbench --bench: open a project (PROJECT --user NAME) first\n");
    return 2;
  }
  if (what == "launch") {
    // First interactive frame: the project open, its item list shown, the first image on screen.
    double firstFrame_ms = -1;
    const double t0 = monotonicSeconds();
    while (monotonicSeconds() - t0 < 30) {
      timedFrame(ctx, app, window);
      if (!ctx.items().loading && currentReady(ctx)) {
        firstFrame_ms = (monotonicSeconds() - startSeconds) * 1000.0;
        break;
      }
    }
    for (int i = 0; i < 60; ++i) timedFrame(ctx, app, window);  // scroll state settles, thumbnails load
    std::printf("launch_to_interactive_ms %.1f (target < 1000)\n", firstFrame_ms);
    std::printf("items_in_list %zu\n", ctx.items().rows.size());
    std::printf("rss_mb %.1f (target < 300)\n", rssKb() / 1024.0);
    return firstFrame_ms < 0 ? 1 : 0;
  }
  if (!settle(ctx, app, window, 60)) {
    std::fprintf(stderr, "labelbench --bench: the first image did not load within 60 s\n");
    return 1;
  }
  if (what == "frame") {
    std::vector<double> ms;
    for (int i = 0; i < 30; ++i) timedFrame(ctx, app, window);  // warm-up
    for (int i = 0; i < ctx.options().benchFrames; ++i) {
      // Move the pointer over the canvas as a person would (hover tests run every frame).
      ms.push_back(timedFrame(ctx, app, window));
    }
    std::printf("objects_on_image %zu\n", ctx.annotations().size());
    std::printf("frame_ms_p50 %.2f\nframe_ms_p95 %.2f (target < 16)\nframe_ms_max %.2f\n", percentile(ms, 0.5),
                percentile(ms, 0.95), *std::max_element(ms.begin(), ms.end()));
    return 0;
  }
  if (what == "next") {
    std::vector<double> ms;
    const int steps = std::min<int>(ctx.options().benchFrames, static_cast<int>(ctx.items().rows.size()) - 1);
    for (int s = 0; s < steps; ++s) {
      // A person spends a moment on each image: prefetch of the neighbours runs meanwhile.
      const double dwell0 = monotonicSeconds();
      while (monotonicSeconds() - dwell0 < 0.6) timedFrame(ctx, app, window);
      const double t0 = monotonicSeconds();
      ctx.defer([](AppContext& c) { c.step(+1); });
      // Latency: from the key to the first finished frame that shows the new image.
      for (int guard = 0; guard < 10000; ++guard) {
        timedFrame(ctx, app, window);
        auto* img = ctx.currentItem() ? ctx.images().find(ctx.currentItem()->id) : nullptr;
        if (img && img->state == DecodedImage::State::Ready) break;
      }
      ms.push_back((monotonicSeconds() - t0) * 1000.0);
    }
    std::printf("image_size %dx%d\n", ctx.currentItem() ? ctx.currentItem()->widthPx : 0,
                ctx.currentItem() ? ctx.currentItem()->heightPx : 0);
    std::printf("next_image_ms_p50 %.1f\nnext_image_ms_p95 %.1f (target < 30)\nnext_image_ms_max %.1f\n",
                percentile(ms, 0.5), percentile(ms, 0.95), ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()));
    std::printf("rss_mb %.1f\n", rssKb() / 1024.0);
    return 0;
  }
  std::fprintf(stderr, "labelbench --bench: unknown benchmark '%s' (frame, next, launch)\n", what.c_str());
  return 2;
}

}  // namespace lb::app
