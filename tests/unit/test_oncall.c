/*
 * test_oncall.c - on-call paging: who is on call across hand-overs and the
 * DST changes of Europe/Berlin (the hand-over stays at local 09:00), time
 * zone names, and escalation timing with VIGIL_NOW moved: level 2 after the
 * wait of level 1, the lead after level 2, repeats up to the limit, then
 * exhausted; acknowledgement by id and by link token; drills pass and fail.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/clock.h"
#include "core/events.h"
#include "core/json.h"
#include "notify/notify.h"
#include "reach/oncall.h"
#include "store/store.h"
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t T(const char *s)
{
	int64_t t = 0;
	struct vg_error err = {0};
	if (vg_time_parse(s, &t, &err) != VG_OK)
		fail_msg("bad time %s: %s", s, err.msg);
	return t;
}

static void at(const char *s)
{
	setenv("VIGIL_NOW", s, 1);
}

/* Berlin, hand-over Monday 09:00 local, 3 people, first shift from Monday
 * 2026-03-02 09:00 CET (08:00Z). */
static const struct oncall_rotation berlin = {"Europe/Berlin", 1772438400, 1, 9, 3};

static int64_t who(const struct oncall_rotation *r, const char *t, int64_t *begins, int64_t *ends)
{
	struct vg_error err = {0};
	int64_t idx = -1;
	assert_int_equal(oncall_shift_at(r, T(t), &idx, begins, ends, &err), VG_OK);
	return idx % (int64_t)r->nmembers;
}

static void test_handover_and_dst(void **state)
{
	int64_t b = 0, e = 0;
	(void)state;
	assert_int_equal(berlin.start, T("2026-03-02T08:00:00Z"));
	/* first week: member 0 until Monday 9 March 09:00 CET */
	assert_int_equal(who(&berlin, "2026-03-02T08:00:00Z", &b, &e), 0);
	assert_int_equal(b, T("2026-03-02T08:00:00Z"));
	assert_int_equal(e, T("2026-03-09T08:00:00Z"));
	assert_int_equal(who(&berlin, "2026-03-09T07:59:59Z", &b, &e), 0);
	assert_int_equal(who(&berlin, "2026-03-09T08:00:00Z", &b, &e), 1);
	assert_int_equal(who(&berlin, "2026-03-16T08:00:00Z", &b, &e), 2);
	assert_int_equal(who(&berlin, "2026-03-23T08:00:00Z", &b, &e), 0);
	/* DST starts Sunday 29 March: Monday 30 March 09:00 CEST is 07:00Z, so
	 * at 07:30Z the hand-over has happened (a UTC-weekly rota would say no) */
	assert_int_equal(who(&berlin, "2026-03-30T06:59:59Z", &b, &e), 0);
	assert_int_equal(e, T("2026-03-30T07:00:00Z"));
	assert_int_equal(who(&berlin, "2026-03-30T07:30:00Z", &b, &e), 1);
	assert_int_equal(b, T("2026-03-30T07:00:00Z"));
	assert_int_equal(e, T("2026-04-06T07:00:00Z"));
	/* this shift was one hour shorter than a week */
	assert_int_equal(T("2026-03-30T07:00:00Z") - T("2026-03-23T08:00:00Z"), 7 * 86400 - 3600);
	/* DST ends Sunday 25 October: Monday 26 October 09:00 CET is 08:00Z */
	who(&berlin, "2026-10-26T07:30:00Z", &b, &e);
	assert_int_equal(e, T("2026-10-26T08:00:00Z"));
	assert_int_equal(b, T("2026-10-19T07:00:00Z"));
	/* many weeks later the count is still exact: 2027-03-01 is week 52 */
	assert_int_equal(who(&berlin, "2027-03-01T08:00:00Z", &b, &e), 52 % 3);
	assert_int_equal(who(&berlin, "2027-03-01T07:59:00Z", &b, &e), 51 % 3);
}

