#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a NEW, empty database and media folder:
#   deploy/restore.sh FOLDER postgres://postgres@/linli_restored /srv/linli/media-restored
# The database must not exist yet; it is created here. Grant the app's role afterwards
# (`manage.py grant_app_role`, docs/deploy.md).
set -euo pipefail
source_folder=${1:?usage: deploy/restore.sh FOLDER NEW_DATABASE_URL NEW_MEDIA_FOLDER}
database_url=${2:?usage: deploy/restore.sh FOLDER NEW_DATABASE_URL NEW_MEDIA_FOLDER}
media=${3:?usage: deploy/restore.sh FOLDER NEW_DATABASE_URL NEW_MEDIA_FOLDER}
(cd "$source_folder" && sha256sum --quiet --check SHA256SUMS)
name=${database_url##*/}
name=${name%%\?*}
case "$name" in (*[!a-z0-9_]*|"") echo "restore: database name must be [a-z0-9_]" >&2; exit 2;; esac
psql "${database_url%/*}/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $name"
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$database_url" \
  "$source_folder/linli.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$source_folder/media.tar.gz"
echo "restored into $database_url and $media"
