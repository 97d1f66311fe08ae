#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the bundled default comparison,
# following orders vs empowered (scenarios/following_orders.cfg and empowered.cfg), in a
# stable and in a turbulent world, with paired replications; then says what it found (the
# verdict, over the whole run and its late window), draws the paired difference over time
# and writes a one-page report: results/{stable,turbulent}.h5, results/difference_over_time.png
# and results/report.html.
# Usage: bash scripts/run.sh [extra options for orgsim compare, e.g. --replications 1000]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
bash scripts/python-env.sh
mkdir -p results
for world in "stable 0" "turbulent 0.05"; do
  name=${world% *}
  turbulence=${world#* }
  echo
  echo "== A ${name} world (env.turbulence = ${turbulence}) =="
  ./build/sim/orgsim compare scenarios/following_orders.cfg scenarios/empowered.cfg \
    --set "env.turbulence=${turbulence}" --out "results/${name}.h5" --force "$@"
done
echo
.venv/bin/python -m orgsim.analysis.verdict results/stable.h5 results/turbulent.h5 --out results
