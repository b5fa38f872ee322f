#!/usr/bin/env bash
# Real-world migration sets through the manage CLI: other tools' folders read
# in place (golang-migrate, Flyway, dbmate, pop; --migrations-format, --app,
# the detection line, mixed folders), placeholders, --baseline, and on a real
# PostgreSQL server (when TENANT_MIGRATOR_TEST_PG is set) --shared-schema,
# placeholders on schema and database tenants, and baselines.
# Usage: layouts.sh MANAGE_BINARY
set -uo pipefail
manage=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/lib.sh"
cleanup_pg() { :; }
trap 'cleanup_pg; rm -rf "$work"' EXIT
master="sqlite:$work/master.db"
m() { "$manage" "$@"; }
lite() { sqlite3 "$work/$1.db" "$2"; }
# A tenant's history fits one migration set: one tenant per folder below.
for t in alpha beta gamma delta ph1 ph2 legacy epsilon; do
  expect_status "create SQLite tenant $t" 0 m createtenant --master "$master" --tenant-id=$t --name=$t --isolation=database --no-migrate
done
run_on() { local dir=$1; shift; m migratealltenants --master "$master" --migrations "$dir" "$@"; }

# --- golang-migrate: up/down files, versions compared as numbers, detected ------
g="$work/accounts"; mkdir -p "$g"
echo 'CREATE TABLE users (id INTEGER PRIMARY KEY);' >"$g/1_create_users.up.sql"
echo 'DROP TABLE users;' >"$g/1_create_users.down.sql"
echo 'ALTER TABLE users ADD email TEXT;' >"$g/2_add_email.up.sql"
echo 'ALTER TABLE users DROP email;' >"$g/2_add_email.down.sql"
echo 'CREATE INDEX users_email ON users (email);' >"$g/10_add_index.up.sql"
echo 'DROP INDEX users_email;' >"$g/10_add_index.down.sql"
expect_status "golang-migrate folder, detected" 0 run_on "$g" --tenant alpha
expect_output "detection line" "Migrations: golang-migrate layout detected in $g (app \"accounts\")"
expect_output "10 after 2" $'  accounts/2_add_email.up.sql ... OK\n  accounts/10_add_index.up.sql ... OK'
check "history names" "1_create_users 2_add_email 10_add_index" \
  "$(lite alpha "SELECT group_concat(name, ' ') FROM (SELECT name FROM tenant_migrator_history WHERE app = 'accounts' ORDER BY rowid)")"
expect_status "golang-migrate down files" 0 m migratetenant --master "$master" --migrations "$g" --tenant-id=alpha accounts 1_create_users
expect_output "down file run" "  Unapplying accounts/10_add_index.up.sql ... OK"
check "email column gone" 0 "$(lite alpha "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email'")"
expect_status "showmigrations reads it too" 0 m showmigrations --master "$master" --migrations "$g" --tenant-id=alpha
expect_output "state, in version order" $'  accounts\n   [X] 1_create_users\n   [ ] 2_add_email\n   [ ] 10_add_index'

# --- Flyway: versioned, undo, repeatable changed between runs; --app, format given
f="$work/shop"; mkdir -p "$f"
echo 'CREATE TABLE orders (id INTEGER PRIMARY KEY);' >"$f/V1__create_orders.sql"
echo 'ALTER TABLE orders ADD total INTEGER;' >"$f/V1.1__add_total.sql"
echo 'ALTER TABLE orders DROP total;' >"$f/U1.1__add_total.sql"
echo 'CREATE INDEX orders_total ON orders (total);' >"$f/V2__index_total.sql"
echo 'DROP INDEX orders_total;' >"$f/U2__index_total.sql"
echo 'DROP VIEW IF EXISTS totals; CREATE VIEW totals AS SELECT count(*) AS n FROM orders;' >"$f/R__totals_view.sql"
expect_status "Flyway folder, --app, format given" 0 run_on "$f" --migrations-format flyway --app store --tenant beta
expect_no_output "no detection line when the format is given" "layout detected"
expect_output "repeatable last" $'  store/V2__index_total.sql ... OK\n  store/R__totals_view.sql ... OK'
check "app named by --app" 4 "$(lite beta "SELECT count(*) FROM tenant_migrator_history WHERE app = 'store'")"
echo 'DROP VIEW IF EXISTS totals; CREATE VIEW totals AS SELECT count(*) AS n, max(id) AS last FROM orders;' >"$f/R__totals_view.sql"
expect_status "changed repeatable: applied again" 0 run_on "$f" --app store --tenant beta
expect_output "Flyway detected" "Migrations: flyway layout detected in $f (app \"store\")"
expect_output "only the repeatable ran" $'Migrating tenant: beta\n  store/R__totals_view.sql ... OK'
check "its row updated, not added" 4 "$(lite beta "SELECT count(*) FROM tenant_migrator_history WHERE app = 'store'")"
check "new view" 1 "$(lite beta "SELECT count(*) FROM pragma_table_info('totals') WHERE name = 'last'")"
expect_status "undo file" 0 m migratetenant --master "$master" --migrations "$f" --app store --tenant-id=beta store V1__create_orders
check "total gone" 0 "$(lite beta "SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'total'")"
# JSON events name other layouts' files too (docs/schemas/).
run_on "$f" --app store --tenant beta --format json >"$work/flyway.jsonl" 2>/dev/null
/usr/bin/python3 "$here/../json/validate.py" events "$work/flyway.jsonl" >"$work/out" 2>&1 && pass "Flyway run: JSON events valid" || { fail "Flyway JSON events"; cat "$work/out"; }
check "V1.1 and V2 applied again" "store/V1.1__add_total.sql store/V2__index_total.sql" \
  "$(jq -r 'select(.event == "migration_applied") | .migration' "$work/flyway.jsonl" | paste -sd' ')"
