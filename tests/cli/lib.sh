# Shared helpers of the CLI test scripts (sourced). Each script sets $work first.
failures=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; failures=$((failures + 1)); }
# expect_status NAME STATUS CMD...: runs CMD, keeps stdout+stderr in $work/out.
expect_status() {
  local name=$1 want=$2; shift 2
  "$@" >"$work/out" 2>&1; local got=$?
  if [ "$got" = "$want" ]; then pass "$name (exit $got)"; else fail "$name: exit $got, expected $want"; sed 's/^/    /' "$work/out"; fi
}
# expect_output NAME TEXT: $work/out contains TEXT (which may span lines).
expect_output() {
  if python3 -c 'import sys; sys.exit(0 if sys.argv[1] in open(sys.argv[2], encoding="utf-8", errors="replace").read() else 1)' "$2" "$work/out"; then
    pass "$1"; else fail "$1: output lacks '$2'"; sed 's/^/    /' "$work/out"; fi
}
expect_no_output() {
  if grep -qF -- "$2" "$work/out"; then fail "$1: output has '$2'"; sed 's/^/    /' "$work/out"; else pass "$1"; fi
}
# check NAME EXPECTED ACTUAL
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$3', expected '$2'"; fi; }
finish() { echo "$failures failure(s)"; [ "$failures" = 0 ]; }
# PostgreSQL (TENANT_MIGRATOR_TEST_PG): pg_scratch PREFIX creates a new
# database on that server and sets $server and $db; pg_drop_scratch drops it
# and every database named after it (tenant databases "${db}_...").
pg_scratch() {
  server=${TENANT_MIGRATOR_TEST_PG%/*}
  db="$1_$$_$RANDOM"
  psql -q "$TENANT_MIGRATOR_TEST_PG" -c "CREATE DATABASE $db"
}
pg_drop_scratch() {
  local d
  for d in $(psql -tA "$TENANT_MIGRATOR_TEST_PG" -c "SELECT datname FROM pg_database WHERE datname LIKE '${db}%'"); do
    psql -q "$TENANT_MIGRATOR_TEST_PG" -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null
  done
}
