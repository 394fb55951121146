/*
 * test_deadline.c - the one deadline engine on the backend under test:
 * threshold instants (shares from the start, before the due time, offsets),
 * "latest only", alerts fired once each across ticks, restarts and a second
 * connection, a lost claim firing nothing, the record and its marks in one
 * transaction (a failing record stores nothing and emits nothing), a moved
 * due time firing again, forget, and the batched tick over many rows with
 * the candidate query excluding what fired.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/events.h"
#include "core/json.h"
#include "jobs/deadline.h"
#include "store/store.h"
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600

/* Article 14's thresholds: 50/75/90 % of the window, breach after due. */
static const struct deadline_threshold pct[] = {
    {"50%", DEADLINE_FROM_START, 500, 0},
    {"75%", DEADLINE_FROM_START, 750, 0},
    {"90%", DEADLINE_FROM_START, 900, 0},
    {"breach", DEADLINE_FROM_START, 1000, 1},
};

/* The SLA's: the last quarter, and the due time itself, latest only. */
static const struct deadline_threshold sla[] = {
    {"warning", DEADLINE_BEFORE_DUE, 250, 0},
    {"breached", DEADLINE_BEFORE_DUE, 0, 0},
};

static int records, fail_record, skip_audit;
static char seen[2048][48];
static int nseen;

static int record(struct store *s, const struct deadline_clock *c, const struct deadline_item *it,
		  int64_t now, void *arg, struct vg_error *err)
{
	char oid[32];
	json_t *after;
	int rc;

	(void)arg;
	records++;
	if (fail_record)
		return vg_error_set(err, VG_EINVAL, "record refused");
	if (skip_audit)
		return VG_OK;
	snprintf(oid, sizeof(oid), "%lld", (long long)it->subject);
	after = json_pack("{s:s, s:I, s:I}", "clock", c->name, "fired", (json_int_t)it->fired, "at",
			  (json_int_t)now);
	rc = store_audit(s, "test.alert", "thing", oid, NULL, after, err);
	json_decref(after);
	return rc;
}

static json_t *event(const struct deadline_clock *c, const struct deadline_item *it, int i,
		     int64_t now, const char **name, void *arg)
{
	(void)now;
	(void)arg;
	*name = strcmp(c->thresholds[i].name, "breach") == 0 ? "test.breached" : "test.warning";
	return json_pack("{s:I, s:s}", "subject", (json_int_t)it->subject, "threshold",
			 c->thresholds[i].name);
}

static const struct deadline_clock clk = {
    .name = "test.pct", .thresholds = pct, .nthresholds = 4, .record = record, .event = event};
static const struct deadline_clock clk_sla = {.name = "test.sla",
					      .thresholds = sla,
					      .nthresholds = 2,
					      .flags = DEADLINE_LATEST_ONLY,
					      .record = record,
					      .event = event};

static int collect(struct store *s, const char *name, const json_t *p, void *arg)
{
	(void)s;
	(void)arg;
	if (nseen < 2048 && strncmp(name, "test.", 5) == 0)
		snprintf(seen[nseen++], sizeof(seen[0]), "%lld %s",
			 (long long)vg_json_int(p, "subject", 0), vg_json_str(p, "threshold"));
	return VG_OK;
}

struct fx {
	char *url;
	struct store *s;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	if (!f)
		return -1;
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "store_open %s: %s\n", f->url, err.msg);
		return -1;
	}
	store_set_actor(f->s, "system", "test");
	vg_event_reset();
	vg_event_subscribe("*", "test.collect", collect, NULL);
	nseen = records = fail_record = skip_audit = 0;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	testdb_drop(f->url);
	free(f);
	vg_event_reset();
	return 0;
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;
	struct vg_error err = {0};
	if (store_query_int64(s, &n, &err, sql, NULL) != VG_OK)
		fail_msg("%s: %s", sql, err.msg);
	return n;
}

/* ---- pure ---- */

