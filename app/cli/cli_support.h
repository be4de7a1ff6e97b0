#pragma once
// Shared plumbing for the command-line tool. Each app/cli/cmd_*.cpp registers its sub-commands
// with a static CommandRegistrar, so adding a command never touches main.cpp.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "labeling/result.h"
#include "labeling/session/session.h"
#include "labeling/store/project_store.h"

namespace lb::app {

using RegisterFn = std::function<void(CLI::App&)>;

struct CommandRegistrar {
  CommandRegistrar(int order, RegisterFn fn);  // lower order appears first in --help
};

void registerAll(CLI::App& app);

// The exit code main returns; commands set it through fail().
int& exitCode();
// Prints "labelbench-cli: error: <message>" to stderr and sets the exit code for the error kind.
void fail(const lb::Error& error);
void fail(const std::string& message, int code = 2);

// Opens the project or prints why not (and sets the exit code); nullptr on failure.
std::unique_ptr<labeling::ProjectStore> openOrFail(const std::string& path);
// Opens a session for the named user (default: the first lead, else "cli" created as a lead).
std::unique_ptr<labeling::Session> sessionOrFail(const std::string& projectPath, const std::string& userName);

// A progress bar with ETA on stderr when it is a terminal; silent otherwise.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  void update(std::int64_t done, std::int64_t total);
  void finish();

 private:
  std::string m_label;
  bool m_tty = false;
  std::int64_t m_startMs = 0;
  std::int64_t m_lastDrawMs = 0;
};

}  // namespace lb::app
