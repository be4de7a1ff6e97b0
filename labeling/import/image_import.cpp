// [SECTION] importImages: plan the files, prepare them on workers, insert them in order.
#include "labeling/import/image_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <malloc.h>

#include <map>
#include <mutex>
#include <thread>

#include "labeling/events.h"
#include "labeling/import/image_decode.h"
#include "labeling/import/image_sources.h"

namespace lb::labeling {

namespace fs = std::filesystem;

namespace {

// At most this many prepared items wait for the database at once (memory bound).
constexpr std::size_t kWindow = 128;
// Finished items are committed several per transaction: each item is still all-or-nothing
// (a commit holds only whole items), but the fsync cost is shared.
constexpr std::size_t kMaxItemsPerCommit = 64;

std::string defaultBatchName(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return "import";
  std::string first = inputs.front();
  if (!first.empty() && first[0] == '@') first.erase(0, 1);
  while (first.size() > 1 && first.back() == '/') first.pop_back();
  std::error_code ec;
  std::string name = fs::path(first).filename().string();
  if (!fs::is_directory(first, ec) && (isImageFileName(first) || isVideoFileName(first)))
    name = fs::path(first).stem().string();
  for (const char* ext : {".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip", ".tar", ".txt", ".lst"}) {
    const std::size_t n = std::strlen(ext);
    if (name.size() > n && name.compare(name.size() - n, n, ext) == 0) {
      name.resize(name.size() - n);
      break;
    }
  }
  return name.empty() || name == "." ? "import" : name;
}

// A batch name becomes a folder name: keep it to one safe path component.
std::string folderNameFor(const std::string& batch) {
  std::string out;
  for (char c : batch) out += (c == '/' || c == '\\' || c == ':' || c == '\0') ? '_' : c;
  if (out.empty() || out == "." || out == "..") out = "import";
  return out;
}

// Prepared results, handed from the workers to the inserting thread in candidate order.
class ResultWindow {
 public:
  explicit ResultWindow(std::size_t total) : m_total(total) {}

  // Worker side: the next index to prepare, or nullopt when done or stopped.
  std::optional<std::size_t> take() {
    std::unique_lock lock(m_mutex);
    if (m_stop || m_next >= m_total) return std::nullopt;
    const std::size_t i = m_next++;
    // Wait until i fits in the window (the inserter has consumed enough).
    m_space.wait(lock, [&] { return m_stop || i < m_consumed + kWindow; });
    if (m_stop) return std::nullopt;
    return i;
  }
  void put(std::size_t i, Result<NewItem> r) {
    std::lock_guard lock(m_mutex);
    m_ready.emplace(i, std::move(r));
    m_arrived.notify_one();
  }

  // Inserter side: the finished results that continue the order (waits up to 100 ms).
  std::vector<std::pair<std::size_t, Result<NewItem>>> drain(std::size_t max) {
    std::unique_lock lock(m_mutex);
    m_arrived.wait_for(lock, std::chrono::milliseconds(100),
                       [&] { return !m_ready.empty() && m_ready.begin()->first == m_consumed; });
    std::vector<std::pair<std::size_t, Result<NewItem>>> out;
    while (!m_ready.empty() && m_ready.begin()->first == m_consumed && out.size() < max) {
      auto node = m_ready.extract(m_ready.begin());
      out.emplace_back(node.key(), std::move(node.mapped()));
      ++m_consumed;
    }
    if (!out.empty()) m_space.notify_all();
    return out;
  }
  void stop() {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    m_space.notify_all();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_space, m_arrived;
  std::map<std::size_t, Result<NewItem>> m_ready;
  std::size_t m_total = 0;
  std::size_t m_next = 0;
  std::size_t m_consumed = 0;
  bool m_stop = false;
};

// Every image needs a few buffers of several hundred KB (file bytes, decode, analysis copies).
// glibc serves blocks that size as fresh mmaps and returns them at once, so each image would pay
// page faults and page zeroing (~10 % of import time, measured with perf). Keeping such blocks on
// the heap lets the workers reuse them. Process-wide, set once, harmless for the rest.
void keepLargeBuffersOnTheHeap() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  });
}

}  // namespace

