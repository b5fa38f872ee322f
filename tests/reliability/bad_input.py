#!/usr/bin/env python3
"""The catalogue of bad input (issue 5, items 5 and 6).

Runs every row of bad_input.tsv (see its header): builds a fresh environment
(SQLite: a master and three database tenants; PostgreSQL: a master database
with three schema tenants, reached as role tm_user with the password SECRET in
the URL; MariaDB: a master database and three tenant databases beside it on
the server, reached as user tm_user with the password SECRET), applies the row's setup, runs the command once per format, and
checks for each run:
  - the exit status;
  - the expected message (in json/log output also after undoing their escapes);
  - exit 2: standard error is only "error: <one line>" lines (docs/exit-codes.md);
  - nothing changed: the SHA-256 of every file of the SQLite environment,
    a pg_dump (schema and data) of the whole master database, or a
    mariadb-dump of the master and tenant databases plus the server's list of
    databases, as before;
  - secrets: the password SECRET appears nowhere in stdout or stderr.

  bad_input.py --manage build/examples/manage [--only ID,...] [--verbose]

Needs TENANT_MIGRATOR_TEST_PG for the PostgreSQL rows and
TENANT_MIGRATOR_TEST_MARIADB for the MariaDB rows (scripts/test.sh exports
both; without the latter the MariaDB rows are skipped, each with a message).
"""

import argparse
import contextlib
import hashlib
import sqlite3
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]

MIGRATIONS = {
    "users/0001_initial.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
                              "CREATE INDEX users_email_idx ON users (email);\n"
                              "INSERT INTO users (id, email) VALUES (1, 'a@example.com');\n",
    "users/0002_add_name.sql": "ALTER TABLE users ADD COLUMN name TEXT;\nUPDATE users SET name = 'A';\n",
    "billing/0001_initial.sql": "-- depends: users/0001_initial\n"
                                "CREATE TABLE invoices (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n",
}
TENANTS = ["acme", "globex", "initech"]


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content.encode() if isinstance(content, str) else content)


# MariaDB keys no TEXT column without a prefix length: the same set with VARCHAR.
MARIADB_MIGRATIONS = {path: sql.replace("email TEXT", "email VARCHAR(200)") for path, sql in MIGRATIONS.items()}


class Env:
    migration_files = MIGRATIONS

    def __init__(self, manage):
        self.manage = manage
        self.work = tempfile.mkdtemp(prefix="tm_rel_bad_")
        os.chmod(self.work, 0o755)  # some rows run manage as nobody
        self.migrations = os.path.join(self.work, "migrations")
        for path, sql in self.migration_files.items():
            write(os.path.join(self.migrations, path), sql)
        self.as_user = None
        self.cleanups = []

    def create_tenants(self, isolation, location=lambda t: None):
        for t in TENANTS:
            where = ["--location", location(t)] if location(t) else []
            common.run([self.manage, "createtenant", "--master", self.master, "--migrations", self.migrations,
                        "--tenant-id", t, "--name", t.title(), "--isolation", isolation] + where)

    def close(self):
        for c in reversed(self.cleanups):
            c()
        for root, dirs, _ in os.walk(self.work):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(self.work, ignore_errors=True)


class SqliteEnv(Env):
    backend = "sqlite"

    def __init__(self, manage):
        super().__init__(manage)
        self.master = "sqlite:" + os.path.join(self.work, "master.db")
        self.create_tenants("database")

    def registry(self, sql):
        common.sqlite3_cli(os.path.join(self.work, "master.db"), sql)

    def snapshot(self):
        out = {}
        for root, _, files in os.walk(self.work):
            for f in files:
                p = os.path.join(root, f)
                if p == os.path.join(self.work, "master.db"):
                    out["master.db"] = master_without_ledger(p)
                    continue
                try:
                    with open(p, "rb") as fh:
                        out[os.path.relpath(p, self.work)] = hashlib.sha256(fh.read()).hexdigest()
                except PermissionError:
                    out[os.path.relpath(p, self.work)] = "unreadable"
        return out


# The run ledger (docs/scale-out.md) records every run, failed ones too: the
# one change to the master a run with bad input is meant to make.
LEDGER_TABLES = ("tenant_migrator_runs", "tenant_migrator_run_tenants")


def master_without_ledger(path):
    """A SQLite master's content (schema and rows) but for the run ledger."""
    try:
        with contextlib.closing(sqlite3.connect("file:%s?mode=ro" % path, uri=True)) as db:
            lines = [l for l in db.iterdump() if not any(t in l for t in LEDGER_TABLES)]
    except sqlite3.Error as e:
        return "unreadable: %s" % e
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


