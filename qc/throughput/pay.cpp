#include "qc/throughput/pay.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace lb::qc {

using nlohmann::json;

std::string_view toString(PayPeriod p) { return p == PayPeriod::Day ? "day" : "week"; }

std::optional<PayPeriod> payPeriodFrom(std::string_view s) {
  if (s == "day") return PayPeriod::Day;
  if (s == "week") return PayPeriod::Week;
  return std::nullopt;
}

double PayRates::multiplierFor(double q) const {
  if (qualityTable.empty()) return 1.0;
  if (q < qualityTable.front().first) return 0.0;
  for (std::size_t i = 0; i + 1 < qualityTable.size(); ++i) {
    const auto& [x0, y0] = qualityTable[i];
    const auto& [x1, y1] = qualityTable[i + 1];
    if (q < x1) {
      if (!interpolate || x1 <= x0) return y0;
      return y0 + (y1 - y0) * (q - x0) / (x1 - x0);
    }
  }
  return qualityTable.back().second;
}

Result<PayRates> payRatesFromJson(const std::string& text, const std::string& where) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& ex) {
    return makeError(ErrorCode::InvalidArgument, where + " is not valid JSON: " + ex.what());
  }
  if (!j.is_object()) return makeError(ErrorCode::InvalidArgument, where + " must be a JSON object of rates");
  PayRates r;
  auto number = [&](const char* key, double& out) -> std::optional<Error> {
    if (!j.contains(key)) return std::nullopt;
    if (!j[key].is_number() || j[key].get<double>() < 0)
      return makeError(ErrorCode::InvalidArgument,
                       where + ": \"" + key + "\" must be a number >= 0 (money per unit)");
    out = j[key].get<double>();
    return std::nullopt;
  };
  for (auto [key, out] : {std::pair{"item", &r.perItem}, {"object", &r.perObject}, {"vertex", &r.perVertex},
                          {"span", &r.perSpan}, {"rating", &r.perRating},
                          {"rejected_deduction", &r.rejectedDeduction}}) {
    if (auto err = number(key, *out)) return *err;
  }
  if (j.contains("currency")) {
    if (!j["currency"].is_string())
      return makeError(ErrorCode::InvalidArgument, where + ": \"currency\" must be text such as \"CNY\"");
    r.currency = j["currency"].get<std::string>();
  }
  if (j.contains("quality")) {
    const auto& q = j["quality"];
    if (!q.is_object())
      return makeError(ErrorCode::InvalidArgument, where + ": \"quality\" must be an object with source and table");
    const std::string source = q.value("source", "none");
    if (source == "gold") r.qualitySource = QualitySource::Gold;
    else if (source == "acceptance") r.qualitySource = QualitySource::Acceptance;
    else if (source == "none") r.qualitySource = QualitySource::None;
    else
      return makeError(ErrorCode::InvalidArgument,
                       where + ": quality source '" + source + "' is not one of gold, acceptance, none");
    if (q.contains("table")) {
      if (!q["table"].is_array())
        return makeError(ErrorCode::InvalidArgument, where + ": quality table must be a list of [quality, multiplier]");
      for (const auto& step : q["table"]) {
        if (!step.is_array() || step.size() != 2 || !step[0].is_number() || !step[1].is_number() ||
            step[1].get<double>() < 0)
          return makeError(ErrorCode::InvalidArgument,
                           where + ": every quality table entry must be [quality 0..1, multiplier >= 0], got " +
                               step.dump());
        r.qualityTable.emplace_back(step[0].get<double>(), step[1].get<double>());
      }
      for (std::size_t i = 1; i < r.qualityTable.size(); ++i)
        if (r.qualityTable[i].first <= r.qualityTable[i - 1].first)
          return makeError(ErrorCode::InvalidArgument,
                           where + ": quality table thresholds must go up strictly, one step per row");
    }
    if (q.contains("interpolate")) r.interpolate = q["interpolate"].is_boolean() && q["interpolate"].get<bool>();
    if (q.contains("missing")) {
      if (!q["missing"].is_number() || q["missing"].get<double>() < 0)
        return makeError(ErrorCode::InvalidArgument, where + ": quality \"missing\" must be a multiplier >= 0");
      r.missingQualityMultiplier = q["missing"].get<double>();
    }
  }
  return r;
}

