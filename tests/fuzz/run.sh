#!/usr/bin/env bash
# The fuzz gate, and open-ended fuzzing (tests/fuzz/explore.sh).
#
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) into
# build-fuzz/, then for each target:
#   1. replays its checked-in corpus tests/fuzz/corpus/<target>/ (the regression inputs of
#      every crash ever found, and seeds): a regression fails here at once;
#   2. fuzzes from that corpus with a fixed seed and a fixed number of runs (below; about
#      20-40 s per target on a 2-core machine). No time limit: the same inputs are tried on
#      every machine, so the gate reaches the same verdict everywhere, however fast.
#
#   bash tests/fuzz/run.sh                          # the gate (scripts/test.sh runs this)
#   FUZZ_TARGETS=connection_string bash tests/fuzz/run.sh
#   bash tests/fuzz/run.sh explore 600              # open-ended: 600 s per target, a new
#                                                   # random seed each time (= explore.sh 600)
#
# Prints one line per target: executions, new corpus inputs, crashes. A crash leaves its
# input in build-fuzz/artifacts/<target>/ (reproduce: build-fuzz/fuzz_<target> FILE).
# Exploring finds what the gate cannot: copy each crash into tests/fuzz/corpus/<target>/
# once fixed, as a regression input, and note it in docs/reliability.md; from then on the
# gate replays it. Exits 1 if any target crashed or failed to build.
set -uo pipefail
cd "$(dirname "$0")/../.."
mode=gate
seconds=
if [ "${1:-}" = explore ]; then
  mode=explore
  seconds=${2:-600}
elif [ $# -gt 0 ]; then
  echo "usage: $0 [explore SECONDS]" >&2
  exit 2
fi
# The gate's fixed seed and runs per target (runs: about 20-40 s each here).
gate_seed=${FUZZ_SEED:-20261201}
declare -A gate_runs=([migration_file]=400000 [connection_string]=250000 [tenant_output]=40000 [mariadb_location]=90000)
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
no_aslr=()
setarch "$(uname -m)" -R true 2>/dev/null && no_aslr=(setarch "$(uname -m)" -R)
no_aslr=(env -i "${no_aslr[@]}")
status=0
for t in "${targets[@]}"; do
  src=tests/fuzz/fuzz_$t.cpp
  bin=$out/fuzz_$t
  if ! "${launcher[@]}" "$cxx" "${flags[@]}" -c "$src" -o "$bin.o" 2>"$out/fuzz_$t.build.log" ||
     ! "$cxx" "${flags[@]}" "$bin.o" -o "$bin" -lpq -lfmt 2>>"$out/fuzz_$t.build.log"; then
    echo "fuzz $t: BUILD FAILED"; tail -30 "$out/fuzz_$t.build.log"; status=1; continue
  fi
  corpus=tests/fuzz/corpus/$t
  seeds=$(find "$corpus" -type f | wc -l)
  # New inputs go to a scratch folder: the checked-in corpus only changes by hand. A fixed
  # relative path, not mktemp's: the arguments' length, like the environment's, moves the stack.
  work=$out/new-inputs/$t
  rm -rf "$work" && mkdir -p "$work"
  mkdir -p "$out/artifacts/$t"
  log=$out/fuzz_$t.log
  common=(-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/")
  started=$(date +%s)
  if [ $mode = gate ]; then
    # 1. Each corpus file once, on its own (the files, not the folder: nothing is fuzzed).
    "$bin" "${common[@]}" $(find "$corpus" -type f | sort) >"$log" 2>&1
    rc=$?
    # 2. Fixed seed, fixed runs. -runs counts the corpus replay too; no -max_total_time.
    #    -reload=0: libFuzzer otherwise rereads its corpus folder every few seconds, a
    #    clock-driven step that changes what comes next. Without address randomization
    #    (setarch -R): libFuzzer learns mutations from the values the target compares,
    #    heap and stack addresses among them, which ASLR would vary; and with an empty
    #    environment (env -i), whose size would shift the stack. Two runs then print the
    #    same coverage and the same number of new inputs.
    if [ $rc -eq 0 ]; then
      "${no_aslr[@]}" "$bin" "${common[@]}" -seed="$gate_seed" -reload=0 -runs="${gate_runs[$t]:-100000}" "$work" "$corpus" >>"$log" 2>&1
      rc=$?
    fi
    how="seed $gate_seed"
  else
    "$bin" "${common[@]}" -max_total_time="$seconds" "$work" "$corpus" >"$log" 2>&1
    rc=$?
    how="seed $(grep -oE 'Seed: [0-9]+' "$log" | head -1 | grep -oE '[0-9]+')"
  fi
  took=$(( $(date +%s) - started ))
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  found=$(find "$work" -type f | wc -l)
  # Coverage reached (libFuzzer's last "cov: N ft: M"): two gate runs must print the same.
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  rm -rf "$work"
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: $seeds corpus inputs replayed, ${execs:-?} executions ($how) in ${took}s, ${cov:-cov ?}, $found new corpus inputs, 0 crashes"
  else
    status=1
    crash=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
    echo "fuzz $t: CRASH after ${execs:-?} executions ($how) in ${took}s (exit $rc), input: ${crash:-see $log}"
    grep -E -A3 "FUZZ_CHECK|ERROR: AddressSanitizer|runtime error" "$log" | head -8 | sed 's/^/    /'
    echo "    log: $log; reproduce: $bin ${crash:-CRASH_FILE}"
  fi
done
exit $status
