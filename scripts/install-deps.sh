#!/usr/bin/env bash
# Installs, from Debian packages only, whatever idclaim needs to build, test
# and run that is not installed yet. Does nothing when everything is there.
# Usage: scripts/install-deps.sh [--ui]   (--ui adds Chromium for UI tests)
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git curl ca-certificates
  libcaf-dev libboost1.81-dev libspdlog-dev libsodium-dev nlohmann-json3-dev
  libsqlite3-dev sqlite3 libicu-dev libgd-dev zlib1g-dev libjpeg-dev libpqxx-dev
  postgresql
  libcsv-dev libyaml-cpp-dev
)
if [[ "${1:-}" == "--ui" ]]; then
  packages+=(chromium nodejs npm fonts-noto-cjk)
fi

missing=()
for p in "${packages[@]}"; do
  # A package counts as present only when dpkg says it is fully installed.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # node/npm may come from outside Debian on some images; accept them.
    if [[ "$p" == nodejs || "$p" == npm ]] && command -v "${p/nodejs/node}" >/dev/null; then
      continue
    fi
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
