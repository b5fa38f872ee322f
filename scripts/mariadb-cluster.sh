#!/usr/bin/env bash
# A throwaway MariaDB server for the tests (scripts/test.sh uses it).
#
#   scripts/mariadb-cluster.sh start DIR   mariadb-install-db into DIR (empty or missing), start
#                                          mariadbd on 127.0.0.1 and a free port below 32768 (so
#                                          never one the kernel hands out as an ephemeral port),
#                                          socket DIR/sock, print its URL: mariadb://root@127.0.0.1:PORT/
#   scripts/mariadb-cluster.sh stop DIR    stop the server and remove DIR
#
# root without a password, no fsync, binary collation (utf8mb4_bin, as the
# adapter's create_database uses): for tests only. The log is DIR/server.log.
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

port_in_use() {
  local port=$1
  if command -v ss >/dev/null; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# The server answers on its socket (mariadb-admin ping, else the client).
ready() {
  if command -v mariadb-admin >/dev/null; then
    mariadb-admin --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1
  else
    [ -S "$dir/sock" ]
  fi
}

start() {
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] ||
    { echo "$0: mariadbd not found (install mariadb-server)" >&2; exit 1; }
  local mariadbd
  mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ -n "$(ls -A "$dir")" ]; then echo "$0: $dir is not empty" >&2; exit 1; fi
  mkdir "$dir/data"
  # --no-defaults everywhere: the machine's /etc/mysql settings (a datadir, a socket) must not leak in.
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }

  # Another run may take the port between the check and the bind: then try the next one.
  local port tries
  for port in $(shuf -i 20000-32767 -n 40); do
    port_in_use "$port" && continue
    : >"$dir/server.log"
    "$mariadbd" --no-defaults --datadir="$dir/data" --user="$(id -un)" --socket="$dir/sock" --port="$port" \
      --bind-address=127.0.0.1 --pid-file="$dir/pid" --log-error="$dir/server.log" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --skip-name-resolve \
      --max-connections=300 >/dev/null 2>&1 </dev/null &
    echo $! >"$dir/launcher.pid"
    for tries in $(seq 1 150); do  # up to 15 s; ~2 s usually
      if ready; then
        echo "mariadb://root@127.0.0.1:$port/"
        return 0
      fi
      kill -0 "$(cat "$dir/launcher.pid")" 2>/dev/null || break
      sleep 0.1
    done
    if grep -q "Address already in use\|Do you already have another" "$dir/server.log" 2>/dev/null; then
      continue
    fi
    echo "$0: the server did not start; $dir/server.log says:" >&2
    tail -20 "$dir/server.log" >&2 || true
    stop
    exit 1
  done
  echo "$0: no free port found below 32768" >&2
  exit 1
}

stop() {
  local pid=""
  [ -f "$dir/pid" ] && pid=$(cat "$dir/pid")
  [ -z "$pid" ] && [ -f "$dir/launcher.pid" ] && pid=$(cat "$dir/launcher.pid")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && { echo "$0: mariadbd $pid did not stop; killing it" >&2; kill -KILL "$pid" || true; }
  fi
  rm -rf "$dir"
}

case $command in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
