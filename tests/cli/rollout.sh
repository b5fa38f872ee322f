#!/usr/bin/env bash
# migratealltenants' selection and rollout flags against a real PostgreSQL
# server (TENANT_MIGRATOR_TEST_PG): --tenant/--exclude globs, --tenants-from,
# --order, --shard, --canary, --max-failures, --pause, --atomic, with --plan
# too, and their bad values (docs/scale-out.md).
# Usage: rollout.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/lib.sh"
if [ -z "${TENANT_MIGRATOR_TEST_PG:-}" ]; then
  echo "TENANT_MIGRATOR_TEST_PG is not set: run the tests through scripts/test.sh"; exit 1
fi
pg_scratch tm_rollout || exit 1
master="$server/$db"
trap 'pg_drop_scratch; rm -rf "$work"' EXIT
export TENANT_MIGRATOR_MASTER="$master" TENANT_MIGRATOR_MIGRATIONS="$work/migrations"
export PGOPTIONS="-c client_min_messages=warning"
sql() { psql -tAq "$master" -c "$1"; }
# The tenants a JSON run or plan in $work/out names, in order, space-separated;
# $1: a jq-like filter on tenant_finished outcomes ("migrated", "any"), or "plan".
tenants_of() {
  python3 - "$1" "$work/out" <<'EOF'
import json, sys
want, names = sys.argv[1], []
for line in open(sys.argv[2]):
    if not line.startswith("{"): continue
    e = json.loads(line)
    if want == "plan" and e["event"] == "tenant_plan": names.append(e["tenant"])
    elif e["event"] == "tenant_finished" and want in ("any", e["outcome"]): names.append(e["tenant"])
print(" ".join(names))
EOF
}
# The run_finished key $1 of the JSON run in $work/out.
finished() {
  python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[2]) if l.startswith("{") and "run_finished" in l][0][sys.argv[1]])' "$1" "$work/out"
}
# How many tenants have migration users/$1 recorded.
recorded_count() {
  local n=0 t
  for t in $all; do
    n=$((n + $(sql "SELECT count(*) FROM \"t_${t//-/_}\".tenant_migrator_history WHERE name = '$1'")))
  done
  echo $n
}
one_line() { check "$1: one line" 1 "$(wc -l <"$work/out")"; }

mkdir -p "$work/migrations/users"
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' >"$work/migrations/users/0001_initial.sql"
all="ap-1 ap-2 eu-1 eu-2 eu-3 us-1 us-2 us-3"
for t in $all; do
  "$manage" createtenant --tenant-id=$t --name="$t" --isolation=schema --location="t_${t//-/_}" --no-migrate \
    >/dev/null || fail "create $t"
done

# --- selection: globs, --tenants-from, --order (with --plan) -------------------------
expect_status "glob --tenant eu-* plans" 0 "$manage" migratealltenants --plan --format json --tenant 'eu-*'
check "glob picks the eu tenants" "eu-1 eu-2 eu-3" "$(tenants_of plan)"
expect_status "glob --exclude" 0 "$manage" migratealltenants --plan --format json --exclude 'eu-*,us-?'
check "glob --exclude drops eu and us" "ap-1 ap-2" "$(tenants_of plan)"
expect_status "a glob matching nothing" 2 "$manage" migratealltenants --plan --tenant 'zz-*'
expect_output "named" "No tenant matches 'zz-*'"
printf '# canary wave\nus-2\n\n  eu-1  \nap-2\n' >"$work/list"
expect_status "--tenants-from FILE" 0 "$manage" migratealltenants --plan --format json --tenants-from "$work/list"
check "the file's tenants, by id" "ap-2 eu-1 us-2" "$(tenants_of plan)"
expect_status "--tenants-from - (stdin)" 0 "$manage" migratealltenants --plan --format json --tenants-from - <"$work/list"
check "stdin's tenants" "ap-2 eu-1 us-2" "$(tenants_of plan)"
printf 'us-2\nzz-9\n' >"$work/unknown"
expect_status "--tenants-from with an unknown id" 2 "$manage" migratealltenants --plan --tenants-from "$work/unknown"
expect_output "file and line named" "error: $work/unknown:2: tenant 'zz-9' does not exist"
one_line "unknown id"
printf 'us-2\nUS 3\n' >"$work/bad"
expect_status "--tenants-from with a bad line" 2 "$manage" migratealltenants --plan --tenants-from - <"$work/bad"
expect_output "stdin and line named" "error: <stdin>:2: tenant id 'US 3' may contain only"
one_line "bad line"
printf '# nothing\n' >"$work/empty"
expect_status "--tenants-from with no id" 2 "$manage" migratealltenants --plan --tenants-from "$work/empty"
expect_output "refused, not all tenants" "no tenant id in it"
expect_status "--tenants-from a missing file" 2 "$manage" migratealltenants --plan --tenants-from "$work/nope"
expect_output "missing file named" "cannot read '$work/nope'"
# Registry creation order: us-3 first, then ap-1 and eu-2 at the same instant (by id), the rest later.
sql "UPDATE tenant_migrator_tenants SET created_at = '2030-01-01T00:00:00.000Z'"
sql "UPDATE tenant_migrator_tenants SET created_at = '2020-01-01T00:00:00.000Z' WHERE tenant_id = 'us-3'"
sql "UPDATE tenant_migrator_tenants SET created_at = '2021-01-01T00:00:00.000Z' WHERE tenant_id IN ('eu-2', 'ap-1')"
expect_status "--order created" 0 "$manage" migratealltenants --plan --format json --order created
check "creation order, ties by id" "us-3 ap-1 eu-2 ap-2 eu-1 eu-3 us-1 us-2" "$(tenants_of plan)"
expect_status "--order id (the default)" 0 "$manage" migratealltenants --plan --format json --order id
check "id order" "ap-1 ap-2 eu-1 eu-2 eu-3 us-1 us-2 us-3" "$(tenants_of plan)"

