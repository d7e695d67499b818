#!/usr/bin/env bash
# Install the Debian packages the platform needs and this machine lacks.
#   demo: a CJK font reportlab can embed (PDF reports)
#   test: also Chromium with CJK fonts (browser tests), poppler (PDF checks) and Mosquitto 2.x
#         (the MQTT tests start a private broker with its dynamic-security plugin)
set -euo pipefail
want=(fonts-wqy-zenhei)
if [ "${1:-demo}" = test ]; then
  want+=(chromium fonts-noto-cjk poppler-utils mosquitto)
fi
missing=()
for package in "${want[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
