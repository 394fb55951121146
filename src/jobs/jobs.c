#define _POSIX_C_SOURCE 200809L
#include "jobs/jobs.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

static pthread_t g_thread;
static int g_running;
static atomic_int g_stop;
static atomic_int g_leader;
static char *g_url;
static int64_t g_tick;
static const struct vg_job_tables *g_tables;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
/* jobs on threads of their own (vg_job.pending): how many run, and which */
static int g_workers;
static pthread_cond_t g_workers_cv = PTHREAD_COND_INITIALIZER;

int jobs_stopping(void)
{
	return atomic_load(&g_stop);
}

int jobs_is_leader(void)
{
	return atomic_load(&g_leader);
}

int jobs_run_all(struct store *s, const struct vg_job_tables *tables, struct vg_error *err)
{
	const struct vg_job *const *const lists[] = {tables->leader, tables->every_server};
	int rc = VG_OK;
	for (int l = 0; l < 2; l++)
		for (int t = 0; lists[l] && lists[l][t]; t++)
			for (const struct vg_job *j = lists[l][t]; j->name; j++) {
				struct vg_error e = {0};
				store_set_actor(s, "system", "job");
				if (j->run(s, &e)) {
					vg_warn("job %s failed: %s", j->name, vg_error_msg(&e));
					if (!rc) {
						rc = e.code ? e.code : VG_EINTERNAL;
						if (err)
							*err = e;
					}
				}
			}
	return rc;
}

#define MAX_JOBS 64

struct worker {
	const struct vg_job *job;
	atomic_int *busy; /* the job's flag: 1 while this run lasts */
};

/* One long job's thread fewer (jobs_stop() waits for none). */
static void worker_gone(void)
{
	pthread_mutex_lock(&g_mu);
	g_workers--;
	pthread_cond_broadcast(&g_workers_cv);
	pthread_mutex_unlock(&g_mu);
}

/* A long job's run on its own thread and connection. */
static void *work(void *arg)
{
	struct worker *w = arg;
	struct store *s = NULL;
	struct vg_error e = {0};
	if (store_open(g_url, 0, &s, &e) == VG_OK) {
		store_set_actor(s, "system", "job");
		if (w->job->run(s, &e))
			vg_warn("job %s: %s", w->job->name, vg_error_msg(&e));
		store_close(s);
	} else {
		vg_warn("job %s: %s", w->job->name, vg_error_msg(&e));
	}
	atomic_store(w->busy, 0);
	free(w);
	worker_gone();
	return NULL;
}

/* Start job j on a thread of its own unless its last run goes on. */
static void start_worker(const struct vg_job *j, atomic_int *busy)
{
	struct worker *w;
	pthread_t t;
	pthread_attr_t attr;
	if (atomic_exchange(busy, 1))
		return; /* still running */
	if (!(w = malloc(sizeof(*w)))) {
		atomic_store(busy, 0);
		return;
	}
	w->job = j;
	w->busy = busy;
	pthread_mutex_lock(&g_mu);
	g_workers++;
	pthread_mutex_unlock(&g_mu);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, work, w) != 0) {
		vg_warn("job %s: cannot start its thread", j->name);
		atomic_store(busy, 0);
		free(w);
		worker_gone();
	}
	pthread_attr_destroy(&attr);
}

/* Run the jobs of tables that are due; *k numbers them across calls (the
 * index into last, their last run, and busy, the flags of the long ones). */
static void run_due(struct store *s, const struct vg_job *const *tables, int64_t *last,
		    atomic_int *busy, int *k, int64_t now)
{
	for (int t = 0; tables && tables[t]; t++)
		for (const struct vg_job *j = tables[t]; j->name; j++, (*k)++) {
			struct vg_error e = {0};
			if (*k < MAX_JOBS && last[*k] && now - last[*k] < j->every)
				continue;
			if (*k < MAX_JOBS)
				last[*k] = now;
			store_set_actor(s, "system", "job");
			if (j->pending) {
				if (*k < MAX_JOBS && !atomic_load(&busy[*k]) && j->pending(s))
					start_worker(j, &busy[*k]);
				continue;
			}
			if (j->run(s, &e))
				vg_warn("job %s: %s", j->name, vg_error_msg(&e));
		}
}

static void *loop(void *arg)
{
	struct store *s = NULL;
	int64_t last[MAX_JOBS] = {0}, last_local[MAX_JOBS] = {0};
	static atomic_int busy[MAX_JOBS], busy_local[MAX_JOBS];
	(void)arg;

	while (!atomic_load(&g_stop)) {
		struct vg_error err = {0};
		struct timespec ts;
		int leader = 0, k = 0;

		if (!s && store_open(g_url, 0, &s, &err)) {
			vg_warn("jobs: %s", vg_error_msg(&err));
			s = NULL;
		}
		if (s && !atomic_load(&g_leader)) {
			if (store_try_leader(s, "vigil.jobs", &leader, &err) == VG_OK && leader) {
				atomic_store(&g_leader, 1);
				vg_info("jobs: this server is the leader");
			} else if (err.code) {
				/* connection lost: reopen next tick */
				store_close(s);
				s = NULL;
			}
		}
		if (s && atomic_load(&g_leader))
			run_due(s, g_tables->leader, last, busy, &k, vg_now());
		if (s) {
			k = 0;
			run_due(s, g_tables->every_server, last_local, busy_local, &k, vg_now());
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += g_tick;
		pthread_mutex_lock(&g_mu);
		if (!atomic_load(&g_stop))
			pthread_cond_timedwait(&g_cv, &g_mu, &ts);
		pthread_mutex_unlock(&g_mu);
	}
	atomic_store(&g_leader, 0);
	store_close(s); /* releases the advisory lock */
	return NULL;
}

int jobs_start(const char *db_url, const struct vg_job_tables *t, int64_t tick,
	       struct vg_error *err)
{
	g_tables = t;
	g_url = strdup(db_url);
	g_tick = tick > 0 ? tick : 10;
	atomic_store(&g_stop, 0);
	if (!g_url || pthread_create(&g_thread, NULL, loop, NULL) != 0) {
		free(g_url);
		g_url = NULL;
		return vg_error_set(err, VG_EINTERNAL, "cannot start the job scheduler");
	}
	g_running = 1;
	return VG_OK;
}

void jobs_stop(void)
{
	if (!g_running)
		return;
	pthread_mutex_lock(&g_mu);
	atomic_store(&g_stop, 1);
	pthread_cond_broadcast(&g_cv);
	pthread_mutex_unlock(&g_mu);
	pthread_join(g_thread, NULL);
	pthread_mutex_lock(&g_mu); /* the long jobs end at their next step */
	while (g_workers > 0)
		pthread_cond_wait(&g_workers_cv, &g_mu);
	pthread_mutex_unlock(&g_mu);
	g_running = 0;
	free(g_url);
	g_url = NULL;
}
