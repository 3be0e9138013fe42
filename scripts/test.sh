#!/usr/bin/env bash
# The project's test command (the one in the README; .ci/run calls it).
#
#   ./scripts/test.sh                          go vet, then go test ./... on SQLite and
#                                              again on a real PostgreSQL 15 started here
#   ./scripts/test.sh -run TestLogin ./internal/web/
#                                              go test flags pass through; packages, if
#                                              given, replace ./...
#   ./scripts/test.sh -short                   go test -short, SQLite pass only
#   ESPEKS_TEST_ONLY=sqlite|postgres ./scripts/test.sh
#                                              one database pass only
#   ./scripts/test.sh -v ...                   show every test's output, not only failures
#
# Installs what the tests need when it is missing (Debian packages postgresql-15,
# chromium, poppler-utils; the npm package axe-core into .cache/npm), and exports:
#   ESPEKS_TEST_DATABASE_URL  PostgreSQL pass only: our throwaway server (scripts/pg.sh)
#   ESPEKS_CHROMIUM           /usr/bin/chromium
#   ESPEKS_AXE_JS             absolute path of axe.min.js
#   ESPEKS_E2E                1 (browser end-to-end tests on)
#
# Output: go test's usual lines (ok / FAIL / ? per package, the output of failing tests)
# for each pass, then a summary closing with the line "N passed, M failed", where N and
# M count top-level test functions over both passes (a package that failed outside any
# test, e.g. a build failure, and a failed go vet each count as one failure).
# The raw go test -json logs of the last run are kept in .cache/test-logs/.
# Exits non-zero if anything failed; both passes run even if the first fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH=/usr/local/go/bin:$PATH

AXE_VERSION=4.10.3
CACHE=$ROOT/.cache
LOGDIR=$CACHE/test-logs
AXE_JS=$CACHE/npm/node_modules/axe-core/axe.min.js

# shellcheck source=scripts/pg.sh
source "$ROOT/scripts/pg.sh"

# ---- arguments --------------------------------------------------------------
# go test / go build flags that take a separate value ("-run X" rather than "-run=X").
value_flags=" run skip bench benchtime count cpu parallel timeout list shuffle fuzz
 fuzztime fuzzminimizetime coverprofile covermode coverpkg cpuprofile memprofile
 memprofilerate blockprofile blockprofilerate mutexprofile mutexprofilefraction outputdir
 trace o exec p tags ldflags gcflags asmflags gccgoflags mod modfile overlay pkgdir
 toolexec vet C compiler installsuffix buildmode pgo "
