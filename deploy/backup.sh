#!/usr/bin/env bash
# Back up Linli: the database (pg_dump, custom format) and the media folder (reports,
# receipts, photos) into one folder. Run as the database owner, e.g. nightly from cron:
#   DATABASE_URL=postgres://linli_owner@/linli LINLI_MEDIA_ROOT=/srv/linli/media \
#     deploy/backup.sh /var/backups/linli/$(date +%F)
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
: "${LINLI_MEDIA_ROOT:?set LINLI_MEDIA_ROOT to the media folder}"
target=${1:?usage: deploy/backup.sh FOLDER}
mkdir -p "$target"
pg_dump --format=custom --no-owner --no-privileges --file "$target/linli.dump" "$DATABASE_URL"
tar -C "$LINLI_MEDIA_ROOT" -czf "$target/media.tar.gz" .
(cd "$target" && sha256sum linli.dump media.tar.gz > SHA256SUMS)
echo "backed up to $target"
