"""Shared pieces of the reliability harnesses (issue 5): test environments of
SQLite database tenants, PostgreSQL schema tenants and MariaDB database
tenants, a migration set whose every object is known, and a checker that
reads every tenant and tells whether its objects are exactly what its history
says.

Python 3 standard library only. SQLite is read with the `sqlite3` CLI,
PostgreSQL with `psql`, MariaDB with `mariadb`; tenants are created with
`manage createtenant`.

MariaDB's DDL is not transactional: a migration killed half-way leaves the
statements before the one in flight applied (and the one in flight may still
commit on the server after the client died). So its migration set is written
to be rerun (IF NOT EXISTS, INSERT IGNORE), and its checker is the weaker one
the non-transactional case allows: every recorded migration has all its
effects, nothing is recorded that did not happen, a data-only migration
(shop/0003_counter: one INSERT) is applied at most once, and a rerun
completes every tenant; objects of a migration that is not recorded may exist.
"""

import os
import random
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time

# The password every PostgreSQL and MariaDB harness puts in its master URL: no output may show it.
SECRET = "S3cretPa55"
PG_ROLE = "tm_user"
MARIADB_USER = "tm_user"
# Exit status of a harness that has no server to run against (CTest: SKIP_RETURN_CODE).
SKIPPED = 77


def die(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)


def pg_admin_url():
    url = os.environ.get("TENANT_MIGRATOR_TEST_PG", "")
    if not url:
        die("TENANT_MIGRATOR_TEST_PG is not set: start a server with scripts/pg-cluster.sh "
            "(scripts/test.sh does) and export its URL")
    return url


def closed_port():
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def random_suffix(n=8):
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def run(cmd, check=True, input=None, timeout=300, env=None):
    p = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout, env=env,
                       errors="replace")
    if check and p.returncode != 0:
        raise RuntimeError("command failed (%d): %s\n%s%s" % (p.returncode, " ".join(cmd), p.stdout, p.stderr))
    return p


# --- PostgreSQL ---------------------------------------------------------------

def psql(url, sql, check=True):
    """Runs `sql` (any number of statements) with psql; returns rows as lists of strings."""
    p = run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", url], check=check,
            input=sql)
    return [line.split("\t") for line in p.stdout.splitlines() if line != ""]


def with_dbname(url, dbname, user=None, password=None):
    """postgresql://user@host:port/db -> the same server, another database (and user)."""
    rest = url.split("://", 1)[1]
    authority, _, _ = rest.partition("/")
    hostport = authority.rsplit("@", 1)[-1]
    old_user = authority.rsplit("@", 1)[0] if "@" in authority else ""
    u = user if user is not None else old_user
    cred = u + (":" + password if password else "")
    return "postgresql://" + (cred + "@" if cred else "") + hostport + "/" + dbname


class PgServer:
    """The test server of TENANT_MIGRATOR_TEST_PG, with the role tm_user (password SECRET)."""

    def __init__(self):
        self.admin = pg_admin_url()
        # Idempotent: several harnesses may run at once on the same server.
        psql(self.admin, """
DO $$ BEGIN CREATE ROLE %s LOGIN PASSWORD '%s'; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
""" % (PG_ROLE, SECRET))

    def create_database(self, prefix):
        name = "%s_%s" % (prefix, random_suffix())
        psql(self.admin, "CREATE DATABASE %s OWNER %s;" % (name, PG_ROLE))
        # A killed client's backend notices the lost connection within 100 ms
        # even in the middle of a long statement, and rolls back.
        psql(self.admin, "ALTER DATABASE %s SET client_connection_check_interval = '100ms';" % name)
        return name

    def drop_database(self, name):
        psql(self.admin, "DROP DATABASE IF EXISTS %s WITH (FORCE);" % name, check=False)

    def admin_url(self, dbname):
        return with_dbname(self.admin, dbname)

    def master_url(self, dbname):
        """The URL manage gets: role tm_user with its password in it."""
        return with_dbname(self.admin, dbname, user=PG_ROLE, password=SECRET)

    def wait_for_orphans(self, dbname, timeout=60):
        """Waits until no manage session (a killed run's backend) is left on `dbname`.
        Returns how many there were at first."""
        sql = ("SELECT count(*) FROM pg_stat_activity WHERE datname = '%s' "
               "AND application_name = 'tenant_migrator' AND pid <> pg_backend_pid();" % dbname)
        first = None
        deadline = time.time() + timeout
        while True:
            n = int(psql(self.admin, sql)[0][0])
            if first is None:
                first = n
            if n == 0:
                return first
            if time.time() > deadline:
                raise RuntimeError("%d backend(s) of killed runs still on %s after %ds" % (n, dbname, timeout))
            time.sleep(0.05)


