/*
 * test_art14.c - the Article 14 clocks on the backend under test: deadlines
 * computed exactly (24 h, 72 h, 14 days from fix availability, one calendar
 * month from the notification's submission with month ends and leap days),
 * states, alerts fired once each as VIGIL_NOW moves, drafts with missing
 * fields, four-eyes approval, the filing record and its audit trail, and the
 * report body parser.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/events.h"
#include "core/json.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "psirt/usernotice.h"
#include "triage/release_fix.h"
#include "store/store.h"
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARSE(str, r, hold, err) case_report_parse(str, strlen(str), r, hold, err)

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

/* ---- pure deadlines ---- */

static void test_deadlines_from_awareness(void **state)
{
	(void)state;
	assert_int_equal(art14_due_early_warning(T("2026-09-11T00:00:00Z")),
			 T("2026-09-12T00:00:00Z"));
	assert_int_equal(art14_due_notification(T("2026-09-11T00:00:00Z")),
			 T("2026-09-14T00:00:00Z"));
	/* both run from awareness, not from each other */
	assert_int_equal(art14_due_notification(T("2026-09-11T13:45:10Z")) -
			     art14_due_early_warning(T("2026-09-11T13:45:10Z")),
			 48 * 3600);
	/* all UTC: the EU DST change (25 Oct 2026, 01:00 UTC) changes nothing */
	assert_int_equal(art14_due_early_warning(T("2026-10-24T12:00:00Z")),
			 T("2026-10-25T12:00:00Z"));
	assert_int_equal(art14_due_notification(T("2026-10-24T12:00:00+02:00")),
			 T("2026-10-27T10:00:00Z"));
	assert_int_equal(art14_due_early_warning(T("2027-03-27T23:30:00Z")),
			 T("2027-03-28T23:30:00Z"));
}

static void test_final_report_deadlines(void **state)
{
	int64_t due = 0;
	(void)state;
	assert_int_equal(art14_due_vuln_final(0, &due), VG_ESTATE);
	assert_int_equal(art14_due_vuln_final(T("2026-12-20T09:00:00Z"), &due), VG_OK);
	assert_int_equal(due, T("2027-01-03T09:00:00Z"));
	assert_int_equal(art14_due_incident_final(0, &due), VG_ESTATE);
	assert_int_equal(art14_due_incident_final(T("2026-09-14T08:30:00Z"), &due), VG_OK);
	assert_int_equal(due, T("2026-10-14T08:30:00Z"));
	/* month ends clamp */
	art14_due_incident_final(T("2027-01-31T10:00:00Z"), &due);
	assert_int_equal(due, T("2027-02-28T10:00:00Z"));
	art14_due_incident_final(T("2028-01-31T10:00:00Z"), &due);
	assert_int_equal(due, T("2028-02-29T10:00:00Z"));
	art14_due_incident_final(T("2028-02-29T23:59:59Z"), &due);
	assert_int_equal(due, T("2028-03-29T23:59:59Z"));
	art14_due_incident_final(T("2026-03-31T00:00:00Z"), &due);
	assert_int_equal(due, T("2026-04-30T00:00:00Z"));
	art14_due_incident_final(T("2026-12-31T18:00:00Z"), &due);
	assert_int_equal(due, T("2027-01-31T18:00:00Z"));
}

static void test_states_and_alert_marks(void **state)
{
	int64_t a = T("2026-09-20T08:00:00Z"), due = art14_due_early_warning(a);
	(void)state;
	assert_int_equal(art14_state_at(0, 0, 0, a), ART14_UNDETERMINED);
	assert_int_equal(art14_state_at(a, due, 0, a + 1), ART14_PENDING);
	assert_int_equal(art14_state_at(a, due, 0, a + 12 * 3600 - 1), ART14_PENDING);
	assert_int_equal(art14_state_at(a, due, 0, a + 12 * 3600), ART14_DUE);
	assert_int_equal(art14_state_at(a, due, 0, due), ART14_DUE);
	assert_int_equal(art14_state_at(a, due, 0, due + 1), ART14_OVERDUE);
	assert_int_equal(art14_state_at(a, due, due + 5, due + 10), ART14_SUBMITTED);
	assert_string_equal(art14_state_name(ART14_OVERDUE), "overdue");

	assert_int_equal(art14_alerts_due(a, due, a + 12 * 3600 - 1), 0);
	assert_int_equal(art14_alerts_due(a, due, a + 12 * 3600), ART14_WARN_50);
	assert_int_equal(art14_alerts_due(a, due, a + 18 * 3600 - 1), ART14_WARN_50);
	assert_int_equal(art14_alerts_due(a, due, a + 18 * 3600), ART14_WARN_50 | ART14_WARN_75);
	/* 90 % of 24 h = 21 h 36 min */
	assert_int_equal(art14_alerts_due(a, due, a + 21 * 3600 + 35 * 60 + 59),
			 ART14_WARN_50 | ART14_WARN_75);
	assert_int_equal(art14_alerts_due(a, due, a + 21 * 3600 + 36 * 60),
			 ART14_WARN_50 | ART14_WARN_75 | ART14_WARN_90);
	assert_int_equal(art14_alerts_due(a, due, due) & ART14_WARN_BREACH, 0);
	assert_int_equal(art14_alerts_due(a, due, due + 1) & ART14_WARN_BREACH, ART14_WARN_BREACH);
	assert_int_equal(art14_alerts_due(0, 0, due), 0);
	assert_int_equal(art14_stage_parse("early-warning"), ART14_EARLY_WARNING);
	assert_int_equal(art14_stage_parse("final"), ART14_FINAL);
	assert_int_equal(art14_stage_parse("late"), -1);
}