expect_status "makemigration refuses another tool's folder" 2 m makemigration --migrations "$f" store add_x
expect_output "says why" "makemigration writes tenant-migrator's layout (<dir>/<app>/NNNN_slug.sql), and '$f' is in flyway's"

# --- dbmate: timestamps, sections, transaction:false ----------------------------
d="$work/db"; mkdir -p "$d"
printf -- '-- migrate:up\nCREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT);\n\n-- migrate:down\nDROP TABLE events;\n' >"$d/20240115093000_create_events.sql"
printf -- '-- migrate:up transaction:false\nVACUUM;\n\n-- migrate:down\n' >"$d/20240116000000_vacuum.sql"
expect_status "dbmate folder: VACUUM outside a transaction" 0 run_on "$d" --tenant gamma
expect_output "dbmate detected" "Migrations: dbmate layout detected in $d (app \"db\")"
check "timestamp versions recorded" "20240115093000_create_events 20240116000000_vacuum" \
  "$(lite gamma "SELECT group_concat(name, ' ') FROM (SELECT name FROM tenant_migrator_history WHERE app = 'db' ORDER BY rowid)")"

# --- pop: the dialect's file wins, empty files skipped ---------------------------
p="$work/app"; mkdir -p "$p"
echo 'CREATE TABLE notes (id SERIAL) WITH (fillfactor = 70);' >"$p/20240101000000_create_notes.up.sql"
echo 'CREATE TABLE notes (id INTEGER PRIMARY KEY);' >"$p/20240101000000_create_notes.sqlite3.up.sql"
echo 'DROP TABLE notes;' >"$p/20240101000000_create_notes.down.sql"
echo '-- nothing for now' >"$p/20240102000000_nothing_here.up.sql"
expect_status "pop folder: sqlite3 file wins" 0 run_on "$p" --tenant delta
expect_output "pop detected" "Migrations: pop layout detected in $p (app \"app\")"
expect_output "the sqlite3 file ran" "  app/20240101000000_create_notes.sqlite3.up.sql ... OK"
check "empty file skipped" 1 "$(lite delta "SELECT count(*) FROM tenant_migrator_history WHERE app = 'app'")"

# --- mixed layouts; --app on our layout ------------------------------------------
x="$work/mixed"; mkdir -p "$x"
echo 'CREATE TABLE a (id INTEGER);' >"$x/V1__a.sql"
echo 'CREATE TABLE b (id INTEGER);' >"$x/2_b.up.sql"
expect_status "a folder mixing layouts" 2 run_on "$x"
expect_output "names a file of each" "one folder mixes migration layouts: 2_b.up.sql (golang-migrate), V1__a.sql (flyway); keep one per folder"
check "nothing ran" 0 "$(lite beta "SELECT count(*) FROM sqlite_master WHERE name IN ('a', 'b')")"
expect_status "mixed, even with the format given" 2 run_on "$x" --migrations-format flyway
o="$work/ours"; mkdir -p "$o/users"
echo 'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);' >"$o/users/0001_initial.sql"
expect_status "--app on our layout" 2 run_on "$o" --app x
expect_output "refused" "an app name ('x') is for another tool's layout"
expect_status "unknown format" 2 run_on "$o" --migrations-format liquibase