# --- --shard K/N: disjoint, together all ---------------------------------------------
expect_status "--plan --shard 0/2" 0 "$manage" migratealltenants --plan --format json --shard 0/2
planned0=$(tenants_of plan)
expect_status "run --shard 0/2" 0 "$manage" migratealltenants --format json --shard 0/2
shard0=$(tenants_of migrated)
check "the plan follows the shard" "$planned0" "$shard0"
expect_status "run --shard 1/2" 0 "$manage" migratealltenants --format json --shard 1/2
shard1=$(tenants_of migrated)
check "shard 1/2 found nothing up to date (disjoint)" "$shard1" "$(tenants_of any)"
check "both shards non-empty" yes "$([ -n "$shard0" ] && [ -n "$shard1" ] && echo yes || echo no)"
check "shards disjoint, together all" "$all" "$(echo $shard0 $shard1 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "every tenant has its history row" 8 "$(recorded_count 0001_initial)"
expect_status "run --shard 0/2 again" 0 "$manage" migratealltenants --format json --shard 0/2
check "same shard, same tenants (stable)" "$shard0" "$(tenants_of up_to_date)"

# --- --canary: a failing canary touches no other tenant -------------------------------
printf 'CREATE TABLE orders (id INTEGER PRIMARY KEY);\n' >"$work/migrations/users/0002_orders.sql"
sql "CREATE TABLE t_us_2.orders (legacy INTEGER)"  # us-2's 0002 fails
expect_status "--plan --canary us-2" 0 "$manage" migratealltenants --plan --format json --canary us-2
check "the plan puts the canary first" "us-2 ap-1 ap-2 eu-1 eu-2 eu-3 us-1 us-3" "$(tenants_of plan)"
expect_status "failing canary" 1 "$manage" migratealltenants --format json --canary us-2
check "only the canary ran" "us-2" "$(tenants_of any)"
check "the rest not processed" 7 "$(finished not_processed)"
expect_output "said on stderr" "Rollout stopped: a canary failed; 7 tenant(s) not processed"
check "no other tenant touched" 0 "$(recorded_count 0002_orders)"
expect_status "text: canary *s-2 fails" 1 "$manage" migratealltenants --canary '*s-2'
expect_output "summary counts them" "  7 not processed"
expect_no_output "not a signal" "(interrupted)"
check "still no other tenant touched" 0 "$(recorded_count 0002_orders)"
expect_status "--canary 2: both pass, then the failure" 1 "$manage" migratealltenants --format json --canary 2
check "every tenant started" 0 "$(finished not_processed)"
check "all but us-2 have 0002" 7 "$(recorded_count 0002_orders)"