# --- The migration set --------------------------------------------------------

def migration_set(rows):
    """The migrations, in application order, each with the objects it creates
    and drops. `rows`: size of the slow bulk inserts (the kill window)."""
    half = max(rows // 2, 1)
    return [
        {
            "key": "core/0001_initial",
            "sql": "-- Accounts.\n"
                   "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                   "CREATE INDEX accounts_name_idx ON accounts (name);\n"
                   "INSERT INTO accounts (id, name) VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma');\n",
            "creates": [("table", "accounts"), ("column", "accounts.id"), ("column", "accounts.name"),
                        ("index", "accounts_name_idx")],
            "drops": [],
        },
        {
            "key": "core/0002_events",
            "sql": "-- Slow: %d rows through a recursive CTE.\n"
                   "CREATE TABLE events (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, payload TEXT NOT NULL);\n"
                   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d)\n"
                   "INSERT INTO events (id, account_id, payload) SELECT x, x %% 3 + 1, 'event ' || x FROM c;\n"
                   "CREATE INDEX events_account_idx ON events (account_id);\n" % (rows, rows),
            "creates": [("table", "events"), ("column", "events.payload"), ("index", "events_account_idx")],
            "drops": [],
        },
        {
            "key": "core/0003_columns",
            "sql": "ALTER TABLE accounts ADD COLUMN email TEXT;\n"
                   "ALTER TABLE events ADD COLUMN processed INTEGER;\n"
                   "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, what TEXT NOT NULL);\n"
                   "INSERT INTO audit_log (id, what) VALUES (1, 'columns added');\n",
            "creates": [("column", "accounts.email"), ("column", "events.processed"), ("table", "audit_log")],
            "drops": [],
        },
        {
            "key": "core/0004_rename_audit",
            "sql": "ALTER TABLE audit_log RENAME TO audit_entries;\n"
                   "CREATE INDEX audit_entries_what_idx ON audit_entries (what);\n"
                   "INSERT INTO audit_entries (id, what) VALUES (2, 'renamed');\n",
            "creates": [("table", "audit_entries"), ("index", "audit_entries_what_idx")],
            "drops": [("table", "audit_log")],
        },
        {
            "key": "shop/0001_initial",
            "sql": "-- depends: core/0001_initial\n"
                   "CREATE TABLE products (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),\n"
                   "  sku TEXT NOT NULL, price_cents INTEGER NOT NULL);\n"
                   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d)\n"
                   "INSERT INTO products (id, account_id, sku, price_cents) SELECT x, x %% 3 + 1, 'sku-' || x, x * 7 FROM c;\n"
                   "CREATE UNIQUE INDEX products_sku_idx ON products (sku);\n" % half,
            "creates": [("table", "products"), ("column", "products.sku"), ("index", "products_sku_idx")],
            "drops": [],
        },
        {
            "key": "shop/0002_backfill",
            "sql": "-- depends: core/0003_columns\n"
                   "-- Slow: rewrites every event.\n"
                   "UPDATE events SET processed = 1;\n"
                   "CREATE INDEX events_processed_idx ON events (processed);\n"
                   "DROP INDEX accounts_name_idx;\n"
                   "CREATE INDEX accounts_name_email_idx ON accounts (name, email);\n",
            "creates": [("index", "events_processed_idx"), ("index", "accounts_name_email_idx")],
            "drops": [("index", "accounts_name_idx")],
        },
    ]


def write_migrations(folder, migrations):
    for m in migrations:
        path = os.path.join(folder, m["key"] + ".sql")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(m["sql"])


def tracked_objects(migrations):
    out = set()
    for m in migrations:
        out.update(m["creates"])
        out.update(m["drops"])
    return out


