#!/usr/bin/env bash
# Install the Debian packages the project needs, when any is missing.
#   scripts/system-deps.sh run   libpq-dev (builds psycopg2), CJK fonts and Pango (WeasyPrint PDFs)
#   scripts/system-deps.sh test  the above, plus PostgreSQL and Redis (throwaway test servers),
#                                Chromium (browser tests) and poppler-utils (PDF checks)
set -euo pipefail
packages=(libpq-dev fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-test}" = test ]; then
  packages+=(postgresql redis-server chromium poppler-utils)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
