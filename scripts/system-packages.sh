#!/usr/bin/env bash
# Install the Debian packages the platform needs and this machine lacks.
#   demo: a CJK font reportlab can embed (PDF reports)
#   test: also Chromium with CJK fonts (browser tests), poppler (PDF checks) and Mosquitto 2.x
#         (the MQTT tests start a private broker with its dynamic-security plugin), Redis (the
#         state shared by several API nodes; .ci/run starts it)
set -euo pipefail
want=(fonts-wqy-zenhei)
if [ "${1:-demo}" = test ]; then
  want+=(chromium fonts-noto-cjk poppler-utils mosquitto redis-server)
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
# Another apt or dpkg (an unattended upgrade, a parallel build) may hold the package locks:
# wait for them (up to 10 min) instead of failing.
apt_wait() {
  local tries=0
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
      echo "apt-get failed 60 times; giving up: $*" >&2
      return 1
    fi
    echo "apt-get could not run (package lock held?); retrying in 10 s ($tries/60)" >&2
    sleep 10
  done
}
echo "installing Debian packages: ${missing[*]}"
apt_wait apt-get -o DPkg::Lock::Timeout=600 update -qq
apt_wait env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
  "${missing[@]}" >/dev/null
