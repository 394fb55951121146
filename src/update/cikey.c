/*
 * cikey.c - trusted CI keys (`vigil ci-key add|list|revoke`) and the check
 * of a CI's detached signature of an artifact against them.
 *
 * Signatures are those of `openssl dgst -sha256 -sign KEY` (ECDSA P-256,
 * DER; RSA PKCS#1 v1.5) checked against the artifact's SHA-256 as a
 * prehashed digest, and of `openssl pkeyutl -sign -rawin` with Ed25519,
 * checked one-shot over the whole message (mapped, see release.h).
 */
#define _GNU_SOURCE
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "store/reader.h"
#include "store/store.h"
#include "update/release.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define CI_KEY_PEM_MAX (16 * 1024)

void ci_key_list_release(struct ci_key_list *l)
{
	if (!l)
		return;
	vg_arena_release(&l->mem);
	memset(l, 0, sizeof(*l));
}

/* The key in pem, its algorithm name and fingerprint. */
static EVP_PKEY *parse_pub(const char *pem, size_t n, char alg[32], char fp[65],
			   struct vg_error *err)
{
	BIO *bio;
	EVP_PKEY *k;
	unsigned char *der = NULL;
	int dlen, id;

	if (n > CI_KEY_PEM_MAX) {
		vg_error_set(err, VG_ETOOBIG, "public key: larger than %d bytes", CI_KEY_PEM_MAX);
		return NULL;
	}
	if (memmem(pem, n, "PRIVATE KEY", 11)) {
		vg_error_set(err, VG_EINVAL,
			     "public key: this is a private key; give the public key only "
			     "(openssl pkey -in KEY -pubout -out PUBKEY.pem)");
		return NULL;
	}
	bio = BIO_new_mem_buf(pem, (int)n);
	k = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!k) {
		vg_error_set(err, VG_EPARSE,
			     "public key: expected a PEM \"PUBLIC KEY\" (EC P-256, RSA or "
			     "Ed25519)");
		return NULL;
	}
	id = EVP_PKEY_get_base_id(k);
	if (id == EVP_PKEY_EC) {
		char group[64] = "";
		size_t gl = 0;
		EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					       &gl);
		if (strcmp(group, "prime256v1") != 0 && strcmp(group, "P-256") != 0) {
			vg_error_set(err, VG_EINVAL,
				     "public key: EC curve %s; expected P-256 (prime256v1)",
				     group[0] ? group : "unknown");
			goto bad;
		}
		snprintf(alg, 32, "ecdsa-p256");
	} else if (id == EVP_PKEY_RSA) {
		int bits = EVP_PKEY_get_bits(k);
		if (bits < 2048) {
			vg_error_set(err, VG_EINVAL,
				     "public key: RSA of %d bits; expected 2048 or more", bits);
			goto bad;
		}
		snprintf(alg, 32, "rsa-%d", bits);
	} else if (id == EVP_PKEY_ED25519) {
		snprintf(alg, 32, "ed25519");
	} else {
		vg_error_set(err, VG_EINVAL,
			     "public key: unsupported type; expected EC P-256, RSA or Ed25519");
		goto bad;
	}
	dlen = i2d_PUBKEY(k, &der);
	if (dlen <= 0) {
		vg_error_set(err, VG_EPARSE, "public key: cannot encode it");
		goto bad;
	}
	vg_sha256_hex(der, (size_t)dlen, fp);
	OPENSSL_free(der);
	return k;
bad:
	EVP_PKEY_free(k);
	return NULL;
}

