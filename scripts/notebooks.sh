#!/usr/bin/env bash
# Opens the notebooks in Jupyter: installs what is missing, builds orgsim, makes .venv
# (scripts/python-env.sh) and starts the classic Notebook server of that environment on
# notebooks/, whose "python3" kernel imports orgsim.analysis. Extra arguments go to
# Jupyter, e.g. bash scripts/notebooks.sh --no-browser --port 8899 (--allow-root as root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
bash scripts/python-env.sh
exec .venv/bin/python -m notebook --notebook-dir=notebooks "$@"
