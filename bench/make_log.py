#!/usr/bin/env python3
"""Writes a synthetic strace -f -tt -T log (no -y) of at least SIZE_MB megabytes:
several processes opening files, talking TCP and over pipes, forking and
exiting, in the proportions of a real busy server trace (mostly read/write)."""
import random
import sys

size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
out = sys.stdout
random.seed(42)
target = size_mb * 1024 * 1024
written = 0
second = 0
micro = 0
pids = [1000 + i for i in range(8)]
open_fds = {pid: [] for pid in pids}  # bounded: a server's working set
next_pid = 5000


def stamp():
    global micro, second
    micro += random.randint(1, 40)
    if micro >= 1_000_000:
        micro -= 1_000_000
        second += 1
    return "%02d:%02d:%02d.%06d" % (10 + second // 3600, (second // 60) % 60, second % 60, micro)


def emit(pid, text):
    global written
    line = "%d  %s %s <0.0000%02d>\n" % (pid, stamp(), text, random.randint(1, 99))
    out.write(line)
    written += len(line)


def lowest_free(pid):
    fd = 3
    while fd in open_fds[pid]:
        fd += 1
    return fd


payload = '"GET /index.html HTTP/1.1\\r\\nHost: example\\r\\n"...'
while written < target:
    pid = random.choice(pids)
    fds = open_fds[pid]
    r = random.random()
    if (r < 0.05 and len(fds) < 60) or not fds:
        fd = lowest_free(pid)
        kind = random.random()
        if kind < 0.5:
            emit(pid, 'openat(AT_FDCWD, "/var/www/html/file%d.html", O_RDONLY|O_CLOEXEC) = %d' % (random.randint(0, 999), fd))
        elif kind < 0.8:
            emit(pid, "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_TCP) = %d" % fd)
            emit(pid, 'connect(%d, {sa_family=AF_INET, sin_port=htons(%d), sin_addr=inet_addr("10.1.%d.%d")}, 16) = -1 EINPROGRESS (Operation now in progress)'
                 % (fd, random.choice([80, 443, 5432, 6379]), random.randint(0, 255), random.randint(1, 254)))
        else:
            emit(pid, "pipe2([%d, %d], O_CLOEXEC) = 0" % (fd, fd + 1))
            fds.append(fd + 1)
        fds.append(fd)
    elif r < 0.10 and len(fds) > 2:
        fd = fds.pop(random.randrange(len(fds)))
        emit(pid, "close(%d) = 0" % fd)
    elif r < 0.11:
        child = next_pid
        next_pid += 1
        emit(pid, "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3c) = %d" % child)
        emit(child, "exit_group(0) = ?")
        out.write("%d  %s +++ exited with 0 +++\n" % (child, stamp()))
    elif r < 0.13:
        emit(pid, "poll([{fd=%d, events=POLLIN}, {fd=%d, events=POLLOUT}], 2, 1000) = 1 ([{fd=%d, revents=POLLIN}])"
             % (fds[0], fds[-1], fds[0]))
    elif r < 0.55:
        fd = random.choice(fds)
        emit(pid, "read(%d, %s, 8192) = %d" % (fd, payload, random.randint(1, 8192)))
    else:
        fd = random.choice(fds)
        emit(pid, "write(%d, %s, %d) = %d" % (fd, payload, 512, 512))
