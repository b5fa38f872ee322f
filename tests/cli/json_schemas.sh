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
"$manage" showtenants --format json >"$work/tenants.json"
validate showtenants "$work/tenants.json"
"$manage" showmigrations --format json >"$work/migrations.json"
validate showmigrations "$work/migrations.json"
finish
