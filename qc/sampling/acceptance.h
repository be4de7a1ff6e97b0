#pragma once
// [SECTION] Acceptance sampling of a batch (ISO 2859-1, single sampling, normal inspection):
// draw a seeded random sample of the lot, the reviewer marks each sampled item conforming or
// nonconforming, the program declares the lot accepted (nonconforming <= Ac) or rejected
// (>= Re) and records it in the project (tables aql_lots / aql_samples) for the delivery report.
//
// The lot is every non-excluded item of the batch. Drawing, inspecting and deciding take the
// acting Session (reviewers and leads only) and log aql_draw / aql_inspect / aql_decide events.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/session/session.h"
#include "qc/sampling/iso2859.h"

namespace lb::qc {

enum class LotState { Drawn, Accepted, Rejected };
const char* toString(LotState s);

struct SampledItem {
  labeling::ItemId item = 0;
  int position = 0;       // order drawn
  std::string verdict;    // "", "conforming", "nonconforming"
  std::string note;
};

struct Lot {
  std::int64_t id = 0;
  labeling::BatchId batch = 0;
  long long lotSize = 0;
  InspectionLevel level = InspectionLevel::II;
  double aql = 1.0;
  SamplingPlan plan;
  std::uint64_t seed = 0;
  LotState state = LotState::Drawn;
  int nonconforming = 0;
  int inspected = 0;
  labeling::TimeMs createdMs = 0, decidedMs = 0;
  std::vector<SampledItem> sample;
};

// Draws the sample. The same seed over the same lot draws the same items.
Result<Lot> drawLot(labeling::Session& reviewer, labeling::BatchId batch, double aql,
                    InspectionLevel level = InspectionLevel::II, std::uint64_t seed = 1);
// Records the reviewer's finding for one sampled item (can be changed until the lot is decided).
Status inspectSample(labeling::Session& reviewer, std::int64_t lot, labeling::ItemId item, bool conforming,
                     const std::string& note = "");
// Declares the lot: rejected as soon as nonconforming >= Re; accepted once every sampled item is
// inspected with nonconforming <= Ac; otherwise an error saying how many are left.
Result<Lot> decideLot(labeling::Session& reviewer, std::int64_t lot);

Result<Lot> lot(const labeling::ProjectStore& store, std::int64_t id);
std::vector<Lot> lots(const labeling::ProjectStore& store, std::optional<labeling::BatchId> batch = std::nullopt);

}  // namespace lb::qc
