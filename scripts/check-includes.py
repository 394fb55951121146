#!/usr/bin/env python3
"""check-includes.py - the walls between rooms.

Reads the table of rooms in docs/architecture.md (columns: floor, room, ...,
may include) and checks every `#include "room/file.h"` under src/:
  - the included room is listed in the including room's "may include";
  - every allowed edge goes to a lower floor or to the same floor;
  - the edges that occur form no cycle (neither do the allowed ones);
  - every directory under src/ is a room of the table.
src/main.c counts as the top room (app). Exit 0 when the walls hold, 1
with one line per violation otherwise.
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, ".."))
if len(sys.argv) > 1:
    root = os.path.abspath(sys.argv[1])
doc = os.path.join(root, "docs", "architecture.md")
src = os.path.join(root, "src")

errors = []


def fail(msg):
    errors.append(msg)


def read_table():
    """The rooms table: {room: (floor, set(allowed))}."""
    rooms = {}
    header = None
    with open(doc, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("|"):
                header = None  # a table ends at the first line that is not a row
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            low = [c.lower() for c in cells]
            if "room" in low and "may include" in low:
                header = low
                continue
            if header is None or set(line) <= set("|-: "):
                continue
            row = dict(zip(header, cells))
            name = row["room"].strip("`/ ")
            try:
                floor = int(row["floor"])
            except ValueError:
                fail(f"{doc}: room {name}: floor '{row['floor']}' is not a number")
                continue
            allowed = set()
            for a in re.split(r"[,\s]+", row["may include"]):
                a = a.strip("`/ ")
                if a and a not in ("-", "—", "nothing", "none"):
                    allowed.add(a)
            rooms[name] = (floor, allowed)
    if not rooms:
        fail(f"{doc}: no table with the columns 'room', 'floor' and 'may include'")
    return rooms


def find_cycle(graph):
    """One cycle of graph {node: set(nodes)} as a list, or None."""
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


rooms = read_table()
for name, (floor, allowed) in sorted(rooms.items()):
    for a in sorted(allowed):
        if a not in rooms:
            fail(f"{doc}: room {name} may include '{a}', which is not a room of the table")
        elif rooms[a][0] > floor:
            fail(f"{doc}: room {name} (floor {floor}) may include {a}, on a higher floor "
                 f"({rooms[a][0]})")
c = find_cycle({n: a for n, (f, a) in rooms.items()})
if c:
    fail(f"{doc}: the allowed edges form a cycle: {' -> '.join(c)}")

inc_re = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+)/[^"]+"')
used = {}
for d in sorted(os.listdir(src)):
    p = os.path.join(src, d)
    if os.path.isdir(p) and d not in rooms:
        fail(f"src/{d}/: not a room of the table in docs/architecture.md")
files = []
for dirpath, dirnames, filenames in os.walk(src):
    for fn in filenames:
        if fn.endswith((".c", ".h")):
            files.append(os.path.join(dirpath, fn))
for path in sorted(files):
    rel = os.path.relpath(path, src)
    parts = rel.split(os.sep)
    room = parts[0] if len(parts) > 1 else "app"
    if room not in rooms:
        continue
    with open(path, encoding="utf-8", errors="replace") as f:
        for ln, line in enumerate(f, 1):
            m = inc_re.match(line)
            if not m:
                continue
            target = m.group(1)
            if target == room:
                continue
            if target not in rooms:
                fail(f"src/{rel}:{ln}: includes \"{target}/...\": not a room")
                continue
            used.setdefault(room, set()).add(target)
            if target not in rooms[room][1]:
                fail(f"src/{rel}:{ln}: room {room} may not include {target} "
                     f"(docs/architecture.md allows: {', '.join(sorted(rooms[room][1])) or 'nothing'})")
c = find_cycle(used)
if c:
    fail(f"src/: the includes form a cycle: {' -> '.join(c)}")

# Every .c file includes core/banned.h after its other includes, and no
# banned function is called (a file without the include is caught here).
# The banned names are those core/banned.h defines (a tree without it: git's list).
banned_h = os.path.join(src, "core", "banned.h")
banned_names = []
if os.path.exists(banned_h):
    with open(banned_h, encoding="utf-8") as f:
        banned_names = [b for b in re.findall(r"^#define (\w+)\(", f.read(), flags=re.M)
                        if b != "VG_BANNED"]
banned_names = banned_names or [
    "strcpy", "strcat", "strncpy", "strncat", "sprintf", "vsprintf", "gets", "atoi", "atol", "atoll"]
banned_re = re.compile(r"\b(" + "|".join(banned_names) + r")\s*\(")
for path in sorted(files):
    rel = os.path.relpath(path, src)
    if not path.endswith(".c"):
        continue
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    incs = [i for i, l in enumerate(lines) if inc_re.match(l) or re.match(r"\s*#\s*include\s*<", l)]
    last = [i for i in incs if '"core/banned.h"' in lines[i]]
    if not last:
        fail(f"src/{rel}: does not include \"core/banned.h\" (after its other includes)")
    elif last[-1] != incs[-1]:
        fail(f"src/{rel}:{last[-1] + 1}: \"core/banned.h\" must be the last include")
    in_comment = False
    for ln, l in enumerate(lines, 1):
        code = re.sub(r'"(\\.|[^"\\])*"', '""', l)
        code = re.sub(r"/\*.*?\*/", "", code)
        if in_comment:
            if "*/" in code:
                in_comment = False
                code = code.split("*/", 1)[1]
            else:
                continue
        if "/*" in code:
            in_comment = True
            code = code.split("/*", 1)[0]
        code = code.split("//", 1)[0]
        m = banned_re.search(code)
        if m:
            fail(f"src/{rel}:{ln}: calls {m.group(1)}(), banned (core/banned.h says what to use)")

for e in errors:
    print(e)
if errors:
    print(f"check-includes: {len(errors)} violation(s)")
    sys.exit(1)
print(f"check-includes: {len(files)} files in {len(rooms)} rooms, "
      f"{sum(len(v) for v in used.values())} room edges, no cycle")
