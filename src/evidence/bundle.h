/*
 * bundle.h - a signed bundle of named files: a .tar.zst (ustar through
 * libarchive, zstd) holding the files, MANIFEST.json and MANIFEST.json.sig.
 *
 * MANIFEST.json (the last member but one):
 *   {"format": "vigil-bundle/1", "kind": "evidence" | "technical-file" | ...,
 *    "generator": "vigil X.Y.Z", "created": RFC 3339, "scope": {...},
 *    "signer": {"name": ..., "vkey": name+hash+key},
 *    "files": [{"path", "sha256", "size"}, ...]}   (in the order written)
 * MANIFEST.json.sig (the last member): a C2SP signed note whose text is
 *   "vigil-bundle-manifest/1\nsha256 <hex of MANIFEST.json>\n"
 * signed by the note_signer given (audit/note.h: a key file or a signer a
 * room registers), so any signed-note verifier (golang.org/x/mod
 * sumdb/note) checks it too.
 *
 * The writer streams: files are added one by one (from memory or a file),
 * hashed as written, to PATH.tmp; bundle_finish() writes the manifest and
 * its signature and renames PATH.tmp to PATH; on any failure nothing is
 * left at PATH.
 *
 * The verifier reads the archive once and refuses: a member that is not a
 * regular file, a name that is absolute, has "..", "." or an empty part, a
 * backslash or a control character, a duplicate name, a member larger than
 * limits.max_member, more than limits.max_files members or more than
 * limits.max_total bytes; then a manifest that is missing or malformed, a
 * signature that is missing or not by a trusted key, a listed file that is
 * missing or whose SHA-256 or size differs, a member the manifest does not
 * list. The first problem found is named in err (VG_EAUDIT).
 */
#ifndef VIGIL_EVIDENCE_BUNDLE_H
#define VIGIL_EVIDENCE_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "audit/note.h"
#include "core/error.h"
#include "core/json.h"

struct vg_error;
struct bundle_writer;

#define BUNDLE_MANIFEST  "MANIFEST.json"
#define BUNDLE_SIGNATURE "MANIFEST.json.sig"
#define BUNDLE_FORMAT    "vigil-bundle/1"
#define BUNDLE_NAME_MAX  255

struct bundle_info {
	const char *kind;      /* "evidence", "technical-file", ... */
	const json_t *scope;   /* what the bundle covers (borrowed; NULL: {}) */
	int64_t created;       /* epoch seconds; 0: now (vg_now()) */
	const char *generator; /* NULL: "vigil " VIGIL_VERSION */
};

/* 1 when name is an acceptable member name (see above). */
int bundle_name_valid(const char *name);

int bundle_create(const char *path, struct bundle_writer **out, struct vg_error *err) VG_MUST_CHECK;
/* Add a member from memory. A name already added, or the reserved
 * MANIFEST.json(.sig), is VG_EEXIST / VG_EINVAL. */
int bundle_add(struct bundle_writer *w, const char *name, const void *data, size_t n,
	       struct vg_error *err) VG_MUST_CHECK;
/* Add a member streamed from the file at path. */
int bundle_add_file(struct bundle_writer *w, const char *name, const char *path,
		    struct vg_error *err) VG_MUST_CHECK;
/* Names added so far (for a caller that must not add one twice). */
int bundle_has(const struct bundle_writer *w, const char *name);
/* Write the manifest and its signature, close, rename into place and free w
 * (also on failure, which removes the temporary file). */
int bundle_finish(struct bundle_writer *w, const struct bundle_info *info,
		  const struct note_signer *signer, struct vg_error *err) VG_MUST_CHECK;
/* Close, remove the temporary file and free w. */
void bundle_abort(struct bundle_writer *w);

struct bundle_limits {
	uint64_t max_member; /* 0: 1 GiB */
	uint64_t max_total;  /* 0: 16 GiB */
	size_t max_files;    /* 0: 100000 */
};

struct bundle_report {
	char kind[64];
	char created[40];
	char signer[NOTE_NAME_MAX];
	char vkey[NOTE_NAME_MAX + 64];
	int key_from_bundle; /* no trusted key given: checked against the key the bundle names */
	size_t files;
	uint64_t bytes;
	json_t *manifest; /* the parsed manifest (new reference; caller decrefs), on VG_OK */
};

/*
 * Verify the bundle at path. keys: the trusted verifier keys; none (nkeys 0)
 * checks against the key the manifest names, and says so in the report.
 * VG_OK: intact; VG_EAUDIT: the first problem in err; other codes: I/O.
 */
int bundle_verify(const char *path, const struct note_verifier *keys, size_t nkeys,
		  const struct bundle_limits *limits, struct bundle_report *rep,
		  struct vg_error *err) VG_MUST_CHECK;

/* Read one member (up to max bytes) into *data (malloc'ed, NUL-terminated) and *n;
 * VG_ENOTFOUND when there is none. Use after bundle_verify(). */
int bundle_read_member(const char *path, const char *name, size_t max, char **data, size_t *n,
		       struct vg_error *err) VG_MUST_CHECK;

#endif
