/*
 * test_outbox.c - durable events (core/events.h, store/outbox.c): an event
 * recorded in a transaction that rolls back never happened; one whose
 * subscribers all succeed leaves nothing; a subscriber that fails is called
 * again by store_event_redeliver() once its pause is over, the others are
 * not; an event recorded but never delivered (the process died after the
 * commit) reaches every subscriber after the grace. Also the sticky
 * out-of-memory of struct vg_buf, which the fault walk relies on.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/events.h"
#include "core/json.h"
#include "store/store.h"
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	char *url;
	struct store *s;
};

static int calls_a, calls_b, fail_b;
static char last_payload[256];

static int sub_a(struct store *s, const char *name, const json_t *p, void *arg)
{
	(void)s;
	(void)name;
	(void)arg;
	calls_a++;
	snprintf(last_payload, sizeof(last_payload), "%s", vg_json_str(p, "what"));
	return VG_OK;
}

static int sub_b(struct store *s, const char *name, const json_t *p, void *arg)
{
	(void)s;
	(void)name;
	(void)p;
	(void)arg;
	calls_b++;
	return fail_b ? VG_EDB : VG_OK;
}

static void at(const char *t)
{
	setenv("VIGIL_NOW", t, 1);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	at("2026-06-01T00:00:00Z");
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "%s\n", vg_error_msg(&err));
		return -1;
	}
	store_set_actor(f->s, "tester", "local");
	vg_event_reset();
	assert_int_equal(vg_event_subscribe("thing.done", "test.a", sub_a, NULL), VG_OK);
	assert_int_equal(vg_event_subscribe("*", "test.b", sub_b, NULL), VG_OK);
	calls_a = calls_b = fail_b = 0;
	last_payload[0] = '\0';
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	vg_event_reset();
	store_close(f->s);
	testdb_drop(f->url);
	free(f);
	unsetenv("VIGIL_NOW");
	return 0;
}

static int64_t outbox_rows(struct store *s)
{
	int64_t n = -1;
	struct vg_error err = {0};
	assert_int_equal(store_query_int64(s, &n, &err, "SELECT COUNT(*) FROM event_outbox", NULL),
			 VG_OK);
	return n;
}

/* One audited transaction that records thing.done; committed or not. */
static int64_t record(struct store *s, const char *what, int commit)
{
	struct vg_error err = {0};
	json_t *p = json_pack("{s:s}", "what", what);
	int64_t id = 0;
	assert_int_equal(store_tx_begin(s, &err), VG_OK);
	assert_int_equal(store_audit(s, "thing.do", "thing", what, NULL, p, &err), VG_OK);
	assert_int_equal(store_event_record(s, "thing.done", p, &id, &err), VG_OK);
	assert_true(id > 0);
	if (commit)
		assert_int_equal(store_tx_commit(s, &err), VG_OK);
	else
		store_tx_rollback(s);
	json_decref(p);
	return id;
}