/* ---- with a database ---- */

struct fx {
	char *url;
	struct store *s;
};

static char seen[64][96];
static int nseen;

static int collect(struct store *s, const char *name, const json_t *p, void *arg)
{
	(void)s;
	(void)arg;
	if (nseen < 64 && (strncmp(name, "art14.", 6) == 0 || strncmp(name, "case.", 5) == 0))
		snprintf(seen[nseen++], sizeof(seen[0]), "%s %s %s", name,
			 vg_json_str(p, "stage") ? vg_json_str(p, "stage") : "-",
			 vg_json_str(p, "threshold") ? vg_json_str(p, "threshold") : "-");
	if (strcmp(name, "art14.opened") != 0 && strncmp(name, "art14.", 6) == 0)
		assert_string_equal(vg_json_str(p, "severity"), "critical");
	return VG_OK;
}

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
	store_set_actor(f->s, "alice", "test");
	vg_event_reset();
	vg_event_subscribe("*", "test.collect", collect, NULL);
	nseen = 0;
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

static int count_seen(const char *prefix)
{
	int n = 0;
	for (int i = 0; i < nseen; i++)
		n += strncmp(seen[i], prefix, strlen(prefix)) == 0;
	return n;
}

static int tick(struct store *s)
{
	struct vg_error err = {0};
	int n = -1;
	if (art14_tick(s, &n, &err) != VG_OK)
		fail_msg("tick: %s", err.msg);
	return n;
}

static json_t *obligation(struct store *s, int64_t id, const char *stage)
{
	struct vg_error err = {0};
	struct art14_report_list l;
	json_t *rows = NULL, *r, *hit = NULL;
	size_t i;
	assert_int_equal(art14_list(s, id, vg_now(), &l, &err), VG_OK);
	rows = art14_report_list_to_json(&l);
	art14_report_list_release(&l);
	json_array_foreach(rows, i, r) if (strcmp(vg_json_str(r, "stage"), stage) == 0) hit =
	    json_incref(r);
	json_decref(rows);
	assert_non_null(hit);
	return hit;
}

static void check_ob(struct store *s, int64_t id, const char *stage, const char *due,
		     const char *st)
{
	json_t *o = obligation(s, id, stage);
	if (due)
		assert_string_equal(vg_json_str(o, "due_at"), due);
	else
		assert_true(json_is_null(json_object_get(o, "due_at")));
	assert_string_equal(vg_json_str(o, "state"), st);
	json_decref(o);
}

