/*
 * log.c - one line per event on stderr: "TIME vigil[LEVEL]: message".
 *
 * Under systemd, when stderr is the journal (JOURNAL_STREAM names the
 * device and inode of stderr), each line starts with its syslog priority
 * instead ("<6>vigil[info]: ...", sd-daemon(3)): journald keeps the level
 * and adds its own time. A message never spans lines: line breaks and
 * other control characters in it are written as "\n", "\r", "\t" or
 * "\xHH", so one event is one journal entry and a value from outside
 * cannot forge a log line.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/log.h"
#include "core/clock.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

static enum vg_log_level level = VG_LOG_INFO;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void vg_log_set_level(enum vg_log_level lvl)
{
	level = lvl;
}

/* 1 when stderr is connected to the journal (checked on every call: cheap,
 * and right after stderr is redirected). */
static int stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	struct stat st;
	uintmax_t dev, ino;
	char tail;

	if (!js || !*js || fstat(STDERR_FILENO, &st) != 0)
		return 0;
	if (sscanf(js, "%ju:%ju%c", &dev, &ino, &tail) != 2)
		return 0;
	return dev == (uintmax_t)st.st_dev && ino == (uintmax_t)st.st_ino;
}

/* msg onto f, control characters escaped */
static void put_escaped(FILE *f, const char *msg)
{
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

void vg_log(enum vg_log_level lvl, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	/* syslog priorities: LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR */
	static const int prio[] = {7, 6, 4, 3};
	char small[1024], *msg = small;
	va_list ap;
	int n;
	const char *env = getenv("VIGIL_LOG");

	if (env && strcmp(env, "debug") == 0)
		level = VG_LOG_DEBUG;
	if (lvl < level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small) && (msg = malloc((size_t)n + 1)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	} else if (!msg) {
		msg = small; /* cut to the buffer rather than lost */
	}
	pthread_mutex_lock(&lock);
	if (stderr_is_journal()) {
		fprintf(stderr, "<%d>vigil[%s]: ", prio[lvl], names[lvl]);
	} else {
		char ts[VG_TIME_BUFSZ];
		vg_time_format(vg_now(), ts, sizeof(ts));
		fprintf(stderr, "%s vigil[%s]: ", ts, names[lvl]);
	}
	put_escaped(stderr, msg);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
	if (msg != small)
		free(msg);
}
