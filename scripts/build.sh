#!/usr/bin/env bash
# Configures and builds into build/ (or $TENANT_MIGRATOR_BUILD_DIR) with ccache.
# Extra arguments go to the CMake configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${TENANT_MIGRATOR_BUILD_DIR:-build}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} -DTENANT_MIGRATOR_WERROR=ON \
  "${launcher[@]}" "$@" >"$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log" >&2; exit 1; }
cmake --build "$build_dir" --parallel "${TENANT_MIGRATOR_JOBS:-2}"