static void test_incident_clocks_and_alerts(void **state)
{
	struct fx *f = *state;
	struct art14_open in = {0};
	struct vg_error err = {0};
	int64_t id = 0;

	at("2026-09-20T09:00:00Z");
	in.kind = ART14_KIND_INCIDENT;
	in.title = "Ransomware on the update server";
	in.aware_at = T("2026-09-20T08:00:00Z");
	in.evidence = "SOC ticket 42";
	in.member_states = "de, FR";
	in.suspected_malicious = 1;
	assert_int_equal(art14_open(f->s, &in, &id, &err), VG_OK);
	assert_true(id > 0);
	assert_int_equal(count_seen("art14.opened"), 1);

	/* awareness in the future is refused */
	in.aware_at = T("2026-09-21T00:00:00Z");
	assert_int_equal(art14_open(f->s, &in, &id, &err), VG_EINVAL);
	in.aware_at = T("2026-09-20T08:00:00Z");
	in.member_states = "DE,XX";
	assert_int_equal(art14_open(f->s, &in, &id, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "XX"));

	id = 1;
	check_ob(f->s, id, "early-warning", "2026-09-21T08:00:00Z", "pending");
	check_ob(f->s, id, "notification", "2026-09-23T08:00:00Z", "pending");
	check_ob(f->s, id, "final", NULL, "undetermined");

	nseen = 0;
	at("2026-09-20T19:59:59Z");
	assert_int_equal(tick(f->s), 0);
	at("2026-09-20T20:00:00Z"); /* 50 % of the 24 h window */
	assert_int_equal(tick(f->s), 1);
	assert_string_equal(seen[0], "art14.warning early-warning 50%");
	assert_int_equal(tick(f->s), 0); /* once */
	check_ob(f->s, id, "early-warning", "2026-09-21T08:00:00Z", "due");
	at("2026-09-21T05:36:00Z"); /* 90 %: 75 and 90 together, each once */
	assert_int_equal(tick(f->s), 2);
	assert_string_equal(seen[1], "art14.warning early-warning 75%");
	assert_string_equal(seen[2], "art14.warning early-warning 90%");
	assert_int_equal(tick(f->s), 0);
	at("2026-09-21T08:00:00Z"); /* at the due time: not yet breached */
	assert_int_equal(tick(f->s), 0);
	at("2026-09-21T08:00:01Z");
	assert_int_equal(tick(f->s), 1);
	assert_string_equal(seen[3], "art14.breached early-warning breach");
	assert_int_equal(tick(f->s), 0);
	check_ob(f->s, id, "early-warning", "2026-09-21T08:00:00Z", "overdue");
	/* the notification's 72 h window: 50 % at +36 h */
	at("2026-09-21T20:00:00Z");
	assert_int_equal(tick(f->s), 1);
	assert_string_equal(seen[4], "art14.warning notification 50%");

	/* filing recorded: clock stops; the incident's final report starts */
	at("2026-09-22T10:00:00Z");
	assert_int_equal(art14_submitted(f->s, id, "notification", T("2026-01-31T10:00:00Z"),
					 "ENISA-1", NULL, &err),
			 VG_EINVAL); /* before awareness */
	assert_int_equal(art14_submitted(f->s, id, "notification", T("2026-09-23T10:00:00Z"),
					 "ENISA-1", NULL, &err),
			 VG_EINVAL); /* in the future */
	/* the early warning is not filed and no draft is approved: a reason is needed */
	assert_int_equal(art14_submitted(f->s, id, "notification", T("2026-09-22T09:30:00Z"),
					 "ENISA-2026-0001", NULL, &err),
			 VG_ESTATE);
	assert_non_null(strstr(err.msg, "reason:"));
	assert_non_null(strstr(err.msg, "early warning is not recorded as filed"));
	assert_non_null(strstr(err.msg, "no approved draft"));
	assert_int_equal(art14_submitted_ex(f->s, id, "notification", T("2026-09-22T09:30:00Z"),
					    "ENISA-2026-0001",
					    "combined report agreed with the CSIRT", NULL, &err),
			 VG_OK);
	assert_int_equal(art14_submitted(f->s, id, "notification", T("2026-09-22T09:30:00Z"),
					 "again", NULL, &err),
			 VG_EEXIST);
	check_ob(f->s, id, "notification", "2026-09-23T08:00:00Z", "submitted");
	check_ob(f->s, id, "final", "2026-10-22T09:30:00Z", "pending");
	at("2026-12-01T00:00:00Z");
	nseen = 0;
	assert_int_equal(tick(f->s), 4); /* final: 50, 75, 90, breach; notification none */
	assert_int_equal(count_seen("art14.warning final"), 3);
	assert_int_equal(count_seen("art14.breached final"), 1);
	assert_int_equal(count_seen("art14.warning notification"), 0);
	assert_int_equal(tick(f->s), 0);
}

static void test_incident_final_month_end(void **state)
{
	struct fx *f = *state;
	struct art14_open in = {0};
	struct vg_error err = {0};
	int64_t id = 0;

	at("2028-01-30T12:00:00Z");
	in.kind = ART14_KIND_INCIDENT;
	in.title = "Leap year incident";
	in.aware_at = T("2028-01-30T11:00:00Z");
	assert_int_equal(art14_open(f->s, &in, &id, &err), VG_OK);
	at("2028-02-01T00:00:00Z");
	assert_int_equal(art14_submitted_ex(f->s, id, "notification", T("2028-01-31T22:15:00Z"),
					    "R-1", "filed with the early warning", NULL, &err),
			 VG_OK);
	check_ob(f->s, id, "final", "2028-02-29T22:15:00Z", "pending");
}

