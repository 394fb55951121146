/*
 * test_programme.c - the programme room: the scope map's CSV reader (quotes,
 * line breaks in cells, the formula guard, line and column in errors),
 * the JSON reader (members named in errors), support periods (the retention end of Art. 13(13) and
 * the availability of updates of 13(9)), and the backup check of the readiness score reading the
 * audit trail for backup.restored (written by `vigil restore`).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "programme/programme.h"
#include "store/store.h"
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_csv(void **state)
{
	static const char csv[] = "name,owner,class,review,description\r\n"
				  "A,o,business-it,2027-01-01,\"two\nlines, \"\"quoted\"\"\"\r\n"
				  "B,o,business-it,2027-01-01,'=1+1\n";
	struct vg_error err = {0};
	json_t *rows = NULL;
	int64_t *lines = NULL;
	int cols[SCOPE_NFIELDS];
	(void)state;
	assert_int_equal(scope_csv_parse(csv, sizeof(csv) - 1, "t.csv", &rows, &lines, cols, &err),
			 VG_OK);
	assert_int_equal(json_array_size(rows), 2);
	assert_string_equal(vg_json_str(json_array_get(rows, 0), "description"),
			    "two\nlines, \"quoted\"");
	/* the row after a cell with a line break starts on line 4 */
	assert_int_equal(lines[0], 2);
	assert_int_equal(lines[1], 4);
	/* the guard of a formula is taken off */
	assert_string_equal(vg_json_str(json_array_get(rows, 1), "description"), "=1+1");
	assert_int_equal(cols[3], 3); /* class */
	assert_int_equal(cols[9], 0); /* network_zone: absent */
	json_decref(rows);
	free(lines);
}

static void csv_refused(const char *csv, const char *msg)
{
	struct vg_error err = {0};
	json_t *rows = NULL;
	int64_t *lines = NULL;
	assert_int_not_equal(scope_csv_parse(csv, strlen(csv), "t.csv", &rows, &lines, NULL, &err),
			     VG_OK);
	if (!strstr(err.msg, msg))
		fail_msg("'%s' not in '%s'", msg, err.msg);
	assert_null(rows);
}

static void test_csv_refused(void **state)
{
	(void)state;
	csv_refused("", "no header row");
	csv_refused("name,owner,class\n", "missing column 'review'");
	csv_refused("name,owner,class,review,colour\n",
		    "line 1, column 5: unknown column 'colour'");
	csv_refused("name,owner,class,review,name\n", "column 'name' given twice");
	csv_refused("name,owner,class,review\nA,\"o,b,2027-01-01\n", "not closed");
	csv_refused("name,owner,class,review\nA,o\"x,b,2027-01-01\n", "line 2, column 2");
	csv_refused("name,owner,class,review\nA,o,b,2027-01-01,extra\n",
		    "line 2, column 5: more cells");
	csv_refused("name,owner,class,review\nA,o,b\n", "line 2, column 4: missing cell");
}

static void period(const char *placed, const char *end, const char *retention, const char *updates)
{
	struct support_period p;
	struct vg_error err = {0};
	char ts[VG_TIME_BUFSZ];
	memset(&p, 0, sizeof(p));
	snprintf(p.placed_on_market, sizeof(p.placed_on_market), "%s", placed);
	snprintf(p.support_end, sizeof(p.support_end), "%s", end);
	assert_int_equal(support_derive(&p, &err), VG_OK);
	assert_string_equal(vg_time_format(p.retention_end, ts, sizeof(ts)), retention);
	if (updates)
		assert_string_equal(vg_time_format(p.updates_until, ts, sizeof(ts)), updates);
}

static void test_support(void **state)
{
	struct support_period p;
	struct vg_error err = {0};
	(void)state;
	/* support ends later than 10 years after placing: its end */
	period("2026-03", "2040-12", "2041-01-01T00:00:00Z", "2051-01-01T00:00:00Z");
	/* a short support period: 10 years after placing on the market */
	period("2026-03-15", "2030-06", "2036-03-15T00:00:00Z", "2040-07-01T00:00:00Z");
	/* to the day */
	period("2024-02-29", "2034-02-28", "2034-03-01T00:00:00Z", NULL);
	memset(&p, 0, sizeof(p));
	snprintf(p.placed_on_market, sizeof(p.placed_on_market), "2026-13");
	snprintf(p.support_end, sizeof(p.support_end), "2030-01");
	assert_int_equal(support_derive(&p, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "--placed '2026-13'"));
	snprintf(p.placed_on_market, sizeof(p.placed_on_market), "2026-01");
	snprintf(p.support_end, sizeof(p.support_end), "2025-12");
	assert_int_equal(support_derive(&p, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "before the product was placed"));
}

