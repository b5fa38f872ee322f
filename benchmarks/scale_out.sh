#!/usr/bin/env bash
# Scale-out figures: manage migratealltenants --parallel 1, 2, 4 and 8 over
# N schema tenants (default 1,000), each applying the five migrations of
# benchmarks/e2e.sh, on a throwaway PostgreSQL cluster of its own
# (scripts/pg-cluster.sh). Prints a Markdown table of medians with the
# speed-up against --parallel 1 (docs/benchmarks.md records one run).
#
#   bash benchmarks/scale_out.sh [--tenants N] [--repeat R] [--connection fresh|reuse]
#
# --max-connections-per-server is set to the worker count, so the cap never
# holds a worker back: the figures show the workers, not the cap. The server
# runs on the same machine as manage: with C cores, client and server share
# them, and no more than about C tenants can make progress at once.
set -euo pipefail
cd "$(dirname "$0")/.."
tenants=1000 repeat=1 connection=fresh
while [ $# -gt 0 ]; do
  case $1 in
    --tenants) tenants=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --connection) connection=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
manage=$PWD/build/examples/manage
[ -x "$manage" ] || { echo "build manage first: bash scripts/build.sh" >&2; exit 2; }
work=$(mktemp -d)
pg_dir=$(mktemp -d)
trap 'bash scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1; rm -rf "$work" "$pg_dir"' EXIT
server=$(bash scripts/pg-cluster.sh start "$pg_dir")
server=${server%/*}
export PGOPTIONS="-c client_min_messages=warning"

# The five migrations of benchmarks/e2e.sh: tables, indexes, a column, a view.
mig=$work/migrations
mkdir -p "$mig/users" "$mig/products"
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT);\n' >"$mig/users/0001_initial.sql"
printf 'CREATE UNIQUE INDEX users_email ON users (email);\n' >"$mig/users/0002_alter_user_email.sql"
printf 'ALTER TABLE users ADD COLUMN phone TEXT;\n' >"$mig/users/0003_add_phone.sql"
printf -- '-- depends: users/0001_initial\nCREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner_id INTEGER REFERENCES users (id));\nCREATE INDEX products_owner ON products (owner_id);\n' >"$mig/products/0001_initial.sql"
printf 'CREATE VIEW product_owners AS SELECT p.name, u.username FROM products p JOIN users u ON u.id = p.owner_id;\n' >"$mig/products/0002_owner_view.sql"

# A fresh database `bench` whose registry lists $tenants empty schema tenants.
setup() {
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
  psql -q "$server/bench" -c "CREATE TABLE tenant_migrator_tenants (tenant_id TEXT PRIMARY KEY, name TEXT NOT NULL,
        isolation TEXT NOT NULL, location TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL)" \
    -c "INSERT INTO tenant_migrator_tenants SELECT 't' || lpad(i::text, 5, '0'), 'T ' || i, 'schema',
        't' || lpad(i::text, 5, '0'), 'active', '2026-01-01T00:00:00Z' FROM generate_series(1, $tenants) i" \
    -c "DO \$\$ BEGIN FOR i IN 1..$tenants LOOP EXECUTE format('CREATE SCHEMA %I', 't' || lpad(i::text, 5, '0')); END LOOP; END \$\$"
}
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A seconds
for workers in 1 2 4 8; do
  times=()
  for _ in $(seq "$repeat"); do
    setup
    t0=$(now)
    "$manage" migratealltenants --master "$server/bench" --migrations "$mig" --connection "$connection" \
      --parallel "$workers" --max-connections-per-server "$workers" >"$work/last.out" 2>&1 ||
      { echo "--parallel $workers failed:" >&2; tail -5 "$work/last.out" >&2; exit 1; }
    times+=("$(echo "$(now) - $t0" | bc -l)")
    tr -d , <"$work/last.out" | grep -q "Total: $tenants tenants migrated" || { echo "--parallel $workers: not every tenant migrated" >&2; exit 1; }
  done
  seconds[$workers]=$(printf '%s\n' "${times[@]}" | median)
done

echo "| --parallel | ms | tenants/s | speed-up vs 1 |"
echo "|---|---|---|---|"
for workers in 1 2 4 8; do
  printf '| %s | %.0f | %.0f | %.2f |\n' "$workers" "$(echo "${seconds[$workers]} * 1000" | bc -l)" \
    "$(echo "$tenants / ${seconds[$workers]}" | bc -l)" "$(echo "${seconds[1]} / ${seconds[$workers]}" | bc -l)"
done
echo
echo "$tenants schema tenants x 5 migrations, --connection $connection, --max-connections-per-server = --parallel;"
echo "medians of $repeat run(s); $(nproc) cores shared by manage and the PostgreSQL server."
