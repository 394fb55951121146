/*
 * arena.c - the one arena (see arena.h).
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DEFAULT_BLOCK (16 * 1024)

void vg_arena_init_block(struct vg_arena *a, size_t max, size_t block)
{
	a->head = a->cur = NULL;
	a->total = 0;
	a->max = max;
	a->block = block ? block : DEFAULT_BLOCK;
	a->too_big = 0;
}

void vg_arena_init(struct vg_arena *a, size_t max)
{
	vg_arena_init_block(a, max, 0);
}

/* The first offset at or after used that is aligned (with align 1: used). */
static size_t offset_in(const struct vg_arena_block *b, size_t align)
{
	return (b->used + align - 1) & ~(align - 1);
}

/* need bytes at a multiple of align from a new or reset block (slow path). */
static void *take_block(struct vg_arena *a, size_t need, size_t align)
{
	struct vg_arena_block *b, *last = NULL;
	size_t off, bs = a->block ? a->block : DEFAULT_BLOCK;

	/* the current block, else a later one kept by a reset */
	for (b = a->cur; b; last = b, b = b->next)
		if (offset_in(b, align) <= b->size && b->size - offset_in(b, align) >= need)
			break;
	if (!b) {
		size_t size = need > bs ? need : bs;
		b = malloc(sizeof(*b) + size);
		if (!b) {
			a->too_big = 0;
			return NULL;
		}
		b->used = 0;
		b->size = size;
		b->next = NULL;
		/* cur is NULL only while the chain is empty: last is the tail */
		if (last)
			last->next = b;
		else
			a->head = b;
	}
	/* a big one-off block does not become current: keep filling the other */
	if (!a->cur || need <= bs)
		a->cur = b;
	off = offset_in(b, align);
	b->used = off + need;
	a->total += need;
	return b->data + off;
}

/* n bytes at a multiple of align (a power of two, at most max_align_t's). */
static inline void *take(struct vg_arena *a, size_t n, size_t align)
{
	struct vg_arena_block *b = a->cur;
	size_t need, off;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2) {
		a->too_big = 1;
		return NULL;
	}
	need = (n + align - 1) & ~(align - 1);
	if (a->max && (a->total > a->max || need > a->max - a->total)) {
		a->too_big = 1;
		return NULL;
	}
	/* the common case: room in the current block */
	if (b && (off = offset_in(b, align)) <= b->size && b->size - off >= need) {
		b->used = off + need;
		a->total += need;
		return b->data + off;
	}
	return take_block(a, need, align);
}

void *vg_arena__alloc_slow(struct vg_arena *a, size_t n)
{
	return take(a, n, alignof(max_align_t));
}

void *vg_arena_alloc(struct vg_arena *a, size_t n)
{
	void *p = vg_arena_alloc_raw(a, n);
	if (p)
		memset(p, 0, n ? n : 1);
	return p;
}

void *vg_arena_array(struct vg_arena *a, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz) {
		a->too_big = 1;
		return NULL;
	}
	return vg_arena_alloc(a, n * sz);
}

void *vg_arena_grow(struct vg_arena *a, void *arr, size_t n, size_t *cap, size_t sz, size_t first)
{
	size_t nc;
	void *nv;

	if (n < *cap)
		return arr;
	nc = *cap ? *cap * 2 : first;
	if (nc < *cap || !(nv = vg_arena_array(a, nc, sz)))
		return NULL;
	if (n)
		memcpy(nv, arr, n * sz);
	*cap = nc;
	return nv;
}

char *vg_arena_strndup(struct vg_arena *a, const char *s, size_t n)
{
	struct vg_arena_block *b;
	char *p;

	if (!s)
		return NULL;
	/* text needs no alignment: strings are packed (the common case inline) */
	b = a->cur;
	if (b && b->size - b->used > n &&
	    (!a->max || (a->total < a->max && n < a->max - a->total))) {
		p = (char *)b->data + b->used;
		b->used += n + 1;
		a->total += n + 1;
	} else if (n >= SIZE_MAX / 2) {
		a->too_big = 1;
		return NULL;
	} else
		p = take(a, n + 1, 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *vg_arena_strdup(struct vg_arena *a, const char *s)
{
	return s ? vg_arena_strndup(a, s, strlen(s)) : NULL;
}

void vg_arena_reset(struct vg_arena *a)
{
	for (struct vg_arena_block *b = a->head; b; b = b->next)
		b->used = 0;
	a->cur = a->head;
	a->total = 0;
	a->too_big = 0;
}

void vg_arena_release(struct vg_arena *a)
{
	struct vg_arena_block *b = a->head;
	while (b) {
		struct vg_arena_block *n = b->next;
		free(b);
		b = n;
	}
	a->head = a->cur = NULL;
	a->total = 0;
	a->too_big = 0;
}
