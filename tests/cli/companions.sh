#!/usr/bin/env bash
# The companion commands end to end on real SQLite files: migratetenant,
# showtenants, showmigrations, createtenant, deletetenant, makemigration,
# and the seed page's recipes with `manage` in place of `python manage.py`.
# Usage: companions.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/lib.sh"
schema_of() { sqlite3 "$work/demo/$1.db" "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"; }
history_of() { sqlite3 "$work/demo/$1.db" "SELECT app || '/' || name || ' ' || checksum FROM tenant_migrator_history ORDER BY app, name"; }

"$manage" demo "$work/demo" >/dev/null
export TENANT_MIGRATOR_MASTER="sqlite:$work/demo/master.db" TENANT_MIGRATOR_MIGRATIONS="$work/demo/migrations"

# --- migratetenant ---------------------------------------------------------
expect_status "plan before anything" 0 "$manage" migratetenant --tenant-id=acme --plan
expect_output "plan lists every migration" $'Planned operations for tenant \'acme\':\n  Apply users/0001_initial.sql\n  Apply products/0001_initial.sql\n  Apply users/0002_alter_user_email.sql\n'
[ ! -e "$work/demo/acme.db" ] || [ -z "$(sqlite3 "$work/demo/acme.db" .tables)" ] && pass "--plan changed nothing" || fail "--plan wrote to the tenant"
expect_status "one app with its dependencies" 0 "$manage" migratetenant --tenant-id=acme products
expect_output "products pulls users/0001" $'  users/0001_initial.sql ... OK\n  products/0001_initial.sql ... OK\n'
expect_no_output "users/0002 not applied" "0002_alter_user_email.sql ... OK"
expect_status "everything pending" 0 "$manage" migratetenant --tenant-id=acme
expect_output "the rest applied" "  users/0002_alter_user_email.sql ... OK"
expect_status "nothing left" 0 "$manage" migratetenant --tenant-id=acme --plan
expect_output "no planned operations" "  No planned operations."

before_schema=$(schema_of acme); before_history=$(history_of acme | cut -d' ' -f1)
expect_status "plan backwards" 0 "$manage" migratetenant --tenant-id=acme users 0001_initial --plan
expect_output "unapply listed" "  Unapply users/0002_alter_user_email.sql"
expect_status "backwards move" 0 "$manage" migratetenant --tenant-id=acme users 0001_initial
expect_output "unapplied" "  Unapplying users/0002_alter_user_email.sql ... OK"
[ "$(sqlite3 "$work/demo/acme.db" "SELECT count(*) FROM sqlite_master WHERE name='users_email_unique'")" = 0 ] && pass "index dropped" || fail "index still there"
expect_status "refuse to unapply what another app depends on" 1 "$manage" migratetenant --tenant-id=acme users zero
expect_output "names both" "cannot unapply users/0001_initial.sql: products/0001_initial.sql is applied and depends on it"
expect_status "forwards again" 0 "$manage" migratetenant --tenant-id=acme users
[ "$(schema_of acme)" = "$before_schema" ] && pass "schema exactly as before" || fail "schema differs after back and forth"
[ "$(history_of acme | cut -d' ' -f1)" = "$before_history" ] && pass "history exactly as before" || fail "history differs"

rm "$work/demo/migrations/users/0002_alter_user_email.down.sql"
expect_status "no .down.sql: refused before anything runs" 1 "$manage" migratetenant --tenant-id=acme users 0001_initial
expect_output "names the file" "cannot unapply users/0002_alter_user_email.sql: users/0002_alter_user_email.down.sql does not exist"
[ "$(schema_of acme)" = "$before_schema" ] && pass "nothing ran" || fail "refused move changed the schema"

expect_status "--fake forwards" 0 "$manage" migratetenant --tenant-id=dev users 0001_initial --fake
expect_output "fake warning" "Warning: --fake changes migration history without running any SQL."
expect_output "faked line" "  users/0001_initial.sql ... FAKED"
[ "$(history_of dev | cut -d' ' -f1)" = "users/0001_initial" ] && pass "fake recorded" || fail "fake not recorded"
[ "$(sqlite3 "$work/demo/dev.db" "SELECT count(*) FROM sqlite_master WHERE name='users'")" = 0 ] && pass "fake ran no SQL" || fail "fake ran SQL"
expect_status "--fake backwards" 0 "$manage" migratetenant --tenant-id=dev users zero --fake
[ -z "$(history_of dev)" ] && pass "fake unapply removed the row" || fail "row left"

