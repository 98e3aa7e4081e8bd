#!/usr/bin/env python3
"""Check the recorded fixtures.  Run: python3 scripts/check-fixtures.py [DIR]

For every fixtures/*.yy.log* file:
  * strip-yy.py applied to it gives exactly the matching *.plain.log* file;
  * both have the same number of lines;
  * the plain log has no fd annotation left.  This check is independent of
    strip-yy.py: outside "..." strings, the only '<' strace prints without
    -y are `<unfinished ...>`, `<... NAME resumed>`, `<detached ...>`, -T
    durations `<0.000012>` or `<unavailable>`, plus `1<<FLAG` bit masks (sock_diag);
    anything else is reported.
  * the yy log does have annotations (so a mis-recorded log is noticed).
Hex-dump lines (` | 00000 ...`) and -k stack lines (` > ...`) are skipped.
Prints one line per file and a closing 'N passed, N failed'.
"""

import glob
import importlib.util
import io
import os
import re
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "strip_yy", os.path.join(_HERE, "strip-yy.py"))
strip_yy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strip_yy)

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_ALLOWED = re.compile(
    rb"<(?:unfinished \.\.\.|\.\.\. [A-Za-z0-9_]+ resumed|detached \.\.\.|unavailable|"
    rb"[0-9]+\.[0-9]+)>"
    rb"|[0-9]+<<[A-Za-z0-9_]")  # flag bits such as idiag_states=1<<TCP_LISTEN
_ANNOT = re.compile(rb"(?:[0-9]|AT_FDCWD|\*/)<")


def leftover_annotations(data):
    bad = []
    for no, line in enumerate(data.split(b"\n"), 1):
        if strip_yy.is_passthrough(line):
            continue
        s = _ALLOWED.sub(b"", _STRING.sub(b'""', line))
        if b"<" in s:
            bad.append((no, line))
    return bad


def count_annotations(data):
    n = 0
    for line in data.split(b"\n"):
        if not strip_yy.is_passthrough(line):
            n += len(_ANNOT.findall(_STRING.sub(b'""', line)))
    return n


def main(argv):
    d = argv[1] if len(argv) > 1 else os.path.join(_HERE, "..", "fixtures")
    passed = failed = 0
    for yy in sorted(glob.glob(os.path.join(d, "*.yy.log*"))):
        plain = yy.replace(".yy.log", ".plain.log")
        name = os.path.basename(yy)
        problems = []
        with open(yy, "rb") as f:
            ydata = f.read()
        if not os.path.exists(plain):
            problems.append("missing " + os.path.basename(plain))
        else:
            with open(plain, "rb") as f:
                pdata = f.read()
            out = io.BytesIO()
            strip_yy.strip_stream(io.BytesIO(ydata), out)
            if out.getvalue() != pdata:
                problems.append("strip-yy output differs from plain log")
            if ydata.count(b"\n") != pdata.count(b"\n"):
                problems.append("line counts differ")
            for no, line in leftover_annotations(pdata)[:5]:
                problems.append("plain line %d keeps '<': %r" % (no, line[:160]))
        if count_annotations(ydata) == 0:
            problems.append("yy log has no annotations at all")
        if problems:
            failed += 1
            print("FAIL", name)
            for p in problems:
                print("   ", p)
        else:
            passed += 1
            print("ok  ", name, "(%d lines, %d annotations)"
                  % (ydata.count(b"\n"), count_annotations(ydata)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
