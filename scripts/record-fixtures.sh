#!/usr/bin/env bash
# Record the strace fixtures in fixtures/: real programs traced with
# `strace -f -yy ...` (NAME.yy.log), then stripped of every fd annotation by
# scripts/strip-yy.py (NAME.plain.log): what strace would have written
# without -y.  See fixtures/README.md for the scenarios and what they show.
#
# Usage: scripts/record-fixtures.sh [SCENARIO...]      (default: all)
#        scripts/record-fixtures.sh --list
# Env:   FDTRACE_KEEP_WORK=1 keeps the work dir /tmp/fdtrace-fixtures-work.
#
# Debian 12 packages this script needs; it installs the missing ones itself
# (apt-get, as root):
PACKAGES=(
  strace          # 6.1 is what the fixtures were recorded with
  python3         # http.server, socket / os / select / ctypes programs
  curl
  nginx-light
  socat
  gcc libc6-dev   # gcc -c, forks cc1 and as
  git
  iproute2        # ss, ip (netlink sock_diag / route)
  redis-server redis-tools
  iputils-ping tcpdump   # ICMP/raw and AF_PACKET sockets, on loopback only
  coreutils util-linux bsdutils procps netbase   # tail, timeout, script, blockdev, /etc/services
  sqlite3 tar gzip make perl wget openssl        # the 2026-11-29 fresh set (issue 11)
  bash findutils sed diffutils xz-utils bzip2 mawk file   # the 2026-11-29 fresh set
  jq zip unzip less lsof psmisc nodejs   # the 2026-11-30 fresh set, on a terminal
)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX=$ROOT/fixtures
W=/tmp/fdtrace-fixtures-work          # every file the scenarios touch lives here
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PY=/usr/bin/python3                   # Debian's python, not a pyenv shim
# Traced python runs use `python3 -S` (no site module): stdlib only, and no
# .pth hooks of whatever machine records the fixtures end up in them.
export PATH=$SYS_PATH

# Traced programs must not inherit stray fds from whatever runs this script
# (dash, for one, picks its save-fd numbers around them): close all but 0-2.
for _fd in /proc/$$/fd/*; do
  _n=${_fd##*/}
  if ((_n > 2 && _n != 255)); then eval "exec $_n>&-" 2>/dev/null || true; fi
done
unset _fd _n

ALL_SCENARIOS=(
  http-python-curl nginx-curl redis python-sockets kernel-objects
  deleted-file git-commit gcc-compile shell-pipeline shell-pipeline-ff
  socat-relay ss-tanp ip-addr ip-route-xraw python-threads
  special-paths special-paths-x special-paths-xx signals-r tail-follow-xverbose
  stdio-inherited devices-pty hexdump-io stack-k ping-tcpdump attach-detach
  sqlite-tar-gzip make-perl wget-http openssl-tls
  bash-find-xargs-sed xz-bzip2-diff mkfifo-awk-flock-file
  tty-jq-df-ps tty-node-http tty-zip-less tty-lsof-fuser
)

if [[ ${1:-} == --list ]]; then printf '%s\n' "${ALL_SCENARIOS[@]}"; exit 0; fi

# --- packages --------------------------------------------------------------
install_missing() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}
install_missing

# --- helpers ----------------------------------------------------------------
BG_PIDS=()
cleanup() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -z ${FDTRACE_KEEP_WORK:-} ]]; then rm -rf "$W"; fi
}
trap cleanup EXIT

# minimal, fixed environment for everything that is traced
ENVV=(PATH=$SYS_PATH HOME=$W/home LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TERM=dumb
      USER=root LOGNAME=root SHELL=/bin/sh)

