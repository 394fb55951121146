/*
 * test_tlog.c - the Merkle tree, signed notes and checkpoints of the audit
 * room against the vectors of ../shared/data/tlog (transparency-dev/merkle,
 * C2SP, golang.org/x/mod; see its SOURCES.md).
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/merkle.h"
#include "audit/note.h"
#include "core/error.h"
#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The vector file, with every "leafIdx": N turned into a string (values up to
 * 2^64-1 do not fit jansson's integers). */
static json_t *load(const char *name)
{
	char path[1024], *buf, *out, *p, *o;
	const char *dir = getenv("VIGIL_SHARED_DATA");
	json_error_t je;
	json_t *j;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tlog/%s", dir ? dir : "../shared/data", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	out = calloc(1, (size_t)n * 2 + 1);
	assert_non_null(buf);
	assert_non_null(out);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	for (p = buf, o = out; *p;) {
		if (strncmp(p, "\"leafIdx\": ", 11) == 0) {
			memcpy(o, p, 11);
			o += 11;
			p += 11;
			*o++ = '"';
			while (*p >= '0' && *p <= '9')
				*o++ = *p++;
			*o++ = '"';
		} else {
			*o++ = *p++;
		}
	}
	j = json_loads(out, 0, &je);
	free(buf);
	free(out);
	if (!j)
		fail_msg("%s: %s", path, je.text);
	return j;
}

static uint64_t u64_of(const json_t *v)
{
	return json_is_string(v) ? strtoull(json_string_value(v), NULL, 10)
				 : (uint64_t)json_integer_value(v);
}

/* hex into out (cap bytes); returns the length, or (size_t)-1 when too long / not hex. */
static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = strlen(h), i;
	if (n % 2 || n / 2 > cap)
		return (size_t)-1;
	for (i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return (size_t)-1;
		out[i] = (uint8_t)v;
	}
	return n / 2;
}

static void unhex32(const char *h, uint8_t out[32])
{
	assert_int_equal(unhex(h, out, 32), 32);
}

/* proof_hex array into proof; 0 when an element is not 32 bytes */
static int proof_of(const json_t *a, uint8_t proof[][MERKLE_HASH], size_t *n)
{
	size_t i;
	json_t *v;
	*n = 0;
	if (json_array_size(a) > MERKLE_MAX_PROOF)
		return 0;
	json_array_foreach(a, i, v)
	{
		if (unhex(json_string_value(v), proof[i], 32) != 32)
			return 0;
		(*n)++;
	}
	return 1;
}

static void test_hasher(void **state)
{
	json_t *d = load("rfc6962_hasher.json"), *v;
	size_t i;
	(void)state;
	json_array_foreach(json_object_get(d, "vectors"), i, v)
	{
		const char *op = json_string_value(json_object_get(v, "op"));
		uint8_t want[32], got[32], a[256], b[256];
		size_t al, bl;
		unhex32(json_string_value(json_object_get(v, "want_hex")), want);
		if (strcmp(op, "empty_root") == 0) {
			merkle_empty_root(got);
		} else if (strcmp(op, "hash_leaf") == 0) {
			al =
			    unhex(json_string_value(json_object_get(v, "input_hex")), a, sizeof(a));
			merkle_leaf_hash(a, al, got);
		} else {
			al = unhex(json_string_value(json_object_get(v, "left_hex")), a, sizeof(a));
			bl =
			    unhex(json_string_value(json_object_get(v, "right_hex")), b, sizeof(b));
			merkle_node_hash(a, al, b, bl, got);
		}
		assert_memory_equal(got, want, 32);
	}
	json_decref(d);
}

/* the tree of the 8 leaves, all complete subtrees in memory */
struct mem_tree {
	uint8_t h[4][8][32];
};

static int mem_get(void *ctx, int level, uint64_t idx, uint8_t out[MERKLE_HASH],
		   struct vg_error *err)
{
	struct mem_tree *t = ctx;
	if (level > 3 || idx >= (8u >> level))
		return vg_error_set(err, VG_ENOTFOUND, "no node");
	memcpy(out, t->h[level][idx], 32);
	return VG_OK;
}

