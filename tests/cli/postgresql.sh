#!/usr/bin/env bash
# The manage CLI against a real PostgreSQL server (TENANT_MIGRATOR_TEST_PG, started
# by scripts/test.sh): schema, database and mixed tenants, companions, hostile
# identifiers, two concurrent runs, --lock-timeout, --connection reuse.
# Usage: postgresql.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/lib.sh"
if [ -z "${TENANT_MIGRATOR_TEST_PG:-}" ]; then
  echo "TENANT_MIGRATOR_TEST_PG is not set: run the tests through scripts/test.sh"; exit 1
fi
pg_scratch tm_cli || exit 1
master="$server/$db"
trap 'pg_drop_scratch; rm -rf "$work"' EXIT
export TENANT_MIGRATOR_MASTER="$master" TENANT_MIGRATOR_MIGRATIONS="$work/migrations"
export PGOPTIONS="-c client_min_messages=warning"
sql() { psql -tAq "$master" -c "$1"; }
mkdir -p "$work/migrations/users" "$work/migrations/products"
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n' >"$work/migrations/users/0001_initial.sql"
printf 'DROP TABLE users;\n' >"$work/migrations/users/0001_initial.down.sql"
printf 'CREATE UNIQUE INDEX users_email ON users (email);\n' >"$work/migrations/users/0002_alter_user_email.sql"
printf 'DROP INDEX users_email;\n' >"$work/migrations/users/0002_alter_user_email.down.sql"
printf -- '-- depends: users/0001_initial\nCREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT);\nCREATE FUNCTION product_count() RETURNS bigint LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN (SELECT count(*) FROM products);\nEND;\n$$;\n' >"$work/migrations/products/0001_initial.sql"

# --- createtenant: schema and database tenants, hostile identifiers ------------
for t in acme globex initech; do
  expect_status "create schema tenant $t" 0 "$manage" createtenant --tenant-id=$t --name="$t Inc." --isolation=schema --no-migrate
done
expect_output "schema created" "✓ Schema 'initech' created"
expect_status "create database tenant" 0 "$manage" createtenant --tenant-id=dbco --name="DB Co" --isolation=database --location="${db}_dbco" --no-migrate
expect_output "database created" "✓ Database '${db}_dbco' created"
expect_status "hostile schema location" 2 "$manage" createtenant --tenant-id=evil --name=Evil --isolation=schema --location='x"; DROP SCHEMA public CASCADE; --'
expect_output "refused, named" "may contain only lowercase letters, digits and '_'"
expect_status "public as a location" 2 "$manage" createtenant --tenant-id=pub --name=Pub --isolation=schema --location=public
expect_output "public refused" "schema name 'public' is reserved"
expect_status "hostile database name" 1 "$manage" createtenant --tenant-id=evildb --name=Evil --isolation=database --location='x"; DROP DATABASE postgres; --'
check "no row for refused tenants" 0 "$(sql "SELECT count(*) FROM tenant_migrator_tenants WHERE tenant_id IN ('evil','pub','evildb')")"
check "public untouched" 1 "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'public'")"
# A registry row written by hand with a hostile location fails that tenant alone.
sql "INSERT INTO tenant_migrator_tenants VALUES ('zhostile', 'Z', 'schema', 'x\"; DROP SCHEMA public CASCADE; --', 'active', '2026-01-01T00:00:00Z')"

# --- a mixed run with a failing tenant in the middle -----------------------------
sql "CREATE TABLE globex.products (legacy INTEGER)"
expect_status "mixed run, globex fails" 1 "$manage" migratealltenants
expect_output "globex failure with SQLSTATE" "✗ ERROR Migrations failed for tenant 'globex': products/0001_initial.sql: 42P07: relation \"products\" already exists (line 2)"
expect_output "hostile row failed alone" "✗ ERROR Migrations failed for tenant 'zhostile': tenant 'zhostile': schema name"
expect_output "summary" "  Total: 5 tenants, 3 succeeded, 2 failed"
check "acme history in its schema" 3 "$(sql "SELECT count(*) FROM acme.tenant_migrator_history")"
check "dbco history in its database" 3 "$(psql -tAq "$server/${db}_dbco" -c "SELECT count(*) FROM tenant_migrator_history")"
check "globex: products left nothing" "users/0001_initial" "$(sql "SELECT app || '/' || name FROM globex.tenant_migrator_history")"
check "globex: no function" 0 "$(sql "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'globex' AND proname = 'product_count'")"
check "no history table in public" 0 "$(sql "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'tenant_migrator_history'")"
sql "DELETE FROM tenant_migrator_tenants WHERE tenant_id = 'zhostile'"
sql "DROP TABLE globex.products"
expect_status "rerun with reused connection completes globex" 0 "$manage" migratealltenants --connection reuse
expect_output "globex migrated" "✓ globex - migrated successfully (2 applied)"

