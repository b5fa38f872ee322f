// Test helpers for a server-backed adapter: the test server's URL from the
// environment (scripts/test.sh starts the servers) and a fresh, empty
// database on it, dropped at the end.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <utility>

namespace test_support {

// The URL in environment `variable`; the test fails, saying how to run it, when unset.
inline std::string server_url_from(const char* variable) {
  const char* url = std::getenv(variable);
  if (!url || !*url) FAIL(std::string(variable) << " is not set: run the tests through scripts/test.sh");
  return url;
}

// 12 random hex digits: database names of concurrent test runs never collide.
inline std::string random_suffix() {
  static std::mt19937_64 generator{std::random_device{}()};
  static const char* digits = "0123456789abcdef";
  std::string out;
  auto value = generator();
  for (int i = 0; i < 12; ++i, value >>= 4) out += digits[value & 0xf];
  return out;
}

// A database tm_test_<random> on the server at `url`, made by `Adapter`'s
// provisioning (the adapter's maintenance location is `url`).
template <class Adapter>
struct scratch_database {
  std::string url;
  Adapter admin{url};
  std::string name = "tm_test_" + random_suffix();
  std::string location = admin.tenant_database_location(url, name);

  explicit scratch_database(std::string server_url) : url(std::move(server_url)) { admin.create_database(name); }
  ~scratch_database() {
    try {
      admin.drop_database(name);
    } catch (...) {
    }
  }
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;
};

}  // namespace test_support
