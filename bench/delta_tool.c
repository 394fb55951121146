/*
 * delta_tool.c - the delta code alone in a small process, for
 * bench/bench_delta.sh: `delta_tool make OLD NEW PATCH` and `delta_tool
 * apply OLD PATCH NEW`. Built from src/update/delta_make.c,
 * delta_apply.c and core/error.c with libzstd, liblzma, libdivsufsort and
 * Nettle only, so
 * its time and peak memory are those of the delta code (as bsdiff's are of
 * bsdiff), not of loading the libraries the vigil program links (about
 * 0.1-0.3 s and 13 MiB, printed by the bench beside). Prints the in-process
 * seconds of the work on stderr.
 */
#define _GNU_SOURCE
#include "core/error.h"
#include "update/delta_apply.h"
#include "update/delta_make.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const uint8_t *map(const char *path, uint64_t *n)
{
	static const uint8_t none = 0;
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	*n = (uint64_t)st.st_size;
	if (!*n) {
		close(fd);
		return &none;
	}
	p = mmap(NULL, (size_t)*n, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror(path);
		exit(1);
	}
	return p;
}

static int fwrite_cb(void *ctx, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, ctx) == len ? 0 : -1;
}

static long fread_cb(void *ctx, void *buf, size_t len)
{
	size_t n = fread(buf, 1, len, ctx);
	return ferror((FILE *)ctx) ? -1 : (long)n;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	uint64_t on, nn;
	const uint8_t *o, *n;
	FILE *f;
	double t0;
	if (argc < 5 || argc > 6 || (strcmp(argv[1], "make") && strcmp(argv[1], "apply")) ||
	    (argc == 6 &&
	     (strcmp(argv[1], "make") || (strcmp(argv[5], "zstd") && strcmp(argv[5], "lzma"))))) {
		fprintf(stderr,
			"usage: delta_tool make OLD NEW PATCH [zstd|lzma] | apply OLD PATCH NEW\n");
		return 2;
	}
	o = map(argv[2], &on);
	if (strcmp(argv[1], "make") == 0) {
		struct vg_error err = {0};
		struct delta_make_opts mo = {0};
		if (argc == 6 && strcmp(argv[5], "lzma") == 0)
			mo.method = DELTA_METHOD_BSX;
		n = map(argv[3], &nn);
		if (!(f = fopen(argv[4], "wb"))) {
			perror(argv[4]);
			return 1;
		}
		t0 = now();
		if (delta_make(o, on, n, nn, &mo, fwrite_cb, f, NULL, &err) || fclose(f)) {
			fprintf(stderr, "delta_tool: %s\n", err.msg);
			return 1;
		}
	} else {
		struct delta_io io = {fread_cb, fwrite_cb, NULL, NULL};
		char msg[256];
		FILE *out;
		int st;
		if (!(f = fopen(argv[3], "rb")) || !(out = fopen(argv[4], "wb"))) {
			perror("delta_tool");
			return 1;
		}
		io.read_ctx = f;
		io.write_ctx = out;
		t0 = now();
		st = delta_apply(o, on, &io, NULL, msg, sizeof(msg));
		if (st != DELTA_OK || fclose(out)) {
			fprintf(stderr, "delta_tool: %s (%s)\n", msg, delta_status_name(st));
			return 1;
		}
		fclose(f);
	}
	fprintf(stderr, "%.3f\n", now() - t0);
	return 0;
}
