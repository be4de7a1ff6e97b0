// Text view benchmark: a 1 MB document (Chinese, English, digits, emoji) with 2,000 spans.
//   bench_text_view [workdir]
// 1. Builds the project through the real import path (TXT, one item per file) and adds the
//    spans through the store; prints import and core figures (layout of the whole document,
//    offset conversions) that need no window.
// 2. If $DISPLAY is set and build/bin/labelbench exists, opens the project in the real program
//    with LB_TEXT_BENCH_FRAMES=600: the text panel scrolls the document three lines per frame
//    and prints frame-time p50/p95/max (target: p95 < 16 ms on llvmpipe). Run it under Xvfb:
//    Xvfb :92 -screen 0 1280x800x24 & DISPLAY=:92 LIBGL_ALWAYS_SOFTWARE=1 build/.../bench/bench_text_view
//    LB_TEXT_BENCH_WARMUP=N (default 5) leaves N frames unmeasured, e.g. to close a panel by hand.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <sys/resource.h>

#include "labeling/import/text_import.h"
#include "labeling/store/project_store.h"
#include "labeling/text/offsets.h"
#include "labeling/text/text_layout.h"

using namespace lb::labeling;
namespace fs = std::filesystem;

namespace {

double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Deterministic mixed text: sentences of Chinese, English words, numbers and the odd emoji,
// paragraphs of 3-8 sentences.
std::string makeDocument(std::size_t targetBytes) {
  static const char* zh[] = {"今天", "北京", "天气", "很好", "我们", "去", "公园", "散步", "数据", "标注",
                             "中心", "县城", "工作", "模型", "回答", "质量", "检查", "客户", "交付", "团队"};
  static const char* en[] = {"the", "quick", "model", "answer", "label", "review", "county", "centre",
                             "batch", "quality", "data", "client", "delivery", "team", "annotator"};
  static const char* emoji[] = {"😀", "👍", "🎉", "✅"};
  std::mt19937 rng(12345);
  std::string out;
  int sentence = 0;
  while (out.size() < targetBytes) {
    const int words = 6 + static_cast<int>(rng() % 14);
    for (int w = 0; w < words; ++w) {
      const unsigned r = rng() % 100;
      if (r < 55) out += zh[rng() % 20];
      else if (r < 90) out += std::string(en[rng() % 15]) + " ";
      else if (r < 97) out += std::to_string(rng() % 10000) + " ";
      else out += emoji[rng() % 4];
    }
    out += (rng() % 2) ? "。" : ". ";
    if (++sentence % (3 + rng() % 6) == 0) out += "\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path work = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "lb_bench_text_view";
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string doc = makeDocument(1'000'000);
  { std::ofstream(work / "doc.txt", std::ios::binary) << doc; }

  auto created = createProject((work / "text.lbproj").string());
  if (!created) {
    std::fprintf(stderr, "bench_text_view: %s\n", created.error().message.c_str());
    return 1;
  }
  auto& store = **created;
  LabelSchema schema;
  schema.spansMayOverlap = true;
  const char* colors[] = {"#e6194b", "#3cb44b", "#4363d8", "#f58231"};
  for (int k = 0; k < 4; ++k) {
    ClassDef c;
    c.name = "E" + std::to_string(k + 1);
    c.scope = ClassScope::Span;
    c.color = colors[k];
    c.hotkey = std::to_string(k + 1);
    schema.classes.push_back(c);
  }
  if (!store.setSchema(schema)) return 1;
  (void)store.addUser("bench", Role::Annotator);

  auto t0 = std::chrono::steady_clock::now();
  TextImportOptions opts;
  opts.mode = TextImportMode::File;
  auto report = importTexts(store, {(work / "doc.txt").string()}, opts);
  if (!report || report->imported != 1) {
    std::fprintf(stderr, "bench_text_view: import failed\n");
    return 1;
  }
  const double importMs = msSince(t0);
  const ItemId itemId = store.itemIds(ItemFilter{}).front();
  const Item item = *store.item(itemId);

  // 2,000 spans spread over the document, 2-12 code points long.
  t0 = std::chrono::steady_clock::now();
  const auto stored = store.schema();
  std::mt19937 rng(7);
  const std::int64_t n = item.lengthCodePoints;
  lb::Status st = store.transaction([&]() -> lb::Status {
    for (int k = 0; k < 2000; ++k) {
      Annotation a;
      a.itemId = itemId;
      a.kind = AnnotationKind::Span;
      a.classId = stored.classes[k % 4].id;
      const std::int64_t start = static_cast<std::int64_t>(k) * (n / 2000) + static_cast<std::int64_t>(rng() % 50);
      a.coords = {static_cast<double>(start), static_cast<double>(std::min<std::int64_t>(n, start + 2 + static_cast<std::int64_t>(rng() % 11)))};
      a.source = "bench";
      if (auto id = store.insertAnnotation(a); !id) return id.error();
    }
    return lb::okStatus();
  });
  if (!st) return 1;
  const double spansMs = msSince(t0);

  // Core work of opening the document in the view, without a window.
  t0 = std::chrono::steady_clock::now();
  const auto cps = text::toU32(item.text);
  text::TextLayout layout;
  layout.build(cps, 700.f, [](char32_t c) { return text::isCjk(c) ? 16.f : 8.f; });
  text::OffsetIndex index(item.text);
  const double layoutMs = msSince(t0);
  std::printf("document: %zu bytes, %lld code points, %lld UTF-16 units, encoding %s\n", item.text.size(),
              static_cast<long long>(n), static_cast<long long>(index.utf16Units()), item.sourceEncoding.c_str());
  std::printf("import (detect, NFC, hash, insert): %.1f ms; 2,000 spans inserted: %.1f ms\n", importMs, spansMs);
  std::printf("open without window (UTF-32 + wrap %zu lines at 700 px + offset index): %.1f ms\n", layout.lineCount(),
              layoutMs);

  const char* display = std::getenv("DISPLAY");
  const fs::path gui = fs::path(argv[0]).parent_path().parent_path() / "bin" / "labelbench";
  if (!display || !fs::exists(gui)) {
    std::printf("frame time: skipped (%s)\n", display ? "labelbench not built" : "no DISPLAY; run under Xvfb");
    return 0;
  }
  const std::string cmd = "LB_TEXT_BENCH_FRAMES=600 XDG_CONFIG_HOME='" + (work / "config").string() + "' '" +
                          gui.string() + "' '" + (work / "text.lbproj").string() +
                          "' --user bench --lang en --test-mode 2>/dev/null";
  t0 = std::chrono::steady_clock::now();
  std::fflush(stdout);
  const int rc = std::system(cmd.c_str());
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);  // the machine is often shared: CPU time beside wall time
  double load[1] = {0};
  getloadavg(load, 1);
  std::printf("labelbench run (open + 600 scrolled frames): %.1f s wall, %.1f s CPU (user+sys, all threads), "
              "load average %.2f, exit %d\n",
              msSince(t0) / 1000.0,
              static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                  static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
              load[0], rc);
  return rc == 0 ? 0 : 1;
}
