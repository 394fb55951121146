/*
 * fault.c - fault injection (fault.h). Everything here is compiled only in a
 * fault build (-DVIGIL_FAULT=ON), which links every program with
 * -Wl,--wrap=malloc,... so that vigil's own calls land in the __wrap_
 * functions below, which call the real ones unless the armed event is due.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/fault.h"

#ifdef VIGIL_FAULT

#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/banned.h"

static atomic_long g_seen[VG_FAULT_KINDS];
static atomic_long g_at = 0;   /* the armed event's number; 0: disarmed */
static atomic_int g_kind = 0;  /* the armed kind */
static atomic_int g_fired = 0; /* the armed event happened */

static const char *const g_names[VG_FAULT_KINDS] = {"alloc", "io", "step"};

const char *vg_fault_name(enum vg_fault_kind k)
{
	return (unsigned)k < VG_FAULT_KINDS ? g_names[k] : "?";
}

int vg_fault_hit(enum vg_fault_kind k)
{
	long n = atomic_fetch_add(&g_seen[k], 1) + 1;
	long at = atomic_load(&g_at);

	if (!at || atomic_load(&g_kind) != (int)k || n != at)
		return 0;
	atomic_store(&g_fired, 1);
	/* where it fired, for the one debugging a failure of the walk */
	if (getenv("VIGIL_FAULT_BACKTRACE")) {
		void *frames[32];
		int depth = backtrace(frames, 32);
		fprintf(stderr, "fault: %s event %ld fails here:\n", g_names[k], n);
		backtrace_symbols_fd(frames, depth, 2);
	}
	return 1;
}

void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
void *__real_calloc(size_t m, size_t n);
void *__wrap_calloc(size_t m, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__wrap_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
char *__wrap_strndup(const char *s, size_t n);
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __real_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off);
int __real_fsync(int fd);
int __wrap_fsync(int fd);
int __real_fdatasync(int fd);
int __wrap_fdatasync(int fd);

/* ENOMEM as the C library sets it */
#define FAIL_ALLOC()                                \
	do {                                        \
		if (vg_fault_hit(VG_FAULT_ALLOC)) { \
			errno = ENOMEM;             \
			return NULL;                \
		}                                   \
	} while (0)
#define FAIL_IO()                                \
	do {                                     \
		if (vg_fault_hit(VG_FAULT_IO)) { \
			errno = EIO;             \
			return -1;               \
		}                                \
	} while (0)

void *__wrap_malloc(size_t n)
{
	FAIL_ALLOC();
	return __real_malloc(n);
}

void *__wrap_calloc(size_t m, size_t n)
{
	FAIL_ALLOC();
	return __real_calloc(m, n);
}

void *__wrap_realloc(void *p, size_t n)
{
	FAIL_ALLOC();
	return __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	FAIL_ALLOC();
	return __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	FAIL_ALLOC();
	return __real_strndup(s, n);
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	FAIL_IO();
	return __real_write(fd, buf, n);
}

ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	FAIL_IO();
	return __real_pwrite(fd, buf, n, off);
}

int __wrap_fsync(int fd)
{
	FAIL_IO();
	return __real_fsync(fd);
}

int __wrap_fdatasync(int fd)
{
	FAIL_IO();
	return __real_fdatasync(fd);
}

void vg_fault_arm(enum vg_fault_kind k, long n)
{
	atomic_store(&g_at, 0);
	for (int i = 0; i < VG_FAULT_KINDS; i++)
		atomic_store(&g_seen[i], 0);
	atomic_store(&g_fired, 0);
	atomic_store(&g_kind, (int)k);
	atomic_store(&g_at, n > 0 ? n : 0);
}

void vg_fault_disarm(void)
{
	atomic_store(&g_at, 0);
}

long vg_fault_seen(enum vg_fault_kind k)
{
	return atomic_load(&g_seen[k]);
}

int vg_fault_fired(void)
{
	return atomic_load(&g_fired);
}

int vg_fault_from_env(void)
{
	const char *v = getenv("VIGIL_FAULT");
	const char *colon;
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	colon = strchr(v, ':');
	if (colon) {
		errno = 0;
		n = strtol(colon + 1, &end, 10);
		if (!errno && *end == '\0' && n > 0) {
			for (int k = 0; k < VG_FAULT_KINDS; k++) {
				size_t len = strlen(g_names[k]);
				if ((size_t)(colon - v) == len && memcmp(v, g_names[k], len) == 0) {
					vg_fault_arm((enum vg_fault_kind)k, n);
					return 1;
				}
			}
		}
	}
	fprintf(stderr,
		"vigil: VIGIL_FAULT=%s: expected alloc:N, io:N or step:N with N a whole "
		"number from 1\n",
		v);
	return -1;
}

#else

/* ISO C wants a translation unit to declare something. */
typedef int vg_fault_unused;

#endif
