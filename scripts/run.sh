#!/usr/bin/env bash
# Runs eSPEKS on the embedded SQLite database in ./data, on a fresh machine with nothing
# but Go. The first time, it creates a first Pentadbir with a random password, keeps the
# password in data/pentadbir-pertama.txt (readable by you only) and prints how to log in.
# Any ESPEKS_* variable or `espeks serve` flag still applies: ./scripts/run.sh --addr :9000
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

data="${ESPEKS_DATA_DIR:-./data}"
mkdir -p "$data"
go build -o ./espeks ./cmd/espeks

admin_id="800101-14-5007"
secret="$data/pentadbir-pertama.txt"
if [ ! -s "$secret" ]; then
  pw="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-HJ-NP-Za-km-z2-9' | head -c 20)"
  (umask 077 && printf '%s\n' "$pw" > "$secret")
  printf '%s\n' "$pw" | ESPEKS_DATA_DIR="$data" ./espeks admin create \
    --id "$admin_id" --name "Pentadbir Pertama" --email "pentadbir@localhost" >/dev/null
fi

cat <<MSG

  eSPEKS: ${ESPEKS_BASE_URL:-http://localhost:8080}
  Pentadbir  ID Pengguna: ${admin_id}
             Kata Laluan: $(cat "$secret")   (disimpan dalam / kept in ${secret})
  Emel tanpa SMTP: lihat / see Pentadbir → Emel Keluar

MSG
exec ./espeks serve "$@"