free_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_tcp() {  # HOST PORT
  $PY - "$1" "$2" <<'EOF'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection((sys.argv[1], int(sys.argv[2])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("port %s:%s never opened" % (sys.argv[1], sys.argv[2]))
EOF
}
wait_file() {  # PATH
  local i
  for i in $(seq 200); do [[ -e $1 ]] && return 0; sleep 0.05; done
  echo "never appeared: $1" >&2; return 1
}

strip_all() {  # NAME: strip every NAME.yy.log* into NAME.plain.log*
  local f
  for f in "$FIX/$1".yy.log*; do
    $PY "$ROOT/scripts/strip-yy.py" "$f" > "${f/.yy.log/.plain.log}"
  done
}

# The traced command gets stdin and stdout /dev/null and stderr a file (what
# strace itself says goes there too); scenarios redirect their own output.
show_stderr() {
  if [[ -s $W/$1.strace-stderr ]]; then sed 's/^/   stderr: /' "$W/$1.strace-stderr" | head -5 >&2; fi
}

# record_with LAUNCHER WHERE NAME STRACE-OPTION... -- COMMAND...: records
# NAME in the foreground. LAUNCHER NAME STRACE-COMMAND... starts strace in the
# scenario's environment (stdio and all); WHERE says which, in the log.
record_with() {
  local launcher=$1 where=$2 name=$3; shift 3
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done; shift
  rm -f "$FIX/$name".yy.log* "$FIX/$name".plain.log*
  echo "== $name: ${where}strace ${opts[*]} $*" >&2
  local rc=0
  (cd "$W" && "$launcher" "$name" strace "${opts[@]}" -o "$FIX/$name.yy.log" -- "$@" \
     2> "$W/$name.strace-stderr") || rc=$?
  ((rc == 0)) || echo "   (exit status $rc)" >&2
  show_stderr "$name"
  strip_all "$name"
}

launch_plain() {
  shift
  env -i "${ENVV[@]}" timeout -k 5 60 "$@" < /dev/null > /dev/null
}

# On a terminal, as when a user types the command: script(1) gives strace and
# the command a fresh pty as stdin, stdout and stderr (its output is kept in
# the work dir). Programs ask a terminal what it is (TCGETS, TIOCGWINSZ,
# fstat), as they do not ask /dev/null or a file.
launch_tty() {
  local name=$1; shift
  # script(1) hands its command to $SHELL (sh): bash reads it from a file.
  printf 'exec %s\n' "$(printf '%q ' "$@")" > "$W/$name.command"
  env -i "${ENVV[@]}" TERM=xterm timeout -k 5 60 \
    script -q -e -c "bash $W/$name.command" /dev/null < /dev/null > "$W/$name.terminal"
}

# In a fresh network namespace holding only lo (up). strace must share the
# netns: it asks sock_diag about socket inodes, and sockets of another netns
# come out as just PROTO:[inode].
launch_netns() {
  shift
  env -i "${ENVV[@]}" timeout -k 5 60 \
    unshare --net sh -c 'ip link set lo up && exec "$@"' sh "$@" < /dev/null > /dev/null
}

# record NAME STRACE-OPTION... -- COMMAND...   (foreground)
record() { record_with launch_plain "" "$@"; }
# record_tty NAME STRACE-OPTION... -- COMMAND...: on a terminal (launch_tty).
record_tty() { record_with launch_tty "(terminal) " "$@"; }
# record_netns NAME STRACE-OPTION... -- COMMAND...: in a netns (launch_netns).
record_netns() { record_with launch_netns "(net namespace) " "$@"; }

# start_bg NAME STRACE-OPTION... -- COMMAND...; later finish_bg NAME
start_bg() {
  local name=$1; shift
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done; shift
  rm -f "$FIX/$name".yy.log* "$FIX/$name".plain.log*
  echo "== $name (background): strace ${opts[*]} $*" >&2
  (cd "$W" && exec env -i "${ENVV[@]}" timeout -k 5 120 \
     strace "${opts[@]}" -o "$FIX/$name.yy.log" -- "$@" \
     < /dev/null > /dev/null 2> "$W/$name.strace-stderr") &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}
finish_bg() {
  local name=$1 rc=0
  wait "$BG_PID" || rc=$?
  ((rc == 0)) || echo "   (exit status $rc)" >&2
  show_stderr "$name"
  strip_all "$name"
}

TS=(-f -yy -tt -T)   # the default strace options

# --- scenario programs --------------------------------------------------------
setup_work() {
  rm -rf "$W"
  mkdir -p "$W/home" "$W/www" "$W/progs"
  echo '<html><body>hello fdtrace</body></html>' > "$W/www/index.html"
  head -c 200000 /dev/zero | tr '\0' 'x' > "$W/www/data.bin"

  # unix (path, abstract, dgram, seqpacket), socketpair, SCM_RIGHTS,
  # UDP v4/v6, TCP v6; parent and a forked child talk to each other.
  cat > "$W/progs/sockets.py" <<'EOF'
import os, socket, sys, time

base = sys.argv[1]
path = os.path.join(base, "stream.sock")
dpath = os.path.join(base, "dgram.sock")
abstract = "\0fdtrace-abstract"

srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path); srv.listen()
asrv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
asrv.bind(abstract); asrv.listen()
dg = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
dg.bind(dpath)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
udp6.bind(("::1", 0))
tcp6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
tcp6.bind(("::1", 0)); tcp6.listen()

pid = os.fork()
if pid == 0:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    c.sendall(b"hello over a path socket\n")
    msg, fds, flags, addr = socket.recv_fds(c, 100, 4)
    report = b""
    for fd in fds:
        data = os.read(fd, 64)
        report += b"got %d bytes from passed fd %d; " % (len(data), fd)
        os.close(fd)
    os.write(c.fileno(), report)
    c.close()
    a = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    a.connect(abstract)
    a.send(b"seqpacket over an abstract socket")
    a.close()
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    d.sendto(b"datagram", dpath)
    d.close()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"udp4", udp.getsockname())
    u.close()
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u6.connect(udp6.getsockname()[:2])
    u6.send(b"udp6")
    u6.close()
    t6 = socket.create_connection(tcp6.getsockname()[:2])
    t6.sendall(b"tcp6")
    t6.close()
    os._exit(0)

conn, _ = srv.accept()
print(conn.recv(100).decode().strip())
r, w = os.pipe()
os.write(w, b"through a pipe")
f = open("/etc/hostname", "rb")
socket.send_fds(conn, [b"fds"], [f.fileno(), r])
f.close(); os.close(r); os.close(w)
reply = b""
while True:
    chunk = conn.recv(200)
    if not chunk:
        break
    reply += chunk
print(reply.decode())
conn.close()
aconn, _ = asrv.accept()
print(aconn.recv(100))
aconn.close()
print(dg.recvfrom(100))
print(udp.recvfrom(100))
print(udp6.recvfrom(100))
t, _ = tcp6.accept()
print(t.recv(100))
t.close()
a, b = socket.socketpair()
a.send(b"pair"); print(b.recv(10))
for s in (a, b, srv, asrv, dg, udp, udp6, tcp6):
    s.close()
os.waitpid(pid, 0)
os.unlink(path); os.unlink(dpath)
EOF

  # kernel objects reachable from python: eventfd, epoll, timerfd, signalfd,
  # inotify, memfd, pidfd, fanotify, userfaultfd, io_uring, nsfs, O_PATH,
  # directories, dup/fcntl
  cat > "$W/progs/kobjects.py" <<'EOF'
import ctypes, os, select, signal, struct, sys, time

libc = ctypes.CDLL(None, use_errno=True)
base = sys.argv[1]

ev = os.eventfd(0, os.EFD_CLOEXEC)
ep = select.epoll()
ep.register(ev, select.EPOLLIN)
os.eventfd_write(ev, 7)
print("epoll:", ep.poll(0), "eventfd:", os.eventfd_read(ev))

tfd = libc.timerfd_create(1, 0o2000000)          # CLOCK_MONOTONIC, TFD_CLOEXEC
spec = struct.pack("qqqq", 0, 0, 0, 20 * 1000 * 1000)
libc.timerfd_settime(tfd, 0, ctypes.c_char_p(spec), None)
ep.register(tfd, select.EPOLLIN)
print("timer:", ep.poll(1), struct.unpack("Q", os.read(tfd, 8)))

signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
mask = ctypes.c_uint64(1 << (signal.SIGUSR1 - 1))
sfd = libc.signalfd(-1, ctypes.byref(mask), 0o2000000)   # SFD_CLOEXEC
os.kill(os.getpid(), signal.SIGUSR1)
print("signalfd read:", len(os.read(sfd, 128)))

ifd = libc.inotify_init1(0o2000000)
wd = libc.inotify_add_watch(ifd, base.encode(), 0x100 | 0x200)  # IN_CREATE|IN_DELETE
open(os.path.join(base, "watched.txt"), "w").close()
os.unlink(os.path.join(base, "watched.txt"))
print("inotify:", len(os.read(ifd, 4096)))

m = os.memfd_create("fdtrace-memfd")
os.write(m, b"in memory")
os.lseek(m, 0, 0)
print("memfd:", os.read(m, 100))

pid = os.fork()
if pid == 0:
    time.sleep(0.05)
    os._exit(3)
pfd = os.pidfd_open(pid)
p = select.poll(); p.register(pfd, select.POLLIN)
print("pidfd poll:", p.poll(2000))
os.waitpid(pid, 0)

fan = libc.fanotify_init(0, 0)
uffd = libc.syscall(323, 0o2000000)                  # userfaultfd
params = ctypes.create_string_buffer(120)
ring = libc.syscall(425, 4, params)                  # io_uring_setup
ns = os.open("/proc/self/ns/net", os.O_RDONLY)
d = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
op = os.open("/etc/hostname", os.O_PATH)
dup = os.dup(ev)
hi = __import__("fcntl").fcntl(ev, __import__("fcntl").F_DUPFD_CLOEXEC, 100)
f2 = os.open("rel.txt", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=d)
os.write(f2, b"relative to a dirfd\n")
for fd in (ev, ep.fileno(), tfd, sfd, ifd, m, pfd, fan, uffd, ring, ns, d, op, dup, hi, f2):
    if fd >= 0:
        os.fstat(fd)
        os.close(fd)
EOF

  # threads sharing one fd table: a ThreadingHTTPServer in a thread, three
  # client threads, and worker threads reading files and writing a pipe
  cat > "$W/progs/threads.py" <<'EOF'
import http.server, os, sys, threading, urllib.request
from concurrent.futures import ThreadPoolExecutor

os.chdir(sys.argv[1])
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                        http.server.SimpleHTTPRequestHandler)
port = httpd.server_address[1]
server = threading.Thread(target=httpd.serve_forever, name="server")
server.start()
r, w = os.pipe()

