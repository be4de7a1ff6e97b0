// labelbench-cli: everything a user can do, without a window. Sub-commands live in cmd_*.cpp.
#include <iostream>

#include "cli_support.h"
#include "labelbench_version.h"

int main(int argc, char** argv) {
  CLI::App app{"LabelBench command-line tool: create projects, import, clean, review, measure and deliver.",
               "labelbench-cli"};
  app.set_version_flag("--version", std::string("labelbench-cli ") + LB_VERSION_STRING);
  app.require_subcommand(1);
  app.fallthrough();
  lb::app::registerAll(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return lb::app::exitCode();
}
