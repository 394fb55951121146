/*
 * test_audit.c - the audit trail on the backend under test: an intact chain
 * verifies; records altered, removed, reordered or forged directly in the
 * database are caught and named by sequence number; audit_query filters;
 * an anonymous caller's address kept keyed, and older clear ones shown keyed.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "core/error.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/json.h"
#include "store/store.h"
#include "testdb.h"
#include "core/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fx {
	char *url;
	struct store *s;
	int64_t base; /* records written by the migrations */
};

#define T0 "2025-06-01T00:00:00Z"

/* Four records on top of the migrations' (all written at T0):
 *   base+1  2026-01-01  alice  product:1  product.create
 *   base+2  2026-02-01  bob    product:2  product.create
 *   base+3  2026-03-01  alice  case:7     case.open
 *   base+4  2026-04-01  carol  product:1  product.update (before+after) */
static void add(struct store *s, const char *when, const char *actor, const char *action,
		const char *otype, const char *oid, json_t *before, json_t *after)
{
	struct vg_error err;
	setenv("VIGIL_NOW", when, 1);
	store_set_actor(s, actor, "198.51.100.4");
	vg_error_clear(&err);
	if (store_audit(s, action, otype, oid, before, after, &err) != VG_OK)
		fail_msg("store_audit: %s", err.msg);
	json_decref(before);
	json_decref(after);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err;

	if (!f)
		return -1;
	setenv("VIGIL_NOW", T0, 1);
	f->url = testdb_fresh();
	vg_error_clear(&err);
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "store_open %s: %s\n", f->url, err.msg);
		testdb_drop(f->url);
		free(f);
		return -1;
	}
	if (store_query_int64(f->s, &f->base, &err, "SELECT COUNT(*) FROM audit_log", NULL))
		return -1;
	add(f->s, "2026-01-01T00:00:00Z", "alice", "product.create", "product", "1", NULL,
	    json_pack("{s:s}", "name", "router"));
	add(f->s, "2026-02-01T00:00:00Z", "bob", "product.create", "product", "2", NULL,
	    json_pack("{s:s}", "name", "camera"));
	add(f->s, "2026-03-01T00:00:00Z", "alice", "case.open", "case", "7", NULL,
	    json_pack("{s:s, s:i}", "title", "CVE-2026-0001", "severity", 9));
	add(f->s, "2026-04-01T00:00:00Z", "carol", "product.update", "product", "1",
	    json_pack("{s:s}", "name", "router"), json_pack("{s:s}", "name", "router-x"));
	store_set_actor(f->s, NULL, NULL);
	unsetenv("VIGIL_NOW");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	testdb_drop(f->url);
	free(f);
	unsetenv("VIGIL_NOW");
	return 0;
}

