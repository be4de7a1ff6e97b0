// --bench: figures for the speed targets, measured on the real window and renderer
// (run under Xvfb with LIBGL_ALWAYS_SOFTWARE=1 for Mesa llvmpipe). Projects come from
// bench/bench_gui_corpus.cpp. Prints one line per figure.
#include "bench_mode.h"

#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app/gui/app.h"
#include "app/gui/app_context.h"
#include "app/gui/frame_loop.h"
#include "app/gui/image_cache.h"
#include "app/gui/render_layer.h"

#include <cstdlib>
#include <cstring>

namespace lb::app {

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

long statusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  return 0;
}
long rssKb() { return statusKb("VmRSS:"); }
long peakRssKb() { return statusKb("VmHWM:"); }

// Saves what the screen shows (the X server's pixels, as a person sees them) as PNG into
// $LB_BENCH_SHOTS/name, with ImageMagick's import.
void screenshot(GLFWwindow*, const char* name) {
  const char* dir = std::getenv("LB_BENCH_SHOTS");
  if (!dir || !*dir) return;
  glFinish();
  const std::string path = std::string(dir) + "/" + name;
  const std::string cmd = "import -window root '" + path + "'";
  if (std::system(cmd.c_str()) == 0) std::printf("screenshot %s\n", path.c_str());
  else std::fprintf(stderr, "labelbench --bench: '%s' failed (ImageMagick installed?)\n", cmd.c_str());
}

// CPU time of the whole process (UI thread, llvmpipe's rasteriser threads, workers): on a
// shared machine it shows the work of a frame when wall time is inflated by other programs.
double processCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

// CPU time of the threads that make a frame: the UI thread and llvmpipe's rasteriser threads,
// not the workers (decoding, assists). Linux lets a process read any of its threads' CPU clocks
// by thread id (the clock id encoding of MAKE_THREAD_CPUCLOCK).
std::vector<clockid_t> g_renderClocks;
void findRenderThreads() {
  g_renderClocks.clear();
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(e.path() / "comm");
    std::string name;
    std::getline(comm, name);
    const long tid = std::atol(e.path().filename().c_str());
    if (tid == static_cast<long>(getpid()) || name.rfind("llvmpipe", 0) == 0)
      g_renderClocks.push_back(static_cast<clockid_t>((~static_cast<unsigned>(tid) << 3) | 6));
  }
}
double renderCpuMs() {
  double ms = 0;
  for (clockid_t c : g_renderClocks) {
    timespec ts{};
    if (clock_gettime(c, &ts) == 0) ms += ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
  }
  return ms;
}

struct FrameSample {
  double wall_ms = 0, cpu_ms = 0, render_cpu_ms = 0;
  FrameTiming parts;
};

// One frame, finished on the GPU (glFinish) so the time includes llvmpipe's rasterising.
FrameSample timedFrameSample(AppContext& ctx, App& app, GLFWwindow* window) {
  const double t0 = monotonicSeconds(), c0 = processCpuMs(), r0 = renderCpuMs();
  glfwPollEvents();
  ctx.workers().drain(ctx);
  renderFrame(ctx, app, window);
  glFinish();
  return {(monotonicSeconds() - t0) * 1000.0, processCpuMs() - c0, renderCpuMs() - r0, lastFrameTiming()};
}

double timedFrame(AppContext& ctx, App& app, GLFWwindow* window) { return timedFrameSample(ctx, app, window).wall_ms; }

// The canvas window's middle in window coordinates (the default layout: canvas from 20% to 78%).
void canvasCentre(GLFWwindow* window, double& x, double& y) {
  int w = 0, h = 0;
  glfwGetWindowSize(window, &w, &h);
  x = w * 0.49;
  y = h * 0.5;
}

// A person's pointer over the canvas: a slow circle (crosshair, coordinates and hover follow it).
void movePointer(GLFWwindow* window, int i, double radius_px) {
  double cx = 0, cy = 0;
  canvasCentre(window, cx, cy);
  glfwSetCursorPos(window, cx + radius_px * std::cos(i * 0.07), cy + radius_px * std::sin(i * 0.07));
}

