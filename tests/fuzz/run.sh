#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) into
# build-fuzz/ and runs each for SECONDS (default 30), starting from its checked-in
# corpus tests/fuzz/corpus/<target>/ (which holds the regression inputs of every crash
# ever found: those run first, so a regression fails at once).
#
#   bash tests/fuzz/run.sh            # 30 s per target (scripts/test.sh runs this)
#   bash tests/fuzz/run.sh 3600       # an hour per target
#   FUZZ_TARGETS=connection_string bash tests/fuzz/run.sh 600
#
# Prints one line per target: executions, new corpus inputs, crashes. A crash leaves its
# input in build-fuzz/artifacts/<target>/ (reproduce: build-fuzz/fuzz_<target> FILE);
# copy it into tests/fuzz/corpus/<target>/ once fixed, as a regression input, and note it
# in docs/reliability.md. Exits 1 if any target crashed or failed to build.
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
out=${TENANT_MIGRATOR_FUZZ_DIR:-build-fuzz}
targets=(${FUZZ_TARGETS:-migration_file connection_string tenant_output mariadb_location})
cxx=${FUZZ_CXX:-clang++}
command -v "$cxx" >/dev/null || { echo "fuzz: $cxx not found (scripts/install-deps.sh installs clang)" >&2; exit 1; }
launcher=()
command -v ccache >/dev/null && launcher=(ccache)
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1  # cache hits from any clone folder
mkdir -p "$out"

flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -Iinclude -I"$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)")
status=0
for t in "${targets[@]}"; do
  src=tests/fuzz/fuzz_$t.cpp
  bin=$out/fuzz_$t
  if ! "${launcher[@]}" "$cxx" "${flags[@]}" -c "$src" -o "$bin.o" 2>"$out/fuzz_$t.build.log" ||
     ! "$cxx" "${flags[@]}" "$bin.o" -o "$bin" -lpq -lfmt 2>>"$out/fuzz_$t.build.log"; then
    echo "fuzz $t: BUILD FAILED"; tail -30 "$out/fuzz_$t.build.log"; status=1; continue
  fi
  work=$(mktemp -d)
  mkdir -p "$out/artifacts/$t"
  log=$out/fuzz_$t.log
  started=$(date +%s)
  "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$t/" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - started ))
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  seeds=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
  found=$(find "$work" -type f | wc -l)
  rm -rf "$work"
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ${execs:-?} executions in ${took}s, $seeds seed inputs, $found new corpus inputs, 0 crashes"
  else
    status=1
    crash=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
    echo "fuzz $t: CRASH after ${execs:-?} executions in ${took}s (exit $rc), input: ${crash:-see $log}"
    grep -E "FUZZ_CHECK|ERROR: AddressSanitizer|runtime error|^  (input|redacted|password)" "$log" | head -8 | sed 's/^/    /'
    echo "    log: $log; reproduce: $bin ${crash:-CRASH_FILE}"
  fi
done
exit $status
