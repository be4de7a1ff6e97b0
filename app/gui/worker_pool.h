#pragma once
// [SECTION] A small pool of worker threads for everything the UI thread must not wait on:
// decoding images, reading thumbnails, queries over the whole project. A job runs on a worker
// and returns a function that the UI thread runs when it drains the result queue (once per
// frame). Each worker opens its own ProjectStore on the project file (SQLite WAL lets readers
// run beside the UI thread's writer).
//
// Threads: submit() and drain() on the UI thread; jobs on workers.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "labeling/store/project_store.h"

namespace lb::app {

class AppContext;
using UiFn = std::function<void(AppContext&)>;

// What a job gets: the project (opened lazily on this worker), or nullptr when none is open.
class WorkerEnv {
 public:
  labeling::ProjectStore* store();
  const std::string& projectPath() const { return m_projectPath; }

 private:
  friend class WorkerPool;
  std::string m_projectPath;
  std::string m_openPath;
  std::unique_ptr<labeling::ProjectStore> m_store;
};

using Job = std::function<UiFn(WorkerEnv&)>;

class WorkerPool {
 public:
  enum class Priority { High, Low };  // High: FIFO (current image); Low: newest first (thumbnails)

  explicit WorkerPool(int threads);
  ~WorkerPool();

  // The project the workers' stores open; results of jobs submitted before a change are dropped.
  void setProject(const std::string& path);
  void submit(Job job, Priority priority = Priority::High);
  // Runs the UI parts of finished jobs; returns how many ran.
  int drain(AppContext& ctx);
  // Called from a worker after posting a result (e.g. glfwPostEmptyEvent to wake the loop).
  void setWakeUp(std::function<void()> fn) { m_wake = std::move(fn); }
  std::size_t pending() const;

 private:
  struct Entry {
    Job job;
    std::uint64_t generation;
  };
  void run();

  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<Entry> m_high, m_low;
  std::vector<std::pair<UiFn, std::uint64_t>> m_results;
  std::vector<std::thread> m_threads;
  std::string m_projectPath;
  std::uint64_t m_generation = 0;
  std::atomic<int> m_running{0};
  bool m_stop = false;
  std::function<void()> m_wake;
};

}  // namespace lb::app
