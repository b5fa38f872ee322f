#!/usr/bin/env bash
# Non-transactional DDL on a real MariaDB (TENANT_MIGRATOR_TEST_MARIADB, started by
# scripts/test.sh): a migration with DDL runs one statement at a time with its
# progress recorded; a failure half-way is reported exactly, and a rerun goes on
# from there without repeating a statement. Data-only migrations stay atomic.
# Usage: mariadb_statements.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/lib.sh"
if [ -z "${TENANT_MIGRATOR_TEST_MARIADB:-}" ]; then
  echo "TENANT_MIGRATOR_TEST_MARIADB is not set: run the tests through scripts/test.sh"; exit 1
fi
server=${TENANT_MIGRATOR_TEST_MARIADB%/}
port=${server##*:}
db="tm_stmt_$$"
sql() { mariadb --no-defaults -h127.0.0.1 -P"$port" -uroot -N -B -e "$1"; }
cleanup() {
  for d in $(sql "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '${db}%'"); do
    sql "DROP DATABASE IF EXISTS \`$d\`"
  done
  rm -rf "$work"
}
trap cleanup EXIT
sql "CREATE DATABASE $db" || exit 1
export TENANT_MIGRATOR_MASTER="$server/$db" TENANT_MIGRATOR_MIGRATIONS="$work/migrations"
m="$work/migrations/users"
mkdir -p "$m"
printf 'CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100));\n' >"$m/0001_initial.sql"
# Five statements; the INSERT shows whether a statement ran twice.
printf 'CREATE TABLE hits (n INT);\nINSERT INTO hits VALUES (2);\nCREATE TABLE audit (id INT);\nALTER TABLE users ADD COLUMN phone VARCHAR(20);\nCREATE INDEX users_phone ON users (phone);\n' >"$m/0002_contacts.sql"

# --- twenty database tenants, one failing at statement 3 of 5 ---------------------
tenants=$(seq -f 't%02g' 1 20)
for t in $tenants; do
  "$manage" createtenant --tenant-id="$t" --name="$t" --isolation=database --location="${db}_$t" --no-migrate >/dev/null ||
    fail "createtenant $t"
done
sql "CREATE TABLE ${db}_t07.audit (legacy INT)"
expect_status "one tenant fails half-way" 1 "$manage" migratealltenants
expect_output "the failing statement and what is applied" \
  "✗ ERROR Migrations failed for tenant 't07': users/0002_contacts.sql: statement 3 of 5 failed: 42S01: Table 'audit' already exists (line 3); statements 1–2 are applied"
expect_output "summary" "Total: 20 tenants, 19 succeeded, 1 failed"
migrated=0
for t in $tenants; do
  [ "$t" = t07 ] && continue
  [ "$(sql "SELECT count(*) FROM ${db}_$t.tenant_migrator_history")" = 2 ] && migrated=$((migrated + 1))
done
check "the other 19 fully migrated" 19 "$migrated"
check "t07: progress as reported" "users 0002_contacts up 2" \
  "$(sql "SELECT app, name, direction, statements_done FROM ${db}_t07.tenant_migrator_history_progress" | tr '\t' ' ')"
check "t07: 0002 not in the history" "0001_initial" "$(sql "SELECT name FROM ${db}_t07.tenant_migrator_history")"
check "t07: statements 1-2 applied" 1 "$(sql "SELECT count(*) FROM ${db}_t07.hits")"
check "t07: statement 4 not run" 0 \
  "$(sql "SELECT count(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${db}_t07' AND TABLE_NAME = 'users' AND COLUMN_NAME = 'phone'")"
expect_status "the deploy gate sees it pending" 1 "$manage" showmigrations --pending --tenant-id=t07
expect_output "pending" "t07: 1 pending"

# The cause fixed, the rerun goes on at statement 3.
sql "DROP TABLE ${db}_t07.audit"
expect_status "rerun completes t07" 0 "$manage" migratealltenants
expect_output "t07 migrated" "✓ t07 - migrated successfully (1 applied)"
check "t07: statement 2 not repeated" 1 "$(sql "SELECT count(*) FROM ${db}_t07.hits")"
check "t07: progress row gone" 0 "$(sql "SELECT count(*) FROM ${db}_t07.tenant_migrator_history_progress")"
check "t07: index made" 1 \
  "$(sql "SELECT count(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '${db}_t07' AND INDEX_NAME = 'users_phone'")"

# --- a mistake in the file, fixed after the failure ---------------------------------
printf 'INSERT INTO hits VALUES (3);\nALTER TABLE audit ADD COLUMN note TEXT;\nCREATE TABEL tags (id INT);\nINSERT INTO hits VALUES (33);\n' >"$m/0003_tags.sql"
expect_status "t01 fails at the typo" 1 "$manage" migratetenant --tenant-id=t01
expect_output "statement 3 of 4" "users/0003_tags.sql: statement 3 of 4 failed: 42000: "
expect_output "statements 1-2 applied" "; statements 1–2 are applied"
printf 'INSERT INTO hits VALUES (3);\nALTER TABLE audit ADD COLUMN note TEXT;\nCREATE TABLE tags (id INT);\nINSERT INTO hits VALUES (33);\n' >"$m/0003_tags.sql"
expect_status "the fixed file, every tenant" 0 "$manage" migratealltenants
check "t01: statement 1 ran once" 1 "$(sql "SELECT count(*) FROM ${db}_t01.hits WHERE n = 3")"
check "t01: statement 4 ran" 1 "$(sql "SELECT count(*) FROM ${db}_t01.hits WHERE n = 33")"
check "t02: every statement ran" 2 "$(sql "SELECT count(*) FROM ${db}_t02.hits WHERE n IN (3, 33)")"

# An applied statement edited afterwards: refused, nothing run.
printf 'CREATE TABLE labels (id INT);\nINSERT INTO hits VALUES (4);\nCREATE TABLE labels (id INT);\n' >"$m/0004_labels.sql"
expect_status "t02 fails at statement 3" 1 "$manage" migratetenant --tenant-id=t02
printf 'CREATE TABLE labels (id BIGINT);\nINSERT INTO hits VALUES (4);\nCREATE TABLE more_labels (id INT);\n' >"$m/0004_labels.sql"
expect_status "edited applied statement refused" 1 "$manage" migratetenant --tenant-id=t02
expect_output "says why" "users/0004_labels.sql: an earlier run applied its first 2 statement(s), and their text has changed since"
check "nothing run" 0 "$(sql "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${db}_t02' AND TABLE_NAME = 'more_labels'")"
rm "$m/0004_labels.sql"
sql "DELETE FROM ${db}_t02.tenant_migrator_history_progress"

# --- data-only migrations stay atomic ------------------------------------------------
printf 'INSERT INTO hits VALUES (5);\nINSERT INTO no_such_table VALUES (1);\n' >"$m/0004_data.sql"
expect_status "data-only migration fails" 1 "$manage" migratetenant --tenant-id=t03
expect_output "the server's error, rolled back whole" "users/0004_data.sql: 42S02: Table '${db}_t03.no_such_table' doesn't exist (line 2)"
expect_no_output "no statement count" "statement 2 of 2"
check "t03: first INSERT rolled back" 0 "$(sql "SELECT count(*) FROM ${db}_t03.hits WHERE n = 5")"
check "t03: no progress row" 0 "$(sql "SELECT count(*) FROM ${db}_t03.tenant_migrator_history_progress")"

# --- --statement-timeout applies to each statement ----------------------------------
printf 'CREATE TABLE slow (id INT);\nSELECT SLEEP(5);\n' >"$m/0004_data.sql"
expect_status "statement timeout" 1 "$manage" migratetenant --tenant-id=t03 --statement-timeout=1s
expect_output "statement 2 timed out" "users/0004_data.sql: statement 2 of 2 failed: "
expect_output "statement 1 applied" "; statement 1 is applied"
finish