static void test_thresholds(void **state)
{
	const int64_t a = 1000000, due = a + 24 * HOUR;
	static const struct deadline_threshold abs[] = {
	    {"reminder", DEADLINE_BEFORE_DUE, 0, -30 * 86400},
	    {"soon", DEADLINE_FROM_START, 0, 3600},
	};
	const struct deadline_clock c_abs = {
	    .name = "test.abs", .thresholds = abs, .nthresholds = 2, .record = record};
	(void)state;

	assert_int_equal(deadline_threshold_at(&clk, 0, a, due), a + 12 * HOUR);
	/* 90 % of 24 h is 21 h 36 m, floored to the second */
	assert_int_equal(deadline_threshold_at(&clk, 2, a, due), a + 21 * HOUR + 36 * 60);
	assert_int_equal(deadline_threshold_at(&clk, 3, a, due), due + 1);
	assert_int_equal(deadline_due(&clk, a, due, a + 12 * HOUR - 1), 0);
	assert_int_equal(deadline_due(&clk, a, due, a + 12 * HOUR), 1);
	assert_int_equal(deadline_due(&clk, a, due, a + 18 * HOUR), 3);
	assert_int_equal(deadline_due(&clk, a, due, due), 7);
	assert_int_equal(deadline_due(&clk, a, due, due + 1), 15);
	assert_int_equal(deadline_due(&clk, 0, 0, due), 0); /* undetermined */

	/* SLA: the last quarter starts at due - window / 4 (floored) */
	assert_int_equal(deadline_threshold_at(&clk_sla, 0, a, a + 5), a + 5 - 1);
	assert_int_equal(deadline_due(&clk_sla, a, a + 100, a + 74), 0);
	assert_int_equal(deadline_due(&clk_sla, a, a + 100, a + 75), 1);
	/* latest only: at the due time the breach alone */
	assert_int_equal(deadline_due(&clk_sla, a, a + 100, a + 100), 2);

	/* absolute offsets */
	assert_int_equal(deadline_threshold_at(&c_abs, 0, a, a + 365 * 86400), a + 335 * 86400);
	assert_int_equal(deadline_threshold_at(&c_abs, 1, a, a + 365 * 86400), a + 3600);
	assert_int_equal(deadline_threshold_index(&clk, "90%"), 2);
	assert_int_equal(deadline_threshold_index(&clk, "95%"), -1);
}

/* ---- with a database ---- */

static void test_fires_once(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	struct deadline_stats st = {0};
	const int64_t a = 1000000, due = a + 24 * HOUR;
	struct deadline_item it[2] = {{.subject = 7, .starts_at = a, .due_at = due},
				      {.subject = 8, .starts_at = 0, .due_at = 0}};
	unsigned mask = 0;
	struct store *other = NULL;

	assert_int_equal(deadline_fire(f->s, &clk, it, 2, a + 18 * HOUR, NULL, &st, &err), VG_OK);
	assert_int_equal(it[0].fired, 3);
	assert_int_equal(it[1].fired, 0);
	assert_int_equal(st.fired, 2);
	assert_int_equal(nseen, 2);
	assert_string_equal(seen[0], "7 50%");
	assert_string_equal(seen[1], "7 75%");
	assert_int_equal(records, 1);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'test.alert'"),
			 1);

	/* the same instant again: nothing new, no transaction, no record */
	assert_int_equal(deadline_fire(f->s, &clk, it, 2, a + 18 * HOUR, NULL, &st, &err), VG_OK);
	assert_int_equal(it[0].fired, 0);
	assert_int_equal(records, 1);
	assert_int_equal(nseen, 2);

	/* a restart (another connection, as another server would be) sees them fired */
	assert_int_equal(store_open(f->url, 0, &other, &err), VG_OK);
	assert_int_equal(deadline_fired(other, &clk, 7, due, &mask, &err), VG_OK);
	assert_int_equal(mask, 3);
	assert_int_equal(deadline_fire(other, &clk, it, 2, due + 1, NULL, &st, &err), VG_OK);
	store_close(other);
	assert_int_equal(it[0].fired, 12);
	assert_int_equal(nseen, 4);
	assert_string_equal(seen[2], "7 90%");
	assert_string_equal(seen[3], "7 breach");
	assert_int_equal(st.fired, 4);
	assert_int_equal(st.by_threshold[3], 1);
	assert_int_equal(deadline_fire(f->s, &clk, it, 2, due + 3600, NULL, NULL, &err), VG_OK);
	assert_int_equal(nseen, 4);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM deadline_fired"), 4);

	/* a tick is not run inside another transaction */
	assert_int_equal(store_tx_begin(f->s, &err), VG_OK);
	assert_int_equal(deadline_fire(f->s, &clk, it, 2, due, NULL, NULL, &err), VG_ESTATE);
	store_tx_rollback(f->s);
}

