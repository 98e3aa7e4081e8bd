#!/usr/bin/env bash
# Installs what fdtrace needs to build and test on Debian 12, if missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libseccomp-dev libboost-program-options-dev libboost-dev
  libgtest-dev libgmock-dev
  strace lsof iproute2 procps util-linux python3
  clang libclang-rt-14-dev
  dpkg-dev file man-db
  xz-utils perl diffutils
  clang-format
  git sqlite3 curl make gzip tar
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
