#!/usr/bin/env bash
# Refresh a message catalogue: `scripts/makemessages.sh org` (an app) or `scripts/makemessages.sh project`
# (templates/ and danbao/*.py). Then fill every empty msgstr in the .po and run scripts/compile_messages.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export DJANGO_SETTINGS_MODULE=danbao.settings_test PYTHONPATH="$root"
if [ "${1:-}" = "project" ]; then
  cd "$root" && mkdir -p locale
  "$root/.venv/bin/django-admin" makemessages -l zh_Hans -i ".venv/*" -i "node_modules/*" -i "danbao/*/*" -i "static/*" -i "var/*" -i "tests/*"
else
  cd "$root/danbao/$1" && mkdir -p locale
  "$root/.venv/bin/django-admin" makemessages -l zh_Hans -i "tests/*" -i "migrations/*"
fi
