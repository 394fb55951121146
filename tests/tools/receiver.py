#!/usr/bin/env python3
"""A local HTTP receiver for notification tests: records every request
(method, path, headers, body) as one JSON line in a file; answers with the
status given by --status (or a file STATUSFILE if it exists: its content).
Prints the bound port to --port-file. Listens on 127.0.0.1 only."""
import argparse, json, os, http.server, threading

ap = argparse.ArgumentParser()
ap.add_argument("--log", required=True)
ap.add_argument("--port-file", required=True)
ap.add_argument("--status", type=int, default=200)
ap.add_argument("--status-file")
args = ap.parse_args()
lock = threading.Lock()

class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        with lock, open(args.log, "a") as f:
            f.write(json.dumps({"method": "POST", "path": self.path,
                                "headers": {k.lower(): v for k, v in self.headers.items()},
                                "body": body}) + "\n")
        status = args.status
        if args.status_file and os.path.exists(args.status_file):
            status = int(open(args.status_file).read().strip() or "200")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status":"ok"}')
    def log_message(self, *a):
        pass

srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(args.port_file + ".tmp", args.port_file)
srv.serve_forever()
