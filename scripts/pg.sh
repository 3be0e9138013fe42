#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests.
#
# Sourced by scripts/test.sh, which calls pg_start and (from its EXIT trap) pg_stop.
# Run directly, it starts a server, runs the given command with
# ESPEKS_TEST_DATABASE_URL set, and stops the server again:
#
#   ./scripts/pg.sh go test -count=1 -run TestStore ./internal/db/
#   ./scripts/pg.sh                      # no command: an interactive psql
#
# The server is entirely ours: a fresh data directory and a private unix-socket
# directory under a mktemp -d, no TCP listener, its own port number (which, with
# unix sockets only, just names the socket file). Any other PostgreSQL on the
# machine is left alone; pg_stop stops only the postmaster of our data directory.
#
# Settings for test speed only (fsync=off, synchronous_commit=off,
# full_page_writes=off, max_connections=200): production uses PostgreSQL's defaults.
# ESPEKS_PG_DURABLE=1 keeps PostgreSQL's durable defaults (scripts/bench.sh sets it:
# benchmarks must pay for every fsync production pays for).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${ESPEKS_PG_PORT:-55432}
PG_DBNAME=espeks_test
PG_TMP=
PG_DATA=
PG_SOCK=

# Run a server-side command as the postgres system user (postgres refuses to run as
# root); as any other user, run it as that user.
pg_as_owner() {
	if [[ $EUID -eq 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Start the server and export ESPEKS_TEST_DATABASE_URL. Returns non-zero on failure.
pg_start() {
	local b
	for b in initdb pg_ctl pg_isready createdb postgres; do
		if [[ ! -x $PG_BIN/$b ]]; then
			echo "pg.sh: $PG_BIN/$b not found (apt-get install postgresql-15)" >&2
			return 1
		fi
	done
	if [[ $EUID -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
		useradd --system --user-group --home-dir /var/lib/postgresql \
			--shell /bin/bash postgres || return 1
	fi

	# /tmp rather than $TMPDIR: a unix socket path must stay under ~100 bytes.
	PG_TMP=$(mktemp -d /tmp/espeks-pg.XXXXXXXX) || return 1
	PG_DATA=$PG_TMP/data
	PG_SOCK=$PG_TMP/run # socket and server log
	mkdir -m 700 "$PG_DATA" || return 1
	mkdir -m 755 "$PG_SOCK" || return 1
	chmod 755 "$PG_TMP" || return 1
	if [[ $EUID -eq 0 ]]; then
		chown postgres: "$PG_DATA" "$PG_SOCK" || return 1
	fi

	if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres \
		--no-instructions -E UTF8 --locale=C.UTF-8 >"$PG_SOCK/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed:" >&2
		cat "$PG_SOCK/initdb.log" >&2
		return 1
	fi

	local opts="-p $PG_PORT -c listen_addresses='' -c unix_socket_directories='$PG_SOCK'"
	# Test speed only; production uses the defaults.
	if [[ ${ESPEKS_PG_DURABLE:-} != 1 ]]; then
		opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	fi
	opts+=" -c max_connections=200"
	if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_SOCK/server.log" \
		-o "$opts" -w -t 60 start >/dev/null; then
		echo "pg.sh: PostgreSQL did not start; server log:" >&2
		tail -n 50 "$PG_SOCK/server.log" >&2 || true
		return 1
	fi

	local i
	for ((i = 0; i < 60; i++)); do
		if "$PG_BIN/pg_isready" -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres; then
			break
		fi
		sleep 0.5
	done
	if ! "$PG_BIN/pg_isready" -h "$PG_SOCK" -p "$PG_PORT" -U postgres >/dev/null; then
		echo "pg.sh: PostgreSQL is not ready; server log:" >&2
		tail -n 50 "$PG_SOCK/server.log" >&2 || true
		return 1
	fi

	"$PG_BIN/createdb" -h "$PG_SOCK" -p "$PG_PORT" -U postgres "$PG_DBNAME" || return 1
	export ESPEKS_TEST_DATABASE_URL="postgres://postgres@/$PG_DBNAME?host=$PG_SOCK&port=$PG_PORT&sslmode=disable"
}

# Stop our server (only ours: by its data directory, falling back to the pid in its
# own postmaster.pid) and remove the temporary directories. Safe to call twice.
pg_stop() {
	if [[ -n $PG_DATA && -f $PG_DATA/postmaster.pid ]]; then
		if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop \
			>/dev/null 2>&1; then
			local pid
			pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
			if [[ $pid =~ ^[0-9]+$ ]]; then
				kill -QUIT "$pid" 2>/dev/null || true
				sleep 1
				kill -KILL "$pid" 2>/dev/null || true
			fi
		fi
	fi
	if [[ -n $PG_TMP && -d $PG_TMP ]]; then
		rm -rf "$PG_TMP"
	fi
	PG_TMP='' PG_DATA='' PG_SOCK=''
}

# Run directly: start, run the command (or psql), stop.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	if [[ ! -x $PG_BIN/postgres ]]; then
		if [[ $EUID -ne 0 ]]; then
			echo "pg.sh: PostgreSQL 15 is missing: apt-get install postgresql-15" >&2
			exit 1
		fi
		echo "pg.sh: installing postgresql-15" >&2
		apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
	fi
	trap pg_stop EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	pg_start
	echo "ESPEKS_TEST_DATABASE_URL=$ESPEKS_TEST_DATABASE_URL" >&2
	if [[ $# -eq 0 ]]; then
		set -- "$PG_BIN/psql" "$ESPEKS_TEST_DATABASE_URL"
	fi
	status=0
	"$@" || status=$?
	exit "$status"
fi
