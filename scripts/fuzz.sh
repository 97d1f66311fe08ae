#!/usr/bin/env bash
# Fuzzes the parsers users feed by hand -- scenario files, --set and --vary -- with libFuzzer
# (ASan and UBSan on): builds the targets in fuzz/ with Clang in build-fuzz/ (incremental),
# then runs the three side by side for SECONDS each (default 20) on a copy of their seed
# corpus, so the repository's corpus does not grow. Prints each target's executions,
# executions per second and crashes, and exits non-zero when any target found one; the
# crashing inputs are kept in build-fuzz/artifacts/ (add one to fuzz/corpus/TARGET/ once
# fixed, as a regression input). Usage: bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
targets=(scenario set vary)

if [ ! -f build-fuzz/CMakeCache.txt ]; then
  # Debug: the fuzz flags set -O1 -g themselves, and assertions stay on.
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DORGSIM_FUZZ=ON \
    -DORGSIM_BUILD_TESTS=OFF -DORGSIM_WITH_MPI=OFF -DORGSIM_WERROR=ON >/dev/null
fi
cmake --build build-fuzz --target orgsim_fuzzers -j"$(nproc)" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
  if [ -d fuzz/corpus/"$target" ]; then cp fuzz/corpus/"$target"/* "$work/$target/corpus/"; fi
  if [ "$target" = scenario ]; then cp scenarios/*.cfg "$work/$target/corpus/"; fi
  # -timeout: a parse taking 10 s is a hang; -rss_limit_mb: the parsers need a few MB, so
  # 2 GB means an unbounded allocation. The three run at once: the wall time is SECONDS.
  build-fuzz/fuzz/orgsim_fuzz_"$target" -dict=fuzz/orgsim.dict -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$work/$target/artifacts/" "$work/$target/corpus" \
    >"$work/$target/log" 2>&1 &
done
wait || true  # each target's outcome is read from its log and artifacts below

status=0
for target in "${targets[@]}"; do
  log="$work/$target/log"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  crashes=$(find "$work/$target/artifacts" -type f | wc -l)
  if ! grep -q '^Done [0-9]* runs' "$log" && [ "$crashes" -eq 0 ]; then
    crashes="?"  # it stopped without a report or an artifact: count it as a failure
  fi
  echo "fuzz $target: ${executions:-?} executions, ${per_second:-?} exec/s in ${seconds} s, ${crashes} crashes"
  if [ "$crashes" != 0 ]; then
    status=1
    mkdir -p build-fuzz/artifacts
    cp "$work/$target/artifacts/"* build-fuzz/artifacts/ 2>/dev/null || true
    grep -E 'ERROR|runtime error|contract violated|SUMMARY' "$log" | head -n 5 >&2 || true
    echo "fuzz $target: crashing input in build-fuzz/artifacts/; reproduce with" \
      "build-fuzz/fuzz/orgsim_fuzz_$target FILE" >&2
  fi
done
exit "$status"