expect_status "unknown tenant" 2 "$manage" migratetenant --tenant-id=nope
expect_output "unknown tenant message" "Tenant 'nope' does not exist. Create it with: manage createtenant --tenant-id=nope ..."
expect_status "disabletenant" 0 "$manage" disabletenant dev
expect_output "disabled, and how to undo it" "✓ Tenant 'dev' disabled: runs leave it alone (manage enabletenant dev undoes it)"
check "registry says disabled" disabled "$(sqlite3 "$work/demo/master.db" "SELECT status FROM tenant_migrator_tenants WHERE tenant_id='dev'")"
expect_status "disabletenant again: nothing to do" 0 "$manage" disabletenant dev
expect_output "already disabled" "Tenant 'dev' is already disabled"
expect_status "disabled tenant" 2 "$manage" migratetenant --tenant-id=dev
expect_output "disabled message names the command" "error: Tenant 'dev' is disabled (enable it with: manage enabletenant dev)"
expect_status "disabled tenant asked for by --tenant" 2 "$manage" migratealltenants --tenant dev
expect_output "library message with the command" "error: Tenant 'dev' is disabled (enable it with: manage enabletenant dev)"
expect_status "runs leave it alone" 0 "$manage" migratealltenants --plan
expect_no_output "dev not planned" "tenant 'dev'"
expect_status "unknown id" 2 "$manage" enabletenant nope
expect_output "unknown id named" "error: Tenant 'nope' does not exist"
expect_status "no id" 2 "$manage" disabletenant
expect_output "id required" "tenant_id is required"
expect_status "enabletenant" 0 "$manage" enabletenant dev
expect_output "enabled" "✓ Tenant 'dev' enabled: runs migrate it again"
check "registry says active" active "$(sqlite3 "$work/demo/master.db" "SELECT status FROM tenant_migrator_tenants WHERE tenant_id='dev'")"
expect_status "enabletenant again: nothing to do" 0 "$manage" enabletenant dev
expect_output "already active" "Tenant 'dev' is already active"
sqlite3 "$work/demo/master.db" "UPDATE tenant_migrator_tenants SET status='incomplete' WHERE tenant_id='dev'"
expect_status "enabletenant leaves an incomplete tenant alone" 0 "$manage" enabletenant dev
expect_output "says why" "Tenant 'dev' is incomplete: it becomes active on its first successful migration (manage migratetenant --tenant-id=dev)"
check "still incomplete" incomplete "$(sqlite3 "$work/demo/master.db" "SELECT status FROM tenant_migrator_tenants WHERE tenant_id='dev'")"
sqlite3 "$work/demo/master.db" "UPDATE tenant_migrator_tenants SET status='disabled' WHERE tenant_id='dev'"
expect_status "unknown app" 2 "$manage" migratetenant --tenant-id=acme nope
expect_output "unknown app message" "app 'nope' has no migrations"
expect_status "unknown migration" 2 "$manage" migratetenant --tenant-id=acme users 0009_nope
expect_output "unknown migration message" "migration 'users/0009_nope' does not exist"
sqlite3 "$work/demo/master.db" "UPDATE tenant_migrator_tenants SET status='active' WHERE tenant_id='dev'"

# A failing migration: exit 1.
sqlite3 "$work/demo/globex.db" "CREATE TABLE products (x INTEGER)"
expect_status "failing migratetenant" 1 "$manage" migratetenant --tenant-id=globex
expect_output "failure line" "✗ ERROR Migrations failed for tenant 'globex': products/0001_initial.sql: table products already exists"
expect_output "next step" "Fix the cause, then rerun: manage migratetenant --tenant-id=globex"
sqlite3 "$work/demo/globex.db" "DROP TABLE products"

