// [SECTION] ExportSource: item selection, filters, stratified split and the streaming walk.
#include "labeling/formats/export_source.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <random>
#include <sstream>
#include <unordered_map>

namespace lb::labeling::formats {

namespace fs = std::filesystem;

std::vector<std::string> splitNames(std::size_t ratioCount) {
  if (ratioCount == 0) return {""};
  static const char* names[] = {"train", "val", "test"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ratioCount; ++i) out.push_back(i < 3 ? names[i] : "split" + std::to_string(i));
  return out;
}

Result<std::vector<double>> parseSplitRatios(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string part;
  double sum = 0;
  while (std::getline(ss, part, ',')) {
    try {
      std::size_t used = 0;
      const double v = std::stod(part, &used);
      if (used != part.size() || v < 0) throw std::invalid_argument(part);
      out.push_back(v);
      sum += v;
    } catch (const std::exception&) {
      return makeError(ErrorCode::InvalidArgument, "split ratio '" + part + "' in '" + text +
                                                       "' is not a number >= 0; write e.g. 0.8,0.1,0.1");
    }
  }
  if (out.size() < 2 || out.size() > 3 || sum <= 0)
    return makeError(ErrorCode::InvalidArgument,
                     "split '" + text + "' needs 2 or 3 ratios with a positive sum, e.g. 0.8,0.1,0.1");
  for (auto& v : out) v /= sum;
  return out;
}

Result<TimeMs> parseDate(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char c1 = 0, c2 = 0;
  std::istringstream in(text);
  if (in >> y >> c1 >> m >> c2 >> d && c1 == '-' && c2 == '-' && in.peek() == EOF && m >= 1 && m <= 12 && d >= 1 &&
      d <= 31) {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    return static_cast<TimeMs>(timegm(&tm)) * 1000;
  }
  if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit)) return std::stoll(text);
  return makeError(ErrorCode::InvalidArgument, "date '" + text + "' is not YYYY-MM-DD (UTC) or milliseconds");
}

Result<ExportSource> ExportSource::open(const ProjectStore& store, const ExportFilter& filter) {
  ExportSource src(store);
  src.m_schema = store.schema();
  src.m_mediaRoot = store.info().mediaRoot;
  if (!filter.splitRatios.empty()) {
    double sum = 0;
    for (double r : filter.splitRatios) sum += r;
    if (filter.splitRatios.size() > 3 || sum <= 0)
      return makeError(ErrorCode::InvalidArgument, "split needs 2 or 3 ratios with a positive sum");
  }
  ItemFilter f;
  f.batchId = filter.batchId;
  if (filter.acceptedOnly) f.state = ItemState::Accepted;
  f.includeExcluded = filter.includeExcluded;
  f.withText = true;
  auto items = store.items(f);

  // One streaming pass over annotations when a date range or a stratified split needs them:
  // the last change per item, and the most frequent class per item.
  const bool needDates = filter.fromMs || filter.toMs;
  const bool needClasses = !filter.splitRatios.empty();
  std::unordered_map<ItemId, TimeMs> lastChange;
  std::unordered_map<ItemId, ClassId> mainClass;
  if (needDates || needClasses) {
    ItemId cur = 0;
    std::map<ClassId, int> counts;
    auto flush = [&] {
      if (!cur || counts.empty()) return;
      mainClass[cur] = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) {
                         return a.second < b.second;
                       })->first;
      counts.clear();
    };
    auto st = store.forEachAnnotation([&](const Annotation& a) {
      if (a.itemId != cur) {
        flush();
        cur = a.itemId;
      }
      auto& t = lastChange[a.itemId];
      t = std::max(t, a.updatedMs);
      if (a.classId) ++counts[a.classId];
      return true;
    });
    flush();
    if (!st) return st.error();
  }
  for (auto& it : items) {
    if (needDates) {
      auto lc = lastChange.find(it.id);
      const TimeMs t = lc != lastChange.end() ? lc->second : it.createdMs;
      if (filter.fromMs && t < *filter.fromMs) continue;
      if (filter.toMs && t >= *filter.toMs) continue;
    }
    if (it.kind == ItemKind::Prompt)  // items() leaves responses out; prompts need them
      if (auto full = store.item(it.id)) it.responses = full->responses;
    src.m_items.push_back(std::move(it));
  }
  src.m_subsets.assign(src.m_items.size(), "");
  if (!filter.splitRatios.empty()) {
    // Stratified: items are grouped by their most frequent class (0 = none), each group is
    // shuffled with the seed and cut by the ratios, so every class is spread like the whole.
    const auto names = splitNames(filter.splitRatios.size());
    double sum = 0;
    for (double r : filter.splitRatios) sum += r;
    std::map<ClassId, std::vector<std::size_t>> strata;
    for (std::size_t i = 0; i < src.m_items.size(); ++i) {
      auto mc = mainClass.find(src.m_items[i].id);
      strata[mc == mainClass.end() ? 0 : mc->second].push_back(i);
    }
    for (auto& [cls, idx] : strata) {
      std::mt19937_64 rng(filter.seed ^ (static_cast<std::uint64_t>(cls) * 0x9E3779B97F4A7C15ull));
      std::shuffle(idx.begin(), idx.end(), rng);
      const double n = static_cast<double>(idx.size());
      std::size_t start = 0;
      double acc = 0;
      for (std::size_t s = 0; s < names.size(); ++s) {
        acc += filter.splitRatios[s] / sum;
        const std::size_t end = s + 1 == names.size() ? idx.size() : static_cast<std::size_t>(n * acc + 0.5);
        for (std::size_t k = start; k < std::min(end, idx.size()); ++k) src.m_subsets[idx[k]] = names[s];
        start = std::max(start, end);
      }
    }
  }
  return src;
}

