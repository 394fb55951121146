/*
 * checkpoint.h - signed checkpoints of the audit trail: a Merkle tree (RFC
 * 9162, audit/merkle.h) over the records, leaf i the canonical bytes of
 * record seq = i + 1 (store_audit_canonical()), and C2SP tlog-checkpoint
 * signed notes (audit/note.h) of its size and root.
 *
 * The hash chain catches a changed record, but not a trail cut short at its
 * end or rewritten from some record on with the chain recomputed; a
 * checkpoint copied off the host (a witness fetching
 * GET /.well-known/vigil/checkpoint) catches both: audit_verify_checkpoint().
 *
 * Signing: by default the key file (note_key_file_path(); setting
 * audit.key_file, made by `vigil audit key init` or `vigil init`). When the
 * setting audit.signer names a signer (not "" or "key-file"), the provider
 * registered with audit_set_signer_provider() opens it (the update room or
 * the program registers one for its signers; audit does not include update).
 */
#ifndef VIGIL_AUDIT_CHECKPOINT_H
#define VIGIL_AUDIT_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "audit/merkle.h"
#include "audit/note.h"
#include "core/error.h"
#include "core/json.h"

struct store;
struct vg_error;

/* Open the signer named `which` (kept in s) into *out (release with
 * note_signer_release(), before s is closed). */
typedef int (*audit_signer_provider_fn)(struct store *s, const char *which, struct note_signer *out,
					struct vg_error *err);
void audit_set_signer_provider(audit_signer_provider_fn fn);
/* Seconds between the checkpoints the leader signs by itself (the job
 * audit.checkpoint, audit_jobs[] in api_audit.c). */
#define AUDIT_CHECKPOINT_EVERY 300

/* The checkpoint signer as configured. */
int audit_signer_open(struct store *s, struct note_signer *out, struct vg_error *err) VG_MUST_CHECK;
/* The name of the checkpoint key: setting audit.key_name, else the origin. */
const char *audit_key_name(void);
/* The origin line of our checkpoints: setting audit.origin, else the host of
 * server.public_url + "/audit", else "vigil.invalid/audit". */
const char *audit_origin(void);
/* Make the key file (named audit.key_name, default the origin) unless it exists. */
int audit_key_init(char **vkey, struct vg_error *err) VG_MUST_CHECK;

struct audit_checkpoint {
	int64_t size;
	uint8_t root[MERKLE_HASH];
	char *note; /* the signed note */
	char *vkey; /* the verifier key that signed it */
	int64_t created_at;
};
void audit_checkpoint_release(struct audit_checkpoint *c);
json_t *audit_checkpoint_to_json(const struct audit_checkpoint *c);

/*
 * Extend the stored tree to every record, sign a checkpoint of it, keep it
 * and record audit.checkpoint, in one transaction. When the only record
 * since the latest checkpoint is that checkpoint's own record, the latest is
 * returned instead of a new one.
 */
int audit_checkpoint_make(struct store *s, struct audit_checkpoint *out,
			  struct vg_error *err) VG_MUST_CHECK;
/* The latest checkpoint (size 0: latest), or the one of that size; VG_ENOTFOUND: none. */
int audit_checkpoint_get(struct store *s, int64_t size, struct audit_checkpoint *out,
			 struct vg_error *err) VG_MUST_CHECK;
/* The number of records the stored tree covers. */
int audit_tree_size(struct store *s, int64_t *size, struct vg_error *err) VG_MUST_CHECK;

struct audit_proof {
	int inclusion;                 /* 1: inclusion, 0: consistency */
	int64_t seq;                   /* inclusion: the record */
	int64_t size;                  /* inclusion: the tree size; consistency: the new size */
	int64_t old;                   /* consistency: the old size */
	uint8_t leaf[MERKLE_HASH];     /* inclusion: the record's leaf hash */
	uint8_t root[MERKLE_HASH];     /* the root of the tree of size */
	uint8_t old_root[MERKLE_HASH]; /* consistency: the root of old */
	uint8_t hashes[MERKLE_MAX_PROOF][MERKLE_HASH];
	size_t n;
	char *record; /* inclusion: the record's canonical bytes (malloc'ed) */
};
void audit_proof_release(struct audit_proof *p);
/* {seq, leaf_index, tree_size, leaf_hash, record, root, proof[]} or
 * {old_size, new_size, old_root, new_root, proof[]}; hashes in lowercase hex. */
json_t *audit_proof_to_json(const struct audit_proof *p);

/* Inclusion of record seq in the tree of size records (0: the latest checkpoint's size). */
int audit_prove_inclusion(struct store *s, int64_t seq, int64_t size, struct audit_proof *out,
			  struct vg_error *err) VG_MUST_CHECK;
int audit_prove_consistency(struct store *s, int64_t old, int64_t size, struct audit_proof *out,
			    struct vg_error *err) VG_MUST_CHECK;

struct audit_tlog_report {
	int64_t size;      /* the checkpoint's tree size */
	int64_t records;   /* records in the trail */
	int64_t first_bad; /* the first record that differs from the stored tree (0: none) */
	char origin[NOTE_NAME_MAX];
	char signer[NOTE_NAME_MAX];
};
/*
 * Check a signed checkpoint against the trail: its signature by one of keys
 * (none: the configured signer's key), then that records 1..size are all
 * there (truncation) and hash to its root (rewriting). VG_EAUDIT with the
 * reason when they do not; VG_EPARSE / VG_EINVAL / VG_EPERM from note_open().
 */
int audit_verify_checkpoint(struct store *s, const char *note, size_t n,
			    const struct note_verifier *keys, size_t nkeys,
			    struct audit_tlog_report *rep, struct vg_error *err) VG_MUST_CHECK;

#endif