# --repair after a changed file
printf -- '-- The people who sign in to a tenant.\nCREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  username TEXT NOT NULL UNIQUE,\n  email TEXT\n);\n-- reviewed\n' >"$work/demo/migrations/users/0001_initial.sql"
expect_status "changed file fails the tenant" 1 "$manage" migratetenant --tenant-id=acme
expect_output "changed message" "users/0001_initial.sql was changed after it was applied (checksum"
expect_status "repair" 0 "$manage" migratetenant --tenant-id=acme --repair
expect_output "repair line" "Accepted the current checksum of users/0001_initial.sql"
expect_status "after repair" 0 "$manage" migratetenant --tenant-id=acme
expect_status "repair globex too" 0 "$manage" migratetenant --tenant-id=globex --repair
expect_status "nothing to repair" 0 "$manage" migratetenant --tenant-id=acme --repair
expect_output "nothing to repair message" "Nothing to repair: every recorded checksum matches its file."

# migratealltenants with targets, --plan, --tenant/--exclude
expect_status "plan of every tenant" 0 "$manage" migratealltenants --plan
expect_output "plan per tenant" "Planned operations for tenant 'dev':"
expect_status "all tenants to one target" 0 "$manage" migratealltenants users 0001_initial --exclude acme
expect_output "dev only to users/0001" "✓ dev - migrated successfully (1 applied)"

# --- showtenants -----------------------------------------------------------
expect_status "table" 0 "$manage" showtenants
expect_output "columns" "Tenant ID  Name              Isolation  Location   Status  Created"
expect_status "json" 0 "$manage" showtenants --format=json
[ "$(jq -r '.[].tenant_id' "$work/out" | tr '\n' ' ')" = "acme dev globex " ] && pass "seed's jq recipe" || fail "jq recipe"
jq -e 'all(.[]; (keys_unsorted) == ["tenant_id","name","isolation","location","status","created_at"])' "$work/out" >/dev/null && pass "json keys" || fail "json keys"
jq -e 'all(.[]; .created_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"))' "$work/out" >/dev/null && pass "ISO 8601" || fail "created_at format"
sqlite3 "$work/demo/master.db" "INSERT INTO tenant_migrator_tenants VALUES ('remote', 'Remote, \"Inc\"', 'database', 'postgresql://app:hunter2@db.example/remote', 'disabled', '2026-01-01T00:00:00Z')"
for f in table json csv; do
  expect_status "showtenants $f with a password" 0 "$manage" showtenants --format=$f
  expect_no_output "no password in $f" "hunter2"
  expect_output "masked in $f" "user=app password=**** dbname=remote host=db.example"
done
expect_output "csv quoting" '"Remote, ""Inc"""'
expect_status "filter" 0 "$manage" showtenants --status=disabled --format=csv
[ "$(wc -l <"$work/out")" = 2 ] && pass "status filter" || fail "status filter"
expect_status "bad isolation" 2 "$manage" showtenants --isolation=table
expect_output "valid values named" "{database,schema}"
sqlite3 "$work/demo/master.db" "DELETE FROM tenant_migrator_tenants WHERE tenant_id='remote'"

# --- showmigrations --------------------------------------------------------
expect_status "showmigrations" 0 "$manage" showmigrations
expect_output "django style" $'acme:\n  products\n   [X] 0001_initial\n  users\n   [X] 0001_initial\n   [X] 0002_alter_user_email\n'
expect_output "pending shown" "   [ ] 0002_alter_user_email"
expect_status "pending gate" 1 "$manage" showmigrations --pending
expect_output "counts" $'acme: up to date\ndev: 2 pending\nglobex: 2 pending\n'
expect_status "json" 0 "$manage" showmigrations --format=json --tenant-id=acme
jq -e '.[0].tenant == "acme" and (.[0].migrations | length == 3) and all(.[0].migrations[]; has("app") and has("name") and has("applied") and has("applied_at") and has("checksum_ok"))' "$work/out" >/dev/null && pass "json keys" || fail "json keys"
sqlite3 "$work/demo/acme.db" "INSERT INTO tenant_migrator_history VALUES ('users','0009_ghost','x','2026-01-01T00:00:00Z',1)"
expect_status "flags a missing migration" 0 "$manage" showmigrations --tenant-id=acme users
expect_output "ghost flagged" "   [X] 0009_ghost  (recorded, but not in the migration set)"
expect_no_output "app filter" "products"
sqlite3 "$work/demo/acme.db" "DELETE FROM tenant_migrator_history WHERE name='0009_ghost'"

# Staggered rollout, the seed's loop.
for t in $("$manage" showtenants --format=json | jq -r '.[].tenant_id'); do
  "$manage" migratetenant --tenant-id=$t >/dev/null || fail "rollout $t"
