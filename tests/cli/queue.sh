#!/usr/bin/env bash
# The run ledger and --queue against a real PostgreSQL master (TENANT_MIGRATOR_TEST_PG):
# four --queue workers over 400 schema tenants, one of them killed with SIGKILL
# mid-run, showruns, --only-failed; then a SQLite-master queue (two workers, a
# claim of a dead worker taken over). No timing assertion: the kill waits for
# the victim's first recorded tenant, not for a fixed time.
# Usage: queue.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/lib.sh"
if [ -z "${TENANT_MIGRATOR_TEST_PG:-}" ]; then
  echo "TENANT_MIGRATOR_TEST_PG is not set: run the tests through scripts/test.sh"; exit 1
fi
pg_scratch tm_queue || exit 1
master="$server/$db"
trap 'pg_drop_scratch; rm -rf "$work"' EXIT
export TENANT_MIGRATOR_MASTER="$master" TENANT_MIGRATOR_MIGRATIONS="$work/migrations"
export PGOPTIONS="-c client_min_messages=warning"
sql() { psql -tAq "$master" -c "$1"; }
tenants=400

# 400 schema tenants: the registry table made by createtenant, the rest written in bulk.
"$manage" createtenant --tenant-id=t000 --name=T0 --isolation=schema --no-migrate >/dev/null || fail "create t000"
sql "INSERT INTO tenant_migrator_tenants SELECT 't' || lpad(i::text, 3, '0'), 'T', 'schema', 't' || lpad(i::text, 3, '0'), 'active', '2026-01-01T00:00:00Z' FROM generate_series(1, $((tenants - 1))) i"
sql "DO \$\$ BEGIN FOR i IN 1..$((tenants - 1)) LOOP EXECUTE format('CREATE SCHEMA t%s', lpad(i::text, 3, '0')); END LOOP; END \$\$"
# Slow enough (pg_sleep) that every worker gets tenants; not a timing assertion.
mkdir -p "$work/migrations/app"
printf 'CREATE TABLE items (id INTEGER PRIMARY KEY);\nSELECT pg_sleep(0.01);\n' >"$work/migrations/app/0001_items.sql"
printf 'ALTER TABLE items ADD COLUMN name TEXT;\nSELECT pg_sleep(0.01);\n' >"$work/migrations/app/0002_name.sql"

history_rows() { sql "SELECT sum(n) FROM (SELECT (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.tenant_migrator_history', nspname), false, true, '')))[1]::text::int AS n FROM pg_namespace WHERE nspname ~ '^t[0-9]{3}\$') s"; }
history_dupes() { sql "SELECT sum(n) FROM (SELECT (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) - count(DISTINCT (app, name)) AS c FROM %I.tenant_migrator_history', nspname), false, true, '')))[1]::text::int AS n FROM pg_namespace WHERE nspname ~ '^t[0-9]{3}\$') s"; }
ledger() { sql "SELECT $1 FROM tenant_migrator_run_tenants WHERE run_id = '$2' $3"; }

# --- four workers share one queue --------------------------------------------------
pids=()
for w in 1 2 3 4; do
  "$manage" migratealltenants --queue=deploy-1 --format=log >"$work/w$w" 2>&1 & pids+=($!)
done
for w in 1 2 3 4; do wait "${pids[$((w - 1))]}"; check "worker $w exit" 0 $?; done
check "every tenant has exactly its 2 history rows" $((tenants * 2)) "$(history_rows)"
check "no migration applied twice" 0 "$(history_dupes)"
check "the ledger names each tenant once" "$tenants $tenants" "$(ledger "count(*), count(DISTINCT tenant_id)" deploy-1 "" | tr '|' ' ')"
check "every tenant done and migrated" "$tenants" "$(ledger "count(*)" deploy-1 "AND state = 'done' AND outcome = 'migrated' AND applied = 2")"
for w in 1 2 3 4; do
  n=$(ledger "count(*)" deploy-1 "AND worker LIKE '%:${pids[$((w - 1))]}'")
  [ "$n" -ge 1 ] && pass "worker $w migrated $n tenant(s)" || fail "worker $w migrated none"
done
check "the queue is finished, succeeded" "succeeded" "$(sql "SELECT outcome FROM tenant_migrator_runs WHERE run_id = 'deploy-1' AND finished_at IS NOT NULL")"
expect_status "joining a finished queue" 0 "$manage" migratealltenants --queue=deploy-1
expect_output "says so" "Queue deploy-1 is finished: nothing to do."

# --- a worker killed with SIGKILL mid-run: the others finish its tenants ----------
printf 'ALTER TABLE items ADD COLUMN price INTEGER;\nSELECT pg_sleep(0.02);\n' >"$work/migrations/app/0003_price.sql"
"$manage" migratealltenants --queue=deploy-2 --format=log >"$work/victim" 2>&1 & victim=$!
# Killed once the ledger shows it has claimed and finished a tenant: it is then
# working through the queue (its next claim held in an open transaction).
for _ in $(seq 1 600); do
  [ "$(ledger "count(*)" deploy-2 "AND worker LIKE '%:$victim'" 2>/dev/null)" -ge 1 ] 2>/dev/null && break
  sleep 0.05
