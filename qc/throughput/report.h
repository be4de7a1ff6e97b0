#pragma once
// [SECTION] Throughput reports: CSV for spreadsheets and a self-contained HTML page.
// The HTML has no scripts and no external resources (styles inline, charts as inline SVG), so it
// opens offline and can be mailed to a client as one file.
#include <string>
#include <vector>

#include "qc/throughput/throughput.h"

namespace lb::qc {

// One header row, then one row per FigureRow. Columns (rates per active hour, seconds, 0..1):
// group,active_hours,items,objects,vertices,spans,ratings,items_per_hour,objects_per_hour,
// vertices_per_hour,spans_per_hour,ratings_per_hour,median_seconds_per_item,rework_rate,
// reworked_items,gold_accuracy,acceptance_rate,median_review_turnaround_seconds,reviews,
// assisted_objects,manual_objects
std::string figuresCsv(const std::vector<FigureRow>& rows, GroupBy by);

struct HtmlReportOptions {
  std::string projectName;
  GroupBy by = GroupBy::Annotator;
  FigureFilter filter;        // per day (filter.day) or per batch (filter.batch), or everything
  std::string generatedAt;    // shown in the footer; the caller decides (tests pass a fixed text)
};

// The page: totals, the grouped table, and three charts — throughput over time (items per hour
// for a one-day report, per day otherwise), quality trend (rework and acceptance per day) and
// the distribution of seconds per item.
std::string htmlReport(const ThroughputData& data, const HtmlReportOptions& options);

}  // namespace lb::qc