class PgEnv(Env):
    backend = "postgresql"

    def __init__(self, manage, server):
        super().__init__(manage)
        self.server = server
        self.db = server.create_database("tm_rel_bad")
        self.admin = server.admin_url(self.db)
        self.master = server.master_url(self.db)
        self.create_tenants("schema")

    def registry(self, sql):
        common.psql(self.admin, sql)

    def snapshot(self):
        p = common.run(["pg_dump", "--no-comments", "-d", self.admin] +
                       ["--exclude-table=" + t for t in LEDGER_TABLES])
        # pg_dump >= 15.14 opens and closes with \restrict KEY, a new random KEY each time.
        return [l for l in p.stdout.splitlines() if not l.startswith(("\\restrict ", "\\unrestrict "))]

    def close(self):
        super().close()
        self.server.drop_database(self.db)


class MariadbEnv(Env):
    backend = "mariadb"
    migration_files = MARIADB_MIGRATIONS

    def __init__(self, manage, server):
        super().__init__(manage)
        self.server = server
        self.db = server.create_database("tm_rel_bad")
        self.master = server.master_url(self.db)
        self.create_tenants("database", lambda t: "%s_%s" % (self.db, t))

    def registry(self, sql):
        common.mariadb_cli(self.server.admin, "USE %s;\n%s" % (self.db, sql))

    def snapshot(self):
        u = common.parse_mariadb_url(self.server.admin)
        dbs = [self.db] + ["%s_%s" % (self.db, t) for t in TENANTS]
        p = common.run(["mariadb-dump", "--no-defaults", "--protocol", "TCP", "--host", u["host"], "--port", u["port"],
                        "--user", u["user"] or "root", "--skip-comments", "--skip-dump-date"] +
                       ["--ignore-table=%s.%s" % (self.db, t) for t in LEDGER_TABLES] + ["--databases"] + dbs)
        databases = common.mariadb_cli(self.server.admin, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                                                          "ORDER BY 1;")
        return p.stdout.splitlines() + ["database " + r[0] for r in databases]

    def close(self):
        super().close()
        self.server.drop_databases(self.db)


def registry_row(tenant_id, isolation, location, status="active"):
    q = lambda s: "'" + s.replace("'", "''") + "'"
    return ("INSERT INTO tenant_migrator_tenants (tenant_id, name, isolation, location, status, created_at) "
            "VALUES (%s, 'Row', %s, %s, %s, '2026-01-01T00:00:00Z');\n"
            % (q(tenant_id), q(isolation), q(location), q(status)))


# --- Setups: each gets the environment, may return a reason to skip the row ---

def s_none(env):
    pass


def s_migrations_is_file(env):
    shutil.rmtree(env.migrations)
    write(env.migrations, "not a folder\n")


def s_migrations_unreadable(env):
    # Root reads anything: the command runs as nobody, who cannot read a 000 folder.
    os.chmod(env.migrations, 0)
    env.as_user = "nobody"


def s_file_unreadable(env):
    path = os.path.join(env.migrations, "users/0003_locked.sql")
    write(path, "SELECT 1;\n")
    os.chmod(path, 0)
    for root, dirs, files in os.walk(env.migrations):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            if f != "0003_locked.sql":
                os.chmod(os.path.join(root, f), 0o644)
    env.as_user = "nobody"


def s_empty_file(env):
    write(os.path.join(env.migrations, "users/0003_empty.sql"), "")


def s_comments_only_file(env):
    write(os.path.join(env.migrations, "users/0003_comments.sql"), "-- TODO: write this migration\n\n-- later\n")


def s_badly_named_file(env):
    write(os.path.join(env.migrations, "users/3_add_phone.sql"), "ALTER TABLE users ADD COLUMN phone TEXT;\n")


def s_badly_named_slug(env):
    write(os.path.join(env.migrations, "users/0003_Add-Phone.sql"), "ALTER TABLE users ADD COLUMN phone TEXT;\n")


def s_bad_app_folder(env):
    write(os.path.join(env.migrations, "Billing2-/0001_initial.sql"), "SELECT 1;\n")


def s_sql_outside_app(env):
    write(os.path.join(env.migrations, "0003_stray.sql"), "SELECT 1;\n")


def s_duplicate_number(env):
    write(os.path.join(env.migrations, "users/0002_rename.sql"), "ALTER TABLE users RENAME COLUMN email TO mail;\n")


