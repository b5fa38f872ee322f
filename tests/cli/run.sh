#!/usr/bin/env bash
# End-to-end tests of the `manage` CLI on real SQLite files.
# Usage: run.sh MANAGE_BINARY  (CTest passes it)
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/lib.sh"
fresh_demo() { rm -rf "$work/demo"; "$manage" demo "$work/demo" >/dev/null || fail "manage demo"; }
run_all() { "$manage" migratealltenants --master "sqlite:$work/demo/master.db" --migrations "$work/demo/migrations" "$@"; }

# 1. The demo: output matches the checked-in text (off a terminal: the seed's ✓/✗, no colour).
fresh_demo
expect_status "demo run" 0 run_all
if diff -u "$here/expected/demo_run.txt" "$work/out"; then pass "demo output matches expected/demo_run.txt"; else fail "demo output differs"; fi
expect_status "rerun is a no-op" 0 run_all
if diff -u "$here/expected/demo_rerun.txt" "$work/out"; then pass "rerun output matches expected/demo_rerun.txt"; else fail "rerun output differs"; fi
if grep -q $'\x1b' "$work/out"; then fail "escape codes off a terminal"; else pass "no escape codes off a terminal"; fi

# 2. A failing tenant: the others are migrated, exit 1, the failed migration left nothing.
fresh_demo
sqlite3 "$work/demo/dev.db" "CREATE TABLE products (legacy INTEGER);"
expect_status "failing tenant" 1 run_all
expect_output "failure named with the database's message" "✗ ERROR Migrations failed for tenant 'dev': products/0001_initial.sql: table products already exists (line 2)"
expect_output "failed migration line" "  products/0001_initial.sql ... FAILED ERROR"
expect_output "continues after the failure" $'Continuing with next tenant...\n\nMigrating tenant: globex'
expect_output "summary marks dev" "  ✗ ERROR dev - FAILED"
expect_output "summary total" "  Total: 3 tenants, 2 succeeded, 1 failed"
rows=$(sqlite3 "$work/demo/dev.db" "SELECT count(*) FROM tenant_migrator_history WHERE app='products'")
[ "$rows" = 0 ] && pass "no history row for the failed migration" || fail "history row for failed migration: $rows"
rows=$(sqlite3 "$work/demo/acme.db" "SELECT count(*) FROM tenant_migrator_history")
[ "$rows" = 3 ] && pass "acme fully migrated" || fail "acme has $rows history rows"
expect_status "rerun still fails dev only" 1 run_all
expect_output "acme up to date on rerun" "  ✓ acme - up to date"

# 2b. The seed's monitoring recipe: tee a log, then grep ERROR finds every failure line.
run_all 2>&1 | tee "$work/migrations.log" >/dev/null
check "grep ERROR finds the failure lines" \
  $'  products/0001_initial.sql ... FAILED ERROR\n✗ ERROR Migrations failed for tenant \'dev\': products/0001_initial.sql: table products already exists (line 2)\n  ✗ ERROR dev - FAILED' \
  "$(grep ERROR "$work/migrations.log")"
grep -q '✓ Tenant .acme. is up to date.' "$work/migrations.log" && pass "the log shows ✓" || fail "no ✓ in the log"
expect_status "--ascii" 1 run_all --ascii
expect_output "--ascii success" "OK Tenant 'acme' is up to date."
expect_output "--ascii failure, still tagged ERROR" "FAILED ERROR Migrations failed for tenant 'dev'"
expect_no_output "--ascii has no ✓" "✓"
# On a terminal (script(1) gives a pty): colour, ✓/✗, no ERROR tag; NO_COLOR and --no-color drop the colour only
# (the status line's cursor control stays: tests/cli/output.sh).
script -qec "$manage migratealltenants --master sqlite:$work/demo/master.db --migrations $work/demo/migrations" "$work/pty" >/dev/null
grep -q $'\x1b\[31m✗\x1b\[0m Migrations failed for tenant .dev.' "$work/pty" && pass "terminal: red ✗, no ERROR" || { fail "terminal markers"; cat -v "$work/pty"; }
NO_COLOR=1 script -qec "$manage migratealltenants --master sqlite:$work/demo/master.db --migrations $work/demo/migrations" "$work/pty" >/dev/null
grep -q $'\x1b\[[0-9;]*m' "$work/pty" && fail "NO_COLOR: colour codes" || pass "NO_COLOR: no colour codes"
grep -q "✗ Migrations failed for tenant 'dev'" "$work/pty" && pass "NO_COLOR keeps ✗" || fail "NO_COLOR markers"
script -qec "$manage migratealltenants --no-color --master sqlite:$work/demo/master.db --migrations $work/demo/migrations" "$work/pty" >/dev/null
grep -q $'\x1b\[[0-9;]*m' "$work/pty" && fail "--no-color: colour codes" || pass "--no-color: no colour codes"
grep -q "✓ Tenant 'acme' is up to date." "$work/pty" && pass "--no-color keeps ✓" || fail "--no-color markers"

