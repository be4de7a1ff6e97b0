#include "support/test_support.h"

#include <array>
#include <cstdio>
#include <random>
#include <sys/wait.h>

namespace lb::test {

TempDir::TempDir() {
  std::random_device rd;
  for (;;) {
    m_path = std::filesystem::temp_directory_path() / ("lbtest-" + std::to_string(rd()));
    if (std::filesystem::create_directory(m_path)) break;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

CommandResult run(const std::string& commandLine) {
  CommandResult r;
  FILE* pipe = popen((commandLine + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  const int status = pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string cliPath() { return std::string(LB_BINARY_DIR) + "/bin/labelbench-cli"; }

std::string opencvSample(const std::string& name) {
  return "/usr/share/doc/opencv-doc/examples/data/" + name;
}

}  // namespace lb::test
