#pragma once
// Helpers shared by every test folder: a fresh temporary directory per test, running the CLI,
// and paths to fixtures.
#include <filesystem>
#include <string>

namespace lb::test {

// A new empty directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

struct CommandResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line and captures what it printed.
CommandResult run(const std::string& commandLine);
// Path of the built CLI (build/bin/labelbench-cli).
std::string cliPath();
// Real images shipped by Debian packages (opencv-doc samples).
std::string opencvSample(const std::string& name);

}  // namespace lb::test
