#define _POSIX_C_SOURCE 200809L
#include "core/log.h"
#include "core/clock.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static enum vg_log_level level = VG_LOG_INFO;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void vg_log_set_level(enum vg_log_level lvl)
{
	level = lvl;
}

void vg_log(enum vg_log_level lvl, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char ts[VG_TIME_BUFSZ];
	va_list ap;
	const char *env = getenv("VIGIL_LOG");

	if (env && strcmp(env, "debug") == 0)
		level = VG_LOG_DEBUG;
	if (lvl < level)
		return;
	vg_time_format(vg_now(), ts, sizeof(ts));
	pthread_mutex_lock(&lock);
	fprintf(stderr, "%s vigil[%s]: ", ts, names[lvl]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
}
