/*
 * merkle.h - the Merkle tree of RFC 9162 (section 2.1; the same tree as RFC
 * 6962): leaf hash SHA-256(0x00 || data), node hash SHA-256(0x01 || left ||
 * right), empty tree SHA-256(""). Proofs are ordered from the bottom up.
 *
 * Pure functions: proofs are made from the hashes of complete subtrees,
 * read through a callback (the stored hashes of audit/checkpoint.c, or an
 * array in a test), so a proof costs O(log n) reads.
 */
#ifndef VIGIL_AUDIT_MERKLE_H
#define VIGIL_AUDIT_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct vg_error;

#define MERKLE_HASH      32
#define MERKLE_MAX_PROOF 128

/* The hash of the complete subtree at level (0: leaves) and index idx, i.e.
 * of leaves [idx << level, (idx + 1) << level). */
typedef int (*merkle_get_fn)(void *ctx, int level, uint64_t idx, uint8_t out[MERKLE_HASH],
			     struct vg_error *err);

void merkle_leaf_hash(const void *data, size_t n, uint8_t out[MERKLE_HASH]);
void merkle_node_hash(const uint8_t *l, size_t ll, const uint8_t *r, size_t rl,
		      uint8_t out[MERKLE_HASH]);
void merkle_empty_root(uint8_t out[MERKLE_HASH]);

/* The root of the tree of the first size leaves. */
int merkle_root(merkle_get_fn get, void *ctx, uint64_t size, uint8_t root[MERKLE_HASH],
		struct vg_error *err) VG_MUST_CHECK;
/* The inclusion proof of leaf index in the tree of size leaves (RFC 9162 2.1.3.1). */
int merkle_prove_inclusion(merkle_get_fn get, void *ctx, uint64_t index, uint64_t size,
			   uint8_t proof[][MERKLE_HASH], size_t *n,
			   struct vg_error *err) VG_MUST_CHECK;
/* The consistency proof between the trees of size1 and size2 leaves, 0 < size1 <= size2
 * (RFC 9162 2.1.4.1). */
int merkle_prove_consistency(merkle_get_fn get, void *ctx, uint64_t size1, uint64_t size2,
			     uint8_t proof[][MERKLE_HASH], size_t *n,
			     struct vg_error *err) VG_MUST_CHECK;

/* proof: n hashes of MERKLE_HASH bytes, one after the other.
 * 1 when the proof shows the leaf hash at index in the tree of size with root (RFC 9162
 * 2.1.3.2). */
int merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t *leaf, size_t leaf_len,
			    const void *proof, size_t n, const uint8_t *root, size_t root_len);
/* 1 when the proof shows the tree (size1, root1) is a prefix of (size2, root2) (RFC 9162
 * 2.1.4.2; size1 == 0 is refused, size1 == size2 needs an empty proof and equal roots). */
int merkle_verify_consistency(uint64_t size1, uint64_t size2, const void *proof, size_t n,
			      const uint8_t *root1, size_t root1_len, const uint8_t *root2,
			      size_t root2_len);

/* The root of a tree built leaf by leaf, in O(log n) memory. */
struct merkle_stream {
	uint8_t h[65][MERKLE_HASH];
	int level[65];
	int n;
	uint64_t count;
};
void merkle_stream_init(struct merkle_stream *m);
void merkle_stream_push(struct merkle_stream *m, const uint8_t leaf[MERKLE_HASH]);
void merkle_stream_root(const struct merkle_stream *m, uint8_t root[MERKLE_HASH]);

#endif
