#!/usr/bin/env bash
# Open-ended fuzzing, outside the gate: SECONDS (default 600) per target, a new random
# seed each run, from the checked-in corpus. What it finds becomes a fix and a regression
# input in tests/fuzz/corpus/<target>/ (tests/fuzz/run.sh, docs/reliability.md).
#
#   bash tests/fuzz/explore.sh 3600
#   FUZZ_TARGETS=connection_string bash tests/fuzz/explore.sh 600
exec bash "$(dirname "$0")/run.sh" explore "${1:-600}"
