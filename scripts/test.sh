#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# strace's own test programs (apt-get source strace): without them the two
# strace_own_tests are skipped, not failed.
bash scripts/strace-tests.sh --fetch-only || echo "test: strace's own tests will be skipped" >&2
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 300
