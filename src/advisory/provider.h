/*
 * provider.h - the trusted CSAF provider (issue 22 item 3; CSAF 2.0
 * section 7): the published tree under /.well-known/csaf/.
 *
 * The contract between the advisory workflow (draft, approve, publish,
 * withdraw: advisory.c) and the provider: publishing calls provider_put()
 * inside its own audited transaction with the final document bytes; the
 * provider keeps the document, its .sha256/.sha512 and OpenPGP .asc, and
 * what index.txt, changes.csv, the ROLIE feeds and provider-metadata.json
 * are made from. A later version of the same tracking id replaces the
 * served file (the file name rule of section 5.1 keeps the name);
 * nothing is ever deleted (a withdrawn advisory is a new version with
 * status and notes saying so).
 */
#ifndef VIGIL_ADVISORY_PROVIDER_H
#define VIGIL_ADVISORY_PROVIDER_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

struct csaf_publication {
	const char *tracking_id; /* document.tracking.id */
	const char *version;     /* document.tracking.version */
	const char *tlp_label;   /* document.distribution.tlp.label: WHITE, GREEN, AMBER, RED */
	int64_t initial_release; /* unix seconds, document.tracking.initial_release_date */
	int64_t current_release; /* unix seconds, document.tracking.current_release_date */
	const char *json;        /* the document exactly as served */
	size_t len;
};

/* Store one published version (call inside the caller's transaction,
 * which holds its audit record). Refuses (VG_EINVAL, naming the field) a
 * tracking id or TLP label the file name rule or section 7 cannot serve,
 * and a document that fails csaf_check() (schema or a mandatory test) or
 * whose tracking id, version or TLP label differ from p's (the JSON path
 * and the test's number in the message). */
int provider_put(struct store *s, const struct csaf_publication *p,
		 struct vg_error *err) VG_MUST_CHECK;

/* The file name of a document (CSAF 2.0 section 5.1): the tracking id in
 * lower case, every run of characters other than [+-a-z0-9] replaced by one
 * '_', then
 * ".json". Returns VG_EINVAL when the id is empty or the name does not fit. */
int csaf_file_name(const char *tracking_id, char *out, size_t n) VG_MUST_CHECK;

/* The path of a published document under the provider's base URL:
 * "/.well-known/csaf/<tlp in lower case>/<year of initial_release, UTC>/<file name>".
 * Public pages link to it; the provider serves it. */
int csaf_document_path(const char *tlp_label, int64_t initial_release, const char *tracking_id,
		       char *out, size_t n) VG_MUST_CHECK;

/* `vigil advisory provider ...` (check): the advisory noun's dispatcher
 * hands argv (argv[0] == "provider") to this. Returns the exit code. */
int cmd_advisory_provider(int argc, char **argv);

/* The publisher's name: org.name, else psirt.org_name, else "vigil". */
const char *provider_org_name(void);

#endif
