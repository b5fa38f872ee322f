#!/usr/bin/env bash
# Every JSON output of manage validates against its schema in docs/schemas/.
# Usage: json_schemas.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/lib.sh"
validate() { /usr/bin/python3 "$here/../json/validate.py" "$@" >"$work/v" 2>&1 && pass "$1 schema: $(tail -1 "$work/v")" || { fail "$1 schema"; cat "$work/v"; }; }

"$manage" demo "$work/demo" >/dev/null
export TENANT_MIGRATOR_MASTER="sqlite:$work/demo/master.db" TENANT_MIGRATOR_MIGRATIONS="$work/demo/migrations"
sqlite3 "$work/demo/dev.db" "CREATE TABLE products (x INTEGER)"
"$manage" migratealltenants --format json >"$work/run.jsonl"; check "run with a failure exits 1" 1 $?
validate events "$work/run.jsonl"
for e in run_started tenant_started migration_started migration_applied migration_failed tenant_finished run_finished; do
  grep -q "\"event\":\"$e\"" "$work/run.jsonl" && pass "saw $e" || fail "no $e event"
done
"$manage" migratetenant --tenant-id=acme users 0001_initial --format json >"$work/back.jsonl"; check "backwards" 0 $?
validate events "$work/back.jsonl"
grep -q '"direction":"backwards"' "$work/back.jsonl" && pass "backwards direction" || fail "no backwards event"
# migratetenant's run is a whole run, like migratealltenants'.
"$manage" migratetenant --tenant-id=acme --format json >"$work/one.jsonl"; check "migratetenant json" 0 $?
validate events "$work/one.jsonl"
check "migratetenant: run_started first, run_finished last" "run_started run_finished" \
  "$(jq -rs '[.[0].event, .[-1].event] | join(" ")' "$work/one.jsonl")"
# --plan --format json: one tenant_plan line per tenant.
"$manage" migratealltenants --plan --format json >"$work/plan.jsonl"; check "plan json" 0 $?
validate events "$work/plan.jsonl"
check "one plan per tenant" "acme dev globex" "$(jq -rs 'map(.tenant) | join(" ")' "$work/plan.jsonl")"
check "dev's plan" "products/0001_initial.sql:forwards users/0002_alter_user_email.sql:forwards" \
  "$(jq -rs 'map(select(.tenant=="dev"))[0].steps | map(.migration + ":" + .direction) | join(" ")' "$work/plan.jsonl")"
"$manage" migratetenant --tenant-id=acme users zero --plan --format json >"$work/plan1.jsonl"; check "migratetenant plan json" 1 $?
validate events "$work/plan1.jsonl"
jq -e '.error | test("cannot unapply users/0001_initial.sql")' "$work/plan1.jsonl" >/dev/null && pass "refused plan carries its error" || fail "plan error"
# --fake: the warning goes to stderr, stdout stays JSON Lines.
"$manage" migratetenant --tenant-id=globex users 0001_initial --fake --format json >"$work/fake.jsonl" 2>"$work/fake.err"; check "fake json" 0 $?
validate events "$work/fake.jsonl"
check "warning on stderr" "Warning: --fake changes migration history without running any SQL." "$(cat "$work/fake.err")"
"$manage" migratealltenants --fake --plan --format json >"$work/fakeplan.jsonl" 2>/dev/null
validate events "$work/fakeplan.jsonl"
# --repair --format json.
sqlite3 "$work/demo/acme.db" "UPDATE tenant_migrator_history SET checksum='x' WHERE name='0001_initial' AND app='users'"
"$manage" migratetenant --tenant-id=acme --repair --format json >"$work/repair.jsonl"; check "repair json" 0 $?
validate events "$work/repair.jsonl"
check "repaired file named" "users/0001_initial.sql" "$(jq -r '.accepted | join(" ")' "$work/repair.jsonl")"
"$manage" showtenants --format json >"$work/tenants.json"
validate showtenants "$work/tenants.json"
"$manage" showmigrations --format json >"$work/migrations.json"
validate showmigrations "$work/migrations.json"
# showruns: every recorded run, and one run's tenants.
"$manage" showruns --format json >"$work/runs.json"; check "showruns json" 0 $?
validate showruns "$work/runs.json"
first=$(jq -r '.[0].run' "$work/runs.json")
"$manage" showruns --run "$first" --format json >"$work/onerun.json"; check "showruns --run json" 0 $?
validate showruns "$work/onerun.json"
check "the first run's failed tenant" "dev" "$(jq -r '.tenant_results[] | select(.outcome == "failed") | .tenant' "$work/onerun.json")"
finish
