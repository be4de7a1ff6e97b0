#pragma once
// [SECTION] Piece-rate pay from the throughput figures.
//
// The rates live in the project setting "pay_rates" as JSON:
//   {"currency": "CNY",
//    "item": 0.20, "object": 0.05, "vertex": 0.01, "span": 0.10, "rating": 0.50,
//    "quality": {"source": "gold" | "acceptance" | "none",
//                "table": [[0.0, 0.0], [0.8, 0.9], [0.95, 1.0], [0.99, 1.1]],
//                "interpolate": false,
//                "missing": 1.0},
//    "rejected_deduction": 0.30}
// gross = items*item + objects*object + vertices*vertex + spans*span + ratings*rating
// net   = max(0, gross * multiplier - rejections * rejected_deduction)
// The multiplier comes from the quality figure q (gold accuracy of the annotator, or the share of
// the period's reviews that accepted their work as it was): with "interpolate" false it is the
// multiplier of the last step whose threshold is <= q (a step table); with true it is linear
// between the points (a curve), flat beyond the last point. Below the first threshold the
// multiplier is 0: work under the bar is not paid. With no quality figure (no gold items, nothing
// reviewed) it is "missing".
// Units count in the period they were done: items on their first submit, annotations when
// created, rejections when the review was made.
#include <string>
#include <vector>

#include "labeling/result.h"
#include "qc/throughput/throughput.h"

namespace lb::qc {

enum class QualitySource { None, Gold, Acceptance };
enum class PayPeriod { Day, Week };  // weeks start on Monday, local time

struct PayRates {
  std::string currency;
  double perItem = 0;
  double perObject = 0;
  double perVertex = 0;
  double perSpan = 0;
  double perRating = 0;
  QualitySource qualitySource = QualitySource::None;
  std::vector<std::pair<double, double>> qualityTable;  // (threshold, multiplier), ascending
  bool interpolate = false;
  double missingQualityMultiplier = 1.0;
  double rejectedDeduction = 0;  // per review_reject of the annotator's work

  double multiplierFor(double quality) const;
};

// Errors name `where` (e.g. "project setting pay_rates") and the field that is wrong.
Result<PayRates> payRatesFromJson(const std::string& json, const std::string& where);
std::string payRatesToJson(const PayRates& rates);

struct Earnings {
  UserId user = 0;
  std::string annotator;
  std::string period;            // "YYYY-MM-DD": the day, or the Monday the week starts on
  std::int64_t periodDay = 0;    // local day index of that date
  std::int64_t items = 0, objects = 0, vertices = 0, spans = 0, ratings = 0;
  std::int64_t rejections = 0;
  std::optional<double> quality;
  double multiplier = 1.0;
  double gross = 0;
  double deduction = 0;
  double net = 0;
};

// One row per annotator and period with any work, ordered by annotator name then period.
std::vector<Earnings> computeEarnings(const ThroughputData& data, const PayRates& rates, PayPeriod period);
// CSV with a header row; amounts with two decimals.
std::string earningsCsv(const std::vector<Earnings>& rows, const PayRates& rates);

std::string_view toString(PayPeriod p);
std::optional<PayPeriod> payPeriodFrom(std::string_view s);

}  // namespace lb::qc
