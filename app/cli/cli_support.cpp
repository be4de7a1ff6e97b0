#include "cli_support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

namespace lb::app {

namespace {
std::multimap<int, RegisterFn>& registry() {
  static std::multimap<int, RegisterFn> r;
  return r;
}
}  // namespace

CommandRegistrar::CommandRegistrar(int order, RegisterFn fn) { registry().emplace(order, std::move(fn)); }

void registerAll(CLI::App& app) {
  for (auto& [order, fn] : registry()) fn(app);
}

int& exitCode() {
  static int code = 0;
  return code;
}

void fail(const std::string& message, int code) {
  std::cerr << "labelbench-cli: error: " << message << "\n";
  exitCode() = code;
}

void fail(const lb::Error& error) {
  int code = 1;
  switch (error.code) {
    case ErrorCode::InvalidArgument: code = 2; break;
    case ErrorCode::NotFound: code = 3; break;
    case ErrorCode::NotAProject:
    case ErrorCode::TooNew:
    case ErrorCode::Damaged: code = 4; break;
    case ErrorCode::BadInput: code = 5; break;
    case ErrorCode::Conflict: code = 6; break;
    case ErrorCode::Cancelled: code = 130; break;
    default: code = 1;
  }
  fail(error.message, code);
}

std::unique_ptr<labeling::ProjectStore> openOrFail(const std::string& path) {
  auto store = labeling::openProject(path);
  if (!store) {
    fail(store.error());
    return nullptr;
  }
  return std::move(store).value();
}

std::unique_ptr<labeling::Session> sessionOrFail(const std::string& projectPath, const std::string& userName) {
  auto store = openOrFail(projectPath);
  if (!store) return nullptr;
  std::optional<labeling::User> user;
  if (!userName.empty()) {
    user = store->userByName(userName);
    if (!user) {
      fail(lb::makeError(ErrorCode::NotFound, "no user named '" + userName + "' in " + projectPath +
                                                  "; add one with: labelbench-cli user add"));
      return nullptr;
    }
  } else {
    for (const auto& u : store->users())
      if (u.role == labeling::Role::Lead) {
        user = u;
        break;
      }
    if (!user) {
      auto id = store->addUser("cli", labeling::Role::Lead);
      if (!id) {
        fail(id.error());
        return nullptr;
      }
      user = store->user(*id).value();
    }
  }
  return std::make_unique<labeling::Session>(std::move(store), *user, "cli");
}

ProgressBar::ProgressBar(std::string label) : m_label(std::move(label)), m_tty(isatty(STDERR_FILENO)) {
  m_startMs = labeling::nowMs();
}

void ProgressBar::update(std::int64_t done, std::int64_t total) {
  if (!m_tty || total <= 0) return;
  const auto now = labeling::nowMs();
  if (now - m_lastDrawMs < 100 && done < total) return;
  m_lastDrawMs = now;
  const double frac = std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
  const int width = 30;
  const int filled = static_cast<int>(frac * width);
  const double elapsedS = static_cast<double>(now - m_startMs) / 1000.0;
  const double etaS = done > 0 ? elapsedS * static_cast<double>(total - done) / static_cast<double>(done) : 0.0;
  std::fprintf(stderr, "\r%s [%s%s] %lld/%lld %3.0f%% ETA %ds   ", m_label.c_str(),
               std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
               static_cast<long long>(done), static_cast<long long>(total), frac * 100.0,
               static_cast<int>(etaS + 0.5));
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (m_tty) std::fprintf(stderr, "\n");
}

}  // namespace lb::app
