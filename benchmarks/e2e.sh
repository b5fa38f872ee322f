#!/usr/bin/env bash
# End-to-end benchmarks: `manage` against the floor — the same work done by
# `psql` or the `sqlite3` shell with no bookkeeping — at several tenant counts,
# each pair timed in the same run (interleaved), on throwaway PostgreSQL
# clusters the script starts itself (one per fsync setting).
#
#   bash benchmarks/e2e.sh [--sizes "100 1000 10000"] [--apply-sizes "100 1000"]
#                          [--database-sizes "100 1000"] [--backends "pg-schema pg-database sqlite"]
#                          [--fsync "off on"] [--repeat 3] [--long-tenants 10] [--long-migrations 500]
#                          [--out DIR] [--manage PATH] [--shared-buffers SIZE]
#
# --sizes: tenant counts of the no-op scenarios (every tenant up to date);
# --apply-sizes: of the scenarios that apply five migrations to empty tenants;
# --database-sizes caps both for PostgreSQL database tenants (a database each);
# --shared-buffers: the clusters' shared_buffers (e.g. 1GB; default the server's, 128MB).
# Writes DIR/results.tsv (one row per figure, for benchmarks/plot.sh) and
# DIR/results.md (a Markdown table); prints the table. Ratios = manage / floor,
# medians of --repeat runs. No timing is asserted: tests/CMakeLists.txt runs it
# at N=10 on SQLite only so that it keeps working (benchmarks_smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="100 1000 10000" apply_sizes="100 1000" database_sizes="100 1000"
backends="pg-schema pg-database sqlite" fsyncs="off on" repeat=3
long_tenants=10 long_migrations=500 out=build/benchmarks manage=$PWD/build/examples/manage shared_buffers=
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --apply-sizes) apply_sizes=$2; shift 2 ;;
    --database-sizes) database_sizes=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --fsync) fsyncs=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --long-tenants) long_tenants=$2; shift 2 ;;
    --long-migrations) long_migrations=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --manage) manage=$2; shift 2 ;;
    --shared-buffers) shared_buffers=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$manage" ] || { echo "build manage first: bash scripts/build.sh (or pass --manage PATH)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
clusters=()
cleanup() {
  for d in "${clusters[@]}"; do bash scripts/pg-cluster.sh stop "$d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export PGOPTIONS="-c client_min_messages=warning"
tsv=$out/results.tsv
printf 'backend\tscenario\tfsync\ttenants\tfloor\tfloor_s\tmanage\tmanage_s\tratio\tmanage_max_rss_kib\n' >"$tsv"

# Five typical migrations: tables, an index, a column, a view.
mig=$work/migrations
mkdir -p "$mig/users" "$mig/products"
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT);\n' >"$mig/users/0001_initial.sql"
printf 'CREATE UNIQUE INDEX users_email ON users (email);\n' >"$mig/users/0002_alter_user_email.sql"
printf 'ALTER TABLE users ADD COLUMN phone TEXT;\n' >"$mig/users/0003_add_phone.sql"
printf -- '-- depends: users/0001_initial\nCREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner_id INTEGER REFERENCES users (id));\nCREATE INDEX products_owner ON products (owner_id);\n' >"$mig/products/0001_initial.sql"
printf 'CREATE VIEW product_owners AS SELECT p.name, u.username FROM products p JOIN users u ON u.id = p.owner_id;\n' >"$mig/products/0002_owner_view.sql"
order="users/0001_initial users/0002_alter_user_email users/0003_add_phone products/0001_initial products/0002_owner_view"
# Each migration in its own transaction, as manage runs them.
five_sql=$work/five.sql
for m in $order; do echo "BEGIN;"; cat "$mig/$m.sql"; echo "COMMIT;"; done >"$five_sql"
# A long history: $long_migrations small migrations in one app.
long=$work/long
mkdir -p "$long/app"
for i in $(seq 1 "$long_migrations"); do
  printf 'CREATE TABLE t%d (id INTEGER PRIMARY KEY, v TEXT);\n' "$i" >"$long/app/$(printf %04d "$i")_t$i.sql"
