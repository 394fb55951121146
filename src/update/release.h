/*
 * release.h - releases, their artifacts, trusted CI keys and the checks of
 * the verification gate that need no signer (issue 18, items 2 and 3).
 *
 * A release is made for one product version (sbom/product.h) and holds
 * artifacts: target names (relative paths) with their bytes kept once per
 * SHA-256 in the artifact store (artifact.c, two backends: a directory or
 * the database, setting update.artifact_store), the detached CI signature
 * given with them and an optional in-toto/SLSA provenance. Uploads and
 * downloads are streamed: an artifact is never held whole in memory.
 *
 * CI signatures are what `openssl dgst -sha256 -sign KEY -out F.sig F`
 * makes (ECDSA P-256 DER, RSA PKCS#1 v1.5 of >= 2048 bits, over SHA-256 of
 * the file) or `openssl pkeyutl -sign -rawin` with an Ed25519 key (over the
 * whole file). ECDSA and RSA are checked against the SHA-256 the store
 * computes anyway; Ed25519 needs the whole message, so its check maps the
 * file (its pages are read once; prefer ECDSA or RSA for artifacts of GiB).
 *
 * Rules: lookups that find nothing return VG_ENOTFOUND naming what was
 * asked; every change is one audited transaction; structs own their memory
 * (an arena) and are freed with their *_release(); JSON only at the edges
 * (*_to_json()).
 */
#ifndef VIGIL_UPDATE_RELEASE_H
#define VIGIL_UPDATE_RELEASE_H

#include "core/arena.h"
#include "core/error.h"
#include "core/json.h"
#include "core/principal.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;
struct http_resp;

/* ---- the artifact store (artifact.c) ---- */

#define ARTIFACT_CHUNK          (1024 * 1024) /* bytes per row of the database backend */
#define ARTIFACT_NAME_MAX       512           /* bytes of a target name */
#define ARTIFACT_PROVENANCE_MAX (1024 * 1024)

/* Bytes to store: a file (fd >= 0, read with pread from 0 to len) or
 * memory (mem). what names them in errors ("upload body", a file name). */
struct artifact_src {
	int fd;
	const char *mem;
	uint64_t len;
	const char *what;
};

/* The backend new artifacts go to: "dir" or "db" (setting
 * update.artifact_store, default dir), and for dir the directory (setting
 * update.artifact_dir; default the SQLite database file's path with
 * ".artifacts"; required with PostgreSQL). VG_EUSAGE naming the setting. */
int artifact_config(struct store *s, char backend[8], char *dir, size_t dirsz,
		    struct vg_error *err) VG_MUST_CHECK;

/* SHA-256 (hex) and length of src, read in chunks. */
int artifact_hash_src(const struct artifact_src *src, char sha[65],
		      struct vg_error *err) VG_MUST_CHECK;

/*
 * Keep src under sha (its SHA-256, computed before) in the configured
 * backend, unless kept already. The directory backend writes a temporary
 * file, fsyncs it and renames it into place (*created_file set when this
 * call made the file: the caller removes it with artifact_unlink_new() when
 * its transaction fails); the database backend inserts the chunks and must
 * be called inside the caller's transaction. Both hash the bytes again as
 * they copy them: VG_EIO when they changed since sha was computed.
 */
int artifact_put(struct store *s, const struct artifact_src *src, const char *sha,
		 int *created_file, struct vg_error *err) VG_MUST_CHECK;
void artifact_unlink_new(struct store *s, const char *sha);

/* An open stored artifact. */
struct artifact_reader;
int artifact_open(struct store *s, const char *sha, struct artifact_reader **out,
		  struct vg_error *err) VG_MUST_CHECK;
uint64_t artifact_reader_size(const struct artifact_reader *r);
const char *artifact_reader_backend(const struct artifact_reader *r);
/* Read up to max bytes at pos (db: the connection to read chunks with; may
 * differ from the one it was opened with). Returns bytes read (0 at the
 * end) or -1 with err set. */
long artifact_read_at(struct artifact_reader *r, struct store *db, uint64_t pos, char *buf,
		      size_t max, struct vg_error *err);
