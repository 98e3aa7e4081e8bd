#!/usr/bin/env bash
# The live tracer against strace, in the same run, on the same workloads:
#   dd       dd if=/dev/zero of=/dev/null bs=1 count=N    (every syscall is traced I/O)
#   pingpong one-byte round trips over loopback TCP, two processes
#   getpid   a loop of getpid() with a write() every 1000th: traced calls are a minority,
#            which is where fdtrace's seccomp filter pays (strace -f stops at every call)
# fdtrace runs as `fdtrace -f -o /dev/null -- CMD` (its default syscall set, names
# resolved live); strace as `strace -f -yy -e trace=<the same set> -o /dev/null CMD`,
# and also with --seccomp-bpf for reference.
#
# With BEFORE=/path/to/other/fdtrace, that binary (an earlier build) is measured in the same
# run too, so a change's cost is read against strace on the same machine state.
#
# usage: bench/trace_bench.sh [BUILD_DIR]   (env: DD_COUNT, PINGPONG_ROUNDS, GETPID_CALLS, REPEAT, BEFORE)
set -euo pipefail

build=${1:-$(dirname "$0")/../build}
fdtrace=$build/fdtrace
workload=$build/bench_workload
for tool in "$fdtrace" "$workload"; do
    [[ -x $tool ]] || { echo "missing $tool (build first)" >&2; exit 2; }
done
command -v strace >/dev/null || { echo "strace not installed" >&2; exit 2; }

dd_count=${DD_COUNT:-200000}
rounds=${PINGPONG_ROUNDS:-20000}
getpid_calls=${GETPID_CALLS:-2000000}
repeat=${REPEAT:-3}
set_list=$("$fdtrace" --list-syscalls | paste -sd, -)

# Best wall-clock seconds of $repeat runs of "$@".
best_of() {
    local best=""
    for _ in $(seq "$repeat"); do
        local start end elapsed
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s.%N)
        elapsed=$(echo "$end - $start" | bc -l)
        if [[ -z $best ]] || (( $(echo "$elapsed < $best" | bc -l) )); then best=$elapsed; fi
    done
    printf '%.3f' "$best"
}

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

before=${BEFORE:-}
printf '%-9s %9s %9s %9s %13s %10s %13s' workload untraced fdtrace strace strace-seccomp fd/strace fd/strace-sec
[[ -n $before ]] && printf ' %9s %14s' before before/strace
printf '\n'
run() {
    local name=$1
    shift
    local bare fd st sts old
    bare=$(best_of "$@")
    fd=$(best_of "$fdtrace" -f -o /dev/null -- "$@")
    st=$(best_of strace -f -yy -e trace="$set_list" -o /dev/null "$@")
    sts=$(best_of strace -f --seccomp-bpf -yy -e trace="$set_list" -o /dev/null "$@")
    printf '%-9s %9s %9s %9s %13s %10s %13s' "$name" "$bare" "$fd" "$st" "$sts" "$(ratio "$fd" "$st")" "$(ratio "$fd" "$sts")"
    if [[ -n $before ]]; then
        old=$(best_of "$before" -f -o /dev/null -- "$@")
        printf ' %9s %14s' "$old" "$(ratio "$old" "$st")"
    fi
    printf '\n'
}

run dd dd if=/dev/zero of=/dev/null bs=1 count="$dd_count"
run pingpong "$workload" pingpong "$rounds"
run getpid "$workload" getpid "$getpid_calls" 1000
echo "(seconds, best of $repeat; ratios below 1 mean fdtrace is faster)"
