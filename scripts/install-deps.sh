#!/usr/bin/env bash
# Installs the Debian 12 packages TenantMigrator builds and tests with, when missing.
# Runs as root (or with sudo available). Nothing is downloaded from anywhere else.
set -euo pipefail

packages=(
  cmake g++ make ccache python3 python3-jsonschema
  libboost-dev libfmt-dev nlohmann-json3-dev doctest-dev libcli11-dev
  libsqlite3-dev sqlite3
  libpq-dev postgresql postgresql-client
  libmariadb-dev mariadb-server  # the MariaDB adapter and its test server (scripts/mariadb-cluster.sh)
  jq
  clang libclang-rt-14-dev  # the fuzz targets (tests/fuzz/run.sh): libFuzzer, ASan, UBSan runtimes
  e2fsprogs util-linux      # chattr and setpriv (tests/reliability/bad_input.py)
  libbenchmark-dev gnuplot-nox time  # benchmarks/: the micro benchmarks, the plot, peak RSS (/usr/bin/time)
)
# --with-clang: accepted for older callers; clang is always installed now.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/tenant_migrator_apt.log 2>&1; then
  $sudo apt-get update >>/tmp/tenant_migrator_apt.log 2>&1
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/tenant_migrator_apt.log 2>&1 ||
    { tail -20 /tmp/tenant_migrator_apt.log >&2; echo "apt-get install failed (log: /tmp/tenant_migrator_apt.log)" >&2; exit 1; }
fi
