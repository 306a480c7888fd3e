#!/usr/bin/env bash
# Runs one of bianmin-core's benches against a throwaway PostgreSQL server started with fsync and
# synchronous_commit on, so that its commits are as durable as SQLite's (synchronous = FULL), and
# stops the server however the bench ends.
#
#   scripts/bench-with-pg.sh BENCH [criterion arguments, e.g. --noplot]
#
# The server's folder goes under target/bench-data, beside the bench's SQLite files, so that
# both fsync on the same file system (a tmpfs /tmp would make PostgreSQL's fsync free).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="${1:?usage: scripts/bench-with-pg.sh BENCH [criterion arguments]}"
shift
. "$ROOT/scripts/pg-test-server.sh"

mkdir -p "$ROOT/target/bench-data"
export TMPDIR="$ROOT/target/bench-data"
PG_TEST_FSYNC=on pg_test_start || {
  echo "无法启动临时 PostgreSQL 服务器" >&2
  exit 1
}
trap pg_test_stop EXIT
echo "PostgreSQL (fsync on): $BIANMIN_TEST_PG; folder $PG_TEST_DIR" >&2

BIANMIN_BENCH_PG="$BIANMIN_TEST_PG" cargo bench -p bianmin-core --bench "$BENCH" -- "$@"
