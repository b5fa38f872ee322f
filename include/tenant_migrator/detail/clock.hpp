// Wall-clock timestamps in ISO 8601 UTC, as stored in history rows and printed in logs.
#pragma once

#include <chrono>
#include <string>

#include <fmt/core.h>

namespace tenant_migrator::detail {

// "2026-11-25T14:50:19.123Z". Calendar arithmetic from <chrono> rather than
// fmt/chrono.h, which would add <locale> and friends to every includer's parse.
inline std::string iso8601_now() {
  using namespace std::chrono;
  const auto now = floor<milliseconds>(system_clock::now());
  const auto day = floor<days>(now);
  const year_month_day date{day};
  const hh_mm_ss time{now - day};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), time.subseconds().count());
}

}  // namespace tenant_migrator::detail
