#!/usr/bin/env bash
# Every test: installs what is missing, builds with warnings as errors, checks formatting,
# then runs the whole suite (Catch2 unit, command-line and validation tests, and pytest)
# through ctest, then the C++ unit and command-line tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer (scripts/test-sanitizers.sh, build-asan/), then 20 seconds of
# each fuzz target (scripts/fuzz.sh, build-fuzz/). `.ci/run` calls this.
# The steps run one after another: on a two-core CI machine, two builds or two test suites
# at once would only slow each other down.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/python-env.sh
bash scripts/check-format.sh
(cd build && ctest --output-on-failure -j"$(nproc)")

bash scripts/test-sanitizers.sh

bash scripts/fuzz.sh 20
