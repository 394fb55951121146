/*
 * securitytxt_pgp.c - OpenPGP for security.txt through gpgme: verify a
 * cleartext signature against a given key, and make one.
 *
 * Verification imports the key into a fresh GnuPG home under TMPDIR and
 * deletes it afterwards: the key an operator hands us must be the only key
 * that can make a signature count, and their own keyring stays untouched.
 */
#define _XOPEN_SOURCE 700
#include "reach/securitytxt.h"
#include "reach/securitytxt_int.h"

#include "core/buf.h"
#include "core/error.h"

#include <ftw.h>
#include <gpgme.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

static int gpgme_ready(struct vg_error *err)
{
	if (!gpgme_check_version(NULL))
		return vg_error_set(err, VG_EINTERNAL, "gpgme could not be initialised");
	if (gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP))
		return vg_error_set(err, VG_EINTERNAL,
				    "gpgme: no usable gpg engine (is gnupg installed?)");
	return VG_OK;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int securitytxt__verify(const char *data, size_t n, const char *key_file,
			struct securitytxt_report *r, int line, struct vg_error *err)
{
	struct vg_buf key = VG_BUF_INIT;
	char home[512];
	const char *tmp = getenv("TMPDIR");
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t kd = NULL, sd = NULL, plain = NULL;
	gpgme_import_result_t ir;
	gpgme_verify_result_t vr;
	gpgme_error_t ge;
	int rc, made_home = 0;
	char reason[200] = "no signature found";

	rc = vg_buf_read_file(&key, key_file, SECURITYTXT_MAX_SIZE, err);
	if (rc)
		goto out;
	rc = gpgme_ready(err);
	if (rc)
		goto out;
	snprintf(home, sizeof(home), "%s/vigil-gpg-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(home)) {
		rc = vg_error_set(err, VG_EIO, "cannot create a temporary GnuPG home in %s",
				  tmp && *tmp ? tmp : "/tmp");
		goto out;
	}
	made_home = 1;
	if (gpgme_new(&ctx) || gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP) ||
	    gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) {
		rc = vg_error_set(err, VG_EINTERNAL, "gpgme: cannot set up a context");
		goto out;
	}
	if (gpgme_data_new_from_mem(&kd, key.data, key.len, 0) ||
	    gpgme_data_new_from_mem(&sd, data, n, 0) || gpgme_data_new(&plain)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	ge = gpgme_op_import(ctx, kd);
	ir = ge ? NULL : gpgme_op_import_result(ctx);
	if (!ir || ir->imported + ir->unchanged == 0) {
		rc = vg_error_set(err, VG_EINVAL, "%s: no OpenPGP public key found in the file%s%s",
				  key_file, ge ? ": " : "", ge ? gpgme_strerror(ge) : "");
		goto out;
	}
	ge = gpgme_op_verify(ctx, sd, NULL, plain);
	vr = ge ? NULL : gpgme_op_verify_result(ctx);
	if (ge)
		snprintf(reason, sizeof(reason), "%s", gpgme_strerror(ge));
	for (gpgme_signature_t s = vr ? vr->signatures : NULL; s; s = s->next) {
		if (gpgme_err_code(s->status) == GPG_ERR_NO_ERROR &&
		    !(s->summary & GPGME_SIGSUM_RED)) {
			r->verified = 1;
			snprintf(r->signer, sizeof(r->signer), "%s", s->fpr ? s->fpr : "");
			break;
		}
		snprintf(reason, sizeof(reason), "signature by %.64s: %s",
			 s->fpr ? s->fpr : "unknown key", gpgme_strerror(s->status));
	}
	if (!r->verified)
		securitytxt__add(r, STX_signature_invalid, line,
				 "the signature does not verify with %.100s: %s", key_file, reason);
	rc = VG_OK;
out:
	gpgme_data_release(kd);
	gpgme_data_release(sd);
	gpgme_data_release(plain);
	gpgme_release(ctx);
	if (made_home)
		rm_tree(home);
	vg_buf_release(&key);
	return rc;
}

int securitytxt_sign(const char *text, size_t n, const char *key_id, struct vg_buf *out,
		     struct vg_error *err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t in = NULL, sig = NULL;
	gpgme_key_t key = NULL;
	gpgme_error_t ge;
	gpgme_sign_result_t sr;
	char *p = NULL;
	size_t len = 0;
	int rc;

	rc = gpgme_ready(err);
	if (rc)
		return rc;
	if (gpgme_new(&ctx) || gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP))
		return vg_error_set(err, VG_EINTERNAL, "gpgme: cannot set up a context");
	gpgme_set_armor(ctx, 1);
	gpgme_set_textmode(ctx, 1);
	if (key_id) {
		ge = gpgme_get_key(ctx, key_id, &key, 1);
		if (ge || !key) {
			rc = vg_error_set(err, VG_ENOTFOUND,
					  "no OpenPGP secret key '%.100s' in the GnuPG home: %s",
					  key_id, ge ? gpgme_strerror(ge) : "not found");
			goto out;
		}
		if (!key->can_sign) {
			rc = vg_error_set(err, VG_EINVAL, "OpenPGP key '%.100s' cannot sign",
					  key_id);
			goto out;
		}
		gpgme_signers_add(ctx, key);
	}
	if (gpgme_data_new_from_mem(&in, text, n, 0) || gpgme_data_new(&sig)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	ge = gpgme_op_sign(ctx, in, sig, GPGME_SIG_MODE_CLEAR);
	sr = ge ? NULL : gpgme_op_sign_result(ctx);
	if (ge || !sr || !sr->signatures || sr->invalid_signers) {
		rc = vg_error_set(
		    err,
		    gpgme_err_code(ge) == GPG_ERR_UNUSABLE_SECKEY ? VG_ENOTFOUND : VG_EINTERNAL,
		    "OpenPGP signing failed: %s",
		    ge                          ? gpgme_strerror(ge)
		    : sr && sr->invalid_signers ? gpgme_strerror(sr->invalid_signers->reason)
						: "no signature made (is there a secret key?)");
		goto out;
	}
	p = gpgme_data_release_and_get_mem(sig, &len);
	sig = NULL;
	if (!p) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	if (vg_buf_add(out, p, len))
		rc = vg_error_set(err, VG_ETOOBIG, "signed file does not fit");
out:
	if (p)
		gpgme_free(p);
	gpgme_data_release(in);
	gpgme_data_release(sig);
	if (key)
		gpgme_key_unref(key);
	gpgme_release(ctx);
	return rc;
}
