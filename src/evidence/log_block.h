/*
 * log_block.h - the inside of the log store, shared by log_store.c (ingest,
 * seal, verify, stats), log_query.c and log_keep.c (retention, holds, maps):
 * how events are written into a block and read back, and zstd.
 *
 * A block's raw text is one line per event, fields separated by tabs:
 *   time - base \t received - time \t host \t fields \t message \n
 * (base: the block's min_time; tab, newline, CR and backslash in a field
 * written \t \n \r \\). Its source, product and version are in its index
 * row, not repeated per event.
 */
#ifndef VIGIL_EVIDENCE_LOG_BLOCK_H
#define VIGIL_EVIDENCE_LOG_BLOCK_H

#include "core/buf.h"
#include "core/error.h"
#include "evidence/logs.h"

#include <stddef.h>
#include <stdint.h>

struct vg_arena;

#define LOG_SEG_MAGIC     "VGLOGSEG1\n"
#define LOG_SEG_MAGIC_LEN 10

/* Append ev to the raw text of a block whose base time is base. */
int log_block_add(struct vg_buf *b, const struct log_event *ev, int64_t base);

/* Decode the raw text of a block (n bytes) and call fn for each event with
 * source, product and version set from the index row. Returns 0, fn's
 * non-zero value when it stopped, or -1 when the text is damaged. */
int log_block_each(const char *raw, size_t n, int64_t base, const char *source, const char *product,
		   const char *version, int (*fn)(const struct log_event *ev, void *arg), void *arg,
		   char *scratch);

/* zstd: compress src into *out (malloc'ed) with an optional dictionary. */
int log_zcompress(const void *src, size_t n, int level, const void *dict, size_t dictn, char **out,
		  size_t *outn, struct vg_error *err) VG_MUST_CHECK;
/* Decompress src into *out (malloc'ed, NUL-terminated), at most max bytes. */
int log_zdecompress(const void *src, size_t n, const void *dict, size_t dictn, size_t max,
		    char **out, size_t *outn, struct vg_error *err) VG_MUST_CHECK;

/* The mapping rules of one ingest call (loaded once per call). */
struct log_maps_cache {
	struct logs_map *m;
	size_t n;
};
int log_maps_load(struct store *s, struct log_maps_cache *c, struct vg_error *err) VG_MUST_CHECK;
/* Apply the rules to ev (product and version set when one matches). */
void log_maps_apply(const struct log_maps_cache *c, struct log_event *ev);
void log_maps_release(struct log_maps_cache *c);

#endif
