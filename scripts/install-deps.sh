#!/usr/bin/env bash
# Installs the Debian 12 packages orgsim needs to build, run and test, and nothing else.
# Idempotent: packages already present are skipped, and apt is not touched when none are missing.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  # build
  g++ make cmake pkg-config git clang-format
  # fuzzing the parsers (scripts/fuzz.sh): Clang, and libFuzzer's runtime, which Debian 12
  # ships apart from the compiler (libclang_rt.fuzzer-x86_64.a for -fsanitize=fuzzer)
  clang libclang-rt-14-dev
  # C++ libraries
  libboost-program-options-dev libhdf5-dev librandom123-dev catch2
  # the peer network of leading by example (firm.peer_learning): a sparse matrix
  libeigen3-dev
  # sweeps across processes and machines (mpirun orgsim sweep ...)
  libopenmpi-dev openmpi-bin
  # Python side: reading results and the tests that do so
  python3 python3-numpy python3-scipy python3-pandas python3-h5py python3-xarray python3-h5netcdf
  python3-matplotlib python3-pytest
  # the project's environment (.venv, scripts/python-env.sh): orgsim.analysis installed
  # editable into a venv that sees Debian's packages, offline
  python3-venv python3-setuptools
  # notebooks: Jupyter to open them (scripts/notebooks.sh), executed headless by the tests
  python3-nbformat python3-nbclient python3-ipykernel python3-matplotlib-inline jupyter-notebook
  # the Python module `orgsim` (sim/python/, pybind11): headers to build it, a progress bar
  # for in-process runs, and the slider of the notebook that watches one run unfold
  pybind11-dev python3-pybind11 python3-dev python3-tqdm python3-ipywidgets
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "orgsim: installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "orgsim: need root to install ${missing[*]}; run this script as root or install them yourself" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