# 3. Formats.
fresh_demo
expect_status "json format" 0 run_all --format json
if jq -e -s 'length > 5 and all(.[]; has("event") and has("time")) and (map(select(.event=="run_finished"))[0].succeeded == 3)' "$work/out" >/dev/null; then
  pass "json lines parse with documented keys"; else fail "json lines"; cat "$work/out"; fi
fresh_demo
sqlite3 "$work/demo/globex.db" "CREATE TABLE products (legacy INTEGER);"
expect_status "log format" 1 run_all --format log
expect_output "log ERROR line" "ERROR migration_failed tenant=globex migration=products/0001_initial.sql"
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z (INFO |ERROR|WARN ) ' "$work/out" && pass "log lines carry ISO time and level" || fail "log line shape"
# --plan --format log: log lines too, ERROR when a tenant cannot be planned.
expect_status "plan in log format" 0 run_all --plan --format log
grep -vqE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z (INFO |ERROR|WARN ) ' "$work/out" && fail "plan: a line that is not a log line" || pass "plan: log lines only"
expect_output "plan of acme" "INFO  tenant_plan tenant=acme steps=0"
expect_output "a step of globex" "INFO  plan_step tenant=globex migration=users/0002_alter_user_email.sql direction=forwards"
expect_status "plan that cannot be made" 1 run_all users zero --plan --format log --tenant acme
expect_output "ERROR with the reason" "ERROR tenant_plan tenant=acme error=\"cannot unapply users/0001_initial.sql"

# 3b. The live progress line: on stderr when it is a terminal (script(1) gives a pty) and stdout is redirected.
fresh_demo
script -qec "$manage migratealltenants --master sqlite:$work/demo/master.db --migrations $work/demo/migrations --format json > $work/progress.jsonl" "$work/pty" >/dev/null
grep -q '\[3/3\] 0 failed | elapsed [0-9]*:[0-9][0-9] | done' "$work/pty" && pass "progress line on the terminal" || { fail "no progress line"; cat -v "$work/pty"; }
jq -e -s 'map(select(.event=="run_finished"))[0].succeeded == 3' "$work/progress.jsonl" >/dev/null && pass "stdout keeps the JSON" || fail "JSON on stdout"
fresh_demo
script -qec "$manage migratealltenants --master sqlite:$work/demo/master.db --migrations $work/demo/migrations --no-progress > /dev/null" "$work/pty" >/dev/null
grep -q 'failed | ' "$work/pty" && fail "--no-progress still shows progress" || pass "--no-progress"

