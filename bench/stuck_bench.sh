#!/usr/bin/env bash
# `fdtrace stuck -p PID` on a process with many threads blocked on one pipe
# (a thread pool waiting for work), against `cat /proc/PID/task/*/syscall`
# (the floor: one read per thread) in the same run. Threads share their fd
# table, so the cost should grow with the threads, not with their square.
# usage: bench/stuck_bench.sh [THREADS...]   (default: 100 400 800)
set -euo pipefail
cd "$(dirname "$0")/.."
fdtrace=build/fdtrace
[ -x "$fdtrace" ] || bash scripts/build.sh >/dev/null
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100 400 800)
for n in "${counts[@]}"; do
  ready=$(mktemp)
  python3 -c '
import os, sys, threading, time
r, w = os.pipe()
for _ in range(int(sys.argv[1])):
    threading.Thread(target=os.read, args=(r, 1), daemon=True).start()
print("ready", flush=True)
time.sleep(600)' "$n" >"$ready" &
  pid=$!
  while ! grep -q ready "$ready"; do sleep 0.1; done
  sleep 0.5
  /usr/bin/time -f "%e" -o "$ready.t1" "$fdtrace" stuck -p "$pid" >/dev/null
  /usr/bin/time -f "%e" -o "$ready.t2" sh -c "cat /proc/$pid/task/*/syscall >/dev/null"
  printf 'threads %4d: fdtrace stuck %6.2f s, cat of every syscall file %6.2f s\n' \
    "$n" "$(cat "$ready.t1")" "$(cat "$ready.t2")"
  kill "$pid"
  rm -f "$ready" "$ready.t1" "$ready.t2"
done
