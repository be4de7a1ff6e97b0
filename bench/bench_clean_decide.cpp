// bench_clean_decide: decide() on a whole 100,000-member duplicate group and a whole check,
// set-based (clean::decide) next to the item-by-item reference (clean::detail::decideItemByItem).
//
//   bench_clean_decide /tmp/guibench/large.lbproj [--no-old]
//
// The project is copied to a temporary folder (never modified); synthetic findings are stored on
// the copy: one near_dup group holding every image (a star around the first) and a 'dark'
// finding on every image, so each decide() touches every item.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ctime>
#include <string>

#include <unistd.h>

#include "labeling/store/sqlite_project_store.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/duplicate_groups.h"
#include "qc/clean/findings_repository.h"

using namespace lb;
using namespace lb::labeling;
namespace clean = lb::qc::clean;
namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Prepared {
  std::unique_ptr<ProjectStore> store;
  ItemId first = 0;
  std::size_t items = 0;
  UserId lead = 0;
};

Prepared prepare(const std::string& source, const fs::path& copy) {
  fs::copy_file(source, copy, fs::copy_options::overwrite_existing);
  auto s = openProject(copy.string());
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().message.c_str());
    std::exit(2);
  }
  Prepared p;
  p.store = std::move(*s);
  const auto ids = p.store->itemIds(ItemFilter{});
  p.items = ids.size();
  p.first = ids.front();
  for (const auto& u : p.store->users())
    if (u.role == Role::Lead) p.lead = u.id;
  auto repo = clean::FindingsRepository::open(*p.store);
  std::vector<clean::NewFinding> near, dark;
  std::vector<std::pair<ItemId, double>> star;
  for (auto id : ids)
    if (id != p.first) star.emplace_back(id, 2.0);
  near.push_back({p.first, 2.0, static_cast<std::int64_t>(p.first), clean::neighboursJson(star)});
  for (auto id : ids) {
    if (id != p.first) near.push_back({id, 2.0, static_cast<std::int64_t>(p.first), clean::neighboursJson({{p.first, 2.0}})});
    dark.push_back({id, 1.0, 0, "{}"});
  }
  auto st = p.store->transaction([&]() -> Status {
    if (auto r = repo->replaceCheck("near_dup", near); !r) return r;
    return repo->replaceCheck("dark", dark);
  });
  if (!st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    std::exit(2);
  }
  return p;
}

template <typename Fn>
void timeOne(const char* path, const char* what, Prepared& p, const clean::DecideTarget& target, clean::DecideAction a, Fn fn) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  auto r = fn(*p.store, clean::Thresholds{}, target, a, p.lead);
  const double wall = secondsSince(t0);
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  if (!r) {
    std::fprintf(stderr, "%s %s: %s\n", path, what, r.error().message.c_str());
    std::exit(1);
  }
  std::printf("%-13s %-34s %8.2f s wall %8.2f s cpu  decided %6lld excluded %6lld restored %6lld\n", path, what, wall, cpu,
              static_cast<long long>(r->decided), static_cast<long long>(r->excluded), static_cast<long long>(r->restored));
  std::fflush(stdout);
}

void runAll(const char* path, Prepared& p, auto fn) {
  using A = clean::DecideAction;
  timeOne(path, "near_dup group exclude", p, {"near_dup", static_cast<std::int64_t>(p.first), std::nullopt}, A::Exclude, fn);
  timeOne(path, "near_dup group restore", p, {"near_dup", static_cast<std::int64_t>(p.first), std::nullopt}, A::Restore, fn);
  timeOne(path, "dark whole check exclude", p, {"dark", std::nullopt, std::nullopt}, A::Exclude, fn);
  timeOne(path, "dark whole check restore", p, {"dark", std::nullopt, std::nullopt}, A::Restore, fn);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_clean_decide <project.lbproj> [--no-old]\n");
    return 2;
  }
  const bool old = !(argc > 2 && std::string(argv[2]) == "--no-old");
  const fs::path dir = fs::temp_directory_path() / ("bench_clean_decide_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    auto t0 = std::chrono::steady_clock::now();
    auto p = prepare(argv[1], dir / "set.lbproj");
    std::printf("%zu items; copy + synthetic findings %.1f s\n", p.items, secondsSince(t0));
    runAll("set-based", p, clean::decide);
  }
  if (old) {
    auto p = prepare(argv[1], dir / "item.lbproj");
    runAll("item-by-item", p, clean::detail::decideItemByItem);
  }
  fs::remove_all(dir);
  return 0;
}
