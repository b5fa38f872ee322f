#!/usr/bin/env bash
# Draws the time of a no-op run (every tenant up to date) against the tenant
# count, for manage and each floor, from benchmarks/e2e.sh's results.tsv:
#
#   bash benchmarks/plot.sh build/benchmarks/results.tsv docs/benchmarks-noop.svg
#
# Needs gnuplot (Debian gnuplot-nox). Log-log axes: a line of slope 1 is cost
# linear in the tenant count.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 RESULTS.tsv OUT.svg" >&2; exit 2; }
tsv=$1 svg=$2
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# One two-column file (tenants, seconds) per line of the plot.
series() {  # series FILE BACKEND MANAGE_VARIANT COLUMN
  awk -F'\t' -v b="$2" -v v="$3" -v c="$4" 'NR > 1 && $1 == b && $2 == "noop" && $7 == v {print $4, $c}' "$tsv" |
    sort -n >"$data/$1"
}
series pg_schema_manage pg-schema migratealltenants 8
series pg_schema_pending pg-schema "showmigrations --pending" 8
series pg_schema_floor pg-schema migratealltenants 6
series pg_database_manage pg-database migratealltenants 8
series pg_database_floor pg-database migratealltenants 6
series sqlite_manage sqlite migratealltenants 8
series sqlite_floor sqlite migratealltenants 6
plots=()
add() {  # add FILE TITLE STYLE
  [ -s "$data/$1" ] && plots+=("'$data/$1' using 1:2 with linespoints $3 title '$2'")
  return 0
}
add pg_schema_manage "PostgreSQL schemas: manage migratealltenants" "lc rgb '#1f77b4' lw 2 pt 7"
add pg_schema_pending "PostgreSQL schemas: manage showmigrations --pending" "lc rgb '#1f77b4' lw 1 pt 6 dt 3"
add pg_schema_floor "PostgreSQL schemas: psql, a history read per schema" "lc rgb '#1f77b4' lw 2 pt 5 dt 2"
add pg_database_manage "PostgreSQL databases: manage migratealltenants" "lc rgb '#2ca02c' lw 2 pt 7"
add pg_database_floor "PostgreSQL databases: psql, \\\\c and a read per database" "lc rgb '#2ca02c' lw 2 pt 5 dt 2"
add sqlite_manage "SQLite files: manage migratealltenants" "lc rgb '#d62728' lw 2 pt 7"
add sqlite_floor "SQLite files: sqlite3, .open and a read per file" "lc rgb '#d62728' lw 2 pt 5 dt 2"
[ ${#plots[@]} -gt 0 ] || { echo "$tsv has no noop rows to plot" >&2; exit 1; }
joined=$(printf '%s, ' "${plots[@]}")
gnuplot <<GP
set terminal svg size 860,520 font 'sans,12' background rgb 'white'
set output '$svg'
set title 'A run where every tenant is up to date: wall time against tenant count'
set xlabel 'tenants'
set ylabel 'seconds per run (median)'
set logscale xy
set grid
set key top left box opaque font ',10'
plot ${joined%, }
GP
echo "wrote $svg"
