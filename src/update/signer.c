/*
 * signer.c - the signer interface (signer.h), the software key file
 * implementation (development only) and the `signers` table
 * (signer_admin.h). PKCS#11 tokens are in pkcs11.c.
 *
 * A software signer is a PEM PKCS#8 private key file (Ed25519 or P-256)
 * readable by its owner only (no group or other permission bits); vigil
 * stores its absolute path, never the key.
 */
#define _XOPEN_SOURCE 700
#include "update/signer.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "store/store.h"
#include "update/signer_admin.h"
#include "update/signer_int.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* ---- algorithms ---- */

enum update_alg update_alg_parse(const char *s)
{
	if (!s)
		return UPDATE_ALG_NONE;
	if (strcmp(s, "ed25519") == 0)
		return UPDATE_ALG_ED25519;
	if (strcmp(s, "p256") == 0)
		return UPDATE_ALG_P256;
	return UPDATE_ALG_NONE;
}

const char *update_alg_name(enum update_alg a)
{
	switch (a) {
	case UPDATE_ALG_ED25519:
		return "ed25519";
	case UPDATE_ALG_P256:
		return "p256";
	case UPDATE_ALG_NONE:
		break;
	}
	return "none";
}

void update_key_id(const uint8_t *pub, size_t publen, char out[65])
{
	vg_sha256_hex(pub, publen, out);
}

/* ---- pure verification and encodings ---- */

int update_sig_p256_der(const uint8_t raw[64], uint8_t der[UPDATE_SIG_MAX], size_t *derlen)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);
	unsigned char *p = der;
	int len;

	*derlen = 0;
	if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return VG_ENOMEM;
	}
	len = i2d_ECDSA_SIG(sig, NULL);
	if (len <= 0 || len > UPDATE_SIG_MAX) {
		ECDSA_SIG_free(sig);
		return VG_EINVAL;
	}
	len = i2d_ECDSA_SIG(sig, &p);
	ECDSA_SIG_free(sig);
	if (len <= 0)
		return VG_EINVAL;
	*derlen = (size_t)len;
	return VG_OK;
}

/* DER ECDSA-Sig-Value -> raw r||s (64 bytes). */
static int p256_raw(const uint8_t *der, size_t derlen, uint8_t raw[64])
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	const BIGNUM *r, *s;
	int ok;
	if (!sig)
		return VG_EINVAL;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32;
	ECDSA_SIG_free(sig);
	return ok ? VG_OK : VG_EINVAL;
}

static EVP_PKEY *p256_from_point(const uint8_t *pub, size_t publen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pk = NULL;
	OSSL_PARAM params[3];
	char group[] = "prime256v1";

	if (!ctx)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, publen);
	params[2] = OSSL_PARAM_construct_end();
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

int update_sig_verify(enum update_alg alg, const uint8_t *pub, size_t publen, const void *msg,
		      size_t n, const uint8_t *sig, size_t siglen, struct vg_error *err)
{
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md;
	uint8_t der[UPDATE_SIG_MAX];
	size_t derlen = 0;
	int rc, ok;

	if (!pub || !sig || (!msg && n))
		return vg_error_set(err, VG_EINVAL, "signature check: missing input");
	switch (alg) {
	case UPDATE_ALG_ED25519:
		if (publen != 32)
			return vg_error_set(err, VG_EINVAL,
					    "signature check: an Ed25519 public key has 32 "
					    "bytes, not %zu",
					    publen);
		if (siglen != 64)
			return vg_error_set(err, VG_EINVAL,
					    "signature check: an Ed25519 signature has 64 "
					    "bytes, not %zu",
					    siglen);
		pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, publen);
		break;
	case UPDATE_ALG_P256:
		if (publen != 65 || pub[0] != 0x04)
			return vg_error_set(err, VG_EINVAL,
					    "signature check: a P-256 public key is the 65-byte "
					    "uncompressed point 04||X||Y");
		if (siglen != 64)
			return vg_error_set(err, VG_EINVAL,
					    "signature check: a raw P-256 signature r||s has 64 "
					    "bytes, not %zu",
					    siglen);
		pk = p256_from_point(pub, publen);
		if (pk && update_sig_p256_der(sig, der, &derlen)) {
			EVP_PKEY_free(pk);
			return vg_error_set(err, VG_EINVAL, "signature check: bad P-256 signature");
		}
		break;
	case UPDATE_ALG_NONE:
	default:
		return vg_error_set(err, VG_EINVAL, "signature check: unknown algorithm");
	}
	if (!pk)
		return vg_error_set(err, VG_EINVAL,
				    "signature check: the public key is not a valid %s key",
				    update_alg_name(alg));
	md = EVP_MD_CTX_new();
	if (!md) {
		EVP_PKEY_free(pk);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (alg == UPDATE_ALG_ED25519)
		ok = EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk) == 1 &&
		     EVP_DigestVerify(md, sig, siglen, msg, n) == 1;
	else
		ok = EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pk) == 1 &&
		     EVP_DigestVerify(md, der, derlen, msg, n) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	rc = ok ? VG_OK
		: vg_error_set(err, VG_EPERM, "signature check: the %s signature does not verify",
			       update_alg_name(alg));
	return rc;
}

