// One conformance suite for every database adapter we ship (and any a user
// writes): instantiate it with a fixture that opens fresh, empty databases.
//
//   struct Fixture {
//     static constexpr const char* name;
//     auto connect();                         // a connection to this fixture's empty database
//     static std::string routine_script();    // creates a routine whose body holds ';' (trigger / $$ function)
//                                             // and a table `routine_log` it writes to when `items` gets a row
//   };
//   TEST_CASE_TEMPLATE_INVOKE(adapter_conformance, Fixture);
#pragma once

#include <doctest/doctest.h>

#include <string>

#include <tenant_migrator/tenant_migrator.hpp>

namespace test_support {

template <class Connection>
bool table_exists(Connection& c, const std::string& table) {
  try {
    c.query("SELECT count(*) FROM " + c.quote_identifier(table), {});
    return true;
  } catch (const tenant_migrator::database_error&) {
    return false;
  }
}

}  // namespace test_support

TEST_CASE_TEMPLATE_DEFINE("adapter conformance", Fixture, adapter_conformance) {
  using tenant_migrator::database_error;
  using test_support::table_exists;
  Fixture fixture;
  auto c = fixture.connect();

  SUBCASE("a script of several statements, with ';' and '--' inside strings and comments") {
    c.execute_script(
        "-- a comment; with a semicolon\n"
        "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT);\n"
        "/* block comment; also with one */\n"
        "INSERT INTO items (id, label) VALUES (1, 'a;b -- not a comment');\n"
        "INSERT INTO items (id, label) VALUES (2, 'it''s');\n");
    auto r = c.query("SELECT label FROM items ORDER BY id", {});
    REQUIRE(r.size() == 2);
    CHECK(r[0][0] == "a;b -- not a comment");
    CHECK(r[1][0] == "it's");
  }

  SUBCASE("routine bodies with ';' inside run as one statement") {
    c.execute_script("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT);\n" + Fixture::routine_script());
    c.execute_script("INSERT INTO items (id, label) VALUES (7, 'x');");
    auto r = c.query("SELECT count(*) FROM routine_log", {});
    CHECK(r.at(0).at(0) == "1");
  }

  SUBCASE("DDL is rolled back with its transaction; commit keeps it") {
    c.begin();
    c.execute_script("CREATE TABLE gone (id INTEGER);");
    c.rollback();
    CHECK_FALSE(table_exists(c, "gone"));
    c.begin();
    c.execute_script("CREATE TABLE kept (id INTEGER);");
    c.commit();
    CHECK(table_exists(c, "kept"));
  }

  SUBCASE("a failure in the middle of a script in a transaction leaves nothing") {
    c.begin();
    CHECK_THROWS_AS(c.execute_script("CREATE TABLE t1 (id INTEGER);\nCREATE TABLE t2 (id INTEGER);\n"
                                     "INSERT INTO no_such_table VALUES (1);\n"),
                    database_error);
    c.rollback();
    CHECK_FALSE(table_exists(c, "t1"));
    CHECK_FALSE(table_exists(c, "t2"));
  }

  SUBCASE("errors carry the database's message and the failing line") {
    try {
      c.execute_script("CREATE TABLE ok1 (id INTEGER);\n\nSELECT * FROM no_such_table;\n");
      FAIL("no error");
    } catch (const database_error& e) {
      std::string what = e.what();
      CHECK(what.find("no_such_table") != std::string::npos);
      CHECK(e.line() == 3);
    }
  }

  SUBCASE("parameters are bound as values; NULL comes back as nullopt") {
    c.execute_script("CREATE TABLE kv (k TEXT, v TEXT);");
    c.query("INSERT INTO kv (k, v) VALUES ($1, $2)", {"x'); DROP TABLE kv; --", "1"});
    c.query("INSERT INTO kv (k, v) VALUES ($1, NULL)", {"n"});
    auto r = c.query("SELECT k, v FROM kv WHERE k = $1", {"x'); DROP TABLE kv; --"});
    REQUIRE(r.size() == 1);
    CHECK(r[0][1] == "1");
    auto n = c.query("SELECT v FROM kv WHERE k = $1", {"n"});
    CHECK_FALSE(n.at(0).at(0).has_value());
  }

  SUBCASE("quoted identifiers keep hostile names inert") {
    std::string hostile = "x\"; DROP TABLE victim; --";
    c.execute_script("CREATE TABLE victim (id INTEGER);");
    c.execute_script("CREATE TABLE " + c.quote_identifier(hostile) + " (id INTEGER);");
    CHECK(table_exists(c, hostile));
    CHECK(table_exists(c, "victim"));
  }
}
