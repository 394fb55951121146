/*
 * merkle.c - RFC 9162 Merkle tree hashes, proofs and their verification.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/merkle.h"
#include "core/error.h"
#include "core/hash.h"

#include <openssl/evp.h>
#include <string.h>

#include "core/banned.h"

static void sha(const uint8_t prefix, const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
		uint8_t out[MERKLE_HASH])
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned int ol = MERKLE_HASH;

	if (!m) {
		memset(out, 0, MERKLE_HASH);
		return;
	}
	EVP_DigestInit_ex(m, EVP_sha256(), NULL);
	EVP_DigestUpdate(m, &prefix, 1);
	if (al)
		EVP_DigestUpdate(m, a, al);
	if (bl)
		EVP_DigestUpdate(m, b, bl);
	EVP_DigestFinal_ex(m, out, &ol);
	EVP_MD_CTX_free(m);
}

void merkle_leaf_hash(const void *data, size_t n, uint8_t out[MERKLE_HASH])
{
	sha(0x00, data, n, NULL, 0, out);
}

void merkle_node_hash(const uint8_t *l, size_t ll, const uint8_t *r, size_t rl,
		      uint8_t out[MERKLE_HASH])
{
	sha(0x01, l, ll, r, rl, out);
}

void merkle_empty_root(uint8_t out[MERKLE_HASH])
{
	vg_sha256("", 0, out);
}

/* The largest power of two strictly less than n (n > 1). */
static uint64_t split_point(uint64_t n)
{
	uint64_t k = 1;
	while (k << 1 < n)
		k <<= 1;
	return k;
}

static int is_pow2(uint64_t n)
{
	return n && !(n & (n - 1));
}

static int level_of(uint64_t n)
{
	int l = 0;
	while ((1ull << l) < n)
		l++;
	return l;
}

/* MTH(D[lo:lo+n]), n > 0; lo is aligned to every power of two below n (RFC 9162 recursion). */
static int subtree(merkle_get_fn get, void *ctx, uint64_t lo, uint64_t n, uint8_t out[MERKLE_HASH],
		   struct vg_error *err)
{
	uint8_t l[MERKLE_HASH], r[MERKLE_HASH];
	uint64_t k;
	int rc;

	if (is_pow2(n)) {
		int lv = level_of(n);
		return get(ctx, lv, lo >> lv, out, err);
	}
	k = split_point(n);
	if ((rc = subtree(get, ctx, lo, k, l, err)) ||
	    (rc = subtree(get, ctx, lo + k, n - k, r, err)))
		return rc;
	merkle_node_hash(l, MERKLE_HASH, r, MERKLE_HASH, out);
	return VG_OK;
}

int merkle_root(merkle_get_fn get, void *ctx, uint64_t size, uint8_t root[MERKLE_HASH],
		struct vg_error *err)
{
	if (!size) {
		merkle_empty_root(root);
		return VG_OK;
	}
	return subtree(get, ctx, 0, size, root, err);
}

static int push(uint8_t proof[][MERKLE_HASH], size_t *n, const uint8_t h[MERKLE_HASH],
		struct vg_error *err)
{
	if (*n >= MERKLE_MAX_PROOF)
		return vg_error_set(err, VG_EINTERNAL, "proof longer than %d hashes",
				    MERKLE_MAX_PROOF);
	memcpy(proof[(*n)++], h, MERKLE_HASH);
	return VG_OK;
}

/* PATH(m, D[lo:lo+n]) */
static int path(merkle_get_fn get, void *ctx, uint64_t m, uint64_t lo, uint64_t n,
		uint8_t proof[][MERKLE_HASH], size_t *pn, struct vg_error *err)
{
	uint8_t h[MERKLE_HASH];
	uint64_t k;
	int rc;

	if (n <= 1)
		return VG_OK;
	k = split_point(n);
	if (m < k) {
		if ((rc = path(get, ctx, m, lo, k, proof, pn, err)) ||
		    (rc = subtree(get, ctx, lo + k, n - k, h, err)))
			return rc;
	} else {
		if ((rc = path(get, ctx, m - k, lo + k, n - k, proof, pn, err)) ||
		    (rc = subtree(get, ctx, lo, k, h, err)))
			return rc;
	}
	return push(proof, pn, h, err);
}

int merkle_prove_inclusion(merkle_get_fn get, void *ctx, uint64_t index, uint64_t size,
			   uint8_t proof[][MERKLE_HASH], size_t *n, struct vg_error *err)
{
	*n = 0;
	if (index >= size)
		return vg_error_set(err, VG_EINVAL, "leaf %llu is not in a tree of %llu leaves",
				    (unsigned long long)index, (unsigned long long)size);
	return path(get, ctx, index, 0, size, proof, n, err);
}