static const char *status_of(const struct readiness *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->checks[i].key, key) == 0)
			return readiness_status_name(r->checks[i].status);
	return "missing";
}

static void test_backup_check(void **state)
{
	char *url = testdb_fresh();
	struct store *s = NULL;
	struct vg_error err = {0};
	struct readiness r;
	int64_t now = 1790000000; /* 2026-09-21 */
	json_t *a = json_pack("{s:s}", "file", "/backups/vigil-2026-09-01.tar");
	(void)state;
	assert_int_equal(store_open(url, 1, &s, &err), VG_OK);
	store_set_actor(s, "cli:ops", "test");
	assert_int_equal(readiness_compute(s, now, &r, &err), VG_OK);
	assert_string_equal(status_of(&r, "backup-restored"), "fail");
	/* no outside system sends logs yet: a gap, not "not available" */
	assert_string_equal(status_of(&r, "log-retention"), "fail");
	/* what `vigil restore` writes (the ops helper's record) */
	assert_int_equal(
	    store_audit(s, "backup.restored", "backup", "vigil-2026-09-01", NULL, a, &err), VG_OK);
	assert_int_equal(readiness_compute(s, vg_now() + 60, &r, &err), VG_OK);
	assert_string_equal(status_of(&r, "backup-restored"), "pass");
	/* 91 days later it no longer counts */
	assert_int_equal(readiness_compute(s, vg_now() + 91 * 86400, &r, &err), VG_OK);
	assert_string_equal(status_of(&r, "backup-restored"), "fail");
	json_decref(a);
	store_close(s);
	testdb_drop(url);
}

/* The JSON reader: products as an array, what an export adds dropped, and
 * every refusal naming the member (the unknown member's name outlives the
 * document it came from: fuzz_scope_json found it read after the free). */
static void json_refused(const char *doc, const char *msg)
{
	struct vg_error err = {0};
	json_t *rows = (json_t *)1;
	assert_int_not_equal(scope_json_parse(doc, strlen(doc), "t.json", &rows, &err), VG_OK);
	assert_null(rows);
	if (!strstr(err.msg, msg))
		fail_msg("'%s' not in '%s'", msg, err.msg);
}

static void test_json(void **state)
{
	static const char doc[] =
	    "{\"format\": \"vigil-scope-map\", \"systems\": [{\"name\": \"A\", \"owner\": \"o\", "
	    "\"products\": [\"gw\", \"cam\"], \"revision\": 3, \"overdue\": false, "
	    "\"description\": null}]}";
	struct vg_error err = {0};
	json_t *rows = NULL;
	(void)state;
	assert_int_equal(scope_json_parse(doc, sizeof(doc) - 1, "t.json", &rows, &err), VG_OK);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(vg_json_str(json_array_get(rows, 0), "products"), "gw, cam");
	assert_null(json_object_get(json_array_get(rows, 0), "revision"));
	assert_null(json_object_get(json_array_get(rows, 0), "description"));
	json_decref(rows);
	json_refused("{\"systems\": [{\"name\": \"A\", \"colour\": \"red\"}]}",
		     "t.json: /systems/0/colour: unknown member");
	json_refused("[{\"name\": 5}]", "t.json: /systems/0/name: expected a string");
	json_refused("[{\"products\": [\"gw\", 7]}]",
		     "/systems/0/products/1: expected a product name");
	json_refused("[1]", "/systems/0: expected an object");
	json_refused("{\"systems\": {}}", "expected an object with");
	json_refused("{\"systems\": [], \"systems\": []}", "t.json: line 1");
	json_refused("[{", "t.json: line 1, column");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv),          cmocka_unit_test(test_csv_refused),
	    cmocka_unit_test(test_json),         cmocka_unit_test(test_support),
	    cmocka_unit_test(test_backup_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
