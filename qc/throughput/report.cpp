// [SECTION] CSV and HTML (inline SVG) throughput reports.
#include "qc/throughput/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "qc/stats.h"

namespace lb::qc {

namespace {

std::string fmt(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;  // never print "-0.0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string html(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string optFmt(const std::optional<double>& v, int decimals) { return v ? fmt(*v, decimals) : ""; }

// [SECTION] Inline SVG charts

constexpr int kWidth = 640;
constexpr int kHeight = 220;
constexpr int kLeft = 48;
constexpr int kBottom = 40;
constexpr int kTop = 16;

double niceCeiling(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (v <= m * p) return m * p;
  return 10 * p;
}

void axes(std::ostringstream& o, double yMax, const std::string& yTitle) {
  const int plotH = kHeight - kTop - kBottom;
  o << "<line x1='" << kLeft << "' y1='" << kTop << "' x2='" << kLeft << "' y2='" << kTop + plotH
    << "' stroke='#444'/>";
  o << "<line x1='" << kLeft << "' y1='" << kTop + plotH << "' x2='" << kWidth - 8 << "' y2='" << kTop + plotH
    << "' stroke='#444'/>";
  for (int i = 0; i <= 4; ++i) {
    const double y = kTop + plotH - plotH * i / 4.0;
    o << "<text x='" << kLeft - 4 << "' y='" << fmt(y + 4, 1) << "' text-anchor='end' font-size='10'>"
      << fmt(yMax * i / 4.0, yMax < 4 ? 2 : 0) << "</text>";
    if (i > 0)
      o << "<line x1='" << kLeft << "' y1='" << fmt(y, 1) << "' x2='" << kWidth - 8 << "' y2='" << fmt(y, 1)
        << "' stroke='#ddd'/>";
  }
  o << "<text x='4' y='12' font-size='10'>" << html(yTitle) << "</text>";
}

// Labels under the x axis, thinned so they do not overlap.
void xLabels(std::ostringstream& o, const std::vector<std::string>& labels, double step) {
  const int plotH = kHeight - kTop - kBottom;
  const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(60.0 / std::max(step, 1.0))));
  for (std::size_t i = 0; i < labels.size(); i += every)
    o << "<text x='" << fmt(kLeft + step * (i + 0.5), 1) << "' y='" << kTop + plotH + 14
      << "' text-anchor='middle' font-size='10'>" << html(labels[i]) << "</text>";
}

std::string barChart(const std::string& title, const std::vector<std::string>& labels,
                     const std::vector<double>& values, const std::string& yTitle) {
  std::ostringstream o;
  o << "<figure><figcaption>" << html(title) << "</figcaption>";
  o << "<svg width='" << kWidth << "' height='" << kHeight << "' viewBox='0 0 "
    << kWidth << ' ' << kHeight << "' role='img' aria-label='" << html(title) << "'>";
  const double yMax = niceCeiling(values.empty() ? 0 : *std::max_element(values.begin(), values.end()));
  axes(o, yMax, yTitle);
  const int plotW = kWidth - kLeft - 8;
  const int plotH = kHeight - kTop - kBottom;
  const double step = values.empty() ? plotW : static_cast<double>(plotW) / values.size();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double h = plotH * values[i] / yMax;
    o << "<rect class='bar' x='" << fmt(kLeft + step * i + step * 0.1, 1) << "' y='" << fmt(kTop + plotH - h, 1)
      << "' width='" << fmt(step * 0.8, 1) << "' height='" << fmt(h, 1) << "' fill='#4363d8'><title>"
      << html(labels[i]) << ": " << fmt(values[i], 2) << "</title></rect>";
  }
  xLabels(o, labels, step);
  if (values.empty()) o << "<text x='" << kWidth / 2 << "' y='" << kHeight / 2 << "' text-anchor='middle'>no data</text>";
  o << "</svg></figure>\n";
  return o.str();
}

struct Series {
  std::string name;
  std::string color;
  std::vector<std::optional<double>> values;
};

