/*
 * arena.c - the one arena (see arena.h).
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

void *vg_arena__alloc_slow(struct vg_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	struct vg_arena_block *b, *last = NULL;
	size_t need, off, bs = a->block ? a->block : DEFAULT_BLOCK;

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
	/* the current block, else a later one kept by a reset */
	for (b = a->cur; b; last = b, b = b->next)
		if (b->size - b->used >= need)
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
		if (last)
			last->next = b;
		else if (a->head) {
			struct vg_arena_block *t = a->head;
			while (t->next)
				t = t->next;
			t->next = b;
		} else
			a->head = b;
	}
	/* a big one-off block does not become current: keep filling the other */
	if (!a->cur || need <= bs)
		a->cur = b;
	off = b->used;
	b->used += need;
	a->total += need;
	return b->data + off;
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

char *vg_arena_strndup(struct vg_arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = vg_arena_alloc_raw(a, n + 1);
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