Result<ImportReport> importImages(ProjectStore& store, const std::vector<std::string>& inputs,
                                  const ImageImportOptions& opts) {
  if (inputs.empty())
    return makeError(ErrorCode::InvalidArgument, "nothing to import: name at least one folder, archive, image or @list file");
  const ProjectInfo info = store.info();
  const std::string batchName = opts.batchName.empty() ? defaultBatchName(inputs) : opts.batchName;
  const fs::path projectFolder = fs::absolute(fs::path(store.path())).parent_path();
  auto isCancelled = [&] { return opts.cancel && opts.cancel->load(); };
  keepLargeBuffersOnTheHeap();

  SourceContext ctx;
  ctx.mediaRoot = info.mediaRoot.empty() ? projectFolder : fs::path(info.mediaRoot);
  ctx.extractRoot = projectFolder / "media" / folderNameFor(batchName);
  ctx.videoFrameStep = opts.videoFrameStep;
  ctx.known = [&](const std::string& key) { return store.hasSourceKey(key); };
  ctx.cancel = opts.cancel;
  ImportPlan plan = planImport(inputs, ctx);

  ImportReport report;
  report.rejected = std::move(plan.rejected);
  report.alreadyInProject = plan.alreadyInProject;
  report.cancelled = plan.cancelled;
  const auto& cands = plan.candidates;
  const auto total = static_cast<std::int64_t>(cands.size());
  std::int64_t done = 0;
  if (opts.progress) opts.progress(0, total);

  ResultWindow window(cands.size());
  std::vector<std::thread> workers;
  const int nThreads = std::clamp(opts.threads, 1, 64);
  if (!report.cancelled)
    for (int t = 0; t < std::min<std::int64_t>(nThreads, total); ++t)
      workers.emplace_back([&] {
        while (auto i = window.take()) {
          if (isCancelled()) {
            window.stop();
            break;
          }
          const auto& c = cands[*i];
          window.put(*i, prepareImage(c.path, c.displayName, opts.maxPixels));
        }
      });

  const std::string source = [&] {
    std::string s;
    for (const auto& in : inputs) s += (s.empty() ? "" : ";") + in;
    return s;
  }();
  Status fatal = okStatus();
  auto insertOne = [&](const ImportCandidate& c, NewItem& n) -> Status {
    if (!report.batchId) {
      auto b = store.createBatch(batchName, source);
      if (!b) return b.error();
      report.batchId = *b;
    }
    n.item.batchId = report.batchId;
    n.item.mediaPath = c.mediaPath;
    n.item.sourceKey = c.sourceKey;
    n.item.frameIndex = c.frameIndex;
    auto id = store.insertItem(n);
    if (!id) return id.error();
    return okStatus();
  };

  while (!report.cancelled && done < total) {
    if (isCancelled()) {
      report.cancelled = true;
      break;
    }
    auto ready = window.drain(kMaxItemsPerCommit);
    if (ready.empty()) continue;
    std::int64_t imported = 0;
    std::vector<ImportRejection> rejected;
    const BatchId batchBefore = report.batchId;
    Status st = store.transaction([&]() -> Status {
      imported = 0;
      rejected.clear();
      for (auto& [i, r] : ready) {
        if (!r) {
          rejected.push_back({cands[i].displayName, r.error().message});
          continue;
        }
        if (auto s = insertOne(cands[i], r.value()); !s) return s;
        ++imported;
      }
      return okStatus();
    });
    if (!st) {
      // One item spoiled the shared commit (e.g. another program imported the same file
      // meanwhile): store them one by one so the others still land.
      report.batchId = batchBefore;
      imported = 0;
      rejected.clear();
      for (auto& [i, r] : ready) {
        if (!r) {
          rejected.push_back({cands[i].displayName, r.error().message});
          continue;
        }
        if (auto s = insertOne(cands[i], r.value()); !s) {
          if (s.error().code == ErrorCode::Io || s.error().code == ErrorCode::Damaged) fatal = s;
          rejected.push_back({cands[i].displayName, cands[i].displayName + ": not saved (" + s.error().message + ")"});
          continue;
        }
        ++imported;
      }
    }
    report.imported += imported;
    for (auto& r : rejected) report.rejected.push_back(std::move(r));
    done += static_cast<std::int64_t>(ready.size());
    if (opts.progress) opts.progress(done, total);
    if (!fatal) break;
  }
  window.stop();
  for (auto& w : workers) w.join();
  if (!fatal && report.imported == 0) return fatal.error();

  Event e;
  e.userId = opts.userId;
  e.sessionId = opts.sessionId;
  e.action = events::kImport;
  e.detailJson = nlohmann::json{{"kind", "image"},
                                {"batch", report.batchId},
                                {"imported", report.imported},
                                {"already_in_project", report.alreadyInProject},
                                {"rejected", report.rejected.size()},
                                {"cancelled", report.cancelled}}
                     .dump();
  (void)store.appendEvent(e);  // the items are in; a failed log line must not undo that
  return report;
}

}  // namespace lb::labeling