done
kill -9 "$victim"; wait "$victim" 2>/dev/null
by_victim=$(ledger "count(*)" deploy-2 "AND worker LIKE '%:$victim'")
[ "$by_victim" -ge 1 ] && [ "$by_victim" -lt "$tenants" ] && pass "killed mid-run after $by_victim tenant(s)" || fail "victim did $by_victim tenants"
check "the killed run is unfinished" "" "$(sql "SELECT finished_at FROM tenant_migrator_runs WHERE run_id = 'deploy-2'")"
pids=()
for w in 1 2 3; do "$manage" migratealltenants --queue=deploy-2 --format=log >"$work/s$w" 2>&1 & pids+=($!); done
for w in 1 2 3; do wait "${pids[$((w - 1))]}"; check "survivor $w exit" 0 $?; done
check "every tenant has exactly its 3 history rows" $((tenants * 3)) "$(history_rows)"
check "nothing applied twice" 0 "$(history_dupes)"
# The victim may die after its tenant's commit and before its claim's: the
# survivor that takes the tenant over then finds it up to date.
check "every tenant done once: migrated (1 applied), or up to date after the victim's commit" "$tenants" \
  "$(ledger "count(*)" deploy-2 "AND state = 'done' AND ((outcome = 'migrated' AND applied = 1) OR (outcome = 'up_to_date' AND applied = 0))")"
check "at most one found up to date (the victim's last tenant)" "t" "$(ledger "count(*) <= 1" deploy-2 "AND outcome = 'up_to_date'")"
check "the victim's tenants and the survivors' make the whole" "$tenants" \
  "$(( by_victim + $(ledger "count(*)" deploy-2 "AND worker NOT LIKE '%:$victim'") ))"
check "queue finished" "succeeded" "$(sql "SELECT outcome FROM tenant_migrator_runs WHERE run_id = 'deploy-2'")"
expect_status "a queue with another migration set" 2 env TENANT_MIGRATOR_MIGRATIONS="$work/other" sh -c \
  "mkdir -p $work/other/app && cp $work/migrations/app/0001_items.sql $work/other/app/ && \"$manage\" migratealltenants --queue=deploy-2"
expect_output "refused, named" "queue 'deploy-2' was started with another migration set"
expect_status "a bad queue id" 2 "$manage" migratealltenants --queue='x;drop'
expect_output "named" "--queue: run id 'x;drop' may contain only letters"

# --- showruns ------------------------------------------------------------------------
expect_status "showruns" 0 "$manage" showruns
expect_output "deploy-1 listed" "deploy-1"
expect_output "its results" "400 ok, 0 failed, 0 skipped, 0 not processed"
expect_status "showruns json" 0 "$manage" showruns --format=json
check "two queues, finished" "deploy-1:succeeded deploy-2:succeeded" "$(jq -r 'map(.run + ":" + .state) | join(" ")' "$work/out")"
expect_status "showruns --run" 0 "$manage" showruns --run=deploy-2 --format=json
check "400 tenant results" "$tenants" "$(jq '.tenant_results | length' "$work/out")"
expect_status "showruns --run unknown" 2 "$manage" showruns --run=nosuch
expect_output "named" "no run 'nosuch' in the run ledger"

# --- a run where every tenant is up to date: their ledger rows are written in batches
expect_status "a run over up-to-date tenants" 0 "$manage" migratealltenants --format=log
noop_run=$(sql "SELECT run_id FROM tenant_migrator_runs ORDER BY started_at DESC LIMIT 1")
check "each recorded done, up to date" "$tenants" "$(ledger "count(*)" "$noop_run" "AND state = 'done' AND outcome = 'up_to_date'")"
check "the run finished" "succeeded" "$(sql "SELECT outcome FROM tenant_migrator_runs WHERE run_id = '$noop_run'")"

