/*
 * test_tuf.c - the pure parts of the TUF repository: OLPC canonical JSON (as
 * securesystemslib and tuf-js encode what is signed), metadata file names as
 * clients ask for them, Range headers; and update_tuf_add_targets() on a
 * store (both backends): several targets in one signing, bytes stored
 * before, refusals that sign nothing.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "store/store.h"
#include "testdb.h"
#include "update/signer.h"
#include "update/signer_admin.h"
#include "update/tuf.h"

#include <stdio.h>
#include <stdlib.h>
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
	/* a version and no role (found by fuzz_tuf: read before the name) */
	assert_int_equal(tuf_metadata_name_parse("2.json", r, sizeof(r), &v), -1);
	assert_int_equal(tuf_metadata_name_parse("12.json", r, sizeof(r), &v), -1);
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

/* ---- update_tuf_add_targets(), the function release publishing calls ---- */

struct fx {
	char *url;
	struct store *s;
	char dir[64];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	static const char *const names[] = {"root", "tg", "sn", "ts", "prod"};
	struct tuf_init_opts o = {.root_signers = "root",
				  .root_threshold = 1,
				  .targets_signer = "tg",
				  .snapshot_signer = "sn",
				  .timestamp_signer = "ts"};
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-tuf-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	/* target bytes live in the artifact store: the database backend works on both */
	vg_config_set("update.artifact_store", "db");
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "store_open %s: %s\n", f->url, err.msg);
		return -1;
	}
	store_set_actor(f->s, "unit", "local");
	for (size_t i = 0; i < 5; i++) {
		char path[128];
		struct update_signer_spec sp = {.name = names[i],
						.kind = "software",
						.uri = path,
						.alg =
						    i == 4 ? UPDATE_ALG_P256 : UPDATE_ALG_ED25519};
		snprintf(path, sizeof(path), "%s/%s.key", f->dir, names[i]);
		if (update_signer_keygen(f->s, &sp, NULL, &err)) {
			fprintf(stderr, "keygen: %s\n", err.msg);
			return -1;
		}
	}
	if (tuf_init(f->s, &o, &err) || tuf_delegate(f->s, "acme", "prod", &err)) {
		fprintf(stderr, "tuf: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	char cmd[160];
	store_close(f->s);
	testdb_drop(f->url);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

static int64_t newest(struct store *s, const char *role)
{
	int64_t v = -1;
	struct vg_error err = {0};
	assert_int_equal(store_query_int64(s, &v, &err,
					   "SELECT MAX(version) FROM tuf_metadata WHERE role = ?",
					   "t", role),
			 VG_OK);
	return v;
}

static void test_add_targets(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	char sha[65], *data = NULL;
	size_t n = 0;
	struct update_tuf_target two[2] = {{.name = "a.bin", .data = "aaa", .length = 3},
					   {.name = "b.bin", .data = "bbbb", .length = 4}};
	int64_t ts = newest(f->s, "timestamp"), pr = newest(f->s, "products/acme");

	/* several targets in one signing of the role, snapshot and timestamp */
	assert_int_equal(update_tuf_add_targets(f->s, "acme", two, 2, &err), VG_OK);
	assert_int_equal(newest(f->s, "products/acme"), pr + 1);
	assert_int_equal(newest(f->s, "timestamp"), ts + 1);
	vg_sha256_hex("bbbb", 4, sha);
	{
		char path[160];
		snprintf(path, sizeof(path), "acme/%s.b.bin", sha);
		assert_int_equal(tuf_target_file(f->s, path, &data, &n, sha, &err), VG_OK);
		assert_int_equal(n, 4);
		assert_memory_equal(data, "bbbb", 4);
		free(data);
	}

	/* bytes stored before, named by hash and length (as publish passes them) */
	{
		struct update_tuf_target t = {.name = "c.bin", .sha256 = sha, .length = 4};
		assert_int_equal(update_tuf_add_targets(f->s, "acme", &t, 1, &err), VG_OK);
	}

	/* refused, and nothing signed: */
	ts = newest(f->s, "timestamp");
	pr = newest(f->s, "products/acme");
	{
		struct update_tuf_target bad[] = {
		    {.name = "d.bin", .sha256 = sha, .length = 5},              /* no such bytes */
		    {.name = "e.bin", .data = "x", .length = 1, .sha256 = sha}, /* wrong hash */
		    {.name = "../f", .data = "x", .length = 1},                 /* a path */
		    {.name = "g.bin", .sha256 = "ABC", .length = 1},            /* not a hash */
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct vg_error e = {0};
			assert_int_not_equal(update_tuf_add_targets(f->s, "acme", &bad[i], 1, &e),
					     VG_OK);
			assert_true(e.msg[0] != '\0');
		}
		/* one good and one bad: neither */
		struct update_tuf_target mixed[2] = {{.name = "h.bin", .data = "h", .length = 1},
						     {.name = "i.bin", .sha256 = sha, .length = 9}};
		assert_int_not_equal(update_tuf_add_targets(f->s, "acme", mixed, 2, &err), VG_OK);
	}
	assert_int_equal(newest(f->s, "timestamp"), ts);
	assert_int_equal(newest(f->s, "products/acme"), pr);
	{
		int64_t c = -1;
		assert_int_equal(
		    store_query_int64(f->s, &c, &err,
				      "SELECT COUNT(*) FROM tuf_targets WHERE name = ?", "t",
				      "acme/h.bin"),
		    VG_OK);
		assert_int_equal(c, 0);
	}
	/* a product without a delegated role */
	assert_int_equal(update_tuf_add_targets(f->s, "other", two, 1, &err), VG_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical),
	    cmocka_unit_test(test_canonical_refuses_reals),
	    cmocka_unit_test(test_key_id),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test_setup_teardown(test_add_targets, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
