#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the bundled default scenario.
# Usage: bash scripts/run.sh [extra orgsim run options, e.g. --replications 1000]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
mkdir -p results
./build/sim/orgsim run scenarios/default.cfg --out results/default.h5 --force "$@"