static void test_lost_claim(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	const int64_t a = 1000000, due = a + 100;
	/* both look unfired before the transaction; the second claim finds the
	 * first's mark (as a second server would) and fires nothing */
	struct deadline_item it[2] = {{.subject = 3, .starts_at = a, .due_at = due},
				      {.subject = 3, .starts_at = a, .due_at = due}};

	assert_int_equal(deadline_fire(f->s, &clk, it, 2, a + 50, NULL, NULL, &err), VG_OK);
	assert_int_equal(it[0].fired, 1);
	assert_int_equal(it[1].fired, 0);
	assert_int_equal(nseen, 1);
	assert_int_equal(records, 1);
}

static void test_record_and_marks_together(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	const int64_t a = 1000000, due = a + 100;
	struct deadline_item it = {.subject = 5, .starts_at = a, .due_at = due};

	fail_record = 1;
	assert_int_equal(deadline_fire(f->s, &clk, &it, 1, due + 1, NULL, NULL, &err), VG_EINVAL);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM deadline_fired"), 0);
	assert_int_equal(nseen, 0);
	assert_int_equal(store_in_tx(f->s), 0);
	fail_record = 0;
	skip_audit = 1; /* marks without their record are refused by the store */
	assert_int_equal(deadline_fire(f->s, &clk, &it, 1, due + 1, NULL, NULL, &err), VG_EAUDIT);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM deadline_fired"), 0);
	assert_int_equal(nseen, 0);
	skip_audit = 0;
	assert_int_equal(deadline_fire(f->s, &clk, &it, 1, due + 1, NULL, NULL, &err), VG_OK);
	assert_int_equal(nseen, 4);
}

static void test_moved_due_and_forget(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	const int64_t a = 1000000;
	struct deadline_item it = {.subject = 9, .starts_at = a, .due_at = a + 100};
	unsigned mask = 0;

	assert_int_equal(deadline_fire(f->s, &clk_sla, &it, 1, a + 80, NULL, NULL, &err), VG_OK);
	assert_int_equal(it.fired, 1);
	/* latest only: at the due time the breach, the warning is not repeated */
	assert_int_equal(deadline_fire(f->s, &clk_sla, &it, 1, a + 100, NULL, NULL, &err), VG_OK);
	assert_int_equal(it.fired, 2);
	/* a moved due time is a new deadline */
	it.due_at = a + 200;
	assert_int_equal(deadline_fire(f->s, &clk_sla, &it, 1, a + 160, NULL, NULL, &err), VG_OK);
	assert_int_equal(it.fired, 1);
	assert_int_equal(deadline_fired(f->s, &clk_sla, 9, a + 100, &mask, &err), VG_OK);
	assert_int_equal(mask, 3);
	assert_int_equal(deadline_fired(f->s, &clk_sla, 9, a + 200, &mask, &err), VG_OK);
	assert_int_equal(mask, 1);
	/* another clock on the same subject is another deadline */
	assert_int_equal(deadline_fired(f->s, &clk, 9, a + 200, &mask, &err), VG_OK);
	assert_int_equal(mask, 0);

	/* forget: a restarted clock with the same due time alerts again */
	assert_int_equal(store_tx_begin(f->s, &err), VG_OK);
	assert_int_equal(deadline_forget(f->s, &clk_sla, 9, &err), VG_OK);
	assert_int_equal(store_audit(f->s, "test.restart", "thing", "9", NULL, NULL, &err), VG_OK);
	assert_int_equal(store_tx_commit(f->s, &err), VG_OK);
	assert_int_equal(deadline_fire(f->s, &clk_sla, &it, 1, a + 160, NULL, NULL, &err), VG_OK);
	assert_int_equal(it.fired, 1);
	assert_int_equal(nseen, 4);
}

/* ---- the batched tick over a room's table (any table with stored due
 * times will do: the cases' acknowledgement times here) ---- */

#define NROWS 1203

struct trow {
	int64_t id;
};

static int fetches, fetched;

static void row_free(void *row)
{
	free(row);
}