# --- companions on PostgreSQL ----------------------------------------------------
expect_status "showmigrations --pending" 0 "$manage" showmigrations --pending
expect_output "all up to date" "acme: up to date"
expect_status "plan backwards" 0 "$manage" migratetenant --tenant-id=acme users 0001_initial --plan
expect_output "unapply planned" "  Unapply users/0002_alter_user_email.sql"
before=$(sql "SELECT indexname FROM pg_indexes WHERE schemaname = 'acme' ORDER BY 1")
expect_status "backwards" 0 "$manage" migratetenant --tenant-id=acme users 0001_initial
check "index gone" 0 "$(sql "SELECT count(*) FROM pg_indexes WHERE schemaname = 'acme' AND indexname = 'users_email'")"
expect_status "forwards again" 0 "$manage" migratetenant --tenant-id=acme
check "indexes as before" "$before" "$(sql "SELECT indexname FROM pg_indexes WHERE schemaname = 'acme' ORDER BY 1")"
expect_status "showmigrations json" 0 "$manage" showmigrations --format=json --tenant-id=dbco
jq -e '.[0].pending == 0 and (.[0].migrations | length == 3)' "$work/out" >/dev/null && pass "json state" || fail "json state"
expect_status "showtenants" 0 "$manage" showtenants --isolation=schema --format=csv
check "three schema tenants" 4 "$(wc -l <"$work/out")"
# A DROP DATABASE the server refuses (a template database cannot be dropped): outside any tenant, exit 3.
psql -q "$TENANT_MIGRATOR_TEST_PG" -c "ALTER DATABASE ${db}_dbco IS_TEMPLATE true"
expect_status "deletetenant refused by the server" 3 "$manage" deletetenant --tenant-id=dbco --drop-data --yes
expect_output "names the tenant and the server's reason" "error: tenant 'dbco' not deleted: "
expect_output "server's reason" "cannot drop a template database"
check "registry row kept" 1 "$(sql "SELECT count(*) FROM tenant_migrator_tenants WHERE tenant_id = 'dbco'")"
psql -q "$TENANT_MIGRATOR_TEST_PG" -c "ALTER DATABASE ${db}_dbco IS_TEMPLATE false"
expect_status "delete with data" 0 "$manage" deletetenant --tenant-id=initech --drop-data --yes
check "schema dropped" 0 "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'initech'")"

# --- a schema dropped by hand fails that tenant alone ----------------------------
sql "DROP SCHEMA globex CASCADE"
printf 'ALTER TABLE users ADD COLUMN phone TEXT;\n' >"$work/migrations/users/0003_add_phone.sql"
expect_status "dropped schema" 1 "$manage" migratealltenants
expect_output "named" "✗ ERROR Migrations failed for tenant 'globex': schema 'globex' of tenant 'globex' does not exist"
expect_output "others migrated" "✓ acme - migrated successfully (1 applied)"
"$manage" deletetenant --tenant-id=globex --yes >/dev/null

# --- --lock-timeout stops a migration blocked by a held lock ---------------------
printf 'ALTER TABLE users ADD COLUMN nickname TEXT;\n' >"$work/migrations/users/0004_add_nickname.sql"
psql -q "$master" -c "BEGIN; LOCK TABLE acme.users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;" >/dev/null 2>&1 &
locker=$!
sleep 1
expect_status "blocked tenant stopped by --lock-timeout" 1 "$manage" migratealltenants --lock-timeout=300ms
expect_output "which timeout" "lock timeout fired"
expect_output "the other tenant migrated" "✓ dbco - migrated successfully (1 applied)"
kill $locker 2>/dev/null; wait $locker 2>/dev/null
expect_status "rerun after the lock is gone" 0 "$manage" migratealltenants

