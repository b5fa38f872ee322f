#!/usr/bin/env bash
# migratealltenants --parallel N / --max-connections-per-server M against a
# real PostgreSQL server (TENANT_MIGRATOR_TEST_PG; skipped, exit 77, without
# it): 60 schema tenants, one failing in the middle, migrated one at a time
# and with 4 workers give the same histories and summary, and each tenant's
# lines stay together; the connection cap holds (counted in pg_stat_activity
# by the migrations themselves and by a poller); Ctrl-C cancels every running
# statement; bad values are usage errors. No timing assertions.
# Usage: parallel.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/lib.sh"
if [ -z "${TENANT_MIGRATOR_TEST_PG:-}" ]; then
  echo "TENANT_MIGRATOR_TEST_PG is not set: skipped"; exit 77
fi
pg_scratch tm_par || exit 1
trap 'pg_drop_scratch; rm -rf "$work"' EXIT
export PGOPTIONS="-c client_min_messages=warning"
export TENANT_MIGRATOR_MIGRATIONS="$work/migrations"
unset TENANT_MIGRATOR_MASTER
mkdir -p "$work/migrations/users" "$work/migrations/products"
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n' >"$work/migrations/users/0001_initial.sql"
printf 'CREATE UNIQUE INDEX users_email ON users (email);\n' >"$work/migrations/users/0002_email.sql"
printf -- '-- depends: users/0001_initial\nCREATE TABLE products (id INTEGER PRIMARY KEY);\nCREATE TABLE product_tags (product_id INTEGER);\n' \
  >"$work/migrations/products/0001_initial.sql"

# A master database (a scratch database "${db}_NAME") with COUNT schema tenants t001..; t030 fails on products/0001.
make_master() {
  local name=$1 count=$2 url="$server/${db}_$1"
  psql -q "$TENANT_MIGRATOR_TEST_PG" -c "CREATE DATABASE ${db}_$name" || return 1
  "$manage" createtenant --master "$url" --tenant-id=t001 --name=t001 --isolation=schema --no-migrate >/dev/null || return 1
  psql -q "$url" -c "INSERT INTO tenant_migrator_tenants
      SELECT 't' || lpad(i::text, 3, '0'), 'Tenant ' || i, 'schema', 't' || lpad(i::text, 3, '0'), 'active', '2026-01-01T00:00:00Z'
      FROM generate_series(2, $count) i" \
    -c "DO \$\$ BEGIN FOR i IN 2..$count LOOP EXECUTE format('CREATE SCHEMA %I', 't' || lpad(i::text, 3, '0')); END LOOP; END \$\$" || return 1
  if [ "$count" -ge 30 ]; then psql -q "$url" -c "CREATE TABLE t030.product_tags (x INTEGER)"; fi
}
histories() {
  # One row per history row of every schema, sorted: schema app/name checksum.
  psql -tA "$server/${db}_$1" -c "DO \$\$ DECLARE s text; BEGIN
      CREATE TEMP TABLE all_history (schema text, migration text, checksum text);
      FOR s IN SELECT table_schema FROM information_schema.tables WHERE table_name = 'tenant_migrator_history' LOOP
        EXECUTE format('INSERT INTO all_history SELECT %L, app || ''/'' || name, checksum FROM %I.tenant_migrator_history', s, s);
      END LOOP; END \$\$;
      SELECT schema || ' ' || migration || ' ' || checksum FROM all_history ORDER BY 1;"
}

# --- bad values: usage errors naming the value -------------------------------------
make_master seq 60 || exit 1
make_master par 60 || exit 1
export TENANT_MIGRATOR_MASTER="$server/${db}_par"
expect_status "--parallel 0" 2 "$manage" migratealltenants --parallel 0
expect_output "0 named" "error: --parallel: bad value '0' (a whole number from 1 to 64)"
expect_status "--parallel abc" 2 "$manage" migratealltenants --parallel abc
expect_output "abc named" "--parallel: bad value 'abc'"
expect_status "--parallel 65" 2 "$manage" migratealltenants --parallel 65
expect_status "--max-connections-per-server 0" 2 "$manage" migratealltenants --parallel 2 --max-connections-per-server 0
expect_output "cap value named" "error: --max-connections-per-server: bad value '0' (a whole number from 1 to 1000)"
expect_status "reuse above the cap" 2 "$manage" migratealltenants --parallel 8 --connection reuse
expect_output "reuse refused, said why" "--connection reuse keeps one connection per worker open: --parallel 8 needs --max-connections-per-server 8 or more (it is 4)"
check "nothing migrated by refused runs" 0 "$(psql -tA "$TENANT_MIGRATOR_MASTER" -c "SELECT count(*) FROM information_schema.tables WHERE table_name = 'tenant_migrator_history'")"
expect_status "--plan with --parallel" 0 "$manage" migratealltenants --plan --parallel 4
expect_output "plan printed" "Planned operations for tenant 't060':"

