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

# Live: a client with no timeout hangs on a silent loopback server.
echo
echo "== live: fdtrace -f -- python3 client.py   (a client that waits on a silent server)"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cat >"$work/server.py" <<'PY'
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True)
conn, _ = s.accept()
time.sleep(3600)  # accepts, never answers
PY
cat >"$work/client.py" <<'PY'
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"GET / HTTP/1.0\r\n\r\n")
print(c.recv(100))  # no timeout: waits forever
PY
python3 "$work/server.py" >"$work/port" 2>/dev/null &
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
build/fdtrace -f --kill-on-exit -e trace=socket,connect,sendto,recvfrom -o "$work/trace.txt" -- \
  python3 "$work/client.py" "$port" 2>/dev/null &
for _ in $(seq 50); do grep -q sendto "$work/trace.txt" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
grep -E 'connect|sendto' "$work/trace.txt" | grep -v nscd | tail -2
client=$(pgrep -f "client.py $port" | tail -1)
echo
echo "== fdtrace stuck -p $client"
build/fdtrace stuck -p "$client" || true
kill $(jobs -p) 2>/dev/null || true
wait 2>/dev/null || true