# --- placeholders (SQLite database tenants) ---------------------------------------
ph="$work/ph"; mkdir -p "$ph/settings"
printf -- '-- placeholders: on\nCREATE TABLE settings (tenant TEXT, note TEXT);\nINSERT INTO settings VALUES (${tenant_id}, '"'"'created for '"'"' || ${tenant_id});\n' >"$ph/settings/0001_initial.sql"
printf -- 'CREATE TABLE raw (v TEXT);\nINSERT INTO raw VALUES ('"'"'${tenant_id}'"'"');\n' >"$ph/settings/0002_no_placeholders.sql"
expect_status "placeholders on database tenants" 0 run_on "$ph" --tenant ph1,ph2
check "tenant_id as a literal" "ph1|created for ph1" "$(lite ph1 "SELECT tenant, note FROM settings")"
check "not replaced without the header" '${tenant_id}' "$(lite ph2 "SELECT v FROM raw")"
check "checksum of the file as written" "$(sha256sum "$ph/settings/0001_initial.sql" | cut -d' ' -f1)" \
  "$(lite ph1 "SELECT checksum FROM tenant_migrator_history WHERE app = 'settings' AND name = '0001_initial'")"
expect_status "--plan with placeholders" 0 run_on "$ph" --plan --tenant ph1
printf -- '-- placeholders: on\nCREATE TABLE x (v TEXT DEFAULT ${tenant});\n' >"$ph/settings/0003_unknown.sql"
printf -- '-- placeholders: on\nSELECT ${tenant_id;\n' >"$ph/settings/0004_unclosed.sql"
expect_status "unknown placeholder: the set is refused" 2 run_on "$ph" --tenant ph1
expect_output "names file and placeholder" "settings/0003_unknown.sql: unknown placeholder '\${tenant}' (known: \${tenant_id}, \${tenant_schema}, \${tenant_database})"
expect_output "unclosed" "settings/0004_unclosed.sql: a '\${' without its '}' on the same line (placeholders are on)"
check "nothing ran" 0 "$(lite ph1 "SELECT count(*) FROM sqlite_master WHERE name = 'x'")"
rm "$ph/settings/0003_unknown.sql" "$ph/settings/0004_unclosed.sql"
printf -- '-- placeholders: on\nCREATE TABLE y (v TEXT);\n' >"$ph/settings/0003_y.sql"
printf -- '-- placeholders: on\nCREATE TABLE z (v TEXT);\nINSERT INTO z VALUES ('"'"'${tenant_database}'"'"');\n' >"$ph/settings/0004_z.sql"
expect_status "SQLite file names are not database names" 1 run_on "$ph" --tenant ph1
expect_output "refused before anything ran" "settings/0004_z.sql: \${tenant_database} of tenant 'ph1': database name 'ph1.db' may contain only lowercase letters, digits and '_'"
check "not even the step before it" 0 "$(lite ph1 "SELECT count(*) FROM sqlite_master WHERE name IN ('y', 'z')")"
rm "$ph/settings/0003_y.sql" "$ph/settings/0004_z.sql"
# A registry row written by hand with a hostile-looking id: refused before substitution.
sqlite3 "$work/master.db" "INSERT INTO tenant_migrator_tenants VALUES ('x''); DROP TABLE settings; --', 'Evil', 'database', 'evil.db', 'active', '2026-01-01T00:00:00Z')"
: >"$work/evil.db"
expect_status "hostile tenant id" 1 run_on "$ph" --exclude alpha,beta,gamma,delta,legacy,epsilon
expect_output "refused, named" "✗ ERROR Migrations failed for tenant 'x'); DROP TABLE settings; --': tenant id 'x'); DROP TABLE settings; --' may contain only lowercase letters, digits and '-'"
check "nothing ran for it" 0 "$(sqlite3 "$work/evil.db" "SELECT count(*) FROM sqlite_master WHERE name = 'settings'")"
sqlite3 "$work/master.db" "DELETE FROM tenant_migrator_tenants WHERE name = 'Evil'"

# --- --shared-schema where there are no schemas --------------------------------------
expect_status "--shared-schema on SQLite" 2 run_on "$o" --shared-schema public
expect_output "one line" "--shared-schema: SQLite has no schemas to share (only PostgreSQL schema tenants have a search path)"