done
long_sql=$work/long.sql
for f in "$long"/app/*.sql; do echo "BEGIN;"; cat "$f"; echo "COMMIT;"; done >"$long_sql"
history_select="SELECT app, name, checksum, applied_at, duration_ms FROM tenant_migrator_history ORDER BY applied_at, app, name;"
registry="CREATE TABLE tenant_migrator_tenants (tenant_id TEXT PRIMARY KEY, name TEXT NOT NULL, isolation TEXT NOT NULL, location TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);"

now() { date +%s.%N; }
declare -A floor_cache
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed LOG COMMAND...: runs it, prints its wall time in seconds; its output goes to LOG.
timed() {
  local log=$1; shift
  local t0; t0=$(now)
  "$@" >"$log" 2>&1 || { echo "failed: $*" >&2; tail -5 "$log" >&2; exit 1; }
  echo "$(now) - $t0" | bc -l
}
# record BACKEND SCENARIO FSYNC N SETUP FLOOR_NAME FLOOR_FN MANAGE_NAME MANAGE_ARGS [CHECK_FN]:
# median wall times of FLOOR_FN and `manage MANAGE_ARGS` (interleaved, SETUP before
# each run when it is not ":"), manage's peak RSS, one row in results.tsv. CHECK_FN
# reads manage's output ($work/manage.out) and fails when the run did not do its job.
record() {
  local backend=$1 scenario=$2 fsync=$3 n=$4 setup=$5 floor_name=$6 floor_fn=$7 manage_name=$8 manage_args=$9
  local check=${10:-:} floor_times=() manage_times=() rss=0 key="$backend $scenario $fsync $n"
  for _ in $(seq "$repeat"); do
    $setup
    # Read-only scenarios share the floor's times: the first figure of each size measures it.
    if [ "$setup" != : ] || [ -z "${floor_cache[$key]:-}" ]; then floor_times+=("$(timed "$work/floor.out" $floor_fn)"); fi
    $setup
    # shellcheck disable=SC2086 # MANAGE_ARGS: words without spaces (temporary paths, URLs)
    manage_times+=("$(timed "$work/manage.out" /usr/bin/time -f 'max_rss_kib %M' -o "$work/rss" "$manage" $manage_args)")
    $check "$n"
    local r; r=$(awk '/max_rss_kib/ {print $2}' "$work/rss")
    [ "$r" -gt "$rss" ] && rss=$r
  done
  local f m
  if [ ${#floor_times[@]} -gt 0 ]; then f=$(printf '%s\n' "${floor_times[@]}" | median); else f=${floor_cache[$key]}; fi
  [ "$setup" != : ] || floor_cache[$key]=$f
  m=$(printf '%s\n' "${manage_times[@]}" | median)
  printf '%s\t%s\t%s\t%s\t%s\t%.3f\t%s\t%.3f\t%.2f\t%s\n' "$backend" "$scenario" "$fsync" "$n" "$floor_name" "$f" \
    "$manage_name" "$m" "$(echo "$m / $f" | bc -l)" "$rss" >>"$tsv"
  printf '%-11s %-6s fsync=%-3s %6s tenants: %-40s %8.3f s  %-45s %8.3f s  %.2fx  %s KiB\n' "$backend" "$scenario" \
    "$fsync" "$n" "$floor_name" "$f" "$manage_name" "$m" "$(echo "$m / $f" | bc -l)" "$rss" >&2
}
expect_total() { tr -d , <"$work/manage.out" | grep -q "Total: $1 tenants migrated" || { echo "manage did not cover $1 tenants:" >&2; tail -5 "$work/manage.out" >&2; exit 1; }; }
expect_none_pending() {
  local lines; lines=$(grep -c 'up to date\|0 pending' "$work/manage.out" || true)
  [ "$lines" -ge "$1" ] || { echo "showmigrations --pending listed $lines of $1 tenants up to date" >&2; exit 1; }
}
le() { [ "$1" -le "$2" ]; }

# ------------------------------------------------------------------ PostgreSQL
pg_start() {  # pg_start FSYNC: a fresh cluster; sets $server (URL without the database)
  local dir; dir=$(mktemp -d /tmp/tm-bench-pg.XXXXXX)
  clusters+=("$dir")
  server=$(PG_CLUSTER_FSYNC=$1 PG_CLUSTER_SHARED_BUFFERS=$shared_buffers bash scripts/pg-cluster.sh start "$dir")
  server=${server%/*}
}
psql_q() { psql -q -v ON_ERROR_STOP=1 -X "$@"; }
fresh_bench() {  # an empty master database `bench` with the registry
  psql_q "$server/postgres" -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench" >/dev/null
  psql_q "$server/bench" -c "$registry" >/dev/null
}
register() {  # register PREFIX ISOLATION N: tenants PREFIX000001.. with location = their id
  psql_q "$server/bench" -c "INSERT INTO tenant_migrator_tenants SELECT '$1' || lpad(i::text, 6, '0'), '$1 ' || i, '$2',
    '$1' || lpad(i::text, 6, '0'), 'active', '2026-01-01T00:00:00Z' FROM generate_series(1, $3) i" >/dev/null
}
names() { for i in $(seq 1 "$2"); do printf '%s%06d\n' "$1" "$i"; done; }
# create_schemas PREFIX N [HISTORY]: N schemas, 1,000 per transaction; with HISTORY,
# each gets a copy of tmpl's history table (an up-to-date tenant, as far as manage can tell).
create_schemas() {
  local first
  for ((first = 1; first <= $2; first += 1000)); do
    local last=$((first + 999 > $2 ? $2 : first + 999))
    psql_q "$server/bench" -c "DO \$\$ DECLARE s TEXT; BEGIN FOR i IN $first..$last LOOP
      s := '$1' || lpad(i::text, 6, '0');
      EXECUTE format('CREATE SCHEMA %I', s);
      IF ${3:-false} THEN
        EXECUTE format('CREATE TABLE %I.tenant_migrator_history (LIKE tmpl.tenant_migrator_history INCLUDING ALL)', s);
        EXECUTE format('INSERT INTO %I.tenant_migrator_history SELECT * FROM tmpl.tenant_migrator_history', s);
      END IF;
    END LOOP; END \$\$" >/dev/null
  done
}
migrate_template_schema() {  # schema tmpl, migrated by manage, not in the registry
  psql_q "$server/bench" -c "CREATE SCHEMA tmpl" -c "INSERT INTO tenant_migrator_tenants VALUES ('tmpl', 'tmpl', 'schema', 'tmpl', 'active', '2026-01-01T00:00:00Z')" >/dev/null
  "$manage" migratealltenants --master "$server/bench" --migrations "$1" >/dev/null
  psql_q "$server/bench" -c "DELETE FROM tenant_migrator_tenants WHERE tenant_id = 'tmpl'" >/dev/null
}

pg_schema_noop() {  # N up-to-date schema tenants
  local n=$1
  fresh_bench
  migrate_template_schema "$mig"
  register n schema "$n"
  create_schemas n "$n" true
  names n "$n" | sed "s/.*/SELECT app, name, checksum, applied_at, duration_ms FROM &.tenant_migrator_history ORDER BY applied_at, app, name;/" >"$work/noop.sql"
  floor() { psql_q -At -o /dev/null "$server/bench" -f "$work/noop.sql"; }
  local f="psql, one session, a history read per schema" common="--master $server/bench --migrations $mig"
  record pg-schema noop off "$n" : "$f" floor "migratealltenants" "migratealltenants $common" expect_total
  record pg-schema noop off "$n" : "$f" floor "migratealltenants --plan" "migratealltenants $common --plan"
  record pg-schema noop off "$n" : "$f" floor "showmigrations --pending" "showmigrations $common --pending" \
    expect_none_pending
  record pg-schema noop off "$n" : "$f" floor "showmigrations" "showmigrations $common"
}

