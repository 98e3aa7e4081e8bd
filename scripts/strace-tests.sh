#!/usr/bin/env bash
# Runs strace's own test programs for fd syscalls (scripts/strace-tests.list)
# with fdtrace, or strace itself, as the tracer under test.
#
# strace's test programs print the exact line strace must print; its test
# scripts (tests/NAME.gen.test or NAME.test, run as `make check` runs them)
# trace the program with "$STRACE -o LOG OPTIONS ../NAME" and diff LOG against
# that output. We set $STRACE to a wrapper that runs fdtrace with
# --mark-annotations and takes the marked annotations out of LOG again, so
# each script compares fdtrace's line with strace's expected one, with the
# test's own options.
#
# The source is strace's Debian source package for the installed strace
# (apt-get source; a deb-src entry is added beside the deb one if missing),
# kept in $FDTRACE_STRACE_CACHE (build/strace-src). $FDTRACE_STRACE_SRC names
# an already unpacked source tree to use instead. Only tests/scno.h,
# libtests.a and the listed programs are built.
#
# Usage: scripts/strace-tests.sh [--tracer fdtrace|strace] [--min N]
#                                [--table FILE] [--fetch-only | --no-fetch]
#                                [NAME...]
# --no-fetch (CTest uses it) skips unless the source is already there.
# Exit: 0 when at least N tests pass (N defaults to all of them), 1 when
# fewer do, 77 when the source can't be got or built (a skip).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tracer=fdtrace
min=
table=
fetch_only=
no_fetch=
names=()
while (($#)); do
  case "$1" in
    --tracer) tracer=$2; shift 2 ;;
    --min) min=$2; shift 2 ;;
    --table) table=$2; shift 2 ;;
    --fetch-only) fetch_only=1; shift ;;
    --no-fetch) no_fetch=1; shift ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "strace-tests: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
  esac
done
case "$tracer" in
  fdtrace | strace) ;;
  *) echo "strace-tests: --tracer is fdtrace or strace, not '$tracer'" >&2; exit 2 ;;
esac

skip() { echo "strace-tests: skipped: $*" >&2; exit 77; }

# --- the source -------------------------------------------------------------

