// `import` and its `images` sub-command. Other importers (texts, prompts) add their own
// sub-commands to the same parent through app.get_subcommand("import").
#include <csignal>
#include <iostream>

#include "cli_support.h"
#include "labeling/import/image_import.h"

namespace lb::app {
namespace {

using namespace lb::labeling;

std::atomic<bool> g_cancel{false};

extern "C" void onInterrupt(int) {
  g_cancel.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl+C stops at once
}

void addImages(CLI::App& parent) {
  auto* cmd = parent.add_subcommand("images", "Import images: folders (recursive), zip/tar archives, image "
                                              "or video files, or @list.txt files of paths");
  auto path = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto batch = std::make_shared<std::string>();
  auto threads = std::make_shared<int>(2);
  auto videoStep = std::make_shared<int>(30);
  auto userName = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("inputs", *inputs, "Folders, archives, images, videos or @list.txt")->required();
  cmd->add_option("--batch", *batch, "Batch name (default: the first input's name)");
  cmd->add_option("--threads", *threads, "Worker threads for decoding")->check(CLI::Range(1, 64));
  cmd->add_option("--video-step", *videoStep, "Keep every N-th video frame")->check(CLI::Range(1, 1000000));
  cmd->add_option("--user", *userName, "Who imports (recorded in the event log; default: first lead)");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    ImageImportOptions opts;
    opts.batchName = *batch;
    opts.threads = *threads;
    opts.videoFrameStep = *videoStep;
    opts.cancel = &g_cancel;
    opts.sessionId = "cli";
    if (!userName->empty()) {
      auto u = store->userByName(*userName);
      if (!u) return fail(makeError(ErrorCode::NotFound, "no user named '" + *userName + "' in " + *path +
                                                             "; add one with: labelbench-cli user add"));
      opts.userId = u->id;
    } else {
      for (const auto& u : store->users())
        if (u.role == Role::Lead) {
          opts.userId = u.id;
          break;
        }
    }
    ProgressBar bar("importing");
    opts.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
    g_cancel.store(false);
    auto previous = std::signal(SIGINT, onInterrupt);
    auto report = importImages(*store, *inputs, opts);
    std::signal(SIGINT, previous);
    bar.finish();
    if (!report) return fail(report.error());
    std::cout << report->imported << " imported, " << report->alreadyInProject << " already in project, "
              << report->rejected.size() << " rejected\n";
    for (const auto& r : report->rejected) std::cout << "  rejected: " << r.reason << "\n";
    if (report->cancelled) {
      std::cout << "cancelled: the items above are in the project; run the same command again to import the rest\n";
      exitCode() = 130;
    } else if (!report->rejected.empty()) {
      exitCode() = 5;
    }
  });
}

const CommandRegistrar registrar(20, [](CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Import images (and, with other sub-commands, texts) into a project");
  cmd->require_subcommand(1);
  addImages(*cmd);
});

}  // namespace
}  // namespace lb::app