# The floor plus the statements manage adds per tenant (seen in the server's
# log with log_statement = all): session reset, schema check, advisory lock,
# the history table (created with the first migration) and a history row per
# migration, in the migration's transaction.
with_history() {  # with_history SCHEMA
  local s=$1 first=1 m
  echo "DISCARD ALL; SET client_min_messages = warning; SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = '$s';"
  echo "SET search_path TO $s; SELECT pg_catalog.pg_try_advisory_lock(hashtext('$s'));"
  for m in $order; do
    echo "BEGIN;"
    [ $first = 1 ] && echo "CREATE TABLE IF NOT EXISTS $s.tenant_migrator_history (app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL, duration_ms INTEGER NOT NULL, PRIMARY KEY (app, name));"
    first=0
    cat "$mig/$m.sql"
    echo "INSERT INTO $s.tenant_migrator_history VALUES ('${m%/*}', '${m#*/}', '$(sha256sum <"$mig/$m.sql" | cut -c1-64)', '2026-12-01T00:00:00.000Z', 1);"
    echo "COMMIT;"
  done
  echo "SELECT pg_catalog.pg_advisory_unlock(hashtext('$s'));"
}

pg_schema_apply() {  # five migrations applied to N empty schema tenants
  local n=$1 fsync=$2
  names t "$n" | while read -r s; do echo "SET search_path TO $s;"; cat "$five_sql"; done >"$work/apply.sql"
  names t "$n" | while read -r s; do with_history "$s"; done >"$work/apply_history.sql"
  setup() { fresh_bench; register t schema "$n"; create_schemas t "$n"; }
  floor() { psql_q "$server/bench" -f "$work/apply.sql"; }
  floor_history() { psql_q "$server/bench" -f "$work/apply_history.sql"; }
  local f="psql, one session" common="migratealltenants --master $server/bench --migrations $mig"
  record pg-schema apply "$fsync" "$n" setup "$f" floor "migratealltenants --connection reuse" \
    "$common --connection reuse" expect_total
  record pg-schema apply "$fsync" "$n" setup "psql, one session, with manage's history statements" floor_history \
    "migratealltenants --connection reuse" "$common --connection reuse" expect_total
  record pg-schema apply "$fsync" "$n" setup "$f" floor "migratealltenants --connection fresh" \
    "$common --connection fresh" expect_total
}

