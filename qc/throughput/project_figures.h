#pragma once
// [SECTION] Throughput of a whole project: reads the settings, users, batches and the event log
// through ProjectStore and runs the pure computation in throughput.h over them.
//
// Project settings read (all optional):
//   "idle_gap_ms": 60000            no input for longer than this is idle
//   "utc_offset_minutes": 480       local time of days and hours in reports
//   "teams": {"<user name>": "<team>", ...}
//   "pay_rates": see pay.h
// Call from any thread that owns the store; the event log is streamed, not loaded whole.
#include <map>

#include "labeling/result.h"
#include "labeling/store/project_store.h"
#include "qc/throughput/pay.h"
#include "qc/throughput/throughput.h"

namespace lb::qc {

inline constexpr TimeMs kDefaultIdleGapMs = 60'000;

// Settings from the project (names, teams, item->batch, idle gap, time zone). goldAccuracy is
// passed in: it is computed by the review side (qc/review) from gold items.
Result<ThroughputSettings> loadThroughputSettings(const labeling::ProjectStore& store,
                                                  const std::map<UserId, double>& goldAccuracy = {});

// Streams the event log through ThroughputBuilder (memory grows with work done, not with events).
Result<ThroughputData> computeProjectFigures(const labeling::ProjectStore& store,
                                             const ThroughputSettings& settings);

// The project's "pay_rates" setting; NotFound with a message saying how to set it when absent.
Result<PayRates> loadPayRates(const labeling::ProjectStore& store);

}  // namespace lb::qc
