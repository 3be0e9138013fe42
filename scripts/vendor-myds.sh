#!/usr/bin/env bash
# vendor-myds.sh — regenerate internal/web/static/css/myds-color.css
#
# Source: the npm package @govtechmy/myds-style (Malaysian Government Design
# System, MYDS), pinned to an exact version. The portal uses only the colour
# design tokens (CSS custom properties) of the light theme:
#
#   styles/theme/color.css  the raw palette, e.g. --_primary-600: 37 99 235;
#   styles/theme/light.css  semantic tokens,  e.g. --bg-primary-600, --txt-danger
#
# Both hold space-separated RGB triplets, used as rgb(var(--txt-primary)).
# They are concatenated (palette first) into one small file. No Tailwind, no
# build step, no CDN: app.css is hand-written on top of these variables and
# carries literal fallbacks, so the site still renders if the file is absent.
#
# Steps:
#   * read the tarball's sha512 integrity from the registry;
#   * npm pack the pinned version into a temp dir and verify the integrity;
#   * take the two files from their documented paths; if a later version moves
#     them, fall back to the .css files that define the palette
#     (--_primary-600) and the light semantic tokens (--bg-primary-600);
#   * strip anything that would load a remote resource (@import, url(http..));
#   * write a header recording package, version, integrity and licence.
#
# Licence: myds-style 1.0.0 declares none (no "license" field in package.json,
# no LICENSE file in the tarball); upstream calls MYDS open source. The header
# records whatever the package.json says, or that it says nothing.
#
# Usage: scripts/vendor-myds.sh   (from anywhere inside the repo)
set -euo pipefail

PKG=@govtechmy/myds-style
VERSION=1.0.0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/internal/web/static/css/myds-color.css"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# npm may warn about unrelated user config (e.g. "nodedir"); keep stderr apart.
INTEGRITY=$(npm view "$PKG@$VERSION" dist.integrity 2>"$TMP/view.err" || true)
if [[ -z "$INTEGRITY" ]]; then
	cat "$TMP/view.err" >&2
	echo "could not read dist.integrity for $PKG@$VERSION" >&2
	exit 1
fi

(cd "$TMP" && npm pack "$PKG@$VERSION" --silent >"$TMP/pack.out" 2>"$TMP/pack.err") || {
	cat "$TMP/pack.err" >&2
	exit 1
}
TARBALL="$TMP/$(tail -n1 "$TMP/pack.out")"
[[ -f "$TARBALL" ]] || { echo "npm pack did not produce a tarball" >&2; exit 1; }

GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [[ "$GOT" != "$INTEGRITY" ]]; then
	echo "integrity mismatch: registry $INTEGRITY, tarball $GOT" >&2
	exit 1
fi

mkdir "$TMP/x"
tar -xzf "$TARBALL" -C "$TMP/x"
PKGDIR="$TMP/x/package"

# Locate a file: the documented path, else the first .css defining $2.
locate() {
	local want="$PKGDIR/$1" marker="$2" f
	if [[ -f "$want" ]]; then
		echo "$want"
		return
	fi
	while IFS= read -r f; do
		if grep -q -- "$marker" "$f"; then
			echo "$f"
			return
		fi
	done < <(find "$PKGDIR" -name '*.css' -not -path '*/dist/*' -not -name '*dark*' | sort)
	echo "no file in $PKG@$VERSION defines $marker" >&2
	exit 1
}
COLOR=$(locate styles/theme/color.css '--_primary-600:')
LIGHT=$(locate styles/theme/light.css '--bg-primary-600:')

LICENSE=$(node -e 'const p=require(process.argv[1]); process.stdout.write(typeof p.license==="string" ? p.license : (p.license && p.license.type) || "")' "$PKGDIR/package.json")
LICFILE=$(cd "$PKGDIR" && find . -maxdepth 1 \( -iname 'licen[cs]e*' -o -iname 'copying*' \) | sed 's|^\./||' | head -n1)
if [[ -n "$LICENSE" ]]; then
	LICTEXT="$LICENSE (package.json)"
else
	LICTEXT="none declared (no \"license\" field in package.json)"
fi
if [[ -n "$LICFILE" ]]; then
	LICTEXT="$LICTEXT; licence file: $LICFILE"
else
	LICTEXT="$LICTEXT; no LICENSE file in the tarball"
fi
case "$LICENSE" in
MIT | ISC | BSD-2-Clause | BSD-3-Clause | Apache-2.0 | 0BSD | CC0-1.0 | Unlicense) ;;
*) echo "warning: $PKG@$VERSION licence: $LICTEXT" >&2 ;;
esac

# Drop remote loads: whole @import rules and any url(...) pointing off-site.
sanitize() {
	sed -E \
		-e '/@import[^;]*;/d' \
		-e 's#url\([[:space:]]*["'"'"']?(https?:)?//[^)]*\)#none#g' \
		"$1"
}

rel() { echo "${1#"$PKGDIR/"}"; }

{
	cat <<EOF
/*
 * MYDS colour tokens — VENDORED, DO NOT EDIT.
 * Regenerate with scripts/vendor-myds.sh.
 *
 * Package:   $PKG@$VERSION (npm)
 * Integrity: $INTEGRITY
 * Files:     $(rel "$COLOR") (palette), then $(rel "$LIGHT") (light theme)
 * Licence:   $LICTEXT.
 *            Upstream describes MYDS, the Malaysian Government Design
 *            System, as open source. Only colour values are copied here.
 *
 * Values are space-separated RGB triplets: use rgb(var(--txt-primary)).
 */

EOF
	echo "/* ---- $(rel "$COLOR") ---- */"
	sanitize "$COLOR"
	echo
	echo "/* ---- $(rel "$LIGHT") ---- */"
	sanitize "$LIGHT"
} >"$TMP/out.css"

if grep -Eiq '@import|url\([[:space:]]*["'"'"']?(https?:)?//' "$TMP/out.css"; then
	echo "remote reference left in output" >&2
	exit 1
fi

mkdir -p "$(dirname "$OUT")"
mv "$TMP/out.css" "$OUT"
echo "wrote ${OUT#"$ROOT/"} from $PKG@$VERSION ($(wc -c <"$OUT") bytes)"