std::string payRatesToJson(const PayRates& r) {
  json table = json::array();
  for (const auto& [x, y] : r.qualityTable) table.push_back({x, y});
  const char* source = r.qualitySource == QualitySource::Gold         ? "gold"
                       : r.qualitySource == QualitySource::Acceptance ? "acceptance"
                                                                      : "none";
  json j = {{"currency", r.currency},      {"item", r.perItem},      {"object", r.perObject},
            {"vertex", r.perVertex},       {"span", r.perSpan},      {"rating", r.perRating},
            {"rejected_deduction", r.rejectedDeduction},
            {"quality", {{"source", source}, {"table", table}, {"interpolate", r.interpolate},
                         {"missing", r.missingQualityMultiplier}}}};
  return j.dump(2);
}

std::vector<Earnings> computeEarnings(const ThroughputData& data, const PayRates& rates, PayPeriod period) {
  // Day index of the period's first day. 1970-01-01 was a Thursday: Monday-based weeks start
  // 3 days before each multiple of 7 after it.
  auto periodStart = [&](std::int64_t hour) {
    const std::int64_t day = ThroughputData::floorDiv(hour, 24);
    if (period == PayPeriod::Day) return day;
    return ThroughputData::floorDiv(day + 3, 7) * 7 - 3;
  };
  // Key: user in the high bits, period day (shifted to be non-negative) in the low 32.
  constexpr std::int64_t kDayBias = 1LL << 30;
  auto keyOf = [&](UserId user, BatchId, std::int64_t hour) -> std::optional<std::int64_t> {
    return (user << 32) | (periodStart(hour) + kDayBias);
  };
  std::vector<Earnings> out;
  for (auto& [key, row] : groupRows(data, keyOf)) {
    Earnings e;
    e.user = key >> 32;
    if (e.user == 0) continue;  // reviews of work whose author the log does not name
    e.periodDay = (key & 0xffffffffLL) - kDayBias;
    e.period = dayLabel(e.periodDay);
    auto name = data.settings.userNames.find(e.user);
    e.annotator = name != data.settings.userNames.end() ? name->second : "user " + std::to_string(e.user);
    e.items = row.items;
    e.objects = row.objects;
    e.vertices = row.vertices;
    e.spans = row.spans;
    e.ratings = row.ratings;
    e.rejections = row.rejected;
    if (e.items + e.objects + e.spans + e.ratings + e.rejections == 0) continue;  // time only
    if (rates.qualitySource == QualitySource::Gold) e.quality = row.goldAccuracy;
    if (rates.qualitySource == QualitySource::Acceptance) e.quality = row.acceptanceRate();
    e.multiplier = rates.qualitySource == QualitySource::None ? 1.0
                   : e.quality                                ? rates.multiplierFor(*e.quality)
                                                              : rates.missingQualityMultiplier;
    e.gross = e.items * rates.perItem + e.objects * rates.perObject + e.vertices * rates.perVertex +
              e.spans * rates.perSpan + e.ratings * rates.perRating;
    e.deduction = e.rejections * rates.rejectedDeduction;
    e.net = std::max(0.0, e.gross * e.multiplier - e.deduction);
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const Earnings& a, const Earnings& b) {
    return a.annotator != b.annotator ? a.annotator < b.annotator : a.periodDay < b.periodDay;
  });
  return out;
}

namespace {
std::string money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", std::round(v * 100.0) / 100.0 + 0.0);
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
}  // namespace

std::string earningsCsv(const std::vector<Earnings>& rows, const PayRates& rates) {
  std::ostringstream out;
  out << "annotator,period_start,items,objects,vertices,spans,ratings,rejections,quality,multiplier,gross,"
         "deduction,net,currency\n";
  for (const auto& e : rows) {
    char q[32] = "";
    if (e.quality) std::snprintf(q, sizeof q, "%.4f", *e.quality);
    char m[32];
    std::snprintf(m, sizeof m, "%.4f", e.multiplier);
    out << csvField(e.annotator) << ',' << e.period << ',' << e.items << ',' << e.objects << ',' << e.vertices
        << ',' << e.spans << ',' << e.ratings << ',' << e.rejections << ',' << q << ',' << m << ','
        << money(e.gross) << ',' << money(e.deduction) << ',' << money(e.net) << ',' << csvField(rates.currency)
        << '\n';
  }
  return out.str();
}

}  // namespace lb::qc
