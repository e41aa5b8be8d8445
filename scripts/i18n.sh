#!/usr/bin/env sh
# Refresh the message catalogues and compile them.
#
#   scripts/i18n.sh            makemessages (sv, en) + compilemessages
#   scripts/i18n.sh compile    compilemessages only
#
# Needs GNU gettext (msgmerge, msgfmt) and Django on PATH; set VENV to use a
# virtualenv other than $VIRTUAL_ENV or ./.venv. The compiled .mo files are
# committed, because users install with pip only and may have no gettext.
# After makemessages, translate new and fuzzy entries in
# src/stegvis/locale/sv/LC_MESSAGES/django.po (en stays empty: English is the
# source language), then run this script again to compile.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-${VIRTUAL_ENV:-$root/.venv}}
if [ -x "$venv/bin/django-admin" ]; then
    PATH="$venv/bin:$PATH"
fi
export PATH
# Settings create a data directory (secret key); keep these tools away from real data.
if [ -z "${STEGVIS_DATA_DIR:-}" ]; then
    STEGVIS_DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stegvis-i18n.XXXXXX")
    trap 'rm -rf "$STEGVIS_DATA_DIR"' EXIT
fi
export STEGVIS_DATA_DIR

cd "$root/src/stegvis"
if [ "${1:-}" != "compile" ]; then
    django-admin makemessages -l sv -l en --no-obsolete --settings=stegvis.settings
fi
django-admin compilemessages --settings=stegvis.settings

for lang in sv en; do
    printf '%s: ' "$lang"
    msgfmt --check --statistics -o /dev/null "locale/$lang/LC_MESSAGES/django.po" 2>&1
done