/* ---- software keys ---- */

static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static enum update_alg pkey_alg(EVP_PKEY *pk)
{
	char group[64];
	size_t glen = 0;
	if (EVP_PKEY_is_a(pk, "ED25519"))
		return UPDATE_ALG_ED25519;
	if (EVP_PKEY_is_a(pk, "EC") &&
	    EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					   &glen) == 1 &&
	    (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0))
		return UPDATE_ALG_P256;
	return UPDATE_ALG_NONE;
}

/* Read a key file: a regular file without group or other permissions holding
 * a PEM private key of Ed25519 or P-256. */
static int soft_load(const char *name, const char *path, EVP_PKEY **out, struct vg_error *err)
{
	struct stat st;
	FILE *f;
	EVP_PKEY *pk;

	*out = NULL;
	if (stat(path, &st) != 0)
		return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
				    "signer %s: key file %s: %s", name, path,
				    errno == ENOENT ? "not found" : "cannot be read");
	if (!S_ISREG(st.st_mode))
		return vg_error_set(err, VG_EINVAL, "signer %s: key file %s: not a regular file",
				    name, path);
	if (st.st_mode & 077)
		return vg_error_set(err, VG_EPERM,
				    "signer %s: key file %s: mode %04o lets group or others read "
				    "or write it; expected 0600 (chmod 600 %s)",
				    name, path, (unsigned)(st.st_mode & 07777), path);
	f = fopen(path, "r");
	if (!f)
		return vg_error_set(err, VG_EIO, "signer %s: key file %s: cannot be read", name,
				    path);
	pk = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
	fclose(f);
	if (!pk)
		return vg_error_set(err, VG_EPARSE,
				    "signer %s: key file %s: expected an unencrypted PEM PKCS#8 "
				    "private key (Ed25519 or P-256)",
				    name, path);
	if (pkey_alg(pk) == UPDATE_ALG_NONE) {
		EVP_PKEY_free(pk);
		return vg_error_set(err, VG_EINVAL,
				    "signer %s: key file %s: the key is neither Ed25519 nor P-256",
				    name, path);
	}
	*out = pk;
	return VG_OK;
}

static int soft_public(EVP_PKEY *pk, enum update_alg alg, uint8_t pub[UPDATE_PUB_MAX],
		       size_t *publen)
{
	size_t len = UPDATE_PUB_MAX;
	if (alg == UPDATE_ALG_ED25519) {
		if (EVP_PKEY_get_raw_public_key(pk, pub, &len) != 1 || len != 32)
			return VG_EINTERNAL;
	} else {
		if (EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pub,
						    UPDATE_PUB_MAX, &len) != 1 ||
		    len != 65 || pub[0] != 0x04)
			return VG_EINTERNAL;
	}
	*publen = len;
	return VG_OK;
}

