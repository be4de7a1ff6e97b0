#include "qc/throughput/dashboard_view.h"

#include <algorithm>
#include <cmath>

#include "qc/stats.h"
#include "qc/throughput/project_figures.h"

namespace lb::qc {

DashboardView buildDashboardView(const labeling::ProjectStore& store, const labeling::User& viewer,
                                 UserId selected, TimeMs nowMs) {
  DashboardView view;
  view.everyone = viewer.role != labeling::Role::Annotator;
  auto settings = loadThroughputSettings(store);
  if (!settings) {
    view.error = settings.error().message;
    return view;
  }
  auto data = computeProjectFigures(store, *settings);
  if (!data) {
    view.error = data.error().message;
    return view;
  }
  FigureFilter filter;
  if (!view.everyone) filter.user = viewer.id;  // an annotator never gets others' figures
  else if (selected != 0) filter.user = selected;
  view.shownUser = filter.user.value_or(0);
  if (view.shownUser) {
    auto it = settings->userNames.find(view.shownUser);
    view.shownName = it != settings->userNames.end() ? it->second : "";
  }
  const std::int64_t today = data->localDay(nowMs);
  view.today = dayLabel(today);
  FigureFilter todayFilter = filter;
  todayFilter.day = today;
  view.todayRow = totalFigures(*data, todayFilter);
  view.total = totalFigures(*data, filter);
  if (view.everyone) {
    view.people = figuresBy(*data, GroupBy::Annotator);
    view.teams = figuresBy(*data, GroupBy::Team);
  }
  float lastAcceptance = 0;
  for (const auto& r : figuresBy(*data, GroupBy::Day, filter)) {
    view.dayLabels.push_back(r.key);
    view.itemsPerDay.push_back(static_cast<float>(r.items));
    if (auto a = r.acceptanceRate()) lastAcceptance = static_cast<float>(*a);
    view.acceptancePerDay.push_back(lastAcceptance);
    view.reworkPerDay.push_back(static_cast<float>(r.reworkRate()));
  }
  const auto& secs = view.total.secondsPerItem;
  if (!secs.empty()) {
    const double top = std::max(1.0, percentile(secs, 99));
    double width = 1;
    for (double w : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0}) {
      width = w;
      if (top / w <= 30) break;
    }
    const auto bins = static_cast<std::size_t>(std::max(1.0, std::ceil(top / width)));
    view.secondsHistogram.assign(bins, 0.f);
    for (double s : secs)
      view.secondsHistogram[std::min(bins - 1, static_cast<std::size_t>(std::max(0.0, s) / width))] += 1;
    view.binSeconds = static_cast<float>(width);
  }
  return view;
}

}  // namespace lb::qc
