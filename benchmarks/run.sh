#!/usr/bin/env bash
# Benchmarks: manage against the raw-SQL floor (psql / sqlite3 running the same
# migrations), on the same machine in the same run. Prints a Markdown table of
# medians and ratios (docs/benchmarks.md records one run).
#
#   bash benchmarks/run.sh [--tenants N] [--noop-tenants M] [--repeat R]
#
# Uses build/examples/manage (build it first: bash scripts/build.sh) and a
# throwaway PostgreSQL cluster of its own (scripts/pg-cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tenants=200 noop_tenants=1000 repeat=3
while [ $# -gt 0 ]; do
  case $1 in
    --tenants) tenants=$2; shift 2 ;;
    --noop-tenants) noop_tenants=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
manage=$PWD/build/examples/manage
[ -x "$manage" ] || { echo "build manage first: bash scripts/build.sh" >&2; exit 2; }
work=$(mktemp -d)
pg_dir=$(mktemp -d)
trap 'bash scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
server=$(bash scripts/pg-cluster.sh start "$pg_dir")
server=${server%/*}
export PGOPTIONS="-c client_min_messages=warning"

# Five typical migrations: tables, an index, a column, a view, a function.
mig=$work/migrations
mkdir -p "$mig/users" "$mig/products"
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT);\n' >"$mig/users/0001_initial.sql"
printf 'CREATE UNIQUE INDEX users_email ON users (email);\n' >"$mig/users/0002_alter_user_email.sql"
printf 'ALTER TABLE users ADD COLUMN phone TEXT;\n' >"$mig/users/0003_add_phone.sql"
printf -- '-- depends: users/0001_initial\nCREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner_id INTEGER REFERENCES users (id));\nCREATE INDEX products_owner ON products (owner_id);\n' >"$mig/products/0001_initial.sql"
printf 'CREATE VIEW product_owners AS SELECT p.name, u.username FROM products p JOIN users u ON u.id = p.owner_id;\n' >"$mig/products/0002_owner_view.sql"
order="users/0001_initial users/0002_alter_user_email users/0003_add_phone products/0001_initial products/0002_owner_view"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A result
# measure NAME SETUP_FUNCTION RUN_FUNCTION: median wall time of RUN over $repeat fresh setups.
measure() {
  local name=$1 setup=$2 run=$3 times=()
  for _ in $(seq "$repeat"); do
    $setup
    local t0; t0=$(now)
    $run >"$work/last.out" 2>&1 || { echo "$name failed:" >&2; tail -5 "$work/last.out" >&2; exit 1; }
    times+=("$(echo "$(now) - $t0" | bc -l)")
  done
  result[$name]=$(printf '%s\n' "${times[@]}" | median)
}

# --- PostgreSQL, schema per tenant: apply 5 migrations to N schemas ----------------
registry="CREATE TABLE tenant_migrator_tenants (tenant_id TEXT PRIMARY KEY, name TEXT NOT NULL, isolation TEXT NOT NULL, location TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);"
# schema_master PREFIX COUNT: a fresh database `bench` whose registry lists COUNT empty schema tenants.
schema_master() {
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
  {
    echo "$registry"
    for i in $(seq -w 1 "$2"); do
      echo "CREATE SCHEMA $1$i; INSERT INTO tenant_migrator_tenants VALUES ('$1$i', '$1 $i', 'schema', '$1$i', 'active', '2026-01-01T00:00:00Z');"
    done
  } | psql -q "$server/bench" >/dev/null
}
pg_setup() { schema_master t "$tenants"; }
# The floor: one psql session, each migration in its own transaction, no bookkeeping.
pg_raw_sql=$work/raw.sql
for i in $(seq -w 1 "$tenants"); do
  for m in $order; do
    echo "BEGIN; SET LOCAL search_path TO t$i;"
    cat "$mig/$m.sql"
    echo "COMMIT;"
  done
done >"$pg_raw_sql"
pg_raw() { psql -q -v ON_ERROR_STOP=1 "$server/bench" -f "$pg_raw_sql"; }
pg_fresh() { "$manage" migratealltenants --master "$server/bench" --migrations "$mig" --connection fresh; }
pg_reuse() { "$manage" migratealltenants --master "$server/bench" --migrations "$mig" --connection reuse; }
measure pg_raw pg_setup pg_raw
measure pg_fresh pg_setup pg_fresh
measure pg_reuse pg_setup pg_reuse

# --- PostgreSQL: a run where M schemas are already up to date ---------------------
noop_setup_done=0
noop_setup() {
  [ $noop_setup_done = 1 ] && return
  schema_master n "$noop_tenants"
  "$manage" migratealltenants --master "$server/bench" --migrations "$mig" --connection reuse >/dev/null
  noop_setup_done=1
}
# The floor for "is every schema up to date?": one session, one history read per schema.
noop_raw_sql=$work/noop.sql
for i in $(seq -w 1 "$noop_tenants"); do echo "SELECT count(*) FROM n$i.tenant_migrator_history;"; done >"$noop_raw_sql"
noop_raw() { psql -q -v ON_ERROR_STOP=1 "$server/bench" -f "$noop_raw_sql"; }
noop_manage() { "$manage" migratealltenants --master "$server/bench" --migrations "$mig"; }
measure noop_raw noop_setup noop_raw
measure noop_manage noop_setup noop_manage
grep -q "Total: $noop_tenants tenants migrated" "$work/last.out" || { echo "no-op run did not cover every tenant" >&2; exit 1; }

# --- SQLite, database per tenant: apply 5 migrations to N files --------------------
sq=$work/sqlite
sqlite_setup() {
  rm -rf "$sq" && mkdir -p "$sq"
  {
    echo "$registry"
    for i in $(seq -w 1 "$tenants"); do
      echo "INSERT INTO tenant_migrator_tenants VALUES ('s$i', 'S $i', 'database', 's$i.db', 'active', '2026-01-01T00:00:00Z');"
    done
  } | sqlite3 "$sq/master.db"
  for i in $(seq -w 1 "$tenants"); do sqlite3 "$sq/s$i.db" "PRAGMA user_version = 0;"; done
}
sqlite_raw_sql=$work/sqlite_raw.sql
for m in $order; do echo "BEGIN;"; cat "$mig/$m.sql"; echo "COMMIT;"; done >"$sqlite_raw_sql"
# The floor: the sqlite3 shell per tenant file, each migration in its own transaction.
sqlite_raw() { for i in $(seq -w 1 "$tenants"); do sqlite3 -bail "$sq/s$i.db" <"$sqlite_raw_sql"; done; }
sqlite_manage() { "$manage" migratealltenants --master "sqlite:$sq/master.db" --migrations "$mig"; }
measure sqlite_raw sqlite_setup sqlite_raw
measure sqlite_manage sqlite_setup sqlite_manage

ratio() { echo "scale=2; ${result[$1]} / ${result[$2]}" | bc -l; }
ms() { printf '%.0f' "$(echo "${result[$1]} * 1000" | bc -l)"; }
cat <<TABLE
| Scenario | Baseline (floor) | ms | manage | ms | ratio |
|---|---|---|---|---|---|
| PostgreSQL, $tenants schemas x 5 migrations | psql, one session | $(ms pg_raw) | --connection fresh | $(ms pg_fresh) | $(ratio pg_fresh pg_raw) |
| PostgreSQL, $tenants schemas x 5 migrations | psql, one session | $(ms pg_raw) | --connection reuse | $(ms pg_reuse) | $(ratio pg_reuse pg_raw) |
| PostgreSQL, $noop_tenants up-to-date schemas | psql, one history read per schema | $(ms noop_raw) | default | $(ms noop_manage) | $(ratio noop_manage noop_raw) |
| SQLite, $tenants database files x 5 migrations | sqlite3 shell per file | $(ms sqlite_raw) | default | $(ms sqlite_manage) | $(ratio sqlite_manage sqlite_raw) |

Medians of $repeat runs; ratio = manage / baseline (below 1: faster than the floor).
TABLE
