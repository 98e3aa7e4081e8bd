#!/usr/bin/env bash
# fdtrace's memory is bounded by live fds, not by history:
#  - the live tracer on a process that opens and closes N fds (N and 2N);
#  (annotate's 1x/2x log-length check is in annotate_bench.sh).
# usage: bench/memory_bench.sh [N]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
fdtrace=build/fdtrace
[ -x "$fdtrace" ] || bash scripts/build.sh >/dev/null
for count in "$n" "$((n * 2))"; do
  /usr/bin/time -f "%e %M" -o bench/out/mem.txt "$fdtrace" -f -o /dev/null -- python3 -c "import os
for _ in range($count): os.close(os.open('/dev/null', os.O_RDONLY))"
  read -r seconds rss < bench/out/mem.txt
  printf 'tracer, %8d open+close: %6.2f s, peak RSS %6d KB\n' "$count" "$seconds" "$rss"
done
