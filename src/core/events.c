#include "core/events.h"
#include "core/error.h"

#include <pthread.h>
#include <string.h>

#include "core/banned.h"

#define MAX_SUBS 64

static struct {
	const char *name;
	const char *who;
	vg_event_fn fn;
	void *arg;
} subs[MAX_SUBS];
static int nsubs;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

int vg_event_subscribe(const char *name, const char *who, vg_event_fn fn, void *arg)
{
	int rc = VG_OK;
	pthread_mutex_lock(&mu);
	if (nsubs >= MAX_SUBS) {
		rc = VG_ENOMEM;
	} else {
		subs[nsubs].name = name;
		subs[nsubs].who = who;
		subs[nsubs].fn = fn;
		subs[nsubs].arg = arg;
		nsubs++;
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

/* Subscriptions are made at start-up; entries below the count never change. */
static int count(void)
{
	int n;
	pthread_mutex_lock(&mu);
	n = nsubs;
	pthread_mutex_unlock(&mu);
	return n;
}

static int matches(int i, const char *name)
{
	return strcmp(subs[i].name, "*") == 0 || strcmp(subs[i].name, name) == 0;
}

void vg_event_emit(struct store *s, const char *name, const json_t *payload)
{
	int n = count();
	for (int i = 0; i < n; i++)
		if (matches(i, name))
			(void)subs[i].fn(s, name, payload, subs[i].arg);
}

void vg_event_each(const char *name, void (*fn)(const char *who, void *arg), void *arg)
{
	int n = count();
	for (int i = 0; i < n; i++)
		if (matches(i, name))
			fn(subs[i].who, arg);
}

int vg_event_call(struct store *s, const char *name, const json_t *payload, const char *who)
{
	int n = count();
	for (int i = 0; i < n; i++)
		if (matches(i, name) && strcmp(subs[i].who, who) == 0)
			return subs[i].fn(s, name, payload, subs[i].arg);
	return VG_ENOTFOUND;
}

void vg_event_reset(void)
{
	pthread_mutex_lock(&mu);
	nsubs = 0;
	pthread_mutex_unlock(&mu);
}