std::string lineChart(const std::string& title, const std::vector<std::string>& labels,
                      const std::vector<Series>& series, double yMax, const std::string& yTitle) {
  std::ostringstream o;
  o << "<figure><figcaption>" << html(title) << "</figcaption>";
  o << "<svg width='" << kWidth << "' height='" << kHeight << "' viewBox='0 0 "
    << kWidth << ' ' << kHeight << "' role='img' aria-label='" << html(title) << "'>";
  axes(o, yMax, yTitle);
  const int plotW = kWidth - kLeft - 8;
  const int plotH = kHeight - kTop - kBottom;
  const double step = labels.empty() ? plotW : static_cast<double>(plotW) / labels.size();
  int legendX = kLeft + 8;
  for (const auto& s : series) {
    std::string points;
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      if (!s.values[i]) continue;
      const double x = kLeft + step * (i + 0.5);
      const double y = kTop + plotH - plotH * std::min(*s.values[i], yMax) / yMax;
      points += fmt(x, 1) + "," + fmt(y, 1) + " ";
      o << "<circle cx='" << fmt(x, 1) << "' cy='" << fmt(y, 1) << "' r='3' fill='" << s.color << "'><title>"
        << html(s.name) << " " << html(labels[i]) << ": " << fmt(*s.values[i], 3) << "</title></circle>";
    }
    if (!points.empty())
      o << "<polyline class='line' fill='none' stroke='" << s.color << "' stroke-width='2' points='" << points
        << "'/>";
    o << "<rect x='" << legendX << "' y='" << kHeight - 14 << "' width='10' height='10' fill='" << s.color
      << "'/><text x='" << legendX + 14 << "' y='" << kHeight - 5 << "' font-size='11'>" << html(s.name)
      << "</text>";
    legendX += 160;
  }
  xLabels(o, labels, step);
  o << "</svg></figure>\n";
  return o.str();
}

// Bins of a "nice" width covering up to the 99th percentile; the last bin takes the rest.
std::string histogram(const std::vector<double>& seconds) {
  std::vector<std::string> labels;
  std::vector<double> counts;
  if (!seconds.empty()) {
    const double top = std::max(1.0, percentile(seconds, 99));
    double width = 1;
    for (double w : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0}) {
      width = w;
      if (top / w <= 20) break;
    }
    const auto bins = static_cast<std::size_t>(std::max(1.0, std::ceil(top / width)));
    counts.assign(bins, 0);
    for (double s : seconds) counts[std::min(bins - 1, static_cast<std::size_t>(std::max(0.0, s) / width))] += 1;
    for (std::size_t i = 0; i < bins; ++i)
      labels.push_back(i + 1 == bins ? "≥" + fmt(i * width, 0) : fmt(i * width, 0) + "–" + fmt((i + 1) * width, 0));
  }
  return barChart("Distribution of active seconds per item", labels, counts, "items");
}

void tableRow(std::ostringstream& o, const FigureRow& r, bool header) {
  if (header) {
    o << "<tr><th>group</th><th>active h</th><th>items</th><th>objects</th><th>vertices</th><th>spans</th>"
         "<th>ratings</th><th>items/h</th><th>objects/h</th><th>median s/item</th><th>rework</th>"
         "<th>gold acc.</th><th>accepted</th><th>median turnaround s</th><th>assisted</th><th>manual</th></tr>\n";
    return;
  }
  o << "<tr><td>" << html(r.key) << "</td><td>" << fmt(r.activeHours(), 2) << "</td><td>" << r.items << "</td><td>"
    << r.objects << "</td><td>" << r.vertices << "</td><td>" << r.spans << "</td><td>" << r.ratings << "</td><td>"
    << fmt(r.perActiveHour(r.items), 1) << "</td><td>" << fmt(r.perActiveHour(r.objects), 1) << "</td><td>"
    << fmt(r.medianSecondsPerItem(), 1) << "</td><td>" << fmt(r.reworkRate() * 100, 1) << "%</td><td>"
    << (r.goldAccuracy ? fmt(*r.goldAccuracy * 100, 1) + "%" : "") << "</td><td>"
    << (r.acceptanceRate() ? fmt(*r.acceptanceRate() * 100, 1) + "%" : "") << "</td><td>"
    << fmt(r.medianTurnaroundSeconds(), 0) << "</td><td>" << r.assistedObjects << "</td><td>" << r.manualObjects
    << "</td></tr>\n";
}

}  // namespace

