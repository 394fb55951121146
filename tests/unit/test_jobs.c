/*
 * test_jobs.c - the job scheduler (src/jobs/jobs.c): a long job
 * (vg_job.pending) runs on a thread of its own, so the quick jobs go on
 * ticking while it lasts; it is started only when pending() says so, one
 * run at a time; jobs_stop() waits for it and jobs_stopping() tells it to
 * end.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "testdb.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_int quick_runs, long_runs, long_live, long_max_live, asked, work;

static int quick(struct store *s, struct vg_error *err)
{
	(void)s;
	(void)err;
	atomic_fetch_add(&quick_runs, 1);
	return VG_OK;
}

static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Runs until told to stop (or 20 s), counting how many run at once. */
static int slow(struct store *s, struct vg_error *err)
{
	int live = atomic_fetch_add(&long_live, 1) + 1;
	(void)err;
	assert_non_null(s); /* a connection of its own */
	if (live > atomic_load(&long_max_live))
		atomic_store(&long_max_live, live);
	atomic_fetch_add(&long_runs, 1);
	for (int i = 0; i < 2000 && !jobs_stopping() && atomic_load(&work); i++)
		nap(10);
	atomic_fetch_sub(&long_live, 1);
	return VG_OK;
}

static int slow_pending(struct store *s)
{
	(void)s;
	atomic_fetch_add(&asked, 1);
	return atomic_load(&work);
}

static const struct vg_job leader_jobs[] = {
    {"test.quick", 1, quick, NULL},
    {"test.slow", 1, slow, slow_pending},
    {NULL, 0, NULL, NULL},
};
static const struct vg_job *const leader_tables[] = {leader_jobs, NULL};
static const struct vg_job *const no_tables[] = {NULL};
static const struct vg_job_tables tables = {leader_tables, no_tables};

/* wait up to 15 s for *v to reach n */
static int reaches(atomic_int *v, int n)
{
	for (int i = 0; i < 1500; i++) {
		if (atomic_load(v) >= n)
			return 1;
		nap(10);
	}
	return 0;
}

static void test_long_job_on_its_own_thread(void **state)
{
	char *url = testdb_fresh();
	struct store *s = NULL;
	struct vg_error err = {0};
	int q;
	(void)state;
	assert_int_equal(store_open(url, 1, &s, &err), VG_OK); /* the schema */
	store_close(s);

	/* nothing pending: asked, never started */
	atomic_store(&work, 0);
	assert_int_equal(jobs_start(url, &tables, 1, &err), VG_OK);
	assert_true(reaches(&asked, 2));
	assert_int_equal(atomic_load(&long_runs), 0);

	/* pending: it starts, and the quick job keeps its pace meanwhile */
	atomic_store(&work, 1);
	assert_true(reaches(&long_runs, 1));
	q = atomic_load(&quick_runs);
	assert_true(reaches(&quick_runs, q + 3)); /* three ticks while it runs */
	assert_int_equal(atomic_load(&long_live), 1);
	assert_int_equal(atomic_load(&long_max_live), 1); /* one run at a time */
	assert_int_equal(atomic_load(&long_runs), 1);

	/* stopping: jobs_stopping() ends it, jobs_stop() waits for it */
	jobs_stop();
	assert_true(jobs_stopping());
	assert_int_equal(atomic_load(&long_live), 0);
	testdb_drop(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_long_job_on_its_own_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