std::vector<std::string> ExportSource::subsets() const {
  std::vector<std::string> out;
  for (const auto& name : {"train", "val", "test"})
    if (std::find(m_subsets.begin(), m_subsets.end(), name) != m_subsets.end()) out.push_back(name);
  if (out.empty()) out.push_back("");
  return out;
}

fs::path ExportSource::mediaPath(const Item& item) const {
  fs::path p(item.mediaPath);
  return p.is_absolute() ? p : fs::path(m_mediaRoot) / p;
}

std::string ExportSource::className(const Annotation& a) const {
  const auto* c = classOf(a);
  return c ? c->name : std::string();
}

Status ExportSource::forEach(const ItemFn& fn, std::atomic<bool>* cancel) const {
  std::size_t next = 0;  // index of the next selected item not yet handed out
  std::vector<Annotation> current;
  bool stopped = false;
  bool cancelled = false;
  auto emitUpTo = [&](ItemId id) {  // hands out every selected item with id < `id`
    while (!stopped && next < m_items.size() && m_items[next].id < id) {
      if (cancel && cancel->load()) {
        cancelled = stopped = true;
        return;
      }
      if (!fn(next, m_items[next], current)) stopped = true;
      current.clear();
      ++next;
    }
  };
  auto st = m_store.forEachAnnotation([&](const Annotation& a) {
    if (next < m_items.size() && a.itemId > m_items[next].id) emitUpTo(a.itemId);
    if (stopped || next >= m_items.size()) return !stopped && next < m_items.size();
    if (a.itemId == m_items[next].id) current.push_back(a);
    return true;
  });
  if (!st) return st;
  emitUpTo(std::numeric_limits<ItemId>::max());
  if (cancelled) return makeError(ErrorCode::Cancelled, "export cancelled");
  return okStatus();
}

void copyMedia(const ExportSource& src, const Item& item, const fs::path& dest, ExportReport& report) {
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  fs::copy_file(src.mediaPath(item), dest, fs::copy_options::overwrite_existing, ec);
  if (ec) report.lose("media file missing (not copied)", describe(item) + ": " + ec.message());
}

Status cancelIsNotAnError(const Status& walk, ExportReport& report) {
  if (walk) return walk;
  if (walk.error().code != ErrorCode::Cancelled) return walk;
  report.cancelled = true;
  return Ok{};
}

Status forEachImageToWrite(const ExportSource& src, const std::string& formatName, const ExportOptions& opts,
                           ExportReport& report, const ExportSource::ItemFn& fn) {
  std::int64_t done = 0;
  const auto total = static_cast<std::int64_t>(src.items().size());
  return src.forEach(
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        if (opts.progress && (++done % 256 == 0 || done == total)) opts.progress(done, total);
        if (item.kind != ItemKind::Image) {
          report.lose("text item (" + formatName + " holds images only)", describe(item));
          return true;
        }
        if (anns.empty() && !item.nothingHere) {  // no output: "not yet labelled"
          ++report.unlabelledLeftOut;
          return true;
        }
        return fn(index, item, anns);
      },
      opts.cancel);
}

std::string describe(const Item& item) {
  return "item " + std::to_string(item.id) + (item.mediaPath.empty() ? "" : " (" + item.mediaPath + ")");
}

std::string describe(const Item& item, const Annotation& a) {
  return describe(item) + ", " + std::string(toString(a.kind)) + " " + std::to_string(a.id);
}

}  // namespace lb::labeling::formats