static int soft_sign(EVP_PKEY *pk, enum update_alg alg, const void *msg, size_t n,
		     uint8_t sig[UPDATE_SIG_MAX], size_t *siglen)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[UPDATE_SIG_MAX + 8];
	size_t len;
	int ok;

	if (!md)
		return VG_ENOMEM;
	if (alg == UPDATE_ALG_ED25519) {
		len = UPDATE_SIG_MAX;
		ok = EVP_DigestSignInit(md, NULL, NULL, NULL, pk) == 1 &&
		     EVP_DigestSign(md, sig, &len, msg, n) == 1 && len == 64;
	} else {
		len = sizeof(der);
		ok = EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pk) == 1 &&
		     EVP_DigestSign(md, der, &len, msg, n) == 1 && p256_raw(der, len, sig) == VG_OK;
		len = 64;
	}
	EVP_MD_CTX_free(md);
	if (!ok)
		return VG_EINTERNAL;
	*siglen = len;
	return VG_OK;
}

/* A new key file: created exclusively (never overwriting) with mode 0600. */
static int soft_keygen(const char *name, const char *path, enum update_alg alg,
		       struct vg_error *err)
{
	EVP_PKEY *pk;
	BIO *bio;
	int fd, ok;
	FILE *f;

	pk = alg == UPDATE_ALG_ED25519 ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")
				       : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!pk)
		return vg_error_set(err, VG_EINTERNAL, "signer %s: cannot generate a %s key", name,
				    update_alg_name(alg));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0) {
		EVP_PKEY_free(pk);
		return vg_error_set(err, errno == EEXIST ? VG_EEXIST : VG_EIO,
				    "signer %s: key file %s: %s", name, path,
				    errno == EEXIST
					? "already exists (vigil never overwrites a key)"
					: "cannot be created");
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		EVP_PKEY_free(pk);
		return vg_error_set(err, VG_EIO, "signer %s: key file %s: cannot be written", name,
				    path);
	}
	bio = BIO_new_fp(f, BIO_NOCLOSE);
	ok = bio && PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL) == 1;
	BIO_free(bio);
	EVP_PKEY_free(pk);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return vg_error_set(err, VG_EIO, "signer %s: key file %s: cannot be written", name,
				    path);
	}
	return VG_OK;
}

/* ---- the open signer ---- */

static int open_spec(const char *name, const char *kind, const char *uri, const char *pin_file,
		     enum update_alg want, struct update_signer **out, struct vg_error *err)
{
	struct update_signer *sg = calloc(1, sizeof(*sg));
	int rc;

	*out = NULL;
	if (!sg)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	snprintf(sg->name, sizeof(sg->name), "%s", name);
	if (strcmp(kind, "software") == 0) {
		EVP_PKEY *pk;
		rc = soft_load(name, uri, &pk, err);
		if (rc) {
			free(sg);
			return rc;
		}
		sg->pkey = pk;
		sg->alg = pkey_alg(pk);
		sg->development_only = 1;
	} else if (strcmp(kind, "pkcs11") == 0) {
		rc = p11_open(name, uri, pin_file, want, sg, err);
		if (rc) {
			free(sg);
			return rc;
		}
	} else {
		free(sg);
		return vg_error_set(err, VG_EINVAL, "signer %s: unknown kind '%s'", name, kind);
	}
	if (want != UPDATE_ALG_NONE && sg->alg != want) {
		enum update_alg got = sg->alg;
		update_signer_close(sg);
		return vg_error_set(err, VG_EINVAL, "signer %s: the key is %s, expected %s", name,
				    update_alg_name(got), update_alg_name(want));
	}
	*out = sg;
	return VG_OK;
}

int update_signer_sign(struct update_signer *sg, const void *msg, size_t n,
		       uint8_t sig[UPDATE_SIG_MAX], size_t *siglen, struct vg_error *err)
{
	int rc;
	*siglen = 0;
	if (sg->p11)
		return p11_sign(sg, msg, n, sig, siglen, err);
	rc = soft_sign(sg->pkey, sg->alg, msg, n, sig, siglen);
	if (rc)
		return vg_error_set(err, rc, "signer %s: signing failed", sg->name);
	return VG_OK;
}