/* SHA-256 of the stored bytes as they are now, read in chunks. */
int artifact_reader_hash(struct artifact_reader *r, struct store *db, char sha[65],
			 struct vg_error *err) VG_MUST_CHECK;
/* The whole stored bytes mapped read-only (Ed25519 checks): the file
 * itself, or for the database backend a temporary file written from the
 * chunks. Valid until artifact_close(). */
int artifact_reader_map(struct artifact_reader *r, struct store *db, const void **p,
			struct vg_error *err) VG_MUST_CHECK;
void artifact_close(struct artifact_reader *r);
/* Answer resp with the stored bytes, streamed (http_stream: the file, or
 * chunk by chunk from the database); the reader is handed over. */
int artifact_send(struct artifact_reader *r, struct http_resp *resp, const char *ctype,
		  struct vg_error *err) VG_MUST_CHECK;
/* The same for the len bytes from offset (a Range request: status 206). */
int artifact_send_part(struct artifact_reader *r, struct http_resp *resp, int status,
		       const char *ctype, uint64_t offset, uint64_t len,
		       struct vg_error *err) VG_MUST_CHECK;

/* Forget the artifact kept under sha, in the caller's transaction: its
 * record and database chunks are deleted; for the directory backend the
 * path of its file is written to unlink_path (n bytes; "" when none) for
 * the caller to unlink after the commit. Used by the log store's
 * retention (src/evidence/); release artifacts are never removed. */
int artifact_remove(struct store *s, const char *sha, char *unlink_path, size_t n,
		    struct vg_error *err) VG_MUST_CHECK;

/* A target name: a relative path of segments separated by '/', none empty,
 * "." or "..", no backslash, at most ARTIFACT_NAME_MAX bytes, text that
 * vg_text_check() accepts (no control or direction characters). */
int artifact_name_check(const char *name, struct vg_error *err) VG_MUST_CHECK;

/* ---- trusted CI keys (cikey.c) ---- */

struct ci_key {
	int64_t id;
	const char *name;
	const char *algorithm;   /* "ecdsa-p256", "rsa-N" (bits), "ed25519" */
	const char *fingerprint; /* SHA-256 (hex) of the DER SubjectPublicKeyInfo */
	const char *public_pem;
	int64_t created_at;
	const char *created_by;
	int64_t revoked_at; /* 0: trusted */
	const char *revoked_by;
	const char *revoke_reason;
};
struct ci_key_list {
	struct ci_key *items;
	size_t n;
	struct vg_arena mem;
};
void ci_key_list_release(struct ci_key_list *l);

/* Trust the public key in pem (a PEM "PUBLIC KEY": EC P-256, RSA >= 2048
 * bits, Ed25519) under name. VG_EEXIST for a name or key already there. */
int ci_key_add(struct store *s, const char *name, const char *pem, size_t n,
	       struct vg_error *err) VG_MUST_CHECK;
int ci_key_list(struct store *s, struct ci_key_list *out, struct vg_error *err) VG_MUST_CHECK;
int ci_key_revoke(struct store *s, const char *name, const char *reason,
		  struct vg_error *err) VG_MUST_CHECK;
json_t *ci_key_to_json(const struct ci_key *k);

/* The message of a signature, for keys that need it whole (Ed25519):
 * map is called at most once, when such a key is tried. */
struct ci_msg {
	const char *sha256; /* hex of SHA-256 of the message (ECDSA, RSA) */
	int (*map)(void *arg, const void **p, uint64_t *n, struct vg_error *err);
	void *arg;
};
/* Which CI key verifies sig over msg: *key_id (0: none), the key's name
 * into name, *revoked its revocation time (0: trusted). Keys are tried
 * unrevoked first. VG_OK even when none verifies. */
int ci_sig_find(struct store *s, const struct ci_msg *msg, const uint8_t *sig, size_t siglen,
		int64_t *key_id, char *name, size_t namesz, int64_t *revoked,
		struct vg_error *err) VG_MUST_CHECK;

/* ---- releases (release.c) ---- */

