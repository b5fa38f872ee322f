// Duration values of --lock-wait, --lock-timeout, --statement-timeout:
// a whole number with an optional unit as PostgreSQL writes them
// (ms, s, min, h, d); a bare number is milliseconds. At most 2^31-1 ms
// (about 24.8 days), PostgreSQL's limit for its timeouts.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace manage {

// The duration `text` stands for, or nullopt when it is not one.
inline std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    n = n * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (n > (std::uint64_t{1} << 40)) return std::nullopt;  // far beyond any timeout
    ++i;
  }
  if (i == 0) return std::nullopt;
  auto unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  std::uint64_t ms_per_unit = 0;
  if (unit.empty() || unit == "ms") ms_per_unit = 1;
  else if (unit == "s") ms_per_unit = 1000;
  else if (unit == "min") ms_per_unit = 60'000;
  else if (unit == "h") ms_per_unit = 3'600'000;
  else if (unit == "d") ms_per_unit = 86'400'000;
  else return std::nullopt;
  if (n > 2'147'483'647 / ms_per_unit) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(n * ms_per_unit));
}

inline constexpr const char* duration_forms = "a whole number of ms, or with a unit: ms, s, min, h, d; at most 24d";

}  // namespace manage