int update_signer_public(struct update_signer *sg, uint8_t pub[UPDATE_PUB_MAX], size_t *publen,
			 struct vg_error *err)
{
	int rc;
	*publen = 0;
	if (sg->p11)
		return p11_public(sg, pub, publen, err);
	rc = soft_public(sg->pkey, sg->alg, pub, publen);
	if (rc)
		return vg_error_set(err, rc, "signer %s: cannot read the public key", sg->name);
	return VG_OK;
}

enum update_alg update_signer_alg(const struct update_signer *sg)
{
	return sg ? sg->alg : UPDATE_ALG_NONE;
}

const char *update_signer_name(const struct update_signer *sg)
{
	return sg ? sg->name : "";
}

int update_signer_is_development(const struct update_signer *sg)
{
	return sg ? sg->development_only : 0;
}

void update_signer_close(struct update_signer *sg)
{
	if (!sg)
		return;
	if (sg->p11)
		p11_close(sg);
	EVP_PKEY_free(sg->pkey);
	free(sg);
}

int update_signer_open(struct store *s, const char *name, struct update_signer **out,
		       struct vg_error *err)
{
	struct update_signer_info i = {0};
	struct update_signer *sg = NULL;
	uint8_t pub[UPDATE_PUB_MAX];
	size_t publen;
	char hex[2 * UPDATE_PUB_MAX + 1];
	int rc;

	*out = NULL;
	rc = update_signer_get(s, name, &i, err);
	if (rc)
		return rc;
	rc = open_spec(i.name, i.kind, i.uri, i.pin_file, update_alg_parse(i.algorithm), &sg, err);
	if (!rc)
		rc = update_signer_public(sg, pub, &publen, err);
	if (!rc) {
		vg_hex(pub, publen, hex);
		if (strcmp(hex, i.public_hex) != 0)
			rc = vg_error_set(err, VG_ESTATE,
					  "signer %s: the key at %s is not the one added (public "
					  "key changed); add it again under a new name",
					  i.name, i.uri);
	}
	update_signer_info_release(&i);
	if (rc) {
		update_signer_close(sg);
		return rc;
	}
	*out = sg;
	return VG_OK;
}

/* ---- the table ---- */

void update_signer_info_release(struct update_signer_info *i)
{
	if (!i)
		return;
	free(i->name);
	free(i->kind);
	free(i->uri);
	free(i->pin_file);
	free(i->algorithm);
	free(i->public_hex);
	free(i->created_by);
	memset(i, 0, sizeof(*i));
}

void update_signer_list_release(struct update_signer_list *l)
{
	if (!l)
		return;
	for (size_t k = 0; k < l->n; k++)
		update_signer_info_release(&l->items[k]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

#define SIGNER_COLS                                                                \
	"id, name, kind, uri, pin_file, algorithm, public_hex, development_only, " \
	"created_at, created_by"

static int row_info(struct store_stmt *st, struct update_signer_info *i)
{
	int oom = 0;
	i->id = store_col_int64(st, 0);
	i->name = store_col_dup(st, 1, &oom);
	i->kind = store_col_dup(st, 2, &oom);
	i->uri = store_col_dup(st, 3, &oom);
	i->pin_file = store_col_dup(st, 4, &oom);
	i->algorithm = store_col_dup(st, 5, &oom);
	i->public_hex = store_col_dup(st, 6, &oom);
	i->development_only = store_col_int64(st, 7) != 0;
	i->created_at = store_col_int64(st, 8);
	i->created_by = store_col_dup(st, 9, &oom);
	return oom ? VG_ENOMEM : VG_OK;
}

int update_signer_get(struct store *s, const char *name, struct update_signer_info *out,
		      struct vg_error *err)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc =
	    store_prepare_cached(s, "SELECT " SIGNER_COLS " FROM signers WHERE name = ?", &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, name);
	rc = store_step(st, err);
	if (rc == STORE_ROW)
		rc = row_info(st, out);
	else if (rc == STORE_DONE)
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "signer %s: no such signer (vigil signer list)", name);
	store_finalize(st);
	if (rc == VG_ENOMEM)
		vg_error_set(err, rc, "out of memory");
	if (rc)
		update_signer_info_release(out);
	return rc;
}