def s_two_leaves(env):
    write(os.path.join(env.migrations, "billing/0002_taxes.sql"), "ALTER TABLE invoices ADD COLUMN tax INTEGER;\n")
    write(os.path.join(env.migrations, "billing/0002_discounts.sql"),
          "ALTER TABLE invoices ADD COLUMN discount INTEGER;\n")


def s_unknown_dependency(env):
    write(os.path.join(env.migrations, "users/0003_x.sql"),
          "-- depends: billing/0009_nope\nALTER TABLE users ADD COLUMN x TEXT;\n")


def s_malformed_dependency(env):
    write(os.path.join(env.migrations, "users/0003_x.sql"),
          "-- depends: billing-0001\nALTER TABLE users ADD COLUMN x TEXT;\n")


def s_cycle(env):
    write(os.path.join(env.migrations, "users/0003_x.sql"),
          "-- depends: billing/0002_y\nALTER TABLE users ADD COLUMN x TEXT;\n")
    write(os.path.join(env.migrations, "billing/0002_y.sql"),
          "-- depends: users/0003_x\nALTER TABLE invoices ADD COLUMN y TEXT;\n")


def s_invalid_utf8(env):
    # "-- Latin-1, not UTF-8:\n" is 23 bytes, then "caf": the bad byte \xe9 is at offset 26.
    write(os.path.join(env.migrations, "users/0003_latin1.sql"),
          b"-- Latin-1, not UTF-8:\ncaf\xe9\nSELECT 1;\n")


def s_bad_transaction_header(env):
    write(os.path.join(env.migrations, "users/0003_x.sql"), "-- transaction: maybe\nSELECT 1;\n")


def s_down_without_forward(env):
    write(os.path.join(env.migrations, "users/0009_gone.down.sql"), "SELECT 1;\n")


def s_third_statement_fails(env):
    write(os.path.join(env.migrations, "users/0003_three_statements.sql"),
          "CREATE TABLE phones (id INTEGER PRIMARY KEY, number TEXT);\n"
          "INSERT INTO phones (id, number) VALUES (1, '555-0100');\n"
          "INSERT INTO no_such_table (x) VALUES (1);\n")


def s_wrong_password(env):
    """Password authentication that really fails: a pg_hba.conf line for one role only."""
    admin = env.server.admin
    hba = common.psql(admin, "SHOW hba_file;")[0][0]
    if not os.access(hba, os.W_OK):
        return "cannot edit %s (not this server's host, or not root): see master_unknown_role" % hba
    common.psql(admin, "DO $$ BEGIN CREATE ROLE tm_pwcheck LOGIN PASSWORD 'the-right-one'; "
                       "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;")
    with open(hba) as f:
        original = f.read()
    line = "host all tm_pwcheck 127.0.0.1/32 scram-sha-256\n"
    with open(hba, "w") as f:
        f.write(line + original)

    def restore():
        with open(hba) as f:
            now = f.read()
        with open(hba, "w") as f:
            f.write(now.replace(line, "", 1))
        common.psql(admin, "SELECT pg_reload_conf();")

    env.cleanups.append(restore)
    common.psql(admin, "SELECT pg_reload_conf();")
    time.sleep(0.3)
    # The right password must work, else the row would prove nothing.
    ok = common.run(["psql", "-X", "-At", "-c", "SELECT 1", "-d",
                     common.with_dbname(admin, env.db, user="tm_pwcheck", password="the-right-one")], check=False)
    if ok.returncode != 0:
        return "password authentication is not in force: " + ok.stderr.strip()


def s_master_without_registry(env):
    common.sqlite3_cli(os.path.join(env.work, "empty.db"), "CREATE TABLE something_else (x INTEGER);\n")


def s_registry_bad_status(env):
    # A registry written by another tool, without the CHECK constraints manage creates.
    env.registry("PRAGMA ignore_check_constraints = ON;\n"
                 "UPDATE tenant_migrator_tenants SET status = 'zombie' WHERE tenant_id = 'globex';\n")


def s_disabled_tenant(env):
    if env.backend == "sqlite":
        open(os.path.join(env.work, "dormant.db"), "wb").close()
        env.registry(registry_row("dormant", "database", "dormant.db", "disabled"))
    else:
        env.registry("CREATE SCHEMA dormant AUTHORIZATION %s;\n" % common.PG_ROLE +
                     registry_row("dormant", "schema", "dormant", "disabled"))


