#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format (the repo's .clang-format) makes of
# it. Fix with: clang-format -i $(git ls-files '*.h' '*.cpp')
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(git ls-files '*.h' '*.cpp' 2>/dev/null || find sim tests -name '*.h' -o -name '*.cpp')
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/orgsim-format.log; then
  grep -E '^[^ ].*: (error|warning)' /tmp/orgsim-format.log | sed 's/: error: code should be clang-formatted.*//' | sort -u >&2
  echo "check-format: the files above are not clang-formatted; run: clang-format -i \$(git ls-files '*.h' '*.cpp')" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files clang-formatted"
