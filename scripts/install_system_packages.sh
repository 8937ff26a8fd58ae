#!/usr/bin/env bash
# System packages the tests and PDFs need: Debian's Chromium (browser tests), CJK fonts,
# libharfbuzz-subset0 (fast Chinese PDFs), poppler-utils (PDF checks).
# With --optional (used by `make setup`): install only when running as root with apt-get, else warn.
set -euo pipefail
packages=(chromium fonts-noto-cjk libharfbuzz-subset0 poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif [ "${1:-}" = "--optional" ]; then
  echo "warning: missing system packages (${missing[*]}); browser tests will be skipped. Install them with apt-get." >&2
else
  echo "error: missing system packages: ${missing[*]}" >&2
  exit 1
fi