struct release {
	int64_t id;
	int64_t version_id;
	const char *product;
	const char *version;
	const char *notes; /* NULL: none */
	int security;
	const char **fixes; /* vulnerability ids */
	size_t nfixes;
	int64_t created_at;
	const char *created_by;
	int64_t yanked_at; /* 0: not yanked */
	const char *yanked_by;
	const char *yank_reason;
	int64_t published_at; /* 0: not published (set by the publisher) */
	int64_t artifact_count;
	/* the last run of the gate's checks; checked_at 0: never */
	int64_t checked_at;
	int passed, version_ok, hashes_ok, signed_ok, keys_ok, signatures_ok;
	/* release publish: the product's TUF role version it went out in (0: not
	 * published), the last refusal (0 / NULL: none) */
	int64_t tuf_version;
	int64_t publish_refused_at;
	const char *publish_refusal;
};

struct release_artifact {
	int64_t id;
	int64_t release_id;
	const char *name;
	const char *sha256;
	int64_t size;
	int is_signed;
	int64_t ci_key_id;           /* the key the signature verified with at upload; 0: none */
	const char *key_name;        /* its name; NULL: none */
	const char *provenance;      /* the document as given; NULL: none */
	const char *provenance_type; /* its predicateType */
	int64_t uploaded_at;
	const char *uploaded_by;
};

struct release_list {
	struct release *items;
	size_t n;
	int64_t total; /* before offset/limit */
	struct vg_arena mem;
};

struct release_detail {
	struct release r;
	struct release_artifact *artifacts;
	size_t n;
	struct vg_arena mem;
};

void release_list_release(struct release_list *l);
void release_detail_release(struct release_detail *d);

struct release_create_req {
	const char *product;
	const char *version;
	const char *notes; /* NULL: none */
	int security;
	const char *fixes; /* comma-separated vulnerability ids; NULL: none */
};
/* Create the release of an existing product version; *id gets its id.
 * VG_ENOTFOUND for a missing product version, VG_EEXIST when it has one. */
int release_create(struct store *s, const struct release_create_req *r, int64_t *id,
		   struct vg_error *err) VG_MUST_CHECK;

/* A release named by its id ("12") or as PRODUCT@VERSION. */
int release_resolve(struct store *s, const char *ref, int64_t *id,
		    struct vg_error *err) VG_MUST_CHECK;

enum release_sort { RELEASE_SORT_NEW = 0, RELEASE_SORT_PRODUCT = 1 };
struct release_filter {
	const char *product; /* NULL: every product */
	enum release_sort sort;
	int64_t offset, limit; /* limit 0: all */
};
int release_list(struct store *s, const struct release_filter *f, struct release_list *out,
		 struct vg_error *err) VG_MUST_CHECK;
int release_get(struct store *s, int64_t id, struct release_detail *out,
		struct vg_error *err) VG_MUST_CHECK;
/* One artifact (in an arena of its own inside d: d->n == 1). */
int release_artifact_get(struct store *s, int64_t artifact_id, struct release_detail *out,
			 struct vg_error *err) VG_MUST_CHECK;

/* Yank a release: it stays (with its artifacts) but is marked withdrawn;
 * no upload is taken any more and the gate fails it. */
int release_yank(struct store *s, int64_t id, const char *reason,
		 struct vg_error *err) VG_MUST_CHECK;

struct release_upload_req {
	int64_t release_id;
	const char *name; /* the target name */
	struct artifact_src src;
	const uint8_t *signature; /* NULL: unsigned */
	size_t siglen;
	const char *provenance; /* NULL: none */
	size_t provlen;
	const char *expect_sha256; /* NULL: not stated; else the upload must hash to it */
};
/*
 * Store an artifact in a release: the bytes (streamed into the artifact
 * store), the signature (refused unless it verifies with a trusted,
 * unrevoked CI key: VG_EPERM naming the artifact) and the provenance
 * (JSON with _type and predicateType, or a DSSE envelope of one, at most
 * ARTIFACT_PROVENANCE_MAX bytes; when it names subjects, one must have this
 * artifact's sha256). All or nothing. *out gets the new artifact.
 */
int release_upload(struct store *s, const struct release_upload_req *r, struct release_detail *out,
		   struct vg_error *err) VG_MUST_CHECK;

/* The provenance check of release_upload (also for the fuzz target):
 * *type gets the predicateType (malloc'ed). */
