/*
 * feed_arena.c - blocks of at least 16 KiB; a request larger than a block
 * gets a block of its own so that big arrays do not waste the rest.
 */
#include "vuln/feed_arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (16 * 1024)

struct feed_arena_block {
	struct feed_arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void feed_arena_init(struct feed_arena *a, size_t max)
{
	a->head = NULL;
	a->total = 0;
	a->max = max;
	a->too_big = 0;
}

void *feed_arena_alloc(struct feed_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	struct feed_arena_block *b = a->head;
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
	if (!b || b->size - b->used < need) {
		size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
		b = malloc(sizeof(*b) + size);
		if (!b) {
			a->too_big = 0;
			return NULL;
		}
		b->used = 0;
		b->size = size;
		if (a->head && need > BLOCK_SIZE) {
			/* keep filling the current block after this big one */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	off = b->used;
	b->used += need;
	a->total += need;
	memset(b->data + off, 0, n);
	return b->data + off;
}

void *feed_arena_array(struct feed_arena *a, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz) {
		a->too_big = 1;
		return NULL;
	}
	return feed_arena_alloc(a, n * sz);
}

char *feed_arena_strdup(struct feed_arena *a, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s);
	p = feed_arena_alloc(a, n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

void feed_arena_release(struct feed_arena *a)
{
	struct feed_arena_block *b = a->head;
	while (b) {
		struct feed_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
	a->too_big = 0;
}
