#!/usr/bin/env bash
# The benchmarks at a size that takes seconds (ctest benchmarks_smoke): every
# micro benchmark for a moment, then the end-to-end harness at 10 SQLite
# tenants (a short long history). Checks that they run and write their table
# and data file; asserts no timing.
#
#   bash benchmarks/smoke.sh MICRO_BENCHMARKS MANAGE
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 MICRO_BENCHMARKS MANAGE" >&2; exit 2; }
micro=$1 manage=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$micro" --benchmark_min_time=0.001 --benchmark_format=json --benchmark_out="$out/micro.json" >/dev/null
for name in plan_up_to_date_tenants/100000 plan_new_tenants/100000 checksum/65536 load_migration_set/1000; do
  grep -q "\"name\": \"$name" "$out/micro.json" || { echo "micro benchmark $name did not run" >&2; exit 1; }
done
if grep -q '"error_occurred": true' "$out/micro.json"; then
  echo "a micro benchmark failed:" >&2; grep -A1 '"error_occurred": true' "$out/micro.json" >&2; exit 1
fi

bash "$here/e2e.sh" --backends sqlite --sizes 10 --apply-sizes 10 --repeat 1 --long-tenants 2 \
  --long-migrations 20 --out "$out/e2e" --manage "$manage" 2>"$out/e2e.log" >/dev/null ||
  { cat "$out/e2e.log" >&2; exit 1; }
rows=$(tail -n +2 "$out/e2e/results.tsv" | wc -l)
[ "$rows" -eq 3 ] || { echo "e2e.sh wrote $rows rows, expected 3 (noop, apply, long):" >&2; cat "$out/e2e/results.tsv" >&2; exit 1; }
grep -q '^| sqlite | long | - | 2 |' "$out/e2e/results.md" || { echo "results.md lacks the long-history row" >&2; exit 1; }
echo "benchmarks smoke: micro benchmarks and e2e.sh (SQLite, 10 tenants) ran"
