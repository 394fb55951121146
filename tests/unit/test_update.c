/*
 * test_update.c - the update room's pure checks and its artifact store:
 * target names, provenance documents, the artifact store's settings, and a
 * round trip through both stores (the directory and the database in 1 MiB
 * chunks: reads across a chunk boundary, the hash of the stored bytes, a
 * chunk changed behind the store's back found by the re-hash), on the
 * backend under test.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "store/store.h"
#include "testdb.h"
#include "update/release.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_names(void **state)
{
	static const char *const good[] = {
	    "fw.img", "images/fw-1.2.img", "a/b/c.tar.gz", "..hidden", "x..y", NULL};
	static const char *const bad[] = {"",
					  "/abs",
					  "../x",
					  "a/../b",
					  "a//b",
					  "a/",
					  "./a",
					  ".",
					  "..",
					  "a\\b",
					  "a\tb",
					  "a\x01",
					  "a\xe2\x80\xae"
					  "b",
					  NULL};
	struct vg_error err = {0};
	(void)state;
	for (int i = 0; good[i]; i++)
		assert_int_equal(artifact_name_check(good[i], &err), VG_OK);
	for (int i = 0; bad[i]; i++) {
		vg_error_clear(&err);
		assert_int_not_equal(artifact_name_check(bad[i], &err), VG_OK);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_provenance(void **state)
{
	const char *sha = "ab00000000000000000000000000000000000000000000000000000000000000";
	const char *ok = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":"
			 "\"f\",\"digest\":{\"sha256\":\"AB000000000000000000000000000000000000000"
			 "00000000000000000000000\"}}],\"predicateType\":\"https://slsa.dev/"
			 "provenance/v1\",\"predicate\":{}}";
	const char *other = "{\"_type\":\"t\",\"subject\":[{\"digest\":{\"sha256\":\"cd\"}}],"
			    "\"predicateType\":\"p\"}";
	/* {"_type":"x","predicateType":"y"} */
	const char *dsse = "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":"
			   "\"eyJfdHlwZSI6IngiLCJwcmVkaWNhdGVUeXBlIjoieSJ9\",\"signatures\":[]}";
	struct vg_error err = {0};
	char *type = NULL;
	(void)state;
	assert_int_equal(release_provenance_check(ok, strlen(ok), sha, &type, &err), VG_OK);
	assert_string_equal(type, "https://slsa.dev/provenance/v1");
	free(type);
	assert_int_equal(release_provenance_check(dsse, strlen(dsse), sha, &type, &err), VG_OK);
	assert_string_equal(type, "y");
	free(type);
	assert_int_equal(release_provenance_check(other, strlen(other), sha, &type, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "no subject has this artifact"));
	assert_null(type);
	assert_int_equal(release_provenance_check("{\"_type\":1}", 11, sha, &type, &err),
			 VG_EINVAL);
	assert_int_not_equal(release_provenance_check("[1,", 3, sha, &type, &err), VG_OK);
	assert_int_equal(release_provenance_check("{\"payloadType\":\"x\",\"payload\":\"!!\"}", 34,
						  sha, &type, &err),
			 VG_EINVAL);
}

