#!/usr/bin/env bash
# Installs dependencies, builds, and shows fdtrace's main job on a bundled
# demo: a strace log recorded without -y, annotated with what each fd was.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
demo=fixtures/demo.plain.log
echo "== the log as strace wrote it (no -y), first lines with fds:"
grep -E '^[0-9]+ +[0-9:.]+ (connect|accept4?|read|write|sendto|recvfrom|close)\(' "$demo" | head -8
echo
echo "== fdtrace annotate $demo"
build/fdtrace annotate --color=always "$demo" |
  grep -E '(connect|accept4?|read|write|sendto|recvfrom|close)\([0-9]+ ->' | head -20
