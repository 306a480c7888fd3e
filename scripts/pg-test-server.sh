#!/usr/bin/env bash
# A throwaway PostgreSQL server for the storage tests: a fresh cluster in a temporary folder,
# listening on 127.0.0.1 only, on a free port, trusting local connections, gone when stopped.
#
# Run as a command:
#   scripts/pg-test-server.sh start      prints the connection URL on stdout (the state folder on
#                                        stderr); the server keeps running
#   scripts/pg-test-server.sh start --durable
#                                        the same with fsync and synchronous_commit on, for
#                                        benchmarks that compare commit costs with SQLite's
#   scripts/pg-test-server.sh start --tls
#                                        a server that takes TLS connections only (PG_TEST_TLS=on):
#                                        a throwaway CA and a server certificate for localhost and
#                                        127.0.0.1 are made with openssl in DIR/tls (ca.crt is the
#                                        CA), plain TCP connections are rejected by pg_hba.conf
#                                        (the unix socket in DIR stays open, unencrypted); the URL
#                                        printed carries sslmode=verify-full&sslrootcert=DIR/tls/ca.crt
#   scripts/pg-test-server.sh stop DIR   stops that server and removes its folder
# Or source it and call pg_test_start (sets BIANMIN_TEST_PG and PG_TEST_DIR) and pg_test_stop.
# The server runs with fsync off (the tests do not need durability) unless PG_TEST_FSYNC=on,
# which is what --durable sets.
#
# The binaries are found on PATH (initdb, pg_ctl) or under /usr/lib/postgresql/*/bin (Debian's
# `postgresql` package puts them there, newest version first). As root, the server runs as the
# `postgres` user (PostgreSQL refuses to run as root).

pg_test_bindir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  echo "找不到 PostgreSQL（initdb、pg_ctl）：请安装 Debian 软件包 postgresql" >&2
  return 1
}

# A TCP port nobody listens on at 127.0.0.1.
pg_test_free_port() {
  python3 - <<'EOF' 2>/dev/null && return 0
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# Runs a PostgreSQL binary as the cluster's owner.
pg_test_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A throwaway CA and a certificate for localhost and 127.0.0.1 it signed, in DIR/tls; prints
# the server options that use them.
pg_test_tls_files() {
  local dir="$1" tls="$1/tls"
  command -v openssl >/dev/null 2>&1 || {
    echo "找不到 openssl：请安装 Debian 软件包 openssl" >&2
    return 1
  }
  mkdir -p "$tls" || return 1
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj "/CN=Bianmin test CA" -keyout "$tls/ca.key" -out "$tls/ca.crt" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" &&
      printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$tls/server.ext" &&
      openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
        -CAcreateserial -days 2 -extfile "$tls/server.ext" -out "$tls/server.crt"
  } >"$tls/openssl.log" 2>&1 || {
    cat "$tls/openssl.log" >&2
    return 1
  }
  # The server refuses a key that others can read.
  chmod 600 "$tls/server.key"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$tls"
  fi
  echo "-c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key"
}

pg_test_start() {
  local bindir port dir user durability tls_options=""
  case "${PG_TEST_FSYNC:-off}" in
    off) durability="-c fsync=off" ;;
    on) durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on" ;;
    *)
      echo "PG_TEST_FSYNC 应为 on 或 off，而不是“${PG_TEST_FSYNC}”" >&2
      return 1
      ;;
  esac
  bindir="$(pg_test_bindir)" || return 1
  dir="$(mktemp -d "${TMPDIR:-/tmp}/bianmin-pg.XXXXXX")" || return 1
  user="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    chown postgres "$dir"
    user=postgres
  fi
  if ! pg_test_as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    # Older servers do not know the C.UTF-8 locale.
    pg_test_as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust \
      --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      return 1
    }
  fi
  case "${PG_TEST_TLS:-off}" in
    off) ;;
    on)
      tls_options="$(pg_test_tls_files "$dir")" || return 1
      # TLS only over TCP; the unix socket in the folder stays for the tests' own checks.
      printf '%s\n' "local all all trust" \
        "hostssl all all 127.0.0.1/32 trust" \
        "hostnossl all all 127.0.0.1/32 reject" >"$dir/data/pg_hba.conf"
      ;;
    *)
      echo "PG_TEST_TLS 应为 on 或 off，而不是“${PG_TEST_TLS}”" >&2
      return 1
      ;;
  esac
  local tries
  for tries in 1 2 3; do
    port="$(pg_test_free_port)" || return 1
    # Loopback only, the socket in the temporary folder, no fsync by default (a throwaway server;
    # the durability of commits is SQLite's and the server's own business, not these tests').
    if pg_test_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir $durability -c max_connections=100 $tls_options" \
        start >/dev/null 2>&1; then
      PG_TEST_DIR="$dir"
      PG_TEST_BINDIR="$bindir"
      BIANMIN_TEST_PG="postgres://$user@127.0.0.1:$port/postgres"
      if [ -n "$tls_options" ]; then
        BIANMIN_TEST_PG="postgres://$user@localhost:$port/postgres?sslmode=verify-full&sslrootcert=$dir/tls/ca.crt"
      fi
      export PG_TEST_DIR PG_TEST_BINDIR BIANMIN_TEST_PG
      echo "$bindir" >"$dir/bindir"
      return 0
    fi
  done
  cat "$dir/server.log" >&2 2>/dev/null
  return 1
}

# Stops the server started in DIR (default: $PG_TEST_DIR) and removes the folder.
pg_test_stop() {
  local dir="${1:-${PG_TEST_DIR:-}}" bindir
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  bindir="$(cat "$dir/bindir" 2>/dev/null || pg_test_bindir)"
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg_test_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      shift
      for option in "$@"; do
        case "$option" in
          --durable) PG_TEST_FSYNC=on ;;
          --tls) PG_TEST_TLS=on ;;
          *)
            echo "用法：$0 start [--durable] [--tls] | stop DIR" >&2
            exit 2
            ;;
        esac
      done
      pg_test_start
      echo "$PG_TEST_DIR" >&2
      echo "$BIANMIN_TEST_PG"
      ;;
    stop)
      pg_test_stop "${2:?用法：$0 stop DIR}"
      ;;
    *)
      echo "用法：$0 start [--durable] [--tls] | stop DIR" >&2
      exit 2
      ;;
  esac
fi