static void test_start_midweek_and_before(void **state)
{
	struct oncall_rotation r = {"America/New_York", 0, 3, 17, 2}; /* Wednesday 17:00 */
	struct vg_error err = {0};
	int64_t idx, b, e;
	(void)state;
	r.start = T("2026-01-05T12:00:00Z"); /* Monday 07:00 EST */
	assert_int_equal(oncall_shift_at(&r, T("2026-01-05T11:00:00Z"), &idx, &b, &e, &err),
			 VG_ENOTFOUND);
	assert_int_equal(who(&r, "2026-01-06T00:00:00Z", &b, &e), 0);
	/* the first hand-over is the first Wednesday 17:00 EST after the start */
	assert_int_equal(e, T("2026-01-07T22:00:00Z"));
	assert_int_equal(who(&r, "2026-01-07T22:00:00Z", &b, &e), 1);
	/* US DST starts 8 March 2026: Wednesday 11 March 17:00 EDT = 21:00Z */
	assert_int_equal(who(&r, "2026-03-11T21:30:00Z", &b, &e), 0);
	assert_int_equal(b, T("2026-03-11T21:00:00Z"));
	/* empty rotation and bad zone */
	r.nmembers = 0;
	assert_int_equal(oncall_shift_at(&r, T("2026-03-11T21:30:00Z"), &idx, &b, &e, &err),
			 VG_EINVAL);
	r.nmembers = 2;
	r.tz = "Mars/Olympus";
	assert_int_equal(oncall_shift_at(&r, T("2026-03-11T21:30:00Z"), &idx, &b, &e, &err),
			 VG_EINVAL);
}

static void test_tz_names(void **state)
{
	struct vg_error err = {0};
	int64_t t = 0;
	int y, mo, d, h, wd;
	(void)state;
	assert_true(oncall_tz_valid("Europe/Berlin"));
	assert_true(oncall_tz_valid("UTC"));
	assert_false(oncall_tz_valid(""));
	assert_false(oncall_tz_valid("../../etc/passwd"));
	assert_false(oncall_tz_valid("/usr/share/zoneinfo/UTC"));
	assert_false(oncall_tz_valid("Europe/Berlin; rm"));
	assert_false(oncall_tz_valid("Europe"));
	/* 02:30 on 29 March 2026 does not exist in Berlin: normalised forward */
	assert_int_equal(oncall_local_to_utc("Europe/Berlin", 2026, 3, 29, 2, 30, &t, &err), VG_OK);
	assert_int_equal(t, T("2026-03-29T01:30:00Z"));
	assert_int_equal(oncall_utc_to_local("Europe/Berlin", T("2026-07-01T22:30:00Z"), &y, &mo,
					     &d, &h, &wd, &err),
			 VG_OK);
	assert_int_equal(d, 2);
	assert_int_equal(h, 0);
	assert_int_equal(wd, 4);
	/* TZ of the process is put back (UTC0 when it was unset) */
	assert_string_equal(getenv("TZ"), "UTC0");
	setenv("TZ", "Asia/Tokyo", 1);
	assert_int_equal(oncall_local_to_utc("Europe/Berlin", 2026, 1, 1, 0, 0, &t, &err), VG_OK);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	unsetenv("TZ");
	assert_int_equal(oncall_wday_parse("Mon"), 1);
	assert_int_equal(oncall_wday_parse("sunday"), 0);
	assert_int_equal(oncall_wday_parse("6"), 6);
	assert_int_equal(oncall_wday_parse("7"), -1);
	assert_int_equal(oncall_wday_parse("funday"), -1);
}

/* ---- escalation on a database ---- */

struct fx {
	char *url;
	struct store *s;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	json_t *cfg;
	static const struct oncall_level levels[] = {
	    {"rotation", "primary", "l1", 15},
	    {"rotation", "secondary", "l2", 10},
	    {"person", "lena", NULL, 5},
	};
	if (!f)
		return -1;
	unsetenv("TZ");
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "store_open %s: %s\n", f->url, err.msg);
		return -1;
	}
	store_set_actor(f->s, "alice", "test");
	vg_event_reset();
	at("2026-06-01T00:00:00Z");
	const char *chans[] = {"l1", "l2", "lead"};
	for (int i = 0; i < 3; i++) {
		char u[64];
		snprintf(u, sizeof(u), "http://127.0.0.1:9/%s", chans[i]);
		cfg = json_pack("{s:s}", "url", u);
		if (notify_channel_add(f->s, chans[i], "webhook", cfg, &err))
			fail_msg("channel: %s", err.msg);
		json_decref(cfg);
	}
	if (oncall_person_add(f->s, "ann", NULL, NULL, &err) ||
	    oncall_person_add(f->s, "ben", "ben", NULL, &err) ||
	    oncall_person_add(f->s, "lena", NULL, "lead", &err) ||
	    oncall_rotation_add(f->s, "primary", "Europe/Berlin", T("2026-03-02T08:00:00Z"), 1, 9,
				"ann,ben", &err) ||
	    oncall_rotation_add(f->s, "secondary", "Europe/Berlin", T("2026-03-02T08:00:00Z"), 1, 9,
				"ben,ann", &err))
		fail_msg("set-up: %s", err.msg);
	if (oncall_policy_add(f->s, "default", levels, 3, 2, &err))
		fail_msg("policy: %s", err.msg);
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
	unsetenv("VIGIL_NOW");
	return 0;
}