def s_injection_tenant_id(env):
    if env.backend == "sqlite":
        env.registry(registry_row("x'); DROP TABLE tenant_migrator_tenants; --", "database", "acme.db"))
    else:
        env.registry(registry_row('x"; DROP SCHEMA public CASCADE; --', "schema", "evil_schema"))


def s_injection_schema_location(env):
    env.registry(registry_row("evil", "schema", 'x"; DROP SCHEMA public CASCADE; --'))


def s_injection_database_location(env):
    env.registry(registry_row("evil", "database", 'x"; DROP DATABASE postgres; --'))


def s_injection_mariadb_tenant_id(env):
    env.registry(registry_row("x`; DROP DATABASE mysql; --", "database", env.db + "_acme"))


def s_injection_mariadb_location_backtick(env):
    env.registry(registry_row("evil", "database", "x`; DROP DATABASE mysql; --"))


def s_injection_mariadb_location_quote(env):
    env.registry(registry_row("evil", "database", "x'; DROP DATABASE mysql; --"))


def s_mariadb_location_too_long(env):
    env.registry(registry_row("long", "database", "d" * 64))


def s_mariadb_location_reserved(env):
    env.registry(registry_row("sys", "database", "mysql"))


def s_mariadb_tenant_with_password(env):
    env.registry(registry_row("remote", "database",
                              "mariadb://tm_user:%s@127.0.0.1:%d/remote" % (common.SECRET, env.vars["closed_port"])))


def s_injection_sqlite_location(env):
    env.registry(registry_row("evil", "database", 'x"; DROP TABLE tenant_migrator_tenants; --.db'))


def s_not_a_database(env):
    write(os.path.join(env.work, "globex.db"), "This is a text file, not a database.\n" * 200)


def s_tenant_file_missing(env):
    os.remove(os.path.join(env.work, "globex.db"))


def s_schema_dropped(env):
    env.registry("DROP SCHEMA globex CASCADE;\n")


def s_read_only(env):
    """Root ignores file modes: make the file immutable (chattr +i), which binds root too."""
    path = os.path.join(env.work, "globex.db")
    p = subprocess.run(["chattr", "+i", path], capture_output=True, text=True)
    if p.returncode != 0:
        return "chattr +i failed (%s): this file system has no immutable flag" % p.stderr.strip()
    env.cleanups.append(lambda: subprocess.run(["chattr", "-i", path]))
    try:
        with open(path, "ab"):
            pass
        return "chattr +i did not make the file read-only for root"
    except OSError:
        return None


def s_tenant_with_password(env):
    env.registry(registry_row("remote", "database",
                              "postgresql://tm_user:%s@127.0.0.1:%d/remote" % (common.SECRET, env.vars["closed_port"])))


SETUPS = {name[2:]: f for name, f in globals().items() if name.startswith("s_")}


def normalized(fmt, text):
    """The output, and the output with json / logfmt escapes undone, to look for a message in."""
    views = [text]
    if fmt == "json":
        strings = []

        def collect(v):
            if isinstance(v, str):
                strings.append(v)
            elif isinstance(v, dict):
                for x in v.values():
                    collect(x)
            elif isinstance(v, list):
                for x in v:
                    collect(x)
        for line in text.splitlines():
            try:
                collect(json.loads(line))
            except ValueError:
                pass
        views.append("\n".join(strings))
    if fmt == "log":
        views.append(text.replace('\\"', '"').replace("\\\\", "\\"))
    return views


def load_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = None
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            if len(cells) != len(header):
                raise SystemExit("%s: row %r has %d cells, expected %d" % (path, cells[0], len(cells), len(header)))
            rows.append(dict(zip(header, cells)))
    ids = [r["id"] for r in rows]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SystemExit("%s: duplicate ids %s" % (path, sorted(dup)))
    for r in rows:
        if r["setup"] not in SETUPS:
            raise SystemExit("%s: row %s: unknown setup %r" % (path, r["id"], r["setup"]))
    return rows