static void tree8(struct mem_tree *t, json_t *d)
{
	json_t *v;
	size_t i;
	int lv;
	json_array_foreach(json_object_get(d, "leaf_inputs_hex"), i, v)
	{
		uint8_t b[64];
		size_t n = unhex(json_string_value(v), b, sizeof(b));
		merkle_leaf_hash(b, n, t->h[0][i]);
	}
	for (lv = 1; lv < 4; lv++)
		for (i = 0; i < (8u >> lv); i++)
			merkle_node_hash(t->h[lv - 1][2 * i], 32, t->h[lv - 1][2 * i + 1], 32,
					 t->h[lv][i]);
}

static void test_tree8(void **state)
{
	json_t *d = load("rfc6962_tree8.json"), *v;
	struct mem_tree t;
	struct vg_error err = {0};
	uint8_t want[32], got[32], proof[MERKLE_MAX_PROOF][32], vp[MERKLE_MAX_PROOF][32];
	size_t i, n, vn;
	(void)state;

	tree8(&t, d);
	json_array_foreach(json_object_get(d, "root_by_tree_size_hex"), i, v)
	{
		struct merkle_stream ms;
		size_t k;
		unhex32(json_string_value(v), want);
		assert_int_equal(merkle_root(mem_get, &t, i, got, &err), VG_OK);
		assert_memory_equal(got, want, 32);
		merkle_stream_init(&ms);
		for (k = 0; k < i; k++)
			merkle_stream_push(&ms, t.h[0][k]);
		merkle_stream_root(&ms, got);
		assert_memory_equal(got, want, 32);
	}
	json_array_foreach(json_object_get(d, "inclusion_proofs"), i, v)
	{
		uint64_t idx = u64_of(json_object_get(v, "leafIdx"));
		uint64_t size = (uint64_t)json_integer_value(json_object_get(v, "treeSize"));
		uint8_t leaf[32], root[32];
		assert_true(proof_of(json_object_get(v, "proof_hex"), vp, &vn));
		unhex32(json_string_value(json_object_get(v, "leafHash_hex")), leaf);
		unhex32(json_string_value(json_object_get(v, "root_hex")), root);
		assert_int_equal(merkle_prove_inclusion(mem_get, &t, idx, size, proof, &n, &err),
				 VG_OK);
		assert_int_equal(n, vn);
		if (n)
			assert_memory_equal(proof, vp, n * 32);
		assert_true(merkle_verify_inclusion(idx, size, leaf, 32, vp, vn, root, 32));
	}
	json_array_foreach(json_object_get(d, "consistency_proofs"), i, v)
	{
		uint64_t s1 = (uint64_t)json_integer_value(json_object_get(v, "size1"));
		uint64_t s2 = (uint64_t)json_integer_value(json_object_get(v, "size2"));
		uint8_t r1[32], r2[32];
		assert_true(proof_of(json_object_get(v, "proof_hex"), vp, &vn));
		unhex32(json_string_value(json_object_get(v, "root1_hex")), r1);
		unhex32(json_string_value(json_object_get(v, "root2_hex")), r2);
		assert_int_equal(merkle_prove_consistency(mem_get, &t, s1, s2, proof, &n, &err),
				 VG_OK);
		assert_int_equal(n, vn);
		if (n)
			assert_memory_equal(proof, vp, n * 32);
		assert_true(merkle_verify_consistency(s1, s2, vp, vn, r1, 32, r2, 32));
	}
	/* every pair of sizes: our proofs verify, and a flipped bit does not */
	{
		uint64_t a, b;
		uint8_t roots[9][32];
		for (a = 0; a <= 8; a++)
			assert_int_equal(merkle_root(mem_get, &t, a, roots[a], &err), VG_OK);
		for (b = 1; b <= 8; b++)
			for (a = 0; a < b; a++) {
				assert_int_equal(
				    merkle_prove_inclusion(mem_get, &t, a, b, proof, &n, &err),
				    VG_OK);
				assert_true(merkle_verify_inclusion(a, b, t.h[0][a], 32, proof, n,
								    roots[b], 32));
				assert_false(merkle_verify_inclusion(a, b, t.h[0][(a + 1) % 8], 32,
								     proof, n, roots[b], 32));
				if (a == 0)
					continue;
				assert_int_equal(
				    merkle_prove_consistency(mem_get, &t, a, b, proof, &n, &err),
				    VG_OK);
				assert_true(merkle_verify_consistency(a, b, proof, n, roots[a], 32,
								      roots[b], 32));
				if (n) {
					proof[n - 1][0] ^= 1;
					assert_false(merkle_verify_consistency(
					    a, b, proof, n, roots[a], 32, roots[b], 32));
				}
			}
	}
	json_decref(d);
}