def expected_objects(migrations, recorded):
    """The tracked objects a tenant must have, given the migrations its history records."""
    present = set()
    for m in migrations:  # application order
        if m["key"] in recorded:
            present.update(m["creates"])
            present.difference_update(m["drops"])
    return present


def data_checks(recorded, rows, strict=True):
    """(description, SQL giving one number, expected number) for what the recorded migrations wrote.
    Not strict (DDL not transactional): no check that expects an unrecorded migration's effect absent."""
    checks = []
    if "core/0001_initial" in recorded:
        checks.append(("accounts rows", "SELECT count(*) FROM accounts", 3))
    if "core/0002_events" in recorded:
        checks.append(("events rows", "SELECT count(*) FROM events", rows))
    if "core/0003_columns" in recorded and (strict or "core/0004_rename_audit" in recorded):
        # (Not strict: 0004 half-way may have renamed audit_log already.)
        audit = "audit_entries" if "core/0004_rename_audit" in recorded else "audit_log"
        want = 2 if "core/0004_rename_audit" in recorded else 1
        checks.append(("audit rows", "SELECT count(*) FROM %s" % audit, want))
        if strict or "shop/0002_backfill" in recorded:
            want = rows if "shop/0002_backfill" in recorded else 0
            checks.append(("events processed", "SELECT count(*) FROM events WHERE processed IS NOT NULL", want))
    if "shop/0001_initial" in recorded:
        checks.append(("products rows", "SELECT count(*) FROM products", max(rows // 2, 1)))
    if "core/0001_initial" in recorded and not strict:
        # The MariaDB set's data-only migration: applied once or not at all, never twice.
        checks.append(("counter rows", "SELECT count(*) FROM counter_log", 1 if "shop/0003_counter" in recorded else 0))
    return checks


def check_tenant(name, migrations, recorded, actual, data, rows, strict=True):
    """Violations (strings) of one tenant: its tracked objects must be exactly
    those its recorded migrations leave (not strict: at least those); the
    recorded migrations' data must be all there; the history must be closed
    under dependencies (a prefix)."""
    problems = []
    keys = [m["key"] for m in migrations]
    unknown = set(recorded) - set(keys)
    if unknown:
        problems.append("%s: unknown history rows %s" % (name, sorted(unknown)))
    if len(recorded) != len(set(recorded)):
        problems.append("%s: duplicate history rows %s" % (name, sorted(recorded)))
    # The set is applied in this order, each depending on the one before or an earlier
    # one: a history must be a prefix of the order, except shop/0001 (depends on core/0001 only).
    deps = {"core/0002_events": ["core/0001_initial"], "core/0003_columns": ["core/0002_events"],
            "core/0004_rename_audit": ["core/0003_columns"], "shop/0001_initial": ["core/0001_initial"],
            "shop/0002_backfill": ["core/0003_columns", "shop/0001_initial"],
            "shop/0003_counter": ["shop/0002_backfill"]}
    for k in recorded:
        for d in deps.get(k, []):
            if d not in recorded:
                problems.append("%s: %s recorded without its dependency %s" % (name, k, d))
    tracked = tracked_objects(migrations)
    want = expected_objects(migrations, set(recorded))
    if not strict:  # a migration that is not recorded may have run in part, its drops too
        for m in migrations:
            if m["key"] not in recorded:
                want.difference_update(m["drops"])
    have = set(o for o in actual if o in tracked)
    for o in sorted(want - have):
        owner = [m["key"] for m in migrations if o in m["creates"] and m["key"] in recorded]
        problems.append("%s: %s %s missing although %s is recorded" % (name, o[0], o[1], ", ".join(owner)))
    for o in sorted(have - want) if strict else []:
        owner = [m["key"] for m in migrations if o in m["creates"]]
        problems.append("%s: %s %s exists without the history row of %s" % (name, o[0], o[1], ", ".join(owner)))
    for desc, _, expected in data_checks(set(recorded), rows, strict):
        got = data.get(desc)
        if got != expected:
            problems.append("%s: %s = %s, expected %s" % (name, desc, got, expected))
    return problems


def check_states(states, migrations, rows, strict=True):
    """(violations, tenants complete, history rows in all) of {tenant: (recorded, actual, data)}."""
    problems, complete, recorded_total = [], 0, 0
    for t, (recorded, actual, data) in sorted(states.items()):
        problems += check_tenant(t, migrations, recorded, actual, data, rows, strict)
        complete += len(recorded) == len(migrations)
        recorded_total += len(recorded)
    return problems, complete, recorded_total


# The checker's self-test: a history row deleted by hand (its objects are then
# "without history row") and an index of a recorded migration dropped.
PLANTED_FAULTS = ("DELETE FROM tenant_migrator_history WHERE name = '0004_rename_audit';\n"
                  "DROP INDEX products_sku_idx;\n")


# --- SQLite tenants -----------------------------------------------------------

def sqlite3_cli(path, sql):
    p = run(["sqlite3", "-batch", "-bail", "-separator", "\t", path], input=sql)
    return [line.split("\t") for line in p.stdout.splitlines() if line != ""]


def sqlite_state(path, rows):
    """(recorded migrations, tracked-object set, data numbers) of one SQLite tenant file."""
    actual = set()
    has_history = False
    for r in sqlite3_cli(path, "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%';\n"
                               "SELECT 'column', m.name || '.' || p.name FROM sqlite_master m, "
                               "pragma_table_info(m.name) p WHERE m.type = 'table';\n"):
        if r[0] == "table" and r[1] == "tenant_migrator_history":
            has_history = True
        if r[0] in ("table", "index", "column"):
            actual.add((r[0], r[1]))
    recorded = []
    if has_history:
        recorded = [r[0] for r in sqlite3_cli(path, "SELECT app || '/' || name FROM tenant_migrator_history;\n")]
    data = {}
    checks = [c for c in data_checks(set(recorded), rows) if ("table", c[1].split(" FROM ")[1].split()[0]) in actual]
    if checks:
        sql = "".join(c[1] + ";\n" for c in checks)
        out = sqlite3_cli(path, sql)
        for c, r in zip(checks, out):
            data[c[0]] = int(r[0])
    return recorded, actual, data


class SqliteEnv:
    """A master and `n` database tenants t000, t001, ... in a temporary folder."""

    strict = True

    def __init__(self, manage, n, rows, work=None):
        self.manage = manage
        self.rows = rows
        self.work = work or tempfile.mkdtemp(prefix="tm_rel_sqlite_")
        self.master = "sqlite:" + os.path.join(self.work, "master.db")
        self.migrations_dir = os.path.join(self.work, "migrations")
        self.migrations = migration_set(rows)
        write_migrations(self.migrations_dir, self.migrations)
        self.tenants = ["t%03d" % i for i in range(n)]
        for t in self.tenants:
            run([manage, "createtenant", "--master", self.master, "--tenant-id", t, "--name", "Tenant " + t,
                 "--isolation", "database", "--no-migrate"])

    def path(self, t):
        return os.path.join(self.work, t + ".db")

    def reset(self):
        """Every tenant back to an empty database."""
        for t in self.tenants:
            for suffix in ("-journal", "-wal", "-shm"):
                if os.path.exists(self.path(t) + suffix):
                    os.remove(self.path(t) + suffix)
            open(self.path(t), "wb").close()

    def execute(self, tenant, sql):
        sqlite3_cli(self.path(tenant), sql)

    def state(self):
        """{tenant: (recorded, actual objects, data)}"""
        return {t: sqlite_state(self.path(t), self.rows) for t in self.tenants}

    def check_all(self):
        return check_states(self.state(), self.migrations, self.rows)

    def plant_faults(self):
        """Breaks the first tenant twice (after a complete run), for the checker's self-test."""
        self.execute(self.tenants[0], PLANTED_FAULTS)

    def run_args(self):
        return ["--master", self.master, "--migrations", self.migrations_dir]

    def close(self):
        shutil.rmtree(self.work, ignore_errors=True)


# --- PostgreSQL schema tenants ----------------------------------------------

class PgEnv:
    """A master database (role tm_user, password in the URL) and `n` schema tenants."""

    strict = True

    def __init__(self, manage, n, rows, prefix="tm_rel"):
        self.manage = manage
        self.rows = rows
        self.server = PgServer()
        self.db = self.server.create_database(prefix)
        self.admin = self.server.admin_url(self.db)
        self.master = self.server.master_url(self.db)
        self.work = tempfile.mkdtemp(prefix="tm_rel_pg_")
        self.migrations_dir = os.path.join(self.work, "migrations")
        self.migrations = migration_set(rows)
        write_migrations(self.migrations_dir, self.migrations)
        self.tenants = ["t%03d" % i for i in range(n)]
        for t in self.tenants:
            run([manage, "createtenant", "--master", self.master, "--tenant-id", t, "--name", "Tenant " + t,
                 "--isolation", "schema", "--no-migrate"])

    def execute(self, tenant, sql):
        psql(self.admin, "SET search_path TO %s;\n%s" % (tenant, sql))

    def wait_for_orphans(self):
        return self.server.wait_for_orphans(self.db)

    def reset(self):
        sql = "".join('DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s AUTHORIZATION %s;\n' % (t, t, PG_ROLE)
                      for t in self.tenants)
        psql(self.admin, sql)

    def state(self):
        """{tenant: (recorded, actual objects, data)} for every tenant, in two psql calls."""
        names = ",".join("'%s'" % t for t in self.tenants)
        actual = {t: set() for t in self.tenants}
        has_history = set()
        rows = psql(self.admin, """
SELECT n.nspname, CASE c.relkind WHEN 'r' THEN 'table' ELSE 'index' END, c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN (%s) AND c.relkind IN ('r', 'i');
SELECT n.nspname, 'column', c.relname || '.' || a.attname
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN (%s) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped;
""" % (names, names))
        for schema, kind, name in rows:
            actual[schema].add((kind, name))
            if kind == "table" and name == "tenant_migrator_history":
                has_history.add(schema)
        recorded = {t: [] for t in self.tenants}
        if has_history:
            q = " UNION ALL ".join("SELECT '%s', app || '/' || name FROM %s.tenant_migrator_history" % (t, t)
                                   for t in sorted(has_history))
            for schema, key in psql(self.admin, q + ";"):
                recorded[schema].append(key)
        data = {t: {} for t in self.tenants}
        parts = []
        for t in self.tenants:
            for desc, sql, _ in data_checks(set(recorded[t]), self.rows):
                if ("table", sql.split(" FROM ")[1].split()[0]) not in actual[t]:
                    continue  # reported as a missing object
                parts.append("SELECT '%s', '%s', (%s)" % (t, desc, sql.replace(" FROM ", " FROM %s." % t, 1)))
        if parts:
            for i in range(0, len(parts), 200):
                for schema, desc, n in psql(self.admin, " UNION ALL ".join(parts[i:i + 200]) + ";"):
                    data[schema][desc] = int(n)
        return {t: (recorded[t], actual[t], data[t]) for t in self.tenants}

    def check_all(self):
        return check_states(self.state(), self.migrations, self.rows)

    def plant_faults(self):
        """Breaks the first tenant twice (after a complete run), for the checker's self-test."""
        self.execute(self.tenants[0], PLANTED_FAULTS)

    def run_args(self):
        return ["--master", self.master, "--migrations", self.migrations_dir]

    def close(self):
        self.server.drop_database(self.db)
        shutil.rmtree(self.work, ignore_errors=True)


# --- MariaDB database tenants -------------------------------------------------

def mariadb_migration_set(rows):
    """migration_set's objects, written for MariaDB and to be rerun (its DDL is
    not transactional: after a kill the statements before the one in flight
    stay, and a rerun runs them again), plus shop/0003_counter, a data-only
    migration whose one INSERT shows whether it was ever applied twice."""
    half = max(rows // 2, 1)
    return [
        {
            "key": "core/0001_initial",
            "sql": "-- Accounts.\n"
                   "CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);\n"
                   "CREATE INDEX IF NOT EXISTS accounts_name_idx ON accounts (name);\n"
                   "INSERT IGNORE INTO accounts (id, name) VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma');\n"
                   "CREATE TABLE IF NOT EXISTS counter_log (id INTEGER AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100));\n",
            "creates": [("table", "accounts"), ("column", "accounts.id"), ("column", "accounts.name"),
                        ("index", "accounts_name_idx"), ("table", "counter_log")],
            "drops": [],
        },
        {
            "key": "core/0002_events",
            "sql": "-- Slow: %d rows from the sequence engine.\n"
                   "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,\n"
                   "  payload VARCHAR(100) NOT NULL);\n"
                   "INSERT IGNORE INTO events (id, account_id, payload)\n"
                   "  SELECT seq, seq %% 3 + 1, CONCAT('event ', seq) FROM seq_1_to_%d;\n"
                   "CREATE INDEX IF NOT EXISTS events_account_idx ON events (account_id);\n" % (rows, rows),
            "creates": [("table", "events"), ("column", "events.payload"), ("index", "events_account_idx")],
            "drops": [],
        },
        {
            "key": "core/0003_columns",
            "sql": "ALTER TABLE accounts ADD COLUMN IF NOT EXISTS email VARCHAR(100);\n"
                   "ALTER TABLE events ADD COLUMN IF NOT EXISTS processed INTEGER;\n"
                   "CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY, what VARCHAR(100) NOT NULL);\n"
                   "INSERT IGNORE INTO audit_log (id, what) VALUES (1, 'columns added');\n",
            "creates": [("column", "accounts.email"), ("column", "events.processed"), ("table", "audit_log")],
            "drops": [],
        },
        {
            "key": "core/0004_rename_audit",
            "sql": "RENAME TABLE IF EXISTS audit_log TO audit_entries;\n"
                   "CREATE INDEX IF NOT EXISTS audit_entries_what_idx ON audit_entries (what);\n"
                   "INSERT IGNORE INTO audit_entries (id, what) VALUES (2, 'renamed');\n",
            "creates": [("table", "audit_entries"), ("index", "audit_entries_what_idx")],
            "drops": [("table", "audit_log")],
        },
        {
            "key": "shop/0001_initial",
            "sql": "-- depends: core/0001_initial\n"
                   "CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,\n"
                   "  sku VARCHAR(100) NOT NULL, price_cents INTEGER NOT NULL);\n"
                   "INSERT IGNORE INTO products (id, account_id, sku, price_cents)\n"
                   "  SELECT seq, seq %% 3 + 1, CONCAT('sku-', seq), seq * 7 FROM seq_1_to_%d;\n"
                   "CREATE UNIQUE INDEX IF NOT EXISTS products_sku_idx ON products (sku);\n" % half,
            "creates": [("table", "products"), ("column", "products.sku"), ("index", "products_sku_idx")],
            "drops": [],
        },
        {
            "key": "shop/0002_backfill",
            "sql": "-- depends: core/0003_columns\n"
                   "-- Slow: rewrites every event.\n"
                   "UPDATE events SET processed = 1;\n"
                   "CREATE INDEX IF NOT EXISTS events_processed_idx ON events (processed);\n"
                   "DROP INDEX IF EXISTS accounts_name_idx ON accounts;\n"
                   "CREATE INDEX IF NOT EXISTS accounts_name_email_idx ON accounts (name, email);\n",
            "creates": [("index", "events_processed_idx"), ("index", "accounts_name_email_idx")],
            "drops": [("index", "accounts_name_idx")],
        },
        {
            "key": "shop/0003_counter",
            "sql": "-- depends: shop/0002_backfill\n"
                   "-- Data only: one transaction with its history row, so never applied twice.\n"
                   "INSERT INTO counter_log (what) VALUES ('shop/0003_counter');\n",
            "creates": [],
            "drops": [],
        },
    ]


def mariadb_admin_url():
    """TENANT_MIGRATOR_TEST_MARIADB, or None (the MariaDB legs then skip)."""
    return os.environ.get("TENANT_MIGRATOR_TEST_MARIADB", "") or None


def skip_without_mariadb(backend):
    """Exits SKIPPED with a message when the MariaDB leg has no server."""
    if backend == "mariadb" and not mariadb_admin_url():
        print("skipped: TENANT_MIGRATOR_TEST_MARIADB is not set (scripts/test.sh starts a server with "
              "scripts/mariadb-cluster.sh and exports its URL)")
        sys.exit(SKIPPED)


def parse_mariadb_url(url):
    """mariadb://user[:pw]@host:port/db[?socket=PATH] -> dict (no percent-decoding: test URLs are plain)."""
    rest = url.split("://", 1)[1]
    rest, _, query = rest.partition("?")
    authority, _, db = rest.partition("/")
    cred, _, hostport = authority.rpartition("@")
    user, _, password = cred.partition(":")
    host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    socket_path = query[len("socket="):] if query.startswith("socket=") else ""
    return {"user": user, "password": password, "host": host or "localhost", "port": port or "3306", "db": db,
            "socket": socket_path}


def mariadb_cli(url, sql, check=True):
    """Runs `sql` with the mariadb client; returns rows as lists of strings."""
    u = parse_mariadb_url(url)
    cmd = ["mariadb", "--no-defaults", "-N", "-B", "--user", u["user"] or "root"]
    if u["socket"]:
        cmd += ["--socket", u["socket"]]
    else:
        cmd += ["--protocol", "TCP", "--host", u["host"], "--port", u["port"]]
    env = dict(os.environ)
    if u["password"]:
        env["MYSQL_PWD"] = u["password"]
    p = run(cmd, check=check, input=sql, env=env)
    return [line.split("\t") for line in p.stdout.splitlines() if line != ""]


class MariadbServer:
    """The test server of TENANT_MIGRATOR_TEST_MARIADB, with the user tm_user (password SECRET)."""

    def __init__(self):
        self.admin = mariadb_admin_url()
        if not self.admin:
            die("TENANT_MIGRATOR_TEST_MARIADB is not set: start a server with scripts/mariadb-cluster.sh "
                "(scripts/test.sh does) and export its URL")
        # Idempotent: several harnesses may run at once on the same server.
        mariadb_cli(self.admin, "CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY '%s';\n"
                                "GRANT ALL PRIVILEGES ON *.* TO '%s'@'%%';\n" % (MARIADB_USER, SECRET, MARIADB_USER))

    def create_database(self, prefix):
        name = "%s_%s" % (prefix, random_suffix())
        mariadb_cli(self.admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;" % name)
        return name

    def drop_databases(self, prefix):
        names = [r[0] for r in mariadb_cli(self.admin, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                                                       "WHERE LEFT(SCHEMA_NAME, %d) = '%s';" % (len(prefix), prefix),
                                           check=False)]
        if names:
            mariadb_cli(self.admin, "".join("DROP DATABASE IF EXISTS `%s`;\n" % n for n in names), check=False)

    def master_url(self, dbname):
        """The URL manage gets: user tm_user with its password in it."""
        u = parse_mariadb_url(self.admin)
        where = ("%s:%s" % (u["host"], u["port"])) if not u["socket"] else u["host"]
        url = "mariadb://%s:%s@%s/%s" % (MARIADB_USER, SECRET, where, dbname)
        return url + ("?socket=" + u["socket"] if u["socket"] else "")

    def wait_for_orphans(self, prefix, timeout=60):
        """Waits until no session of tm_user on a database starting with `prefix` is left (a killed run's
        statement finishes on the server, then its session ends). Returns how many there were at first."""
        sql = ("SELECT count(*) FROM information_schema.PROCESSLIST WHERE USER = '%s' "
               "AND LEFT(DB, %d) = '%s';" % (MARIADB_USER, len(prefix), prefix))
        first = None
        deadline = time.time() + timeout
        while True:
            n = int(mariadb_cli(self.admin, sql)[0][0])
            if first is None:
                first = n
            if n == 0:
                return first
            if time.time() > deadline:
                raise RuntimeError("%d session(s) of killed runs still on %s* after %ds" % (n, prefix, timeout))
            time.sleep(0.05)


class MariadbEnv:
    """A master database (user tm_user, password in the URL) and `n` database tenants <master>_t000, ..."""

    strict = False  # DDL is not transactional: see the module's docstring

    def __init__(self, manage, n, rows, prefix="tm_rel"):
        self.manage = manage
        self.rows = rows
        self.server = MariadbServer()
        self.db = self.server.create_database(prefix)
        self.master = self.server.master_url(self.db)
        self.work = tempfile.mkdtemp(prefix="tm_rel_mariadb_")
        self.migrations_dir = os.path.join(self.work, "migrations")
        self.migrations = mariadb_migration_set(rows)
        write_migrations(self.migrations_dir, self.migrations)
        self.tenants = ["t%03d" % i for i in range(n)]
        for t in self.tenants:
            run([manage, "createtenant", "--master", self.master, "--tenant-id", t, "--name", "Tenant " + t,
                 "--isolation", "database", "--location", self.database(t), "--no-migrate"])

    def database(self, t):
        return "%s_%s" % (self.db, t)

    def execute(self, tenant, sql):
        mariadb_cli(self.server.admin, "USE %s;\n%s" % (self.database(tenant), sql))

    def reset(self):
        mariadb_cli(self.server.admin, "".join(
            "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;\n"
            % (self.database(t), self.database(t)) for t in self.tenants))

    def wait_for_orphans(self):
        return self.server.wait_for_orphans(self.db)

    def running(self, tenant, statement_start):
        """Whether the server runs a statement starting with `statement_start` in the tenant's database."""
        sql = ("SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = '%s' AND LEFT(INFO, %d) = '%s';"
               % (self.database(tenant), len(statement_start), statement_start))
        return int(mariadb_cli(self.server.admin, sql)[0][0]) > 0

    def state(self):
        """{tenant: (recorded, actual objects, data)} for every tenant, in three mariadb calls."""
        by_db = {self.database(t): t for t in self.tenants}
        names = ",".join("'%s'" % d for d in by_db)
        actual = {t: set() for t in self.tenants}
        rows = mariadb_cli(self.server.admin, """
SELECT TABLE_SCHEMA, 'table', TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (%s);
SELECT DISTINCT TABLE_SCHEMA, 'index', INDEX_NAME FROM information_schema.STATISTICS
 WHERE TABLE_SCHEMA IN (%s) AND INDEX_NAME <> 'PRIMARY';
SELECT TABLE_SCHEMA, 'column', CONCAT(TABLE_NAME, '.', COLUMN_NAME) FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA IN (%s);
""" % (names, names, names))
        for db, kind, name in rows:
            actual[by_db[db]].add((kind, name))
        has_history = [t for t in self.tenants if ("table", "tenant_migrator_history") in actual[t]]
        recorded = {t: [] for t in self.tenants}
        if has_history:
            q = " UNION ALL ".join("SELECT '%s', CONCAT(app, '/', name) FROM %s.tenant_migrator_history"
                                   % (t, self.database(t)) for t in has_history)
            for t, key in mariadb_cli(self.server.admin, q + ";"):
                recorded[t].append(key)
        data = {t: {} for t in self.tenants}
        parts = []
        for t in self.tenants:
            for desc, sql, _ in data_checks(set(recorded[t]), self.rows, strict=False):
                if ("table", sql.split(" FROM ")[1].split()[0]) not in actual[t]:
                    continue  # reported as a missing object
                parts.append("SELECT '%s', '%s', (%s)" % (t, desc, sql.replace(" FROM ", " FROM %s." % self.database(t), 1)))
        for i in range(0, len(parts), 200):
            for t, desc, n in mariadb_cli(self.server.admin, " UNION ALL ".join(parts[i:i + 200]) + ";"):
                data[t][desc] = int(n)
        return {t: (recorded[t], actual[t], data[t]) for t in self.tenants}

    def check_all(self):
        return check_states(self.state(), self.migrations, self.rows, strict=False)

    def plant_faults(self):
        """Breaks the first tenant twice (after a complete run), for the checker's self-test: an index of a
        recorded migration dropped, and the data-only migration's row written a second time."""
        self.execute(self.tenants[0], "DROP INDEX products_sku_idx ON products;\n"
                                      "INSERT INTO counter_log (what) VALUES ('shop/0003_counter');\n")

    def run_args(self):
        return ["--master", self.master, "--migrations", self.migrations_dir]

    def close(self):
        self.server.drop_databases(self.db)
        shutil.rmtree(self.work, ignore_errors=True)


BACKENDS = ["sqlite", "postgresql", "mariadb"]


def make_env(backend, manage, n, rows, prefix="tm_rel"):
    if backend == "sqlite":
        return SqliteEnv(manage, n, rows)
    if backend == "mariadb":
        return MariadbEnv(manage, n, rows, prefix)
    return PgEnv(manage, n, rows, prefix)


def assert_no_secret(text, where):
    """Fails (returns a problem) when the PostgreSQL or MariaDB password shows in `text`."""
    if SECRET in text:
        line = next(l for l in text.splitlines() if SECRET in l)
        return ["secret %s printed in %s: %s" % (SECRET, where, line[:300])]
    return []
