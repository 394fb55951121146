#!/usr/bin/env python3
"""The route x role matrix of t0004, in one process.

usage: route_matrix.py BASE ROUTES_JSON TOKEN_DIR

Every route of `vigil routes --json` is asked with no credentials, with a
token of every role (TOKEN_DIR/tok.ROLE) and, for ci routes naming a
product, with a ci token scoped to other products (TOKEN_DIR/tok.scoped).
Prints one "ok - ..." or "FAIL - ..." line a check, as lib.sh does; the
shell adds them up (lib.sh: tally). Requests go over one keep-alive
connection (a new one when the server closes it), so that the matrix of a
few hundred routes takes seconds, not minutes of curl processes.
"""
import json
import re
import sys

from testlib import Checks, Client

ROLES = ["admin", "psirt", "auditor", "ci", "device"]


def ask(c, method, path, headers):
    """A write route gets an empty JSON object as its body."""
    if method in ("POST", "PUT", "PATCH"):
        return c.request(method, path, b"{}", dict(headers, **{"Content-Type": "application/json"}))
    return c.request(method, path, None, headers)


def main():
    base, routes_file, tokdir = sys.argv[1:4]
    with open(routes_file) as f:
        routes = json.load(f)
    tokens = {}
    for r in ROLES + ["scoped"]:
        with open("%s/tok.%s" % (tokdir, r)) as f:
            tokens[r] = f.read().strip()
    c = Client(base)
    check = Checks()

    for rt in routes:
        m, p = rt["method"], rt["path"]
        pub, ui, roles = rt["public"], rt["ui"], rt["roles"]
        # placeholders for path parameters; a trailing * matches anything
        path = re.sub(r"\{[^}]*\}", "matrix-x", p)
        path = re.sub(r"\*$", "matrix-x", path)
        if path.startswith("/static/"):
            path = "/static/app.css"
        # routes whose query parameters are required
        if path == "/api/v1/audit/proof/inclusion":
            path += "?seq=1"
        elif path == "/api/v1/audit/proof/consistency":
            path += "?old=1&new=1"
        code, _ = ask(c, m, path, {})
        if pub:
            check(code != 401, "%s %s anonymous: public (%d)" % (m, p, code))
        elif ui and m == "GET":
            check(code == 303, "%s %s anonymous: redirect to login (%d)" % (m, p, code))
        else:
            check(code == 401, "%s %s anonymous: 401 (%d)" % (m, p, code))
        for r in ROLES:
            code, _ = ask(c, m, path, {"Authorization": "Bearer " + tokens[r]})
            if pub or r in roles:
                check(code not in (401, 403) and code < 500,
                      "%s %s as %s: allowed (%d)" % (m, p, r, code))
                if m == "GET" and "{" not in p and not p.endswith("*"):
                    check(200 <= code < 400, "%s %s as %s: success (%d)" % (m, p, r, code))
            else:
                check(code == 403, "%s %s as %s: 403 (%d)" % (m, p, r, code))
        # a ci route naming a product: outside the token's scope is 403
        if "{p}" in p and "ci" in roles:
            code, body = ask(c, m, path, {"Authorization": "Bearer " + tokens["scoped"]})
            check(code == 403, "%s %s as ci outside its scope: 403 (%d)" % (m, p, code))
            try:
                msg = json.loads(body)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                msg = ""
            check("'matrix-x'" in msg, "%s %s: the 403 names the product" % (m, p))
    print("# %d routes asked" % len(routes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
