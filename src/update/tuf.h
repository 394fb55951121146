/*
 * tuf.h - the TUF repository (The Update Framework, specification 1.0.x).
 *
 * Roles: root, targets, snapshot, timestamp, and one delegated targets role
 * per product, "products/NAME", trusted by targets for the path pattern
 * "NAME/" followed by "*"
 * and signed by that product's own signer. Every role names its signers
 * (src/update/signer.h) and threshold in table tuf_roles; every signed
 * version of every role is a row of tuf_metadata (role, version, the file's
 * bytes, their SHA-256 and length, its expiry). Target bytes are kept in the
 * artifact store (release.h) under their SHA-256 (tuf_targets names them),
 * streamed from there to clients and to `tuf export`.
 *
 * What is signed is the OLPC canonical JSON of the "signed" object
 * (tuf_canonical_json); key ids are the hex SHA-256 of the canonical JSON
 * of the key object. Keys: ed25519/ed25519 (public key hex) and
 * ecdsa/ecdsa-sha2-nistp256 (public key PEM, signature DER hex). Snapshots
 * are consistent: clients fetch VERSION.ROLE.json and targets as
 * DIR/SHA256.NAME. Every signature made is verified against the public key
 * read back from the signer before anything is stored; a failure refuses the
 * whole change and is audited ("tuf.sign_refused").
 */
#ifndef VIGIL_UPDATE_TUF_H
#define VIGIL_UPDATE_TUF_H

#include "core/error.h"
#include "core/buf.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

#define TUF_SPEC_VERSION "1.0.31"

/* Default lifetimes in seconds. */
#define TUF_EXPIRY_ROOT      (365 * 86400)
#define TUF_EXPIRY_TARGETS   (90 * 86400)
#define TUF_EXPIRY_SNAPSHOT  (7 * 86400)
#define TUF_EXPIRY_TIMESTAMP (1 * 86400)

/* OLPC canonical JSON of v appended to out: object keys sorted by their
 * bytes, no white space, strings with only '\\' and '"' escaped, integers,
 * true/false/null. VG_EINVAL for a real number (not allowed). */
int tuf_canonical_json(const json_t *v, struct vg_buf *out, struct vg_error *err) VG_MUST_CHECK;

struct tuf_init_opts {
	const char *root_signers; /* "A,B,C" */
	int64_t root_threshold;
	const char *targets_signer, *snapshot_signer, *timestamp_signer;
	const char *expiry; /* "root=365d,targets=90d,snapshot=7d,timestamp=1d"; NULL: defaults */
};
/* Create the repository: roles, root v1, targets, snapshot, timestamp v1.
 * VG_EEXIST when it exists already. */
int tuf_init(struct store *s, const struct tuf_init_opts *o, struct vg_error *err) VG_MUST_CHECK;

/* Delegate the path pattern "PRODUCT/" + "*" to the role products/PRODUCT signed by signer
 * (threshold 1); a second call changes the signer. Signs targets, the
 * product's role, snapshot and timestamp in one transaction. */
int tuf_delegate(struct store *s, const char *product, const char *signer,
		 struct vg_error *err) VG_MUST_CHECK;

/* Replace the signers of role (root, targets, snapshot, timestamp or
 * products/NAME) by signers (comma-separated); threshold 0 keeps it. A new
 * root version lists the new keys; a new root is signed by the old and the
 * new root signers. The role and those below it are signed again. */
int tuf_rotate(struct store *s, const char *role, const char *signers, int64_t threshold,
	       struct vg_error *err) VG_MUST_CHECK;

/* A target to add: its path below the product is name (no '/'). */
struct update_tuf_target {
	const char *name;
	const void
	    *data; /* bytes (NULL when sha256/length name bytes already in the artifact store) */
	size_t length;
	const char *sha256; /* hex; NULL: computed from data */
};
/* Add n targets to the product's delegated role (which must exist) and sign
 * that role, snapshot and timestamp in one transaction: nothing is published
 * unless everything is. A target of the same name is replaced. */
