#!/usr/bin/env bash
# Counter speed on a million generated requests (crates/core/benches/intake.rs), SQLite and
# PostgreSQL in one run, each operation beside its baseline; the generated database is copied
# into the throwaway durable PostgreSQL server with migrate-to (bench-with-pg.sh).
#
#   scripts/bench-intake.sh [criterion arguments, e.g. --noplot]
exec bash "$(dirname "${BASH_SOURCE[0]}")/bench-with-pg.sh" intake "$@"