static void test_probes(void **state)
{
	json_t *d = load("merkle_inclusion_probes.json"), *v;
	uint8_t proof[MERKLE_MAX_PROOF][32];
	size_t i, n, count = 0;
	(void)state;

	json_array_foreach(json_object_get(d, "probes"), i, v)
	{
		uint8_t leaf[64], root[64];
		size_t ll = unhex(json_string_value(json_object_get(v, "leafHash_hex")), leaf, 64);
		size_t rl = unhex(json_string_value(json_object_get(v, "root_hex")), root, 64);
		uint64_t idx, size;
		int want = !json_is_true(json_object_get(v, "wantErr")), got = 0;
		idx = u64_of(json_object_get(v, "leafIdx"));
		size = u64_of(json_object_get(v, "treeSize"));
		if (proof_of(json_object_get(v, "proof_hex"), proof, &n) && ll != (size_t)-1 &&
		    rl != (size_t)-1)
			got = merkle_verify_inclusion(idx, size, leaf, ll, proof, n, root, rl);
		if (got != want)
			fail_msg("inclusion probe %s: got %d, want %d",
				 json_string_value(json_object_get(v, "file")), got, want);
		count++;
	}
	assert_int_equal(count, 98);
	json_decref(d);

	d = load("merkle_consistency_probes.json");
	count = 0;
	json_array_foreach(json_object_get(d, "probes"), i, v)
	{
		uint8_t r1[64], r2[64];
		size_t l1 = unhex(json_string_value(json_object_get(v, "root1_hex")), r1, 64);
		size_t l2 = unhex(json_string_value(json_object_get(v, "root2_hex")), r2, 64);
		uint64_t s1 = (uint64_t)json_integer_value(json_object_get(v, "size1"));
		uint64_t s2 = (uint64_t)json_integer_value(json_object_get(v, "size2"));
		int want = !json_is_true(json_object_get(v, "wantErr")), got = 0;
		if (proof_of(json_object_get(v, "proof_hex"), proof, &n) && l1 != (size_t)-1 &&
		    l2 != (size_t)-1)
			got = merkle_verify_consistency(s1, s2, proof, n, r1, l1, r2, l2);
		if (got != want)
			fail_msg("consistency probe %s: got %d, want %d",
				 json_string_value(json_object_get(v, "file")), got, want);
		count++;
	}
	assert_int_equal(count, 98);
	json_decref(d);
}

static void vkeys_of(const json_t *a, struct note_verifier *v, size_t *n)
{
	struct vg_error err = {0};
	json_t *k;
	size_t i;
	*n = 0;
	json_array_foreach(a, i, k)
	{
		assert_int_equal(note_vkey_parse(json_string_value(k), &v[i], &err), VG_OK);
		(*n)++;
	}
}

