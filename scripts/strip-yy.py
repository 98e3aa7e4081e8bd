#!/usr/bin/env python3
"""Remove strace -y/-yy fd annotations from a log.

Reads a log written by `strace -yy` (files given as arguments, or stdin) and
writes the same log as strace would have written it without -y/-yy: every
`FD<...>` annotation is dropped and the bare number is kept.

What strace 6.1 prints after an fd (src/util.c printfd_pid):

  path form     3</etc/passwd>           path quoted without the surrounding
                                          quotes, '<' and '>' escaped as \\74
                                          and \\76, '"' and '\\' backslashed,
                                          non-printables as \\ooo (or \\xHH with
                                          -x/-xx, -x switches the whole string
                                          to hex if any byte is non-ASCII)
                3</tmp/x>(deleted)        unlinked file (also memfd, which is
                                          always "deleted")
  device form   1</dev/null<char 1:3>>   path as above + <char|block M:m>
  socket form   5<TCP:[1.2.3.4:5->6.7.8.9:10]>, 4<UNIX-STREAM:[7->8,"/p"]>
                details are NOT escaped: '->' holds a raw '>', a unix path
                is a C-quoted string in which '>' / '<' / ']' are raw
  pidfd form    8<pid:1234>
  dirfd         AT_FDCWD</cwd>, with -X raw -100</cwd>, with -X verbose
                -100 /* AT_FDCWD */</cwd>

strace aligns the return value: after the closing ")" of a syscall it prints
a space and then pads with spaces so that "= " starts at column 40 (-a N
changes it), counting the whole line including the pid and time prefix.
Annotations change the length before that column, so every line whose
annotations were removed gets its padding recomputed the way strace does:
`close(3</etc/ld.so.cache>) = 0` becomes `close(3)` + spaces up to column 40
+ `= 0`.

Text inside "..." strings is never touched, nor are `<unfinished ...>`,
`<... foo resumed>`, `<detached ...>` or `-T` durations `<0.000012>` (those
never follow an fd number directly).  Hex-dump lines of -e read=/-e write=
(` | 00000  ...`) and -k stack lines (` > /lib/...`) are copied verbatim.

Usage: strip-yy.py [-a COLUMN] [LOG...] > plain.log  ("-" or none: stdin)
"""

import re
import sys

# A '<' right after one of these starts an fd annotation.
_FD_TAIL = re.compile(rb"(?:(?<![0-9A-Za-z_.])-?[0-9]+|\bAT_FDCWD|\*/)\Z")
# Start of a socket-details / "type:[...]" annotation, e.g. TCP:[ UNIX-STREAM:[
_BRACKET_HEAD = re.compile(rb"[A-Za-z0-9_-]+:\[")
_DELETED = b"(deleted)"
# ")" + padding + "= ": where strace aligned the return value
_RETVAL_SEP = re.compile(rb"\)( +)= ")
DEFAULT_ALIGN_COLUMN = 40


def _skip_string(line, i):
    """line[i] is '"'; return the index just past the closing quote."""
    n = len(line)
    j = i + 1
    while j < n:
        c = line[j]
        if c == 0x5C:  # backslash: skip the escaped char
            j += 2
            continue
        if c == 0x22:  # '"'
            return j + 1
        j += 1
    return n


def _bracket_end(line, i):
    """Annotation at line[i] == '<' of the form <WORD:[...]>; return its end
    (index past '>') or None if it does not parse as such."""
    m = _BRACKET_HEAD.match(line, i + 1)
    if not m:
        return None
    j = m.end()  # just past the '['
    depth = 1
    n = len(line)
    while j < n:
        c = line[j]
        if c == 0x22:
            j = _skip_string(line, j)
            continue
        if c == 0x5B:  # [
            depth += 1
        elif c == 0x5D:  # ]
            depth -= 1
            if depth == 0:
                if j + 1 < n and line[j + 1] == 0x3E:  # ]>
                    return j + 2
                return None
        j += 1
    return None


def _path_end(line, i):
    """Annotation at line[i] == '<' in path form (optionally with a nested
    <char M:m>/<block M:m> device part); return its end or None."""
    n = len(line)
    j = i + 1
    depth = 0
    while j < n:
        c = line[j]
        if c == 0x5C:
            j += 2
            continue
        if c == 0x3C:  # '<' only appears raw for the nested device part
            depth += 1
        elif c == 0x3E:
            if depth == 0:
                end = j + 1
                if line.startswith(_DELETED, end):
                    end += len(_DELETED)
                return end
            depth -= 1
        elif c == 0x0A:
            return None
        j += 1
    return None


def annotation_end(line, i):
    """line[i] is '<' right after an fd; return the end index of the
    annotation, or None if the text there is not an fd annotation."""
    if i + 1 >= len(line) or line[i + 1] in b"<> \n":
        return None
    end = _bracket_end(line, i)
    if end is not None:
        return end
    return _path_end(line, i)


def is_passthrough(line):
    # -e read=/-e write= hex dumps and -k stack frames: no pid prefix,
    # raw data, never annotated.
    return line.startswith(b" | ") or line.startswith(b" > ")


def _remove_annotations(line):
    out = bytearray()
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == 0x22:
            j = _skip_string(line, i)
            out += line[i:j]
            i = j
            continue
        if c == 0x3C and _FD_TAIL.search(out[-24:]):
            end = annotation_end(line, i)
            if end is not None:
                i = end
                continue
        out.append(c)
        i += 1
    return bytes(out)


def _retval_separator(line):
    """The last ') <spaces>= ' outside "..." strings, or None."""
    found = None
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == 0x22:
            i = _skip_string(line, i)
            continue
        if c == 0x29:  # ')'
            m = _RETVAL_SEP.match(line, i)
            if m:
                found = m
        i += 1
    return found


def realign(line, column=DEFAULT_ALIGN_COLUMN):
    """Redo strace's return-value alignment: ") " then spaces up to COLUMN."""
    m = _retval_separator(line)
    if m is None:
        return line
    close = m.start()            # index of ')'
    eq = max(close + 2, column)  # where '=' goes
    return line[:close + 1] + b" " * (eq - close - 1) + line[m.end() - 2:]


def strip_line(line, column=DEFAULT_ALIGN_COLUMN):
    """Strip fd annotations from one log line (bytes, may end in newline)."""
    if b"<" not in line or is_passthrough(line):
        return line
    out = _remove_annotations(line)
    if out == line:
        return line
    return realign(out, column)


def strip_stream(inp, outp, column=DEFAULT_ALIGN_COLUMN):
    for line in inp:
        outp.write(strip_line(line, column))


def main(argv):
    args = argv[1:]
    column = DEFAULT_ALIGN_COLUMN
    if len(args) >= 2 and args[0] == "-a":
        column = int(args[1])
        args = args[2:]
    args = args or ["-"]
    out = sys.stdout.buffer
    for a in args:
        if a == "-":
            strip_stream(sys.stdin.buffer, out, column)
        else:
            with open(a, "rb") as f:
                strip_stream(f, out, column)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
