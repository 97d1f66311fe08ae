#!/usr/bin/env bash
# Configures (once) and builds orgsim in build/, warnings as errors. Incremental: a second
# run with nothing changed does no work beyond CMake's checks.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DORGSIM_WERROR=ON >/dev/null
fi
cmake --build build -j"$(nproc)"
