#include "qc/throughput/project_figures.h"

#include <nlohmann/json.hpp>

namespace lb::qc {

using nlohmann::json;

namespace {

Result<std::int64_t> intSetting(const labeling::ProjectStore& store, const std::string& key,
                                std::int64_t fallback, std::int64_t min, std::int64_t max) {
  const auto text = store.setting(key);
  if (!text) return fallback;
  try {
    const auto j = json::parse(*text);
    if (j.is_number_integer() && j.get<std::int64_t>() >= min && j.get<std::int64_t>() <= max)
      return j.get<std::int64_t>();
  } catch (const json::exception&) {
  }
  return makeError(ErrorCode::InvalidArgument, "project setting " + key + " is " + *text +
                                                   "; it must be a whole number from " + std::to_string(min) +
                                                   " to " + std::to_string(max));
}

}  // namespace

Result<ThroughputSettings> loadThroughputSettings(const labeling::ProjectStore& store,
                                                  const std::map<UserId, double>& goldAccuracy) {
  ThroughputSettings s;
  auto idle = intSetting(store, "idle_gap_ms", kDefaultIdleGapMs, 1000, 24LL * 3'600'000);
  if (!idle) return idle.error();
  s.idleGapMs = *idle;
  auto offset = intSetting(store, "utc_offset_minutes", 0, -14 * 60, 14 * 60);
  if (!offset) return offset.error();
  s.utcOffsetMinutes = static_cast<int>(*offset);
  for (const auto& u : store.users()) s.userNames[u.id] = u.name;
  if (auto teams = store.setting("teams")) {
    json j;
    try {
      j = json::parse(*teams);
    } catch (const json::exception&) {
    }
    if (!j.is_object())
      return makeError(ErrorCode::InvalidArgument,
                       "project setting teams must be an object {\"user name\": \"team\"}, got " + *teams);
    for (const auto& [name, team] : j.items()) {
      auto u = store.userByName(name);
      if (!u)
        return makeError(ErrorCode::NotFound, "project setting teams names user '" + name +
                                                  "', who is not in the project; fix the setting or add the user");
      if (!team.is_string())
        return makeError(ErrorCode::InvalidArgument, "project setting teams: the team of '" + name + "' must be text");
      s.teamOf[u->id] = team.get<std::string>();
    }
  }
  for (const auto& b : store.batches()) s.batchNames[b.id] = b.name;
  labeling::ItemFilter all;
  all.includeExcluded = true;
  all.withText = false;
  for (const auto& it : store.items(all)) s.batchOf[it.id] = it.batchId;
  s.goldAccuracy = goldAccuracy;
  return s;
}

Result<ThroughputData> computeProjectFigures(const labeling::ProjectStore& store,
                                             const ThroughputSettings& settings) {
  ThroughputBuilder builder(settings);
  auto st = store.forEachEvent([&](const labeling::Event& e) {
    builder.add(e);
    return true;
  });
  if (!st) return st.error();
  return builder.finish();
}

Result<PayRates> loadPayRates(const labeling::ProjectStore& store) {
  const auto text = store.setting("pay_rates");
  if (!text)
    return makeError(ErrorCode::NotFound,
                     "project " + store.path() +
                         " has no piece rates yet; set the project setting pay_rates, e.g. "
                         "{\"currency\":\"CNY\",\"item\":0.2,\"object\":0.05}");
  return payRatesFromJson(*text, "project setting pay_rates");
}

}  // namespace lb::qc
