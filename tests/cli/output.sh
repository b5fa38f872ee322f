#!/usr/bin/env bash
# Output that scales (issue 10): -v/--verbosity, the summary at scale, bounded
# JSON lines, and the live status line (only on a terminal) - on SQLite tenants.
# Usage: output.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/lib.sh"
export NO_COLOR=1
# expect_output NAME TEXT (as lib.sh's, in bash alone: no interpreter started per
# check, which is slow on a busy machine) and expect_bytes NAME TEXT: $work/out
# holds TEXT, byte for byte (\r kept: the pty's transcript).
out_contains() {
  local content=""
  IFS= read -r -d '' content <"$work/out"
  [[ $content == *"$1"* ]]
}
expect_output() {
  if out_contains "$2"; then pass "$1"; else fail "$1: output lacks '$2'"; cat -v "$work/out" | sed 's/^/    /'; fi
}
expect_bytes() { expect_output "$@"; }
run_all() { "$manage" migratealltenants --master "sqlite:$work/demo/master.db" --migrations "$work/demo/migrations" "$@"; }
# add_tenants FIRST LAST: tenants tNNN in the demo's registry, up to date (copies
# of a migrated tenant: quicker than migrating each).
add_tenants() {
  python3 - "$work" "$1" "$2" <<'PY'
import shutil, sqlite3, sys
work, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ids = ["t%03d" % i for i in range(first, last + 1)]
with sqlite3.connect(work + "/demo/master.db") as master:
    master.executemany("INSERT INTO tenant_migrator_tenants VALUES (?, 'T', 'database', ?, 'active', '2026-01-01T00:00:00.000Z')",
                       [(t, t + ".db") for t in ids])
for t in ids:
    shutil.copyfile(work + "/migrated.db", work + "/demo/" + t + ".db")
PY
}
# The demo's three tenants start again: acme and globex get migrated, dev fails.
reset_demo_tenants() {
  : >"$work/demo/acme.db"
  : >"$work/demo/globex.db"
  rm -f "$work/demo/dev.db"
  sqlite3 "$work/demo/dev.db" "CREATE TABLE products (legacy INTEGER);"
}

"$manage" demo "$work/demo" >/dev/null || fail "manage demo"
run_all >/dev/null 2>&1
check "the demo migrated" 0 $?
cp "$work/demo/acme.db" "$work/migrated.db"
add_tenants 1 27

# 1. 30 tenants, 27 up to date: counted, and the three others named.
reset_demo_tenants
expect_status "run over 30 tenants, one failing" 1 run_all
expect_output "up-to-date tenants counted" $'Migration Summary:\n  ✓ 27 up to date\n'
expect_output "migrated tenant named" "  ✓ acme - migrated successfully (3 applied)"
expect_output "failed tenant named" "  ✗ ERROR dev - FAILED"
expect_output "second migrated tenant named" "  ✓ globex - migrated successfully (3 applied)"
expect_output "total" "  Total: 30 tenants, 29 succeeded, 1 failed"
expect_no_output "no up-to-date tenant named, in the run or the summary" "t013"
expect_output "the failing tenant's lines during the run" \
  $'Migrating tenant: dev\n  users/0001_initial.sql ... OK\n  products/0001_initial.sql ... FAILED ERROR\n'

# 2. -v0: failures and the summary only.
reset_demo_tenants
expect_status "-v0" 1 run_all -v0
expect_no_output "-v0: no tenant headers" "Migrating tenant:"
expect_no_output "-v0: no migration lines" " ... OK"
expect_output "-v0: the failure" "✗ ERROR Migrations failed for tenant 'dev': products/0001_initial.sql: table products already exists"
expect_output "-v0: the summary" $'  ✓ 27 up to date\n  ✓ acme - migrated successfully (3 applied)\n'
check "-v0: the failure, a blank line and the summary, nothing else" 8 "$(wc -l <"$work/out")" || cat "$work/out"

# 3. -v2: timings per migration and per tenant; every tenant printed.
reset_demo_tenants
expect_status "--verbosity 2" 1 run_all --verbosity 2
grep -qE '^  users/0001_initial\.sql \.\.\. OK \([0-9.]+ m?s\)$' "$work/out" && pass "-v2: migration timing" || fail "-v2: no migration timing"
grep -qE "^✓ Tenant 'acme' migrated successfully\. \([0-9.]+ m?s\)$" "$work/out" && pass "-v2: tenant timing" || fail "-v2: no tenant timing"
grep -qE "^✓ Tenant 't013' is up to date\. \([0-9.]+ m?s\)$" "$work/out" && pass "-v2: up-to-date tenants shown" || fail "-v2: up-to-date tenant missing"
grep -qE '^  Total: 30 tenants, 29 succeeded, 1 failed \([0-9.]+ m?s\)$' "$work/out" && pass "-v2: run timing" || fail "-v2: no run timing"
expect_no_output "-v2: no SQL" "CREATE TABLE"

