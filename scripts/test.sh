#!/usr/bin/env bash
# The quick start's second command, and what CI runs: install what is missing,
# build everything, start a throwaway PostgreSQL, run the whole test suite,
# stop the server (also when tests fail).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DTENANT_MIGRATOR_BUILD_TESTS=ON
# test_postgresql's server (TENANT_MIGRATOR_TEST_PG), removed on exit whatever the outcome.
pg_cluster="$PWD/scripts/pg-cluster.sh"
pg_dir=$(mktemp -d)
trap 'bash "$pg_cluster" stop "$pg_dir"' EXIT
TENANT_MIGRATOR_TEST_PG=$(bash "$pg_cluster" start "$pg_dir")
export TENANT_MIGRATOR_TEST_PG
cd "${TENANT_MIGRATOR_BUILD_DIR:-build}"
ctest --output-on-failure --parallel "${TENANT_MIGRATOR_JOBS:-2}" "$@"