int ci_key_add(struct store *s, const char *name, const char *pem, size_t n, struct vg_error *err)
{
	char alg[32], fp[65];
	EVP_PKEY *k;
	int64_t dup = 0;
	char *canon = NULL;
	int rc;

	rc = vg_text_check("CI key name", name, 128, 0, 1, err);
	if (rc)
		return rc;
	k = parse_pub(pem, n, alg, fp, err);
	if (!k)
		return err && err->code ? err->code : VG_EPARSE;
	{
		/* kept as the canonical PEM, not the file as given */
		BIO *bio = BIO_new(BIO_s_mem());
		char *p = NULL;
		long len;
		if (bio && PEM_write_bio_PUBKEY(bio, k) && (len = BIO_get_mem_data(bio, &p)) > 0)
			canon = strndup(p, (size_t)len);
		BIO_free(bio);
	}
	EVP_PKEY_free(k);
	if (!canon)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_query_int64(
		    s, &dup, err, "SELECT COUNT(*) FROM ci_keys WHERE fingerprint = ?", "t", fp);
	if (!rc && dup)
		rc = vg_error_set(err, VG_EEXIST,
				  "CI key %s: this public key is trusted already (fingerprint %s)",
				  name, fp);
	if (!rc) {
		rc = store_exec(s, err,
				"INSERT INTO ci_keys (name, algorithm, public_pem, fingerprint, "
				"created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
				"ttttit", name, alg, canon, fp, vg_now(), store_actor(s));
		if (rc == VG_EEXIST)
			vg_error_set(err, VG_EEXIST, "CI key %s exists already", name);
	}
	if (!rc) {
		json_t *after =
		    json_pack("{s:s, s:s, s:s}", "name", name, "algorithm", alg, "fingerprint", fp);
		rc = store_audit(s, "cikey.add", "ci_key", name, NULL, after, err);
		json_decref(after);
	}
	free(canon);
	return store_tx_end(s, rc, err);
}

#define KEY_COLS                                                                             \
	"id, name, algorithm, fingerprint, public_pem, created_at, created_by, revoked_at, " \
	"revoked_by, revoke_reason"

static int read_keys(struct store *s, const char *sql, struct ci_key_list *out,
		     struct vg_error *err)
{
	struct store_reader r = {NULL, NULL, 0};
	struct ci_key *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	r.mem = &out->mem;
	rc = store_prepare(s, sql, &r.st, err);
	if (rc) {
		ci_key_list_release(out);
		return rc;
	}
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		v[n].id = store_reader_int(&r, 0, 0);
		v[n].name = store_reader_str(&r, 1);
		v[n].algorithm = store_reader_str(&r, 2);
		v[n].fingerprint = store_reader_str(&r, 3);
		v[n].public_pem = store_reader_str(&r, 4);
		v[n].created_at = store_reader_int(&r, 5, 0);
		v[n].created_by = store_reader_str(&r, 6);
		v[n].revoked_at = store_reader_int(&r, 7, 0);
		v[n].revoked_by = store_reader_str(&r, 8);
		v[n].revoke_reason = store_reader_str(&r, 9);
		n++;
	}
	rc = store_reader_done(&r, rc, err);
	if (rc) {
		ci_key_list_release(out);
		return rc;
	}
	out->items = v;
	out->n = n;
	return VG_OK;
}

int ci_key_list(struct store *s, struct ci_key_list *out, struct vg_error *err)
{
	return read_keys(s, "SELECT " KEY_COLS " FROM ci_keys ORDER BY name", out, err);
}

int ci_key_revoke(struct store *s, const char *name, const char *reason, struct vg_error *err)
{
	int64_t id = 0, revoked = 0;
	int rc;

	rc = vg_text_check("revocation reason", reason, 1000, 0, 0, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &id, err, "SELECT id FROM ci_keys WHERE name = ?", "t", name);
	if (rc == VG_ENOTFOUND)
		rc = vg_error_set(err, VG_ENOTFOUND, "CI key %s: no such key", name);
	if (!rc)
		rc = store_query_int64(s, &revoked, err,
				       "SELECT revoked_at FROM ci_keys WHERE id = ?", "i", id);
	if (!rc && revoked)
		rc = vg_error_set(err, VG_ESTATE, "CI key %s is revoked already", name);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "UPDATE ci_keys SET revoked_at = ?, revoked_by = ?, revoke_reason = "
		    "? WHERE id = ?",
		    "itti", vg_now(), store_actor(s), reason && *reason ? reason : NULL, id);
	if (!rc) {
		json_t *after = json_pack("{s:s, s:s?}", "name", name, "reason",
					  reason && *reason ? reason : NULL);
		rc = store_audit(s, "cikey.revoke", "ci_key", name, NULL, after, err);
		json_decref(after);
	}
	return store_tx_end(s, rc, err);
}

