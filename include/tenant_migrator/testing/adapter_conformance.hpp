// The adapter conformance suite (doctest), for every database adapter we ship
// and any you write: the DatabaseAdapter rules, then each capability the
// adapter claims (docs/concepts/capabilities.md). Instantiate it with a
// fixture that owns one fresh, empty database:
//
//   #define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN   // in one file of your test program
//   #include <doctest/doctest.h>
//   #include <tenant_migrator/testing/adapter_conformance.hpp>
//
//   struct Fixture {
//     using adapter_type = MyAdapter;
//     adapter_type& adapter();                 // the adapter under test
//     std::string location();                  // its empty database, for adapter().connect()
//     std::string unused_location();           // a database that does not exist yet, as create_database
//                                              // takes it (the fixture removes it afterwards if made)
//     static std::string routine_script();     // creates a routine whose body holds ';' (trigger / $$ function)
//                                              // and a table `routine_log` it writes to when `items` gets a row
//   };
//   TEST_CASE_TEMPLATE_INVOKE(adapter_conformance, Fixture);
//
// Needs doctest (Debian: doctest-dev); not part of the core umbrella header.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "../history_store.hpp"
#include "../tenant_migrator.hpp"

namespace tenant_migrator::testing {

template <class Connection>
bool table_exists(Connection& c, const std::string& table) {
  try {
    c.query("SELECT count(*) FROM " + c.quote_identifier(table), {});
    return true;
  } catch (const tenant_migrator::database_error&) {
    return false;
  }
}

}  // namespace tenant_migrator::testing