static void test_notes(void **state)
{
	json_t *d = load("signed_note.json"), *v;
	struct note_verifier vk[8];
	struct vg_error err = {0};
	size_t i, nv;
	(void)state;

	json_array_foreach(json_object_get(d, "keys"), i, v)
	{
		struct note_verifier x;
		uint8_t pub[32];
		char hex[9], *back;
		assert_int_equal(note_vkey_parse(vg_json_str(v, "vkey"), &x, &err), VG_OK);
		assert_string_equal(x.name, vg_json_str(v, "name"));
		snprintf(hex, sizeof(hex), "%08x", x.id);
		assert_string_equal(hex, vg_json_str(v, "key_id_hex"));
		unhex32(vg_json_str(v, "ed25519_public_hex"), pub);
		assert_memory_equal(x.pub, pub, 32);
		back = note_vkey(x.name, x.pub);
		assert_string_equal(back, vg_json_str(v, "vkey"));
		free(back);
		if (vg_json_str(v, "skey")) {
			struct note_signer s;
			assert_int_equal(note_signer_from_skey(vg_json_str(v, "skey"), &s, &err),
					 VG_OK);
			assert_memory_equal(s.pub, pub, 32);
			assert_int_equal(s.id, x.id);
			note_signer_release(&s);
		}
	}
	json_array_foreach(json_object_get(d, "bad_vkeys"), i, v)
	{
		struct note_verifier x;
		assert_int_equal(note_vkey_parse(vg_json_str(v, "vkey"), &x, &err), VG_EPARSE);
	}
	json_array_foreach(json_object_get(d, "notes"), i, v)
	{
		const char *want = vg_json_str(v, "want"), *txt = vg_json_str(v, "note");
		static uint8_t raw[65536];
		size_t n;
		struct note nt;
		int rc, expect;

		if (txt) {
			n = strlen(txt);
			memcpy(raw, txt, n);
		} else {
			n = unhex(vg_json_str(v, "note_bytes_hex"), raw, sizeof(raw));
		}
		vkeys_of(json_object_get(v, "vkeys"), vk, &nv);
		expect = strcmp(want, "verified") == 0                  ? VG_OK
			 : strcmp(want, "error:malformed") == 0         ? VG_EPARSE
			 : strcmp(want, "error:invalid_signature") == 0 ? VG_EINVAL
									: VG_EPERM;
		rc = note_open(raw, n, vk, nv, &nt, &err);
		if (rc != expect)
			fail_msg("note \"%s\": got %d (%s), want %s", vg_json_str(v, "desc"), rc,
				 vg_error_msg(&err), want);
		if (rc == VG_OK) {
			json_t *names = json_object_get(v, "verified_sigs"), *nm;
			size_t k, j, verified = 0;
			if (vg_json_str(v, "text"))
				assert_string_equal(nt.text, vg_json_str(v, "text"));
			for (j = 0; j < nt.nsigs; j++)
				verified += (size_t)nt.sigs[j].verified;
			assert_int_equal(verified, json_array_size(names));
			json_array_foreach(names, k, nm)
			{
				int found = 0;
				for (j = 0; j < nt.nsigs; j++)
					found |=
					    nt.sigs[j].verified &&
					    strcmp(nt.sigs[j].name, json_string_value(nm)) == 0;
				assert_true(found);
			}
			note_release(&nt);
		}
		if (vg_json_str(v, "sign_with_skey")) {
			struct note_signer s;
			const struct note_signer *ss[1] = {&s};
			char *out = NULL;
			assert_int_equal(
			    note_signer_from_skey(vg_json_str(v, "sign_with_skey"), &s, &err),
			    VG_OK);
			assert_int_equal(note_sign(vg_json_str(v, "text"), ss, 1, &out, &err),
					 VG_OK);
			/* Ed25519 is deterministic: byte for byte what x/mod signs */
			assert_string_equal(out, txt);
			free(out);
			note_signer_release(&s);
		}
	}
	json_array_foreach(json_object_get(d, "parse_only"), i, v)
	{
		struct note nt;
		const char *txt = vg_json_str(v, "note");
		json_t *sigs = json_object_get(v, "expect_sigs"),
		       *cp = json_object_get(v, "expect_checkpoint");
		assert_int_equal(note_parse(txt, strlen(txt), &nt, &err), VG_OK);
		if (vg_json_str(v, "expect_text"))
			assert_string_equal(nt.text, vg_json_str(v, "expect_text"));
		assert_int_equal(nt.nsigs, json_array_size(sigs));
		assert_string_equal(nt.sigs[0].name, vg_json_str(json_array_get(sigs, 0), "name"));
		if (cp) {
			struct checkpoint c;
			char *back;
			assert_int_equal(checkpoint_parse(nt.text, nt.text_len, &c, &err), VG_OK);
			assert_string_equal(c.origin, vg_json_str(cp, "origin"));
			assert_int_equal(c.size, json_integer_value(json_object_get(cp, "size")));
			back = checkpoint_text(&c);
			assert_string_equal(back, nt.text);
			free(back);
		}
		note_release(&nt);
	}
	json_decref(d);
}

