// Numbers and durations as the text reporters print them.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <fmt/core.h>

namespace tenant_migrator {

// 9990 -> "9,990", 100000 -> "100,000": counts stay readable at scale.
inline std::string group_thousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "3 ms" under a second, then "1.2 s": what a migration or a tenant took.
inline std::string format_duration(std::chrono::milliseconds d) {
  if (d.count() < 1000) return fmt::format("{} ms", d.count());
  return fmt::format("{:.1f} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace tenant_migrator