def fetch(i):
    with urllib.request.urlopen("http://127.0.0.1:%d/index.html" % port) as resp:
        body = resp.read()
    with open("/etc/os-release", "rb") as f:
        os.write(w, b"%d: %d bytes, %d bytes\n" % (i, len(body), len(f.read())))
    return i

with ThreadPoolExecutor(max_workers=3) as ex:
    list(ex.map(fetch, range(3)))
os.close(w)
print(os.read(r, 4096).decode(), end="")
os.close(r)
httpd.shutdown()
server.join()
httpd.server_close()
EOF

  # processes ending by signals: SIGKILL (timeout), SIGTERM, SIGPIPE, SIGSEGV,
  # and a caught SIGUSR1
  cat > "$W/progs/signals.sh" <<'EOF'
out=$1
exec > "$out" 2>&1
timeout -s KILL 0.2 sleep 5
echo "timeout rc=$?"
sleep 5 &
kill -TERM $!
wait
yes | head -n 1
sh -c 'ulimit -c 0; kill -SEGV $$'
echo "segv rc=$?"
sh -c 'trap "echo got USR1" USR1; kill -USR1 $$; echo after USR1'
exit 0
EOF

  # holds a TCP listener and one established connection for ss to list
  cat > "$W/progs/holder.py" <<'EOF'
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
c = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); a, _ = s.accept()
open(sys.argv[2], "w").close()
time.sleep(30)
EOF

  # a unix socket bound to a path and an abstract name with awkward bytes
  cat > "$W/progs/oddsock.py" <<'EOF'
