// tlogcheck: checks vigil's signed checkpoints, inclusion and consistency
// proofs and bundle manifest signatures with an implementation that is not
// vigil's: golang.org/x/mod/sumdb/note and sumdb/tlog (Debian
// golang-golang-x-mod-dev). Built offline by tests/integration/t0020-tlog-go.sh
// (GO111MODULE=off, GOPATH=...:/usr/share/gocode).
//
//	tlogcheck checkpoint VKEY NOTE           prints "origin size roothex"
//	tlogcheck inclusion VKEY NOTE PROOF.json  (vigil audit prove inclusion --json)
//	tlogcheck consistency VKEY OLD NEW PROOF.json
//	tlogcheck manifest VKEY MANIFEST.json MANIFEST.json.sig
//
// Exit 0: verified; 1: refused (the reason on stderr); 2: usage.
package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(f string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: "+f+"\n", a...)
	os.Exit(1)
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func open(vkey, path string) checkpoint {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		fail("vkey: %v", err)
	}
	msg, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fail("%s: %v", path, err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("%s: not a checkpoint", path)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		fail("%s: bad size", path)
	}
	r, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(r) != tlog.HashSize {
		fail("%s: bad root", path)
	}
	var c checkpoint
	c.origin, c.size = lines[0], size
	copy(c.root[:], r)
	return c
}

func hashOf(s string) tlog.Hash {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		fail("bad hash %q", s)
	}
	copy(h[:], b)
	return h
}

type proofJSON struct {
	Seq      int64    `json:"seq"`
	TreeSize int64    `json:"tree_size"`
	LeafHash string   `json:"leaf_hash"`
	Record   *string  `json:"record"`
	OldSize  int64    `json:"old_size"`
	NewSize  int64    `json:"new_size"`
	Proof    []string `json:"proof"`
}

func readProof(path string) proofJSON {
	var p proofJSON
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		fail("%s: %v", path, err)
	}
	return p
}

func hashes(ps []string) []tlog.Hash {
	var out []tlog.Hash
	for _, s := range ps {
		out = append(out, hashOf(s))
	}
	return out
}

func main() {
	a := os.Args[1:]
	if len(a) < 3 {
		fmt.Fprintln(os.Stderr, "usage: tlogcheck checkpoint|inclusion|consistency|manifest VKEY ...")
		os.Exit(2)
	}
	switch {
	case a[0] == "checkpoint" && len(a) == 3:
		c := open(a[1], a[2])
		fmt.Printf("%s %d %s\n", c.origin, c.size, hex.EncodeToString(c.root[:]))
	case a[0] == "inclusion" && len(a) == 4:
		c := open(a[1], a[2])
		p := readProof(a[3])
		if p.TreeSize != c.size {
			fail("proof for size %d, checkpoint of size %d", p.TreeSize, c.size)
		}
		leaf := hashOf(p.LeafHash)
		if p.Record != nil && tlog.RecordHash([]byte(*p.Record)) != leaf {
			fail("the record does not hash to the leaf hash")
		}
		if err := tlog.CheckRecord(hashes(p.Proof), c.size, c.root, p.Seq-1, leaf); err != nil {
			fail("inclusion of record %d: %v", p.Seq, err)
		}
		fmt.Printf("record %d is in the tree of %d records\n", p.Seq, c.size)
	case a[0] == "consistency" && len(a) == 5:
		o := open(a[1], a[2])
		n := open(a[1], a[3])
		p := readProof(a[4])
		if p.OldSize != o.size || p.NewSize != n.size {
			fail("proof for %d -> %d, checkpoints %d -> %d", p.OldSize, p.NewSize, o.size, n.size)
		}
		if err := tlog.CheckTree(hashes(p.Proof), n.size, n.root, o.size, o.root); err != nil {
			fail("consistency %d -> %d: %v", o.size, n.size, err)
		}
		fmt.Printf("the tree of %d records is a prefix of the tree of %d\n", o.size, n.size)
	case a[0] == "manifest" && len(a) == 4:
		v, err := note.NewVerifier(a[1])
		if err != nil {
			fail("vkey: %v", err)
		}
		man, err := os.ReadFile(a[2])
		if err != nil {
			fail("%v", err)
		}
		sig, err := os.ReadFile(a[3])
		if err != nil {
			fail("%v", err)
		}
		n, err := note.Open(sig, note.VerifierList(v))
		if err != nil {
			fail("%s: %v", a[3], err)
		}
		sum := sha256.Sum256(man)
		if n.Text != "vigil-bundle-manifest/1\nsha256 "+hex.EncodeToString(sum[:])+"\n" {
			fail("the signature is not over this manifest")
		}
		fmt.Println("manifest signature verified")
	default:
		fmt.Fprintln(os.Stderr, "usage: tlogcheck checkpoint|inclusion|consistency|manifest VKEY ...")
		os.Exit(2)
	}
}