std::string figuresCsv(const std::vector<FigureRow>& rows, GroupBy by) {
  std::ostringstream o;
  o << toString(by)
    << ",active_hours,items,objects,vertices,spans,ratings,items_per_hour,objects_per_hour,vertices_per_hour,"
       "spans_per_hour,ratings_per_hour,median_seconds_per_item,rework_rate,reworked_items,gold_accuracy,"
       "acceptance_rate,median_review_turnaround_seconds,reviews,assisted_objects,manual_objects\n";
  for (const auto& r : rows) {
    o << csvField(r.key) << ',' << fmt(r.activeHours(), 4) << ',' << r.items << ',' << r.objects << ','
      << r.vertices << ',' << r.spans << ',' << r.ratings << ',' << fmt(r.perActiveHour(r.items), 2) << ','
      << fmt(r.perActiveHour(r.objects), 2) << ',' << fmt(r.perActiveHour(r.vertices), 2) << ','
      << fmt(r.perActiveHour(r.spans), 2) << ',' << fmt(r.perActiveHour(r.ratings), 2) << ','
      << fmt(r.medianSecondsPerItem(), 1) << ',' << fmt(r.reworkRate(), 4) << ',' << r.reworkedItems << ','
      << optFmt(r.goldAccuracy, 4) << ',' << optFmt(r.acceptanceRate(), 4) << ','
      << fmt(r.medianTurnaroundSeconds(), 1) << ',' << r.reviewed << ',' << r.assistedObjects << ','
      << r.manualObjects << '\n';
  }
  return o.str();
}

std::string htmlReport(const ThroughputData& data, const HtmlReportOptions& opt) {
  const FigureRow total = totalFigures(data, opt.filter);
  const auto rows = figuresBy(data, opt.by, opt.filter);
  std::string scope = "all work";
  if (opt.filter.day) scope = "day " + dayLabel(*opt.filter.day);
  if (opt.filter.batch) {
    auto it = data.settings.batchNames.find(*opt.filter.batch);
    scope = (opt.filter.day ? scope + ", " : std::string()) + "batch " +
            (it != data.settings.batchNames.end() ? it->second : std::to_string(*opt.filter.batch));
  }
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
    << "<title>Throughput — " << html(opt.projectName) << " — " << html(scope) << "</title>"
    << "<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}"
       "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
       "th{background:#f0f0f0}figure{display:inline-block;margin:8px 16px 8px 0}figcaption{font-weight:bold}"
       ".totals td{font-weight:bold}</style></head><body>\n";
  o << "<h1>Throughput: " << html(opt.projectName) << "</h1>\n<p>" << html(scope) << ", by " << toString(opt.by)
    << ". Active time excludes idle gaps longer than " << fmt(data.settings.idleGapMs / 1000.0, 0)
    << " s and time with the window unfocused; times are UTC" << (data.settings.utcOffsetMinutes >= 0 ? "+" : "")
    << fmt(data.settings.utcOffsetMinutes / 60.0, data.settings.utcOffsetMinutes % 60 ? 1 : 0) << ".</p>\n";

  o << "<h2>Figures</h2>\n<table>\n";
  tableRow(o, total, true);
  for (const auto& r : rows) tableRow(o, r, false);
  o << "<tbody class='totals'>";
  tableRow(o, total, false);
  o << "</tbody></table>\n";

  // Throughput over time: hours of the day for a one-day report, days otherwise.
  const GroupBy timeBy = opt.filter.day ? GroupBy::Hour : GroupBy::Day;
  const auto overTime = figuresBy(data, timeBy, opt.filter);
  std::vector<std::string> labels;
  std::vector<double> items;
  for (const auto& r : overTime) {
    labels.push_back(timeBy == GroupBy::Hour ? r.key.substr(11) : r.key.substr(5));
    items.push_back(static_cast<double>(r.items));
  }
  o << "<h2>Charts</h2>\n";
  o << barChart(timeBy == GroupBy::Hour ? "Items submitted per hour" : "Items submitted per day", labels, items,
                "items");

  // Quality trend per day.
  const auto days = figuresBy(data, GroupBy::Day, opt.filter);
  std::vector<std::string> dayLabels;
  Series rework{"rework rate", "#e6194b", {}};
  Series acceptance{"acceptance rate", "#3cb44b", {}};
  for (const auto& r : days) {
    dayLabels.push_back(r.key.substr(5));
    rework.values.push_back(r.items > 0 ? std::optional<double>(r.reworkRate()) : std::nullopt);
    acceptance.values.push_back(r.acceptanceRate());
  }
  o << lineChart("Quality trend per day", dayLabels, {rework, acceptance}, 1.0, "share");

  o << histogram(total.secondsPerItem);
  o << "\n<p><small>Computed from " << data.eventsSeen << " events of the project's event log"
    << (opt.generatedAt.empty() ? "" : " at " + html(opt.generatedAt)) << ".</small></p>\n</body></html>\n";
  return o.str();
}

}  // namespace lb::qc
