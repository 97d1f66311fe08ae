#!/usr/bin/env bash
# Makes the project's Python environment, .venv/: Debian's /usr/bin/python3 with its site
# packages (numpy, xarray, matplotlib, Jupyter, ... from scripts/install-deps.sh), the
# orgsim package (analysis/src/orgsim) installed into it in editable mode (so `import orgsim`
# works in scripts, tests and notebooks without sys.path edits or PYTHONPATH, and edits to
# analysis/src take effect at once), the engine module it loads, build/python/_orgsim*.so
# (scripts/build.sh makes it), on its path through a .pth file, and a Jupyter kernel "python3" that runs this
# environment's interpreter, so a Jupyter started from it (scripts/notebooks.sh) runs the
# notebooks with the package. Works offline: nothing is downloaded (--no-index).
# Idempotent: an environment whose package points into this checkout is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.venv"

# Where the environment's orgsim package comes from, found without importing it (importing
# loads the engine module, which may not be built yet).
installed_from() {
  "$venv/bin/python" -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("orgsim").origin).resolve().parents[2])' 2>/dev/null
}
engine_path_file() {
  echo "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/orgsim-engine.pth"
}

# A copied or moved checkout carries a .venv whose paths point at the original: remade.
if [ -x "$venv/bin/python" ] && [ "$(installed_from)" = "$root/analysis" ] &&
  [ -f "$venv/share/jupyter/kernels/python3/kernel.json" ] &&
  grep -q "\"$venv/bin/python\"" "$venv/share/jupyter/kernels/python3/kernel.json" &&
  [ "$(cat "$(engine_path_file)" 2>/dev/null)" = "$root/build/python" ]; then
  exit 0
fi
echo "orgsim: making the Python environment $venv (Debian's python3, orgsim editable)" >&2
/usr/bin/python3 -m venv --system-site-packages --clear "$venv"
"$venv/bin/python" -m pip install --quiet --no-deps --no-build-isolation --no-index \
  --disable-pip-version-check -e analysis
echo "$root/build/python" >"$(engine_path_file)"
PYDEVD_DISABLE_FILE_VALIDATION=1 "$venv/bin/python" -m ipykernel install --sys-prefix --name python3 \
  --display-name "Python 3 (orgsim)" --env PYDEVD_DISABLE_FILE_VALIDATION 1 >/dev/null
if [ "$(installed_from)" != "$root/analysis" ]; then
  echo "orgsim: $venv does not import orgsim from $root/analysis; remove $venv and rerun bash scripts/python-env.sh" >&2
  exit 1
fi