import socket, sys
for name in (sys.argv[1], "\0odd>name\n\"x\\"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(name); s.listen()
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(name)
    a, _ = s.accept()
    a.send(b"ok"); c.recv(2)
    a.close(); c.close(); s.close()
EOF
}

SPECIAL_DIR="$W/odd dir>é"
make_special_files() {
  rm -rf "$SPECIAL_DIR"; mkdir -p "$SPECIAL_DIR"
  local n
  for n in 'gt>x' 'lt<x' $'nl\nx' 'sp x' 'dq"x' "sq'x" 'bs\x' $'tab\tx' 'é中' \
           'br]x[' 'pipe|x' 'y (deleted)' 'ends-' 'oct\0017' 'x->y'; do
    printf '%s\n' "$n" > "$SPECIAL_DIR/$n"
  done
}

# --- scenarios ----------------------------------------------------------------
sc_http-python-curl() {
  local port; port=$(free_port)
  record http-python-curl "${TS[@]}" -- sh -c "
    python3 -S -m http.server --bind 127.0.0.1 --directory $W/www $port > $W/http-server.log 2>&1 &
    srv=\$!
    n=0
    until curl -s -o /dev/null http://127.0.0.1:$port/; do
      n=\$((n+1)); [ \$n -gt 100 ] && break; sleep 0.1
    done
    curl -sS -o $W/got.html http://127.0.0.1:$port/index.html > $W/curl.out 2>&1
    curl -sS -o /dev/null -w '%{http_code}\n' http://127.0.0.1:$port/missing >> $W/curl.out 2>&1
    kill \$srv
    wait \$srv
    exit 0"
}

sc_nginx-curl() {
  local port; port=$(free_port)
  local d=$W/nginx
  mkdir -p "$d/logs" "$d/tmp"
  cat > "$d/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user root;
pid $d/nginx.pid;
error_log $d/logs/error.log info;
events { worker_connections 64; }
http {
  access_log $d/logs/access.log;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  sendfile on;
  server {
    listen 127.0.0.1:$port;
    listen [::1]:$port;
    root $W/www;
    location / { }
  }
}
EOF
  start_bg nginx-curl "${TS[@]}" -- sh -c \
    "exec nginx -e $d/logs/error.log -p $d -c $d/nginx.conf > $d/stdout.log 2>&1"
  wait_tcp 127.0.0.1 "$port"; wait_tcp ::1 "$port"; wait_file "$d/nginx.pid"
  curl -sS -o /dev/null "http://127.0.0.1:$port/index.html"
  curl -sS -o /dev/null "http://127.0.0.1:$port/data.bin" -o /dev/null "http://127.0.0.1:$port/missing"
  curl -sS -g -o /dev/null "http://[::1]:$port/index.html"
  kill -QUIT "$(cat "$d/nginx.pid")"
  finish_bg nginx-curl
}

