#!/usr/bin/env bash
# Builds orgsim and its C++ tests under AddressSanitizer and UndefinedBehaviorSanitizer in
# build-asan/ (configured once, then incremental) and runs the Catch2 unit and command-line
# tests there. The command-line tests start build-asan's orgsim as a child process, so the
# binary users run is checked too. scripts/test.sh calls this after the normal suite.
#
# Left out here, each for a reason:
# - validation (label validation): statistical runs of thousands of replications that take
#   minutes even unsanitized, through code the unit and command-line tests already cover;
#   the sanitized build does not compile them (tests/CMakeLists.txt).
# - python (label python): pytest and the notebooks; most of their time would go to the
#   Python interpreter, and they drive the same orgsim commands the CLI tests do.
# - mpi (label mpi): OpenMPI's runtime keeps allocations past MPI_Finalize, which
#   LeakSanitizer would report as orgsim's leaks.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build-asan/CMakeCache.txt ]; then
  # Debug for assertions (no -DNDEBUG); ORGSIM_SANITIZE itself sets -O1 -g.
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DORGSIM_SANITIZE=ON >/dev/null
fi
cmake --build build-asan -j"$(nproc)"

# Any report fails the run:
# - halt_on_error and abort_on_error stop a process at its first report with SIGABRT, so a
#   Catch2 binary fails its test, and an orgsim child can never pass for exiting 0, 1 or 130
#   as the command-line tests expect of it.
# - ASan's log_path writes its (and LeakSanitizer's) reports to files in $reports, checked
#   below: a command-line test that expects orgsim to fail (exit status not 0) would
#   otherwise pass over a child that died of a report. UBSan, linked beside ASan, ignores
#   log_path and prints to stderr, so an orgsim child's UBSan report is caught by the CLI
#   tests' checks on its exit status and its stderr, and by ctest for the test binaries.
# - detect_leaks: LeakSanitizer works in this container (it needs ptrace, which it has).
reports=$(pwd)/build-asan/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"

status=0
(cd build-asan && ctest --output-on-failure -j"$(nproc)" -LE "validation|python|mpi") || status=$?
if [ -n "$(ls -A "$reports")" ]; then
  for report in "$reports"/*; do
    echo "== sanitizer report $(basename "$report") =="
    cat "$report"
  done >&2
  echo "test-sanitizers: the sanitizers reported the errors above" >&2
  status=1
fi
exit "$status"
