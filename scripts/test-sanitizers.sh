#!/usr/bin/env bash
# The whole test suite built with -DTENANT_MIGRATOR_SANITIZE=ON (AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer on every test executable and on manage,
# so the CLI and reliability tests run the sanitized manage) into build-asan/ (ccache),
# then ctest there. Any sanitizer report fails its test (-fno-sanitize-recover=all,
# halt_on_error). Extra arguments go to ctest (e.g. -R reliability).
#
# PostgreSQL tests use TENANT_MIGRATOR_TEST_PG (scripts/test.sh runs this script with its
# server); without it this script starts a throwaway server of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${TENANT_MIGRATOR_ASAN_BUILD_DIR:-build-asan}
# ccache hits from any clone folder (CI clones into a new one each time).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
TENANT_MIGRATOR_BUILD_DIR=$build_dir bash scripts/build.sh -DTENANT_MIGRATOR_BUILD_TESTS=ON \
  -DTENANT_MIGRATOR_SANITIZE=ON

# The option must really reach the binaries: manage and every executable the tests
# build must load the ASan and UBSan runtimes. (Not checked: the nested builds of the
# consumer_* and single_header_test_suite tests, which configure projects of their own.)
unsanitized=() checked=0
while IFS= read -r bin; do
  head -c 4 "$bin" | grep -q ELF || continue
  checked=$((checked + 1))
  libs=$(ldd "$bin" 2>/dev/null || true)
  if ! grep -q libasan <<<"$libs" || ! grep -q libubsan <<<"$libs"; then unsanitized+=("$bin"); fi
done < <(find "$build_dir/examples" "$build_dir/tests" -type f -perm -u+x -not -path '*/CMakeFiles/*' \
           -not -path '*/consumers/*' -not -path '*/single_header_build/*' -not -name '*.so' | sort)
if [ ${#unsanitized[@]} -gt 0 ] || [ ! -x "$build_dir/examples/manage" ]; then
  echo "test-sanitizers: built without -fsanitize=address,undefined: ${unsanitized[*]:-no manage}" >&2
  exit 1
fi
echo "test-sanitizers: $checked executables (manage, the tests, the examples) link libasan and libubsan"

if [ -z "${TENANT_MIGRATOR_TEST_PG:-}" ]; then
  pg_cluster="$PWD/scripts/pg-cluster.sh"
  pg_dir=$(mktemp -d)
  trap 'bash "$pg_cluster" stop "$pg_dir"' EXIT
  TENANT_MIGRATOR_TEST_PG=$(bash "$pg_cluster" start "$pg_dir")
  export TENANT_MIGRATOR_TEST_PG
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build_dir"
# Left out: tests that run no sanitized code (they compile headers or files
# that must not compile, build nested projects of their own, or read files
# with Python), which the main suite has run already.
not_sanitized='^(single_include_is_fresh|header_self_containment|single_header_test_suite|consumer_.*|compile_fail_.*'
not_sanitized+='|docs_concept_pages_show_their_examples|docs_snippets_are_compiled_files)$'
ctest --output-on-failure --parallel "${TENANT_MIGRATOR_JOBS:-2}" -E "$not_sanitized" "$@"