sc_redis() {
  local port; port=$(free_port)
  mkdir -p "$W/redis"
  start_bg redis "${TS[@]}" -- sh -c \
    "echo \$\$ > $W/redis/sh.pid; exec redis-server --port $port --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir $W/redis --logfile '' > $W/redis/stdout.log 2>&1"
  wait_tcp 127.0.0.1 "$port"
  redis-cli -p "$port" set greeting hello > /dev/null
  redis-cli -p "$port" get greeting > /dev/null
  redis-cli -p "$port" incr counter > /dev/null
  redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
  finish_bg redis
}

sc_python-sockets() {
  mkdir -p "$W/sock"
  record python-sockets "${TS[@]}" -- sh -c \
    "python3 -S $W/progs/sockets.py $W/sock > $W/sock/out.txt 2>&1"
}

sc_kernel-objects() {
  mkdir -p "$W/kobj"
  record kernel-objects "${TS[@]}" -- sh -c \
    "python3 -S $W/progs/kobjects.py $W/kobj > $W/kobj/out.txt 2>&1"
}

sc_deleted-file() {
  mkdir -p "$W/del"
  record deleted-file "${TS[@]}" -- sh -c "
    exec 3<> $W/del/victim.log
    rm $W/del/victim.log
    echo one >&3
    ls -l /proc/\$\$/fd > $W/del/fdlist.txt
    echo two >&3
    cat /proc/self/fd/3 > $W/del/reread.txt
    exec 3>&-
    exec 4> $W/del/before-rename.txt
    echo before >&4
    mv $W/del/before-rename.txt $W/del/after-rename.txt
    echo after >&4
    exec 4>&-
    exit 0"
}

sc_git-commit() {
  mkdir -p "$W/repo"
  record git-commit -f -yy -ttt -T -- sh -c "
    cd $W/repo &&
    git init -q &&
    git config user.email fdtrace@example.invalid &&
    git config user.name fdtrace &&
    printf 'hello\n' > a.txt && mkdir sub && printf 'world\n' > sub/b.txt &&
    git add a.txt sub &&
    git commit -q -m 'first commit' &&
    git log --oneline > $W/gitlog.txt 2>&1"
}

sc_gcc-compile() {
  mkdir -p "$W/cc"
  cat > "$W/cc/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
  record gcc-compile "${TS[@]}" -- sh -c \
    "cd $W/cc && gcc -O2 -pipe -c hello.c -o hello.o > gcc.out 2>&1"
}

PIPELINE="cat /etc/services | grep tcp | sort | head -5 > $W/pipeline-out.txt"
sc_shell-pipeline() {
  record shell-pipeline "${TS[@]}" -- sh -c "$PIPELINE"
}
sc_shell-pipeline-ff() {
  record shell-pipeline-ff -ff -yy -tt -T -- sh -c "$PIPELINE"
}

sc_socat-relay() {
  local port; port=$(free_port)
  mkdir -p "$W/socat"
  # untraced echo backend on TCP
  socat TCP4-LISTEN:"$port",bind=127.0.0.1,reuseaddr,fork EXEC:cat &
  local backend=$!; BG_PIDS+=("$backend")
  wait_tcp 127.0.0.1 "$port"
  start_bg socat-relay "${TS[@]}" -- sh -c \
    "echo \$\$ > $W/socat/relay.pid; exec socat -d -d UNIX-LISTEN:$W/socat/relay.sock,fork TCP4:127.0.0.1:$port 2> $W/socat/relay.err"
  wait_file "$W/socat/relay.sock"
  echo "first line through the relay" | socat - UNIX-CONNECT:"$W/socat/relay.sock" > "$W/socat/c1.out"
  echo "second line" | socat - UNIX-CONNECT:"$W/socat/relay.sock" > "$W/socat/c2.out"
  sleep 0.2
  kill -TERM "$(cat "$W/socat/relay.pid")"
  finish_bg socat-relay
  kill "$backend" 2>/dev/null || true
  wait "$backend" 2>/dev/null || true
}