# --- 60 tenants, t030 failing: one at a time and with 4 workers ----------------------
expect_status "sequential run" 1 "$manage" migratealltenants --master "$server/${db}_seq"
cp "$work/out" "$work/sequential.txt"
expect_status "--parallel 4 run" 1 "$manage" migratealltenants --parallel 4
cp "$work/out" "$work/parallel.txt"
expect_output "t030 failure reported" "✗ ERROR Migrations failed for tenant 't030': products/0001_initial.sql:"
expect_output "summary" "  Total: 60 tenants, 59 succeeded, 1 failed"
check "same histories" "$(histories seq)" "$(histories par)"
check "179 history rows (t030: 2 of 3)" 179 "$(histories par | wc -l)"
summary() { sed -n '/^Migration Summary:/,$p' "$1"; }
check "same summary, in the run's order" "$(summary "$work/sequential.txt")" "$(summary "$work/parallel.txt")"
# Each tenant's block ("Migrating tenant: X" to its blank line) is whole and the same as sequentially.
blocks() {
  python3 - "$1" <<'PY'
import sys
blocks, current, lines = {}, None, []
for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if line.startswith("Migrating tenant: "):
        if current is not None: sys.exit(f"{line[18:]} starts inside {current}'s block")
        current, lines = line[18:], [line]
    elif current is not None:
        if ("enant '" in line) and f"'{current}'" not in line: sys.exit(f"in {current}'s block: {line}")
        lines.append(line)
        if line == "":
            if current in blocks: sys.exit(f"{current} has two blocks")
            blocks[current] = "\n".join(lines); current = None
for t in sorted(blocks): print(blocks[t])
print(len(blocks), "blocks")
PY
}
check "each tenant's lines together, as sequentially" "$(blocks "$work/sequential.txt")" "$(blocks "$work/parallel.txt")"
blocks "$work/parallel.txt" | tail -1 | grep -qx "60 blocks" && pass "60 blocks" || fail "not 60 blocks: $(blocks "$work/parallel.txt" | tail -1)"

# JSON: a rerun with 4 workers: one tenant_finished line per tenant, counts in run_finished.
psql -q "$TENANT_MIGRATOR_MASTER" -c "DROP TABLE t030.product_tags"
expect_status "json rerun" 0 "$manage" migratealltenants --parallel 4 --format json
check "json: every tenant finished once" "$(seq -f 't%03g' 1 60 | paste -sd,)" \
  "$(grep '"event":"tenant_finished"' "$work/out" | python3 -c 'import json,sys; print(",".join(sorted(json.loads(l)["tenant"] for l in sys.stdin)))')"
check "t030 finished" "migrated 2" \
  "$(grep '"event":"tenant_finished"' "$work/out" | python3 -c 'import json,sys; r=[json.loads(l) for l in sys.stdin if "\"t030\"" in l][0]; print(r["outcome"], r["applied"])')"
check "json: run_finished counts" "1 59" \
  "$(grep '"event":"run_finished"' "$work/out" | python3 -c 'import json,sys; o=json.load(sys.stdin)["outcomes"]; print(o["migrated"], o["up_to_date"])')"

# --- the cap: 8 workers, at most 3 connections to the server (plus the master's two: registry, run ledger) ---
make_master cap 16 || exit 1
export TENANT_MIGRATOR_MASTER="$server/${db}_cap"
psql -q "$TENANT_MIGRATOR_MASTER" -c "CREATE TABLE public.seen (connections bigint)" -c "GRANT ALL ON public.seen TO PUBLIC"
mkdir -p "$work/cap/app"
# Each migration counts the run's connections at the moment it runs (application_name tenant_migrator).
printf "INSERT INTO public.seen SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tenant_migrator' AND datname = current_database();\nSELECT pg_sleep(0.2);\n" \
  >"$work/cap/app/0001_slow.sql"
"$manage" migratealltenants --migrations "$work/cap" --parallel 8 --max-connections-per-server 3 >"$work/cap.txt" 2>&1 &
pid=$!
most=0
while kill -0 $pid 2>/dev/null; do
  n=$(psql -tA "$TENANT_MIGRATOR_MASTER" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tenant_migrator' AND datname = current_database()")
  [ "${n:-0}" -gt "$most" ] && most=$n
  sleep 0.05
done
wait $pid; check "capped run" 0 "$?"
check "16 tenants migrated" 16 "$(psql -tA "$TENANT_MIGRATOR_MASTER" -c "SELECT count(*) FROM public.seen")"
seen=$(psql -tA "$TENANT_MIGRATOR_MASTER" -c "SELECT max(connections) FROM public.seen")
[ "$seen" -le 5 ] && pass "at most 3 + 2 connections seen by the migrations ($seen)" || fail "the migrations saw $seen connections (cap 3 + the master's 2)"
[ "$most" -le 5 ] && pass "at most 3 + 2 connections seen by the poller ($most)" || fail "the poller saw $most connections (cap 3 + the master's 2)"

# --- Ctrl-C with 4 workers: every running statement is cancelled -------------------
printf 'SELECT pg_sleep(60);\n' >"$work/cap/app/0002_long.sql"
"$manage" migratealltenants --migrations "$work/cap" --parallel 4 --max-connections-per-server 4 >"$work/out" 2>&1 &
pid=$!
# Signalled once the server runs four of them, so that each cancel has a statement to stop
# (a migration's text starts with the BEGIN sent with it).
for _ in $(seq 300); do
  [ "$(psql -tA "$TENANT_MIGRATOR_MASTER" -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'BEGIN;SELECT pg_sleep(60)%' AND state = 'active'")" = 4 ] && break
  sleep 0.1
done
kill -INT $pid
wait $pid; status=$?
check "Ctrl-C exit status" 130 "$status"
expect_output "four tenants interrupted" "Total: 16 tenants, 0 succeeded, 4 failed"
expect_output "the rest not processed" "  12 not processed (interrupted)"
check "four interrupted" 4 "$(grep -c ' - interrupted$' "$work/out")"
check "0002 recorded nowhere" "" "$(histories cap | grep 0002_long)"

finish
