#pragma once
// Reads one top-level field of an event's flat detail JSON without building a document.
// Throughput reads a million details per report; a full JSON parse of each would cost more than
// the rest of the computation together. Details are written by nlohmann::json (session.cpp), so
// they are well-formed; anything this scanner cannot read is treated as "field absent".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lb::qc::detail {

// The raw text of the value of `key` at the top level of the object (a string value without its
// quotes and still escaped; a number, true/false/null, or a nested value as written).
std::optional<std::string_view> rawField(std::string_view json, std::string_view key);
std::optional<std::int64_t> intField(std::string_view json, std::string_view key);
// Unescaped string value; nullopt when absent or not a string.
std::optional<std::string> stringField(std::string_view json, std::string_view key);

}  // namespace lb::qc::detail
