#pragma once
// [SECTION] What the desktop dashboard shows, prepared without any UI so it can be tested and
// computed on a worker thread. Annotators get only their own figures (the view never holds
// anyone else's rows); reviewers and leads get the team table and can pick one person.
#include <string>
#include <vector>

#include "labeling/store/project_store.h"
#include "qc/throughput/throughput.h"

namespace lb::qc {

struct DashboardView {
  bool everyone = false;           // reviewer/lead view with the people and team tables
  UserId shownUser = 0;            // whose figures `total` and the charts are; 0 = everyone
  std::string shownName;
  std::string today;               // local "YYYY-MM-DD"
  FigureRow todayRow;              // today's figures of the shown user (or everyone)
  FigureRow total;                 // all-time figures of the shown user (or everyone)
  std::vector<FigureRow> people;   // empty for annotators
  std::vector<FigureRow> teams;    // empty for annotators
  std::vector<std::string> dayLabels;
  std::vector<float> itemsPerDay;
  std::vector<float> acceptancePerDay;  // days without reviews repeat the previous value
  std::vector<float> reworkPerDay;
  std::vector<float> secondsHistogram;  // items per bin of active seconds
  float binSeconds = 0;
  std::string error;               // a message for the user when the figures cannot be computed
};

// `selected` is honoured only for reviewers and leads. `nowMs` decides what "today" is.
DashboardView buildDashboardView(const labeling::ProjectStore& store, const labeling::User& viewer,
                                 UserId selected, TimeMs nowMs);

}  // namespace lb::qc