static int64_t deliveries(struct store *s, const char *channel)
{
	int64_t n = -1;
	struct vg_error err = {0};
	if (store_query_int64(s, &n, &err,
			      "SELECT COUNT(*) FROM notify_deliveries d JOIN notify_channels c ON "
			      "c.id = d.channel_id WHERE c.name = ? AND d.event = 'oncall.page'",
			      "t", channel))
		fail_msg("%s", err.msg);
	return n;
}

static int tick(struct store *s, const char *t)
{
	struct vg_error err = {0};
	int paged = -1;
	at(t);
	if (oncall_tick(s, &paged, &err))
		fail_msg("tick at %s: %s", t, err.msg);
	return paged;
}

static void test_escalation_timing(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	const struct oncall_level bad = {"rotation", "missing", NULL, 15};
	json_t *pj;
	struct vg_arena mem;
	struct oncall_page p;
	int64_t id = 0;
	int created = 0;

	at("2026-06-01T10:00:00Z");
	assert_int_equal(oncall_page(f->s, NULL, "CVE-2026-1 exploited", "critical", "cli", NULL, 0,
				     &id, &created, &err),
			 VG_OK);
	assert_int_equal(created, 1);
	assert_int_equal(deliveries(f->s, "l1"), 1);
	assert_int_equal(tick(f->s, "2026-06-01T10:14:59Z"), 0);
	assert_int_equal(deliveries(f->s, "l2"), 0);
	assert_int_equal(tick(f->s, "2026-06-01T10:15:00Z"), 1);
	assert_int_equal(deliveries(f->s, "l2"), 1);
	assert_int_equal(tick(f->s, "2026-06-01T10:20:00Z"), 0);
	/* level 2 waits 10 minutes, then the lead (her own channel) */
	assert_int_equal(tick(f->s, "2026-06-01T10:25:00Z"), 1);
	assert_int_equal(deliveries(f->s, "lead"), 1);
	/* round 2 starts 5 minutes later; a jump of an hour catches up every
	 * level of round 2, then the page is exhausted (repeat limit 2) */
	assert_int_equal(tick(f->s, "2026-06-01T11:30:00Z"), 3);
	assert_int_equal(deliveries(f->s, "l1"), 2);
	assert_int_equal(deliveries(f->s, "l2"), 2);
	assert_int_equal(deliveries(f->s, "lead"), 2);
	vg_arena_init(&mem, 0);
	assert_int_equal(oncall_page_get(f->s, id, &mem, &p, &err), VG_OK);
	assert_string_equal(p.status, "exhausted");
	assert_int_equal(p.nnotes, 6);
	/* the API's JSON of the same page */
	pj = oncall_page_to_json(&p);
	assert_string_equal(vg_json_str(pj, "status"), "exhausted");
	assert_int_equal(json_array_size(json_object_get(pj, "notifications")), 6);
	json_decref(pj);
	vg_arena_release(&mem);
	assert_int_equal(tick(f->s, "2026-06-01T15:00:00Z"), 0);
	/* an exhausted page can still be acknowledged, once */
	at("2026-06-01T15:01:00Z");
	assert_int_equal(oncall_ack(f->s, id, "ann", &err), VG_OK);
	assert_int_equal(oncall_ack(f->s, id, "ann", &err), VG_ESTATE);
	assert_int_equal(oncall_ack(f->s, 999, "ann", &err), VG_ENOTFOUND);
	/* validation */
	assert_int_equal(oncall_page(f->s, NULL, "x", "urgent", "cli", NULL, 0, &id, NULL, &err),
			 VG_EINVAL);
	assert_int_equal(oncall_page(f->s, "nope", "x", NULL, "cli", NULL, 0, &id, NULL, &err),
			 VG_ENOTFOUND);
	assert_int_equal(oncall_policy_add(f->s, "bad", &bad, 1, 1, &err), VG_ENOTFOUND);
	assert_int_equal(oncall_rotation_add(f->s, "x", "Nowhere/City", 0, 1, 9, "ann", &err),
			 VG_EINVAL);
}

