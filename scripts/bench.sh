#!/usr/bin/env bash
# Regenerate BENCHMARKS.md: build espeks, start a throwaway PostgreSQL 15 with its
# durable defaults (fsync, synchronous_commit and full_page_writes on, as in
# production), and run `espeks bench` on SQLite and on that PostgreSQL.
#
#   ./scripts/bench.sh            # the full run (about 15 minutes), writes BENCHMARKS.md
#   ./scripts/bench.sh --quick    # under two minutes, prints the table only
#
# Run it on a quiet machine: the bench records the machine's other load beside its
# figures, but cannot undo it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/espeks
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/espeks
ESPEKS_PG_DURABLE=1 ESPEKS_PG_PORT=${ESPEKS_PG_PORT:-55433} \
	./scripts/pg.sh sh -c '"$0" bench --postgres "$ESPEKS_TEST_DATABASE_URL" "$@"' "$bin" "$@"
