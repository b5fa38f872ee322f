// manage's duration values (examples/manage/common/duration.hpp).
#include <doctest/doctest.h>

#include "../../examples/manage/common/duration.hpp"

using namespace std::chrono_literals;
using manage::parse_duration;

TEST_CASE("a bare number is milliseconds") {
  CHECK(parse_duration("0") == 0ms);
  CHECK(parse_duration("250") == 250ms);
  CHECK(parse_duration("5000") == 5000ms);
}

TEST_CASE("PostgreSQL's units") {
  CHECK(parse_duration("500ms") == 500ms);
  CHECK(parse_duration("2s") == 2000ms);
  CHECK(parse_duration("1min") == 60'000ms);
  CHECK(parse_duration("1h") == 3'600'000ms);
  CHECK(parse_duration("1d") == 86'400'000ms);
  CHECK(parse_duration("24d") == 24 * 86'400'000ms);
  CHECK(parse_duration("2147483647") == 2147483647ms);
  CHECK(parse_duration("2 s") == 2000ms);
}

TEST_CASE("anything else is refused") {
  for (const char* bad : {"", "s", "2x", "2S", "2sec", "2m", "1.5s", "-1", " 2s", "2s ", "2us", "99999999999999999999", "25d", "2147483648"})
    CHECK_MESSAGE(!parse_duration(bad), bad);
}