def fill(template, vars):
    for k, v in vars.items():
        template = template.replace("{" + k + "}", str(v))
    return template


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manage", required=True)
    ap.add_argument("--catalogue", default=os.path.join(HERE, "bad_input.tsv"))
    ap.add_argument("--only", default="", help="comma-separated row ids")
    ap.add_argument("--verbose", action="store_true", help="print every output")
    a = ap.parse_args()
    manage = os.path.abspath(a.manage)
    rows = load_rows(a.catalogue)
    if a.only:
        rows = [r for r in rows if r["id"] in a.only.split(",")]
    started = time.time()
    server = None
    empty_db = None
    if any(r["backend"] == "postgresql" for r in rows):
        server = common.PgServer()
        empty_db = server.create_database("tm_rel_empty")
    mariadb = None
    if any(r["backend"] == "mariadb" for r in rows) and common.mariadb_admin_url():
        mariadb = common.MariadbServer()
    passed = failed = skipped = runs = 0
    failures = []
    try:
        for row in rows:
            if row["backend"] == "mariadb" and not mariadb:
                skipped += 1
                print("skip - %s: TENANT_MIGRATOR_TEST_MARIADB is not set" % row["id"])
                continue
            if row["backend"] == "sqlite":
                env = SqliteEnv(manage)
            elif row["backend"] == "mariadb":
                env = MariadbEnv(manage, mariadb)
            else:
                env = PgEnv(manage, server)
            problems = []
            try:
                env.vars = {"work": env.work, "migrations": env.migrations, "master": env.master,
                            "closed_port": common.closed_port(), "secret": common.SECRET, "nl": "\n"}
                if server:
                    hostport = server.admin.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
                    env.vars.update({"hostport": hostport, "empty_db": empty_db})
                if row["backend"] != "sqlite":
                    env.vars["db"] = env.db
                if row["backend"] == "mariadb":
                    u = common.parse_mariadb_url(mariadb.admin)
                    env.vars["hostport"] = "%s:%s" % (u["host"], u["port"])
                reason = SETUPS[row["setup"]](env)
                if reason:
                    skipped += 1
                    print("skip - %s: %s" % (row["id"], reason))
                    continue
                args = [fill(t, env.vars) for t in shlex.split(row["command"])]
                message = [fill(m, env.vars) for m in row["message"].split(" && ")]
                want = int(row["exit"])
                before = env.snapshot()
                formats = row["formats"].split(",") if row["formats"] != "-" else [None]
                for fmt in formats:
                    cmd = [manage] + args + (["--format", fmt] if fmt else [])
                    if env.as_user:
                        cmd = AS_NOBODY + cmd
                    p = subprocess.run(cmd, capture_output=True, timeout=120)
                    runs += 1
                    out = p.stdout.decode("utf-8", "replace")
                    err = p.stderr.decode("utf-8", "replace")
                    label = "format %s" % fmt if fmt else "as written"
                    if a.verbose:
                        print("  $ %s\n%s" % (" ".join(shlex.quote(c) for c in cmd),
                                              "".join("    | " + l + "\n" for l in (out + err).splitlines())))
                    if p.returncode != want:
                        problems.append("%s: exit %d, expected %d" % (label, p.returncode, want))
                    views = normalized(fmt, out + err)
                    for m in message:
                        if not any(m in v for v in views):
                            problems.append("%s: output lacks %r" % (label, m))
                    if want == 2:
                        for line in err.splitlines():
                            if not line.startswith("error: "):
                                problems.append("%s: stderr line is not 'error: <one line>': %r" % (label, line))
                    problems += ["%s: %s" % (label, s) for s in common.assert_no_secret(out + err, "the output")]
                    if problems and not a.verbose:
                        problems.append("%s: output was:\n%s" % (label, "".join(
                            "      | " + l + "\n" for l in (out + err).splitlines()[-15:])))
                    after = env.snapshot()
                    if after != before:
                        if isinstance(before, dict):
                            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
                        else:
                            changed = [l for l in after if l not in before][:10] + \
                                      ["-" + l for l in before if l not in after][:10]
                        problems.append("%s: the environment changed: %s" % (label, changed))
                        before = after
            except Exception as e:  # a broken setup fails its row, not the whole catalogue
                problems.append("harness error: %r" % e)
            finally:
                env.close()
            if problems:
                failed += 1
                failures.append(row["id"])
                print("FAIL - %s (%s, exit %s)" % (row["id"], row["backend"], row["exit"]))
                for pr in problems:
                    print("    " + pr.rstrip("\n"))
            else:
                passed += 1
                print("ok   - %s (%s, %s, exit %s)" % (row["id"], row["backend"], row["formats"], row["exit"]))
    finally:
        if server and empty_db:
            server.drop_database(empty_db)
    print("bad-input catalogue: %d rows, %d runs of manage, %d passed, %d failed, %d skipped%s; secret %s "
          "searched in every output; %.0fs"
          % (len(rows), runs, passed, failed, skipped, (" (" + ", ".join(failures) + ")") if failures else "",
             common.SECRET, time.time() - started))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