create_databases() {  # create_databases PREFIX N [TEMPLATE]
  names "$1" "$2" | sed "s/.*/CREATE DATABASE & ${3:+TEMPLATE $3};/" | psql_q "$server/postgres" >/dev/null
}
drop_databases() {
  psql_q -At "$server/postgres" -c "SELECT format('DROP DATABASE %I;', datname) FROM pg_database WHERE datname LIKE '$1%'" |
    psql_q "$server/postgres" >/dev/null
}
pg_database_noop() {  # N up-to-date database tenants (copies of a migrated template database)
  local n=$1
  fresh_bench
  drop_databases d
  psql_q "$server/postgres" -c "DROP DATABASE IF EXISTS dtmpl" -c "CREATE DATABASE dtmpl" >/dev/null
  psql_q "$server/bench" -c "INSERT INTO tenant_migrator_tenants VALUES ('dtmpl', 'dtmpl', 'database', 'dtmpl', 'active', '2026-01-01T00:00:00Z')" >/dev/null
  "$manage" migratealltenants --master "$server/bench" --migrations "$mig" >/dev/null
  psql_q "$server/bench" -c "DELETE FROM tenant_migrator_tenants WHERE tenant_id = 'dtmpl'" >/dev/null
  create_databases d "$n" dtmpl
  register d database "$n"
  names d "$n" | while read -r d; do echo "\\c $d"; echo "$history_select"; done >"$work/dnoop.sql"
  floor() { psql_q -At -o /dev/null "$server/postgres" -f "$work/dnoop.sql"; }
  record pg-database noop off "$n" : "psql, one process, \\c and a history read per database" floor \
    "migratealltenants" "migratealltenants --master $server/bench --migrations $mig" expect_total
}

pg_database_apply() {  # five migrations applied to N empty database tenants
  local n=$1 fsync=$2
  fresh_bench
  drop_databases d
  create_databases d "$n"
  register d database "$n"
  names d "$n" | while read -r d; do echo "\\c $d"; cat "$five_sql"; done >"$work/dapply.sql"
  names d "$n" | while read -r d; do echo "\\c $d"; echo "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"; done >"$work/dreset.sql"
  setup() { psql_q "$server/postgres" -f "$work/dreset.sql" >/dev/null; }
  floor() { psql_q "$server/postgres" -f "$work/dapply.sql"; }
  record pg-database apply "$fsync" "$n" setup "psql, one process, \\c per database" floor "migratealltenants" \
    "migratealltenants --master $server/bench --migrations $mig" expect_total
}

