#!/usr/bin/env bash
# Builds the core tests and manage with clang 14 (-Wall -Wextra -Wpedantic -Werror)
# into build-clang/ and runs the tests that need no server: the library must
# build warning-free on both g++ 12 and clang 14.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CXX=clang++ cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Debug -DTENANT_MIGRATOR_WERROR=ON \
  "${launcher[@]}" >build-clang.configure.log 2>&1 ||
  { cat build-clang.configure.log >&2; exit 1; }
cmake --build build-clang --parallel "${TENANT_MIGRATOR_JOBS:-2}" --target test_core test_sqlite test_postgresql manage
./build-clang/tests/test_core
./build-clang/tests/test_sqlite
