/*
 * delta_make.h - make a vigil binary delta (docs/delta-format.md): the
 * server side of issue 20; delta_apply.h is the device side.
 *
 * The matcher is bsdiff's (Percival 2003): a suffix array of the old image
 * (libdivsufsort), then for each stretch of the new image the longest
 * match in old, extended forwards and backwards while more bytes agree
 * than differ, giving commands "add N bytes of old plus a difference,
 * copy M new bytes, seek in old". The commands, difference bytes and new
 * bytes are written in blocks (each rebuilding at most DELTA_BLOCK_MAX
 * bytes, its commands, then its differences, then its new bytes together,
 * so like bytes sit together) into one body, the differences in each of
 * three layouts (planes, runs, tokens: the smallest kept; a patch is
 * version 2 only when it has tokens), compressed as one zstd frame
 * (DELTA_METHOD_BSZ, the default: a device's apply needs only libzstd) or,
 * when asked, as one raw LZMA2 stream (DELTA_METHOD_BSX: 5 to 10 % smaller
 * on executables, measured in docs/delta-format.md; for a body larger than
 * DELTA_MAKE_LZMA_MAX, whose LZMA2 decoding would take the device too long,
 * zstd all the same); either with a window of at most
 * 2^DELTA_WINDOW_LOG_MAX. Memory: old and new (the caller's), the suffix
 * array (4 bytes per old byte; libdivsufsort's 256 KiB of buckets while it
 * sorts), an index of it by first two bytes (256 KiB, for old images of
 * 256 KiB and more), the body in its three layouts and the compressor.
 */
#ifndef VIGIL_UPDATE_DELTA_MAKE_H
#define VIGIL_UPDATE_DELTA_MAKE_H

#include "core/error.h"
#include "update/delta_apply.h"

#include <stddef.h>
#include <stdint.h>

struct vg_error;

/* The largest old image the 32-bit suffix array takes. */
#define DELTA_MAKE_OLD_MAX ((uint64_t)INT32_MAX - 1)

struct delta_make_opts {
	int level;      /* zstd level; 0: DELTA_MAKE_LEVEL */
	int window_log; /* zstd window log; 0: DELTA_MAKE_WINDOW_LOG */
	int method;     /* 0 or DELTA_METHOD_BSZ: zstd; DELTA_METHOD_BSX: LZMA2 */
	/* the layouts of the differences to try (1u << enum delta_layout), the
	 * smallest kept; 0: all (DELTA_MAKE_LAYOUTS_ALL). A patch is version 1
	 * unless it has the tokens, which version 2 adds. */
	unsigned layouts;
};
#define DELTA_MAKE_LAYOUTS_ALL 7u
#define DELTA_MAKE_LEVEL       18
#define DELTA_MAKE_LEVEL_MAX   22 /* ZSTD_maxCLevel() of every libzstd since 1.3 */
#define DELTA_MAKE_WINDOW_LOG  23
#define DELTA_MAKE_LZMA_MAX    ((size_t)32 << 20) /* larger bodies go to zstd */

/* What was made. */
struct delta_make_stats {
	uint64_t patch_len; /* bytes written, header included */
	uint64_t commands;
	uint64_t diff_bytes, extra_bytes; /* new bytes rebuilt from old, and given */
	int layout;                       /* enum delta_layout of the differences */
	struct delta_header header;       /* the patch's header */
};

/* "planes", "runs" or "tokens" (enum delta_layout); "?" for another value. */
const char *delta_layout_name(int layout);
/* The layout named s, or -1. */
int delta_layout_parse(const char *s);

/*
 * Make the patch that rebuilds new (new_len bytes) from old (old_len),
 * both borrowed, and hand its bytes in order to write(ctx, buf, len), which
 * returns 0 or -1 on an error. opts and stats may be NULL. VG_ETOOBIG when
 * old is larger than DELTA_MAKE_OLD_MAX, VG_ENOMEM, VG_EIO when write
 * failed; err says which.
 */
int delta_make(const uint8_t *old, uint64_t old_len, const uint8_t *new_img, uint64_t new_len,
	       const struct delta_make_opts *opts,
	       int (*write)(void *ctx, const void *buf, size_t len), void *ctx,
	       struct delta_make_stats *stats, struct vg_error *err) VG_MUST_CHECK;

/* The same into a malloc'ed buffer (*out, *outlen; the caller frees it). */
int delta_make_buf(const uint8_t *old, uint64_t old_len, const uint8_t *new_img, uint64_t new_len,
		   const struct delta_make_opts *opts, uint8_t **out, size_t *outlen,
		   struct delta_make_stats *stats, struct vg_error *err) VG_MUST_CHECK;

#endif
