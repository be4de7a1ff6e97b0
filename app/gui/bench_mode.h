#pragma once
// --bench NAME: drives the real window for a fixed number of frames and prints figures
// (frame time, next-image latency, launch time, resident memory). See bench/README in the report.
struct GLFWwindow;

namespace lb::app {
class AppContext;
class App;
int runBench(AppContext& ctx, App& app, GLFWwindow* window, double startSeconds);
}  // namespace lb::app