static void test_checkpoint_bodies(void **state)
{
	json_t *d = load("checkpoint_and_tiles.json"), *v;
	struct vg_error err = {0};
	size_t i, accepted = 0;
	(void)state;
	json_array_foreach(
	    json_object_get(json_object_get(d, "checkpoint_body_unmarshal"), "cases"), i, v)
	{
		struct checkpoint c;
		const char *body = vg_json_str(v, "body");
		int rc = checkpoint_parse(body, strlen(body), &c, &err);
		if (json_is_true(json_object_get(v, "wantErr"))) {
			if (rc == VG_OK)
				fail_msg("checkpoint body \"%s\" accepted", vg_json_str(v, "desc"));
		} else if (rc == VG_OK) {
			accepted++;
			assert_string_equal(c.origin,
					    vg_json_str(json_object_get(v, "want"), "origin"));
		}
	}
	json_decref(d);
	/* a 32-byte root (the strict rule) in our own round trip */
	{
		struct checkpoint c = {.size = 20852163}, back;
		char *t;
		memset(c.root, 0xab, 32);
		snprintf(c.origin, sizeof(c.origin), "example.com/behind-the-sofa");
		t = checkpoint_text(&c);
		assert_int_equal(checkpoint_parse(t, strlen(t), &back, &err), VG_OK);
		assert_int_equal(back.size, c.size);
		assert_memory_equal(back.root, c.root, 32);
		free(t);
		assert_int_equal(checkpoint_parse("o\n012\nAAAA\n", 11, &back, &err), VG_EPARSE);
		assert_int_equal(checkpoint_parse("o\n18446744073709551616\n", 23, &back, &err),
				 VG_EPARSE);
	}
	(void)accepted;
}

