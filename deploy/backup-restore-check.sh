#!/usr/bin/env bash
# Prove a backup restores: back up DATABASE_URL and LINLI_MEDIA_ROOT, restore both into
# a new database and folder, and compare the ledger totals, every account's balance,
# every meeting's record of events (the votes) and the SHA-256 of every stored report
# (manage.py fund_fingerprint). Exits 1 when anything differs. Run in CI by
# tests/test_backup_restore.py; an operator runs it against a copy of production.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?}" "${LINLI_MEDIA_ROOT:?}"
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d)
restored_name="linli_restore_$$"
restored_url="${DATABASE_URL%/*}/$restored_name"
cleanup() {
  psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $restored_name" || true
  rm -rf "$work"
}
trap cleanup EXIT

deploy/backup.sh "$work/backup" >/dev/null
deploy/restore.sh "$work/backup" "$restored_url" "$work/media" >/dev/null
"$python" manage.py fund_fingerprint > "$work/before.json"
DATABASE_URL="$restored_url" LINLI_MEDIA_ROOT="$work/media" \
  "$python" manage.py fund_fingerprint > "$work/after.json"
if ! diff -u "$work/before.json" "$work/after.json"; then
  echo "backup-restore-check: the restored copy differs" >&2
  exit 1
fi
echo "backup-restore-check: identical ($(grep -c '"recorded"' "$work/before.json") report files)"
