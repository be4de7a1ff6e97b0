// The desktop program: a GLFW window with an OpenGL 3.0 context (GLSL 130, so it runs on Mesa's
// software renderer too), Dear ImGui, and the App over an AppContext. Usage:
//   labelbench [project.lbproj] [--user NAME] [--lang en|zh-CN] [--test-mode] [--bench NAME]
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "app/gui/app.h"
#include "app/gui/assets_path.h"
#include "app/gui/bench_mode.h"
#include "app/gui/frame_loop.h"
#include "app/gui/start_screen.h"
#include "app/gui/gl_texture.h"
#include "app/gui/i18n.h"
#include "labelbench_version.h"

namespace {

void usage() {
  std::printf(
      "usage: labelbench [PROJECT.lbproj] [--user NAME] [--lang en|zh-CN] [--test-mode]\n"
      "                  [--max-texture PX] [--bench frame|next|launch|large] [--bench-frames N]\n");
}

bool parseArgs(int argc, char** argv, lb::app::Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "labelbench: %s needs a value\n", name);
        return nullptr;
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      usage();
      std::exit(0);
    } else if (a == "--version") {
      std::printf("labelbench %s\n", LB_VERSION_STRING);
      std::exit(0);
    } else if (a == "--user") {
      const char* v = value("--user");
      if (!v) return false;
      o.userName = v;
    } else if (a == "--lang") {
      const char* v = value("--lang");
      if (!v) return false;
      o.lang = v;
      if (o.lang != "en" && o.lang != "zh-CN") {
        std::fprintf(stderr, "labelbench: --lang must be en or zh-CN, not %s\n", v);
        return false;
      }
    } else if (a == "--test-mode") {
      o.testMode = true;
    } else if (a == "--max-texture") {
      const char* v = value("--max-texture");
      if (!v) return false;
      o.maxTextureOverride_px = std::atoi(v);
    } else if (a == "--bench") {
      const char* v = value("--bench");
      if (!v) return false;
      o.bench = v;
    } else if (a == "--bench-frames") {
      const char* v = value("--bench-frames");
      if (!v) return false;
      o.benchFrames = std::atoi(v);
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "labelbench: unknown option %s\n", a.c_str());
      usage();
      return false;
    } else {
      o.projectPath = a;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const double startSeconds = lb::app::monotonicSeconds();
  lb::app::Options options;
  if (!parseArgs(argc, argv, options)) return 2;
  const std::string assets = lb::app::findAssetsDir();
  if (assets.empty())
    std::fprintf(stderr, "labelbench: assets (i18n strings) not found next to the program or in "
                         "/usr/share/labelbench; set LABELBENCH_ASSETS or reinstall. Showing string keys.\n");

  glfwSetErrorCallback([](int code, const char* text) { std::fprintf(stderr, "labelbench: GLFW %d: %s\n", code, text); });
  if (!glfwInit()) {
    std::fprintf(stderr, "labelbench: cannot open a window (no display?). Set DISPLAY or run under Xvfb.\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  if (options.testMode) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  const int width = options.testMode ? 1280 : 1440, height = options.testMode ? 800 : 900;
  GLFWwindow* window = glfwCreateWindow(width, height, "LabelBench", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "labelbench: cannot create an OpenGL 3.0 window; update the graphics driver or "
                         "run with LIBGL_ALWAYS_SOFTWARE=1.\n");
    glfwTerminate();
    return 1;
  }
  if (options.testMode) glfwSetWindowPos(window, 0, 0);
  glfwMakeContextCurrent(window);
  // Benchmarks measure the work of a frame, not the display's refresh.
  glfwSwapInterval(options.bench.empty() ? 1 : 0);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // window layout comes from the panels' defaults; nothing to restore
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = options.testMode ? 0.f : 3.f;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");
  lb::app::installKeyQueue(window);
  lb::app::installRedrawOnExpose(window);
  if (options.maxTextureOverride_px > 0) lb::app::setMaxTextureOverride(options.maxTextureOverride_px);

  int rc = 0;
  {
    lb::app::AppContext ctx(options, assets);
    ctx.workers().setWakeUp([] { glfwPostEmptyEvent(); });
    lb::app::App app(ctx, window);
    app.applyLanguage(lb::app::initialLanguage(ctx));
    if (!options.projectPath.empty()) lb::app::openFromCommandLine(ctx);

    if (!options.bench.empty()) {
      rc = lb::app::runBench(ctx, app, window, startSeconds);
    } else {
      int busyFrames = 3;
      while (!glfwWindowShouldClose(window) && !app.quitRequested()) {
        // Sleep until input or a finished background job; keep a few frames going after each so
        // ImGui settles (hover, focus) without burning a shared 2-core laptop.
        if (busyFrames > 0) glfwPollEvents();
        else glfwWaitEventsTimeout(0.5);
        busyFrames = std::max(busyFrames - 1, 0);
        if (ctx.workers().drain(ctx) > 0) busyFrames = 3;
        if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.InputQueueCharacters.Size) busyFrames = 3;
        // A frame that changed nothing swaps nothing, so no vsync paces it: wait a frame's time
        // (or less, if input comes) instead of spinning while a button is held still.
        if (!lb::app::renderFrame(ctx, app, window)) glfwWaitEventsTimeout(1.0 / 60);
        if (ImGui::IsAnyMouseDown() || ctx.workers().pending() > 0 || lb::app::keysWaiting())
          busyFrames = std::max(busyFrames, 2);
      }
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}