done
expect_status "all up to date after the loop" 0 "$manage" showmigrations --pending

# --- createtenant / deletetenant ----------------------------------------------
expect_status "create" 0 "$manage" createtenant --tenant-id=initech --name=Initech --isolation=database
expect_output "registered" "✓ Tenant 'initech' registered"
expect_output "database created" "✓ Database 'initech.db' created"
expect_output "migrated" "✓ Migrations completed"
expect_status "duplicate" 2 "$manage" createtenant --tenant-id=initech --name=Again --isolation=database
expect_output "duplicate message" "Tenant 'initech' already exists"
expect_status "bad id" 2 "$manage" createtenant --tenant-id=-bad --name=x --isolation=database
expect_output "bad id named" "tenant id '-bad' must not start or end with '-'"
expect_status "schema on sqlite" 2 "$manage" createtenant --tenant-id=sch --name=x --isolation=schema
expect_output "schema refused" "schema isolation needs a PostgreSQL master"
# On a terminal, missing flags are asked for (script(1) gives the command a pty).
printf 'wayne\nWayne Enterprises\ndatabase\n' | script -qec "$manage createtenant" /dev/null >"$work/out" 2>&1
expect_output "asks for the id" "Tenant ID (a-z, 0-9, -): "
expect_output "created from the answers" "Tenant 'wayne' registered"
check "registered with the name given" "Wayne Enterprises" "$(sqlite3 "$work/demo/master.db" "SELECT name FROM tenant_migrator_tenants WHERE tenant_id='wayne'")"
expect_status "missing flag off a terminal" 2 "$manage" createtenant --tenant-id=x </dev/null
expect_output "missing flag named" "missing --name"
touch "$work/demo/taken.db"
expect_status "provisioning failure leaves nothing" 1 "$manage" createtenant --tenant-id=taken --name=T --isolation=database
expect_output "reason" "database file '$work/demo/taken.db' already exists"
[ "$(sqlite3 "$work/demo/master.db" "SELECT count(*) FROM tenant_migrator_tenants WHERE tenant_id='taken'")" = 0 ] && pass "no master row left" || fail "master row left"
printf 'CREATE TABLE broken (;\n' >"$work/demo/migrations/users/0003_broken.sql"
expect_status "migration failure after provisioning" 1 "$manage" createtenant --tenant-id=hooli --name=Hooli --isolation=database
expect_output "rerun hint" "manage migratetenant --tenant-id=hooli"
expect_status "shows incomplete" 0 "$manage" showtenants --status=incomplete --format=csv
expect_output "hooli incomplete" "hooli,Hooli,database,hooli.db,incomplete"
rm "$work/demo/migrations/users/0003_broken.sql"
expect_status "rerun completes it" 0 "$manage" migratetenant --tenant-id=hooli
expect_status "now active" 0 "$manage" showtenants --status=active --format=csv
expect_output "hooli active" "hooli,Hooli,database,hooli.db,active"
expect_status "delete without --yes" 2 "$manage" deletetenant --tenant-id=hooli --drop-data
expect_output "says what it would delete" "drop database 'hooli.db'"
[ -e "$work/demo/hooli.db" ] && pass "nothing deleted" || fail "deleted without --yes"
expect_status "delete" 0 "$manage" deletetenant --tenant-id=hooli --drop-data --yes
[ ! -e "$work/demo/hooli.db" ] && pass "data dropped" || fail "file left"
expect_status "keep data" 0 "$manage" deletetenant --tenant-id=initech --yes
[ -e "$work/demo/initech.db" ] && pass "data kept without --drop-data" || fail "data dropped"

# --- makemigration ---------------------------------------------------------
expect_status "makemigration" 0 "$manage" makemigration users add_phone
expect_output "path printed" "$work/demo/migrations/users/0003_add_phone.sql"
expect_status "new app" 0 "$manage" makemigration billing initial
[ -f "$work/demo/migrations/billing/0001_initial.sql" ] && pass "first migration of an app" || fail "no file"
expect_status "bad slug" 2 "$manage" makemigration users Add-Phone
expect_status "empty migration is caught before running" 2 "$manage" migratealltenants
expect_output "names the empty file" "users/0003_add_phone.sql: empty migration"

finish