# --- --max-failures 2 with five failing tenants ---------------------------------------
printf 'CREATE TABLE invoices (id INTEGER PRIMARY KEY);\n' >"$work/migrations/users/0003_invoices.sql"
for s in t_ap_2 t_eu_1 t_eu_3 t_us_1 t_us_3; do sql "CREATE TABLE $s.invoices (legacy INTEGER)"; done
sql "DROP TABLE t_us_2.orders"
expect_status "--max-failures 2" 1 "$manage" migratealltenants --format json --max-failures 2 --pause 10ms
check "stopped after the second failure" "ap-1 ap-2 eu-1" "$(tenants_of any)"
check "two failed" 2 "$(finished failed)"
check "the others not processed" 5 "$(finished not_processed)"
check "only ap-1 got 0003" 1 "$(recorded_count 0003_invoices)"
expect_output "why, on stderr" "Rollout stopped: 2 tenants failed (--max-failures); 5 tenant(s) not processed"

# --- --atomic: a failing third migration leaves the tenant as it was -------------------
mkdir -p "$work/atomic/shop"
printf 'CREATE TABLE carts (id INTEGER);\n' >"$work/atomic/shop/0001_carts.sql"
printf 'CREATE TABLE items (id INTEGER);\n' >"$work/atomic/shop/0002_items.sql"
printf 'CREATE TABLE carts (id INTEGER);\n' >"$work/atomic/shop/0003_again.sql"  # fails: carts exists
"$manage" createtenant --tenant-id=fresh --name=Fresh --isolation=schema --no-migrate >/dev/null || fail "create fresh"
tables() { sql "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'fresh'"; }
expect_status "--atomic, third migration fails" 1 "$manage" migratealltenants --migrations "$work/atomic" --atomic \
  --tenant fresh
expect_output "the error says all was rolled back" "(atomic: the 2 migration(s) applied before it were rolled back too)"
check "no table at all, not even the history table" "" "$(tables)"
expect_status "migratetenant --atomic too" 1 "$manage" migratetenant --tenant-id fresh --migrations "$work/atomic" \
  --atomic --format json
check "nothing counted as applied" 0 "$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if "tenant_finished" in l][0]["applied"])' "$work/out")"
check "still untouched" "" "$(tables)"
expect_status "without --atomic, 1 and 2 stay (the contrast)" 1 "$manage" migratetenant --tenant-id fresh \
  --migrations "$work/atomic"
check "carts, items and history left" "carts,items,tenant_migrator_history" "$(tables)"
sql "DROP TABLE fresh.carts, fresh.items, fresh.tenant_migrator_history"
printf 'CREATE TABLE orders (id INTEGER);\n' >"$work/atomic/shop/0003_again.sql"
printf -- '-- transaction: off\nCREATE INDEX CONCURRENTLY carts_id ON carts (id);\n' >"$work/atomic/shop/0004_index.sql"
expect_status "--atomic with a -- transaction: off file pending" 1 "$manage" migratetenant --tenant-id fresh \
  --migrations "$work/atomic" --atomic
expect_output "refused, naming the file" "atomic: shop/0004_index.sql is \`-- transaction: off\`"
check "refused before anything ran" "" "$(tables)"
expect_status "--plan --atomic says it too" 1 "$manage" migratealltenants --plan --tenant fresh \
  --migrations "$work/atomic" --atomic
expect_output "plan error" "shop/0004_index.sql is \`-- transaction: off\`"
rm "$work/atomic/shop/0004_index.sql"
expect_status "--atomic succeeds" 0 "$manage" migratealltenants --migrations "$work/atomic" --atomic --tenant fresh
expect_output "all three applied" "fresh - migrated successfully (3 applied)"
check "tables and history" "carts,items,orders,tenant_migrator_history" "$(tables)"
check "three history rows" 3 "$(sql "SELECT count(*) FROM fresh.tenant_migrator_history")"

# --- bad values: exit 2, one line, the value named ------------------------------------
for bad in "--shard 2/2" "--shard 1/0" "--shard x" "--shard 1/2/3" "--canary 0" "--max-failures 0" \
  "--pause 5x" "--order name"; do
  # shellcheck disable=SC2086
  expect_status "bad value: $bad" 2 "$manage" migratealltenants --plan $bad
  expect_output "$bad: the value named" "${bad#* }"
  one_line "$bad"
done
expect_status "--canary naming a tenant outside the run" 2 "$manage" migratealltenants --plan --tenant 'eu-*' \
  --canary us-1
expect_output "named" "--canary 'us-1': no tenant of this run matches it"
check "bad values ran nothing" 1 "$(recorded_count 0003_invoices)"

finish