# 4. -v3: the SQL run, under its migration's line; none for a faked one.
reset_demo_tenants
expect_status "-v 3" 1 run_all -v 3
expect_output "-v3: the script under its line" \
  $'  users/0001_initial.sql ... OK (' 
expect_output "-v3: script text" $'      -- The people who sign in to a tenant.\n      CREATE TABLE users (\n'
expect_output "-v3: the failed script too" $'  products/0001_initial.sql ... FAILED ERROR\n      '
: >"$work/demo/acme.db"
"$manage" migratetenant --master "sqlite:$work/demo/master.db" --migrations "$work/demo/migrations" --tenant-id acme --fake -v3 >"$work/out" 2>&1
check "-v3 --fake exits 0" 0 $?
expect_output "-v3 --fake: FAKED" "users/0001_initial.sql ... FAKED ("
expect_no_output "-v3 --fake: no SQL shown (none ran)" "CREATE TABLE"

# 5. A bad verbosity is a usage error.
expect_status "-v 4 refused" 2 run_all -v 4
expect_output "-v 4: names the option" "--verbosity"
expect_status "-v x refused" 2 run_all --verbosity x
expect_status "migratetenant -v 5 refused" 2 "$manage" migratetenant --tenant-id acme -v 5

# 6. The seed's small runs are unchanged (tests/cli/run.sh diffs them); a run
#    of 20 tenants or fewer still lists each tenant.
expect_status "20 tenants" 0 run_all --exclude acme,dev,globex,t001,t002,t003,t004,t005,t006,t007
expect_output "20 tenants: each listed" $'  ✓ t008 - up to date\n'
expect_output "20 tenants: each printed during the run" $'Migrating tenant: t027\n  No migrations to apply.\n'

# 7. The live status line: never in a file or a pipe...
reset_demo_tenants
run_all >"$work/out" 2>"$work/err" </dev/null
check "redirected run exits 1" 1 $?
if grep -q $'\x1b' "$work/out" "$work/err"; then fail "escape codes in a file"; else pass "no status line in files"; fi
run_all 2>&1 | cat >"$work/out"
if grep -q $'\x1b' "$work/out"; then fail "escape codes in a pipe"; else pass "no status line in a pipe"; fi
# ... on a terminal (script gives the run a pseudo-terminal), under the text.
reset_demo_tenants
cmd="$manage migratealltenants --master sqlite:$work/demo/master.db --migrations $work/demo/migrations"
TERM=xterm script -qec "$cmd" /dev/null >"$work/out" 2>&1
check "run on a terminal exits 1" 1 $?
expect_bytes "status line drawn" $'\r\x1b[2K[0/30] 0 failed | elapsed 0:00 | ETA -:--'
# At scale the header waits for the first migration; the line is drawn again
# once the text has ended its line (the pty turns \n into \r\n).
expect_bytes "text erases the line, which is drawn again under it" \
  $'\r\x1b[2KMigrating tenant: acme\r\n  users/0001_initial.sql ... OK\r\n\r\x1b[2K[0/30] 0 failed | acme | elapsed '
grep -qE '\[30/30\] 1 failed \| elapsed [0-9]+:[0-9]{2} \| done'$'\r$' "$work/out" && pass "final state kept, then a new line" || fail "no final state"
# ... when standard output goes to a file, the line alone is on the terminal.
reset_demo_tenants
TERM=xterm script -qec "$cmd >$work/file" /dev/null >"$work/out" 2>&1
expect_output "status line with stdout in a file" "[30/30] 1 failed"
if grep -q $'\x1b' "$work/file"; then fail "escape codes in the file"; else pass "the file has none"; fi
# ... and not with TERM=dumb or --no-progress.
reset_demo_tenants
TERM=dumb script -qec "$cmd" /dev/null >"$work/out" 2>&1
expect_no_output "TERM=dumb: no status line" $'\x1b[2K'
reset_demo_tenants
TERM=xterm script -qec "$cmd --no-progress" /dev/null >"$work/out" 2>&1
expect_no_output "--no-progress: no status line" $'\x1b[2K'
expect_output "--no-progress: the summary" "  ✓ 27 up to date"

# 8. JSON Lines over 200 tenants: no line grows with the tenant count.
add_tenants 28 197
reset_demo_tenants
run_all --format json >"$work/run.jsonl" 2>"$work/err"
check "json run exits 1" 1 $?
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' "$work/run.jsonl")
[ "$longest" -le 400 ] && pass "longest JSON line $longest bytes (<= 400)" || fail "a JSON line of $longest bytes"
check "one tenant_finished per tenant" 200 "$(grep -c '"event":"tenant_finished"' "$work/run.jsonl")"
check "run_finished counts" '{"migrated":2,"up_to_date":197,"failed":1,"skipped":0,"interrupted":0}' \
  "$(jq -c 'select(.event=="run_finished") | .outcomes' "$work/run.jsonl")"
/usr/bin/python3 "$here/../json/validate.py" events "$work/run.jsonl" >"$work/v" 2>&1 && pass "200-tenant run validates" || { fail "schema"; cat "$work/v"; }

finish