sc_ss-tanp() {
  # ss -p walks /proc/*/fd of every process on the machine: run the scenario
  # in private pid and net namespaces (unshare --net --pid --mount-proc, lo
  # only) so that ss only sees it.  A python holder keeps a listener and an established TCP
  # connection open; strace itself runs inside the namespace too.
  local name=ss-tanp port rc=0; port=$(free_port)
  rm -f "$FIX/$name".yy.log* "$FIX/$name".plain.log* "$W/$name.yy.log" "$W/ss-ready"
  echo "== $name: (pid+net namespace) strace ${TS[*]} sh -c 'ss -tanp > ...'" >&2
  (cd "$W" && env -i "${ENVV[@]}" timeout -k 5 60 unshare --net --pid --fork --mount-proc sh -c "
     ip link set lo up
     python3 -S $W/progs/holder.py $port $W/ss-ready &
     while [ ! -e $W/ss-ready ]; do sleep 0.05; done
     strace ${TS[*]} -o $W/$name.yy.log -- sh -c 'ss -tanp > $W/ss.out 2>&1'
     kill \$!; wait" < /dev/null > /dev/null 2> "$W/$name.strace-stderr") || rc=$?
  ((rc == 0)) || echo "   (exit status $rc)" >&2
  show_stderr "$name"
  mv "$W/$name.yy.log" "$FIX/$name.yy.log"
  strip_all "$name"
}

sc_ip-addr() {
  # a private net namespace (lo only): the machine's interfaces stay out
  record_netns ip-addr "${TS[@]}" -- sh -c "ip addr > $W/ip-addr.out 2>&1; ip -6 route > $W/ip-route.out 2>&1"
}

sc_ip-route-xraw() {
  # here strace stays outside the new net namespace (unshare is traced), so
  # after unshare(CLONE_NEWNET) the netlink sockets show as NETLINK:[inode]
  record ip-route-xraw -f -yy -tt -T -X raw -- unshare --net sh -c "ip link set lo up; ip route show table all > $W/ip-route-raw.out 2>&1; ip link show lo >> $W/ip-route-raw.out 2>&1"
}

sc_python-threads() {
  record python-threads "${TS[@]}" -- sh -c \
    "python3 -S $W/progs/threads.py $W/www > $W/threads.out 2>$W/threads.err"
}

# cd into a directory with awkward bytes (the cwd shows up as AT_FDCWD</...>),
# cat awkward file names, bind unix sockets to awkward names.  The directory
# reaches dash through the environment: no quoting games.
special_paths() {  # NAME STRACE-OPTION...
  local name=$1; shift
  make_special_files
  local ENVV=("${ENVV[@]}" "SPECIAL_DIR=$SPECIAL_DIR")
  record "$name" "$@" -- sh -c \
    'cd "$SPECIAL_DIR" && cat -- * > ../special-cat.out 2>&1; python3 -S ../progs/oddsock.py "$SPECIAL_DIR/s p>\"q\\é.sock" > ../special-sock.out 2>&1'
}
sc_special-paths()    { special_paths special-paths "${TS[@]}"; }
sc_special-paths-x()  { special_paths special-paths-x "${TS[@]}" -x; }
sc_special-paths-xx() { special_paths special-paths-xx "${TS[@]}" -xx; }

sc_signals-r() {
  record signals-r -f -yy -r -T -- sh "$W/progs/signals.sh" "$W/signals.out"
}

sc_tail-follow-xverbose() {
  mkdir -p "$W/tail"
  printf 'line 1\n' > "$W/tail/followed.log"
  record tail-follow-xverbose -f -yy -tt -T -X verbose -- sh -c "
    tail -f $W/tail/followed.log > $W/tail/out.txt 2>&1 &
    t=\$!
    sleep 0.3
    echo 'line 2' >> $W/tail/followed.log
    sleep 0.3
    kill \$t
    wait \$t
    exit 0"
}

sc_stdio-inherited() {
  # strace runs cat directly: fd 0 is a file, fd 1 a pipe, fd 2 a file, all
  # opened by this script before strace started, so no open() in the log.
  rm -f "$FIX"/stdio-inherited.*
  echo "== stdio-inherited: strace ${TS[*]} cat - /etc/hostname /nonexistent" >&2
  (cd "$W" && env -i "${ENVV[@]}" strace "${TS[@]}" -o "$FIX/stdio-inherited.yy.log" \
     -- cat - /etc/hostname /nonexistent < "$W/www/index.html" 2> "$W/inherited.err" \
     | cat > "$W/inherited.out") || true
  strip_all stdio-inherited
}

sc_devices-pty() {
  record devices-pty "${TS[@]}" -- sh -c "
    head -c 16 /dev/urandom | od -An -tx1 > $W/dev-random.txt
    dd if=/dev/zero of=/dev/null bs=1k count=4 2> $W/dd.err
    blockdev --getsize64 /dev/loop0 > $W/blockdev.out 2>&1
    script -q -e -c 'tty; ls -d /dev/pts' $W/typescript > $W/script.out 2>&1 < /dev/null
    exit 0"
}

sc_hexdump-io() {
  record hexdump-io -f -yy -tt -T -e read=all -e write=all -- sh -c \
    "printf 'a<b>\"c\\\\d 1<x> 2</y>\n' | cat > $W/hexdump.out"
}

sc_stack-k() {
  record stack-k -f -yy -tt -T -k -- sh -c "cat /etc/hostname > $W/stack.out"
}

sc_ping-tcpdump() {
  # tcpdump captures ICMP on lo (AF_PACKET socket, BPF filter) while ping
  # (raw ICMP socket) pings 127.0.0.1; both under one strace -f.
  record ping-tcpdump "${TS[@]}" -- sh -c "
    tcpdump -i lo -n -c 4 -w $W/lo.pcap icmp > $W/tcpdump.out 2>&1 &
    t=\$!
    sleep 1
    ping -c 2 -i 0.2 127.0.0.1 > $W/ping.out 2>&1
    sleep 0.3
    kill -INT \$t 2>/dev/null
    wait \$t
    exit 0"
}

sc_attach-detach() {
  # strace -p attaches to a shell loop that is already running (its fd 3 was
  # opened before the trace starts) and detaches on SIGINT mid-syscall.
  local name=attach-detach
  mkdir -p "$W/attach"
  (cd "$W" && exec env -i "${ENVV[@]}" sh -c "exec 3>> $W/attach/loop.log; while :; do date >&3; cat /etc/hostname >&3; sleep 0.2; done" \
     < /dev/null > /dev/null 2>&1) &
  local target=$!; BG_PIDS+=("$target")
  sleep 0.5
  rm -f "$FIX/$name".yy.log* "$FIX/$name".plain.log*
  echo "== $name: strace ${TS[*]} -p <shell loop>" >&2
  strace "${TS[@]}" -p "$target" -o "$FIX/$name.yy.log" 2> "$W/$name.strace-stderr" &
  local st=$!
  sleep 1.1
  kill -INT "$st"
  wait "$st" || true
  kill "$target"; wait "$target" 2>/dev/null || true
  strip_all "$name"
}

# Fresh programs (issue 11): none of these was used while the replay was written.
sc_sqlite-tar-gzip() {
  mkdir -p "$W/arch/src"
  printf 'a\n' > "$W/arch/src/one.txt"; printf 'bb\n' > "$W/arch/src/two.txt"
  record sqlite-tar-gzip "${TS[@]}" -- sh -c "
    cd $W/arch
    sqlite3 db.sqlite 'create table t(x); insert into t values (1),(2); select count(*) from t;' > out.txt
    tar czf src.tgz src db.sqlite
    mkdir -p x && tar xzf src.tgz -C x
    gzip -c x/src/one.txt > one.gz && gzip -dc one.gz >> out.txt
    exit 0"
}

sc_make-perl() {
  mkdir -p "$W/mk"
  printf 'all: out.txt\nout.txt: in.txt\n\tperl -ne '\''print uc'\'' < in.txt > out.txt\n' > "$W/mk/Makefile"
  printf 'hello\n' > "$W/mk/in.txt"
  rm -f "$W/mk/out.txt"
  record make-perl "${TS[@]}" -- make -C "$W/mk"
}

sc_wget-http() {
  local port; port=$(free_port)
  python3 -S -m http.server --bind 127.0.0.1 --directory "$W/www" "$port" > "$W/wget-server.log" 2>&1 &
  local srv=$!
  wait_tcp 127.0.0.1 "$port"
  record wget-http "${TS[@]}" -- wget -q -O "$W/wget.html" "http://127.0.0.1:$port/index.html"
  kill "$srv"; wait "$srv" 2>/dev/null || true
}

sc_openssl-tls() {
  local port; port=$(free_port)
  (cd "$W" && openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.crt -days 1 \
     -subj /CN=localhost > /dev/null 2>&1)
  record openssl-tls "${TS[@]}" -- sh -c "
    openssl s_server -quiet -accept 127.0.0.1:$port -cert $W/tls.crt -key $W/tls.key -naccept 1 > $W/tls-server.out 2>&1 &
    srv=\$!
    n=0
    until echo | openssl s_client -quiet -connect 127.0.0.1:$port > /dev/null 2>&1; do
      n=\$((n+1)); [ \$n -gt 50 ] && break; sleep 0.1
    done
    wait \$srv
    exit 0"
}

# The 2026-11-29 fresh set: programs no earlier scenario ran.
sc_bash-find-xargs-sed() {
  mkdir -p "$W/tree/a/b" "$W/tree/c"
  local i
  for i in 1 2 3 4 5; do echo "line $i" > "$W/tree/a/f$i.txt"; echo "x$i" > "$W/tree/c/g$i.txt"; done
  echo deep > "$W/tree/a/b/deep.txt"
  record bash-find-xargs-sed "${TS[@]}" -- bash -c "
    cd $W/tree
    find . -name '*.txt' -print0 | xargs -0 -n 3 sha256sum | sort -k2 | sed -e 's/  \\./ ./' > ../sums.out
    while read -r sum name; do printf '%s\\n' \"\${name##*/}\"; done < ../sums.out > ../names.out
    exec 3> ../fd3.out; echo via-fd-3 >&3; exec 3>&-
    wc -l < ../names.out"
}

sc_xz-bzip2-diff() {
  seq 1 20000 > "$W/numbers.txt"
  record xz-bzip2-diff "${TS[@]}" -- bash -c "
    cd $W
    xz -k -f numbers.txt && bzip2 -k -f numbers.txt
    xz -dc numbers.txt.xz | tee numbers.from-xz | md5sum > xz.md5
    bzip2 -dc numbers.txt.bz2 | cmp - numbers.from-xz
    diff -u numbers.txt numbers.from-xz > numbers.diff; echo \"diff: \$?\"
    sed -i 's/^1\$/one/' numbers.from-xz
    diff -q numbers.txt numbers.from-xz || true"
}

sc_mkfifo-awk-flock-file() {
  record mkfifo-awk-flock-file "${TS[@]}" -- bash -c "
    cd $W
    rm -f work.fifo; mkfifo work.fifo
    awk 'BEGIN { for (i = 1; i <= 5; i++) print \"row\", i > \"work.fifo\" }' &
    awk '{ s += \$2 } END { print \"sum\", s }' < work.fifo > fifo-sum.out
    wait
    flock -x work.lock -c 'echo locked > flock.out'
    exec 9> work.lock2; flock -n 9 && echo got-lock-on-9 >> flock.out
    file -b /etc/passwd /bin/bash work.fifo > file.out 2>&1 || true"
}

# The 2026-11-30 fresh set: programs no scenario ran before, each on a
# terminal (record_tty), as a user at a shell prompt runs them.
sc_tty-jq-df-ps() {
  printf '{"name": "fdtrace", "tags": ["fd", "strace"], "n": 3}\n' > "$W/data.json"
  mkdir -p "$W/copy-src"; printf 'one\ntwo\n' > "$W/copy-src/a.txt"
  record_tty tty-jq-df-ps "${TS[@]}" -- bash -c "
    cd $W
    jq -r '.tags[]' data.json
    jq -c '{name, count: .n}' < data.json > jq.out
    df -h / /tmp
    ps -o pid,ppid,tty,comm
    id; uname -a
    du -s copy-src
    stat -c '%n %s %F' data.json /dev/null
    rm -rf copy-dst; cp -a copy-src copy-dst
    echo done >&2"
}

sc_tty-node-http() {
  cat > "$W/progs/http.js" <<'EOF'
// An HTTP server and a client of it in one process, then a child process
// and a file read: libuv's epoll, eventfd, pipes, and its thread pool.
const http = require('http');
const fs = require('fs');
const { execFileSync } = require('child_process');
const server = http.createServer((req, res) => {
  fs.readFile(process.argv[2], (err, data) => {
    res.writeHead(err ? 500 : 200, { 'Content-Type': 'text/plain' });
    res.end(err ? 'error' : data);
  });
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
    let body = '';
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', () => {
      console.log('got', body.length, 'bytes');
      console.log(execFileSync('/usr/bin/env', [], { env: { A: '1' } }).toString().trim());
      server.close();
    });
  });
});
EOF
  record_tty tty-node-http "${TS[@]}" -- node "$W/progs/http.js" "$W/www/index.html"
}