# --- --only-failed reruns exactly the failed tenants -------------------------------
printf "DO \$\$ BEGIN IF current_schema() IN ('t007', 't123', 't399') THEN RAISE EXCEPTION 'boom'; END IF; END \$\$;\nCREATE TABLE extra (id INTEGER);\n" >"$work/migrations/app/0004_extra.sql"
expect_status "a run where three tenants fail" 1 "$manage" migratealltenants --connection=reuse --format=log
failing_run=$(sql "SELECT run_id FROM tenant_migrator_runs ORDER BY started_at DESC LIMIT 1")
check "recorded: three failed" "t007 t123 t399" "$(ledger "string_agg(tenant_id, ' ' ORDER BY tenant_id)" "$failing_run" "AND outcome = 'failed'")"
"$manage" migratealltenants --only-failed --plan --format=json >"$work/plan" 2>"$work/plan.err"; check "--only-failed --plan" 0 $?
check "plans exactly the failed" "t007 t123 t399" "$(jq -rs 'map(.tenant) | join(" ")' "$work/plan")"
check "says what it reruns" "Rerunning 3 tenant(s) not done in run $(sql "SELECT run_id FROM tenant_migrator_runs ORDER BY started_at DESC LIMIT 1")." "$(cat "$work/plan.err")"
printf 'CREATE TABLE extra (id INTEGER);\n' >"$work/migrations/app/0004_extra.sql"
expect_status "--only-failed" 0 "$manage" migratealltenants --only-failed
expect_output "three tenants" "Total: 3 tenants migrated"
rerun=$(sql "SELECT run_id FROM tenant_migrator_runs ORDER BY started_at DESC LIMIT 1")
check "the rerun recorded its three" "t007 t123 t399" "$(ledger "string_agg(tenant_id, ' ' ORDER BY tenant_id)" "$rerun" "AND outcome = 'migrated'")"
expect_status "--only-failed=RUN names the failing run again" 0 "$manage" migratealltenants --only-failed="$failing_run" --plan
expect_output "t123 planned again" "Planned operations for tenant 't123':"
expect_output "nothing left for it" "No planned operations."
expect_status "--only-failed of an unknown run" 2 "$manage" migratealltenants --only-failed=nosuch
expect_output "named" "no run 'nosuch' in the run ledger"

# --- a SQLite master: two workers on one host, a dead worker's claim taken over -----
export TENANT_MIGRATOR_MASTER="sqlite:$work/lite/master.db" TENANT_MIGRATOR_MIGRATIONS="$work/lite/migrations"
mkdir -p "$work/lite/migrations/app"
printf 'CREATE TABLE items (id INTEGER PRIMARY KEY);\n' >"$work/lite/migrations/app/0001_items.sql"
for i in $(seq -w 1 20); do
  "$manage" createtenant --tenant-id=s$i --name=S --isolation=database --location=s$i.db --no-migrate >/dev/null || fail "create s$i"
done
"$manage" migratealltenants --queue=lite-1 >"$work/l1" 2>&1 & a=$!
"$manage" migratealltenants --queue=lite-1 >"$work/l2" 2>&1 & b=$!
wait $a; check "sqlite worker 1" 0 $?
wait $b; check "sqlite worker 2" 0 $?
lite() { sqlite3 "$work/lite/master.db" "$1"; }
check "sqlite: each tenant done once" "20 20" "$(lite "SELECT count(*), count(DISTINCT tenant_id) FROM tenant_migrator_run_tenants WHERE run_id = 'lite-1' AND state = 'done'" | tr '|' ' ')"
rows=0; for i in $(seq -w 1 20); do rows=$((rows + $(sqlite3 "$work/lite/s$i.db" "SELECT count(*) FROM tenant_migrator_history"))); done
check "sqlite: every history row once" 20 "$rows"
# A queue whose tenant s05 was claimed by a process that is gone.
printf 'ALTER TABLE items ADD COLUMN name TEXT;\n' >"$work/lite/migrations/app/0002_name.sql"
sh -c 'exit 0' & gone=$!; wait $gone
old_digest=$(lite "SELECT set_digest FROM tenant_migrator_runs WHERE run_id = 'lite-1'")
lite "INSERT INTO tenant_migrator_runs (run_id, kind, started_at, host, pid, set_digest, options) VALUES ('lite-2', 'queue', '2026-01-01T00:00:00.000Z', '$(hostname)', '$gone', '$old_digest', '')"
lite "INSERT INTO tenant_migrator_run_tenants (run_id, tenant_id, position, state, worker) VALUES ('lite-2', 's05', 0, 'claimed', '$(hostname):$gone'), ('lite-2', 's06', 1, 'pending', NULL)"
expect_status "a queue of another set is refused" 2 "$manage" migratealltenants --queue=lite-2
expect_output "named" "queue 'lite-2' was started with another migration set"
# A recorded run of the current set gives its digest.
expect_status "a run of s20" 0 "$manage" migratealltenants --tenant=s20
lite "UPDATE tenant_migrator_runs SET set_digest = (SELECT set_digest FROM tenant_migrator_runs WHERE options = '--tenant=s20') WHERE run_id = 'lite-2'"
expect_status "the dead worker's claim taken over" 0 "$manage" migratealltenants --queue=lite-2
expect_output "s05 migrated" "✓ s05 - migrated successfully (1 applied)"
expect_output "s06 migrated" "✓ s06 - migrated successfully (1 applied)"
check "both done by this worker" "2" "$(lite "SELECT count(*) FROM tenant_migrator_run_tenants WHERE run_id = 'lite-2' AND state = 'done' AND worker <> '$(hostname):$gone'")"

finish
