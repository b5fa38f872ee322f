#!/usr/bin/env bash
# The manage CLI against a real MariaDB server (TENANT_MIGRATOR_TEST_MARIADB, started
# by scripts/test.sh): database tenants created and dropped, every command, JSON
# output validated against docs/schemas/, the up-to-date fast path (one connection
# per server reads every tenant's history), --connection reuse, Ctrl-C.
# One section per feature; each starts with a "# --- name ---" line.
# Usage: mariadb.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${TENANT_MIGRATOR_TEST_MARIADB:-}" ]; then
  echo "skipped: TENANT_MIGRATOR_TEST_MARIADB is not set (scripts/test.sh starts a server and sets it)"; exit 77
fi
work=$(mktemp -d)
source "$here/lib.sh"

# --- setup: a master database and a user of our own, with a password -----------
# The admin URL is mariadb://root@HOST:PORT/ (scripts/mariadb-cluster.sh).
admin=${TENANT_MIGRATOR_TEST_MARIADB%/}
hostport=${admin#*@}
host=${hostport%:*}
port=${hostport##*:}
db="tm_cli_$$_$RANDOM"
user="tmcli_$$_$RANDOM"
secret="Pw_${RANDOM}_s3cret"
master="mariadb://$user:$secret@$hostport/$db"
# root_sql SQL / sql SQL: run SQL as root (no database / in the master database); rows tab-separated.
root_sql() { mariadb --no-defaults -N -B --protocol=TCP -h "$host" -P "$port" -uroot -e "$1"; }
sql() { mariadb --no-defaults -N -B --protocol=TCP -h "$host" -P "$port" -uroot "$db" -e "$1"; }
tenant_sql() { mariadb --no-defaults -N -B --protocol=TCP -h "$host" -P "$port" -uroot "${db}_$1" -e "$2"; }
cleanup() {
  for d in $(root_sql "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE LEFT(SCHEMA_NAME, ${#db}) = '$db'"); do
    root_sql "DROP DATABASE IF EXISTS \`$d\`" >/dev/null
  done
  root_sql "DROP USER IF EXISTS '$user'@'%'" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
root_sql "CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; CREATE USER '$user'@'%' IDENTIFIED BY '$secret';
          GRANT ALL PRIVILEGES ON *.* TO '$user'@'%'" || exit 1
# Connections are counted per user (userstat: information_schema.USER_STATISTICS),
# so tests running beside this one on the same server do not disturb the counts.
root_sql "SET GLOBAL userstat = 1" || exit 1
connections() { root_sql "SELECT COALESCE(MAX(TOTAL_CONNECTIONS), 0) FROM information_schema.USER_STATISTICS WHERE USER = '$user'"; }
export TENANT_MIGRATOR_MASTER="$master" TENANT_MIGRATOR_MIGRATIONS="$work/migrations"
validate() { /usr/bin/python3 "$here/../json/validate.py" "$@" >"$work/v" 2>&1 && pass "$1 schema: $(tail -1 "$work/v")" || { fail "$1 schema"; cat "$work/v"; }; }
# Every output of every command is kept: none may show the password.
all_out="$work/all_out"
: >"$all_out"
keep() { cat "$work/out" >>"$all_out"; }
mkdir -p "$work/migrations/users" "$work/migrations/products"
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200));\n' >"$work/migrations/users/0001_initial.sql"
printf 'DROP TABLE users;\n' >"$work/migrations/users/0001_initial.down.sql"
printf 'CREATE UNIQUE INDEX users_email ON users (email);\n' >"$work/migrations/users/0002_alter_user_email.sql"
printf 'DROP INDEX users_email ON users;\n' >"$work/migrations/users/0002_alter_user_email.down.sql"
printf -- '-- depends: users/0001_initial\nCREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TRIGGER products_named BEFORE INSERT ON products FOR EACH ROW\nBEGIN\n  IF NEW.name IS NULL THEN SET NEW.name = '"'"'unnamed'"'"'; END IF;\nEND;\n' >"$work/migrations/products/0001_initial.sql"

# --- createtenant: databases created; hostile names refused ----------------------
expect_status "create database tenant acme" 0 "$manage" createtenant --tenant-id=acme --name="Acme" --isolation=database --location="${db}_acme" --no-migrate
keep
expect_output "database created" "Database '${db}_acme' created"
check "acme's database exists" 1 "$(root_sql "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${db}_acme'")"
expect_status "create and migrate globex" 0 "$manage" createtenant --tenant-id=globex --name="Globex" --isolation=database --location="${db}_globex"
keep
expect_output "migrated at creation" "Migrations completed"
check "globex history" 3 "$(tenant_sql globex "SELECT count(*) FROM tenant_migrator_history")"
expect_status "schema isolation refused" 2 "$manage" createtenant --tenant-id=sch --name=Sch --isolation=schema --no-migrate
keep
# A database name is the adapter's to check (as on PostgreSQL): refused before anything is created, exit 1.
expect_status "hostile database name" 1 "$manage" createtenant --tenant-id=evil --name=Evil --isolation=database --location='x`; DROP DATABASE mysql; --'
keep
expect_output "hostile name refused, named" "Tenant 'evil' not created: database name 'x\`; DROP DATABASE mysql; --' may contain only lowercase letters, digits and '_'"
expect_status "reserved database name" 1 "$manage" createtenant --tenant-id=evil2 --name=Evil --isolation=database --location=mysql
keep
expect_output "reserved name refused" "Tenant 'evil2' not created: database name 'mysql' is reserved"
check "no row for refused tenants" 0 "$(sql "SELECT count(*) FROM tenant_migrator_tenants WHERE tenant_id IN ('sch','evil','evil2')")"
check "mysql untouched" 1 "$(root_sql "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'mysql'")"

# --- migratealltenants: a run, --plan, --fake ----------------------------------
# --atomic cannot hold without transactional DDL: refused before anything runs (docs/scale-out.md).
expect_status "--atomic refused" 2 "$manage" migratealltenants --atomic
expect_output "--atomic: why" "error: --atomic: this database's DDL is not transactional"
expect_status "migratetenant --atomic refused" 2 "$manage" migratetenant --tenant-id acme --atomic
expect_status "plan before the run" 0 "$manage" migratealltenants --plan --format json
keep
cp "$work/out" "$work/plan.jsonl"
validate events "$work/plan.jsonl"
check "acme's plan" "products/0001_initial.sql users/0001_initial.sql users/0002_alter_user_email.sql" \
  "$(jq -rs 'map(select(.tenant=="acme"))[0].steps | map(.migration) | sort | join(" ")' "$work/plan.jsonl")"
check "a plan changes nothing" 0 "$(tenant_sql acme "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")"
"$manage" migratealltenants --format json >"$work/run.jsonl" 2>"$work/out"; check "run json" 0 $?
cat "$work/run.jsonl" >>"$all_out"
validate events "$work/run.jsonl"
check "acme history" 3 "$(tenant_sql acme "SELECT count(*) FROM tenant_migrator_history")"
check "trigger created" 1 "$(tenant_sql acme "SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")"

# --- showtenants: table and JSON ---------------------------------------------------
expect_status "showtenants" 0 "$manage" showtenants
keep
expect_output "acme listed" "acme"
expect_output "location shown" "${db}_globex"
"$manage" showtenants --format json >"$work/tenants.json"; check "showtenants json" 0 $?
validate showtenants "$work/tenants.json"
check "two tenants" 2 "$(jq length "$work/tenants.json")"
# A tenant on a server of its own: its location is shown with the password masked.
sql "INSERT INTO tenant_migrator_tenants VALUES ('remote', 'Remote', 'database', 'mariadb://$user:$secret@127.0.0.1:1/remote', 'disabled', '2026-01-01T00:00:00Z')"
expect_status "showtenants, a location with a password" 0 "$manage" showtenants --format csv
keep
expect_output "masked" "remote,Remote,database,mariadb://$user:****@127.0.0.1:1/remote,disabled"
sql "DELETE FROM tenant_migrator_tenants WHERE tenant_id = 'remote'"

# --- showmigrations: table and JSON ------------------------------------------------
expect_status "showmigrations" 0 "$manage" showmigrations --tenant-id=acme
keep
expect_output "applied marked" "   [X] 0002_alter_user_email"
"$manage" showmigrations --format json >"$work/migrations.json"; check "showmigrations json" 0 $?
validate showmigrations "$work/migrations.json"
check "nothing pending" 0 "$(jq '[.[].pending] | add' "$work/migrations.json")"

# --- migratetenant: backwards, forwards, --fake, --repair ------------------------
expect_status "plan backwards" 0 "$manage" migratetenant --tenant-id=acme users 0001_initial --plan
keep
expect_output "unapply planned" "  Unapply users/0002_alter_user_email.sql"
"$manage" migratetenant --tenant-id=acme users 0001_initial --format json >"$work/back.jsonl" 2>"$work/out"
check "backwards" 0 $?
validate events "$work/back.jsonl"
grep -q '"direction":"backwards"' "$work/back.jsonl" && pass "backwards direction" || fail "no backwards event"
check "index gone" 0 "$(tenant_sql acme "SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'users_email'")"
check "history row gone" 0 "$(tenant_sql acme "SELECT count(*) FROM tenant_migrator_history WHERE name = '0002_alter_user_email'")"
"$manage" migratetenant --tenant-id=acme users 0002_alter_user_email --fake --format json >"$work/fake.jsonl" 2>"$work/fake.err"
check "fake" 0 $?
validate events "$work/fake.jsonl"
check "fake: recorded" 1 "$(tenant_sql acme "SELECT count(*) FROM tenant_migrator_history WHERE name = '0002_alter_user_email'")"
check "fake: no index" 0 "$(tenant_sql acme "SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'users_email'")"
tenant_sql acme "CREATE UNIQUE INDEX users_email ON users (email)"
tenant_sql acme "UPDATE tenant_migrator_history SET checksum = 'x' WHERE app = 'users' AND name = '0001_initial'"
expect_status "changed checksum fails" 1 "$manage" migratetenant --tenant-id=acme
keep
"$manage" migratetenant --tenant-id=acme --repair --format json >"$work/repair.jsonl" 2>"$work/out"; check "repair json" 0 $?
validate events "$work/repair.jsonl"
check "repaired file named" "users/0001_initial.sql" "$(jq -r '.accepted | join(" ")' "$work/repair.jsonl")"
expect_status "after repair" 0 "$manage" migratetenant --tenant-id=acme
keep

# --- the fast path: up-to-date tenants read with one connection per server --------
for i in $(seq -w 1 20); do
  "$manage" createtenant --tenant-id=t$i --name="T $i" --isolation=database --location="${db}_t$i" --no-migrate >>"$all_out" 2>&1 ||
    fail "create t$i"
done
expect_status "migrate the twenty" 0 "$manage" migratealltenants
keep
# Counts: one connection for the registry, one to read every history (22 tenants, one server);
# a run (not --plan, not showmigrations) also has one for the run ledger.
root_sql "FLUSH USER_STATISTICS"
expect_status "up-to-date run" 0 "$manage" migratealltenants
keep
check "up-to-date run: 3 connections (registry, batch, ledger)" 3 "$(connections)"
expect_output "reported up to date (counted: over 20 tenants)" "  ✓ 22 up to date"
root_sql "FLUSH USER_STATISTICS"
expect_status "showmigrations --pending" 0 "$manage" showmigrations --pending
keep
expect_output "all up to date" "t13: up to date"
check "showmigrations --pending: 2 connections" 2 "$(connections)"
root_sql "FLUSH USER_STATISTICS"
expect_status "--plan" 0 "$manage" migratealltenants --plan
keep
check "--plan: 2 connections" 2 "$(connections)"
root_sql "FLUSH USER_STATISTICS"
expect_status "showmigrations json" 0 "$manage" showmigrations --format=json
keep
check "showmigrations json: 2 connections" 2 "$(connections)"
cp "$work/out" "$work/m22.json"
validate showmigrations "$work/m22.json"
# A tenant whose history table was dropped by hand takes the normal path and fails
# there alone (its tables exist); the others stay on the fast path.
tenant_sql t05 "DROP TABLE tenant_migrator_history"
root_sql "FLUSH USER_STATISTICS"
expect_status "a dropped history table" 1 "$manage" migratealltenants
keep
expect_output "named" "Migrations failed for tenant 't05'"
# 5: the registry's, the ledger's, the batch's, t05's and its Ctrl-C helper session (KILL QUERY), opened to run a migration.
check "dropped history: 5 connections (registry, ledger, batch, t05 + its Ctrl-C session)" 5 "$(connections)"
root_sql "DROP DATABASE ${db}_t05; CREATE DATABASE ${db}_t05 CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
expect_status "t05 migrated again" 0 "$manage" migratetenant --tenant-id=t05
keep

# --- --connection reuse: one connection per server at a time ----------------------
printf 'ALTER TABLE users ADD COLUMN phone VARCHAR(40);\n' >"$work/migrations/users/0003_add_phone.sql"
# At most 3 connections of the user at once: the registry's, the run ledger's and one
# tenant's (its Ctrl-C helper session is opened when a slot is free, and is not needed to migrate).
root_sql "ALTER USER '$user'@'%' WITH MAX_USER_CONNECTIONS 3"
expect_status "reuse run" 0 "$manage" migratealltenants --connection reuse
keep
expect_output "all migrated" "Total: 22 tenants migrated"
root_sql "ALTER USER '$user'@'%' WITH MAX_USER_CONNECTIONS 0"
check "phone everywhere" 22 "$(root_sql "SELECT count(*) FROM information_schema.COLUMNS WHERE LEFT(TABLE_SCHEMA, ${#db}) = '$db' AND COLUMN_NAME = 'phone'")"

# --- Ctrl-C: the running statement is stopped, the migration not recorded ---------
printf 'SELECT SLEEP(30) FROM (SELECT 1 UNION SELECT 2) t;\n' >"$work/migrations/users/0004_slow.sql"
"$manage" migratetenant --tenant-id=acme >"$work/out" 2>&1 &
pid=$!
# Signalled once the server runs the SLEEP, so that KILL QUERY has a statement to stop.
for _ in $(seq 300); do
  [ "$(root_sql "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(30)%'")" != 0 ] && break
  sleep 0.1
done
kill -INT $pid
wait $pid; status=$?
keep
check "Ctrl-C exit status" 130 "$status"
expect_output "the statement stopped, rolled back" "users/0004_slow.sql was rolled back (SIGINT)"
check "0004 not recorded" 0 "$(tenant_sql acme "SELECT count(*) FROM tenant_migrator_history WHERE name = '0004_slow'")"
rm "$work/migrations/users/0004_slow.sql"

# --- deletetenant --drop-data: the database is dropped ----------------------------
expect_status "delete with data" 0 "$manage" deletetenant --tenant-id=globex --drop-data --yes
keep
check "database dropped" 0 "$(root_sql "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${db}_globex'")"
check "registry row gone" 0 "$(sql "SELECT count(*) FROM tenant_migrator_tenants WHERE tenant_id = 'globex'")"
expect_status "delete without data" 0 "$manage" deletetenant --tenant-id=t20 --yes
keep
check "database kept" 1 "$(root_sql "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${db}_t20'")"

# --- secrets: no output showed the password ----------------------------------------
if grep -qF -- "$secret" "$all_out"; then fail "the password was printed: $(grep -F -- "$secret" "$all_out" | head -1)"; else pass "the password was never printed"; fi

finish
