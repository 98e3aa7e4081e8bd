#!/usr/bin/env bash
# Annotate throughput and memory, next to `sed -E` doing one substitution on
# the same file, in the same run (the machines are shared: only the ratio
# means something). Memory: peak RSS at 1x and 2x the log length must match.
# Two logs: a synthetic one (bench/make_log.py) and one made of real
# recordings (every fixtures/*.plain.log* concatenated until it reaches about
# SIZE_MB / 2: gcc, git, curl, nginx, redis, python... as they were traced).
# usage: bench/annotate_bench.sh [SIZE_MB]   (default 120)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-120}
out=bench/out
mkdir -p "$out"
fdtrace=build/fdtrace
[ -x "$fdtrace" ] || bash scripts/build.sh >/dev/null
log="$out/synthetic-${size}MB.log"
log2="$out/synthetic-$((size * 2))MB.log"
[ -s "$log" ] || python3 bench/make_log.py "$size" >"$log"
[ -s "$log2" ] || python3 bench/make_log.py "$((size * 2))" >"$log2"
cat "$log" >/dev/null  # page cache warm for both tools

measure() {  # prints "seconds max_rss_kb"
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null
  cat "$out/time.txt"
}

best() {  # best of 3 wall times for a command
  local best_time="" rss=""
  for _ in 1 2 3; do
    read -r t m < <(measure "$@")
    if [ -z "$best_time" ] || awk "BEGIN{exit !($t < $best_time)}"; then best_time=$t; rss=$m; fi
  done
  echo "$best_time $rss"
}

read -r f_time f_rss < <(best "$fdtrace" annotate "$log")
read -r o_time o_rss < <(best "$fdtrace" annotate --one-pass "$log")
read -r s_time s_rss < <(best sed -E 's/^([0-9]+) /\1 X/' "$log")
read -r j_time j_rss < <(best "$fdtrace" annotate --format=json "$log")
read -r f2_time f2_rss < <(best "$fdtrace" annotate "$log2")
bytes=$(stat -c %s "$log")
lines=$(wc -l <"$log")
echo "log: $log ($((bytes / 1048576)) MB, $lines lines)"
printf 'fdtrace annotate (text): %6.2f s  %7.1f MB/s  peak RSS %6d KB  (a file is read twice)\n' "$f_time" "$(awk "BEGIN{print $bytes/1048576/$f_time}")" "$f_rss"
printf 'fdtrace annotate --one-pass: %6.2f s  %7.1f MB/s  peak RSS %6d KB\n' "$o_time" "$(awk "BEGIN{print $bytes/1048576/$o_time}")" "$o_rss"
printf 'fdtrace annotate (json): %6.2f s  %7.1f MB/s  peak RSS %6d KB\n' "$j_time" "$(awk "BEGIN{print $bytes/1048576/$j_time}")" "$j_rss"
printf 'sed -E one substitution: %6.2f s  %7.1f MB/s  peak RSS %6d KB\n' "$s_time" "$(awk "BEGIN{print $bytes/1048576/$s_time}")" "$s_rss"
printf 'speed ratio sed/fdtrace (text): %.2fx; --one-pass: %.2fx\n' "$(awk "BEGIN{print $s_time/$f_time}")" "$(awk "BEGIN{print $s_time/$o_time}")"
printf 'memory at 2x log length: %d KB vs %d KB at 1x\n' "$f2_rss" "$f_rss"

real="$out/real-$((size / 2))MB.log"
if [ ! -s "$real" ]; then
  : >"$real"
  while [ "$(stat -c %s "$real")" -lt $((size / 2 * 1048576)) ]; do cat fixtures/*.plain.log* >>"$real"; done
fi
cat "$real" >/dev/null
read -r r_time r_rss < <(best "$fdtrace" annotate "$real")
read -r ro_time ro_rss < <(best "$fdtrace" annotate --one-pass "$real")
read -r rs_time rs_rss < <(best sed -E 's/^([0-9]+) /\1 X/' "$real")
rbytes=$(stat -c %s "$real")
echo "log: $real ($((rbytes / 1048576)) MB of real recordings, $(wc -l <"$real") lines)"
printf 'fdtrace annotate (text): %6.2f s  %7.1f MB/s  peak RSS %6d KB\n' "$r_time" "$(awk "BEGIN{print $rbytes/1048576/$r_time}")" "$r_rss"
printf 'sed -E one substitution: %6.2f s  %7.1f MB/s  peak RSS %6d KB\n' "$rs_time" "$(awk "BEGIN{print $rbytes/1048576/$rs_time}")" "$rs_rss"
printf 'fdtrace annotate --one-pass: %6.2f s  %7.1f MB/s  peak RSS %6d KB\n' "$ro_time" "$(awk "BEGIN{print $rbytes/1048576/$ro_time}")" "$ro_rss"
printf 'speed ratio sed/fdtrace (real): %.2fx; --one-pass: %.2fx\n' "$(awk "BEGIN{print $rs_time/$r_time}")" "$(awk "BEGIN{print $rs_time/$ro_time}")"