static int fetch(struct store *s, int64_t after, int64_t now, size_t max, struct deadline_batch *b,
		 void *arg, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	(void)arg;
	fetches++;
	/* candidates: the level due now has not fired (one index probe a row) */
	rc = store_prepare(
	    s,
	    "SELECT id, received_at, ack_due_at FROM psirt_cases c WHERE id > ? AND "
	    "ack_due_at - (ack_due_at - received_at) / 4 <= ? AND " DEADLINE_SQL_NOT_FIRED(
		"c.id", "c.ack_due_at",
		"CASE WHEN c.ack_due_at <= ? THEN 'breached' ELSE 'warning' "
		"END") " ORDER BY id LIMIT ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, after);
	store_bind_int64(st, 2, now);
	store_bind_text(st, 3, "test.sla");
	store_bind_int64(st, 4, now);
	store_bind_int64(st, 5, (int64_t)max);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct trow *r = malloc(sizeof(*r));
		if (!r) {
			rc = VG_ENOMEM;
			break;
		}
		r->id = store_col_int64(st, 0);
		fetched++;
		rc = deadline_batch_add(b, NULL, r->id, store_col_int64(st, 1),
					store_col_int64(st, 2), r);
		if (rc)
			break;
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

static void test_batched_tick(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	struct deadline_stats st;
	struct deadline_clock c = clk_sla;
	const int64_t a = 1000000;
	int rc;

	c.row_free = row_free;
	assert_int_equal(store_tx_begin(f->s, &err), VG_OK);
	/* rows 1..NROWS: the odd ones are due at a + 100, the even at a + 1000 */
	for (int64_t i = 1; i <= NROWS; i++) {
		rc = store_exec(
		    f->s, &err,
		    "INSERT INTO psirt_cases (id, state, title, source, received_at, "
		    "ack_due_at, updated_at) VALUES (?, 'received', 't', 'cli', ?, ?, ?)",
		    "iiii", i, a, a + (i % 2 ? 100 : 1000), a);
		assert_int_equal(rc, VG_OK);
	}
	assert_int_equal(store_audit(f->s, "test.rows", "thing", "rows", NULL, NULL, &err), VG_OK);
	assert_int_equal(store_tx_commit(f->s, &err), VG_OK);

	/* before any window's last quarter: one fetch, nothing */
	assert_int_equal(deadline_tick(f->s, &c, fetch, NULL, a + 10, &st, &err), VG_OK);
	assert_int_equal(st.fired, 0);
	assert_int_equal(fetches, 1);

	/* the odd rows warn: pages of DEADLINE_BATCH */
	fetches = fetched = 0;
	assert_int_equal(deadline_tick(f->s, &c, fetch, NULL, a + 80, &st, &err), VG_OK);
	assert_int_equal(st.fired, (NROWS + 1) / 2);
	assert_int_equal(st.by_threshold[0], (NROWS + 1) / 2);
	assert_int_equal(fetches, 2);
	assert_int_equal(nseen, (NROWS + 1) / 2);
	/* again: the candidate query finds nothing left to do */
	fetches = fetched = 0;
	assert_int_equal(deadline_tick(f->s, &c, fetch, NULL, a + 90, &st, &err), VG_OK);
	assert_int_equal(st.fired, 0);
	assert_int_equal(fetched, 0);

	/* everything past due: each row breaches once, odd ones skip nothing */
	fetches = fetched = 0;
	assert_int_equal(deadline_tick(f->s, &c, fetch, NULL, a + 5000, &st, &err), VG_OK);
	assert_int_equal(st.fired, NROWS);
	assert_int_equal(st.by_threshold[1], NROWS);
	assert_int_equal(fetches, 3);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM deadline_fired WHERE clock = "
				     "'test.sla'"),
			 NROWS + (NROWS + 1) / 2);
	fetches = fetched = 0;
	assert_int_equal(deadline_tick(f->s, &c, fetch, NULL, a + 6000, &st, &err), VG_OK);
	assert_int_equal(st.fired, 0);
	assert_int_equal(fetched, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thresholds),
	    cmocka_unit_test_setup_teardown(test_fires_once, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_lost_claim, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_record_and_marks_together, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_moved_due_and_forget, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_batched_tick, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