static void test_rolled_back_never_happened(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	long n = -1;
	json_t *p = json_pack("{s:s}", "what", "x");

	record(f->s, "x", 0);
	assert_int_equal(outbox_rows(f->s), 0);
	at("2026-06-02T00:00:00Z");
	assert_int_equal(store_event_redeliver(f->s, vg_now(), 100, &n, &err), VG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(calls_a + calls_b, 0);
	/* outside a transaction: refused, nothing kept */
	{
		int64_t id = 0;
		assert_int_equal(store_event_record(f->s, "thing.done", p, &id, &err),
				 VG_EINTERNAL);
	}
	json_decref(p);
}

static void test_delivered_leaves_nothing(void **state)
{
	struct fx *f = *state;
	json_t *p = json_pack("{s:s}", "what", "built");
	int64_t id = record(f->s, "built", 1);

	assert_int_equal(outbox_rows(f->s), 1);
	store_event_deliver(f->s, id, "thing.done", p);
	assert_int_equal(calls_a, 1);
	assert_int_equal(calls_b, 1);
	assert_string_equal(last_payload, "built");
	assert_int_equal(outbox_rows(f->s), 0);
	json_decref(p);
}

static void test_failed_subscriber_called_again(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	json_t *p = json_pack("{s:s}", "what", "retry");
	char *pending = NULL;
	int64_t id = record(f->s, "retry", 1), attempts = 0;
	long n = -1;

	fail_b = 1;
	store_event_deliver(f->s, id, "thing.done", p);
	assert_int_equal(calls_a, 1);
	assert_int_equal(calls_b, 1);
	assert_int_equal(store_query_text(f->s, &pending, &err,
					  "SELECT pending FROM event_outbox WHERE id = ?", "i", id),
			 VG_OK);
	assert_string_equal(pending, "[\"test.b\"]");
	free(pending);
	assert_int_equal(store_query_int64(f->s, &attempts, &err,
					   "SELECT attempts FROM event_outbox WHERE id = ?", "i",
					   id),
			 VG_OK);
	assert_int_equal(attempts, 1);

	/* within the pause: not yet */
	assert_int_equal(store_event_redeliver(f->s, vg_now() + 30, 100, &n, &err), VG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(calls_b, 1);
	/* still failing after the pause: kept, attempts counted, pause longer */
	assert_int_equal(store_event_redeliver(f->s, vg_now() + 61, 100, &n, &err), VG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(calls_b, 2);
	assert_int_equal(calls_a, 1); /* the one that succeeded is not called again */
	assert_int_equal(store_query_int64(f->s, &attempts, &err,
					   "SELECT attempts FROM event_outbox WHERE id = ?", "i",
					   id),
			 VG_OK);
	assert_int_equal(attempts, 2);
	/* it works again: delivered, forgotten */
	fail_b = 0;
	assert_int_equal(store_event_redeliver(f->s, vg_now() + 3600, 100, &n, &err), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(calls_b, 3);
	assert_int_equal(calls_a, 1);
	assert_int_equal(outbox_rows(f->s), 0);
	json_decref(p);
}

static void test_never_delivered_after_grace(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	long n = -1;

	/* committed, then the process "died" before store_event_deliver() */
	record(f->s, "orphan", 1);
	assert_int_equal(store_event_redeliver(f->s, vg_now() + 10, 100, &n, &err), VG_OK);
	assert_int_equal(n, 0); /* the emitter may still be delivering it */
	assert_int_equal(calls_a + calls_b, 0);
	assert_int_equal(store_event_job(f->s, &err), VG_OK); /* now: still in the grace */
	assert_int_equal(calls_a + calls_b, 0);
	at("2026-06-01T00:10:00Z");
	assert_int_equal(store_event_job(f->s, &err), VG_OK);
	assert_int_equal(calls_a, 1);
	assert_int_equal(calls_b, 1);
	assert_string_equal(last_payload, "orphan");
	assert_int_equal(outbox_rows(f->s), 0);
}

static void test_no_subscriber_nothing_kept(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	json_t *p = json_pack("{}");
	int64_t id = -1;
	vg_event_reset();
	assert_int_equal(store_tx_begin(f->s, &err), VG_OK);
	assert_int_equal(store_event_record(f->s, "nobody.listens", p, &id, &err), VG_OK);
	assert_int_equal(id, 0);
	assert_int_equal(store_tx_commit(f->s, &err), VG_OK);
	assert_int_equal(outbox_rows(f->s), 0);
	json_decref(p);
}

static void test_buf_failure_is_sticky(void **state)
{
	struct vg_buf b = VG_BUF_INIT;
	(void)state;
	/* a failure is simulated the way grow() records one */
	assert_int_equal(vg_buf_adds(&b, "SELECT 1 WHERE x IN ("), VG_OK);
	free(b.data);
	b.data = NULL;
	b.len = b.cap = 0;
	b.failed = VG_ENOMEM;
	assert_int_equal(vg_buf_adds(&b, "?)"), VG_ENOMEM);
	assert_null(b.data);
	assert_int_equal(vg_buf_failed(&b), VG_ENOMEM);
	assert_null(vg_buf_detach(&b, NULL));
	/* detached: a fresh buffer again */
	assert_int_equal(vg_buf_adds(&b, "ok"), VG_OK);
	assert_string_equal(b.data, "ok");
	vg_buf_release(&b);
	{
		struct vg_buf e = VG_BUF_INIT;
		char *d = vg_buf_detach(&e, NULL); /* empty, not failed: "" */
		assert_non_null(d);
		assert_string_equal(d, "");
		free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_rolled_back_never_happened, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_delivered_leaves_nothing, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_failed_subscriber_called_again, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_never_delivered_after_grace, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_no_subscriber_nothing_kept, fx_setup, fx_teardown),
	    cmocka_unit_test(test_buf_failure_is_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