/* A round trip of n bytes through the store named backend. */
static void round_trip(const char *backend, size_t n)
{
	char *url = testdb_fresh(), dir[600], sha[65], again[65], key[32];
	struct store *s = NULL;
	struct vg_error err = {0};
	struct artifact_reader *r = NULL;
	struct artifact_src src;
	char *data = malloc(n), buf[64];
	int created = 0;
	long got;

	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 + i / 1000);
	snprintf(dir, sizeof(dir), "%s.artifacts-unit", url);
	vg_config_set("update.artifact_store", backend);
	vg_config_set("update.artifact_dir", testdb_is_pg() ? "/tmp/vigil-unit-artifacts" : dir);
	assert_int_equal(store_open(url, 1, &s, &err), VG_OK);
	src.fd = -1;
	src.mem = data;
	src.len = n;
	src.what = "test bytes";
	assert_int_equal(artifact_hash_src(&src, sha, &err), VG_OK);
	assert_string_equal(sha, vg_sha256_hex(data, n, again));
	assert_int_equal(store_tx_begin(s, &err), VG_OK);
	assert_int_equal(artifact_put(s, &src, sha, &created, &err), VG_OK);
	assert_int_equal(store_audit(s, "test.put", "artifact", sha, NULL, NULL, &err), VG_OK);
	assert_int_equal(store_tx_commit(s, &err), VG_OK);
	assert_int_equal(created, strcmp(backend, "dir") == 0);

	assert_int_equal(artifact_open(s, sha, &r, &err), VG_OK);
	assert_string_equal(artifact_reader_backend(r), backend);
	assert_int_equal(artifact_reader_size(r), n);
	/* across the first chunk boundary */
	got = artifact_read_at(r, s, ARTIFACT_CHUNK - 10, buf, sizeof(buf), &err);
	assert_true(got > 0 && got <= (long)sizeof(buf));
	assert_memory_equal(buf, data + ARTIFACT_CHUNK - 10, (size_t)got);
	assert_int_equal(artifact_reader_hash(r, s, again, &err), VG_OK);
	assert_string_equal(again, sha);
	artifact_close(r);

	/* a changed chunk is found by the re-hash */
	if (strcmp(backend, "db") == 0) {
		char zero[16] = {0};
		assert_int_equal(store_tx_begin(s, &err), VG_OK);
		assert_int_equal(
		    store_exec(s, &err,
			       "UPDATE artifact_chunks SET data = ? WHERE sha256 = ? AND "
			       "seq = 1",
			       "bt", zero, sizeof(zero), sha),
		    VG_OK);
		assert_int_equal(store_audit(s, "test.tamper", "artifact", sha, NULL, NULL, &err),
				 VG_OK);
		assert_int_equal(store_tx_commit(s, &err), VG_OK);
		assert_int_equal(artifact_open(s, sha, &r, &err), VG_OK);
		assert_int_not_equal(artifact_reader_hash(r, s, again, &err), VG_OK);
		assert_non_null(strstr(err.msg, "shorter than recorded"));
		artifact_close(r);
	}
	(void)key;
	store_close(s);
	free(data);
	testdb_drop(url);
}

static void test_store_dir(void **state)
{
	(void)state;
	round_trip("dir", 2 * ARTIFACT_CHUNK + 12345);
}

static void test_store_db(void **state)
{
	(void)state;
	round_trip("db", 2 * ARTIFACT_CHUNK + 12345);
}

static void test_settings(void **state)
{
	char *url = testdb_fresh(), backend[8], dir[600];
	struct store *s = NULL;
	struct vg_error err = {0};
	(void)state;
	assert_int_equal(store_open(url, 1, &s, &err), VG_OK);
	vg_config_set("update.artifact_store", "tape");
	assert_int_equal(artifact_config(s, backend, dir, sizeof(dir), &err), VG_EUSAGE);
	assert_non_null(strstr(err.msg, "update.artifact_store"));
	vg_config_set("update.artifact_store", "dir");
	vg_config_set("update.artifact_dir", "");
	if (testdb_is_pg()) {
		assert_int_equal(artifact_config(s, backend, dir, sizeof(dir), &err), VG_EUSAGE);
		assert_non_null(strstr(err.msg, "update.artifact_dir"));
	} else {
		assert_int_equal(artifact_config(s, backend, dir, sizeof(dir), &err), VG_OK);
		assert_non_null(strstr(dir, ".artifacts"));
	}
	store_close(s);
	testdb_drop(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),     cmocka_unit_test(test_provenance),
	    cmocka_unit_test(test_store_dir), cmocka_unit_test(test_store_db),
	    cmocka_unit_test(test_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
