#pragma once
// Annotation <-> JSON, the project's own spelling (used by the undo history and the native
// JSON export). Format-specific spellings live in labeling/formats/.
#include <nlohmann/json_fwd.hpp>

#include "labeling/model.h"

namespace lb::labeling {

nlohmann::json annotationToJson(const Annotation& a);
// Throws nlohmann::json::exception on a malformed object (callers hold data we wrote ourselves).
Annotation annotationFromJson(const nlohmann::json& j);

}  // namespace lb::labeling
