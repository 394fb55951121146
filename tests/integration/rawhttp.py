#!/usr/bin/env python3
"""rawhttp.py - raw-socket HTTP probes for the integration tests (what curl
will not send: conflicting framing headers, headers without their body,
trickled headers and bodies, idle connections).

Usage: rawhttp.py MODE PORT [ARGS]; prints one result line.
  send PORT FILE           send FILE's bytes (\\n becomes \\r\\n in the header
                           part), print "STATUS" or "closed"/"timeout", then
                           the response (headers and body)
  trickle-headers PORT     send a request line, then one header line a second
                           (at most 30): "closed after N lines" or "not closed"
  trickle-body PORT PATH   headers of a 1000-byte POST, then one byte a second:
                           "closed after N bytes" or "not closed"
  conns PORT N             open N idle connections, then one more: prints
                           "extra:refused|open first:STATUS"
  flood PORT PATH LEN N [HDR]  N clients each POST Content-Length LEN to PATH
                           and stream zeros until answered or done; prints the
                           statuses, sorted ("413 413 ..."; "reset" when the
                           connection was reset before an answer was read)
"""
import select
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def connect(port):
    s = socket.create_connection((HOST, port), timeout=10)
    return s


def read_response(s, wait=5.0):
    s.settimeout(wait)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head, _, body = data.partition(b"\r\n\r\n")
                clen = None
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        clen = int(v.strip())
                if clen is not None and len(body) >= clen:
                    break
    except socket.timeout:
        if not data:
            return "timeout", b""
    except (ConnectionResetError, BrokenPipeError):
        if not data:
            return "reset", b""
    if not data:
        return "closed", b""
    status = data.split(b"\r\n", 1)[0].split(b" ")
    return (status[1].decode() if len(status) > 1 else "bad"), data


def mode_send(port, path):
    raw = open(path, "rb").read()
    head, sep, body = raw.partition(b"\n\n")
    raw = head.replace(b"\n", b"\r\n") + b"\r\n\r\n" + body if sep else raw.replace(b"\n", b"\r\n")
    s = connect(port)
    try:
        s.sendall(raw)
    except (ConnectionResetError, BrokenPipeError):
        pass
    status, data = read_response(s)
    s.close()
    sys.stdout.write(status + "\n" + data.decode("utf-8", "replace") + "\n")


def closed(s, wait):
    r, _, _ = select.select([s], [], [], wait)
    if not r:
        return False
    try:
        return s.recv(4096) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


def mode_trickle_headers(port):
    s = connect(port)
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
    for i in range(30):
        if closed(s, 1.0):
            print("closed after %d lines" % i)
            return
        try:
            s.sendall(b"X-Slow-%d: y\r\n" % i)
        except (ConnectionResetError, BrokenPipeError):
            print("closed after %d lines" % i)
            return
    print("not closed")


def mode_trickle_body(port, path):
    s = connect(port)
    s.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
    for i in range(30):
        if closed(s, 1.0):
            print("closed after %d bytes" % i)
            return
        try:
            s.sendall(b" ")
        except (ConnectionResetError, BrokenPipeError):
            print("closed after %d bytes" % i)
            return
    print("not closed")


def mode_conns(port, n):
    held = [connect(port) for _ in range(n)]
    time.sleep(0.5)  # let the server take them before the extra one
    extra = connect(port)
    res = "refused" if closed(extra, 3.0) else "open"
    held[0].sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, _ = read_response(held[0])
    print("extra:%s first:%s" % (res, status))
    for s in held:
        s.close()
    extra.close()


def mode_flood(port, path, length, n, hdr):
    results = []
    lock = threading.Lock()

    def one():
        st = "error"
        try:
            s = connect(port)
            s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: %d\r\n%s\r\n" % (path, length, hdr)).encode())
            chunk = b"\0" * 65536
            sent = 0
            try:
                while sent < length:
                    r, _, _ = select.select([s], [], [], 0)
                    if r:
                        break  # the server answered (or closed) first
                    k = min(len(chunk), length - sent)
                    s.sendall(chunk[:k])
                    sent += k
            except (ConnectionResetError, BrokenPipeError):
                pass
            st, _ = read_response(s, 60.0)
            s.close()
        except OSError as e:
            st = "error:%s" % e
        with lock:
            results.append(st)

    ts = [threading.Thread(target=one) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(" ".join(sorted(results)))


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "send":
        mode_send(port, sys.argv[3])
    elif mode == "trickle-headers":
        mode_trickle_headers(port)
    elif mode == "trickle-body":
        mode_trickle_body(port, sys.argv[3])
    elif mode == "conns":
        mode_conns(port, int(sys.argv[3]))
    elif mode == "flood":
        mode_flood(port, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
                   sys.argv[6] + "\r\n" if len(sys.argv) > 6 and sys.argv[6] else "")
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
