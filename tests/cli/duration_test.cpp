// manage's own parsing: duration values (examples/manage/common/duration.hpp)
// and master URLs (common/master_url.hpp).
#include <doctest/doctest.h>

#include "../../examples/manage/common/duration.hpp"
#include "../../examples/manage/common/master_url.hpp"

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

using manage::backend_kind;
using manage::parse_master_url;

TEST_CASE("master URLs: the backend, the location, and a bad URL named without its password") {
  CHECK(parse_master_url("sqlite:///var/lib/app/master.db").location == "/var/lib/app/master.db");
  CHECK(parse_master_url("sqlite:demo/master.db").location == "demo/master.db");
  CHECK(parse_master_url("postgresql://app@127.0.0.1:5432/app").backend == backend_kind::postgresql);
  CHECK(parse_master_url("host=127.0.0.1 dbname=app").backend == backend_kind::postgresql);
  CHECK(parse_master_url("mysql://x").backend == backend_kind::mariadb);
  CHECK(parse_master_url("mariadb://u@h/db").backend == backend_kind::mariadb);
  CHECK_THROWS_AS(parse_master_url("sqlite://host/x.db"), tenant_migrator::usage_error);
  CHECK_THROWS_WITH_AS(parse_master_url(""), "no master database URL given", tenant_migrator::usage_error);
  try {
    parse_master_url("ftp://app:s3cret@host/db");
    FAIL("no throw");
  } catch (const tenant_migrator::usage_error& e) {
    CHECK(std::string(e.what()).find("s3cret") == std::string::npos);
  }
  try {
    parse_master_url("oracle://root:s3cret@db/x");
    FAIL("no throw");
  } catch (const tenant_migrator::usage_error& e) {
    CHECK(std::string(e.what()) ==
          "bad master URL (scheme 'oracle'): expected sqlite:PATH, postgresql://..., libpq key=value pairs or "
          "mariadb://...");
  }
  try {
    parse_master_url("sqlite://host/x.db");
    FAIL("no throw");
  } catch (const tenant_migrator::usage_error& e) {
    CHECK(std::string(e.what()) ==
          "bad master URL 'sqlite://host/x.db': use sqlite:///absolute/path.db or sqlite:relative/path.db");
  }
}