static void test_ack_stops_escalation_and_dedup(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	int64_t id = 0, again = 0, via = 0;
	int created = 0;

	at("2026-06-01T10:00:00Z");
	assert_int_equal(oncall_page(f->s, NULL, "breach", "critical", "art14.breached", "k-1", 0,
				     &id, &created, &err),
			 VG_OK);
	assert_int_equal(oncall_page(f->s, NULL, "breach", "critical", "art14.breached", "k-1", 0,
				     &again, &created, &err),
			 VG_OK);
	assert_int_equal(again, id);
	assert_int_equal(created, 0);
	assert_int_equal(deliveries(f->s, "l1"), 1);
	assert_int_equal(tick(f->s, "2026-06-01T10:16:00Z"), 1);
	/* a token that is not ours */
	assert_int_equal(oncall_ack_token(f->s, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &via, &err),
			 VG_ENOTFOUND);
	at("2026-06-01T10:17:00Z");
	assert_int_equal(oncall_ack(f->s, id, "ben", &err), VG_OK);
	assert_int_equal(tick(f->s, "2026-06-01T12:00:00Z"), 0);
	assert_int_equal(deliveries(f->s, "l2"), 1);
	assert_int_equal(deliveries(f->s, "lead"), 0);
}

static void test_drills(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_drill_list d;
	int64_t id = 0, id2 = 0;
	int due = 0;

	at("2026-06-01T10:00:00Z");
	assert_int_equal(oncall_drill_check(f->s, &due, &err), VG_OK);
	assert_int_equal(due, 1);
	assert_int_equal(oncall_drill(f->s, NULL, &id, &err), VG_OK);
	assert_int_equal(tick(f->s, "2026-06-01T10:15:00Z"), 1);
	at("2026-06-01T10:21:30Z");
	assert_int_equal(oncall_ack(f->s, id, "ben", &err), VG_OK);
	/* a second drill nobody answers in time fails, even if acknowledged later */
	at("2026-06-02T10:00:00Z");
	assert_int_equal(oncall_drill(f->s, NULL, &id2, &err), VG_OK);
	tick(f->s, "2026-06-02T10:31:00Z");
	at("2026-06-02T10:40:00Z");
	assert_int_equal(oncall_ack(f->s, id2, "ann", &err), VG_OK);
	vg_arena_init(&mem, 0);
	assert_int_equal(oncall_drills(f->s, &mem, &d, &err), VG_OK);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[1].result, "pass");
	assert_int_equal(d.v[1].ack_seconds, 21 * 60 + 30);
	assert_int_equal(d.v[1].ack_level, 2);
	assert_string_equal(d.v[0].result, "fail");
	assert_int_equal(d.v[0].ack_seconds, 40 * 60);
	vg_arena_release(&mem);
	/* the passing drill is recent: no reminder; 93 days later: due */
	at("2026-08-31T10:00:00Z");
	assert_int_equal(oncall_drill_check(f->s, &due, &err), VG_OK);
	assert_int_equal(due, 0);
	at("2026-09-02T10:00:00Z");
	assert_int_equal(oncall_drill_check(f->s, &due, &err), VG_OK);
	assert_int_equal(due, 1);
}

/* Article 14 and KEV events page at the highest urgency, once per incident. */
static void test_urgent_events(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	json_t *p = json_pack("{s:s, s:s, s:s}", "summary", "Art. 14 early warning breached",
			      "severity", "critical", "dedup_key", "art14-1-early");
	json_t *k = json_pack("{s:s, s:s, s:s}", "vuln_id", "GHSA-1", "cve", "CVE-2026-0002",
			      "product", "router");
	struct vg_arena mem;
	struct oncall_page_list pages;

	oncall_init(); /* first call in this program: subscribes */
	at("2026-06-01T10:00:00Z");
	vg_event_emit(f->s, "art14.breached", p);
	vg_event_emit(f->s, "art14.breached", p);
	vg_event_emit(f->s, "vuln.exploited", k);
	vg_event_emit(f->s, "vuln.exploited", k);
	vg_event_emit(f->s, "sbom.imported", k);
	vg_arena_init(&mem, 0);
	assert_int_equal(oncall_pages(f->s, 10, &mem, &pages, &err), VG_OK);
	assert_int_equal(pages.n, 2);
	assert_string_equal(pages.v[0].source, "vuln.exploited");
	assert_string_equal(pages.v[0].severity, "critical");
	assert_non_null(strstr(pages.v[0].summary, "CVE-2026-0002"));
	assert_string_equal(pages.v[1].summary, "Art. 14 early warning breached");
	vg_arena_release(&mem);
	json_decref(p);
	json_decref(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handover_and_dst),
	    cmocka_unit_test(test_start_midweek_and_before),
	    cmocka_unit_test(test_tz_names),
	    cmocka_unit_test_setup_teardown(test_escalation_timing, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_ack_stops_escalation_and_dedup, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_drills, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_urgent_events, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