int update_signer_list(struct store *s, struct update_signer_list *out, struct vg_error *err)
{
	struct store_stmt *st;
	int rc;
	size_t cap = 0;

	out->items = NULL;
	out->n = 0;
	rc = store_prepare(s, "SELECT " SIGNER_COLS " FROM signers ORDER BY name", &st, err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct update_signer_info *p = realloc(out->items, nc * sizeof(*p));
			if (!p) {
				rc = VG_ENOMEM;
				break;
			}
			out->items = p;
			cap = nc;
		}
		memset(&out->items[out->n], 0, sizeof(out->items[0]));
		rc = row_info(st, &out->items[out->n]);
		out->n++;
		if (rc)
			break;
	}
	store_finalize(st);
	if (rc == STORE_DONE)
		return VG_OK;
	if (rc == VG_ENOMEM)
		vg_error_set(err, rc, "out of memory");
	update_signer_list_release(out);
	return rc;
}

json_t *update_signer_info_to_json(const struct update_signer_info *i)
{
	uint8_t pub[UPDATE_PUB_MAX];
	size_t publen = 0;
	char kid[65] = "";
	size_t hl = i->public_hex ? strlen(i->public_hex) : 0;

	if (hl && hl % 2 == 0 && hl / 2 <= sizeof(pub)) {
		for (size_t k = 0; k < hl / 2; k++) {
			unsigned v;
			if (sscanf(i->public_hex + 2 * k, "%2x", &v) != 1)
				break;
			pub[k] = (uint8_t)v;
			publen++;
		}
		update_key_id(pub, publen, kid);
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:b, s:o, s:o}", "name", i->name,
			 "kind", i->kind, "uri", vg_json_text(i->uri), "pin_file",
			 vg_json_text(i->pin_file), "algorithm", i->algorithm, "public_key",
			 i->public_hex ? i->public_hex : "", "key_id", kid, "development_only",
			 i->development_only, "created_at", vg_json_time(i->created_at),
			 "created_by", vg_json_text(i->created_by));
}

json_t *update_signer_list_to_json(const struct update_signer_list *l)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < l->n; k++) {
		json_t *o = update_signer_info_to_json(&l->items[k]);
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int check_name(const char *name, struct vg_error *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 64)
		return vg_error_set(
		    err, VG_EUSAGE,
		    "signer name: expected 1 to 64 letters, digits, '-', '_' or '.'");
	for (size_t k = 0; k < n; k++) {
		char c = name[k];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return vg_error_set(err, VG_EUSAGE,
					    "signer name '%s': expected letters, digits, '-', '_' "
					    "or '.'",
					    name);
	}
	if (name[0] == '-' || name[0] == '.')
		return vg_error_set(err, VG_EUSAGE,
				    "signer name '%s': must not start with '-' or '.'", name);
	return VG_OK;
}

/* Probe an open signer: read its public key, sign a fixed message and verify
 * the signature with that key. */
static int probe(struct update_signer *sg, uint8_t pub[UPDATE_PUB_MAX], size_t *publen,
		 struct vg_error *err)
{
	static const char msg[] = "vigil signer probe: sign, read the public key back, verify";
	uint8_t sig[UPDATE_SIG_MAX];
	size_t siglen;
	int rc;

	rc = update_signer_public(sg, pub, publen, err);
	if (!rc)
		rc = update_signer_sign(sg, msg, sizeof(msg) - 1, sig, &siglen, err);
	if (!rc) {
		rc = update_sig_verify(sg->alg, pub, *publen, msg, sizeof(msg) - 1, sig, siglen,
				       err);
		if (rc)
			vg_error_prefix(err, "signer %s", sg->name);
	}
	return rc;
}

static int exists(struct store *s, const char *name, struct vg_error *err)
{
	int64_t n = 0;
	int rc =
	    store_query_int64(s, &n, err, "SELECT COUNT(*) FROM signers WHERE name = ?", "t", name);
	if (rc)
		return rc;
	if (n)
		return vg_error_set(err, VG_EEXIST, "signer %s: already exists (vigil signer list)",
				    name);
	return VG_OK;
}

