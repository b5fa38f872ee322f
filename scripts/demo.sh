#!/usr/bin/env bash
# The quick start's first command: install what is missing, build `manage`,
# create a fresh demo (master + tenants acme, dev, globex as SQLite files, and
# a migration set) in demo/, and run migratealltenants over it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DTENANT_MIGRATOR_BUILD_TESTS=OFF >/dev/null
./build/examples/manage demo demo >/dev/null
echo "$ manage migratealltenants --master sqlite:demo/master.db --migrations demo/migrations"
exec ./build/examples/manage migratealltenants --master sqlite:demo/master.db --migrations demo/migrations