int update_tuf_add_targets(struct store *s, const char *product,
			   const struct update_tuf_target *targets, size_t n,
			   struct vg_error *err) VG_MUST_CHECK;
/* The same, and inside (when not NULL) is called in that transaction after
 * every role was signed and verified, with the product role's new version
 * (also into *version when not NULL): its error rolls everything back. The
 * publisher (release publish) sets published_at there. Target bytes named by
 * hash (data NULL) must be in the artifact store (release.h); given bytes
 * are put there. */
int update_tuf_add_targets_then(struct store *s, const char *product,
				const struct update_tuf_target *targets, size_t n,
				int (*inside)(struct store *s, int64_t version, void *arg,
					      struct vg_error *err),
				void *arg, int64_t *version, struct vg_error *err) VG_MUST_CHECK;

/* Sign again every role but root whose newest version has less than half its
 * lifetime left (or has expired); *renewed gets how many were signed. The
 * job "tuf.resign" (leader only) runs it; each renewal is audited. */
int tuf_resign_due(struct store *s, int *renewed, struct vg_error *err) VG_MUST_CHECK;

/* One role's state for `tuf status`. */
struct tuf_role_status {
	char *role;
	char *signers; /* comma-separated */
	int64_t threshold;
	int64_t lifetime; /* seconds */
	int64_t version;  /* newest; 0 when never signed */
	int64_t expires_at;
	int64_t signed_at;
};
struct tuf_status {
	struct tuf_role_status *roles;
	size_t n;
};
int tuf_status_get(struct store *s, struct tuf_status *out, struct vg_error *err) VG_MUST_CHECK;
void tuf_status_release(struct tuf_status *st);
json_t *tuf_status_to_json(const struct tuf_status *st);

/* A file of the repository as served: metadata by file name ("timestamp.json",
 * "3.root.json", "2.products/P.json", "2.products%2FP.json", "root.json" the
 * newest root) or a target by path ("P/SHA256.NAME"). *data malloc'ed.
 * VG_ENOTFOUND when there is no such file. */
int tuf_metadata_file(struct store *s, const char *file, char **data, size_t *n, char sha256[65],
		      int *is_timestamp, struct vg_error *err) VG_MUST_CHECK;
int tuf_target_file(struct store *s, const char *path, char **data, size_t *n, char sha256[65],
		    struct vg_error *err) VG_MUST_CHECK;
/* The target at path opened in the artifact store (streamed by the HTTP
 * handler; artifact_close() it). */
struct artifact_reader;
int tuf_target_open(struct store *s, const char *path, struct artifact_reader **r, char sha256[65],
		    struct vg_error *err) VG_MUST_CHECK;

/* The role and version a metadata file name asks for: "5.products%2FP.json"
 * gives products/P and 5; "timestamp.json" gives timestamp and 0 (the
 * newest). -1 when the name is not one of ours. role gets rolesz bytes at
 * most. Pure. */
int tuf_metadata_name_parse(const char *file, char *role, size_t rolesz, int64_t *version);
/* A Range header ("bytes=A-B", "bytes=A-", "bytes=-N") against a file of n
 * bytes: 1 with [*from, *to] for one satisfiable range, 0 to send the whole
 * file (no header, several ranges or one that is not understood), -1 for an
 * unsatisfiable range (416). Pure. */
int tuf_range_parse(const char *h, size_t n, size_t *from, size_t *to);

/* Write the whole repository below dir as static files: dir/metadata/ and
 * dir/targets/ as clients ask for them. */
int tuf_export(struct store *s, const char *dir, size_t *files, struct vg_error *err) VG_MUST_CHECK;

/* `vigil tuf ...` */
struct cli;
int cmd_tuf(struct cli *c, int argc, char **argv);

#endif
