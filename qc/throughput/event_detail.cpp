#include "qc/throughput/event_detail.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace lb::qc::detail {
namespace {

void skipSpace(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

// s[i] == '"': moves i past the closing quote; false if the string never closes.
bool skipString(std::string_view s, std::size_t& i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      ++i;
      return true;
    }
  }
  return false;
}

// Moves i past one value of any kind; false on malformed input.
bool skipValue(std::string_view s, std::size_t& i) {
  skipSpace(s, i);
  if (i >= s.size()) return false;
  if (s[i] == '"') return skipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        if (!skipString(s, i)) return false;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++i;
          return true;
        }
      }
      ++i;
    }
    return false;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
  return true;
}

}  // namespace

std::optional<std::string_view> rawField(std::string_view s, std::string_view key) {
  std::size_t i = 0;
  skipSpace(s, i);
  if (i >= s.size() || s[i] != '{') return std::nullopt;
  ++i;
  while (true) {
    skipSpace(s, i);
    if (i >= s.size() || s[i] != '"') return std::nullopt;  // '}' (end) or malformed
    const std::size_t keyStart = i + 1;
    if (!skipString(s, i)) return std::nullopt;
    const std::string_view name = s.substr(keyStart, i - 1 - keyStart);
    skipSpace(s, i);
    if (i >= s.size() || s[i] != ':') return std::nullopt;
    ++i;
    skipSpace(s, i);
    const std::size_t valueStart = i;
    if (!skipValue(s, i)) return std::nullopt;
    if (name == key) {
      std::string_view v = s.substr(valueStart, i - valueStart);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\n' || v.back() == '\t' || v.back() == '\r'))
        v.remove_suffix(1);
      if (v.size() >= 2 && v.front() == '"') return v.substr(1, v.size() - 2);
      return v;
    }
    skipSpace(s, i);
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    return std::nullopt;
  }
}

namespace {
// rawField strips the quotes of string values only: a quote just before the value marks one.
bool wasString(std::string_view s, std::string_view raw) {
  const auto offset = static_cast<std::size_t>(raw.data() - s.data());
  return offset > 0 && s[offset - 1] == '"';
}
}  // namespace

std::optional<std::int64_t> intField(std::string_view s, std::string_view key) {
  auto raw = rawField(s, key);
  if (!raw || raw->empty() || wasString(s, *raw)) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (ec != std::errc()) return std::nullopt;
  // "12.0" is still 12; "12abc" is not a number.
  if (end != raw->data() + raw->size() && *end != '.') return std::nullopt;
  return v;
}

std::optional<std::string> stringField(std::string_view s, std::string_view key) {
  auto raw = rawField(s, key);
  if (!raw) return std::nullopt;
  if (!wasString(s, *raw)) return std::nullopt;
  if (raw->find('\\') == std::string_view::npos) return std::string(*raw);
  try {
    return nlohmann::json::parse("\"" + std::string(*raw) + "\"").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace lb::qc::detail