/* Check the spec without touching a key. */
static int check_spec(const struct update_signer_spec *sp, struct vg_error *err)
{
	int rc = check_name(sp->name, err);
	if (rc)
		return rc;
	if (!sp->kind || !sp->uri)
		return vg_error_set(err, VG_EUSAGE,
				    "signer %s: expected --pkcs11 URI or --software KEYFILE",
				    sp->name);
	if (strcmp(sp->kind, "software") == 0) {
		if (sp->pin_file)
			return vg_error_set(err, VG_EUSAGE,
					    "signer %s: --pin-file is for PKCS#11 signers only",
					    sp->name);
		if (!sp->uri[0])
			return vg_error_set(err, VG_EUSAGE, "signer %s: empty key file name",
					    sp->name);
		return VG_OK;
	}
	if (strcmp(sp->kind, "pkcs11") == 0) {
		rc = p11_uri_check(sp->uri, err);
		if (rc)
			vg_error_prefix(err, "signer %s", sp->name);
		return rc;
	}
	return vg_error_set(err, VG_EUSAGE, "signer %s: unknown kind '%s'", sp->name, sp->kind);
}

/* Open, probe and store (one audited transaction). */
static int add_common(struct store *s, const struct update_signer_spec *sp, const char *uri,
		      enum update_alg want, const char *action, struct update_signer_info *out,
		      struct vg_error *err)
{
	struct update_signer *sg = NULL;
	uint8_t pub[UPDATE_PUB_MAX];
	size_t publen = 0;
	char hex[2 * UPDATE_PUB_MAX + 1];
	struct update_signer_info i = {0};
	json_t *after = NULL;
	int rc;

	rc = open_spec(sp->name, sp->kind, uri, sp->pin_file, want, &sg, err);
	if (rc)
		return rc;
	rc = probe(sg, pub, &publen, err);
	if (rc) {
		update_signer_close(sg);
		return rc;
	}
	vg_hex(pub, publen, hex);
	i.name = (char *)sp->name;
	i.kind = (char *)sp->kind;
	i.uri = (char *)uri;
	i.pin_file = (char *)sp->pin_file;
	i.algorithm = (char *)update_alg_name(sg->alg);
	i.public_hex = hex;
	i.development_only = sg->development_only;
	i.created_at = vg_now();
	i.created_by = (char *)store_actor(s);
	update_signer_close(sg);

	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = exists(s, sp->name, err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO signers (name, kind, uri, pin_file, algorithm, "
				"public_hex, development_only, created_at, created_by) VALUES "
				"(?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"ttttttiit", i.name, i.kind, i.uri, i.pin_file, i.algorithm,
				i.public_hex, (int64_t)i.development_only, i.created_at,
				i.created_by);
	if (!rc) {
		after = update_signer_info_to_json(&i);
		if (!after)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = store_audit(s, action, "signer", sp->name, NULL, after, err);
	json_decref(after);
	rc = store_tx_end(s, rc, err);
	if (!rc && out)
		rc = update_signer_get(s, sp->name, out, err);
	return rc;
}

/* The absolute path of an existing file (the key file is stored so). */
static int abs_path(const char *name, const char *path, char out[PATH_MAX], struct vg_error *err)
{
	if (!realpath(path, out))
		return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
				    "signer %s: key file %s: %s", name, path,
				    errno == ENOENT ? "not found" : "cannot be read");
	return VG_OK;
}

/* The PIN file is stored as an absolute path (never the PIN). */
static int pin_path(struct update_signer_spec *sp, char out[PATH_MAX], struct vg_error *err)
{
	if (!sp->pin_file)
		return VG_OK;
	if (!realpath(sp->pin_file, out))
		return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
				    "signer %s: PIN file %s: %s", sp->name, sp->pin_file,
				    errno == ENOENT ? "not found" : "cannot be read");
	sp->pin_file = out;
	return VG_OK;
}

