// Throughput figures over a project with 1,000,000 events (target: computing < 1 s).
// Builds a synthetic but realistic log (50 annotators, heartbeats, idle gaps, focus changes,
// parallel sessions, annotations, submits, reviews), inserts it in one SQLite transaction, then
// times reading the log and computing all figures separately.
//
// Usage: bench_throughput [events=1000000] [project file to keep; default: a temp file]
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "labeling/events.h"
#include "labeling/store/sqlite_project_store.h"
#include "qc/throughput/pay.h"
#include "qc/throughput/project_figures.h"
#include "qc/throughput/report.h"

using namespace lb::labeling;
using namespace lb::qc;
namespace ev = lb::labeling::events;

namespace {

// Builds text by appending (GCC 12 at -O3 warns falsely on `"literal" + std::string`).
void appendTo(std::string& s, const char* v) { s += v; }
template <typename N, typename = std::enable_if_t<std::is_integral_v<N>>>
void appendTo(std::string& s, N v) { s += std::to_string(v); }
template <typename... T>
std::string cat(const T&... parts) {
  std::string s;
  (appendTo(s, parts), ...);
  return s;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds of this process: the machine is shared, so wall time alone overstates our cost.
double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t target = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const std::string path = argc > 2 ? argv[2]
                                    : (std::filesystem::temp_directory_path() /
                                       cat("bench_throughput_", ::getpid(), ".lbproj"))
                                          .string();
  std::filesystem::remove(path);
  auto created = createProject(path);
  if (!created) {
    std::fprintf(stderr, "%s\n", created.error().message.c_str());
    return 1;
  }
  auto& store = dynamic_cast<SqliteProjectStore&>(**created);

  constexpr int kAnnotators = 50;
  constexpr int kReviewers = 5;
  constexpr int kItems = 40'000;
  std::vector<UserId> annotators, reviewers;
  for (int i = 0; i < kAnnotators; ++i) annotators.push_back(*store.addUser(cat("annotator", i), Role::Annotator));
  for (int i = 0; i < kReviewers; ++i) reviewers.push_back(*store.addUser(cat("reviewer", i), Role::Reviewer));
  std::string teams = "{";
  for (int i = 0; i < kAnnotators; ++i) teams += cat(i ? "," : "", "\"annotator", i, "\":\"team", i % 5, "\"");
  (void)store.setSetting("teams", teams + "}");
  (void)store.setSetting("utc_offset_minutes", "480");

  auto t0 = std::chrono::steady_clock::now();
  auto& db = store.database();
  std::vector<ItemId> items;
  {
    SQLite::Transaction tx(db);
    std::vector<BatchId> batches;
    for (int b = 0; b < 20; ++b) batches.push_back(*store.createBatch(cat("batch", b), ""));
    SQLite::Statement ins(db, "INSERT INTO items(batch_id, kind, source_key, content_hash, created_ms) VALUES (?, 'image', ?, '', 0)");
    for (int i = 0; i < kItems; ++i) {
      ins.bind(1, batches[static_cast<std::size_t>(i) % batches.size()]);
      ins.bind(2, cat("k", i));
      ins.exec();
      ins.reset();
      items.push_back(db.getLastInsertRowid());
    }
    tx.commit();
  }

  std::mt19937_64 rng(42);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::int64_t written = 0;
  std::int64_t annotationId = 0;
  int day = 0;
  {
    SQLite::Transaction tx(db);
    SQLite::Statement ins(db, "INSERT INTO events(user_id, item_id, session_id, action, t_ms, detail_json) VALUES (?,?,?,?,?,?)");
    auto put = [&](UserId u, ItemId item, const std::string& session, const char* action, TimeMs t,
                   const std::string& detail = "{}") {
      ins.bind(1, u);
      ins.bind(2, item);
      ins.bind(3, session);
      ins.bind(4, action);
      ins.bind(5, t);
      ins.bind(6, detail);
      ins.exec();
      ins.reset();
      ++written;
    };
    const TimeMs start = 1795219200000;  // 2026-11-21
    std::size_t nextItem = 0;
    while (written < target) {
      // One working day: every annotator works one long session, some with a second window.
      for (std::size_t a = 0; a < annotators.size() && written < target; ++a) {
        const UserId u = annotators[a];
        const std::string session = cat("d", day, "u", u);
        TimeMs t = start + day * 86'400'000LL + uniform(0, 3'600'000);
        put(u, 0, session, ev::kSessionStart, t, R"({"program":"gui"})");
        for (int k = 0; k < 400 && written < target; ++k) {
          const ItemId item = items[nextItem++ % items.size()];
          put(u, item, session, ev::kOpenItem, t);
          const int boxes = uniform(1, 6);
          for (int b = 0; b < boxes; ++b) {
            for (int h = uniform(2, 6); h > 0; --h) put(u, 0, session, ev::kInput, t += uniform(500, 1500));
            const bool assisted = uniform(0, 3) == 0;
            put(u, item, session, ev::kAnnotationCreated, t += 200,
                cat("{\"annotation\":", ++annotationId, ",\"kind\":\"", assisted ? "polygon" : "box", "\",\"vertices\":",
                    assisted ? uniform(6, 30) : 2, ",\"source\":\"", assisted ? "assist:grabcut@1" : "manual", "\"}"));
          }
          if (uniform(0, 20) == 0) t += uniform(61'000, 600'000);  // a break: idle
          if (uniform(0, 30) == 0) {
            put(u, 0, session, ev::kFocusLost, t += 300);
            put(u, 0, session, ev::kFocusGained, t += uniform(2'000, 40'000));
          }
          put(u, item, session, ev::kSubmit, t += 300, R"({"state":"submitted"})");
          put(u, item, session, ev::kCloseItem, t);
          if (uniform(0, 4) == 0) {
            const UserId r = reviewers[static_cast<std::size_t>(uniform(0, kReviewers - 1))];
            const int v = uniform(0, 9);
            put(r, item, cat("rev", r, "d", day),
                v < 7 ? ev::kReviewAccept : v < 9 ? ev::kReviewReject : ev::kReviewFixAccept,
                t + uniform(60'000, 7'200'000), cat("{\"annotator\":", u, "}"));
          }
        }
        put(u, 0, session, ev::kSessionEnd, t);
      }
      ++day;
    }
    tx.commit();
  }
  std::printf("wrote %lld events (%d days, %d annotators, %d items) in %.2f s\n",
              static_cast<long long>(written), day, kAnnotators, kItems, secondsSince(t0));

  auto settings = loadThroughputSettings(store);
  if (!settings) {
    std::fprintf(stderr, "%s\n", settings.error().message.c_str());
    return 1;
  }

  // 1. Reading only: stream every event out of SQLite.
  t0 = std::chrono::steady_clock::now();
  double c0 = cpuSeconds();
  std::int64_t n = 0;
  (void)store.forEachEvent([&](const Event&) { return ++n, true; });
  const double readOnly = secondsSince(t0), readOnlyCpu = cpuSeconds() - c0;

  // 2. Reading into memory, then computing from memory (the computation alone).
  std::vector<Event> events;
  events.reserve(static_cast<std::size_t>(written));
  (void)store.forEachEvent([&](const Event& e) { return events.push_back(e), true; });
  t0 = std::chrono::steady_clock::now();
  c0 = cpuSeconds();
  const auto data = computeFigures(events, *settings);
  const double compute = secondsSince(t0), computeCpu = cpuSeconds() - c0;
  t0 = std::chrono::steady_clock::now();
  c0 = cpuSeconds();
  std::size_t rows = 0;
  for (auto by : {GroupBy::Annotator, GroupBy::Team, GroupBy::Batch, GroupBy::Day, GroupBy::Hour})
    rows += figuresBy(data, by).size();
  PayRates rates;
  rates.perItem = 0.2;
  rates.perObject = 0.05;
  rates.perVertex = 0.01;
  rates.rejectedDeduction = 0.3;
  rates.qualitySource = QualitySource::Acceptance;
  rates.qualityTable = {{0, 0.5}, {0.8, 1.0}, {0.95, 1.1}};
  const auto pay = computeEarnings(data, rates, PayPeriod::Day);
  const double grouping = secondsSince(t0), groupingCpu = cpuSeconds() - c0;

  // 3. End to end as the CLI does it: stream from the store into the builder, then group.
  t0 = std::chrono::steady_clock::now();
  c0 = cpuSeconds();
  auto streamed = computeProjectFigures(store, *settings);
  const auto total = totalFigures(*streamed);
  const double endToEnd = secondsSince(t0), endToEndCpu = cpuSeconds() - c0;

  std::printf("                                            wall      cpu\n");
  std::printf("read event log (stream, no work):       %7.3f s %7.3f s  (%lld events)\n", readOnly, readOnlyCpu,
              static_cast<long long>(n));
  std::printf("compute figures from memory:            %7.3f s %7.3f s\n", compute, computeCpu);
  std::printf("group 5 ways + pay per day:             %7.3f s %7.3f s  (%zu rows, %zu pay rows)\n", grouping,
              groupingCpu, rows, pay.size());
  std::printf("compute + group (target < 1 s):         %7.3f s %7.3f s\n", compute + grouping,
              computeCpu + groupingCpu);
  std::printf("end to end from the store (read+compute): %5.3f s %7.3f s\n", endToEnd, endToEndCpu);
  std::printf("totals: %.1f active hours, %lld items, %lld objects (%lld assisted), median %.1f s/item, rework %.1f%%\n",
              total.activeHours(), static_cast<long long>(total.items), static_cast<long long>(total.objects),
              static_cast<long long>(total.assistedObjects), total.medianSecondsPerItem(), total.reworkRate() * 100);
  created = makeError(lb::ErrorCode::Cancelled, "closed");  // closes the store before removing its files
  if (argc <= 2)
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return 0;
}