TEST_CASE_TEMPLATE_DEFINE("adapter conformance", Fixture, adapter_conformance) {
  namespace tmig = tenant_migrator;
  using tmig::database_error;
  using tmig::testing::table_exists;
  using Adapter = typename Fixture::adapter_type;
  static_assert(tmig::check_database_adapter<Adapter>());
  Fixture fixture;
  auto c = fixture.adapter().connect(fixture.location());

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

  SUBCASE("commit keeps DDL and data; rollback undoes data") {
    c.begin();
    c.execute_script("CREATE TABLE kept (id INTEGER);");
    c.commit();
    CHECK(table_exists(c, "kept"));
    c.begin();
    c.execute_script("INSERT INTO kept (id) VALUES (1);");
    c.rollback();
    CHECK(c.query("SELECT count(*) FROM kept", {}).at(0).at(0) == "0");
  }

  // Which of these holds is what capability::transactional_ddl claims: the
  // migrator's failure messages depend on it, so the claim is checked both ways.
  if constexpr (tmig::claims<Adapter, tmig::capability::transactional_ddl>) {
    SUBCASE("a failure in the middle of a script in a transaction leaves nothing") {
      c.begin();
      CHECK_THROWS_AS(c.execute_script("CREATE TABLE t1 (id INTEGER);\nCREATE TABLE t2 (id INTEGER);\n"
                                       "INSERT INTO no_such_table VALUES (1);\n"),
                      database_error);
      c.rollback();
      CHECK_FALSE(table_exists(c, "t1"));
      CHECK_FALSE(table_exists(c, "t2"));
    }
  } else {
    SUBCASE("without transactional_ddl: DDL before a failure stays, nothing after it runs") {
      c.begin();
      CHECK_THROWS_AS(c.execute_script("CREATE TABLE t1 (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
                                       "CREATE TABLE t2 (id INTEGER);\n"),
                      database_error);
      c.rollback();
      CHECK(table_exists(c, "t1"));  // else the adapter should claim transactional_ddl
      CHECK_FALSE(table_exists(c, "t2"));
    }
  }

  SUBCASE("errors carry the database's message and the failing line when known") {
    try {
      c.execute_script("CREATE TABLE ok1 (id INTEGER);\n\nSELECT * FROM no_such_table;\n");
      FAIL("no error");
    } catch (const database_error& e) {
      std::string what = e.what();
      CHECK(what.find("no_such_table") != std::string::npos);
      CHECK((e.line() == 3 || e.line() == 0));  // 0: the database does not say
    }
  }

  SUBCASE("in a transaction, errors name the same line; a transaction may run nothing") {
    c.begin();
    try {
      c.execute_script("CREATE TABLE ok2 (id INTEGER);\nSELECT nope\n;\n");
      FAIL("no error");
    } catch (const database_error& e) {
      CHECK((e.line() == 2 || e.line() == 0));  // 0: the database does not say
    }
    c.rollback();
    c.begin();
    c.commit();
    c.begin();
    c.rollback();
    c.begin();
    c.execute_script("CREATE TABLE after_empty (id INTEGER);");
    c.commit();
    CHECK(table_exists(c, "after_empty"));
    c.begin();
    c.query("INSERT INTO after_empty (id) VALUES ($1)", {"7"});  // a query first in a transaction is in it too
    c.rollback();
    CHECK(c.query("SELECT count(*) FROM after_empty", {}).at(0).at(0) == "0");
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

  // --- the capabilities the adapter claims ---

  if constexpr (tmig::claims<Adapter, tmig::capability::transactional_ddl>) {
    SUBCASE("capability::transactional_ddl: DDL rolls back with its transaction") {
      c.begin();
      c.execute_script("CREATE TABLE ddl_gone (id INTEGER);");
      c.rollback();
      CHECK_FALSE(table_exists(c, "ddl_gone"));
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::per_tenant_lock>) {
    SUBCASE("capability::per_tenant_lock: one holder per key, until unlocked or disconnected") {
      auto other = fixture.adapter().connect(fixture.location());
      REQUIRE(c.try_lock_tenant("conformance:a", std::chrono::milliseconds(0)));
      CHECK_FALSE(other.try_lock_tenant("conformance:a", std::chrono::milliseconds(50)));
      CHECK(other.try_lock_tenant("conformance:b", std::chrono::milliseconds(0)));
      c.unlock_tenant("conformance:a");
      CHECK(other.try_lock_tenant("conformance:a", std::chrono::milliseconds(0)));
      other.unlock_tenant("conformance:a");
      other.unlock_tenant("conformance:b");
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::migration_timeouts>) {
    SUBCASE("capability::migration_timeouts: a statement over its limit fails, and the limit ends with the transaction") {
      c.begin();
      c.set_local_timeouts(std::chrono::milliseconds(0), std::chrono::milliseconds(0));  // 0: no limit
      c.execute_script("CREATE TABLE timed (id INTEGER);");
      c.commit();
      CHECK(table_exists(c, "timed"));
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::cancellation>) {
    SUBCASE("capability::cancellation: an interrupter that can cancel") {
      tmig::interrupt_handle h = c.interrupter();
      CHECK(static_cast<bool>(h.cancel));
      CHECK(static_cast<bool>(h.target));
      h.cancel(h.target);  // nothing running: harmless
      c.execute_script("CREATE TABLE after_cancel (id INTEGER);");
      CHECK(table_exists(c, "after_cancel"));
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::schemas>) {
    SUBCASE("capability::schemas: use_schema puts unqualified names in that schema") {
      CHECK_FALSE(c.schema_exists("conformance_s"));
      c.execute_script("CREATE SCHEMA " + c.quote_identifier("conformance_s") + ";");
      CHECK(c.schema_exists("conformance_s"));
      c.use_schema("conformance_s");
      c.execute_script("CREATE TABLE in_schema (id INTEGER);");
      auto r = c.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
                       {"conformance_s", "in_schema"});
      CHECK(r.at(0).at(0) == "1");
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::schema_provisioning>) {
    SUBCASE("capability::schema_provisioning: create and drop a schema") {
      c.create_schema("conformance_p");
      CHECK(c.schema_exists("conformance_p"));
      c.drop_schema("conformance_p");
      CHECK_FALSE(c.schema_exists("conformance_p"));
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::batched_history_reads>) {
    SUBCASE("capability::batched_history_reads: many schemas' histories, in batches of history_batch_size") {
      std::vector<std::string> schemas;
      for (int i = 0; i < 3; ++i) {
        std::string schema = "conformance_h" + std::to_string(i);
        schemas.push_back(schema);
        c.execute_script("CREATE SCHEMA " + c.quote_identifier(schema) + ";");
        auto table = tmig::history_table_in(c, schema);
        tmig::ensure_history_table(c, table);
        tmig::migration m;
        m.app = "app";
        m.name = "000" + std::to_string(i + 1) + "_x";
        m.checksum = "c" + std::to_string(i);
        tmig::record_applied(c, table, m, "2026-01-01T00:00:00Z", 1);
      }
      schemas.push_back("conformance_absent");
      auto histories = tmig::read_schema_histories(c, schemas, 2);  // two batches
      CHECK(histories.size() == 3);
      CHECK(histories["conformance_h2"].at(0).key.name == "0003_x");
      CHECK(histories.count("conformance_absent") == 0);
      CHECK(Adapter::history_batch_size > 0);
      if constexpr (tmig::claims<Adapter, tmig::capability::bulk_table_reads>) {
        // The same rows, read as whole tables, two per round trip.
        auto bulk = tmig::read_schema_histories(c, schemas, 2, tmig::schema_history_reads::bulk);
        CHECK(bulk.size() == 3);
        for (auto& [schema, history] : histories) {
          REQUIRE(bulk[schema].size() == history.size());
          CHECK(bulk[schema].at(0).key.str() == history.at(0).key.str());
          CHECK(bulk[schema].at(0).checksum == history.at(0).checksum);
          CHECK(bulk[schema].at(0).applied_at == history.at(0).applied_at);
          CHECK(bulk[schema].at(0).duration_ms == history.at(0).duration_ms);
        }
        CHECK(bulk.count("conformance_absent") == 0);
      }
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::bulk_table_reads>) {
    SUBCASE("capability::bulk_table_reads: whole tables, values as stored, nothing for a missing table or a view") {
      c.execute_script("CREATE TABLE conformance_bulk (a TEXT, b TEXT);"
                       "CREATE VIEW conformance_bulk_view AS SELECT * FROM conformance_bulk;");
      const std::string odd = std::string("tab\there, line\nbreak, back\\slash \\N, ") + "\xc3\xa9";
      c.query("INSERT INTO conformance_bulk VALUES ($1, NULL)", {odd});
      c.query("INSERT INTO conformance_bulk VALUES ('\\N', '')", {});
      auto found = c.read_tables({c.quote_identifier("conformance_bulk"), c.quote_identifier("conformance_nothing"),
                                  c.quote_identifier("conformance_bulk_view"), c.quote_identifier("conformance_bulk")},
                                 "a, b");
      REQUIRE(found.size() == 4);
      REQUIRE(found[0]);
      REQUIRE(found[0]->size() == 2);
      CHECK(found[0]->at(0).at(0) == odd);
      CHECK_FALSE(found[0]->at(0).at(1).has_value());
      CHECK(found[0]->at(1).at(0) == "\\N");
      CHECK(found[0]->at(1).at(1) == "");
      CHECK_FALSE(found[1]);
      CHECK_FALSE(found[2]);
      REQUIRE(found[3]);
      CHECK(found[3]->size() == 2);
      // Inside a transaction a missing table must not abort the caller's work.
      c.begin();
      c.query("INSERT INTO conformance_bulk VALUES ('in', 'transaction')", {});
      auto in_transaction =
          c.read_tables({c.quote_identifier("conformance_nothing"), c.quote_identifier("conformance_bulk")}, "a, b");
      REQUIRE(in_transaction.size() == 2);
      CHECK_FALSE(in_transaction[0]);
      REQUIRE(in_transaction[1]);
      CHECK(in_transaction[1]->size() == 3);
      c.commit();
      CHECK(c.query("SELECT COUNT(*) FROM conformance_bulk", {}).at(0).at(0) == "3");
      CHECK(c.read_tables({}, "a").empty());
      CHECK_THROWS_AS(c.read_tables({c.quote_identifier("conformance_bulk")}, "no_such_column"), tmig::database_error);
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::statement_splitting>) {
    SUBCASE("capability::statement_splitting: statements as the server ends them, each runnable alone") {
      const std::string script = "-- a comment; with a semicolon\n"
                                 "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT);\n"
                                 "/* block; comment */\n\n"
                                 "INSERT INTO items (id, label) VALUES (1, 'a;b -- not a comment');\n;\n"
                                 "INSERT INTO items (id, label) VALUES (2, 'it''s')";
      auto statements = c.split_script(script);
      REQUIRE(statements.size() == 3);
      CHECK(statements[0].line == 2);
      CHECK(statements[1].line == 5);
      CHECK(statements[1].text() == "INSERT INTO items (id, label) VALUES (1, 'a;b -- not a comment')");
      CHECK(statements[2].line == 7);
      for (const auto& statement : statements) c.execute_script(statement.sql);
      CHECK(c.query("SELECT count(*) FROM items", {}).at(0).at(0) == "2");
      // A routine body's ';' do not end its statement: run alone, each piece works.
      for (const auto& statement : c.split_script(Fixture::routine_script())) c.execute_script(statement.sql);
      c.execute_script("INSERT INTO items (id, label) VALUES (7, 'x');");
      CHECK(c.query("SELECT count(*) FROM routine_log", {}).at(0).at(0) == "1");
      try {
        c.execute_script(statements[2].sql);  // a duplicate key: the error names the file's line
        FAIL("expected a database_error");
      } catch (const database_error& e) {
        CHECK((e.line() == 7 || e.line() == 0));
      }
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::cross_database_reads>) {
    SUBCASE("capability::cross_database_reads: other databases' histories, over one connection") {
      auto& a = fixture.adapter();
      const std::string other = fixture.unused_location();
      a.create_database(other);
      {
        auto o = a.connect(a.tenant_database_location(fixture.location(), a.database_of(other)));
        auto table = o.quote_identifier(tmig::history_table_name);
        tmig::ensure_history_table(o, table);
        tmig::migration m;
        m.app = "app";
        m.name = "0001_x";
        m.checksum = "c1";
        tmig::record_applied(o, table, m, "2026-01-01T00:00:00Z", 1);
      }
      auto histories = tmig::read_database_histories(
          c, {a.database_of(fixture.location()), a.database_of(other), "conformance_absent"}, 1);
      CHECK(histories.size() == 1);  // the fixture's database has no history table
      CHECK(histories[a.database_of(other)].at(0).key.name == "0001_x");
      CHECK(histories[a.database_of(other)].at(0).checksum == "c1");
      CHECK(Adapter::history_batch_size > 0);
      a.drop_database(other);
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::statement_check>) {
    SUBCASE("capability::statement_check: compiling runs nothing; a missing table is a no; a stale no is checked") {
      c.execute_script("CREATE TABLE compiled (id INTEGER);");
      CHECK(c.compiles("SELECT id FROM compiled WHERE 1 = 0"));
      CHECK(c.compiles("INSERT INTO compiled VALUES (1)"));
      CHECK(c.query("SELECT count(*) FROM compiled", {}).at(0).at(0) == "0");
      CHECK_FALSE(c.compiles("SELECT 1 FROM never_created"));
      auto table = c.quote_identifier(tmig::history_table_name);
      CHECK_FALSE(tmig::history_table_exists<Adapter>(c, table));
      {  // another session creates the table: this one's cached schema does not know it yet
        auto other = fixture.adapter().connect(fixture.location());
        tmig::ensure_history_table<Adapter>(other, table);
      }
      CHECK(tmig::history_table_exists<Adapter>(c, table));
      tmig::ensure_history_table<Adapter>(c, table);  // known now: nothing to create
      CHECK(tmig::read_history_if_any<Adapter>(c, table).empty());
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::session_reset>) {
    SUBCASE("capability::session_reset: the connection is usable afterwards") {
      c.reset_session();
      c.execute_script("CREATE TABLE after_reset (id INTEGER);");
      CHECK(table_exists(c, "after_reset"));
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::database_provisioning>) {
    SUBCASE("capability::database_provisioning: create, find, drop a database") {
      const std::string location = fixture.unused_location();
      CHECK_FALSE(fixture.adapter().database_exists(location));
      fixture.adapter().create_database(location);
      CHECK(fixture.adapter().database_exists(location));
      fixture.adapter().drop_database(location);
      CHECK_FALSE(fixture.adapter().database_exists(location));
    }
  }

  if constexpr (tmig::claims<Adapter, tmig::capability::server_identity>) {
    SUBCASE("capability::server_identity: two databases of one server are on one server") {
      auto& a = fixture.adapter();
      CHECK(a.server_of(fixture.location()) ==
            a.server_of(a.tenant_database_location(fixture.location(), "conformance_other")));
    }
  }
}