int update_signer_add(struct store *s, const struct update_signer_spec *spec,
		      struct update_signer_info *out, struct vg_error *err)
{
	char path[PATH_MAX], pin[PATH_MAX];
	struct update_signer_spec sv = *spec, *sp = &sv;
	int rc = check_spec(sp, err);
	if (!rc)
		rc = exists(s, sp->name, err);
	if (!rc)
		rc = pin_path(sp, pin, err);
	if (rc)
		return rc;
	if (strcmp(sp->kind, "software") == 0) {
		rc = abs_path(sp->name, sp->uri, path, err);
		if (rc)
			return rc;
		return add_common(s, sp, path, UPDATE_ALG_NONE, "signer.add", out, err);
	}
	return add_common(s, sp, sp->uri, UPDATE_ALG_NONE, "signer.add", out, err);
}

int update_signer_keygen(struct store *s, const struct update_signer_spec *spec,
			 struct update_signer_info *out, struct vg_error *err)
{
	char path[PATH_MAX], pin[PATH_MAX];
	struct update_signer_spec sv = *spec, *sp = &sv;
	int rc = check_spec(sp, err);
	if (!rc)
		rc = exists(s, sp->name, err);
	if (!rc)
		rc = pin_path(sp, pin, err);
	if (rc)
		return rc;
	if (sp->alg != UPDATE_ALG_ED25519 && sp->alg != UPDATE_ALG_P256)
		return vg_error_set(err, VG_EUSAGE,
				    "signer %s: --algorithm: expected ed25519 or p256", sp->name);
	if (strcmp(sp->kind, "software") == 0) {
		rc = soft_keygen(sp->name, sp->uri, sp->alg, err);
		if (rc)
			return rc;
		rc = abs_path(sp->name, sp->uri, path, err);
		if (!rc)
			rc = add_common(s, sp, path, sp->alg, "signer.keygen", out, err);
		if (rc)
			unlink(sp->uri); /* this call created it: nothing is left half */
		return rc;
	}
	rc = p11_keygen(sp->name, sp->uri, sp->pin_file, sp->alg, err);
	if (rc)
		return rc;
	rc = add_common(s, sp, sp->uri, sp->alg, "signer.keygen", out, err);
	if (rc) {
		/* the label was free before: the key pair under it is the one just
		 * made, and is not left behind unused */
		struct vg_error e2 = {0};
		if (p11_destroy(sp->name, sp->uri, sp->pin_file, &e2) && err) {
			char first[sizeof(err->msg)];
			snprintf(first, sizeof(first), "%s", vg_error_msg(err));
			vg_error_set(err, rc,
				     "%s (and the key pair just made is still on the token: %s)",
				     first, vg_error_msg(&e2));
		}
	}
	return rc;
}

int update_signer_remove(struct store *s, const char *name, struct vg_error *err)
{
	struct update_signer_info i;
	json_t *before;
	int rc = update_signer_get(s, name, &i, err);
	if (rc)
		return rc;
	before = update_signer_info_to_json(&i);
	update_signer_info_release(&i);
	if (!before)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_tx_begin(s, err);
	if (rc) {
		json_decref(before);
		return rc;
	}
	rc = store_exec(s, err, "DELETE FROM signers WHERE name = ?", "t", name);
	if (!rc)
		rc = store_audit(s, "signer.remove", "signer", name, before, NULL, err);
	json_decref(before);
	return store_tx_end(s, rc, err);
}

int update_signer_test(struct store *s, const char *name, struct update_signer_probe *out,
		       struct vg_error *err)
{
	struct update_signer *sg;
	uint8_t pub[UPDATE_PUB_MAX];
	size_t publen = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = update_signer_open(s, name, &sg, err); /* compares with the stored key */
	if (rc)
		return rc;
	rc = probe(sg, pub, &publen, err);
	if (!rc) {
		out->alg = sg->alg;
		out->development_only = sg->development_only;
		out->matches_stored = 1;
		update_key_id(pub, publen, out->key_id);
	}
	if (!rc && sg->p11) {
		out->in_token = 1;
		rc =
		    p11_protection(sg, &out->sensitive, &out->extractable, &out->value_hidden, err);
		if (!rc && (!out->sensitive || out->extractable || !out->value_hidden))
			rc = vg_error_set(err, VG_EPERM,
					  "signer %s: the private key can leave the token "
					  "(sensitive %s, extractable %s)",
					  name, out->sensitive ? "yes" : "no",
					  out->extractable ? "yes" : "no");
	}
	update_signer_close(sg);
	return rc;
}