static void test_generated_checkpoints(void **state)
{
	json_t *d = load("generated_checkpoints.json"), *tr = load("rfc6962_tree8.json"), *v;
	struct mem_tree t;
	struct note_verifier vk[4];
	struct vg_error err = {0};
	size_t i, nv;
	(void)state;

	tree8(&t, tr);
	json_array_foreach(json_object_get(d, "checkpoints"), i, v)
	{
		const char *txt = vg_json_str(v, "note");
		uint64_t size = (uint64_t)json_integer_value(json_object_get(v, "size"));
		struct note nt;
		struct checkpoint c;
		uint8_t root[32], proof[MERKLE_MAX_PROOF][32], mine[MERKLE_MAX_PROOF][32];
		const char *key;
		json_t *p;
		size_t n, mn;

		vkeys_of(json_object_get(v, "vkeys"), vk, &nv);
		assert_int_equal(note_open(txt, strlen(txt), vk, nv, &nt, &err), VG_OK);
		assert_int_equal(checkpoint_parse(nt.text, nt.text_len, &c, &err), VG_OK);
		assert_int_equal(c.size, size);
		assert_int_equal(merkle_root(mem_get, &t, size, root, &err), VG_OK);
		assert_memory_equal(c.root, root, 32);
		/* re-signed by us with the same keys: byte for byte the same note */
		{
			struct note_signer s[2];
			const struct note_signer *ss[2] = {&s[0], &s[1]};
			char *out = NULL;
			json_t *sk = json_object_get(v, "skeys");
			assert_int_equal(note_signer_from_skey(
					     json_string_value(json_array_get(sk, 0)), &s[0], &err),
					 VG_OK);
			assert_int_equal(note_signer_from_skey(
					     json_string_value(json_array_get(sk, 1)), &s[1], &err),
					 VG_OK);
			assert_int_equal(note_sign(nt.text, ss, 2, &out, &err), VG_OK);
			assert_string_equal(out, txt);
			free(out);
			note_signer_release(&s[0]);
			note_signer_release(&s[1]);
		}
		note_release(&nt);
		json_object_foreach(json_object_get(v, "inclusion_proofs_hex"), key, p)
		{
			uint64_t idx = strtoull(key, NULL, 10);
			assert_true(proof_of(p, proof, &n));
			assert_true(merkle_verify_inclusion(idx, size, t.h[0][idx], 32, proof, n,
							    c.root, 32));
			assert_int_equal(
			    merkle_prove_inclusion(mem_get, &t, idx, size, mine, &mn, &err), VG_OK);
			assert_int_equal(mn, n);
			if (n)
				assert_memory_equal(mine, proof, n * 32);
		}
		json_object_foreach(json_object_get(v, "consistency_proofs_from_hex"), key, p)
		{
			uint64_t old = strtoull(key, NULL, 10);
			uint8_t oroot[32];
			assert_true(proof_of(p, proof, &n));
			assert_int_equal(merkle_root(mem_get, &t, old, oroot, &err), VG_OK);
			assert_true(
			    merkle_verify_consistency(old, size, proof, n, oroot, 32, c.root, 32));
			assert_int_equal(
			    merkle_prove_consistency(mem_get, &t, old, size, mine, &mn, &err),
			    VG_OK);
			assert_int_equal(mn, n);
			if (n)
				assert_memory_equal(mine, proof, n * 32);
		}
	}
	json_decref(d);
	json_decref(tr);
}

static void test_keys(void **state)
{
	struct vg_error err = {0};
	struct note_signer s;
	struct note_verifier v;
	const struct note_signer *ss[1] = {&s};
	char *skey = NULL, *vkey, *note = NULL;
	struct note nt;
	(void)state;

	assert_int_equal(note_skey_generate("bad name", &skey, &err), VG_EINVAL);
	assert_int_equal(note_skey_generate("a+b", &skey, &err), VG_EINVAL);
	assert_int_equal(note_skey_generate("example.com/audit", &skey, &err), VG_OK);
	assert_int_equal(strncmp(skey, "PRIVATE+KEY+example.com/audit+", 30), 0);
	assert_int_equal(note_signer_from_skey(skey, &s, &err), VG_OK);
	free(skey);
	vkey = note_vkey(s.name, s.pub);
	assert_int_equal(note_vkey_parse(vkey, &v, &err), VG_OK);
	assert_int_equal(note_sign("no newline", ss, 1, &note, &err), VG_EINVAL);
	assert_int_equal(note_sign("hello\n", ss, 1, &note, &err), VG_OK);
	assert_int_equal(note_open(note, strlen(note), &v, 1, &nt, &err), VG_OK);
	note_release(&nt);
	note[0] = 'j'; /* the text changed: the signature no longer verifies */
	assert_int_equal(note_open(note, strlen(note), &v, 1, &nt, &err), VG_EINVAL);
	free(note);
	free(vkey);
	note_signer_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hasher),
	    cmocka_unit_test(test_tree8),
	    cmocka_unit_test(test_probes),
	    cmocka_unit_test(test_notes),
	    cmocka_unit_test(test_checkpoint_bodies),
	    cmocka_unit_test(test_generated_checkpoints),
	    cmocka_unit_test(test_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