void printFrameSet(const char* name, const std::vector<FrameSample>& s, const char* target) {
  std::vector<double> wall, cpu, rcpu, widgets, layers, draw, after, raster, swap, damaged;
  int rerendered = 0;
  for (const auto& f : s) {
    wall.push_back(f.wall_ms);
    cpu.push_back(f.cpu_ms);
    rcpu.push_back(f.render_cpu_ms);
    widgets.push_back(f.parts.widgets_ms);
    layers.push_back(f.parts.layers_ms);
    draw.push_back(f.parts.draw_ms);
    after.push_back(f.parts.after_ms);
    raster.push_back(f.parts.raster_ms);
    swap.push_back(f.parts.swap_ms);
    damaged.push_back(f.parts.damagedShare * 100);
    rerendered += f.parts.layersRendered > 0;
  }
  std::printf("%s_ms_p50 %.2f\n%s_ms_p95 %.2f%s\n%s_ms_max %.2f\n", name, percentile(wall, 0.5), name,
              percentile(wall, 0.95), target, name, *std::max_element(wall.begin(), wall.end()));
  std::printf("%s_cpu_ms_p50 %.2f (all threads: UI + llvmpipe + workers)\n%s_cpu_ms_p95 %.2f\n", name,
              percentile(cpu, 0.5), name, percentile(cpu, 0.95));
  std::printf("%s_render_cpu_ms_p50 %.2f (UI + llvmpipe threads only)\n%s_render_cpu_ms_p95 %.2f\n", name,
              percentile(rcpu, 0.5), name, percentile(rcpu, 0.95));
  std::printf("%s_parts_p50_ms widgets %.2f layers %.2f draw %.2f after %.2f raster %.2f swap %.2f\n", name,
              percentile(widgets, 0.5), percentile(layers, 0.5), percentile(draw, 0.5), percentile(after, 0.5),
              percentile(raster, 0.5), percentile(swap, 0.5));
  std::printf("%s_parts_p95_ms widgets %.2f layers %.2f draw %.2f after %.2f raster %.2f swap %.2f\n", name,
              percentile(widgets, 0.95), percentile(layers, 0.95), percentile(draw, 0.95), percentile(after, 0.95),
              percentile(raster, 0.95), percentile(swap, 0.95));
  std::printf("%s_frames %zu (canvas layer re-rendered in %d; window pixels redrawn p50 %.0f%%, p95 %.0f%%)\n", name,
              s.size(), rerendered, percentile(damaged, 0.5), percentile(damaged, 0.95));
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

// A 20,000 x 20,000 image (bench_gui_corpus ... huge): time to the first view and to full
// resolution, frames while zooming into it and panning over it, memory, texture sizes.
int benchLarge(AppContext& ctx, App& app, GLFWwindow* window, double startSeconds) {
  double firstView_ms = -1, full_ms = -1;
  const double t0 = monotonicSeconds();
  std::vector<double> waitFrames;
  while (monotonicSeconds() - t0 < 120) {
    waitFrames.push_back(timedFrame(ctx, app, window));
    auto* img = ctx.currentItem() ? ctx.images().find(ctx.currentItem()->id) : nullptr;
    if (!img || img->state == DecodedImage::State::Failed) {
      if (img) std::fprintf(stderr, "labelbench --bench large: %s\n", img->error.c_str());
      if (img) return 1;
      continue;
    }
    if (img->state == DecodedImage::State::Ready && firstView_ms < 0 && (!img->fullResolution || img->shownSharp))
      firstView_ms = (monotonicSeconds() - startSeconds) * 1000.0;
    if (img->fullResolution && img->shownSharp) {
      full_ms = (monotonicSeconds() - startSeconds) * 1000.0;
      break;
    }
  }
  const long peakDuringDecode = peakRssKb();
  auto* img = ctx.currentItem() ? ctx.images().find(ctx.currentItem()->id) : nullptr;
  if (!img || full_ms < 0) {
    std::fprintf(stderr, "labelbench --bench large: the image did not load within 120 s\n");
    return 1;
  }
  screenshot(window, "large_fit.png");
  // Zoom into the middle towards 1:1 (one wheel notch = 1.2x per frame), then pan in circles
  // while zooming out and in again: tiles of several levels stream in as they come into view.
  std::vector<FrameSample> frames;
  const int n = std::max(ctx.options().benchFrames, 60);
  for (int i = 0; i < n; ++i) {
    double wheel = 0;
    if (i < 18) wheel = 1;
    else wheel = ((i - 18) / 8) % 2 == 0 ? -0.5 : 0.5;
    movePointer(window, i < 18 ? 0 : i * 2, i < 18 ? 0 : 260);
    ImGui_ImplGlfw_ScrollCallback(window, 0, wheel);
    frames.push_back(timedFrameSample(ctx, app, window));
  }
  // Settle zoomed in, then look at it.
  for (int i = 0; i < 4; ++i) {
    movePointer(window, 0, 0);
    ImGui_ImplGlfw_ScrollCallback(window, 0, 1);
    timedFrame(ctx, app, window);
  }
  for (int i = 0; i < 200 && !img->shownSharp; ++i) timedFrame(ctx, app, window);
  for (int i = 0; i < 5; ++i) timedFrame(ctx, app, window);
  screenshot(window, "large_zoomed.png");
  GLint maxTex = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &maxTex);
  std::printf("image_size %dx%d levels %zu\n", img->width_px, img->height_px, img->levels.size());
  std::printf("first_view_ms %.1f (overview shown, from program start)\n", firstView_ms);
  std::printf("full_resolution_ms %.1f (full decode on a worker, sharp on screen)\n", full_ms);
  printFrameSet("large_panzoom_frame", frames, "");
  std::printf("textures_now %zu largest_texture_px %d GL_MAX_TEXTURE_SIZE %d\n", ctx.images().textureCount(),
              ctx.images().largestTexture_px(), maxTex);
  std::printf("rss_mb %.1f peak_rss_mb_during_decode %.1f peak_rss_mb %.1f\n", rssKb() / 1024.0,
              peakDuringDecode / 1024.0, peakRssKb() / 1024.0);
  return 0;
}

}  // namespace