json_t *ci_key_to_json(const struct ci_key *k)
{
	json_t *o = json_pack(
	    "{s:I, s:s, s:s, s:s, s:o, s:s?, s:b, s:o, s:s?, s:s?, s:s}", "id", (json_int_t)k->id,
	    "name", k->name, "algorithm", k->algorithm, "fingerprint", k->fingerprint, "created_at",
	    vg_json_time(k->created_at), "created_by", k->created_by, "revoked", k->revoked_at != 0,
	    "revoked_at", k->revoked_at ? vg_json_time(k->revoked_at) : json_null(), "revoked_by",
	    k->revoked_by, "revoke_reason", k->revoke_reason, "public_key", k->public_pem);
	return o;
}

/* 1 when sig verifies with k over msg. */
static int verify_one(EVP_PKEY *k, const struct ci_msg *msg, const void **whole, uint64_t *wlen,
		      int *mapped, const uint8_t *sig, size_t siglen, struct vg_error *err)
{
	int ok = 0;
	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519) {
		EVP_MD_CTX *md;
		if (!*mapped) {
			if (!msg->map || msg->map(msg->arg, whole, wlen, err))
				return -1;
			*mapped = 1;
		}
		md = EVP_MD_CTX_new();
		if (md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
		    EVP_DigestVerify(md, sig, siglen, *whole, (size_t)*wlen) == 1)
			ok = 1;
		EVP_MD_CTX_free(md);
	} else {
		uint8_t d[32];
		EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(k, NULL);
		size_t i;
		for (i = 0; i < 32; i++) {
			int hi = msg->sha256[2 * i], lo = msg->sha256[2 * i + 1];
			hi = hi <= '9' ? hi - '0' : hi - 'a' + 10;
			lo = lo <= '9' ? lo - '0' : lo - 'a' + 10;
			d[i] = (uint8_t)(hi * 16 + lo);
		}
		if (c && EVP_PKEY_verify_init(c) == 1 &&
		    EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) == 1 &&
		    EVP_PKEY_verify(c, sig, siglen, d, sizeof(d)) == 1)
			ok = 1;
		EVP_PKEY_CTX_free(c);
	}
	return ok;
}

int ci_sig_find(struct store *s, const struct ci_msg *msg, const uint8_t *sig, size_t siglen,
		int64_t *key_id, char *name, size_t namesz, int64_t *revoked, struct vg_error *err)
{
	struct ci_key_list l;
	const void *whole = NULL;
	uint64_t wlen = 0;
	int mapped = 0, rc;

	*key_id = 0;
	*revoked = 0;
	if (namesz)
		name[0] = '\0';
	if (!msg->sha256 || strlen(msg->sha256) != 64)
		return vg_error_set(err, VG_EINVAL, "signature check: no SHA-256 of the artifact");
	rc = read_keys(s, "SELECT " KEY_COLS " FROM ci_keys ORDER BY revoked_at, id", &l, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < l.n && !*key_id; i++) {
		const struct ci_key *k = &l.items[i];
		BIO *bio = BIO_new_mem_buf(k->public_pem, -1);
		EVP_PKEY *pk = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
		int ok;
		BIO_free(bio);
		if (!pk)
			continue;
		ok = verify_one(pk, msg, &whole, &wlen, &mapped, sig, siglen, err);
		EVP_PKEY_free(pk);
		if (ok < 0) {
			rc = err && err->code ? err->code : VG_EIO;
			break;
		}
		if (ok) {
			*key_id = k->id;
			*revoked = k->revoked_at;
			if (namesz)
				snprintf(name, namesz, "%s", k->name);
		}
	}
	ci_key_list_release(&l);
	return rc;
}
