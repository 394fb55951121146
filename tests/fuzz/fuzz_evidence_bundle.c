/*
 * fuzz_evidence_bundle.c - the readers of `vigil evidence verify FILE`
 * (evidence/bundle.h, evidence/export.h): a bundle is outside input, made
 * anywhere and handed to whoever checks it.
 *
 * The first byte picks the mode:
 *  - even: the rest is the file itself (a .tar.zst): bundle_verify() and
 *    evidence_verify() with the key the bundle names and with a fixed key,
 *    and bundle_read_member() of the members it may hold;
 *  - odd: the rest is "CHECKPOINT BODY\0RECORDS" - a checkpoint body that
 *    the target signs with a fixed key and records.jsonl lines, put into a
 *    bundle this target writes and signs, so that evidence_verify() reaches
 *    the checkpoint and inclusion-proof checks with input it did not make.
 * Checks: no crash or undefined behaviour; a bundle that verifies has a
 * manifest listing files and members read back NUL-terminated; a bundle
 * this target signed always passes bundle_verify(); when evidence_verify()
 * accepts it, it counted every non-empty record line.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/note.h"
#include "core/error.h"
#include "core/json.h"
#include "evidence/bundle.h"
#include "evidence/export.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the signed-note example key of golang.org/x/mod/sumdb/note */
#define SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"

static struct note_signer g_signer;
static struct note_verifier g_key;
static char g_path[64];

static void setup(void)
{
	struct vg_error err = {0};
	if (g_path[0])
		return;
	if (note_signer_from_skey(SKEY, &g_signer, &err) || note_vkey_parse(VKEY, &g_key, &err))
		abort();
	snprintf(g_path, sizeof(g_path), "/tmp/fuzz-evidence-%ld.tar.zst", (long)getpid());
}

static void check_file(int expect_evidence, size_t lines)
{
	static const char *const members[] = {"checkpoint.txt", "audit/records.jsonl",
					      BUNDLE_MANIFEST, "scope.json"};
	struct bundle_report rep;
	struct evidence_check ck;
	struct vg_error err = {0};
	size_t i;
	int rc;

	memset(&rep, 0, sizeof(rep));
	rc = bundle_verify(g_path, NULL, 0, NULL, &rep, &err);
	if (rc == VG_OK) {
		if (!rep.manifest || !json_is_array(json_object_get(rep.manifest, "files")))
			abort();
		json_decref(rep.manifest);
		for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
			char *m = NULL;
			size_t n = 0;
			if (bundle_read_member(g_path, members[i], 1 << 20, &m, &n, &err) ==
				VG_OK &&
			    (!m || m[n] != '\0'))
				abort();
			free(m);
		}
	} else if (expect_evidence)
		abort(); /* we wrote and signed it ourselves */
	memset(&ck, 0, sizeof(ck));
	rc = evidence_verify(g_path, &g_key, 1, &ck, &err);
	if (rc == VG_OK && (ck.checkpoint_size < 0 || !ck.bundle.manifest ||
			    (expect_evidence && ck.records != lines)))
		abort();
	json_decref(ck.bundle.manifest);
	memset(&ck, 0, sizeof(ck));
	if (evidence_verify(g_path, NULL, 0, &ck, &err) == VG_OK)
		json_decref(ck.bundle.manifest);
}

/* Sign body as a checkpoint and write a bundle of it and the records. */
static int write_bundle(const char *body, size_t blen, const char *recs, size_t rlen)
{
	const struct note_signer *sg[1] = {&g_signer};
	struct bundle_writer *w = NULL;
	struct bundle_info info = {.kind = "evidence", .created = 1767225600};
	struct vg_error err = {0};
	char *text = malloc(blen + 2), *note = NULL;
	int rc;

	if (!text)
		return -1;
	memcpy(text, body, blen);
	text[blen] = '\0';
	if (!blen || text[blen - 1] != '\n') {
		text[blen] = '\n';
		text[blen + 1] = '\0';
	}
	rc = note_sign(text, sg, 1, &note, &err);
	free(text);
	if (rc)
		return -1; /* not a text the signer accepts: nothing to check */
	rc = bundle_create(g_path, &w, &err);
	if (!rc)
		rc = bundle_add(w, "checkpoint.txt", note, strlen(note), &err);
	if (!rc)
		rc = bundle_add(w, "audit/records.jsonl", recs, rlen, &err);
	free(note);
	if (rc) {
		if (w)
			bundle_abort(w);
		return -1;
	}
	return bundle_finish(w, &info, &g_signer, &err) ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0) {
		FILE *f = fopen(g_path, "wb");
		if (!f)
			abort();
		if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
			abort();
		fclose(f);
		check_file(0, 0);
	} else {
		const char *p = (const char *)data + 1, *nul = memchr(p, '\0', size - 1);
		size_t blen = nul ? (size_t)(nul - p) : size - 1;
		const char *recs = nul ? nul + 1 : "";
		size_t rlen = nul ? size - 1 - blen - 1 : 0;
		size_t lines = 0, i, start = 0;
		for (i = 0; i <= rlen; i++)
			if (i == rlen || recs[i] == '\n') {
				lines += i > start;
				start = i + 1;
			}
		if (write_bundle(p, blen, recs, rlen) == 0)
			check_file(1, lines);
	}
	remove(g_path);
	return 0;
}