int runBench(AppContext& ctx, App& app, GLFWwindow* window, double startSeconds) {
  const std::string& what = ctx.options().bench;
  setFinishBeforeSwap(true);  // splits rasterising from presenting; the frame does the same work
  for (int i = 0; i < 3; ++i) timedFrame(ctx, app, window);  // llvmpipe starts its threads
  findRenderThreads();
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
  if (what == "large") return benchLarge(ctx, app, window, startSeconds);
  if (!settle(ctx, app, window, 60)) {
    std::fprintf(stderr, "labelbench --bench: the first image did not load within 60 s\n");
    return 1;
  }
  if (what == "frame") {
    for (int i = 0; i < 30; ++i) {  // warm-up
      movePointer(window, i, 120);
      timedFrame(ctx, app, window);
    }
    // Static view: the pointer moves over the canvas as a person's does (crosshair, coordinates,
    // hover) while the image and its objects stay where they are.
    std::vector<FrameSample> still;
    for (int i = 0; i < ctx.options().benchFrames; ++i) {
      movePointer(window, i, 120);
      still.push_back(timedFrameSample(ctx, app, window));
    }
    screenshot(window, "frame_static.png");
    // The view changes every frame: wheel zoom at the moving pointer, 12 notches in, 12 out.
    std::vector<FrameSample> moving;
    for (int i = 0; i < ctx.options().benchFrames; ++i) {
      movePointer(window, i * 3, 200);
      ImGui_ImplGlfw_ScrollCallback(window, 0, (i / 12) % 2 == 0 ? 1.0 : -1.0);
      moving.push_back(timedFrameSample(ctx, app, window));
    }
    screenshot(window, "frame_panzoom.png");
    int w = 0, h = 0;
    glfwGetWindowSize(window, &w, &h);
    std::printf("window %dx%d\nobjects_on_image %zu\n", w, h, ctx.annotations().size());
    printFrameSet("frame", still, " (target < 16)");
    printFrameSet("panzoom_frame", moving, "");
    return 0;
  }
  if (what == "next") {
    std::vector<double> ms;
    int prefetched = 0;
    std::vector<FrameSample> stepFrames;  // the frames between the key and the image shown
    const int steps = std::min<int>(ctx.options().benchFrames, static_cast<int>(ctx.items().rows.size()) - 1);
    for (int s = 0; s < steps; ++s) {
      // A person spends a moment on each image: prefetch of the neighbours runs meanwhile.
      const double dwell0 = monotonicSeconds();
      while (monotonicSeconds() - dwell0 < 0.6) timedFrame(ctx, app, window);
      const double t0 = monotonicSeconds();
      {  // was the next image decoded ahead of time (prefetch hit)?
        const int idx = ctx.items().indexOf(ctx.currentItem()->id);
        auto* nextImg = idx >= 0 && idx + 1 < static_cast<int>(ctx.items().rows.size())
                            ? ctx.images().find(ctx.items().rows[idx + 1].id)
                            : nullptr;
        prefetched += nextImg && nextImg->state == DecodedImage::State::Ready;
      }
      ctx.defer([](AppContext& c) { c.step(+1); });
      // Latency: from the key to the first finished frame that shows the new image.
      for (int guard = 0; guard < 10000; ++guard) {
        stepFrames.push_back(timedFrameSample(ctx, app, window));
        auto* img = ctx.currentItem() ? ctx.images().find(ctx.currentItem()->id) : nullptr;
        // Shown sharp: every visible tile at the level for this zoom is on screen (a coarse
        // placeholder does not count).
        if (img && img->state == DecodedImage::State::Ready && img->shownSharp) break;
      }
      ms.push_back((monotonicSeconds() - t0) * 1000.0);
    }
    std::printf("image_size %dx%d\n", ctx.currentItem() ? ctx.currentItem()->widthPx : 0,
                ctx.currentItem() ? ctx.currentItem()->heightPx : 0);
    std::printf("next_image_ms_p50 %.1f\nnext_image_ms_p95 %.1f (target < 30)\nnext_image_ms_max %.1f\n",
                percentile(ms, 0.5), percentile(ms, 0.95), ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()));
    std::printf("prefetched %d of %zu (decoded before the key was pressed)\n", prefetched, ms.size());
    printFrameSet("next_step_frame", stepFrames, "");
    std::printf("rss_mb %.1f peak_rss_mb %.1f\n", rssKb() / 1024.0, peakRssKb() / 1024.0);
    return 0;
  }
  std::fprintf(stderr, "labelbench --bench: unknown benchmark '%s' (frame, next, launch, large)\n", what.c_str());
  return 2;
}

}  // namespace lb::app
