/*
 * test_bundle.c - signed .tar.zst bundles: written, verified, and every kind
 * of tampering refused (a changed byte, a removed or added file, a wrong
 * key, path traversal, a link, an oversized member).
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/note.h"
#include "core/error.h"
#include "core/json.h"
#include "evidence/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SKEY_PETER "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define VKEY_PETER "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define VKEY_ENOCH "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"

static char g_dir[64];
static char g_path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof(g_dir), "/tmp/vg-bundle-XXXXXX");
	assert_non_null(mkdtemp(g_dir));
	snprintf(g_path, sizeof(g_path), "%s/b.tar.zst", g_dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void make_bundle(const char *path)
{
	struct vg_error err = {0};
	struct note_signer s;
	struct bundle_writer *w;
	char src[160];
	FILE *f;
	json_t *scope = json_pack("{s:s}", "case", "C-1");
	struct bundle_info info = {.kind = "evidence", .scope = scope, .created = 1700000000};

	snprintf(src, sizeof(src), "%s/src.txt", g_dir);
	f = fopen(src, "w");
	assert_non_null(f);
	fputs("streamed from a file\n", f);
	fclose(f);
	assert_int_equal(note_signer_from_skey(SKEY_PETER, &s, &err), VG_OK);
	assert_int_equal(bundle_create(path, &w, &err), VG_OK);
	assert_int_equal(bundle_add(w, "audit/records.jsonl", "{\"seq\":1}\n", 10, &err), VG_OK);
	assert_int_equal(bundle_add_file(w, "sbom/original.json", src, &err), VG_OK);
	assert_int_equal(bundle_add(w, "empty.txt", NULL, 0, &err), VG_OK);
	assert_true(bundle_has(w, "empty.txt"));
	assert_int_equal(bundle_finish(w, &info, &s, &err), VG_OK);
	note_signer_release(&s);
	json_decref(scope);
}

static int verify(const char *path, const char *vkey, struct bundle_report *rep,
		  struct vg_error *err)
{
	struct note_verifier v;
	struct vg_error e = {0};
	if (vkey)
		assert_int_equal(note_vkey_parse(vkey, &v, &e), VG_OK);
	return bundle_verify(path, &v, vkey ? 1 : 0, NULL, rep, err);
}

enum tamper { T_FLIP, T_DROP, T_ADD, T_TRAVERSE, T_SYMLINK, T_ABSOLUTE, T_DUP };

/* Copy the bundle at in to out through libarchive, changing one thing. */
static void rewrite(const char *in, const char *out, enum tamper t, const char *target)
{
	struct archive *r = archive_read_new(), *w = archive_write_new();
	struct archive_entry *e;
	char buf[65536];

	archive_read_support_filter_zstd(r);
	archive_read_support_format_tar(r);
	assert_int_equal(archive_read_open_filename(r, in, 65536), ARCHIVE_OK);
	archive_write_set_format_pax_restricted(w);
	archive_write_add_filter_zstd(w);
	assert_int_equal(archive_write_open_filename(w, out), ARCHIVE_OK);
	while (archive_read_next_header(r, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		la_ssize_t k;
		size_t n = 0;
		int hit = strcmp(name, target) == 0;

		while ((k = archive_read_data(r, buf + n, sizeof(buf) - n)) > 0)
			n += (size_t)k;
		if (hit && t == T_DROP)
			continue;
		if (hit && t == T_FLIP)
			buf[0] ^= 0x01;
		if (hit && t == T_TRAVERSE)
			archive_entry_set_pathname(e, "../../etc/evil");
		if (hit && t == T_ABSOLUTE)
			archive_entry_set_pathname(e, "/etc/evil");
		archive_write_header(w, e);
		archive_write_data(w, buf, n);
		if (hit && (t == T_ADD || t == T_SYMLINK || t == T_DUP)) {
			struct archive_entry *x = archive_entry_new();
			archive_entry_set_pathname(x, t == T_DUP ? name : "extra.txt");
			if (t == T_SYMLINK) {
				archive_entry_set_filetype(x, AE_IFLNK);
				archive_entry_set_symlink(x, "/etc/passwd");
				archive_entry_set_size(x, 0);
				archive_entry_set_perm(x, 0777);
				archive_write_header(w, x);
			} else {
				archive_entry_set_filetype(x, AE_IFREG);
				archive_entry_set_size(x, 5);
				archive_entry_set_perm(x, 0644);
				archive_write_header(w, x);
				archive_write_data(w, "extra", 5);
			}
			archive_entry_free(x);
		}
	}
	archive_read_free(r);
	archive_write_close(w);
	archive_write_free(w);
}

static void test_roundtrip(void **state)
{
	struct bundle_report rep;
	struct vg_error err = {0};
	char *data = NULL;
	size_t n = 0;
	(void)state;

	make_bundle(g_path);
	assert_int_equal(verify(g_path, VKEY_PETER, &rep, &err), VG_OK);
	assert_string_equal(rep.kind, "evidence");
	assert_string_equal(rep.signer, "PeterNeumann");
	assert_string_equal(rep.vkey, VKEY_PETER);
	assert_string_equal(rep.created, "2023-11-14T22:13:20Z");
	assert_int_equal(rep.files, 3);
	assert_int_equal(rep.key_from_bundle, 0);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(rep.manifest, "scope"), "case")),
	    "C-1");
	json_decref(rep.manifest);

	/* no trusted key: checked against the one the bundle names, and said so */
	assert_int_equal(verify(g_path, NULL, &rep, &err), VG_OK);
	assert_int_equal(rep.key_from_bundle, 1);
	json_decref(rep.manifest);

	assert_int_equal(bundle_read_member(g_path, "sbom/original.json", 1000, &data, &n, &err),
			 VG_OK);
	assert_string_equal(data, "streamed from a file\n");
	free(data);
	assert_int_equal(bundle_read_member(g_path, "nope", 1000, &data, &n, &err), VG_ENOTFOUND);
	assert_int_equal(bundle_read_member(g_path, "audit/records.jsonl", 3, &data, &n, &err),
			 VG_ETOOBIG);
}