/* Run SQL that tampers with audit_log directly (it is exempt from audit rules). */
static void tamper(struct store *s, const char *sql, const char *types, ...)
{
	struct vg_error err;
	struct store_stmt *st = NULL;
	va_list ap;
	int rc;

	vg_error_clear(&err);
	if (store_prepare(s, sql, &st, &err))
		fail_msg("%s: %s", sql, err.msg);
	va_start(ap, types);
	for (int i = 0; types && types[i]; i++) {
		if (types[i] == 't')
			store_bind_text(st, i + 1, va_arg(ap, const char *));
		else
			store_bind_int64(st, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	rc = store_step(st, &err);
	if (rc != STORE_DONE)
		fail_msg("%s: %s", sql, err.msg);
	assert_true(store_changes(st) >= 1);
	store_finalize(st);
}

/* Verify must fail at seq with a message naming it; returns nothing. */
static void expect_broken(struct store *s, int64_t seq, const char *why)
{
	struct vg_error err;
	int64_t count = -1, bad = -1;
	char want[64];

	vg_error_clear(&err);
	assert_int_equal(audit_verify(s, &count, &bad, &err), VG_EAUDIT);
	assert_int_equal(err.code, VG_EAUDIT);
	if (bad != seq)
		fail_msg("first bad record reported as %lld, want %lld (%s)", (long long)bad,
			 (long long)seq, err.msg);
	snprintf(want, sizeof(want), "sequence %lld", (long long)seq);
	if (!strstr(err.msg, want))
		fail_msg("message does not name %s: %s", want, err.msg);
	if (why && !strstr(err.msg, why))
		fail_msg("message does not say '%s': %s", why, err.msg);
}

static void test_chain_verifies(void **state)
{
	struct fx *f = *state;
	struct vg_error err;
	int64_t count = -1, bad = -1;

	vg_error_clear(&err);
	assert_true(f->base >= 1);
	assert_int_equal(audit_verify(f->s, &count, &bad, &err), VG_OK);
	assert_int_equal(count, f->base + 4);
	assert_int_equal(bad, 0);

	/* more records, through other connections and transactions, still verify */
	{
		struct store *other = NULL;
		assert_int_equal(store_open(f->url, 0, &other, &err), VG_OK);
		add(other, "2026-05-01T00:00:00Z", "dave", "setting.set", "setting", "x", NULL,
		    NULL);
		assert_int_equal(store_tx_begin(other, &err), VG_OK);
		assert_int_equal(store_audit(other, "a.one", "t", "1", NULL, NULL, &err), VG_OK);
		assert_int_equal(store_audit(other, "a.two", "t", "2", NULL, NULL, &err), VG_OK);
		assert_int_equal(store_tx_commit(other, &err), VG_OK);
		store_close(other);
		add(f->s, "2026-05-02T00:00:00Z", "erin", "setting.set", "setting", "y", NULL,
		    json_pack("{s:[i,i]}", "v", 1, 2));
	}
	assert_int_equal(audit_verify(f->s, &count, &bad, &err), VG_OK);
	assert_int_equal(count, f->base + 8);
	assert_int_equal(bad, 0);
	/* the first record links to the zero hash */
	{
		char *prev = NULL;
		assert_int_equal(store_query_text(f->s, &prev, &err,
						  "SELECT prev_hash FROM audit_log WHERE seq = 1",
						  NULL),
				 VG_OK);
		assert_string_equal(prev, STORE_AUDIT_ZERO_HASH);
		free(prev);
	}
}

static void test_altered_after(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 3;
	tamper(f->s, "UPDATE audit_log SET after_json = ? WHERE seq = ?", "ti",
	       "{\"severity\":1,\"title\":\"CVE-2026-0001\"}", seq);
	expect_broken(f->s, seq, "altered");
}

static void test_altered_after_whitespace(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 1;
	/* the same JSON value, written differently: the stored text is what counts */
	tamper(f->s, "UPDATE audit_log SET after_json = ? WHERE seq = ?", "ti",
	       "{ \"name\": \"router\" }", seq);
	expect_broken(f->s, seq, NULL);
}

static void test_altered_before_to_null(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 4;
	tamper(f->s, "UPDATE audit_log SET before_json = NULL WHERE seq = ?", "i", seq);
	expect_broken(f->s, seq, "altered");
}

static void test_altered_actor(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 2;
	tamper(f->s, "UPDATE audit_log SET actor = 'mallory' WHERE seq = ?", "i", seq);
	expect_broken(f->s, seq, "altered");
}

static void test_altered_at(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 2;
	tamper(f->s, "UPDATE audit_log SET at = at + 1 WHERE seq = ?", "i", seq);
	expect_broken(f->s, seq, "altered");
}

static void test_altered_other_fields(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 1;
	tamper(f->s, "UPDATE audit_log SET object_id = '2' WHERE seq = ?", "i", seq);
	expect_broken(f->s, seq, "altered");
	tamper(f->s, "UPDATE audit_log SET object_id = '1' WHERE seq = ?", "i", seq);
	tamper(f->s, "UPDATE audit_log SET remote = '10.0.0.1' WHERE seq = ?", "i", seq + 1);
	expect_broken(f->s, seq + 1, "altered");
	tamper(f->s, "UPDATE audit_log SET remote = '198.51.100.4' WHERE seq = ?", "i", seq + 1);
	tamper(f->s, "UPDATE audit_log SET action = 'case.close' WHERE seq = ?", "i", seq + 2);
	expect_broken(f->s, seq + 2, "altered");
	tamper(f->s, "UPDATE audit_log SET action = 'case.open' WHERE seq = ?", "i", seq + 2);
	/* put back exactly: intact again */
	{
		int64_t count, bad;
		assert_int_equal(audit_verify(f->s, &count, &bad, NULL), VG_OK);
	}
	/* a record whose own hash was replaced: caught at that record */
	tamper(f->s, "UPDATE audit_log SET hash = ? WHERE seq = ?", "ti",
	       "1111111111111111111111111111111111111111111111111111111111111111", seq + 3);
	expect_broken(f->s, seq + 3, NULL);
}

static void test_removed_middle(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 2;
	tamper(f->s, "DELETE FROM audit_log WHERE seq = ?", "i", seq);
	expect_broken(f->s, seq, "removed");
}

static void test_removed_first(void **state)
{
	struct fx *f = *state;
	tamper(f->s, "DELETE FROM audit_log WHERE seq = 1", NULL);
	expect_broken(f->s, 1, "removed");
}

static void test_removed_and_renumbered(void **state)
{
	struct fx *f = *state;
	int64_t seq = f->base + 2;
	/* hide the gap by moving the later records down */
	tamper(f->s, "DELETE FROM audit_log WHERE seq = ?", "i", seq);
	tamper(f->s, "UPDATE audit_log SET seq = seq - 1 WHERE seq > ?", "i", seq);
	expect_broken(f->s, seq, NULL);
}

static void test_reordered(void **state)
{
	struct fx *f = *state;
	int64_t a = f->base + 2, b = f->base + 3;
	/* swap two records' sequence numbers */
	tamper(f->s, "UPDATE audit_log SET seq = -1 WHERE seq = ?", "i", a);
	tamper(f->s, "UPDATE audit_log SET seq = ? WHERE seq = ?", "ii", a, b);
	tamper(f->s, "UPDATE audit_log SET seq = ? WHERE seq = -1", "i", b);
	expect_broken(f->s, a, NULL);
}

static void test_forged_append(void **state)
{
	struct fx *f = *state;
	struct vg_error err;
	int64_t seq = f->base + 5, count, bad;
	char h[VG_SHA256_HEX];
	const char *wrong_prev = STORE_AUDIT_ZERO_HASH;

	/* a well-formed record with a correct own hash, linked to the wrong parent */
	assert_int_equal(store_audit_hash(seq, 1790000000, "mallory", "", "user.create", "user",
					  "mallory", NULL, "{\"role\":\"admin\"}", wrong_prev, h),
			 VG_OK);
	vg_error_clear(&err);
	assert_int_equal(store_exec(f->s, &err,
				    "INSERT INTO audit_log (seq, at, actor, remote, action, "
				    "object_type, object_id, before_json, after_json, prev_hash, "
				    "hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
				    "iitttttnttt", seq, (int64_t)1790000000, "mallory", "",
				    "user.create", "user", "mallory", "{\"role\":\"admin\"}",
				    wrong_prev, h),
			 VG_OK);
	expect_broken(f->s, seq, "previous-hash");
	assert_int_equal(audit_verify(f->s, &count, &bad, NULL), VG_EAUDIT);
	assert_int_equal(count, seq);
}

static void test_forged_append_bad_hash(void **state)
{
	struct fx *f = *state;
	struct vg_error err;
	int64_t seq = f->base + 5;
	char *last = NULL;

	/* right parent, made-up own hash */
	vg_error_clear(&err);
	assert_int_equal(store_query_text(f->s, &last, &err,
					  "SELECT hash FROM audit_log WHERE seq = ?", "i",
					  f->base + 4),
			 VG_OK);
	assert_int_equal(
	    store_exec(f->s, &err,
		       "INSERT INTO audit_log (seq, at, actor, remote, action, "
		       "object_type, object_id, before_json, after_json, prev_hash, "
		       "hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		       "iitttttnntt", seq, (int64_t)1790000000, "mallory", "", "user.create",
		       "user", "mallory", last,
		       "2222222222222222222222222222222222222222222222222222222222222222"),
	    VG_OK);
	free(last);
	expect_broken(f->s, seq, "altered");
}

static void test_empty_chain(void **state)
{
	struct fx *f = *state;
	int64_t count = -1, bad = -1;
	tamper(f->s, "DELETE FROM audit_log", NULL);
	assert_int_equal(audit_verify(f->s, &count, &bad, NULL), VG_OK);
	assert_int_equal(count, 0);
	assert_int_equal(bad, 0);
	/* a new chain starts at 1 from the zero hash */
	add(f->s, "2026-06-01T00:00:00Z", "system", "x.y", "t", "1", NULL, NULL);
	assert_int_equal(audit_verify(f->s, &count, &bad, NULL), VG_OK);
	assert_int_equal(count, 1);
}

/* Run a query and return the seq values it found, as "a,b,c". */
static void query_seqs(struct store *s, const struct audit_filter *flt, char *out, size_t n)
{
	struct vg_error err;
	struct audit_entry_list l;
	size_t o = 0;

	vg_error_clear(&err);
	if (audit_query(s, flt, &l, &err) != VG_OK)
		fail_msg("audit_query: %s", err.msg);
	out[0] = '\0';
	for (size_t i = 0; i < l.n; i++) {
		o += (size_t)snprintf(out + o, n - o, "%s%lld", i ? "," : "",
				      (long long)l.items[i].seq);
		assert_true(o < n);
	}
	audit_entry_list_release(&l);
}

static void expect_seqs(struct fx *f, const struct audit_filter *flt, const int *rel, int n)
{
	char got[512], want[512];
	size_t o = 0;

	want[0] = '\0';
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(want + o, sizeof(want) - o, "%s%lld", i ? "," : "",
				      (long long)(rel[i] > 0 ? f->base + rel[i] : -rel[i]));
	query_seqs(f->s, flt, got, sizeof(got));
	assert_string_equal(got, want);
}

static void test_query_filters(void **state)
{
	struct fx *f = *state;
	struct audit_filter flt;
	int64_t jan = 0, feb = 0, mar = 0, apr = 0;

	assert_int_equal(vg_time_parse("2026-01-01T00:00:00Z", &jan, NULL), VG_OK);
	assert_int_equal(vg_time_parse("2026-02-01T00:00:00Z", &feb, NULL), VG_OK);
	assert_int_equal(vg_time_parse("2026-03-01T00:00:00Z", &mar, NULL), VG_OK);
	assert_int_equal(vg_time_parse("2026-04-01T00:00:00Z", &apr, NULL), VG_OK);

	/* since is inclusive */
	memset(&flt, 0, sizeof(flt));
	flt.since = feb;
	expect_seqs(f, &flt, (int[]){2, 3, 4}, 3);
	flt.since = feb + 1;
	expect_seqs(f, &flt, (int[]){3, 4}, 2);
	/* until is inclusive */
	memset(&flt, 0, sizeof(flt));
	flt.until = jan;
	{
		/* the migrations' records (at T0) and the first one */
		struct vg_error err;
		struct audit_entry_list l;
		char ts[32];
		assert_int_equal(audit_query(f->s, &flt, &l, &err), VG_OK);
		assert_int_equal(l.n, f->base + 1);
		assert_int_equal(l.items[0].seq, 1);
		assert_string_equal(vg_time_format(l.items[0].at, ts, sizeof(ts)), T0);
		audit_entry_list_release(&l);
		flt.since = jan;
		expect_seqs(f, &flt, (int[]){1}, 1);
	}
	flt.since = feb;
	flt.until = mar;
	expect_seqs(f, &flt, (int[]){2, 3}, 2);
	flt.since = apr + 1;
	flt.until = 0;
	expect_seqs(f, &flt, NULL, 0);

	memset(&flt, 0, sizeof(flt));
	flt.actor = "alice";
	expect_seqs(f, &flt, (int[]){1, 3}, 2);
	flt.actor = "nobody";
	expect_seqs(f, &flt, NULL, 0);
	flt.actor = "Alice"; /* exact match */
	expect_seqs(f, &flt, NULL, 0);

	memset(&flt, 0, sizeof(flt));
	flt.otype = "product";
	expect_seqs(f, &flt, (int[]){1, 2, 4}, 3);
	flt.oid = "1";
	expect_seqs(f, &flt, (int[]){1, 4}, 2);
	flt.otype = "case";
	expect_seqs(f, &flt, NULL, 0);
	flt.oid = "7";
	expect_seqs(f, &flt, (int[]){3}, 1);
	flt.otype = NULL;
	expect_seqs(f, &flt, (int[]){3}, 1);

	/* filters combine */
	memset(&flt, 0, sizeof(flt));
	flt.actor = "alice";
	flt.otype = "product";
	expect_seqs(f, &flt, (int[]){1}, 1);
	flt.since = feb;
	expect_seqs(f, &flt, NULL, 0);

	/* paging: after_seq + limit walk every record exactly once, oldest first */
	memset(&flt, 0, sizeof(flt));
	flt.after_seq = f->base + 2;
	expect_seqs(f, &flt, (int[]){3, 4}, 2);
	flt.after_seq = f->base + 4;
	expect_seqs(f, &flt, NULL, 0);
	memset(&flt, 0, sizeof(flt));
	flt.limit = 2;
	expect_seqs(f, &flt, (int[]){-1, -2}, 2);
	{
		int64_t seen = 0;
		for (int page = 0; page < 100; page++) {
			struct vg_error err;
			struct audit_entry_list l;
			size_t n;
			assert_int_equal(audit_query(f->s, &flt, &l, &err), VG_OK);
			n = l.n;
			assert_true(n <= 2);
			for (size_t i = 0; i < n; i++) {
				int64_t seq = l.items[i].seq;
				assert_int_equal(seq, seen + 1);
				seen = seq;
			}
			audit_entry_list_release(&l);
			if (n == 0)
				break;
			flt.after_seq = seen;
		}
		assert_int_equal(seen, f->base + 4);
	}
	/* limit with filters */
	memset(&flt, 0, sizeof(flt));
	flt.otype = "product";
	flt.limit = 1;
	flt.after_seq = f->base + 1;
	expect_seqs(f, &flt, (int[]){2}, 1);
}

static void test_query_record_shape(void **state)
{
	struct fx *f = *state;
	struct audit_filter flt;
	struct vg_error err;
	json_t *arr = NULL, *r, *prev;

	memset(&flt, 0, sizeof(flt));
	flt.after_seq = f->base + 2;
	vg_error_clear(&err);
	assert_int_equal(audit_query_json(f->s, &flt, &arr, &err), VG_OK);
	assert_int_equal(json_array_size(arr), 2);
	prev = json_array_get(arr, 0);
	r = json_array_get(arr, 1);
	assert_int_equal(json_integer_value(json_object_get(r, "seq")), f->base + 4);
	assert_string_equal(vg_json_str(r, "at"), "2026-04-01T00:00:00Z");
	assert_string_equal(vg_json_str(r, "actor"), "carol");
	assert_string_equal(vg_json_str(r, "remote"), "198.51.100.4");
	assert_string_equal(vg_json_str(r, "action"), "product.update");
	assert_string_equal(vg_json_str(r, "object_type"), "product");
	assert_string_equal(vg_json_str(r, "object_id"), "1");
	/* before/after come back as JSON values, not text */
	assert_string_equal(vg_json_str(json_object_get(r, "before"), "name"), "router");
	assert_string_equal(vg_json_str(json_object_get(r, "after"), "name"), "router-x");
	assert_true(json_is_null(json_object_get(prev, "before")));
	assert_int_equal(vg_json_int(json_object_get(prev, "after"), "severity", 0), 9);
	/* the chain is visible */
	assert_int_equal(strlen(vg_json_str(r, "hash")), 64);
	assert_string_equal(vg_json_str(r, "prev_hash"), vg_json_str(prev, "hash"));
	json_decref(arr);
	/* the typed record keeps the states as recorded text */
	{
		struct audit_entry_list l;
		int64_t n = 0, last = 0;
		assert_int_equal(audit_query(f->s, &flt, &l, &err), VG_OK);
		assert_int_equal(l.n, 2);
		assert_null(l.items[0].before_json);
		assert_non_null(strstr(l.items[1].before_json, "router"));
		assert_int_equal(strlen(l.items[1].prev_hash), 64);
		audit_entry_list_release(&l);
		assert_int_equal(l.n, 0);
		assert_int_equal(audit_count(f->s, &n, &err), VG_OK);
		assert_int_equal(n, f->base + 4);
		assert_int_equal(audit_last_seq(f->s, &last, &err), VG_OK);
		assert_int_equal(last, f->base + 4);
	}
}

/* An anonymous caller's address is kept keyed ("anon:" + 16 hex digits of
 * the reporter-addr HMAC), a named actor's as given; a record holding an
 * address in clear (written before migration 0018) is shown keyed, without
 * the plain hash of case.received, while verify still checks what is stored. */
static void test_anonymous_remote_keyed(void **state)
{
	struct fx *f = *state;
	struct audit_filter flt;
	struct audit_entry_list l;
	struct vg_error err;
	char key[256], mac[65], want[64], *raw = NULL;
	int64_t count = 0, bad = 0;
	json_t *after;

	snprintf(key, sizeof(key), "%s/vigil-test-audit-%d.key",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	setenv("VIGIL_SECRETS_KEY_FILE", key, 1);
	vg_secret_reset();
	vg_error_clear(&err);
	assert_int_equal(vg_secret_mac_hex("reporter-addr", "203.0.113.9", 11, mac, &err), VG_OK);
	snprintf(want, sizeof(want), "anon:%.16s", mac);

	store_set_actor(f->s, "anonymous", "203.0.113.9");
	assert_string_equal(store_remote(f->s), want);
	after = json_pack("{s:s}", "state", "received");
	assert_int_equal(store_audit(f->s, "case.received", "case", "8", NULL, after, &err), VG_OK);
	json_decref(after); /* store_audit borrows it */
	assert_int_equal(store_query_text(f->s, &raw, &err,
					  "SELECT remote FROM audit_log WHERE seq = ?", "i",
					  f->base + 5),
			 VG_OK);
	assert_string_equal(raw, want);
	free(raw);
	store_set_actor(f->s, "alice", "203.0.113.9");
	assert_string_equal(store_remote(f->s), "203.0.113.9");

	/* an older record: the address and its plain hash in clear */
	tamper(f->s,
	       "UPDATE audit_log SET remote = '203.0.113.9', after_json = "
	       "'{\"remote_sha256\":\"abc\",\"state\":\"received\"}' WHERE seq = ?",
	       "i", f->base + 5);
	memset(&flt, 0, sizeof(flt));
	flt.after_seq = f->base + 4;
	assert_int_equal(audit_query(f->s, &flt, &l, &err), VG_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].remote, want);
	assert_string_equal(l.items[0].after_json, "{\"state\":\"received\"}");
	audit_entry_list_release(&l);
	assert_int_equal(audit_verify(f->s, &count, &bad, &err), VG_EAUDIT);
	assert_int_equal(bad, f->base + 5);
	unlink(key);
	unsetenv("VIGIL_SECRETS_KEY_FILE");
	vg_secret_reset();
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_chain_verifies),
	    T(test_altered_after),
	    T(test_altered_after_whitespace),
	    T(test_altered_before_to_null),
	    T(test_altered_actor),
	    T(test_altered_at),
	    T(test_altered_other_fields),
	    T(test_removed_middle),
	    T(test_removed_first),
	    T(test_removed_and_renumbered),
	    T(test_reordered),
	    T(test_forged_append),
	    T(test_forged_append_bad_hash),
	    T(test_empty_chain),
	    T(test_query_filters),
	    T(test_query_record_shape),
	    T(test_anonymous_remote_keyed),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
