// Wall-clock timestamps in ISO 8601 UTC, as stored in history rows and printed in logs.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace tenant_migrator::detail {

// "2026-11-25T14:50:19.123Z"
inline std::string iso8601_now() {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

}  // namespace tenant_migrator::detail