static void expect_refused(enum tamper t, const char *target, const char *why)
{
	struct bundle_report rep;
	struct vg_error err = {0};
	char out[160];

	make_bundle(g_path);
	snprintf(out, sizeof(out), "%s/t.tar.zst", g_dir);
	rewrite(g_path, out, t, target);
	assert_int_equal(verify(out, VKEY_PETER, &rep, &err), VG_EAUDIT);
	if (!strstr(vg_error_msg(&err), why))
		fail_msg("expected \"%s\" in \"%s\"", why, vg_error_msg(&err));
}

static void test_changed_byte(void **state)
{
	(void)state;
	expect_refused(T_FLIP, "sbom/original.json", "file sbom/original.json: SHA-256");
	expect_refused(T_FLIP, BUNDLE_MANIFEST, BUNDLE_SIGNATURE);
	expect_refused(T_FLIP, BUNDLE_SIGNATURE, BUNDLE_SIGNATURE);
}

static void test_removed_file(void **state)
{
	(void)state;
	expect_refused(T_DROP, "audit/records.jsonl",
		       "file audit/records.jsonl: listed in the manifest but missing");
	expect_refused(T_DROP, BUNDLE_SIGNATURE, "MANIFEST.json.sig: missing");
	expect_refused(T_DROP, BUNDLE_MANIFEST, "MANIFEST.json: missing");
}

static void test_added_file(void **state)
{
	(void)state;
	expect_refused(T_ADD, "empty.txt", "file extra.txt: not listed in the manifest");
	expect_refused(T_DUP, "empty.txt", "member empty.txt: appears twice");
}