static void test_vulnerability_fix_and_intermediate(void **state)
{
	struct fx *f = *state;
	struct art14_open in = {0};
	struct vg_error err = {0};
	int64_t id = 0;

	at("2026-12-01T10:00:00Z");
	in.kind = ART14_KIND_VULN;
	in.title = "CVE-2026-1234 exploited in the wild";
	in.aware_at = T("2026-12-01T09:00:00Z");
	in.vuln_id = "CVE-2026-1234";
	in.finding = "17";
	in.evidence = "CISA KEV entry";
	assert_int_equal(art14_open(f->s, &in, &id, &err), VG_OK);
	check_ob(f->s, id, "final", NULL, "undetermined");
	at("2026-12-30T00:00:00Z");
	nseen = 0;
	tick(f->s);
	assert_int_equal(count_seen("art14.warning final"), 0); /* undetermined: no alerts */
	assert_int_equal(art14_fix_available(f->s, id, T("2026-12-31T00:00:00Z"), &err),
			 VG_EINVAL); /* future */
	assert_int_equal(art14_fix_available(f->s, id, T("2026-12-20T09:00:00Z"), &err), VG_OK);
	assert_int_equal(art14_fix_available(f->s, id, T("2026-12-21T09:00:00Z"), &err), VG_ESTATE);
	check_ob(f->s, id, "final", "2027-01-03T09:00:00Z", "due");

	assert_int_equal(art14_request_intermediate(f->s, id, T("2027-01-02T00:00:00Z"), &err),
			 VG_OK);
	check_ob(f->s, id, "intermediate", "2027-01-02T00:00:00Z", "pending");
	/* half the intermediate window: warned once */
	at("2026-12-31T12:00:00Z");
	nseen = 0;
	tick(f->s);
	tick(f->s);
	assert_int_equal(count_seen("art14.warning intermediate 50%"), 1);
	{
		json_t *o = obligation(f->s, id, "intermediate");
		assert_int_equal(json_array_size(json_object_get(o, "alerts_sent")), 1);
		json_decref(o);
	}
	/* asked again: a new window from now whose alerts are sent again */
	assert_int_equal(art14_request_intermediate(f->s, id, T("2027-01-02T00:00:00Z"), &err),
			 VG_OK);
	{
		json_t *o = obligation(f->s, id, "intermediate");
		assert_int_equal(json_array_size(json_object_get(o, "alerts_sent")), 0);
		json_decref(o);
	}
	at("2027-01-01T06:00:00Z");
	nseen = 0;
	tick(f->s);
	assert_int_equal(count_seen("art14.warning intermediate 50%"), 1);
	at("2026-12-31T12:00:00Z");
	assert_int_equal(
	    art14_submitted(f->s, 99, "final", T("2026-12-29T00:00:00Z"), "x", NULL, &err),
	    VG_ENOTFOUND);
}