# --- two runs started at once over the same 50 schema tenants --------------------
many="${db}_many"
psql -q "$TENANT_MIGRATOR_TEST_PG" -c "CREATE DATABASE $many"
export TENANT_MIGRATOR_MASTER="$server/$many"
for i in $(seq -w 1 50); do
  "$manage" createtenant --tenant-id=t$i --name="T $i" --isolation=schema --no-migrate >/dev/null || fail "create t$i"
done
"$manage" migratealltenants --lock-wait=60000 >"$work/run1" 2>&1 & p1=$!
"$manage" migratealltenants --lock-wait=60000 >"$work/run2" 2>&1 & p2=$!
wait $p1; s1=$?; wait $p2; s2=$?
check "first run exit" 0 "$s1"
check "second run exit" 0 "$s2"
rows=0; dupes=0
for i in $(seq -w 1 50); do
  rows=$((rows + $(psql -tAq "$server/$many" -c "SELECT count(*) FROM t$i.tenant_migrator_history")))
  dupes=$((dupes + $(psql -tAq "$server/$many" -c "SELECT count(*) - count(DISTINCT (app, name)) FROM t$i.tenant_migrator_history")))
done
check "every migration applied once: 50 x 5 rows" 250 "$rows"
check "no duplicate history rows" 0 "$dupes"
if grep -q "already exists" "$work/run1" "$work/run2"; then fail "duplicate-object errors"; else pass "no duplicate-object errors"; fi
applied=$(cat "$work/run1" "$work/run2" | grep -c ' ... OK$')
check "OK lines across both runs = 250" 250 "$applied"

# --- showmigrations over more tenants than it holds at once (5,000) ---------------
# 5,000 more schema tenants with t01's history, written in bulk (1,000 schemas
# per transaction: the server's lock table holds no more): 5,050 in all.
psql -q "$server/$many" -c "INSERT INTO tenant_migrator_tenants SELECT 'u' || lpad(i::text, 4, '0'), 'U', 'schema', 'u' || lpad(i::text, 4, '0'), 'active', '2026-01-01T00:00:00Z' FROM generate_series(1, 5000) i" \
  || fail "5,000 tenants registered"
for first in 1 1001 2001 3001 4001; do
  psql -q "$server/$many" -c "DO \$\$ DECLARE s TEXT; BEGIN FOR i IN $first..$((first + 999)) LOOP
      s := 'u' || lpad(i::text, 4, '0');
      EXECUTE format('CREATE SCHEMA %I', s);
      EXECUTE format('CREATE TABLE %I.tenant_migrator_history (LIKE t01.tenant_migrator_history INCLUDING ALL)', s);
      EXECUTE format('INSERT INTO %I.tenant_migrator_history SELECT * FROM t01.tenant_migrator_history', s);
    END LOOP; END \$\$" || fail "schemas from u$first"
done
psql -q "$server/$many" -c "DELETE FROM u4999.tenant_migrator_history WHERE name = (SELECT max(name) FROM u4999.tenant_migrator_history)"
expect_status "showmigrations --pending over 5,050 tenants, one behind" 1 "$manage" showmigrations --pending
check "one line per tenant, each once, in id order" "5050 5050 sorted" \
  "$(wc -l <"$work/out") $(sort -u "$work/out" | wc -l) $(LC_ALL=C sort -c "$work/out" 2>/dev/null && echo sorted)"
check "the first and the last" "t01: up to date|u5000: up to date" "$(sed -n '1p;$p' "$work/out" | paste -sd'|')"
check "the one behind, in the second 5,000" "u4999: 1 pending" "$(grep -v 'up to date' "$work/out")"
"$manage" showmigrations --format json >"$work/all.json"; check "json exit (pending is not an error without --pending)" 0 $?
check "json: 5,050 tenants, each once, in order" "5050 5050 t01 u5000" \
  "$(jq -r '[length, ([.[].tenant] | unique | length), .[0].tenant, .[-1].tenant] | join(" ")' "$work/all.json")"
check "json: the one behind" "u4999 1" "$(jq -r '.[] | select(.pending > 0) | "\(.tenant) \(.pending)"' "$work/all.json")"

finish