sc_tty-zip-less() {
  mkdir -p "$W/ziptree/sub"
  seq 1 500 > "$W/ziptree/numbers.txt"; printf 'hello\n' > "$W/ziptree/sub/hello.txt"
  record_tty tty-zip-less "${TS[@]}" -- bash -c "
    cd $W
    rm -f tree.zip; zip -q -r tree.zip ziptree
    unzip -l tree.zip
    unzip -p tree.zip ziptree/sub/hello.txt | less -F -X
    less -F -X ziptree/sub/hello.txt
    unzip -o -q tree.zip -d unzipped && cat unzipped/ziptree/sub/hello.txt"
}

sc_tty-lsof-fuser() {
  : > "$W/held.txt"
  record_tty tty-lsof-fuser "${TS[@]}" -- bash -c "
    cd $W
    sleep 30 < held.txt &
    holder=\$!
    sleep 0.3
    lsof -n -P -p \$holder
    fuser -v held.txt
    kill \$holder; wait"
}

# --- main ---------------------------------------------------------------------
setup_work
mkdir -p "$FIX"
scenarios=("$@")
((${#scenarios[@]})) || scenarios=("${ALL_SCENARIOS[@]}")
for s in "${scenarios[@]}"; do
  "sc_$s"
done

$PY "$ROOT/scripts/check-fixtures.py" "$FIX"