static void test_drafts_four_eyes_and_audit(void **state)
{
	struct fx *f = *state;
	struct art14_open in = {0};
	struct vg_error err = {0};
	json_t *d = NULL, *log = NULL, *r;
	struct art14_draft dr;
	struct audit_filter af = {0};
	int64_t id = 0;
	int approved = -1, seen_aware = 0, seen_draft = 0, seen_approve = 0, seen_sub = 0;
	size_t i;
	const char *names[] = {"summary",        "nature",        "initial_assessment",
			       "measures_taken", "user_measures", "sensitivity"};
	const char *values[] = {"Update server encrypted", "Ransomware",        "Contained",
				"Server isolated",         "Verify signatures", "amber"};

	vg_config_set("art14.four_eyes", "1");
	at("2026-09-20T09:00:00Z");
	in.kind = ART14_KIND_INCIDENT;
	in.title = "Ransomware <script>alert(1)</script>";
	in.aware_at = T("2026-09-20T08:00:00Z");
	in.product = "router";
	in.member_states = "DE";
	assert_int_equal(art14_open(f->s, &in, &id, &err), VG_OK);

	assert_int_equal(art14_draft(f->s, id, "notification", &dr, &err), VG_OK);
	d = art14_draft_to_json(&dr);
	art14_draft_release(&dr);
	assert_string_equal(vg_json_str(d, "schema"), "vigil-art14-draft/1");
	assert_string_equal(vg_json_str(d, "article"), "14(4)(b)");
	assert_int_equal(vg_json_int(d, "version", 0), 1);
	assert_int_equal(json_array_size(json_object_get(d, "missing")), 6);
	assert_true(json_is_true(
			json_object_get(json_object_get(d, "fields"), "suspected_malicious")) == 0);
	assert_string_equal(vg_json_str(json_object_get(d, "fields"), "awareness_time"),
			    "2026-09-20T08:00:00Z");
	json_decref(d);
	assert_int_equal(art14_draft(f->s, id, "bogus", &dr, &err), VG_EINVAL);
	assert_int_equal(art14_approve(f->s, id, "notification", &approved, &err), VG_ESTATE);
	assert_non_null(strstr(err.msg, "sensitivity"));

	assert_int_equal(art14_edit(f->s, id, "notification", 6, names, values, &dr, &err), VG_OK);
	d = art14_draft_to_json(&dr);
	art14_draft_release(&dr);
	assert_int_equal(vg_json_int(d, "version", 0), 2);
	assert_int_equal(json_array_size(json_object_get(d, "missing")), 0);
	assert_string_equal(vg_json_str(json_object_get(d, "fields"), "sensitivity"), "TLP:AMBER");
	json_decref(d);
	{
		const char *bad[] = {"awareness_time"}, *v[] = {"2026-01-01T00:00:00Z"};
		assert_int_equal(art14_edit(f->s, id, "notification", 1, bad, v, &dr, &err),
				 VG_EINVAL);
	}

	/* four-eyes: alice built the version, so she cannot approve it */
	assert_int_equal(art14_approve(f->s, id, "notification", &approved, &err), VG_EPERM);
	assert_non_null(strstr(err.msg, "nobody approves their own draft"));
	store_set_actor(f->s, "bob", "test");
	assert_int_equal(art14_approve(f->s, id, "notification", &approved, &err), VG_OK);
	assert_int_equal(approved, 1);
	assert_int_equal(art14_approve(f->s, id, "notification", &approved, &err), VG_EEXIST);
	assert_int_equal(art14_draft_get(f->s, id, "notification", 0, &dr, &err), VG_OK);
	d = art14_draft_to_json(&dr);
	assert_true(json_is_true(json_object_get(d, "approved")));
	assert_int_equal(json_array_size(json_object_get(d, "approvals")), 1);
	assert_true(json_is_true(json_object_get(d, "four_eyes")));
	{
		struct vg_buf b = VG_BUF_INIT;
		art14_draft_html(&dr, &b);
		art14_draft_release(&dr);
		assert_non_null(strstr(b.data, "&lt;script&gt;"));
		assert_null(strstr(b.data, "<script>"));
		assert_non_null(strstr(b.data, "TLP:AMBER"));
		vg_buf_release(&b);
	}
	json_decref(d);

	/* approved, but the early warning is not filed yet: a reason is needed */
	assert_int_equal(art14_submitted(f->s, id, "notification", T("2026-09-20T08:55:00Z"),
					 "ENISA-77", &approved, &err),
			 VG_ESTATE);
	assert_null(strstr(err.msg, "no approved draft"));
	assert_int_equal(art14_submitted_ex(f->s, id, "notification", T("2026-09-20T08:55:00Z"),
					    "ENISA-77", "early warning and notification in one",
					    &approved, &err),
			 VG_OK);
	assert_int_equal(approved, 1);

	/* the audit trail proves awareness, drafts, approvals and the filing */
	af.otype = "art14_exposure";
	af.oid = "1";
	assert_int_equal(audit_query_json(f->s, &af, &log, &err), VG_OK);
	json_array_foreach(log, i, r)
	{
		const char *a = vg_json_str(r, "action");
		json_t *after = json_object_get(r, "after");
		if (strcmp(a, "art14.aware") == 0) {
			seen_aware++;
			assert_string_equal(vg_json_str(after, "aware_at"), "2026-09-20T08:00:00Z");
			assert_string_equal(vg_json_str(after, "aware_by"), "alice");
		}
		seen_draft += strncmp(a, "art14.draft", 11) == 0;
		seen_approve += strcmp(a, "art14.approve") == 0;
		if (strcmp(a, "art14.submitted") == 0) {
			seen_sub++;
			assert_string_equal(vg_json_str(after, "reference"), "ENISA-77");
			assert_string_equal(vg_json_str(after, "recorded_by"), "bob");
			assert_string_equal(vg_json_str(after, "reason"),
					    "early warning and notification in one");
			assert_string_equal(
			    json_string_value(
				json_array_get(json_object_get(after, "before_earlier_stages"), 0)),
			    "early-warning");
		}
	}
	assert_int_equal(seen_aware, 1);
	assert_int_equal(seen_draft, 2);
	assert_int_equal(seen_approve, 1);
	assert_int_equal(seen_sub, 1);
	json_decref(log);
	{
		int64_t cnt = 0, bad = 0;
		assert_int_equal(audit_verify(f->s, &cnt, &bad, &err), VG_OK);
	}
	vg_config_set("art14.four_eyes", "0");
}

