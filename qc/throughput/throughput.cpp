// [SECTION] Grouping the builder's fine-grained data into report rows, and local-time labels.
#include "qc/throughput/throughput.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "qc/stats.h"

namespace lb::qc {

// [SECTION] FigureRow

double FigureRow::medianSecondsPerItem() const { return median(secondsPerItem); }
double FigureRow::medianTurnaroundSeconds() const { return median(turnaroundSeconds); }

std::optional<double> FigureRow::acceptanceRate() const {
  if (reviewed == 0) return std::nullopt;
  return static_cast<double>(accepted) / static_cast<double>(reviewed);
}

// [SECTION] Local time

std::int64_t ThroughputData::floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t ThroughputData::localHour(TimeMs t) const {
  return floorDiv(t + static_cast<TimeMs>(settings.utcOffsetMinutes) * 60'000, 3'600'000);
}

BatchId ThroughputData::batchOf(ItemId item) const {
  if (item == 0) return 0;
  auto it = settings.batchOf.find(item);
  return it == settings.batchOf.end() ? 0 : it->second;
}

namespace {

// Howard Hinnant's civil-from-days / days-from-civil (proleptic Gregorian).
void civilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::string dayLabel(std::int64_t localDay) {
  int y = 0;
  unsigned m = 0, d = 0;
  civilFromDays(localDay, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string hourLabel(std::int64_t localHour) {
  const std::int64_t day = ThroughputData::floorDiv(localHour, 24);
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:00", static_cast<int>(localHour - day * 24));
  return dayLabel(day) + buf;
}

std::optional<std::int64_t> parseDay(const std::string& s) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const std::int64_t day = daysFromCivil(y, m, d);
  if (dayLabel(day) != s) return std::nullopt;  // 2026-02-30 and the like
  return day;
}

std::string_view toString(GroupBy by) {
  switch (by) {
    case GroupBy::Annotator: return "annotator";
    case GroupBy::Team: return "team";
    case GroupBy::Batch: return "batch";
    case GroupBy::Day: return "day";
    case GroupBy::Hour: return "hour";
  }
  return "?";
}

std::optional<GroupBy> groupByFrom(std::string_view s) {
  for (auto by : {GroupBy::Annotator, GroupBy::Team, GroupBy::Batch, GroupBy::Day, GroupBy::Hour})
    if (toString(by) == s) return by;
  return std::nullopt;
}

// [SECTION] Grouping

std::vector<std::pair<std::int64_t, FigureRow>> groupRows(const ThroughputData& data, const GroupKeyFn& keyOf) {
  std::unordered_map<std::int64_t, FigureRow> rows;
  // The last row looked up: records of one person and period tend to come together.
  std::int64_t lastId = 0;
  FigureRow* last = nullptr;
  auto row = [&](UserId user, BatchId batch, std::int64_t hour) -> FigureRow* {
    const auto id = keyOf(user, batch, hour);
    if (!id) return nullptr;
    FigureRow* r = (last && lastId == *id) ? last : &rows[*id];
    last = r;
    lastId = *id;
    if (r->users.empty() || r->users.back() != user) r->users.push_back(user);  // deduplicated below
    return r;
  };
  for (const auto& s : data.slices)
    if (auto* r = row(s.user, s.batch, s.hour)) r->activeMs += s.ms;
  for (const auto& w : data.itemWork) {
    if (w.firstSubmitMs < 0) continue;
    auto* r = row(w.user, data.batchOf(w.item), data.localHour(w.firstSubmitMs));
    if (!r) continue;
    ++r->items;
    if (w.reworked) ++r->reworkedItems;
    r->secondsPerItem.push_back(static_cast<double>(w.activeMs) / 1000.0);
  }
  using Unit = ThroughputData::Piece::Unit;
  for (const auto& p : data.pieces) {
    if (!p.live) continue;
    auto* r = row(p.user, data.batchOf(p.item), data.localHour(p.createdMs));
    if (!r) continue;
    if (p.unit == Unit::Object) ++r->objects;
    if (p.unit == Unit::Span) ++r->spans;
    if (p.unit == Unit::Rating) ++r->ratings;
    r->vertices += p.vertices;
    (p.assisted ? r->assistedObjects : r->manualObjects) += 1;
  }
  using Verdict = ThroughputData::ReviewMark::Verdict;
  for (const auto& m : data.reviews) {
    auto* r = row(m.annotator, data.batchOf(m.item), data.localHour(m.tMs));
    if (!r) continue;
    ++r->reviewed;
    if (m.verdict == Verdict::Accept) ++r->accepted;
    if (m.verdict == Verdict::Reject) ++r->rejected;
    if (m.turnaroundMs >= 0) r->turnaroundSeconds.push_back(static_cast<double>(m.turnaroundMs) / 1000.0);
  }
  std::vector<std::pair<std::int64_t, FigureRow>> out;
  out.reserve(rows.size());
  for (auto& [id, r] : rows) {
    r.sortKey = id;
    std::sort(r.users.begin(), r.users.end());
    r.users.erase(std::unique(r.users.begin(), r.users.end()), r.users.end());
    // Gold accuracy is per person: a row gets the mean over its people who have one.
    double sum = 0;
    int n = 0;
    for (UserId u : r.users) {
      if (auto it = data.settings.goldAccuracy.find(u); it != data.settings.goldAccuracy.end()) {
        sum += it->second;
        ++n;
      }
    }
    if (n > 0) r.goldAccuracy = sum / n;
    out.emplace_back(id, std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<FigureRow> figuresBy(const ThroughputData& data, GroupBy by, const FigureFilter& filter) {
  std::vector<std::string> teams;
  auto teamIndex = [&](UserId user) -> std::int64_t {
    auto it = data.settings.teamOf.find(user);
    const std::string team = it == data.settings.teamOf.end() ? "all" : it->second;
    auto found = std::find(teams.begin(), teams.end(), team);
    if (found != teams.end()) return found - teams.begin();
    teams.push_back(team);
    return static_cast<std::int64_t>(teams.size()) - 1;
  };
  auto keyOf = [&](UserId user, BatchId batch, std::int64_t hour) -> std::optional<std::int64_t> {
    if (filter.user && *filter.user != user) return std::nullopt;
    if (filter.batch && *filter.batch != batch) return std::nullopt;
    if (filter.day && ThroughputData::floorDiv(hour, 24) != *filter.day) return std::nullopt;
    switch (by) {
      case GroupBy::Annotator: return user;
      case GroupBy::Team: return teamIndex(user);
      case GroupBy::Batch: return batch;
      case GroupBy::Day: return ThroughputData::floorDiv(hour, 24);
      case GroupBy::Hour: return hour;
    }
    return std::nullopt;
  };
  auto grouped = groupRows(data, keyOf);
  std::vector<FigureRow> out;
  out.reserve(grouped.size());
  for (auto& [id, r] : grouped) {
    switch (by) {
      case GroupBy::Annotator: {
        auto it = data.settings.userNames.find(id);
        r.key = it != data.settings.userNames.end() ? it->second : "user " + std::to_string(id);
        break;
      }
      case GroupBy::Team: r.key = teams[static_cast<std::size_t>(id)]; break;
      case GroupBy::Batch: {
        auto it = data.settings.batchNames.find(id);
        r.key = id == 0 ? "(no item)"
                : it != data.settings.batchNames.end() ? it->second
                                                       : "batch " + std::to_string(id);
        break;
      }
      case GroupBy::Day: r.key = dayLabel(id); break;
      case GroupBy::Hour: r.key = hourLabel(id); break;
    }
    // Accuracy belongs to people; a batch or a stretch of time has none of its own.
    if (by != GroupBy::Annotator && by != GroupBy::Team) r.goldAccuracy.reset();
    out.push_back(std::move(r));
  }
  if (by != GroupBy::Day && by != GroupBy::Hour)
    std::sort(out.begin(), out.end(), [](const FigureRow& a, const FigureRow& b) { return a.key < b.key; });
  return out;
}

FigureRow totalFigures(const ThroughputData& data, const FigureFilter& filter) {
  auto keyOf = [&](UserId user, BatchId batch, std::int64_t hour) -> std::optional<std::int64_t> {
    if (filter.user && *filter.user != user) return std::nullopt;
    if (filter.batch && *filter.batch != batch) return std::nullopt;
    if (filter.day && ThroughputData::floorDiv(hour, 24) != *filter.day) return std::nullopt;
    return 0;
  };
  auto grouped = groupRows(data, keyOf);
  FigureRow r = grouped.empty() ? FigureRow{} : std::move(grouped.front().second);
  r.key = "total";
  return r;
}

}  // namespace lb::qc