# --- --baseline (SQLite): tenants whose tables exist already ------------------------
b="$work/base"; mkdir -p "$b/users"
echo 'CREATE TABLE people (id INTEGER PRIMARY KEY);' >"$b/users/0001_initial.sql"
echo 'ALTER TABLE people ADD email TEXT;' >"$b/users/0002_email.sql"
echo 'CREATE INDEX people_email ON people (email);' >"$b/users/0003_email_index.sql"
lite legacy "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT);"
expect_status "baseline plan" 0 run_on "$b" --tenant legacy --baseline users/0002_email --plan
expect_output "plan shows the baseline" $'  Baseline users/0001_initial.sql (recorded as applied, not run)\n  Baseline users/0002_email.sql (recorded as applied, not run)\n  Apply users/0003_email_index.sql'
m migratetenant --master "$master" --migrations "$b" --tenant-id=epsilon users 0001_initial >/dev/null
run_on "$b" --tenant legacy --baseline users/0002_email --plan --format json >"$work/plan.jsonl" 2>/dev/null
/usr/bin/python3 "$here/../json/validate.py" events "$work/plan.jsonl" >"$work/out" 2>&1 && pass "baseline plan: JSON valid" || { fail "baseline plan JSON"; cat "$work/out"; }
check "baseline steps marked" "true true null" "$(jq -r '[.steps[].baseline] | map(tostring) | join(" ")' "$work/plan.jsonl")"
expect_status "baseline run" 0 run_on "$b" --tenant legacy --tenant epsilon --baseline users/0002_email.sql
expect_output "recorded, not run" $'  users/0001_initial.sql ... FAKED\n  users/0002_email.sql ... FAKED\n  users/0003_email_index.sql ... OK'
check "legacy: three rows" 3 "$(lite legacy "SELECT count(*) FROM tenant_migrator_history WHERE app = 'users'")"
check "legacy: index made" 1 "$(lite legacy "SELECT count(*) FROM sqlite_master WHERE name = 'people_email'")"
check "epsilon had a history: migrated as usual" 1 "$(lite epsilon "SELECT count(*) FROM pragma_table_info('people') WHERE name = 'email'")"
expect_status "baseline again: nothing to do" 0 run_on "$b" --tenant legacy --baseline users/0002_email
expect_output "up to date" "legacy - up to date"
expect_status "baseline naming no migration" 2 run_on "$b" --baseline users/0009_nope
expect_output "named" "baseline 'users/0009_nope' is not a migration of the set"

if [ -z "${TENANT_MIGRATOR_TEST_PG:-}" ]; then
  echo "TENANT_MIGRATOR_TEST_PG is not set: the PostgreSQL part is skipped"
  finish; exit
fi

# --- PostgreSQL ----------------------------------------------------------------------
pg_scratch tm_layouts || exit 1
pg="$server/$db"
cleanup_pg() { pg_drop_scratch; }
export PGOPTIONS="-c client_min_messages=warning"
sql() { psql -tAq "$pg" -c "$1"; }
pgrun() { local dir=$1; shift; m migratealltenants --master "$pg" --migrations "$dir" "$@"; }
for t in s1 s2 s3 p1 p2 p3; do
  expect_status "schema tenant $t" 0 m createtenant --master "$pg" --tenant-id=$t --name=$t --isolation=schema --no-migrate
done
expect_status "database tenant" 0 m createtenant --master "$pg" --tenant-id=d1 --name=d1 --isolation=database --location="${db}_d1" --no-migrate

# --shared-schema: pg_trgm once in public, a gin_trgm_ops index in each tenant.
sql "CREATE EXTENSION pg_trgm"
s="$work/search"; mkdir -p "$s/search"
printf 'CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT);\nCREATE INDEX docs_body_trgm ON docs USING gin (body gin_trgm_ops);\n' >"$s/search/0001_initial.sql"
expect_status "without --shared-schema: the operator class is not found" 1 pgrun "$s" --tenant s1,s2,s3
expect_output "clear message" "search/0001_initial.sql: 42704: operator class \"gin_trgm_ops\" does not exist for access method \"gin\""
expect_status "with --shared-schema public" 0 pgrun "$s" --tenant s1,s2,s3 --shared-schema public
expect_output "three tenants" "Total: 3 tenants migrated"
check "an index in each tenant's schema" 3 "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'docs_body_trgm' AND schemaname IN ('s1', 's2', 's3')")"
check "nothing in public" 0 "$(sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname IN ('docs', 'docs_body_trgm', 'tenant_migrator_history')")"
expect_status "createtenant --shared-schema" 0 m createtenant --master "$pg" --migrations "$s" --tenant-id=s4 --name=s4 --isolation=schema --shared-schema public
check "its index too" 1 "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'docs_body_trgm' AND schemaname = 's4'")"
expect_status "showmigrations --shared-schema" 0 m showmigrations --master "$pg" --migrations "$s" --tenant-id=s4 --shared-schema public
expect_status "a bad shared schema name" 2 pgrun "$s" --shared-schema 'x"; DROP SCHEMA public; --'
expect_output "refused, one line" "--shared-schema: shared schema name 'x\"; DROP SCHEMA public; --' may contain only lowercase letters, digits and '_'"