# ---------------------------------------------------------------------- SQLite
sq=$work/sqlite
sqlite_registry() {  # sqlite_registry N: master.db listing s000001.db..
  rm -rf "$sq" && mkdir -p "$sq"
  sqlite3 "$sq/master.db" "$registry
    WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $1)
    INSERT INTO tenant_migrator_tenants SELECT printf('s%06d', n), 's ' || n, 'database', printf('s%06d.db', n),
      'active', '2026-01-01T00:00:00Z' FROM i;"
}
copy_to_tenants() { names s "$2" | while read -r s; do cp "$1" "$sq/$s.db"; done; }
sqlite_noop() {
  local n=$1
  sqlite_registry "$n"
  mkdir -p "$work/tmpl" && rm -f "$work/tmpl/"*
  sqlite3 "$work/tmpl/master.db" "$registry INSERT INTO tenant_migrator_tenants VALUES ('t', 't', 'database', 't.db', 'active', '2026-01-01T00:00:00Z');"
  sqlite3 "$work/tmpl/t.db" "PRAGMA user_version = 0;"
  "$manage" migratealltenants --master "sqlite:$work/tmpl/master.db" --migrations "$mig" >/dev/null
  copy_to_tenants "$work/tmpl/t.db" "$n"
  names s "$n" | while read -r s; do echo ".open $sq/$s.db"; echo "$history_select"; done >"$work/snoop.sql"
  floor() { sqlite3 -bail "$work/empty.db" <"$work/snoop.sql" >/dev/null; }
  record sqlite noop - "$n" : "sqlite3, one shell, .open and a history read per file" floor "migratealltenants" \
    "migratealltenants --master sqlite:$sq/master.db --migrations $mig" expect_total
}
sqlite_apply() {  # sqlite_apply SCENARIO MIGRATIONS SCRIPT N
  local scenario=$1 set=$2 script=$3 n=$4
  sqlite3 "$work/empty_tenant.db" "PRAGMA user_version = 0;"
  names s "$n" | while read -r s; do echo ".open $sq/$s.db"; cat "$script"; done >"$work/sapply.sql"
  setup() { sqlite_registry "$n"; copy_to_tenants "$work/empty_tenant.db" "$n"; }
  floor() { sqlite3 -bail "$work/empty.db" <"$work/sapply.sql"; }
  record sqlite "$scenario" - "$n" setup "sqlite3, one shell, .open per file" floor "migratealltenants" \
    "migratealltenants --master sqlite:$sq/master.db --migrations $set" expect_total
}

for backend in $backends; do
  case $backend in
    pg-schema)
      pg_start off
      for n in $sizes; do pg_schema_noop "$n"; done
      for fsync in $fsyncs; do
        [ "$fsync" = off ] || pg_start "$fsync"
        for n in $apply_sizes; do pg_schema_apply "$n" "$fsync"; done
      done ;;
    pg-database)
      pg_start off
      for n in $sizes; do case " $database_sizes " in *" $n "*) pg_database_noop "$n" ;; esac; done
      for fsync in $fsyncs; do
        [ "$fsync" = off ] || pg_start "$fsync"
        for n in $apply_sizes; do case " $database_sizes " in *" $n "*) pg_database_apply "$n" "$fsync" ;; esac; done
      done ;;
    sqlite)
      for n in $sizes; do sqlite_noop "$n"; done
      for n in $apply_sizes; do sqlite_apply apply "$mig" "$five_sql" "$n"; done
      sqlite_apply "long" "$long" "$long_sql" "$long_tenants" ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
  # Each backend's clusters go before the next one starts.
  for d in "${clusters[@]}"; do bash scripts/pg-cluster.sh stop "$d" >/dev/null 2>&1 || true; done
  clusters=()
done

{
  echo "| Backend | Scenario | fsync | Tenants | Floor | s | manage | s | ratio | peak RSS MiB |"
  echo "|---|---|---|---:|---|---:|---|---:|---:|---:|"
  tail -n +2 "$tsv" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 / 1024}'
  echo
  echo "Medians of $repeat runs, floor and manage interleaved; ratio = manage / floor (below 1: faster than the floor)."
} | tee "$out/results.md"
