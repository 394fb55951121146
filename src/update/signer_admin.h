/*
 * signer_admin.h - keeping signers in the store: add, generate, list,
 * remove (the `vigil signer` verbs and the web page use these; signing goes
 * through signer.h). Every change is audited (action "signer.add",
 * "signer.keygen", "signer.remove"; never a PIN). Software signers are
 * development only, and every listing, JSON object and audit record says so.
 */
#ifndef VIGIL_UPDATE_SIGNER_ADMIN_H
#define VIGIL_UPDATE_SIGNER_ADMIN_H

#include "core/error.h"
#include "core/json.h"
#include "update/signer.h"

#include <stddef.h>

struct store;
struct vg_error;
struct cli;

/* How a signer is reached, as given on the command line. */
struct update_signer_spec {
	const char *name;     /* letters, digits, '-', '_', '.'; 1..64 */
	const char *kind;     /* "software" or "pkcs11" */
	const char *uri;      /* software: key file; pkcs11: the pkcs11: URI */
	const char *pin_file; /* pkcs11 only; NULL: VIGIL_PKCS11_PIN */
	enum update_alg alg;  /* keygen only */
};

/* Add an existing key: open it, read its public key back, sign and verify a
 * probe, then store the signer (audited). Nothing is stored on any error. */
int update_signer_add(struct store *s, const struct update_signer_spec *sp,
		      struct update_signer_info *out, struct vg_error *err) VG_MUST_CHECK;
/* Generate a key pair (a software PEM PKCS#8 file created with mode 0600,
 * never overwriting; or inside the token, not extractable), then add it as
 * update_signer_add() does (audited as "signer.keygen"). */
int update_signer_keygen(struct store *s, const struct update_signer_spec *sp,
			 struct update_signer_info *out, struct vg_error *err) VG_MUST_CHECK;
/* One stored signer by name (VG_ENOTFOUND naming it). */
int update_signer_get(struct store *s, const char *name, struct update_signer_info *out,
		      struct vg_error *err) VG_MUST_CHECK;

struct update_signer_list {
	struct update_signer_info *items;
	size_t n;
};
int update_signer_list(struct store *s, struct update_signer_list *out,
		       struct vg_error *err) VG_MUST_CHECK;
void update_signer_list_release(struct update_signer_list *l);
/* Remove a stored signer (the key itself stays where it is). Audited. */
int update_signer_remove(struct store *s, const char *name, struct vg_error *err) VG_MUST_CHECK;

/* The result of a probe: sign a fixed message, verify it with the public key
 * read back from the token or key file, and compare that key with the one
 * stored when the signer was added. */
struct update_signer_probe {
	enum update_alg alg;
	char key_id[65]; /* hex SHA-256 of the public key */
	int development_only;
	int matches_stored; /* the key read back equals the stored public key */
	/* PKCS#11 only (in_token 1): CKA_SENSITIVE, CKA_EXTRACTABLE, and whether
	 * the token refused to show CKA_VALUE (CKR_ATTRIBUTE_SENSITIVE) */
	int in_token, sensitive, extractable, value_hidden;
};
int update_signer_test(struct store *s, const char *name, struct update_signer_probe *out,
		       struct vg_error *err) VG_MUST_CHECK;

/* Hex SHA-256 of a public key (the key id shown everywhere). */
void update_key_id(const uint8_t *pub, size_t publen, char out[65]);

/* The edge: a signer as JSON ({"name", "kind", "uri", "pin_file",
 * "algorithm", "public_key", "key_id", "development_only", "created_at",
 * "created_by"}). NULL on out of memory. */
json_t *update_signer_info_to_json(const struct update_signer_info *i);
json_t *update_signer_list_to_json(const struct update_signer_list *l);

/* `vigil signer add|keygen|list|test|remove`. */
int cmd_signer(struct cli *c, int argc, char **argv);

#endif