value_flags=${value_flags//$'\n'/ }
go_flags=()
pkgs=()
test_args=()
short=0
verbose=0
while (($#)); do
	arg=$1
	shift
	case $arg in
	-args | --args)
		test_args=("$@")
		break
		;;
	-short | --short | -short=true | --short=true)
		short=1
		go_flags+=("$arg")
		;;
	-v | --v | -v=true | --v=true)
		verbose=1
		go_flags+=("$arg")
		;;
	-*=*) go_flags+=("$arg") ;;
	-*)
		go_flags+=("$arg")
		name=${arg#-}
		name=${name#-}
		if [[ $value_flags == *" $name "* ]] && (($#)); then
			go_flags+=("$1")
			shift
		fi
		;;
	*) pkgs+=("$arg") ;;
	esac
done
if ((${#pkgs[@]} == 0)); then
	pkgs=(./...)
fi
if ((${#test_args[@]})); then
	test_args=(-args "${test_args[@]}")
fi

only=${ESPEKS_TEST_ONLY:-}
if [[ -z $only && $short -eq 1 ]]; then
	only=sqlite
fi
case $only in
"") run_sqlite=1 run_pg=1 ;;
sqlite) run_sqlite=1 run_pg=0 ;;
postgres) run_sqlite=0 run_pg=1 ;;
*)
	echo "test.sh: ESPEKS_TEST_ONLY must be sqlite or postgres, not '$only'" >&2
	exit 2
	;;
esac

# ---- what the tests need ----------------------------------------------------
axe_ok() {
	[[ -f $AXE_JS ]] &&
		grep -q "\"version\": \"$AXE_VERSION\"" "$CACHE/npm/node_modules/axe-core/package.json"
}

apt_pkgs=()
if ((run_pg)) && [[ ! -x $PG_BIN/postgres || ! -x $PG_BIN/initdb ]]; then
	apt_pkgs+=(postgresql-15)
fi
[[ -x /usr/bin/chromium ]] || apt_pkgs+=(chromium)
[[ -x /usr/bin/pdftotext ]] || apt_pkgs+=(poppler-utils)
if ! axe_ok && ! command -v npm >/dev/null; then
	apt_pkgs+=(npm)
fi

mkdir -p "$CACHE" "$LOGDIR"
# The cache ignores itself, whatever the root .gitignore says.
[[ -f $CACHE/.gitignore ]] || echo '*' >"$CACHE/.gitignore"

if ((${#apt_pkgs[@]})); then
	if [[ $EUID -ne 0 ]]; then
		echo "test.sh: missing, and not root to install: apt-get install ${apt_pkgs[*]}" >&2
		exit 1
	fi
	echo "== installing ${apt_pkgs[*]} =="
	apt_log=$LOGDIR/apt.log
	if ! {
		apt-get -o DPkg::Lock::Timeout=300 update -q &&
			DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
				install -y -q "${apt_pkgs[@]}"
	} >"$apt_log" 2>&1 </dev/null; then
		tail -n 40 "$apt_log" >&2
		echo "test.sh: apt-get install ${apt_pkgs[*]} failed (log: $apt_log)" >&2
		exit 1
	fi
fi

if ! axe_ok; then
	echo "== installing axe-core@$AXE_VERSION into .cache/npm =="
	mkdir -p "$CACHE/npm"
	npm_log=$LOGDIR/npm.log
	if ! npm install --prefix "$CACHE/npm" --no-audit --no-fund --loglevel=error \
		"axe-core@$AXE_VERSION" >"$npm_log" 2>&1 </dev/null || ! axe_ok; then
		cat "$npm_log" >&2
		echo "test.sh: npm install axe-core@$AXE_VERSION failed" >&2
		exit 1
	fi
fi

export ESPEKS_CHROMIUM=${ESPEKS_CHROMIUM:-/usr/bin/chromium}
export ESPEKS_AXE_JS=$AXE_JS
export ESPEKS_E2E=${ESPEKS_E2E:-1}
# Each pass decides this for itself.
unset ESPEKS_TEST_DATABASE_URL

if ! command -v go >/dev/null; then
	echo "test.sh: go not found (expected in /usr/local/go/bin)" >&2
	exit 1
fi
go mod download

trap pg_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- go test -json rendered as go test's usual output ------------------------
# Reads go test -json (with go's own non-JSON lines mixed in), prints per package the
# ok/FAIL/? line and, for a failing package, the output of its failing tests (all
# output with verbose=1), and writes "passed failed skipped pkgfailures" to countfile:
# top-level tests only (no "/" in the name); pkgfailures counts packages that failed
# with no failing test (build failure, panic in TestMain, ...).
# shellcheck disable=SC2016 # awk program, not shell
render_awk='
function unescape(s,    out, i, c) {
	if (index(s, "\\") == 0) return s
	out = ""
	while ((i = index(s, "\\")) > 0) {
		out = out substr(s, 1, i - 1)
		c = substr(s, i + 1, 1)
		if (c == "u") {
			out = out utf8(hex(substr(s, i + 2, 4)))
			s = substr(s, i + 6)
			continue
		}
		if (c == "n") c = "\n"
		else if (c == "t") c = "\t"
		else if (c == "r") c = "\r"
		else if (c == "b") c = "\b"
		else if (c == "f") c = "\f"
		out = out c
		s = substr(s, i + 2)
	}
	return out s
}
function hex(h,    i, v) {
	v = 0
	h = tolower(h)
	for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v
}
function utf8(cp) {
	if (cp < 128) return sprintf("%c", cp)
	if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
	return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
}
function show(s) { printf "%s", s; fflush() }
# Print what is held for package p (failed tests, package output, unfinished tests).
function flush(p,    k, parts) {
	show(pout[p]); delete pout[p]
	show(pbuf[p]); delete pbuf[p]
	for (k in buf) {
		split(k, parts, SUBSEP)
		if (parts[1] == p) { show(buf[k]); delete buf[k] }
	}
}
function drop(p,    k, parts) {
	delete pout[p]; delete pbuf[p]
	for (k in buf) {
		split(k, parts, SUBSEP)
		if (parts[1] == p) delete buf[k]
	}
}
BEGIN { passed = failed = skipped = pkgfail = 0 }
!/^\{/ { show($0 "\n"); next }
{
	action = ""; pkg = ""; test = ""; out = ""; hastest = 0
	if (match($0, /"Action":"[^"]*"/)) action = substr($0, RSTART + 10, RLENGTH - 11)
	if (match($0, /"Package":"[^"]*"/)) pkg = substr($0, RSTART + 11, RLENGTH - 12)
	if (match($0, /"Test":"([^"\\]|\\.)*"/)) { test = unescape(substr($0, RSTART + 8, RLENGTH - 9)); hastest = 1 }
	if (match($0, /"Output":"([^"\\]|\\.)*"/)) out = unescape(substr($0, RSTART + 10, RLENGTH - 11))
	top = test; sub(/\/.*/, "", top)

	if (action == "build-output") { show(out); next }
	if (action == "output") {
		if (verbose) { show(out); next }
		if (hastest) {
			if (out ~ /^=== (RUN|PAUSE|CONT|NAME) /) next
			buf[pkg, test] = buf[pkg, test] out
			next
		}
		if (out ~ /^ok  / || out ~ /^\?   / || out ~ /^FAIL\t/) {
			if (out ~ /^FAIL\t/) flush(pkg); else drop(pkg)
			show(out)
			next
		}
		if (out == "PASS\n" || out == "FAIL\n") next
		pbuf[pkg] = pbuf[pkg] out
		next
	}
	if (hastest && action == "run") { running[pkg, test] = 1; next }
	if (hastest && (action == "pass" || action == "fail" || action == "skip")) {
		if (test != top) {
			# A subtest: a failing one is reported within its parent, as go test does.
			if (action == "fail") {
				parent = test
				do sub(/\/[^\/]*$/, "", parent); while (parent != top && !((pkg, parent) in running))
				buf[pkg, parent] = buf[pkg, parent] buf[pkg, test]
			}
		} else if (action == "pass") passed++
		else if (action == "skip") skipped++
		else { failed++; testfail[pkg] = 1; pout[pkg] = pout[pkg] buf[pkg, top] }
		delete buf[pkg, test]
		delete running[pkg, test]
		next
	}
	if (!hastest && action == "fail" && !(pkg in testfail)) pkgfail++
}
END {
	for (p in pout) show(pout[p])
	for (p in pbuf) show(pbuf[p])
	for (k in buf) show(buf[k])
	printf "%d %d %d %d\n", passed, failed, skipped, pkgfail > countfile
}'

# run_pass NAME LABEL: go test once; sets pass_passed, pass_failed, pass_status.
run_pass() {
	local name=$1 label=$2 start=$SECONDS p f s o
	echo
	echo "== go test on $label =="
	pass_status=0
	go test -json -count=1 -timeout 20m "${go_flags[@]}" "${pkgs[@]}" "${test_args[@]}" 2>&1 |
		tee "$LOGDIR/$name.json" |
		LC_ALL=C awk -v verbose="$verbose" -v countfile="$LOGDIR/$name.counts" "$render_awk" ||
		pass_status=$?
	read -r p f s o <"$LOGDIR/$name.counts"
	pass_passed=$p
	pass_failed=$((f + o))
	if ((pass_status != 0 && pass_failed == 0)); then
		pass_failed=1 # go test failed outside any test (e.g. no packages matched)
	fi
	echo "-- $label: $pass_passed passed, $pass_failed failed, $s skipped ($((SECONDS - start))s)"
	if ((pass_status != 0)); then
		echo "-- full log: .cache/test-logs/$name.json (go test -json)"
	fi
}

status=0
total_passed=0
total_failed=0
summary=()

echo "== go vet =="
if go vet "${pkgs[@]}"; then
	summary+=("go vet: ok")
else
	status=1
	total_failed=$((total_failed + 1))
	summary+=("go vet: FAILED (counted as 1 failure)")
fi

if ((run_sqlite)); then
	run_pass sqlite SQLite
	((pass_status == 0)) || status=1
	total_passed=$((total_passed + pass_passed))
	total_failed=$((total_failed + pass_failed))
	summary+=("sqlite: $pass_passed passed, $pass_failed failed")
fi

if ((run_pg)); then
	if pg_start; then
		run_pass postgres "PostgreSQL 15"
		unset ESPEKS_TEST_DATABASE_URL
		pg_stop
		((pass_status == 0)) || status=1
		total_passed=$((total_passed + pass_passed))
		total_failed=$((total_failed + pass_failed))
		summary+=("postgres: $pass_passed passed, $pass_failed failed")
	else
		pg_stop
		status=1
		total_failed=$((total_failed + 1))
		summary+=("postgres: PostgreSQL 15 did not start (counted as 1 failure)")
	fi
fi

echo
echo "== summary =="
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
exit "$status"
