#!/usr/bin/env bash
# Installs dependencies, builds, and shows fdtrace's main job on a bundled
# demo: `sh -c 'curl -s http://127.0.0.1:18080/index.html | tr a-z A-Z > out.txt'`
# recorded with plain `strace -f -tt -T` (no -y), then annotated.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
demo=fixtures/demo.plain.log
interesting='(socket|connect|getsockname|sendto|recvfrom|poll|pipe2?|dup2|write|read)\([0-9]'
skip='ELF|locale|\.so|/etc/|openssl|nscd|, "", 4096'
echo "== the log as strace wrote it, without -y:"
grep -E "$interesting" "$demo" | grep -vE "$skip" | head -14
echo
echo "== fdtrace annotate $demo"
build/fdtrace annotate --color=never "$demo" | grep -E "$interesting" | grep -vE "$skip" | head -14
