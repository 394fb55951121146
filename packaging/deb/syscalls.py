#!/usr/bin/env python3
"""Check the system calls of a traced vigil against the unit's filter.

usage: syscalls.py STRACE_FILE UNIT_FILE [WRITABLE_DIR...]
STRACE_FILE: `strace -f -o` of `setpriv ... vigil serve`; calls are counted
from the execve of vigil on (setpriv's own are not the service's).
The allowed set is what the unit's SystemCallFilter= lines give, the groups
expanded with `systemd-analyze syscall-filter`: allow lists add, lines
starting with ~ take away. Prints the calls made and any refused one; exits
1 when vigil made a call the unit refuses, mapped memory writable and
executable (MemoryDenyWriteExecute=yes) or, when WRITABLE_DIRs are given,
opened a file for writing outside them, /tmp and /dev (ProtectSystem=strict
with ReadWritePaths=, PrivateTmp=) (tests/integration/t0024-deb.sh)."""
import re
import subprocess
import sys

trace, unit = sys.argv[1], sys.argv[2]
writable = [d.rstrip("/") + "/" for d in sys.argv[3:]] + ["/tmp/", "/dev/"]

groups = {}
cur = None
out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"],
                     capture_output=True, text=True).stdout
for line in out.splitlines():
    if line.startswith("@"):
        cur = groups.setdefault(line.strip(), set())
    elif cur is not None and line.startswith("    ") and not line.strip().startswith("#"):
        cur.add(line.strip())


def expand(name, seen=None):
    seen = seen or set()
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    res = set()
    for m in groups.get(name, ()):
        res |= expand(m, seen)
    return res


allowed = None
for line in open(unit):
    line = line.strip()
    if not line.startswith("SystemCallFilter="):
        continue
    val = line.split("=", 1)[1]
    deny = val.startswith("~")
    names = set()
    for w in val.lstrip("~").split():
        names |= expand(w)
    if deny:
        allowed = (allowed if allowed is not None else set()) - names
    else:
        allowed = (allowed or set()) | names
if not allowed:
    sys.exit("%s: no SystemCallFilter= allow list" % unit)

used = set()
wx = []
outside = []
started = False
call = re.compile(r"^\d+\s+(?:<\.\.\. )?([a-z0-9_]+)[( ]")
for line in open(trace):
    if not started:
        if re.match(r'^\d+\s+execve\("[^"]*/vigil"', line) and "= 0" in line:
            started = True
        continue
    m = call.match(line)
    if m:
        used.add(m.group(1))
        if m.group(1) in ("mmap", "mprotect", "pkey_mprotect") and \
                "PROT_WRITE" in line and "PROT_EXEC" in line:
            wx.append(line.strip())
        o = re.search(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]*)", ([A-Z_|]+)', line)
        if o and len(sys.argv) > 3 and re.search(r"O_WRONLY|O_RDWR|O_CREAT", o.group(2)) \
                and "= -1" not in line:
            path = o.group(1)
            # (a directory itself too: O_TMPFILE opens "/tmp")
            if path.startswith("/") and not any((path + "/").startswith(w) for w in writable):
                outside.append(path)
refused = sorted(used - allowed)
print("system calls made by vigil (%d): %s" % (len(used), " ".join(sorted(used))))
if not started:
    sys.exit("no execve of vigil in %s" % trace)
bad = 0
if refused:
    print("refused by the unit's SystemCallFilter: %s" % " ".join(refused))
    bad = 1
else:
    print("every one allowed by the unit's SystemCallFilter")
if wx:
    print("writable and executable memory (MemoryDenyWriteExecute refuses it): %s" % wx[0])
    bad = 1
else:
    print("no writable and executable memory")
if outside:
    print("files opened for writing outside %s: %s"
          % (" ".join(writable), " ".join(sorted(set(outside)))))
    bad = 1
elif len(sys.argv) > 3:
    print("files written only in %s" % " ".join(writable))
sys.exit(bad)