strace_version=$(dpkg-query -W -f='${Version}' strace 2>/dev/null) || skip "strace is not installed"
have_deb_src() {
  grep -rqsE '^(deb-src |Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/
}
add_deb_src() {
  # The deb entries again as deb-src: the same mirrors, suites and components.
  [ "$(id -u)" = 0 ] || return 1
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      > /etc/apt/sources.list.d/fdtrace-deb-src.sources
  elif [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/fdtrace-deb-src.list
  else
    return 1
  fi
}
fetch_source() {
  local cache=$1
  mkdir -p "$cache" || return 1
  if ! have_deb_src; then
    echo "strace-tests: adding a deb-src entry for apt-get source" >&2
    add_deb_src || return 1
  fi
  apt-get update -qq >&2 || return 1
  (cd "$cache" && apt-get source -qq "strace=$strace_version" >&2) || return 1
}

if [ -n "${FDTRACE_STRACE_SRC:-}" ]; then
  src=$FDTRACE_STRACE_SRC
  [ -x "$src/configure" ] || skip "FDTRACE_STRACE_SRC=$src is not an unpacked strace source"
else
  cache=${FDTRACE_STRACE_CACHE:-$root/build/strace-src}
  upstream=${strace_version%%-*}
  src=$cache/strace-$upstream
  if [ ! -x "$src/configure" ]; then
    [ -n "$no_fetch" ] && skip "no strace source in $cache (scripts/strace-tests.sh --fetch-only gets it)"
    echo "strace-tests: fetching strace $strace_version's source into $cache" >&2
    fetch_source "$cache" || skip "could not get strace $strace_version's source (apt-get source strace)"
    [ -x "$src/configure" ] || skip "apt-get source strace gave no $src"
  fi
fi
[ -n "$fetch_only" ] && { echo "$src"; exit 0; }

# --- the test programs ------------------------------------------------------

list=()
helpers=()
while read -r name extra; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if ((${#names[@]})); then
    [[ " ${names[*]} " == *" $name "* ]] || continue
  fi
  list+=("$name")
  [ -n "$extra" ] && helpers+=($extra)
done < "$root/scripts/strace-tests.list"
((${#list[@]})) || { echo "strace-tests: no such test: ${names[*]}" >&2; exit 2; }

jobs=${FDTRACE_STRACE_JOBS:-2}
if [ ! -f "$src/tests/Makefile" ]; then
  echo "strace-tests: configuring $src" >&2
  (cd "$src" && ./configure -q --enable-mpers=no --disable-dependency-tracking >"$src/fdtrace-configure.log" 2>&1) ||
    skip "strace's ./configure failed, see $src/fdtrace-configure.log"
fi
# scno.h first: the objects include it, and make -j does not wait for it.
{ make -s -C "$src/tests" scno.h &&
  make -s -C "$src/tests" -j"$jobs" libtests.a "${list[@]}" "${helpers[@]}"; } >"$src/fdtrace-make.log" 2>&1 ||
  skip "building strace's test programs failed, see $src/fdtrace-make.log"

# --- the tracer under test --------------------------------------------------

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$tracer" = strace ]; then
  tracer_cmd=$(command -v strace) || skip "no strace"
else
  fdtrace=${FDTRACE:-$root/build/fdtrace}
  [ -x "$fdtrace" ] || { echo "strace-tests: no fdtrace at $fdtrace (build first)" >&2; exit 2; }
  tracer_cmd=$work/fdtrace-as-strace
  # The scripts run "$STRACE -o LOG ...". fdtrace brackets each annotation in
  # \x1e...\x1f (--mark-annotations); taking those spans out is what
  # strip_marked() in src/render/line_render.cpp does for fdtrace's own tests.
  cat > "$tracer_cmd" <<EOF
#!/bin/sh
log=
prev=
for arg; do [ "\$prev" = -o ] && log=\$arg; prev=\$arg; done
"$fdtrace" --mark-annotations "\$@"
rc=\$?
[ -n "\$log" ] && [ -f "\$log" ] && perl -0777 -pi -e 's/\x1e[^\x1f]*\x1f//g' "\$log"
exit \$rc
EOF
  chmod +x "$tracer_cmd"
fi

# --- run ----------------------------------------------------------------------

pass=0 fail=0 skipped=0
rows=()
for name in "${list[@]}"; do
  script=$name.gen.test
  [ -f "$src/tests/$script" ] || script=$name.test
  out=$work/$name.out
  (cd "$src/tests" && STRACE="$tracer_cmd" srcdir=. TIMEOUT_DURATION=120 \
    timeout 180 sh "./$script" >"$out" 2>&1 3>&- 4>&-)
  rc=$?
  detail=
  case $rc in
    0) result=pass; pass=$((pass + 1)) ;;
    77) result=skip; skipped=$((skipped + 1)); detail=$(grep -m1 'skipped test' "$out") ;;
    *)
      result=FAIL; fail=$((fail + 1))
      # The first line diff -u shows differing: strace's expected, then ours.
      expected=$(sed -n '/^@@/,$p' "$out" | grep -m1 '^-' | cut -c2-)
      got=$(sed -n '/^@@/,$p' "$out" | grep -m1 '^+' | cut -c2-)
      if [ -n "$expected$got" ]; then
        detail="expected \`$expected\`, got \`$got\`"
      else
        # The tracer's own complaint (an option it lacks), else the script's.
        detail=$(grep -m1 -E '^(fdtrace|strace): ' "$out" || grep -m1 'failed test' "$out" | cut -c1-200)
      fi
      ;;
  esac
  printf '%-18s %s %s\n' "$name" "$result" "$detail"
  rows+=("| $name | $result | ${detail//|/\\|} |")
done
total=${#list[@]}
echo "strace-tests: $tracer passed $pass of $total ($fail failed, $skipped skipped)"
if [ -n "$table" ]; then
  {
    echo "| test | $tracer | first differing line (strace's expected, then $tracer's) |"
    echo "|---|---|---|"
    printf '%s\n' "${rows[@]}"
  } > "$table"
fi
((pass >= ${min:-$total})) || exit 1
