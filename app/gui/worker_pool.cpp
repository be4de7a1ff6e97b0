#include "worker_pool.h"

#include <cstdio>

namespace lb::app {

labeling::ProjectStore* WorkerEnv::store() {
  if (m_projectPath.empty()) return nullptr;
  if (!m_store || m_openPath != m_projectPath) {
    m_store.reset();
    auto s = labeling::openProject(m_projectPath);
    if (!s) {
      std::fprintf(stderr, "labelbench: worker cannot open %s: %s\n", m_projectPath.c_str(), s.error().message.c_str());
      return nullptr;
    }
    m_store = std::move(s).value();
    m_openPath = m_projectPath;
  }
  return m_store.get();
}

WorkerPool::WorkerPool(int threads) {
  for (int i = 0; i < threads; ++i) m_threads.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    m_high.clear();
    m_low.clear();
  }
  m_cv.notify_all();
  for (auto& t : m_threads) t.join();
}

void WorkerPool::setProject(const std::string& path) {
  std::lock_guard lock(m_mutex);
  m_projectPath = path;
  ++m_generation;
  m_high.clear();
  m_low.clear();
  m_results.clear();
}

void WorkerPool::submit(Job job, Priority priority) {
  {
    std::lock_guard lock(m_mutex);
    (priority == Priority::High ? m_high : m_low).push_back({std::move(job), m_generation});
    // Low-priority work is what scrolled by (thumbnails); keep the newest few hundred.
    while (m_low.size() > 400) m_low.pop_front();
  }
  m_cv.notify_one();
}

std::size_t WorkerPool::pending() const {
  std::lock_guard lock(m_mutex);
  return m_high.size() + m_low.size() + m_results.size() + static_cast<std::size_t>(m_running.load());
}

int WorkerPool::drain(AppContext& ctx) {
  std::vector<std::pair<UiFn, std::uint64_t>> done;
  std::uint64_t gen;
  {
    std::lock_guard lock(m_mutex);
    done.swap(m_results);
    gen = m_generation;
  }
  int n = 0;
  for (auto& [fn, g] : done)
    if (g == gen && fn) {
      fn(ctx);
      ++n;
    }
  return n;
}

void WorkerPool::run() {
  WorkerEnv env;
  for (;;) {
    Entry e;
    {
      std::unique_lock lock(m_mutex);
      m_cv.wait(lock, [&] { return m_stop || !m_high.empty() || !m_low.empty(); });
      if (m_stop) return;
      if (!m_high.empty()) {
        e = std::move(m_high.front());
        m_high.pop_front();
      } else {
        e = std::move(m_low.back());
        m_low.pop_back();
      }
      if (e.generation != m_generation) continue;
      env.m_projectPath = m_projectPath;
      ++m_running;
    }
    UiFn result;
    try {
      result = e.job(env);
    } catch (const std::exception& ex) {
      std::fprintf(stderr, "labelbench: background job failed: %s\n", ex.what());
    }
    {
      std::lock_guard lock(m_mutex);
      --m_running;
      if (result) m_results.emplace_back(std::move(result), e.generation);
    }
    if (m_wake) m_wake();
  }
}

}  // namespace lb::app
