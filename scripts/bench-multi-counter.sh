#!/usr/bin/env bash
# Intake throughput with ten concurrent counters, SQLite against PostgreSQL, in one criterion run
# (crates/core/benches/multi_counter.rs), PostgreSQL durable and throwaway (bench-with-pg.sh).
#
#   scripts/bench-multi-counter.sh [criterion arguments, e.g. --noplot]
exec bash "$(dirname "${BASH_SOURCE[0]}")/bench-with-pg.sh" multi_counter "$@"