# 4. Selecting tenants and apps.
fresh_demo
expect_status "--tenant / --exclude" 0 run_all --tenant acme --tenant globex --exclude globex
expect_output "only acme" "  Total: 1 tenant migrated"
expect_status "app label" 0 run_all users
expect_output "users only, for dev" "✓ dev - migrated successfully (2 applied)"
expect_status "unknown --tenant" 2 run_all --tenant nope
expect_output "unknown tenant named" "Tenant 'nope' does not exist"
# Options and positionals in any order: --tenant takes one id, the positionals stay targets.
fresh_demo
plan_acme=$'Planned operations for tenant \'acme\':\n  Apply users/0001_initial.sql\n'
expect_status "--tenant before the positionals" 0 run_all --tenant acme users 0001_initial --plan
check "plan of acme to users/0001 only" "$plan_acme" "$(cat "$work/out")"$'\n'
expect_status "--tenant after the positionals" 0 run_all users 0001_initial --tenant acme --plan
check "same plan" "$plan_acme" "$(cat "$work/out")"$'\n'
expect_status "a comma list" 0 run_all --tenant acme,globex --exclude globex --plan
check "comma list, then exclude" "$plan_acme$(printf '  Apply products/0001_initial.sql\n  Apply users/0002_alter_user_email.sql')" "$(cat "$work/out")"
expect_status "--exclude before the positional" 0 run_all --exclude acme --exclude dev users --plan
expect_output "globex planned" "Planned operations for tenant 'globex':"
expect_no_output "acme excluded" "tenant 'acme'"

# 4b. Durations as PostgreSQL writes them; a bare number is milliseconds.
for d in 2s 500ms 1min 1h 1d 250; do
  expect_status "--lock-timeout=$d" 0 run_all --lock-timeout=$d --lock-wait=$d --statement-timeout=$d --plan
done
for opt in --lock-wait --lock-timeout --statement-timeout; do
  expect_status "$opt 2x refused" 2 run_all $opt 2x
  expect_output "$opt and its value named" "error: $opt: bad duration '2x' (a whole number of ms, or with a unit: ms, s, min, h, d; at most 24d)"
done

# 4c. A failure outside any tenant: the master lost during a run (exit 3).
fresh_demo
sqlite3 "$work/demo/master.db" "UPDATE tenant_migrator_tenants SET status='incomplete' WHERE tenant_id='acme'"
printf -- '-- transaction: off\nATTACH DATABASE '"'$work/demo/master.db'"' AS m;\nDROP TABLE m.tenant_migrator_tenants;\nDETACH DATABASE m;\n' >"$work/demo/migrations/users/0003_lose_master.sql"
expect_status "master lost during the run" 3 run_all --tenant acme
expect_output "says the run could not go on" "error: the run could not go on: "
fresh_demo

# 5. Bad input: exit 2 with a one-line error naming the culprit.
expect_status "unknown flag" 2 "$manage" migratealltenants --bogus
expect_output "unknown flag named" "--bogus"
expect_status "bad --format" 2 run_all --format xml
expect_output "bad format named" "xml"
expect_status "missing migrations folder" 2 "$manage" migratealltenants --master "sqlite:$work/demo/master.db" --migrations "$work/nope"
expect_output "folder named" "migrations folder '$work/nope' does not exist"
expect_status "missing master" 2 "$manage" migratealltenants --master "sqlite:$work/none.db" --migrations "$work/demo/migrations"
expect_output "master named" "none.db' does not exist"
expect_status "bad master URL" 2 "$manage" migratealltenants --master "mysql://root:hunter2@db/x" --migrations "$work/demo/migrations"
if grep -q hunter2 "$work/out"; then fail "password printed"; else pass "password masked in error"; fi
mkdir -p "$work/bad/users" && echo "SELECT 1;" >"$work/bad/users/0001_a.sql" && echo "SELECT 1;" >"$work/bad/users/0001_b.sql"
expect_status "invalid migration set" 2 "$manage" migratealltenants --master "sqlite:$work/demo/master.db" --migrations "$work/bad"
expect_output "conflict named" "Conflicting migrations in app 'users': 0001_a, 0001_b"
sqlite3 "$work/empty.db" "CREATE TABLE x (y INTEGER);"
expect_status "master without registry" 2 "$manage" migratealltenants --master "sqlite:$work/empty.db" --migrations "$work/demo/migrations"
expect_output "registry named" "tenant_migrator_tenants"
expect_status "env vars" 0 env TENANT_MIGRATOR_MASTER="sqlite:$work/demo/master.db" TENANT_MIGRATOR_MIGRATIONS="$work/demo/migrations" "$manage" migratealltenants
expect_status "--help" 0 "$manage" migratealltenants --help
expect_output "help lists --format" "--format"
expect_status "--version" 0 "$manage" --version
expect_output "version" "manage (TenantMigrator) "

finish
