#!/usr/bin/env python3
"""Write /etc/vigil/vigil.ini of the Debian package from `vigil config keys
--json` (stdin): every key vigil reads, commented out with its default and
meaning, by section; the keys the package sets (SET) written uncommented."""
import json
import sys
import textwrap

SET = {"database.url": "/var/lib/vigil/vigil.db"}

keys = json.load(sys.stdin)
out = [
    "# /etc/vigil/vigil.ini - the settings of the vigil service.",
    "#",
    "# A conffile: your changes are kept on upgrades. Every key vigil reads is",
    "# below, commented out with its default; remove the '#' to set one. The",
    "# reference is /usr/share/doc/vigil/configuration.md. Check the file with",
    "# `vigil config check /etc/vigil/vigil.ini`, then `systemctl restart vigil`",
    "# (TLS certificates alone: `systemctl reload vigil`). An environment variable",
    "# (VIGIL_..., set with `systemctl edit vigil`) wins over this file.",
    "# Unknown keys stop vigil with the line named.",
]
section = None
for k in keys:
    sec, name = k["key"].split(".", 1)
    if sec != section:
        section = sec
        out += ["[%s]" % sec] if out[-1] == "" else ["", "[%s]" % sec]
    default = k["default"]
    meaning = "%s (default: %s; environment %s)" % (k["meaning"], default, k["env"])
    out += textwrap.wrap(meaning, 76, initial_indent="# ", subsequent_indent="#   ")
    if k["key"] in SET:
        out.append("%s = %s" % (name, SET[k["key"]]))
    elif default.startswith("(") or default == "":
        out.append("#%s =" % name)
    else:
        out.append("#%s = %s" % (name, default))
    out.append("")
print("\n".join(out).rstrip("\n"))
