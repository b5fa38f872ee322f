// Wall-clock timestamps in ISO 8601 UTC, as stored in history rows and printed in logs.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace tenant_migrator::detail {

// "2026-11-25T14:50:19.123Z"
inline std::string iso8601_now() {
  using namespace std::chrono;
  auto now = time_point_cast<milliseconds>(system_clock::now());
  auto ms = now.time_since_epoch().count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(system_clock::to_time_t(now)), ms);
}

}  // namespace tenant_migrator::detail
