#!/usr/bin/env bash
# Configures (once) and builds orgsim in build/, warnings as errors. Incremental: a second
# run with nothing changed does no work beyond CMake's checks. A build/ configured for
# another source directory (a copied or moved checkout: its cache names the old one, and
# CMake refuses to use it here) is removed and configured afresh, with a line saying so.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f build/CMakeCache.txt ]; then
  configured_for=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' build/CMakeCache.txt)
  here=$(pwd -P)
  if [ -n "$configured_for" ] && [ "$(cd "$configured_for" 2>/dev/null && pwd -P)" != "$here" ]; then
    echo "build.sh: build/ was configured for $configured_for, not $here (a copied checkout?);" \
         "configuring a fresh build/" >&2
    rm -rf build
  fi
fi
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DORGSIM_WERROR=ON >/dev/null
fi
cmake --build build -j"$(nproc)"
