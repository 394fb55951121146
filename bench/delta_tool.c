/*
 * delta_tool.c - the delta code alone in a small process, for
 * bench/bench_delta.sh: `delta_tool make OLD NEW PATCH` and `delta_tool
 * apply OLD PATCH NEW`. Built from src/update/delta_make.c,
 * delta_apply.c and core/error.c with libzstd, liblzma, libdivsufsort and
 * Nettle only, so
 * its time and peak memory are those of the delta code (as bsdiff's are of
 * bsdiff), not of loading the libraries the vigil program links (about
 * 0.1-0.3 s and 13 MiB, printed by the bench beside). Prints the in-process
 * seconds of the work on stderr. Files and messages go through open, read
 * and write, not stdio: as in bsdiff, whose peak memory it is compared
 * with, no page of the C library's formatting code is counted (printf's
 * floating point alone brought in 200 KiB).
 */
#define _GNU_SOURCE
#include "core/error.h"
#include "update/delta_apply.h"
#include "update/delta_make.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void say(const char *a, const char *b)
{
	size_t n = strlen(a), k = strlen(b);
	if (write(2, a, n) < 0 || write(2, b, k) < 0 || write(2, "\n", 1) < 0)
		return;
}

static void die(const char *path, const char *why)
{
	say(path, why);
	exit(1);
}

static const uint8_t *map(const char *path, uint64_t *n)
{
	static const uint8_t none = 0;
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die(path, ": cannot open or stat");
	*n = (uint64_t)st.st_size;
	if (!*n) {
		close(fd);
		return &none;
	}
	p = mmap(NULL, (size_t)*n, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		die(path, ": cannot map");
	return p;
}

static int write_cb(void *ctx, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t k = write(*(int *)ctx, p, len);
		if (k <= 0)
			return -1;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

static long read_cb(void *ctx, void *buf, size_t len)
{
	ssize_t k = read(*(int *)ctx, buf, len);
	return k < 0 ? -1 : (long)k;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* "S.mmm" seconds of us microseconds, without printf */
static void say_seconds(uint64_t us)
{
	char b[32], *p = b + sizeof(b) - 1;
	uint64_t ms = us / 1000;
	*p = '\0';
	for (int i = 0; i < 3; i++, ms /= 10)
		*--p = (char)('0' + ms % 10);
	*--p = '.';
	do
		*--p = (char)('0' + ms % 10);
	while (ms /= 10);
	say(p, "");
}

int main(int argc, char **argv)
{
	uint64_t on, nn, t0;
	const uint8_t *o, *n;
	int out;
	if (argc < 5 || argc > 6 || (strcmp(argv[1], "make") && strcmp(argv[1], "apply")) ||
	    (argc == 6 &&
	     (strcmp(argv[1], "make") || (strcmp(argv[5], "zstd") && strcmp(argv[5], "lzma"))))) {
		say("usage: delta_tool make OLD NEW PATCH [zstd|lzma] | apply OLD PATCH NEW", "");
		return 2;
	}
	o = map(argv[2], &on);
	if (strcmp(argv[1], "make") == 0) {
		struct vg_error err = {0};
		struct delta_make_opts mo = {0};
		if (argc == 6 && strcmp(argv[5], "lzma") == 0)
			mo.method = DELTA_METHOD_BSX;
		n = map(argv[3], &nn);
		if ((out = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
			die(argv[4], ": cannot create");
		t0 = now_us();
		if (delta_make(o, on, n, nn, &mo, write_cb, &out, NULL, &err) || close(out))
			die("delta_tool: ", err.msg);
	} else {
		struct delta_io io = {read_cb, write_cb, NULL, NULL};
		char msg[256];
		int in, st;
		if ((in = open(argv[3], O_RDONLY)) < 0)
			die(argv[3], ": cannot open");
		if ((out = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
			die(argv[4], ": cannot create");
		io.read_ctx = &in;
		io.write_ctx = &out;
		t0 = now_us();
		st = delta_apply(o, on, &io, NULL, msg, sizeof(msg));
		if (st != DELTA_OK || close(out)) {
			say("delta_tool: ", msg);
			die("delta_tool: ", delta_status_name(st));
		}
		close(in);
	}
	say_seconds(now_us() - t0);
	return 0;
}
