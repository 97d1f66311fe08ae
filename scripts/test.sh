#!/usr/bin/env bash
# Every test: installs what is missing, builds with warnings as errors, checks formatting,
# then runs the whole suite (Catch2 unit, command-line and validation tests, and pytest)
# through ctest. `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/check-format.sh
cd build
ctest --output-on-failure -j"$(nproc)"
