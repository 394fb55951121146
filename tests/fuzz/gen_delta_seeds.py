#!/usr/bin/env python3
"""gen_delta_seeds.py VIGIL OUTDIR - the seed corpus of fuzz_delta_apply:
small patches made by `vigil delta make` from the fuzz target's old image
(the same formula), with both body methods and every layout of the
differences (the body seeds' mode: 1 zstd, 2 LZMA2 under a version 1
header; 3 and 4 under version 2, the tokens), and damaged copies."""
import hashlib, os, subprocess, sys, tempfile

vigil, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
old = bytes(((((i // 7) * 2654435761) & 0xffffffff) >> 24 ^ (i % 13)) & 0xff for i in range(16384))
news = {
    "same": old,
    "edits": old[:100] + b"\x01\x02\x03" + old[103:5000] + b"new bytes" + old[5000:12000] + bytes(range(64)),
    "empty": b"",
    "shift": old[3000:] + old[:3000],
    "fresh": bytes((i * 31 + 7) & 0xff for i in range(3000)),
}
with tempfile.TemporaryDirectory() as d:
    op = os.path.join(d, "old")
    open(op, "wb").write(old)
    runs = [(kv, m, l) for kv in news.items() for m in ("zstd", "lzma") for l in ("auto", "tokens")]
    for (name, new), method, layout in runs:
        np_, pp = os.path.join(d, "new"), os.path.join(d, "patch")
        open(np_, "wb").write(new)
        subprocess.run([vigil, "delta", "make", op, np_, "-o", pp, "--method", method, "--layout", layout], check=True, stdout=subprocess.DEVNULL)
        if method == "lzma":
            name += "-lzma"
        if layout == "tokens":
            name += "-tokens"
        p = open(pp, "rb").read()
        mode = bytes([(1 if method == "zstd" else 2) + (2 if p[8] == 2 else 0)])
        assert hashlib.sha256(old).digest() == p[32:64]
        open(os.path.join(out, name + ".raw"), "wb").write(b"\0" + p)
        open(os.path.join(out, name + ".body"), "wb").write(mode + p[24:32] + p[64:96] + p[128:])
        if len(p) > 100:
            open(os.path.join(out, name + ".cut"), "wb").write(b"\0" + p[: len(p) // 2 + 48])
            flip = bytearray(p)
            flip[-3] ^= 0x40
            open(os.path.join(out, name + ".flip"), "wb").write(mode + bytes(flip[24:32] + flip[64:96]) + bytes(flip[128:]))
open(os.path.join(out, "magic-only"), "wb").write(b"\0VGDELTA\0")
