/*
 * test_tuf.c - the pure parts of the TUF repository: OLPC canonical JSON (as
 * securesystemslib and tuf-js encode what is signed), metadata file names as
 * clients ask for them, and Range headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "update/tuf.h"

#include <string.h>

static void canon_is(const char *json, const char *want)
{
	struct vg_error err = {0};
	struct vg_buf b = VG_BUF_INIT;
	json_t *v = vg_json_parse(json, strlen(json), "test", &err);
	assert_non_null(v);
	assert_int_equal(tuf_canonical_json(v, &b, &err), VG_OK);
	assert_int_equal(vg_buf_addc(&b, '\0'), VG_OK);
	if (strcmp(b.data, want) != 0)
		fail_msg("canonical(%s)\n  got  %s\n  want %s", json, b.data, want);
	json_decref(v);
	vg_buf_release(&b);
}

static void test_canonical(void **state)
{
	(void)state;
	/* keys sorted by their bytes, no white space */
	canon_is("{ \"b\": 1, \"a\": [true, false, null], \"A\": {} }",
		 "{\"A\":{},\"a\":[true,false,null],\"b\":1}");
	/* only backslash and double quote are escaped; the rest as it is */
	canon_is("{\"k\": \"a\\\\b \\\"q\\\" \\n \\u00e9 /\"}",
		 "{\"k\":\"a\\\\b \\\"q\\\" \n \xc3\xa9 /\"}");
	canon_is("[-1, 0, 9007199254740993]", "[-1,0,9007199254740993]");
	canon_is("{\"z\": {\"y\": [{\"b\": 2, \"a\": 1}]}}", "{\"z\":{\"y\":[{\"a\":1,\"b\":2}]}}");
}

static void test_canonical_refuses_reals(void **state)
{
	struct vg_error err = {0};
	struct vg_buf b = VG_BUF_INIT;
	json_t *v = json_pack("{s:f}", "x", 1.5);
	(void)state;
	assert_int_equal(tuf_canonical_json(v, &b, &err), VG_EINVAL);
	assert_non_null(strstr(vg_error_msg(&err), "real"));
	json_decref(v);
	vg_buf_release(&b);
}

static void test_key_id(void **state)
{
	/* the key id is the SHA-256 of the canonical key object: the same for
	 * any order of its members */
	struct vg_error err = {0};
	struct vg_buf a = VG_BUF_INIT, b = VG_BUF_INIT;
	json_t *k1 = json_pack("{s:s, s:s, s:{s:s}}", "keytype", "ed25519", "scheme", "ed25519",
			       "keyval", "public", "ab");
	json_t *k2 = json_pack("{s:{s:s}, s:s, s:s}", "keyval", "public", "ab", "scheme", "ed25519",
			       "keytype", "ed25519");
	(void)state;
	assert_int_equal(tuf_canonical_json(k1, &a, &err), VG_OK);
	assert_int_equal(tuf_canonical_json(k2, &b, &err), VG_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_int_equal(vg_buf_addc(&a, '\0'), VG_OK);
	assert_string_equal(
	    a.data,
	    "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"ab\"},\"scheme\":\"ed25519\"}");
	json_decref(k1);
	json_decref(k2);
	vg_buf_release(&a);
	vg_buf_release(&b);
}

static void name_is(const char *file, const char *role, int64_t version)
{
	char r[200];
	int64_t v = -1;
	if (tuf_metadata_name_parse(file, r, sizeof(r), &v) != 0)
		fail_msg("%s: refused", file);
	assert_string_equal(r, role);
	assert_int_equal(v, version);
}

static void test_names(void **state)
{
	char r[200];
	int64_t v;
	(void)state;
	name_is("timestamp.json", "timestamp", 0);
	name_is("root.json", "root", 0);
	name_is("3.root.json", "root", 3);
	name_is("12.snapshot.json", "snapshot", 12);
	name_is("2.products%2Facme.json", "products/acme", 2);
	name_is("2.products%2facme.json", "products/acme", 2);
	name_is("2.products/acme.json", "products/acme", 2);
	assert_int_equal(tuf_metadata_name_parse("3.timestamp.json", r, sizeof(r), &v), -1);
	assert_int_equal(tuf_metadata_name_parse("root.txt", r, sizeof(r), &v), -1);
	assert_int_equal(tuf_metadata_name_parse(".json", r, sizeof(r), &v), -1);
	assert_int_equal(tuf_metadata_name_parse("0.root.json", r, sizeof(r), &v), -1);
	assert_int_equal(
	    tuf_metadata_name_parse("99999999999999999999.root.json", r, sizeof(r), &v), -1);
	assert_int_equal(tuf_metadata_name_parse("1.../x.json", r, sizeof(r), &v), -1);
	assert_int_equal(tuf_metadata_name_parse("/etc.json", r, sizeof(r), &v), -1);
}

static void range_is(const char *h, size_t n, int want, size_t from, size_t to)
{
	size_t f = 99, t = 99;
	int r = tuf_range_parse(h, n, &f, &t);
	if (r != want)
		fail_msg("range %s of %zu: %d, want %d", h ? h : "(none)", n, r, want);
	if (r == 1) {
		assert_int_equal(f, from);
		assert_int_equal(t, to);
	}
}

static void test_ranges(void **state)
{
	(void)state;
	range_is(NULL, 10, 0, 0, 0);
	range_is("bytes=0-3", 10, 1, 0, 3);
	range_is("bytes=2-", 10, 1, 2, 9);
	range_is("bytes=5-100", 10, 1, 5, 9);
	range_is("bytes=-4", 10, 1, 6, 9);
	range_is("bytes=-40", 10, 1, 0, 9);
	range_is("bytes=10-", 10, -1, 0, 0);
	range_is("bytes=-0", 10, -1, 0, 0);
	range_is("bytes=0-", 0, -1, 0, 0);
	range_is("bytes=3-1", 10, 0, 0, 0);
	range_is("bytes=0-1,3-4", 10, 0, 0, 0);
	range_is("items=0-1", 10, 0, 0, 0);
	range_is("bytes=a-b", 10, 0, 0, 0);
	range_is("bytes=1-2x", 10, 0, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical), cmocka_unit_test(test_canonical_refuses_reals),
	    cmocka_unit_test(test_key_id),    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
