/*
 * reader.h - the one way a room reads rows of its own tables into typed
 * structs (struct product, struct oncall_page ...) whose strings and arrays
 * live in the caller's arena: one vg_arena_release() frees a whole listing.
 *
 *     struct store_reader r = {NULL, mem, 0};
 *     rc = store_prepare(s, sql, &r.st, err);
 *     ... bind ...
 *     while ((rc = store_step(r.st, err)) == STORE_ROW) {
 *             if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v)))) break;
 *             v[n].name = store_reader_str(&r, 1); ...
 *     }
 *     return store_reader_done(&r, rc, err);
 *
 * Out of memory is remembered (oom) and reported once by _done(), so a row
 * of many columns needs no check per column. For malloc'ed copies outside
 * an arena there are store_col_dup() and store_col_int64_or() in store.h.
 */
#ifndef VIGIL_STORE_READER_H
#define VIGIL_STORE_READER_H

#include "core/arena.h"
#include "core/error.h"
#include "store/store.h"

#include <stdint.h>
#include <string.h>

struct store_reader {
	struct store_stmt *st;
	struct vg_arena *mem;
	int oom;
};

/* Column i as text copied into the arena; NULL for SQL NULL. */
static inline const char *store_reader_str(struct store_reader *r, int i)
{
	return store_col_adup(r->st, i, r->mem, &r->oom);
}

/* Column i as an integer, dflt for SQL NULL. */
static inline int64_t store_reader_int(struct store_reader *r, int i, int64_t dflt)
{
	return store_col_int64_or(r->st, i, dflt);
}

/* Room for item n in the array v of *cap items of sz bytes (grown in the
 * arena; the old copy stays there until the arena goes). NULL when out of
 * memory. */
static inline void *store_reader_grow(struct store_reader *r, void *v, size_t n, size_t *cap,
				      size_t sz)
{
	void *nv;
	size_t nc;
	if (n < *cap)
		return v;
	nc = *cap ? *cap * 2 : 8;
	nv = vg_arena_array(r->mem, nc, sz);
	if (!nv) {
		r->oom = 1;
		return NULL;
	}
	if (n)
		memcpy(nv, v, n * sz);
	*cap = nc;
	return nv;
}

/* Finalize the statement and turn the last step's result into a code. */
static inline int store_reader_done(struct store_reader *r, int rc, struct vg_error *err)
{
	store_finalize(r->st);
	r->st = NULL;
	if (r->oom)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc == STORE_DONE ? VG_OK : rc;
}

#endif
