/*
 * techfile.h - the technical file of a product as a signed bundle
 * (evidence/bundle.h): `vigil techfile export|verify`.
 *
 * Parts are a table (techfile_parts()): each names its path in the bundle,
 * what it is, the article it serves and the function that adds it; the
 * README.md inside the bundle is written from the same table. To add a
 * part (the advisories of issue 22), add a row and its function in
 * techfile.c.
 */
#ifndef VIGIL_PROGRAMME_TECHFILE_H
#define VIGIL_PROGRAMME_TECHFILE_H

#include "core/error.h"
#include "evidence/bundle.h"

struct store;
struct techfile_ctx;
struct cli;

struct techfile_part {
	const char *path;    /* "sbom/", "article14/exposures.json" */
	const char *what;    /* for the README */
	const char *article; /* the duty it serves */
	/* Add the part's files; writes a one-line summary into the ctx's note. */
	int (*add)(struct techfile_ctx *c, struct vg_error *err);
};
/* The parts, NULL-path terminated. */
const struct techfile_part *techfile_parts(void);

struct techfile_req {
	const char *product;
	const char *version; /* NULL: every version */
	const char *out;     /* the .tar.zst to write (nothing is left there on failure) */
	const char *key;     /* a signer key file; NULL: the audit key file (audit/note.h) */
};
struct techfile_result {
	int parts;
};
/* Write the technical file of r->product (audited techfile.export). */
int techfile_export(struct store *s, const struct techfile_req *r, struct techfile_result *res,
		    struct vg_error *err) VG_MUST_CHECK;
/* Verify the bundle at path against vkey (a verifier key text), or, when
 * NULL, against the key the bundle names (rep->key_from_bundle). VG_EAUDIT
 * with the first problem. rep->manifest is the caller's on VG_OK. */
int techfile_verify(const char *path, const char *vkey, struct bundle_report *rep,
		    struct vg_error *err) VG_MUST_CHECK;

int cmd_techfile(struct cli *c, int argc, char **argv);

#endif
