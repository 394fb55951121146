#!/usr/bin/env python3
"""A local SMTP sink for notification tests: accepts every message on
127.0.0.1 and appends it (envelope and data) as one JSON line to a file.
Prints the bound port to --port-file."""
import argparse, asyncore, json, os, socket, warnings
warnings.filterwarnings("ignore", category=DeprecationWarning)
import smtpd

ap = argparse.ArgumentParser()
ap.add_argument("--log", required=True)
ap.add_argument("--port-file", required=True)
args = ap.parse_args()

class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        if isinstance(data, bytes):
            data = data.decode("utf-8", "replace")
        with open(args.log, "a") as f:
            f.write(json.dumps({"from": mailfrom, "to": rcpttos, "data": data}) + "\n")

s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
srv = Sink(("127.0.0.1", port), None, decode_data=False)
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(port))
os.rename(args.port_file + ".tmp", args.port_file)
asyncore.loop()
