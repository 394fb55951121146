/*
 * delta_apply.h - apply a vigil binary delta (docs/delta-format.md): the
 * device side of issue 20.
 *
 * This header and delta_apply.c are a unit of their own: they include
 * nothing of vigil (core/banned.h only when built inside vigil) and need
 * only libzstd, so a device's update client copies the two files and
 * builds them with `cc -c delta_apply.c` and `-lzstd`. Built with
 * -DDELTA_APPLY_LZMA (and -llzma) it also applies patches of method 2,
 * whose body is LZMA2 (5 to 10 % smaller; `vigil delta make --method
 * lzma`, the server's update.delta_method); without, it refuses them as
 * an unknown method (DELTA_EVERSION) before reading the body.
 *
 * Rules:
 *  - A patch is untrusted transport. Its header names the SHA-256 of the old
 *    image it applies to and of the new image it rebuilds. delta_apply()
 *    checks the old image's hash before it writes a byte, and the new
 *    image's hash (and length) after the last one, and the hash of the
 *    patch's own body (so any damaged byte is detected, also one that would
 *    not change the image); the caller keeps what
 *    was written only when it returns DELTA_OK (write to a temporary file,
 *    rename it on success). The device then checks the rebuilt image
 *    against the signed full image's hash from its TUF metadata.
 *  - The patch is read once, front to back, through a callback; memory is
 *    the old image (the caller's, read only) plus a fixed amount: one block
 *    of output (DELTA_BLOCK_MAX), the block's commands and the
 *    decompressor's window or dictionary (at most 2^DELTA_WINDOW_LOG_MAX
 *    bytes, for either method).
 *  - Every length, offset and count read from a patch is checked before it
 *    is used: a corrupt or hostile patch gives an error, never a read or
 *    write outside a buffer.
 */
#ifndef VIGIL_UPDATE_DELTA_APPLY_H
#define VIGIL_UPDATE_DELTA_APPLY_H

#include <stddef.h>
#include <stdint.h>

#define DELTA_MAGIC       "VGDELTA" /* 7 bytes and a NUL: 8 bytes */
#define DELTA_VERSION     2u        /* the highest version read and written */
#define DELTA_VERSION_MIN 1u        /* the lowest version read */
#define DELTA_METHOD_BSZ  1u        /* suffix-array matches, the body one zstd frame */
#define DELTA_METHOD_BSX  2u        /* the same body as one raw LZMA2 stream (liblzma) */
#ifdef DELTA_APPLY_LZMA
#define DELTA_APPLY_METHODS "1 (zstd) or 2 (LZMA2)"
#else
#define DELTA_APPLY_METHODS "1 (zstd; 2, LZMA2, is not built in)"
#endif
#define DELTA_HEADER_SIZE    128u
#define DELTA_BLOCK_MAX      (1u << 20) /* bytes of new image a block rebuilds at most */
#define DELTA_BLOCK_CMDS     8192u      /* commands a block holds at most */
#define DELTA_WINDOW_LOG_MAX 24         /* zstd window or LZMA2 dictionary: 16 MiB */

/* How a block's differences are laid out (docs/delta-format.md): version 1
 * knows the first two, version 2 adds the tokens. */
enum delta_layout {
	DELTA_LAYOUT_PLANES = 0, /* every gap, every length, every byte */
	DELTA_LAYOUT_RUNS = 1,   /* gap, length and bytes of each run in turn */
	DELTA_LAYOUT_TOKENS = 2, /* a token per run (gap and length), then every byte */
};
/* A token below DELTA_TOKEN_ESCAPE is 2 * gap + length - 1 (gap at most 126,
 * length 1 or 2); the escape is followed by the gap and the length as
 * varints; 255 is not used. */
#define DELTA_TOKEN_ESCAPE 254u

/* Status codes of delta_apply() (stable: the CLI prints their names). */
enum delta_status {
	DELTA_OK = 0,
	DELTA_EFORMAT,  /* not a vigil delta, or a malformed header */
	DELTA_EVERSION, /* a version or method this code does not know */
	DELTA_EOLD,     /* the old image is not the one the patch was made from */
	DELTA_ECORRUPT, /* the body is damaged: bad compression, commands or bounds */
	DELTA_ENEW,     /* the rebuilt image's length or SHA-256 is not the header's */
	DELTA_EIO,      /* a read or write callback failed */
	DELTA_ENOMEM,   /* out of memory */
	DELTA_ETOOBIG,  /* an input larger than this code takes */
};

/* Stable name of a status ("corrupt", "old_mismatch", ...). */
const char *delta_status_name(int status);

/* SHA-256, for the headers' hashes (no other dependency). */
struct delta_sha256 {
	uint32_t h[8];
	uint64_t total;
	uint8_t buf[64];
	size_t n;
};
void delta_sha256_init(struct delta_sha256 *c);
void delta_sha256_update(struct delta_sha256 *c, const void *data, size_t len);
void delta_sha256_final(struct delta_sha256 *c, uint8_t out[32]);
void delta_sha256(const void *data, size_t len, uint8_t out[32]);

/* The fixed header at the start of every patch. */
struct delta_header {
	uint32_t version; /* DELTA_VERSION_MIN to DELTA_VERSION */
	uint32_t method;  /* DELTA_METHOD_BSZ or DELTA_METHOD_BSX */
	uint64_t old_len, new_len;
	uint8_t old_sha256[32], new_sha256[32];
	uint8_t body_sha256[32]; /* of the patch's bytes after the header */
};

/* Write h as DELTA_HEADER_SIZE bytes into out. */
void delta_header_encode(const struct delta_header *h, uint8_t out[DELTA_HEADER_SIZE]);
/* Read a header from in (DELTA_HEADER_SIZE bytes): DELTA_OK, DELTA_EFORMAT
 * (bad magic or reserved bits) or DELTA_EVERSION. */
int delta_header_decode(const uint8_t in[DELTA_HEADER_SIZE], struct delta_header *h);

/*
 * Where the patch comes from and where the new image goes.
 * read: up to len bytes into buf; returns how many (0 at the end of the
 * patch), or -1 on an error. write: all len bytes; 0, or -1 on an error.
 */
struct delta_io {
	long (*read)(void *ctx, void *buf, size_t len);
	int (*write)(void *ctx, const void *buf, size_t len);
	void *read_ctx, *write_ctx;
};

/*
 * Rebuild the new image from old (old_len bytes, borrowed, read only) and
 * the patch read through io. The header is checked and old's SHA-256
 * compared with it before the first write. Returns DELTA_OK when the whole
 * patch was read, nothing followed it, and the bytes written have the
 * header's length and SHA-256; another status otherwise, with a sentence
 * in msg (msgsz bytes, may be 0) naming the place (byte offset in the
 * patch, or block and command) and what was expected. hdr (may be NULL)
 * gets the header once it was read.
 */
int delta_apply(const uint8_t *old, uint64_t old_len, const struct delta_io *io,
		struct delta_header *hdr, char *msg, size_t msgsz);

#endif
