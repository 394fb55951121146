/*
 * signer_note.c - the update room's signers (signer.h: a key in a PKCS#11
 * token, or a development key file) as signers of audit checkpoints and
 * evidence bundles (audit/note.h): with the setting audit.signer = NAME,
 * checkpoints are signed by the Ed25519 signer NAME of `vigil signer`, so the
 * key can live in an HSM. Registered with audit_set_signer_provider() by
 * update_audit_init() (app_init_rooms()).
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/checkpoint.h"
#include "audit/note.h"
#include "core/error.h"
#include "update/signer.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static int sign_cb(void *ctx, const void *msg, size_t n, uint8_t sig[NOTE_ED25519_SIG],
		   struct vg_error *err)
{
	uint8_t raw[UPDATE_SIG_MAX];
	size_t len = 0;
	int rc = update_signer_sign(ctx, msg, n, raw, &len, err);
	if (rc)
		return rc;
	if (len != NOTE_ED25519_SIG)
		return vg_error_set(err, VG_EINVAL, "signer %s: an Ed25519 signature of %zu bytes",
				    update_signer_name(ctx), len);
	memcpy(sig, raw, NOTE_ED25519_SIG);
	return VG_OK;
}

static void release_cb(void *ctx)
{
	update_signer_close(ctx);
}

/* audit_signer_provider_fn: the stored signer `which`, Ed25519 only (the
 * signed-note format knows no other algorithm for these keys). */
static int open_note_signer(struct store *s, const char *which, struct note_signer *out,
			    struct vg_error *err)
{
	struct update_signer *sg = NULL;
	uint8_t pub[UPDATE_PUB_MAX];
	size_t publen = 0;
	const char *name = audit_key_name();
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = update_signer_open(s, which, &sg, err))) {
		vg_error_prefix(err, "setting audit.signer");
		return rc;
	}
	if (update_signer_alg(sg) != UPDATE_ALG_ED25519) {
		update_signer_close(sg);
		return vg_error_set(err, VG_EINVAL,
				    "setting audit.signer: signer %s is not an Ed25519 key "
				    "(checkpoints are signed notes: Ed25519 only)",
				    which);
	}
	if ((rc = update_signer_public(sg, pub, &publen, err))) {
		update_signer_close(sg);
		return rc;
	}
	if (publen != NOTE_ED25519_PUB || !note_name_valid(name) ||
	    strlen(name) >= sizeof(out->name)) {
		update_signer_close(sg);
		return vg_error_set(
		    err, VG_EINVAL,
		    "setting audit.signer: signer %s: unusable key or key name '%s'", which, name);
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	memcpy(out->pub, pub, NOTE_ED25519_PUB);
	out->id = note_key_id(out->name, out->pub);
	out->sign = sign_cb;
	out->ctx = sg;
	out->release = release_cb;
	return VG_OK;
}

void update_audit_init(void)
{
	audit_set_signer_provider(open_note_signer);
}
