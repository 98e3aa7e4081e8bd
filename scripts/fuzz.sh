#!/usr/bin/env bash
# Builds the libFuzzer target with ASan+UBSan (clang) and runs it for a fixed
# time, seeded from the real logs in fixtures/. Any crash is saved under
# build-fuzz/crashes/ and fails the run; turn it into a regression fixture in
# fixtures/fuzz-regressions/ (tests replay them all).
# usage: scripts/fuzz.sh [SECONDS]   (default 120)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFDTRACE_FUZZ=ON -DFDTRACE_SANITIZE=ON -DBUILD_TESTING=OFF >/dev/null
ninja -C build-fuzz fuzz_annotate >/dev/null
corpus=build-fuzz/corpus
mkdir -p "$corpus" build-fuzz/crashes
# Seeds: 40-line windows of every fixture (libFuzzer works on small inputs).
if [ -z "$(ls -A "$corpus")" ]; then
  for log in fixtures/*.log* fixtures/fuzz-regressions/*; do
    [ -f "$log" ] || continue
    split -l 40 -a 4 "$log" "$corpus/$(basename "$log")." 2>/dev/null || true
  done
fi
# Regressions first: every input that once crashed must pass now.
for regression in fixtures/fuzz-regressions/*; do
  [ -f "$regression" ] || continue
  build-fuzz/fuzz_annotate "$regression" >/dev/null 2>&1 || { echo "fuzz regression fails: $regression" >&2; exit 1; }
done
set +e
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build-fuzz/fuzz_annotate -max_total_time="$seconds" -max_len=8192 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/ \
  "$corpus" >build-fuzz/fuzz.log 2>&1
status=$?
set -e
tail -8 build-fuzz/fuzz.log
if [ "$status" -ne 0 ]; then
  echo "fuzzing found a failure (exit $status); the input is in build-fuzz/crashes/" >&2
  exit 1
fi