int release_provenance_check(const char *doc, size_t n, const char *sha256, char **type,
			     struct vg_error *err) VG_MUST_CHECK;

json_t *release_to_json(const struct release *r);
json_t *release_artifact_to_json(const struct release_artifact *a);
json_t *release_detail_to_json(const struct release_detail *d);

/* ---- the gate's checks that need no signer (gate.c) ---- */

struct update_gate_artifact {
	int64_t id;
	const char *name;
	const char *sha256; /* as recorded at upload */
	int64_t size;
	int hash_ok;          /* the stored bytes hash to sha256 */
	const char *actual;   /* their SHA-256 now; NULL when unreadable */
	int is_signed;        /* a signature was given */
	int sig_ok;           /* it verifies with a known CI key */
	int key_trusted;      /* ... that is not revoked */
	const char *key_name; /* the key it verifies with; NULL: none */
	const char *reason;   /* the first failure; NULL when every check passed */
};

struct update_gate_report {
	int64_t release_id;
	const char *product;
	const char *version;
	int version_ok; /* the product version exists */
	int not_yanked;
	int has_artifacts;
	/* every artifact's */
	int hashes_ok, signed_ok, keys_ok, signatures_ok;
	int passed;         /* every check above */
	const char *reason; /* the first failure; NULL when passed */
	struct update_gate_artifact *artifacts;
	size_t n;
	int64_t checked_at;
	struct vg_arena mem;
};
void update_gate_report_release(struct update_gate_report *r);

/*
 * Run the gate's checks on a release (re-hashing every artifact's stored
 * bytes, re-verifying every signature against the CI keys now) and record
 * the run (release_checks and the audit trail, action "release.check").
 * VG_OK when the checks ran, whatever they found: out->passed says; an
 * error only when they could not run (no such release, database). The
 * publisher calls this and refuses unless out->passed.
 */
int update_release_check(struct store *s, int64_t release_id, struct update_gate_report *out,
			 struct vg_error *err) VG_MUST_CHECK;
json_t *update_gate_report_to_json(const struct update_gate_report *r);

/*
 * The event a published release will emit (planned: the publisher of
 * issue 18 emits it after its transaction commits; psirt and triage hear
 * it). Payload:
 *   {"release_id": 12, "product": "P", "version": "1.2", "version_id": 7,
 *    "security": true, "fixes": ["CVE-2026-1234", ...],
 *    "published_at": "RFC 3339"}
 * made by release_published_payload().
 */
#define RELEASE_EVENT_PUBLISHED "release.published"
json_t *release_published_payload(const struct release *r);

/* The result of a publish: the gate's report (also when refused) and, when
 * published, the product role's TUF version and the time. */
struct update_publish_result {
	struct update_gate_report gate;
	int published;
	int64_t tuf_version;
	int64_t published_at;
	const char *reason; /* why refused (in gate.mem); NULL when published */
};
void update_publish_result_release(struct update_publish_result *r);

/*
 * Publish a release (the verification gate, issue 18 item 3): run
 * update_release_check() (every artifact re-hashed from its stored bytes,
 * its CI signature verified by a trusted unrevoked key, the product version
 * exists, not yanked), then add every artifact as a TUF target PRODUCT/NAME
 * of the product's delegated role (update_tuf_add_targets_then: the role,
 * snapshot and timestamp signed, every signature verified against the
 * public key read back from the signer), and set published_at and
 * tuf_version, all in one transaction; RELEASE_EVENT_PUBLISHED is emitted
 * after it commits. A refusal changes nothing but releases.publish_refusal
 * and is audited on its own ("release.publish_refused"): VG_EPERM with the
 * reason naming the artifact (out->reason), or VG_ESTATE when published
 * already, VG_ENOTFOUND (naming `vigil tuf delegate`) without a
 * delegation. There is no way to skip a check.
 */
int update_release_publish(struct store *s, int64_t release_id, struct update_publish_result *out,
			   struct vg_error *err) VG_MUST_CHECK;
json_t *update_publish_result_to_json(const struct update_publish_result *r);

/* ---- commands and routes (tables.c) ---- */

struct cli;
int cmd_release(struct cli *c, int argc, char **argv);
int cmd_ci_key(struct cli *c, int argc, char **argv);

#endif