static void test_wrong_key(void **state)
{
	struct bundle_report rep;
	struct vg_error err = {0};
	(void)state;
	make_bundle(g_path);
	assert_int_equal(verify(g_path, VKEY_ENOCH, &rep, &err), VG_EAUDIT);
	assert_non_null(strstr(vg_error_msg(&err), "not signed by a trusted key"));
}

static void test_traversal_and_links(void **state)
{
	(void)state;
	expect_refused(T_TRAVERSE, "empty.txt", "refused");
	expect_refused(T_ABSOLUTE, "empty.txt", "refused");
	expect_refused(T_SYMLINK, "empty.txt", "extra.txt: refused: not a regular file");
}

static void test_oversized(void **state)
{
	struct bundle_report rep;
	struct vg_error err = {0};
	struct note_verifier v;
	struct bundle_limits lim = {.max_member = 12};
	(void)state;
	make_bundle(g_path);
	assert_int_equal(note_vkey_parse(VKEY_PETER, &v, &err), VG_OK);
	assert_int_equal(bundle_verify(g_path, &v, 1, &lim, &rep, &err), VG_EAUDIT);
	assert_non_null(strstr(vg_error_msg(&err), "larger than allowed"));
	lim.max_member = 0;
	lim.max_files = 2;
	assert_int_equal(bundle_verify(g_path, &v, 1, &lim, &rep, &err), VG_EAUDIT);
	assert_non_null(strstr(vg_error_msg(&err), "more than 2 members"));
}

static void test_not_a_bundle(void **state)
{
	struct bundle_report rep;
	struct vg_error err = {0};
	FILE *f;
	(void)state;
	f = fopen(g_path, "w");
	assert_non_null(f);
	fputs("this is not a tar.zst", f);
	fclose(f);
	assert_int_equal(verify(g_path, VKEY_PETER, &rep, &err), VG_EAUDIT);
	assert_non_null(strstr(vg_error_msg(&err), "not a readable bundle"));
}

static void test_writer_refuses(void **state)
{
	struct vg_error err = {0};
	struct bundle_writer *w;
	struct stat st;
	char tmp[200];
	(void)state;

	assert_false(bundle_name_valid("../x"));
	assert_false(bundle_name_valid("a/../x"));
	assert_false(bundle_name_valid("/abs"));
	assert_false(bundle_name_valid("a//b"));
	assert_false(bundle_name_valid("./a"));
	assert_false(bundle_name_valid("a\\b"));
	assert_false(bundle_name_valid("a\nb"));
	assert_false(bundle_name_valid(""));
	assert_true(bundle_name_valid("logs/2026-12-07/part-1.jsonl"));
	assert_true(bundle_name_valid("a..b"));

	assert_int_equal(bundle_create(g_path, &w, &err), VG_OK);
	assert_int_equal(bundle_add(w, "../x", "a", 1, &err), VG_EINVAL);
	assert_int_equal(bundle_add(w, BUNDLE_MANIFEST, "a", 1, &err), VG_EINVAL);
	assert_int_equal(bundle_add(w, "a", "a", 1, &err), VG_OK);
	assert_int_equal(bundle_add(w, "a", "a", 1, &err), VG_EEXIST);
	assert_int_equal(bundle_add_file(w, "b", "/nonexistent/file", &err), VG_EIO);
	/* no signer: nothing left behind */
	assert_int_equal(bundle_finish(w, NULL, NULL, &err), VG_EINVAL);
	assert_int_not_equal(stat(g_path, &st), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", g_path, (long)getpid());
	assert_int_not_equal(stat(tmp, &st), 0);

	assert_int_equal(bundle_create(g_path, &w, &err), VG_OK);
	bundle_abort(w);
	assert_int_not_equal(stat(g_path, &st), 0);
	assert_int_not_equal(stat(tmp, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_changed_byte, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_removed_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_added_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_traversal_and_links, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oversized, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_bundle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_writer_refuses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
