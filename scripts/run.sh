#!/usr/bin/env bash
# Runs eSPEKS with sample data on the embedded SQLite database in ./data, on a fresh
# machine with nothing but Go. The first time, `espeks demo` writes and loads a
# deterministic sample data set (payroll for 200 staff over 14 months, payments to 50
# suppliers) and creates a staff, a supplier and a Pentadbir login with random
# passwords, kept in data/demo-logins.txt (readable by you only) and printed every time.
# Any ESPEKS_* variable or `espeks serve` flag still applies: ./scripts/run.sh --addr :9000
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

data="${ESPEKS_DATA_DIR:-./data}"
mkdir -p "$data"
go build -o ./espeks ./cmd/espeks

if [ ! -s "$data/demo-logins.txt" ]; then
  echo "Menyediakan data contoh / preparing sample data (once)…"
  ESPEKS_DATA_DIR="$data" ./espeks demo >/dev/null
fi

cat "$data/demo-logins.txt"
echo "  Emel tanpa SMTP: lihat / see Pentadbir → Emel Keluar"
echo
exec ./espeks serve "$@"
