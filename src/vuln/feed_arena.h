/*
 * feed_arena.h - the memory of one parsed advisory (an NVD CVE record, a
 * CSAF document): a chain of blocks freed at once.
 *
 * Parsed advisories are trees of many small arrays and strings that live and
 * die together; one arena per advisory makes freeing one call and lets a
 * hard cap (max) bound what hostile input can make us allocate.
 *
 * Rules:
 *  - Memory from feed_arena_alloc() is zeroed and aligned for any type.
 *  - When the total would pass max (0 = no cap) allocation fails: the caller
 *    reports VG_ETOOBIG. Nothing is freed before feed_arena_release().
 */
#ifndef VIGIL_VULN_FEED_ARENA_H
#define VIGIL_VULN_FEED_ARENA_H

#include <stddef.h>

struct feed_arena_block;

struct feed_arena {
	struct feed_arena_block *head;
	size_t total; /* bytes handed out so far */
	size_t max;   /* cap on total; 0 = none */
	int too_big;  /* the last failure was the cap, not malloc */
};

void feed_arena_init(struct feed_arena *a, size_t max);

/* n zeroed bytes (n == 0 gives a valid unique pointer); NULL on failure. */
void *feed_arena_alloc(struct feed_arena *a, size_t n);

/* n elements of size sz, with overflow checked; NULL on failure. */
void *feed_arena_array(struct feed_arena *a, size_t n, size_t sz);

/* Copy of s (NULL for s == NULL or on failure). */
char *feed_arena_strdup(struct feed_arena *a, const char *s);

/* Free every block; the arena is empty and usable again. */
void feed_arena_release(struct feed_arena *a);

#endif
