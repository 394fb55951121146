/*
 * arena.h - the one arena: memory of things that live and die together (a
 * parsed advisory, an SBOM document, a compiled schema's instance tree),
 * taken from a chain of blocks and freed at once.
 *
 * Rules:
 *  - Memory is aligned for any type, except the copies of strings, which
 *    are packed (no padding). vg_arena_alloc() zeroes it;
 *    vg_arena_alloc_raw() does not (hot paths that fill every byte).
 *  - When the bytes handed out would pass max (0 = no cap) allocation fails
 *    and too_big is set: the caller reports VG_ETOOBIG. This bounds what
 *    hostile input can make us allocate.
 *  - vg_arena_reset() keeps the blocks for reuse (nothing handed out stays
 *    valid); vg_arena_release() frees them. Nothing is freed one by one.
 */
#ifndef VIGIL_CORE_ARENA_H
#define VIGIL_CORE_ARENA_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

/* A block of the chain; only arena.c and the inline fast path below look inside. */
struct vg_arena_block {
	struct vg_arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct vg_arena {
	struct vg_arena_block *head, *cur;
	size_t total; /* bytes handed out since init or reset */
	size_t max;   /* cap on total; 0 = none */
	size_t block; /* size of a new block; 0 = 16 KiB */
	int too_big;  /* the last failure was the cap, not malloc */
};

/* An empty arena with cap max (0 = none) and the default block size. */
void vg_arena_init(struct vg_arena *a, size_t max);
/* As vg_arena_init with blocks of block bytes (large documents: 64 KiB+). */
void vg_arena_init_block(struct vg_arena *a, size_t max, size_t block);

/* n zeroed bytes (n == 0 gives a valid unique pointer); NULL on failure. */
void *vg_arena_alloc(struct vg_arena *a, size_t n);
/* n bytes, not zeroed; NULL on failure. Inline: the hot paths (an
 * instance tree per item of a large document) mostly bump a pointer. */
static inline void *vg_arena_alloc_raw(struct vg_arena *a, size_t n);
/* n zeroed elements of size sz, overflow checked; NULL on failure. */
void *vg_arena_array(struct vg_arena *a, size_t n, size_t sz);
/* Room for one more element in arr (n of size sz used, *cap allocated): arr
 * itself while n < *cap, else a copy in the arena with twice the room (first
 * when empty) and *cap updated; NULL on failure (arr is left as it was). */
void *vg_arena_grow(struct vg_arena *a, void *arr, size_t n, size_t *cap, size_t sz, size_t first);
/* Copy of s (NULL for s == NULL or on failure). */
char *vg_arena_strdup(struct vg_arena *a, const char *s);
/* Copy of the n bytes at s with a NUL after them (NULL on failure). */
char *vg_arena_strndup(struct vg_arena *a, const char *s, size_t n);

/* Forget every allocation but keep the blocks for reuse. */
void vg_arena_reset(struct vg_arena *a);
/* Free every block; the arena is empty and usable again. */
void vg_arena_release(struct vg_arena *a);

/* The slow path of vg_arena_alloc_raw: a new block, the cap, failures. */
void *vg_arena__alloc_slow(struct vg_arena *a, size_t n);

static inline void *vg_arena_alloc_raw(struct vg_arena *a, size_t n)
{
	struct vg_arena_block *b = a->cur;
	const size_t al = alignof(max_align_t);
	size_t need = (n + al - 1) & ~(al - 1);

	/* strings are packed unaligned (vg_arena_strndup): align the offset */
	if (b && n - 1 < SIZE_MAX / 4) {
		size_t off = (b->used + al - 1) & ~(al - 1);
		if (off <= b->size && need <= b->size - off &&
		    (!a->max || (a->total <= a->max && need <= a->max - a->total))) {
			b->used = off + need;
			a->total += need;
			return b->data + off;
		}
	}
	return vg_arena__alloc_slow(a, n);
}

#endif