static void test_case_ack_clock_and_exploited(void **state)
{
	struct fx *f = *state;
	struct case_report r = {0};
	struct vg_error err = {0};
	char token[CASE_TOKEN_BUFSZ];
	int64_t id = 0, exp = 0;
	int n = 0;
	json_t *st = NULL;
	struct psirt_case kc;

	at("2026-09-20T00:00:00Z");
	r.product = "router";
	r.version = "2.1";
	r.description = "Overflow in the web UI";
	assert_int_equal(case_create(f->s, &r, "api", "192.0.2.1", token, sizeof(token), &id, &err),
			 VG_OK);
	assert_int_equal(case_status_by_token(f->s, token, &kc, &err), VG_OK);
	st = psirt_case_status_to_json(&kc);
	psirt_case_release(&kc);
	assert_string_equal(vg_json_str(st, "state"), "received");
	assert_string_equal(vg_json_str(st, "ack_due_at"), "2026-09-22T00:00:00Z");
	json_decref(st);
	assert_int_equal(case_status_by_token(f->s, "not-a-real-token-xxxxxxxxxxxx", &kc, &err),
			 VG_ENOTFOUND);
	nseen = 0;
	at("2026-09-21T00:00:00Z");
	assert_int_equal(case_tick(f->s, &n, &err), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(seen[0], "case.ack_warning - 50%");
	assert_int_equal(case_tick(f->s, &n, &err), VG_OK);
	assert_int_equal(n, 0);
	/* illegal moves are refused, naming the allowed ones */
	assert_int_equal(case_transition(f->s, id, "accepted", NULL, &err), VG_ESTATE);
	assert_non_null(strstr(err.msg, "acknowledged"));
	assert_int_equal(case_transition(f->s, id, "acknowledged", NULL, &err), VG_OK);
	at("2026-09-23T00:00:00Z");
	assert_int_equal(case_tick(f->s, &n, &err), VG_OK);
	assert_int_equal(n, 0); /* acknowledged: no more alerts */
	assert_int_equal(case_link(f->s, id, "cve", "CVE-2026-4242", &err), VG_OK);
	assert_int_equal(case_link(f->s, id, "cve", "CVE-26-1", &err), VG_EINVAL);
	assert_int_equal(
	    case_exploited(f->s, id, T("2026-09-22T12:00:00Z"), "honeypot hit", "DE", &exp, &err),
	    VG_OK);
	check_ob(f->s, exp, "early-warning", "2026-09-23T12:00:00Z", "due");
}

static void test_vuln_exploited_event(void **state)
{
	struct fx *f = *state;
	json_t *p;
	struct art14_report_list l;
	struct vg_error err = {0};
	int64_t n = 0;

	at("2026-11-02T10:00:00Z");
	art14_init();
	p = json_pack("{s:s, s:i, s:s, s:s}", "vuln_id", "CVE-2026-9999", "finding_id", 42,
		      "product", "router", "summary", "KEV: CVE-2026-9999");
	vg_event_emit(f->s, "vuln.exploited", p);
	vg_event_emit(f->s, "vuln.exploited", p); /* the same finding again: no second exposure */
	json_decref(p);
	assert_int_equal(
	    store_query_int64(f->s, &n, &err,
			      "SELECT COUNT(*) FROM art14_exposures WHERE finding = '42' "
			      "AND vuln_id = 'CVE-2026-9999' AND aware_at = ?",
			      "i", T("2026-11-02T10:00:00Z")),
	    VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(art14_list(f->s, 0, vg_now(), &l, &err), VG_OK);
	assert_int_equal(l.n, 3);
	art14_report_list_release(&l);
	check_ob(f->s, 1, "early-warning", "2026-11-03T10:00:00Z", "pending");
}

static void test_report_parser(void **state)
{
	struct case_report r;
	struct vg_error err = {0};
	json_t *hold = NULL;
	const char *good = "{\"product\":\"router\",\"version\":\"2\",\"description\":\"x<b>\","
			   "\"credit_consent\":true,\"contact\":null}";
	char *big;
	(void)state;

	assert_int_equal(case_report_parse(good, strlen(good), &r, &hold, &err), VG_OK);
	assert_string_equal(r.product, "router");
	assert_string_equal(r.version, "2");
	assert_int_equal(r.credit_consent, 1);
	assert_null(r.contact);
	json_decref(hold);
	assert_int_equal(PARSE("{\"product\":\"p\"}", &r, &hold, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/description"));
	assert_int_equal(PARSE("{\"product\":1,\"description\":\"d\"}", &r, &hold, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "/product"));
	assert_int_equal(
	    PARSE("{\"product\":\"p\",\"description\":\"d\",\"evil\":1}", &r, &hold, &err),
	    VG_EINVAL);
	assert_non_null(strstr(err.msg, "/evil"));
	assert_int_equal(PARSE("[1]", &r, &hold, &err), VG_EINVAL);
	assert_int_equal(PARSE("{\"product\":", &r, &hold, &err), VG_EPARSE);
	assert_int_equal(
	    PARSE("{\"product\":\"a\\u0000b\",\"description\":\"d\"}", &r, &hold, &err), VG_EINVAL);
	big = malloc(CASE_REPORT_MAX + 2);
	memset(big, ' ', CASE_REPORT_MAX + 1);
	big[CASE_REPORT_MAX + 1] = '\0';
	assert_int_equal(case_report_parse(big, CASE_REPORT_MAX + 1, &r, &hold, &err), VG_ETOOBIG);
	free(big);
}

/* ---- a published security release (release.published) ---- */

static json_t *release_payload(int64_t id, const char *product, const char *version,
			       const char *fix, const char *published)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:b, s:[s], s:s}", "release_id", (json_int_t)id,
			 "product", product, "version", version, "version_id",
			 (json_int_t)(id + 100), "security", 1, "fixes", fix, "published_at",
			 published);
}

static int64_t count_sql(struct store *s, const char *sql)
{
	struct vg_error err = {0};
	int64_t n = -1;
	if (store_query_int64(s, &n, &err, sql, NULL) != VG_OK)
		fail_msg("%s: %s", sql, err.msg);
	return n;
}

static void test_release_payload_parse(void **state)
{
	struct release_published ev;
	struct vg_error err = {0};
	json_t *p;
	(void)state;

	p = release_payload(12, "router", "2.2", "CVE-2026-1234", "2026-12-02T00:00:00Z");
	assert_int_equal(release_published_parse(p, &ev, &err), VG_OK);
	assert_int_equal(ev.release_id, 12);
	assert_int_equal(ev.version_id, 112);
	assert_string_equal(ev.product, "router");
	assert_string_equal(ev.version, "2.2");
	assert_int_equal(ev.security, 1);
	assert_int_equal(ev.nfixes, 1);
	assert_string_equal(ev.fixes[0], "CVE-2026-1234");
	assert_int_equal(ev.published_at, T("2026-12-02T00:00:00Z"));
	/* each bad member is named */
	json_object_set_new(p, "published_at", json_null());
	assert_int_equal(release_published_parse(p, &ev, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/published_at"));
	json_object_set_new(p, "published_at", json_string("yesterday"));
	assert_int_equal(release_published_parse(p, &ev, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/published_at"));
	json_object_set_new(p, "published_at", json_string("2026-12-02T00:00:00Z"));
	json_object_set_new(p, "fixes", json_pack("[s, i]", "CVE-2026-1", 7));
	assert_int_equal(release_published_parse(p, &ev, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/fixes/1"));
	json_object_set_new(p, "fixes", json_string("CVE-2026-1234"));
	assert_int_equal(release_published_parse(p, &ev, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/fixes"));
	json_object_del(p, "fixes");
	assert_int_equal(release_published_parse(p, &ev, &err), VG_OK);
	assert_int_equal(ev.nfixes, 0);
	json_object_set_new(p, "release_id", json_string("12"));
	assert_int_equal(release_published_parse(p, &ev, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/release_id"));
	json_object_set_new(p, "release_id", json_integer(12));
	json_object_set_new(p, "product", json_string("a\x1b[31mb"));
	assert_int_equal(release_published_parse(p, &ev, &err), VG_EINVAL);
	json_object_del(p, "product");
	assert_int_equal(release_published_parse(p, &ev, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/product"));
	json_decref(p);
	assert_int_equal(release_published_parse(NULL, &ev, &err), VG_EINVAL);
}

static void test_release_published_final_clock(void **state)
{
	struct fx *f = *state;
	struct case_report r = {0};
	struct vg_error err = {0};
	struct art14_exposure e;
	struct psirt_case kc;
	struct user_notice un;
	char token[CASE_TOKEN_BUFSZ];
	int64_t c1 = 0, c2 = 0, exp = 0;
	json_t *p, *fields;

	at("2026-12-01T10:00:00Z");
	art14_init();
	r.product = "router";
	r.version = "2.1";
	r.description = "Overflow in the web UI";
	assert_int_equal(case_create(f->s, &r, "api", NULL, token, sizeof(token), &c1, &err),
			 VG_OK);
	assert_int_equal(case_link(f->s, c1, "cve", "CVE-2026-1234", &err), VG_OK);
	assert_int_equal(
	    case_exploited(f->s, c1, T("2026-12-01T09:00:00Z"), "honeypot hit", NULL, &exp, &err),
	    VG_OK);
	check_ob(f->s, exp, "final", NULL, "undetermined");
	/* a second case, on another vulnerability */
	r.description = "Another bug";
	assert_int_equal(case_create(f->s, &r, "api", NULL, token, sizeof(token), &c2, &err),
			 VG_OK);
	assert_int_equal(case_link(f->s, c2, "cve", "CVE-2026-7777", &err), VG_OK);

	/* the security release router 2.2 fixing CVE-2026-1234 is published */
	at("2026-12-02T00:00:00Z");
	p = release_payload(5, "router", "2.2", "CVE-2026-1234", "2026-12-02T00:00:00Z");
	vg_event_emit(f->s, RELEASE_PUBLISHED_EVENT, p);
	check_ob(f->s, exp, "final", "2026-12-16T00:00:00Z", "pending");
	assert_int_equal(art14_get(f->s, exp, &e, &err), VG_OK);
	assert_int_equal(e.fix_available_at, T("2026-12-02T00:00:00Z"));
	assert_int_equal(e.fix_release_id, 5);
	assert_string_equal(e.fix_release, "router 2.2");
	art14_exposure_release(&e);
	assert_int_equal(case_get(f->s, c1, &kc, &err), VG_OK);
	assert_int_equal(kc.nfixes, 1);
	assert_int_equal(kc.fixes[0].release_id, 5);
	assert_string_equal(kc.fixes[0].version, "2.2");
	assert_string_equal(kc.fixes[0].vulns, "CVE-2026-1234");
	assert_int_equal(kc.fixes[0].published_at, T("2026-12-02T00:00:00Z"));
	psirt_case_release(&kc);
	assert_int_equal(count_sql(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
					 "'case.fix_available' AND object_id = '1'"),
			 1);
	assert_int_equal(count_sql(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
					 "'art14.fix_available'"),
			 1);
	/* the user notice names the release as the remediation */
	assert_int_equal(user_notice_build(f->s, c1, &un, &err), VG_OK);
	fields = json_object_get(un.doc, "fields");
	assert_non_null(strstr(vg_json_str(fields, "security_update"), "router 2.2"));
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(fields, "releases"), 0)),
	    "router 2.2");
	assert_string_equal(vg_json_str(fields, "fix_available_at"), "2026-12-02T00:00:00Z");
	user_notice_release(&un);

	/* heard twice: nothing changes */
	at("2026-12-03T00:00:00Z");
	vg_event_emit(f->s, RELEASE_PUBLISHED_EVENT, p);
	json_decref(p);
	check_ob(f->s, exp, "final", "2026-12-16T00:00:00Z", "pending");
	assert_int_equal(count_sql(f->s, "SELECT COUNT(*) FROM audit_log WHERE action LIKE "
					 "'%.fix_available'"),
			 2);
	assert_int_equal(count_sql(f->s, "SELECT COUNT(*) FROM psirt_case_links WHERE kind = "
					 "'release'"),
			 1);
	/* a release fixing an unrelated vulnerability, or this one on another
	 * product, changes nothing */
	p = release_payload(6, "router", "2.3", "CVE-2026-0001", "2026-12-03T00:00:00Z");
	vg_event_emit(f->s, RELEASE_PUBLISHED_EVENT, p);
	json_decref(p);
	p = release_payload(7, "switch", "1.0", "CVE-2026-7777", "2026-12-03T00:00:00Z");
	vg_event_emit(f->s, RELEASE_PUBLISHED_EVENT, p);
	json_decref(p);
	assert_int_equal(count_sql(f->s, "SELECT COUNT(*) FROM psirt_case_fixes"), 1);
	assert_int_equal(count_sql(f->s, "SELECT COUNT(*) FROM audit_log WHERE action LIKE "
					 "'%.fix_available'"),
			 2);
	assert_int_equal(case_get(f->s, c2, &kc, &err), VG_OK);
	assert_int_equal(kc.nfixes, 0);
	psirt_case_release(&kc);

	/* the deadline engine fires the final report's thresholds as time moves */
	nseen = 0;
	at("2026-12-08T23:59:59Z");
	tick(f->s);
	assert_int_equal(count_seen("art14.warning final"), 0);
	at("2026-12-09T00:00:00Z"); /* half of 14 days */
	tick(f->s);
	tick(f->s);
	assert_int_equal(count_seen("art14.warning final 50%"), 1);
	check_ob(f->s, exp, "final", "2026-12-16T00:00:00Z", "due");
	at("2026-12-16T00:00:01Z");
	tick(f->s);
	assert_int_equal(count_seen("art14.warning final 75%"), 1);
	assert_int_equal(count_seen("art14.warning final 90%"), 1);
	assert_int_equal(count_seen("art14.breached final breach"), 1);
	check_ob(f->s, exp, "final", "2026-12-16T00:00:00Z", "overdue");
	tick(f->s);
	assert_int_equal(count_seen("art14.breached final"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deadlines_from_awareness),
	    cmocka_unit_test(test_final_report_deadlines),
	    cmocka_unit_test(test_states_and_alert_marks),
	    cmocka_unit_test(test_report_parser),
	    cmocka_unit_test(test_release_payload_parse),
	    cmocka_unit_test_setup_teardown(test_incident_clocks_and_alerts, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_incident_final_month_end, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_vulnerability_fix_and_intermediate, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_drafts_four_eyes_and_audit, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_case_ack_clock_and_exploited, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_vuln_exploited_event, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_release_published_final_clock, fx_setup,
					    fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