# Placeholders: schema tenants, a database tenant.
ps="$work/grants"; mkdir -p "$ps/grants"
sql "DO \$\$ BEGIN CREATE ROLE ${db}_reporting NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
printf -- '-- placeholders: on\nGRANT USAGE ON SCHEMA ${tenant_schema} TO %s_reporting;\nCREATE TABLE ${tenant_schema}.owner (tenant TEXT);\nINSERT INTO ${tenant_schema}.owner VALUES (${tenant_id});\n' "$db" >"$ps/grants/0001_grant.sql"
expect_status "placeholders on schema tenants" 0 pgrun "$ps" --tenant p1,p2
check "granted on the tenant's schema" t "$(sql "SELECT has_schema_privilege('${db}_reporting', 'p2', 'USAGE')")"
check "not on another" f "$(sql "SELECT has_schema_privilege('${db}_reporting', 'p3', 'USAGE')")"
check "tenant id as a literal" p2 "$(sql "SELECT tenant FROM p2.owner")"
pd="$work/dbnotes"; mkdir -p "$pd/dbnotes"
printf -- '-- placeholders: on\nCOMMENT ON DATABASE ${tenant_database} IS ${tenant_id};\n' >"$pd/dbnotes/0001_comment.sql"
expect_status "placeholders on a database tenant" 0 m migratetenant --master "$pg" --migrations "$pd" --tenant-id=d1
check "database named by the placeholder" d1 \
  "$(sql "SELECT description FROM pg_shdescription d JOIN pg_database b ON b.oid = d.objoid WHERE b.datname = '${db}_d1'")"
expect_status "\${tenant_database} on a schema tenant" 1 m migratetenant --master "$pg" --migrations "$pd" --tenant-id=p3
expect_output "refused" "dbnotes/0001_comment.sql: \${tenant_database}: tenant 'p3' uses schema isolation"
sql "CREATE SCHEMA hostile"
sql "INSERT INTO tenant_migrator_tenants VALUES ('h''; DROP SCHEMA s1 CASCADE; --', 'H', 'schema', 'hostile', 'active', '2026-01-01T00:00:00Z')"
expect_status "hostile tenant id on PostgreSQL" 1 pgrun "$ps" --exclude s1,s2,s3,s4,p3,d1
expect_output "refused before substitution" "✗ ERROR Migrations failed for tenant 'h'; DROP SCHEMA s1 CASCADE; --': tenant id 'h'; DROP SCHEMA s1 CASCADE; --' may contain only"
check "nothing ran in its schema" 0 "$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'hostile' AND tablename = 'owner'")"
check "s1 intact" 1 "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 's1'")"
sql "DELETE FROM tenant_migrator_tenants WHERE name = 'H'"

# --baseline on schema tenants whose tables exist already.
pb="$work/pbase"; mkdir -p "$pb/crm"
echo 'CREATE TABLE contacts (id INTEGER PRIMARY KEY);' >"$pb/crm/V1__contacts.sql"
echo 'ALTER TABLE contacts ADD email TEXT;' >"$pb/crm/V2__email.sql"
echo 'CREATE INDEX contacts_email ON contacts (email);' >"$pb/crm/V3__email_index.sql"
expect_status "schema tenant for the baseline" 0 m createtenant --master "$pg" --tenant-id=old --name=old --isolation=schema --no-migrate
sql "CREATE TABLE old.contacts (id INTEGER PRIMARY KEY, email TEXT)"
expect_status "baseline plan (PostgreSQL)" 0 pgrun "$pb/crm" --tenant old --baseline crm/V2__email --plan
expect_output "baseline steps" $'  Baseline crm/V1__contacts.sql (recorded as applied, not run)\n  Baseline crm/V2__email.sql (recorded as applied, not run)\n  Apply crm/V3__email_index.sql'
expect_status "baseline run (PostgreSQL)" 0 pgrun "$pb/crm" --tenant old --baseline crm/V2__email
check "recorded and applied" 3 "$(sql "SELECT count(*) FROM old.tenant_migrator_history")"
check "index made" 1 "$(sql "SELECT count(*) FROM pg_indexes WHERE schemaname = 'old' AND indexname = 'contacts_email'")"

finish
