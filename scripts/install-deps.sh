#!/usr/bin/env bash
# Installs, from Debian packages only, whatever idclaim needs to build, test
# and run that is not installed yet. Does nothing when everything is there.
# Usage: scripts/install-deps.sh [--ui] [--fuzz]
#   --ui    adds Chromium for UI tests
#   --fuzz  adds clang 14 and its sanitizer/libFuzzer runtimes (scripts/fuzz.sh,
#           scripts/sanitize.sh)
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git curl ca-certificates
  libcaf-dev libboost1.81-dev libspdlog-dev libsodium-dev libargon2-dev
  nlohmann-json3-dev
  libsqlite3-dev sqlite3 libicu-dev libgd-dev zlib1g-dev libjpeg-dev libpqxx-dev
  postgresql nginx libsystemd-dev
  libcsv-dev libyaml-cpp-dev
)
for flag in "$@"; do
  case $flag in
    --ui) packages+=(chromium nodejs npm fonts-noto-cjk) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "unknown flag: $flag" >&2; exit 2 ;;
  esac
done

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