/* SUBPROOF(m, D[lo:lo+n], b) */
static int subproof(merkle_get_fn get, void *ctx, uint64_t m, uint64_t lo, uint64_t n, int b,
		    uint8_t proof[][MERKLE_HASH], size_t *pn, struct vg_error *err)
{
	uint8_t h[MERKLE_HASH];
	uint64_t k;
	int rc;

	if (m == n) {
		if (b)
			return VG_OK;
		if ((rc = subtree(get, ctx, lo, n, h, err)))
			return rc;
		return push(proof, pn, h, err);
	}
	k = split_point(n);
	if (m <= k) {
		if ((rc = subproof(get, ctx, m, lo, k, b, proof, pn, err)) ||
		    (rc = subtree(get, ctx, lo + k, n - k, h, err)))
			return rc;
	} else {
		if ((rc = subproof(get, ctx, m - k, lo + k, n - k, 0, proof, pn, err)) ||
		    (rc = subtree(get, ctx, lo, k, h, err)))
			return rc;
	}
	return push(proof, pn, h, err);
}

int merkle_prove_consistency(merkle_get_fn get, void *ctx, uint64_t size1, uint64_t size2,
			     uint8_t proof[][MERKLE_HASH], size_t *n, struct vg_error *err)
{
	*n = 0;
	if (size1 == 0 || size1 > size2)
		return vg_error_set(err, VG_EINVAL,
				    "no consistency proof from %llu to %llu leaves (expected 0 < "
				    "OLD <= NEW)",
				    (unsigned long long)size1, (unsigned long long)size2);
	if (size1 == size2)
		return VG_OK;
	return subproof(get, ctx, size1, 0, size2, 1, proof, n, err);
}

int merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t *leaf, size_t leaf_len,
			    const void *proofv, size_t n, const uint8_t *root, size_t root_len)
{
	const uint8_t *pb = proofv;
	uint64_t fn = index, sn;
	uint8_t r[MERKLE_HASH];
	size_t i;

	if (index >= size || leaf_len != MERKLE_HASH || root_len != MERKLE_HASH)
		return 0;
	sn = size - 1;
	memcpy(r, leaf, MERKLE_HASH);
	for (i = 0; i < n; i++) {
		if (sn == 0)
			return 0;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(pb + i * MERKLE_HASH, MERKLE_HASH, r, MERKLE_HASH, r);
			if (!(fn & 1))
				while (fn && !(fn & 1)) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			merkle_node_hash(r, MERKLE_HASH, pb + i * MERKLE_HASH, MERKLE_HASH, r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, MERKLE_HASH) == 0;
}

int merkle_verify_consistency(uint64_t size1, uint64_t size2, const void *proofv, size_t n,
			      const uint8_t *root1, size_t root1_len, const uint8_t *root2,
			      size_t root2_len)
{
	const uint8_t *pb = proofv;
	uint8_t fr[MERKLE_HASH], sr[MERKLE_HASH];
	const uint8_t *first;
	uint64_t fn, sn;
	size_t i, start;

	if (size1 == 0 || size1 > size2)
		return 0;
	if (size1 == size2)
		return n == 0 && root1_len == root2_len && memcmp(root1, root2, root1_len) == 0;
	if (root1_len != MERKLE_HASH || root2_len != MERKLE_HASH || n == 0)
		return 0;
	/* a power-of-two old tree: its root is the first hash of the path */
	if (is_pow2(size1)) {
		first = root1;
		start = 0;
	} else {
		first = pb;
		start = 1;
	}
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	memcpy(fr, first, MERKLE_HASH);
	memcpy(sr, first, MERKLE_HASH);
	for (i = start; i < n; i++) {
		if (sn == 0)
			return 0;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(pb + i * MERKLE_HASH, MERKLE_HASH, fr, MERKLE_HASH, fr);
			merkle_node_hash(pb + i * MERKLE_HASH, MERKLE_HASH, sr, MERKLE_HASH, sr);
			if (!(fn & 1))
				while (fn && !(fn & 1)) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			merkle_node_hash(sr, MERKLE_HASH, pb + i * MERKLE_HASH, MERKLE_HASH, sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, root1, MERKLE_HASH) == 0 &&
	       memcmp(sr, root2, MERKLE_HASH) == 0;
}

void merkle_stream_init(struct merkle_stream *m)
{
	memset(m, 0, sizeof(*m));
}

void merkle_stream_push(struct merkle_stream *m, const uint8_t leaf[MERKLE_HASH])
{
	memcpy(m->h[m->n], leaf, MERKLE_HASH);
	m->level[m->n++] = 0;
	while (m->n >= 2 && m->level[m->n - 1] == m->level[m->n - 2]) {
		merkle_node_hash(m->h[m->n - 2], MERKLE_HASH, m->h[m->n - 1], MERKLE_HASH,
				 m->h[m->n - 2]);
		m->level[m->n - 2]++;
		m->n--;
	}
	m->count++;
}

void merkle_stream_root(const struct merkle_stream *m, uint8_t root[MERKLE_HASH])
{
	int i;
	if (!m->n) {
		merkle_empty_root(root);
		return;
	}
	memcpy(root, m->h[m->n - 1], MERKLE_HASH);
	for (i = m->n - 2; i >= 0; i--)
		merkle_node_hash(m->h[i], MERKLE_HASH, root, MERKLE_HASH, root);
}
