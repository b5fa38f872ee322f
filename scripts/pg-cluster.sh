#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (scripts/test.sh uses it).
#
#   scripts/pg-cluster.sh start DIR   initdb into DIR (empty or missing), start the server on
#                                     127.0.0.1 and a free port from 25432 up, print its URL:
#                                     postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh stop DIR    stop the server (fast) and remove DIR
#
# As root, the server runs as the `postgres` user (initdb refuses root): DIR is
# chowned to it, so DIR's parent must be searchable by postgres (mktemp -d in
# /tmp is). As any other user, DIR must be that user's and the tools run directly.
# Trust authentication, no fsync: for tests only. The server log is DIR/server.log.
# PG_CLUSTER_FSYNC=on starts it durable instead (fsync, synchronous commit and
# full page writes on), as a production server runs: the benchmarks time both.
# PG_CLUSTER_SHARED_BUFFERS=SIZE (e.g. 1GB) sets shared_buffers (default: the
# server's, 128MB).
#
# Ports: from 25432 up, below the kernel's ephemeral range (net.ipv4.ip_local_port_range,
# 32768-60999 by default), where any outgoing connection may take a port between our
# check and the server's bind. Ports inside that range are skipped, and each is
# checked free before use.
set -euo pipefail

usage() { echo "usage: $0 start DIR | stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
command=$1
dir=$2
case $dir in
  /*) ;;
  *) dir="$PWD/$dir" ;;
esac
case $dir in *"'"* | *" "*) echo "$0: DIR must not contain spaces or quotes: $dir" >&2; exit 2 ;; esac

# The PostgreSQL server binaries: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin, else $PATH.
bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n); do bindir=$d; done
fi
if [ -z "$bindir" ] && command -v initdb >/dev/null; then bindir=$(dirname "$(command -v initdb)"); fi
[ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] ||
  { echo "$0: PostgreSQL server binaries not found (install postgresql or set PG_BINDIR)" >&2; exit 1; }

# Runs a command as the owner of the cluster: postgres when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null; then
      (cd / && runuser -u postgres -- "$@")
    else
      (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
  else
    "$@"
  fi
}

port_in_use() {
  local port=$1
  if command -v ss >/dev/null; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

start() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "$0: running as root needs a 'postgres' user" >&2; exit 1; }
    mkdir -p "$dir"
    chown postgres: "$dir"
  else
    mkdir -p "$dir"
  fi
  chmod 700 "$dir"
  if [ -n "$(ls -A "$dir")" ]; then echo "$0: $dir is not empty" >&2; exit 1; fi
  local log
  log=$(mktemp)
  as_owner "$bindir/initdb" -D "$dir" --auth=trust -U postgres -E UTF8 --no-locale --no-sync \
    >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"

  # Another run may pick the same port between the check and the bind: then try the next one.
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  case ${PG_CLUSTER_FSYNC:-off} in
    off) ;;
    on) durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on" ;;
    *) echo "$0: PG_CLUSTER_FSYNC must be on or off, not '$PG_CLUSTER_FSYNC'" >&2; exit 2 ;;
  esac
  local buffers=""
  if [ -n "${PG_CLUSTER_SHARED_BUFFERS:-}" ]; then
    [[ $PG_CLUSTER_SHARED_BUFFERS =~ ^[0-9]+(kB|MB|GB)$ ]] ||
      { echo "$0: PG_CLUSTER_SHARED_BUFFERS must be a size such as 1GB, not '$PG_CLUSTER_SHARED_BUFFERS'" >&2; exit 2; }
    buffers="-c shared_buffers=$PG_CLUSTER_SHARED_BUFFERS"
  fi
  local port ephemeral_low=32768 ephemeral_high=60999
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r ephemeral_low ephemeral_high </proc/sys/net/ipv4/ip_local_port_range
  fi
  for port in $(seq 25432 25631); do
    [ "$port" -ge "$ephemeral_low" ] && [ "$port" -le "$ephemeral_high" ] && continue
    port_in_use "$port" && continue
    if as_owner "$bindir/pg_ctl" -w -t 60 -D "$dir" -l "$dir/server.log" start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k '$dir' $durability \
-c max_connections=200 -c max_locks_per_transaction=256 $buffers" >/dev/null 2>&1; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
    if grep -q "could not bind\|already in use" "$dir/server.log" 2>/dev/null; then
      : >"$dir/server.log"
      continue
    fi
    echo "$0: the server did not start; $dir/server.log says:" >&2
    tail -20 "$dir/server.log" >&2 || true
    exit 1
  done
  echo "$0: no free port in 25432-25631 outside the ephemeral range $ephemeral_low-$ephemeral_high" >&2
  exit 1
}

stop() {
  if [ -f "$dir/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -w -t 60 -D "$dir" -m fast stop >/dev/null 2>&1 ||
      echo "$0: pg_ctl stop failed for $dir" >&2
  fi
  rm -rf "$dir"
}

case $command in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
