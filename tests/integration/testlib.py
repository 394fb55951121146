"""Helpers for the python drivers of integration tests: ok / FAIL lines in
the format of lib.sh (which adds them up with `tally`), and an HTTP client
that keeps its connection alive (hundreds of requests without a process or
a TCP handshake each)."""
import http.client
import urllib.parse


class Checks:
    def __init__(self):
        self.npass = self.nfail = 0

    def __call__(self, ok, desc):
        if ok:
            self.npass += 1
            print("ok - " + desc)
        else:
            self.nfail += 1
            print("FAIL - " + desc)


class Client:
    """request() over one kept-alive connection to BASE; a new one when the
    server closes it (or it broke: the request is sent once more)."""

    def __init__(self, base, timeout=30):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = u.hostname, u.port, timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """(status, body bytes)."""
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                if (r.getheader("Connection") or "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, data
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")
