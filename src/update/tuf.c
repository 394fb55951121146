/*
 * tuf.c - the TUF repository: roles, metadata built from the store, signed
 * through update/signer.h and checked against the public key read back,
 * kept in tuf_metadata (see tuf.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "update/tuf.h"
#include "update/release.h"
#include "update/signer.h"
#include "update/signer_admin.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/log.h"
#include "core/text.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

#define TUF_MAX_SIGNERS 16

static int is_hex64(const char *p);

/* ---- canonical JSON (OLPC; as securesystemslib and tuf-js encode it) ---- */

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int canon_string(struct vg_buf *out, const char *s, size_t n)
{
	int rc = vg_buf_addc(out, '"');
	for (size_t i = 0; !rc && i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			rc = vg_buf_addc(out, '\\');
		if (!rc)
			rc = vg_buf_addc(out, s[i]);
	}
	return rc ? rc : vg_buf_addc(out, '"');
}

static int canon(const json_t *v, struct vg_buf *out, int depth, struct vg_error *err)
{
	int rc = VG_OK;

	if (depth > VG_JSON_MAX_DEPTH)
		return vg_error_set(err, VG_EINVAL, "canonical JSON: nested too deeply");
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), k = 0;
		const char **keys = n ? calloc(n, sizeof(*keys)) : NULL;
		const char *key;
		json_t *val;
		if (n && !keys)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		json_object_foreach((json_t *)v, key, val) keys[k++] = key;
		if (n)
			qsort(keys, n, sizeof(*keys), cmp_keys);
		rc = vg_buf_addc(out, '{');
		for (k = 0; !rc && k < n; k++) {
			if (k)
				rc = vg_buf_addc(out, ',');
			if (!rc)
				rc = canon_string(out, keys[k], strlen(keys[k]));
			if (!rc)
				rc = vg_buf_addc(out, ':');
			if (!rc)
				rc = canon(json_object_get(v, keys[k]), out, depth + 1, err);
		}
		free(keys);
		if (!rc)
			rc = vg_buf_addc(out, '}');
		break;
	}
	case JSON_ARRAY:
		rc = vg_buf_addc(out, '[');
		for (size_t i = 0; !rc && i < json_array_size(v); i++) {
			if (i)
				rc = vg_buf_addc(out, ',');
			if (!rc)
				rc = canon(json_array_get(v, i), out, depth + 1, err);
		}
		if (!rc)
			rc = vg_buf_addc(out, ']');
		break;
	case JSON_STRING:
		rc = canon_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		rc = vg_buf_addf(out, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_TRUE:
		rc = vg_buf_adds(out, "true");
		break;
	case JSON_FALSE:
		rc = vg_buf_adds(out, "false");
		break;
	case JSON_NULL:
		rc = vg_buf_adds(out, "null");
		break;
	case JSON_REAL:
		return vg_error_set(err, VG_EINVAL,
				    "canonical JSON: real numbers are not allowed (integers only)");
	}
	if (rc && err && !err->code)
		vg_error_set(err, rc, "canonical JSON: out of memory");
	return rc;
}

int tuf_canonical_json(const json_t *v, struct vg_buf *out, struct vg_error *err)
{
	return canon(v, out, 0, err);
}

/* ---- roles ---- */

struct role {
	char *signers;
	int64_t threshold, lifetime;
};

static void role_release(struct role *r)
{
	free(r->signers);
	r->signers = NULL;
}

static int role_get(struct store *s, const char *name, struct role *r, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc, oom = 0;

	memset(r, 0, sizeof(*r));
	rc = store_prepare_cached(
	    s, "SELECT signers, threshold, lifetime FROM tuf_roles WHERE role = ?", &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, name);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		r->signers = store_col_dup(st, 0, &oom);
		r->threshold = store_col_int64(st, 1);
		r->lifetime = store_col_int64(st, 2);
		rc = oom ? vg_error_set(err, VG_ENOMEM, "out of memory") : VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND, "TUF role %s: not found%s", name,
				  strcmp(name, "root") == 0 ? " (run 'vigil tuf init')" : "");
	}
	store_finalize(st);
	return rc;
}

/* Split a comma-separated list of names (trimmed, deduplicated) into names[]
 * (pointers into buf, a copy). */
static int split_names(const char *csv, char *buf, size_t bufsz, char *names[TUF_MAX_SIGNERS],
		       size_t *n, struct vg_error *err)
{
	size_t len = strlen(csv);
	char *p, *save = NULL;

	*n = 0;
	if (len >= bufsz)
		return vg_error_set(err, VG_EINVAL, "signer list too long");
	memcpy(buf, csv, len + 1);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		int dup = 0;
		while (*p == ' ')
			p++;
		if (!*p)
			continue;
		for (size_t i = 0; i < *n; i++)
			dup |= strcmp(names[i], p) == 0;
		if (dup)
			continue;
		if (*n >= TUF_MAX_SIGNERS)
			return vg_error_set(err, VG_EINVAL, "at most %d signers per role",
					    TUF_MAX_SIGNERS);
		names[(*n)++] = p;
	}
	return VG_OK;
}

/* ---- keys ---- */

static const uint8_t p256_spki_prefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
					   0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
					   0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};

/* The TUF key object of a public key and its key id. */
static int key_object(enum update_alg alg, const uint8_t *pub, size_t publen, json_t **out,
		      char keyid[65], struct vg_error *err)
{
	json_t *k = NULL;
	struct vg_buf b = VG_BUF_INIT;
	int rc = VG_OK;

	if (alg == UPDATE_ALG_ED25519 && publen == 32) {
		char hex[65];
		vg_hex(pub, publen, hex);
		k = json_pack("{s:s, s:s, s:{s:s}}", "keytype", "ed25519", "scheme", "ed25519",
			      "keyval", "public", hex);
	} else if (alg == UPDATE_ALG_P256 && publen == 65) {
		uint8_t der[sizeof(p256_spki_prefix) + 65];
		char *b64;
		memcpy(der, p256_spki_prefix, sizeof(p256_spki_prefix));
		memcpy(der + sizeof(p256_spki_prefix), pub, 65);
		b64 = vg_base64_encode(der, sizeof(der));
		if (!b64)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		rc = vg_buf_adds(&b, "-----BEGIN PUBLIC KEY-----\n");
		for (size_t i = 0, l = strlen(b64); !rc && i < l; i += 64) {
			rc = vg_buf_add(&b, b64 + i, l - i < 64 ? l - i : 64);
			if (!rc)
				rc = vg_buf_addc(&b, '\n');
		}
		if (!rc)
			rc = vg_buf_adds(&b, "-----END PUBLIC KEY-----\n");
		free(b64);
		if (!rc)
			k = json_pack("{s:s, s:s, s:{s:s}}", "keytype", "ecdsa", "scheme",
				      "ecdsa-sha2-nistp256", "keyval", "public", b.data);
		vg_buf_reset(&b);
	} else {
		return vg_error_set(err, VG_EINVAL, "TUF: unsupported key (%s, %zu bytes)",
				    update_alg_name(alg), publen);
	}
	if (!rc && !k)
		rc = VG_ENOMEM;
	if (!rc)
		rc = tuf_canonical_json(k, &b, err);
	if (rc) {
		json_decref(k);
		vg_buf_release(&b);
		return err && err->code ? rc : vg_error_set(err, rc, "out of memory");
	}
	vg_sha256_hex(b.data, b.len, keyid);
	vg_buf_release(&b);
	*out = k;
	return VG_OK;
}

/* The key object and id of the stored signer called name: its public key
 * as stored when it was added (read back from the token then, and compared
 * with the token's at every open), so that listing a key needs neither the
 * token nor its PIN (an offline root key). */
static int signer_key(struct store *s, const char *name, json_t **out, char keyid[65],
		      struct vg_error *err)
{
	struct update_signer_info i = {0};
	uint8_t pub[UPDATE_PUB_MAX];
	size_t publen = 0;
	int rc = update_signer_get(s, name, &i, err);

	if (!rc) {
		size_t hl = i.public_hex ? strlen(i.public_hex) : 0;
		if (hl == 0 || hl % 2 || hl / 2 > sizeof(pub))
			rc = vg_error_set(err, VG_EINVAL, "signer %s: no stored public key", name);
		for (size_t k = 0; !rc && k < hl / 2; k++) {
			unsigned v = 0;
			if (sscanf(i.public_hex + 2 * k, "%2x", &v) != 1)
				rc = vg_error_set(err, VG_EINVAL,
						  "signer %s: bad stored public key", name);
			pub[k] = (uint8_t)v;
		}
		publen = hl / 2;
	}
	if (!rc)
		rc = key_object(update_alg_parse(i.algorithm), pub, publen, out, keyid, err);
	update_signer_info_release(&i);
	return rc;
}

/* ---- signing and storing ---- */

struct op {
	struct store *s;
	int64_t now;
	int refused;     /* a signer failed or its signature did not verify */
	char role[160];  /* the role being signed when it failed */
	json_t *changed; /* {"role": version} signed by this operation */
	/* root only: signers that cannot be opened (a lost key or token) are
	 * skipped while at least need_new of the listed signers and need_old of
	 * the extra (old root) signers sign; 0: every signer must sign */
	int64_t need_new, need_old;
	int64_t old_threshold; /* the old root threshold during a root rotation */
	json_t *unavailable;   /* names skipped */
};

static const char *time_str(int64_t t, char buf[VG_TIME_BUFSZ])
{
	return vg_time_format(t, buf, VG_TIME_BUFSZ);
}

static int next_version(struct store *s, const char *role, int64_t *v, struct vg_error *err)
{
	int rc = store_query_int64(
	    s, v, err, "SELECT COALESCE(MAX(version), 0) FROM tuf_metadata WHERE role = ?", "t",
	    role);
	if (!rc)
		(*v)++;
	return rc;
}

/* A new "signed" object of type with version and expiry. */
static json_t *signed_base(const char *type, int64_t version, int64_t expires)
{
	char t[VG_TIME_BUFSZ];
	return json_pack("{s:s, s:s, s:I, s:s}", "_type", type, "spec_version", TUF_SPEC_VERSION,
			 "version", (json_int_t)version, "expires", time_str(expires, t));
}

/* Sign `signed` (stolen) as version of role with every signer of csv and of
 * extra (NULL: none), verify each signature against the public key read
 * back, and store the file. */
static int sign_store(struct op *o, const char *role, json_t *sig_obj, const char *csv,
		      const char *extra, int64_t version, int64_t expires, struct vg_error *err)
{
	struct vg_buf msg = VG_BUF_INIT;
	char buf[2048], buf2[2048];
	char *names[TUF_MAX_SIGNERS], *more[TUF_MAX_SIGNERS];
	int in_new[TUF_MAX_SIGNERS] = {0}, in_old[TUF_MAX_SIGNERS] = {0};
	int64_t signed_new = 0, signed_old = 0;
	size_t n = 0, nmore = 0;
	json_t *sigs = json_array(), *env = NULL;
	char *text = NULL;
	int rc;

	snprintf(o->role, sizeof(o->role), "%s", role);
	rc = sig_obj && sigs ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc)
		rc = tuf_canonical_json(sig_obj, &msg, err);
	if (!rc)
		rc = split_names(csv, buf, sizeof(buf), names, &n, err);
	if (!rc && extra)
		rc = split_names(extra, buf2, sizeof(buf2), more, &nmore, err);
	for (size_t i = 0; i < n; i++)
		in_new[i] = 1;
	for (size_t i = 0; !rc && i < nmore; i++) {
		size_t j;
		for (j = 0; j < n && strcmp(names[j], more[i]) != 0; j++)
			;
		if (j == n && n < TUF_MAX_SIGNERS)
			names[n++] = more[i];
		if (j < n)
			in_old[j] = 1;
	}
	if (!rc && n == 0)
		rc = vg_error_set(err, VG_EINVAL, "TUF role %s has no signer", role);
	for (size_t i = 0; !rc && i < n; i++) {
		struct update_signer *sg = NULL;
		uint8_t pub[UPDATE_PUB_MAX], sig[UPDATE_SIG_MAX], der[UPDATE_SIG_MAX];
		size_t publen = 0, siglen = 0, derlen = 0;
		char keyid[65], hex[2 * UPDATE_SIG_MAX + 1];
		json_t *key = NULL;
		enum update_alg alg;

		rc = update_signer_open(o->s, names[i], &sg, err);
		if (rc && o->need_new) {
			/* a lost root key: the thresholds are checked below */
			vg_warn("tuf: root signer %s skipped: %s", names[i], vg_error_msg(err));
			if (o->unavailable)
				json_array_append_new(o->unavailable, json_string(names[i]));
			vg_error_clear(err);
			rc = VG_OK;
			continue;
		}
		if (!rc)
			rc = update_signer_sign(sg, msg.data, msg.len, sig, &siglen, err);
		if (!rc)
			rc = update_signer_public(sg, pub, &publen, err);
		alg = sg ? update_signer_alg(sg) : UPDATE_ALG_NONE;
		if (!rc) {
			rc = update_sig_verify(alg, pub, publen, msg.data, msg.len, sig, siglen,
					       err);
			if (rc) {
				o->refused = 1;
				vg_error_prefix(
				    err,
				    "TUF %s: the signature of signer %s does not verify "
				    "against its public key read back; nothing was published",
				    role, names[i]);
			}
		}
		if (!rc)
			rc = key_object(alg, pub, publen, &key, keyid, err);
		json_decref(key);
		if (rc)
			o->refused = 1; /* the signer failed: audited after the rollback */
		if (!rc && alg == UPDATE_ALG_P256) {
			if (siglen != 64 || update_sig_p256_der(sig, der, &derlen))
				rc = vg_error_set(
				    err, VG_EINVAL,
				    "TUF %s: signer %s gave a malformed P-256 signature", role,
				    names[i]);
			else
				vg_hex(der, derlen, hex);
		} else if (!rc) {
			vg_hex(sig, siglen, hex);
		}
		if (!rc && json_array_append_new(
			       sigs, json_pack("{s:s, s:s}", "keyid", keyid, "sig", hex)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		if (!rc) {
			signed_new += in_new[i];
			signed_old += in_old[i];
		}
		update_signer_close(sg);
	}
	vg_buf_release(&msg);
	if (!rc && o->need_new && signed_new < o->need_new)
		rc = vg_error_set(
		    err, VG_ESTATE,
		    "TUF %s: %lld of its signers signed, %lld needed (the others could "
		    "not be opened: see the log); nothing was published",
		    role, (long long)signed_new, (long long)o->need_new);
	if (!rc && o->need_new && nmore && signed_old < o->need_old)
		rc = vg_error_set(
		    err, VG_ESTATE,
		    "TUF %s: %lld of the old root signers signed, the old threshold is "
		    "%lld; nothing was published",
		    role, (long long)signed_old, (long long)o->need_old);
	if (rc && o->need_new)
		o->refused = 1;
	if (!rc) {
		env = json_pack("{s:o, s:O}", "signatures", sigs, "signed", sig_obj);
		sigs = NULL;
		text = env ? json_dumps(env, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
		if (!text)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!rc) {
		char sha[65];
		vg_sha256_hex(text, strlen(text), sha);
		rc = store_exec(o->s, err,
				"INSERT INTO tuf_metadata (role, version, json, sha256, length, "
				"expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"tittiii", role, version, text, sha, (int64_t)strlen(text), expires,
				o->now);
	}
	if (!rc && o->changed)
		json_object_set_new(o->changed, role, json_integer(version));
	free(text);
	json_decref(env);
	json_decref(sigs);
	json_decref(sig_obj);
	return rc;
}

/* The newest version of role: version, length, sha256. VG_ENOTFOUND when none. */
static int latest_meta(struct store *s, const char *role, int64_t *version, int64_t *length,
		       char sha[65], struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc =
	    store_prepare_cached(s,
				 "SELECT version, length, sha256 FROM tuf_metadata WHERE role = ? "
				 "ORDER BY version DESC LIMIT 1",
				 &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, role);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		const char *h = store_col_text(st, 2);
		*version = store_col_int64(st, 0);
		*length = store_col_int64(st, 1);
		snprintf(sha, 65, "%s", h ? h : "");
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND, "TUF %s: never signed", role);
	}
	store_finalize(st);
	return rc;
}

static json_t *meta_entry(struct store *s, const char *role, struct vg_error *err, int *rc)
{
	int64_t v = 0, len = 0;
	char sha[65];
	*rc = latest_meta(s, role, &v, &len, sha, err);
	if (*rc)
		return NULL;
	return json_pack("{s:I, s:I, s:{s:s}}", "version", (json_int_t)v, "length", (json_int_t)len,
			 "hashes", "sha256", sha);
}

/* keyids (array) of the signers of csv, adding their key objects to keys. */
static int role_keys(struct store *s, const char *csv, json_t *keys, json_t **keyids,
		     struct vg_error *err)
{
	char buf[2048], *names[TUF_MAX_SIGNERS];
	size_t n = 0;
	int rc = split_names(csv, buf, sizeof(buf), names, &n, err);

	*keyids = json_array();
	if (!*keyids)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *k = NULL;
		char id[65];
		rc = signer_key(s, names[i], &k, id, err);
		if (!rc) {
			json_object_set_new(keys, id, k);
			json_array_append_new(*keyids, json_string(id));
		}
	}
	return rc;
}

/* Product names of the delegated roles, in order. */
static int product_roles(struct store *s, json_t **out, struct vg_error *err)
{
	return store_query_json(s, out, err,
				"SELECT role, signers, threshold FROM tuf_roles WHERE role LIKE "
				"'products/%' ORDER BY role",
				NULL);
}

static int sign_root(struct op *o, const char *extra, struct vg_error *err)
{
	static const char *const top[] = {"root", "targets", "snapshot", "timestamp"};
	json_t *keys = json_object(), *roles = json_object(), *sobj;
	struct role root;
	int64_t version = 0;
	int rc = role_get(o->s, "root", &root, err);

	for (size_t i = 0; !rc && i < 4; i++) {
		struct role r;
		json_t *ids = NULL;
		rc = role_get(o->s, top[i], &r, err);
		if (!rc)
			rc = role_keys(o->s, r.signers, keys, &ids, err);
		if (!rc)
			json_object_set_new(roles, top[i],
					    json_pack("{s:o, s:I}", "keyids", ids, "threshold",
						      (json_int_t)r.threshold));
		else
			json_decref(ids);
		role_release(&r);
	}
	if (!rc)
		rc = next_version(o->s, "root", &version, err);
	if (rc) {
		json_decref(keys);
		json_decref(roles);
		role_release(&root);
		return rc;
	}
	sobj = signed_base("root", version, o->now + root.lifetime);
	json_object_set_new(sobj, "consistent_snapshot", json_true());
	json_object_set_new(sobj, "keys", keys);
	json_object_set_new(sobj, "roles", roles);
	o->need_new = root.threshold;
	o->need_old = o->old_threshold;
	rc = sign_store(o, "root", sobj, root.signers, extra, version, o->now + root.lifetime, err);
	o->need_new = o->need_old = 0;
	role_release(&root);
	return rc;
}

static int sign_targets(struct op *o, struct vg_error *err)
{
	json_t *prods = NULL, *keys = json_object(), *droles = json_array(), *row, *sobj;
	struct role tr;
	int64_t version = 0;
	size_t i;
	int rc = role_get(o->s, "targets", &tr, err);

	if (!rc)
		rc = product_roles(o->s, &prods, err);
	json_array_foreach(prods, i, row)
	{
		const char *name = vg_json_str(row, "role");
		json_t *ids = NULL;
		char pat[200];
		if (rc)
			break;
		rc = role_keys(o->s, vg_json_str(row, "signers"), keys, &ids, err);
		snprintf(pat, sizeof(pat), "%s/*", name + strlen("products/"));
		if (!rc)
			json_array_append_new(
			    droles,
			    json_pack("{s:s, s:o, s:I, s:b, s:[s]}", "name", name, "keyids", ids,
				      "threshold", (json_int_t)vg_json_int(row, "threshold", 1),
				      "terminating", 1, "paths", pat));
		else
			json_decref(ids);
	}
	json_decref(prods);
	if (!rc)
		rc = next_version(o->s, "targets", &version, err);
	if (rc) {
		json_decref(keys);
		json_decref(droles);
		role_release(&tr);
		return rc;
	}
	sobj = signed_base("targets", version, o->now + tr.lifetime);
	json_object_set_new(sobj, "targets", json_object());
	json_object_set_new(sobj, "delegations",
			    json_pack("{s:o, s:o}", "keys", keys, "roles", droles));
	rc = sign_store(o, "targets", sobj, tr.signers, NULL, version, o->now + tr.lifetime, err);
	role_release(&tr);
	return rc;
}

static int sign_product(struct op *o, const char *role, struct vg_error *err)
{
	json_t *rows = NULL, *targets = json_object(), *row, *sobj;
	struct role pr, tr;
	int64_t version = 0;
	size_t i;
	int rc = role_get(o->s, role, &pr, err);

	memset(&tr, 0, sizeof(tr));
	if (!rc)
		rc = role_get(o->s, "targets", &tr, err); /* the lifetime of targets */
	if (!rc)
		rc = store_query_json(
		    o->s, &rows, err,
		    "SELECT name, sha256, length FROM tuf_targets WHERE product = ? "
		    "AND current = 1 ORDER BY name",
		    "t", role + strlen("products/"));
	json_array_foreach(rows, i, row)
	{
		json_object_set_new(targets, vg_json_str(row, "name"),
				    json_pack("{s:I, s:{s:s}}", "length",
					      (json_int_t)vg_json_int(row, "length", 0), "hashes",
					      "sha256", vg_json_str(row, "sha256")));
	}
	json_decref(rows);
	if (!rc)
		rc = next_version(o->s, role, &version, err);
	if (rc) {
		json_decref(targets);
		role_release(&pr);
		role_release(&tr);
		return rc;
	}
	sobj = signed_base("targets", version, o->now + tr.lifetime);
	json_object_set_new(sobj, "targets", targets);
	rc = sign_store(o, role, sobj, pr.signers, NULL, version, o->now + tr.lifetime, err);
	role_release(&pr);
	role_release(&tr);
	return rc;
}

/* Snapshot and timestamp: the role's next version listing meta (stolen),
 * signed by r's signers and stored; rc is the caller's error so far. r is
 * released on every path. */
static int sign_meta(struct op *o, const char *name, struct role *r, json_t *meta, int rc,
		     struct vg_error *err)
{
	int64_t version = 0;
	json_t *sobj;

	if (!rc)
		rc = next_version(o->s, name, &version, err);
	if (rc) {
		json_decref(meta);
		role_release(r);
		return rc;
	}
	sobj = signed_base(name, version, o->now + r->lifetime);
	json_object_set_new(sobj, "meta", meta);
	rc = sign_store(o, name, sobj, r->signers, NULL, version, o->now + r->lifetime, err);
	role_release(r);
	return rc;
}

static int sign_snapshot(struct op *o, struct vg_error *err)
{
	json_t *prods = NULL, *meta = json_object(), *row, *e;
	struct role sr;
	size_t i;
	int rc = role_get(o->s, "snapshot", &sr, err);

	if (!rc && (e = meta_entry(o->s, "targets", err, &rc)))
		json_object_set_new(meta, "targets.json", e);
	if (!rc)
		rc = product_roles(o->s, &prods, err);
	json_array_foreach(prods, i, row)
	{
		char file[200];
		if (rc)
			break;
		snprintf(file, sizeof(file), "%s.json", vg_json_str(row, "role"));
		if ((e = meta_entry(o->s, vg_json_str(row, "role"), err, &rc)))
			json_object_set_new(meta, file, e);
	}
	json_decref(prods);
	return sign_meta(o, "snapshot", &sr, meta, rc, err);
}

static int sign_timestamp(struct op *o, struct vg_error *err)
{
	json_t *meta = json_object(), *e;
	struct role r;
	int rc = role_get(o->s, "timestamp", &r, err);

	if (!rc && (e = meta_entry(o->s, "snapshot", err, &rc)))
		json_object_set_new(meta, "snapshot.json", e);
	return sign_meta(o, "timestamp", &r, meta, rc, err);
}

/* Serialise changes of the repository (a publish, the job, a rotation; on
 * PostgreSQL from several servers): a write to root's row holds its row lock
 * until the transaction ends, so versions are numbered one after another. */
static int op_lock(struct store *s, struct vg_error *err)
{
	return store_exec(s, err, "UPDATE tuf_roles SET lifetime = lifetime WHERE role = 'root'",
			  NULL);
}

static void op_begin(struct op *o, struct store *s)
{
	memset(o, 0, sizeof(*o));
	o->s = s;
	o->now = vg_now();
	o->changed = json_object();
	o->unavailable = json_array();
}

/* Audit and commit (or roll back; a refused signature is audited on its own). */
static int op_end(struct op *o, int rc, const char *action, const char *object_id, json_t *detail,
		  struct vg_error *err)
{
	if (!rc) {
		json_t *after = json_pack("{s:O, s:O}", "signed", o->changed, "unavailable_signers",
					  o->unavailable);
		if (detail)
			json_object_update(after, detail);
		rc = store_audit(o->s, action, "tuf", object_id, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(o->s, rc, err);
	if (rc && o->refused) {
		struct vg_error e2 = {0};
		json_t *after = json_pack("{s:s, s:s, s:s}", "action", action, "role", o->role,
					  "reason", vg_error_msg(err));
		if (store_audit(o->s, "tuf.sign_refused", "tuf", o->role, NULL, after, &e2))
			vg_warn("tuf: cannot audit the refusal: %s", vg_error_msg(&e2));
		json_decref(after);
	}
	json_decref(detail);
	json_decref(o->changed);
	json_decref(o->unavailable);
	o->changed = NULL;
	o->unavailable = NULL;
	return rc;
}

/* ---- operations ---- */

static int check_signer_list(const char *what, const char *csv, size_t min, struct vg_error *err)
{
	char buf[2048], *names[TUF_MAX_SIGNERS];
	size_t n = 0;
	int rc;

	if (!csv || !*csv)
		return vg_error_set(err, VG_EUSAGE, "%s: a signer name is required", what);
	rc = vg_text_check(what, csv, 1000, 0, 1, err);
	if (!rc)
		rc = split_names(csv, buf, sizeof(buf), names, &n, err);
	if (!rc && n < min)
		rc = vg_error_set(err, VG_EUSAGE, "%s: at least %zu signers expected, %zu given",
				  what, min, n);
	return rc;
}

static int parse_expiry(const char *spec, int64_t life[4], struct vg_error *err)
{
	static const char *const names[] = {"root", "targets", "snapshot", "timestamp"};
	char buf[256], *p, *save = NULL;

	life[0] = TUF_EXPIRY_ROOT;
	life[1] = TUF_EXPIRY_TARGETS;
	life[2] = TUF_EXPIRY_SNAPSHOT;
	life[3] = TUF_EXPIRY_TIMESTAMP;
	if (!spec)
		return VG_OK;
	if (strlen(spec) >= sizeof(buf))
		return vg_error_set(err, VG_EUSAGE, "--expiry: too long");
	memcpy(buf, spec, strlen(spec) + 1);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(p, '=');
		size_t k;
		int64_t secs = 0;
		if (!eq)
			return vg_error_set(err, VG_EUSAGE,
					    "--expiry '%s': expected ROLE=DURATION (root=365d)", p);
		*eq = '\0';
		for (k = 0; k < 4 && strcmp(names[k], p) != 0; k++)
			;
		if (k == 4)
			return vg_error_set(err, VG_EUSAGE,
					    "--expiry: unknown role '%s' (root, targets, snapshot, "
					    "timestamp)",
					    p);
		/* the re-sign job runs every 10 minutes and renews at half the lifetime */
		if (vg_duration_parse(eq + 1, &secs, err) || secs < 3600)
			return vg_error_set(err, VG_EUSAGE,
					    "--expiry %s='%s': expected a duration of at least 1h "
					    "(7d, 24h)",
					    p, eq + 1);
		life[k] = secs;
	}
	return VG_OK;
}

static int role_put(struct store *s, const char *role, const char *signers, int64_t threshold,
		    int64_t lifetime, struct vg_error *err)
{
	int rc = store_exec(s, err, "DELETE FROM tuf_roles WHERE role = ?", "t", role);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO tuf_roles (role, signers, threshold, lifetime) VALUES "
				"(?, ?, ?, ?)",
				"ttii", role, signers, threshold, lifetime);
	return rc;
}

int tuf_init(struct store *s, const struct tuf_init_opts *a, struct vg_error *err)
{
	struct op o;
	int64_t life[4], have = 0;
	char buf[2048], *names[TUF_MAX_SIGNERS];
	size_t n = 0;
	int rc;

	rc = check_signer_list("--root-signers", a->root_signers, 1, err);
	if (!rc)
		rc = check_signer_list("--targets-signer", a->targets_signer, 1, err);
	if (!rc)
		rc = check_signer_list("--snapshot-signer", a->snapshot_signer, 1, err);
	if (!rc)
		rc = check_signer_list("--timestamp-signer", a->timestamp_signer, 1, err);
	if (!rc)
		rc = parse_expiry(a->expiry, life, err);
	if (!rc)
		rc = split_names(a->root_signers, buf, sizeof(buf), names, &n, err);
	if (rc)
		return rc;
	if (a->root_threshold < 1 || (size_t)a->root_threshold > n)
		return vg_error_set(err, VG_EUSAGE,
				    "--root-threshold %lld: expected 1 to %zu (the number of root "
				    "signers)",
				    (long long)a->root_threshold, n);
	if ((rc = store_tx_begin(s, err)))
		return rc;
	op_begin(&o, s);
	rc = store_query_int64(s, &have, err, "SELECT COUNT(*) FROM tuf_roles", NULL);
	if (!rc && have)
		rc = vg_error_set(err, VG_EEXIST,
				  "the TUF repository exists already (use 'vigil tuf rotate')");
	if (!rc)
		rc = role_put(s, "root", a->root_signers, a->root_threshold, life[0], err);
	if (!rc)
		rc = role_put(s, "targets", a->targets_signer, 1, life[1], err);
	if (!rc)
		rc = role_put(s, "snapshot", a->snapshot_signer, 1, life[2], err);
	if (!rc)
		rc = role_put(s, "timestamp", a->timestamp_signer, 1, life[3], err);
	if (!rc)
		rc = sign_root(&o, NULL, err);
	if (!rc)
		rc = sign_targets(&o, err);
	if (!rc)
		rc = sign_snapshot(&o, err);
	if (!rc)
		rc = sign_timestamp(&o, err);
	return op_end(&o, rc, "tuf.init", "root", NULL, err);
}

/* 1 when s has a character beyond U+FFFF: canonical JSON sorts keys by
 * their bytes (code points), JavaScript clients by UTF-16 units; the two
 * orders differ only for such characters, so names never contain them. */
static int has_astral(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0xf0)
			return 1;
	return 0;
}

static int check_product_name(const char *product, struct vg_error *err)
{
	int rc = vg_text_check("--product", product, 100, 0, 1, err);
	if (!rc && (strchr(product, '/') || strchr(product, '\\') || strchr(product, '%') ||
		    strchr(product, '*') || strchr(product, '?') || strchr(product, '[') ||
		    strcmp(product, ".") == 0 || strcmp(product, "..") == 0 || has_astral(product)))
		rc =
		    vg_error_set(err, VG_EINVAL,
				 "--product '%s': a TUF product name has no '/', '\\', '%%', "
				 "'*', '?', '[', no character beyond U+FFFF and is not '.' or '..'",
				 product);
	return rc;
}

int tuf_delegate(struct store *s, const char *product, const char *signer, struct vg_error *err)
{
	struct op o;
	struct role root = {0};
	char role[160];
	int rc = check_product_name(product, err);

	if (!rc)
		rc = check_signer_list("--signer", signer, 1, err);
	if (rc)
		return rc;
	snprintf(role, sizeof(role), "products/%s", product);
	if ((rc = store_tx_begin(s, err)))
		return rc;
	op_begin(&o, s);
	rc = op_lock(s, err);
	if (!rc)
		rc = role_get(s, "root", &root, err);
	role_release(&root);
	if (!rc)
		rc = role_put(s, role, signer, 1, TUF_EXPIRY_TARGETS, err);
	if (!rc)
		rc = sign_targets(&o, err);
	if (!rc)
		rc = sign_product(&o, role, err);
	if (!rc)
		rc = sign_snapshot(&o, err);
	if (!rc)
		rc = sign_timestamp(&o, err);
	return op_end(&o, rc, "tuf.delegate", role, json_pack("{s:s}", "signer", signer), err);
}

int tuf_rotate(struct store *s, const char *role, const char *signers, int64_t threshold,
	       struct vg_error *err)
{
	struct op o;
	struct role old = {0};
	char buf[2048], *names[TUF_MAX_SIGNERS];
	size_t n = 0;
	int is_root = strcmp(role, "root") == 0, is_product = strncmp(role, "products/", 9) == 0;
	int is_top = is_root || strcmp(role, "targets") == 0 || strcmp(role, "snapshot") == 0 ||
		     strcmp(role, "timestamp") == 0;
	int rc = check_signer_list("--signer", signers, 1, err);

	if (!rc && !is_top && !is_product)
		rc = vg_error_set(err, VG_EUSAGE,
				  "role '%s': expected root, targets, snapshot, timestamp or "
				  "products/NAME",
				  role);
	if (!rc)
		rc = split_names(signers, buf, sizeof(buf), names, &n, err);
	if (rc)
		return rc;
	if ((rc = store_tx_begin(s, err)))
		return rc;
	op_begin(&o, s);
	rc = op_lock(s, err);
	if (!rc)
		rc = role_get(s, role, &old, err);
	if (!rc) {
		int64_t t = threshold ? threshold : old.threshold;
		if (t < 1 || (size_t)t > n)
			rc = vg_error_set(err, VG_EUSAGE,
					  "threshold %lld: expected 1 to %zu (the number of new "
					  "signers)",
					  (long long)t, n);
		if (!rc)
			rc = role_put(s, role, signers, t, old.lifetime, err);
	}
	/* A new root lists the new keys; signed by the old and the new root signers. */
	o.old_threshold = old.threshold;
	if (!rc && !is_product)
		rc = sign_root(&o, is_root ? old.signers : NULL, err);
	if (!rc && (strcmp(role, "targets") == 0 || is_product))
		rc = sign_targets(&o, err);
	if (!rc && is_product)
		rc = sign_product(&o, role, err);
	if (!rc)
		rc = sign_snapshot(&o, err);
	if (!rc)
		rc = sign_timestamp(&o, err);
	json_t *detail = json_pack("{s:s, s:s}", "old_signers", old.signers ? old.signers : "",
				   "new_signers", signers);
	role_release(&old);
	return op_end(&o, rc, "tuf.rotate", role, detail, err);
}

static int check_target_name(const char *name, struct vg_error *err)
{
	int rc = vg_text_check("--name", name, 200, 0, 1, err);
	if (!rc && (strchr(name, '/') || strchr(name, '\\') || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0 || name[0] == '.' || strchr(name, '%') ||
		    strchr(name, '?') || strchr(name, '#') || has_astral(name)))
		rc = vg_error_set(err, VG_EINVAL,
				  "target name '%s': expected a file name without '/', '\\', '%%', "
				  "'?', '#', characters beyond U+FFFF and not starting with '.'",
				  name);
	return rc;
}

int update_tuf_add_targets(struct store *s, const char *product, const struct update_tuf_target *t,
			   size_t n, struct vg_error *err)
{
	return update_tuf_add_targets_then(s, product, t, n, NULL, NULL, NULL, err);
}

int update_tuf_add_targets_then(struct store *s, const char *product,
				const struct update_tuf_target *t, size_t n,
				int (*inside)(struct store *s, int64_t version, void *arg,
					      struct vg_error *err),
				void *arg, int64_t *version, struct vg_error *err)
{
	struct op o;
	struct role pr = {0};
	char role[160];
	json_t *names = json_array(), *made = json_array();
	int rc = check_product_name(product, err);

	for (size_t i = 0; !rc && i < n; i++) {
		rc = check_target_name(t[i].name, err);
		if (!rc && !t[i].data && !t[i].sha256)
			rc = vg_error_set(err, VG_EINVAL, "target %s: no bytes and no hash",
					  t[i].name);
		if (!rc && t[i].sha256 && (strlen(t[i].sha256) != 64 || !is_hex64(t[i].sha256)))
			rc = vg_error_set(
			    err, VG_EINVAL,
			    "target %s: SHA-256 '%s': expected 64 lower-case hex digits", t[i].name,
			    t[i].sha256);
		if (!rc && t[i].sha256 && t[i].data) {
			char got[65];
			vg_sha256_hex(t[i].data, t[i].length, got);
			if (strcmp(got, t[i].sha256) != 0)
				rc = vg_error_set(err, VG_EINVAL,
						  "target %s: the bytes have SHA-256 %s, not %s",
						  t[i].name, got, t[i].sha256);
		}
	}
	if (!rc && n == 0)
		rc = vg_error_set(err, VG_EUSAGE, "no target to add");
	if (rc) {
		json_decref(names);
		json_decref(made);
		return rc;
	}
	snprintf(role, sizeof(role), "products/%s", product);
	if ((rc = store_tx_begin(s, err))) {
		json_decref(names);
		json_decref(made);
		return rc;
	}
	op_begin(&o, s);
	rc = op_lock(s, err);
	if (!rc)
		rc = role_get(s, role, &pr, err);
	role_release(&pr);
	if (rc == VG_ENOTFOUND)
		rc =
		    vg_error_set(err, VG_ENOTFOUND,
				 "product %s has no TUF role: run 'vigil tuf delegate --product %s "
				 "--signer NAME' first",
				 product, product);
	for (size_t i = 0; !rc && i < n; i++) {
		char sha[65], path[400];
		if (t[i].sha256)
			snprintf(sha, sizeof(sha), "%s", t[i].sha256);
		else
			vg_sha256_hex(t[i].data, t[i].length, sha);
		if (t[i].data) {
			/* into the artifact store (where targets are served from) */
			struct artifact_src src = {-1, t[i].data, t[i].length, "the target"};
			int created = 0;
			rc = artifact_put(s, &src, sha, &created, err);
			if (created)
				json_array_append_new(made, json_string(sha));
		} else {
			/* bytes stored before: they must be there, of that length */
			struct artifact_reader *r = NULL;
			rc = artifact_open(s, sha, &r, err);
			if (rc == VG_ENOTFOUND || (!rc && artifact_reader_size(r) != t[i].length))
				rc = vg_error_set(
				    err, VG_ENOTFOUND,
				    "target %s: no stored artifact with SHA-256 %s and length "
				    "%zu",
				    t[i].name, sha, t[i].length);
			artifact_close(r);
		}
		snprintf(path, sizeof(path), "%s/%s", product, t[i].name);
		if (!rc)
			rc = store_exec(s, err, "UPDATE tuf_targets SET current = 0 WHERE name = ?",
					"t", path);
		if (!rc)
			rc = store_exec(s, err,
					"DELETE FROM tuf_targets WHERE name = ? AND sha256 = ?",
					"tt", path, sha);
		if (!rc)
			rc = store_exec(s, err,
					"INSERT INTO tuf_targets (name, product, sha256, length, "
					"current, created_at) VALUES (?, ?, ?, ?, 1, ?)",
					"tttii", path, product, sha, (int64_t)t[i].length, o.now);
		if (!rc)
			json_array_append_new(names,
					      json_pack("{s:s, s:s, s:I}", "name", path, "sha256",
							sha, "length", (json_int_t)t[i].length));
	}
	if (!rc)
		rc = sign_product(&o, role, err);
	if (!rc)
		rc = sign_snapshot(&o, err);
	if (!rc)
		rc = sign_timestamp(&o, err);
	if (!rc) {
		int64_t v = json_integer_value(json_object_get(o.changed, role));
		if (version)
			*version = v;
		if (inside)
			rc = inside(s, v, arg, err);
	}
	rc = op_end(&o, rc, "tuf.add_targets", role, json_pack("{s:o}", "targets", names), err);
	if (rc) {
		/* files this call put in the artifact directory, unless recorded since */
		size_t k;
		json_t *x;
		json_array_foreach(made, k, x) artifact_unlink_new(s, json_string_value(x));
	}
	json_decref(made);
	return rc;
}

/* ---- re-signing ---- */

int tuf_resign_due(struct store *s, int *renewed, struct vg_error *err)
{
	struct op o;
	json_t *rows = NULL, *row, *due = json_array();
	int64_t now = vg_now(), have = 0;
	int want_targets = 0, want_snapshot = 0;
	size_t i;
	int rc;

	*renewed = 0;
	rc = store_query_int64(s, &have, err, "SELECT COUNT(*) FROM tuf_roles WHERE role = 'root'",
			       NULL);
	if (rc || !have || !due) {
		json_decref(due);
		return rc ? rc : !due ? vg_error_set(err, VG_ENOMEM, "out of memory") : VG_OK;
	}
	if ((rc = store_tx_begin(s, err))) {
		json_decref(due);
		return rc;
	}
	op_begin(&o, s);
	/* decided under the lock: a change signed meanwhile is seen */
	rc = op_lock(s, err);
	if (!rc)
		rc = store_query_json(
		    s, &rows, err,
		    "SELECT r.role AS role, r.lifetime AS lifetime, "
		    "(SELECT m.expires_at FROM tuf_metadata m WHERE m.role = r.role "
		    "ORDER BY m.version DESC LIMIT 1) AS expires FROM tuf_roles r "
		    "ORDER BY r.role",
		    NULL);
	json_array_foreach(rows, i, row)
	{
		const char *role = vg_json_str(row, "role");
		int64_t life = vg_json_int(row, "lifetime", 0),
			exp = vg_json_int(row, "expires", 0);
		if (!role || exp - now >= life / 2)
			continue;
		if (strcmp(role, "root") == 0) {
			vg_warn("tuf: root metadata expires in %lld s: sign a new root with the "
				"offline root keys ('vigil tuf rotate root')",
				(long long)(exp - now));
			continue;
		}
		json_array_append_new(due, json_string(role));
		if (strcmp(role, "targets") == 0)
			want_targets = 1;
		else if (strcmp(role, "snapshot") == 0)
			want_snapshot = 1;
	}
	json_decref(rows);
	if (rc || json_array_size(due) == 0) {
		/* nothing due: the lock's no-op write is rolled back */
		store_tx_rollback(s);
		json_decref(due);
		json_decref(o.changed);
		json_decref(o.unavailable);
		return rc;
	}
	json_array_foreach(due, i, row)
	{
		const char *role = json_string_value(row);
		if (!rc && strncmp(role, "products/", 9) == 0) {
			rc = sign_product(&o, role, err);
			want_snapshot = 1;
		}
	}
	if (!rc && want_targets)
		rc = sign_targets(&o, err);
	if (!rc && (want_targets || want_snapshot))
		rc = sign_snapshot(&o, err);
	if (!rc)
		rc = sign_timestamp(&o, err);
	if (!rc)
		*renewed = (int)json_object_size(o.changed);
	return op_end(&o, rc, "tuf.resign", "timestamp", json_pack("{s:o}", "due", due), err);
}

/* ---- status ---- */

void tuf_status_release(struct tuf_status *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->roles[i].role);
		free(st->roles[i].signers);
	}
	free(st->roles);
	st->roles = NULL;
	st->n = 0;
}

int tuf_status_get(struct store *s, struct tuf_status *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(
	    s,
	    "SELECT r.role, r.signers, r.threshold, r.lifetime, m.version, m.expires_at, "
	    "m.created_at FROM tuf_roles r LEFT JOIN tuf_metadata m ON m.role = r.role AND "
	    "m.version = (SELECT MAX(version) FROM tuf_metadata x WHERE x.role = r.role) "
	    "ORDER BY CASE r.role WHEN 'root' THEN 0 WHEN 'targets' THEN 1 WHEN 'snapshot' THEN 2 "
	    "WHEN 'timestamp' THEN 3 ELSE 4 END, r.role",
	    &st, err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct tuf_role_status *r;
		int oom = 0;
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			void *p = realloc(out->roles, nc * sizeof(*out->roles));
			if (!p) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			out->roles = p;
			cap = nc;
		}
		r = &out->roles[out->n++];
		memset(r, 0, sizeof(*r));
		r->role = store_col_dup(st, 0, &oom);
		r->signers = store_col_dup(st, 1, &oom);
		r->threshold = store_col_int64(st, 2);
		r->lifetime = store_col_int64(st, 3);
		r->version = store_col_int64_or(st, 4, 0);
		r->expires_at = store_col_int64_or(st, 5, 0);
		r->signed_at = store_col_int64_or(st, 6, 0);
		if (oom) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	store_finalize(st);
	if (rc == STORE_DONE)
		return VG_OK;
	tuf_status_release(out);
	return rc;
}

json_t *tuf_status_to_json(const struct tuf_status *st)
{
	json_t *roles = json_array();
	int64_t now = vg_now();
	for (size_t i = 0; roles && i < st->n; i++) {
		const struct tuf_role_status *r = &st->roles[i];
		json_array_append_new(
		    roles, json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:I}", "role", r->role,
				     "signers", r->signers, "threshold", (json_int_t)r->threshold,
				     "lifetime_seconds", (json_int_t)r->lifetime, "version",
				     (json_int_t)r->version, "expires", vg_json_time(r->expires_at),
				     "signed_at", vg_json_time(r->signed_at), "expires_in_seconds",
				     (json_int_t)(r->expires_at ? r->expires_at - now : 0)));
	}
	return json_pack("{s:b, s:o}", "initialized", st->n > 0, "roles", roles);
}

/* ---- files ---- */

/* Parse "bytes=A-B", "bytes=A-", "bytes=-N" against size n. Returns 1 and
 * [*from, *to] for a satisfiable single range, 0 to send the whole file (no
 * or an ignorable header), -1 for an unsatisfiable one. */
int tuf_range_parse(const char *h, size_t n, size_t *from, size_t *to)
{
	unsigned long long a = 0, b = 0;
	const char *p;
	char *end;

	if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0; /* several ranges: the whole file (allowed by RFC 9110) */
	p = h + 6;
	if (*p == '-') {
		if (p[1] < '0' || p[1] > '9')
			return 0;
		b = strtoull(p + 1, &end, 10);
		if (*end || b == 0)
			return *end ? 0 : -1;
		if (n == 0)
			return -1;
		*from = b >= n ? 0 : n - (size_t)b;
		*to = n - 1;
		return 1;
	}
	if (*p < '0' || *p > '9')
		return 0;
	a = strtoull(p, &end, 10);
	if (*end != '-')
		return 0;
	p = end + 1;
	if (*p) {
		if (*p < '0' || *p > '9')
			return 0;
		b = strtoull(p, &end, 10);
		if (*end || b < a)
			return 0;
	} else {
		b = n ? n - 1 : 0;
	}
	if (a >= n)
		return -1;
	*from = (size_t)a;
	*to = b >= n ? n - 1 : (size_t)b;
	return 1;
}

/* "products%2FP" -> "products/P" (once; the client encodes the role name). */
static void decode_role(const char *in, size_t n, char *out, size_t outsz)
{
	size_t j = 0;
	for (size_t i = 0; i < n && j + 1 < outsz; i++) {
		if (in[i] == '%' && i + 2 < n && in[i + 1] == '2' &&
		    (in[i + 2] == 'F' || in[i + 2] == 'f')) {
			out[j++] = '/';
			i += 2;
		} else {
			out[j++] = in[i];
		}
	}
	out[j] = '\0';
}

int tuf_metadata_name_parse(const char *file, char *role, size_t rolesz, int64_t *version)
{
	size_t len = strlen(file);
	const char *p = file;

	*version = 0;
	if (len < 6 || len > 180 || strcmp(file + len - 5, ".json") != 0)
		return -1;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p > file && *p == '.') {
		char num[20];
		struct vg_error e = {0};
		if ((size_t)(p - file) >= sizeof(num))
			return -1;
		memcpy(num, file, (size_t)(p - file));
		num[p - file] = '\0';
		if (vg_parse_int64(num, "version", 1, INT64_MAX, version, &e))
			return -1;
		p++;
	} else {
		p = file;
	}
	if (p >= file + len - 5)
		return -1; /* "2.json": a version and no role */
	decode_role(p, (size_t)(file + len - 5 - p), role, rolesz);
	if (!role[0] || role[0] == '/' || strstr(role, "..") || strchr(role, '\\'))
		return -1;
	if (*version && strcmp(role, "timestamp") == 0)
		return -1; /* the timestamp has one name only */
	return 0;
}

int tuf_metadata_file(struct store *s, const char *file, char **data, size_t *n, char sha256[65],
		      int *is_timestamp, struct vg_error *err)
{
	char role[200];
	int64_t version = 0;
	struct store_stmt *st = NULL;
	int rc;

	*data = NULL;
	*is_timestamp = 0;
	if (tuf_metadata_name_parse(file, role, sizeof(role), &version))
		return vg_error_set(err, VG_ENOTFOUND, "no TUF metadata file %s", file);
	*is_timestamp = strcmp(role, "timestamp") == 0;
	rc = store_prepare_cached(
	    s,
	    version ? "SELECT json, sha256 FROM tuf_metadata WHERE role = ? AND version = ?"
		    : "SELECT json, sha256 FROM tuf_metadata WHERE role = ? ORDER BY version DESC "
		      "LIMIT 1",
	    &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, role);
	if (version)
		store_bind_int64(st, 2, version);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		int oom = 0;
		const char *h = store_col_text(st, 1);
		*data = store_col_dup(st, 0, &oom);
		snprintf(sha256, 65, "%s", h ? h : "");
		rc = oom || !*data ? vg_error_set(err, VG_ENOMEM, "out of memory") : VG_OK;
		if (!rc)
			*n = strlen(*data);
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no TUF metadata file %s", file);
	}
	store_finalize(st);
	return rc;
}

static int is_hex64(const char *p)
{
	for (int i = 0; i < 64; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

int tuf_target_open(struct store *s, const char *path, struct artifact_reader **r, char sha256[65],
		    struct vg_error *err)
{
	const char *slash = strrchr(path, '/');
	char name[400], sha[65];
	int64_t have = 0;
	int rc;

	*r = NULL;
	if (!slash || slash == path || strlen(slash + 1) < 66 || !is_hex64(slash + 1) ||
	    slash[65] != '.' || strlen(path) > 380)
		return vg_error_set(err, VG_ENOTFOUND, "no TUF target %s", path);
	memcpy(sha, slash + 1, 64);
	sha[64] = '\0';
	snprintf(name, sizeof(name), "%.*s/%s", (int)(slash - path), path, slash + 66);
	rc = store_query_int64(s, &have, err,
			       "SELECT COUNT(*) FROM tuf_targets WHERE name = ? AND sha256 = ?",
			       "tt", name, sha);
	if (!rc && !have)
		rc = vg_error_set(err, VG_ENOTFOUND, "no TUF target %s", path);
	if (!rc)
		rc = artifact_open(s, sha, r, err);
	if (!rc)
		memcpy(sha256, sha, 65);
	return rc;
}

int tuf_target_file(struct store *s, const char *path, char **data, size_t *n, char sha256[65],
		    struct vg_error *err)
{
	struct artifact_reader *r = NULL;
	uint64_t size, pos = 0;
	int rc = tuf_target_open(s, path, &r, sha256, err);

	*data = NULL;
	*n = 0;
	if (rc)
		return rc;
	size = artifact_reader_size(r);
	*data = malloc(size ? size : 1);
	if (!*data)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	while (!rc && pos < size) {
		long got = artifact_read_at(r, s, pos, *data + pos, size - pos, err);
		if (got <= 0)
			rc = got < 0 && err->code
				 ? err->code
				 : vg_error_set(err, VG_EIO, "TUF target %s ends early", path);
		else
			pos += (uint64_t)got;
	}
	artifact_close(r);
	if (rc) {
		free(*data);
		*data = NULL;
	} else {
		*n = size;
	}
	return rc;
}

/* ---- export ---- */

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(path, 0755) && errno != EEXIST) {
				*p = '/';
				return -1;
			}
			*p = '/';
		}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

static int write_file_from(const char *dir, const char *rel, const void *data, size_t n,
			   struct store *s, struct artifact_reader *r, struct vg_error *err);

static int write_file(const char *dir, const char *rel, const void *data, size_t n,
		      struct vg_error *err)
{
	return write_file_from(dir, rel, data, n, NULL, NULL, err);
}

/* Copy the stored artifact r (read in chunks) to f. */
static int copy_reader(FILE *f, struct store *s, struct artifact_reader *r, struct vg_error *err)
{
	enum { CHUNK = 256 * 1024 };
	char *buf = malloc(CHUNK);
	uint64_t pos = 0, size = artifact_reader_size(r);
	int rc = buf ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");

	while (!rc && pos < size) {
		long got = artifact_read_at(r, s, pos, buf, CHUNK, err);
		if (got < 0)
			rc = err->code ? err->code : VG_EIO;
		else if (got == 0)
			rc = vg_error_set(err, VG_EIO, "export: a stored artifact ends early");
		else if (fwrite(buf, 1, (size_t)got, f) != (size_t)got)
			rc = vg_error_set(err, VG_EIO, "export: write failed: %s", strerror(errno));
		else
			pos += (uint64_t)got;
	}
	free(buf);
	return rc;
}

/* data (n bytes), or when r is given the stored artifact it reads. */
static int write_file_from(const char *dir, const char *rel, const void *data, size_t n,
			   struct store *s, struct artifact_reader *r, struct vg_error *err)
{
	char path[4096], tmp[4200];
	char *slash;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >= sizeof(path))
		return vg_error_set(err, VG_EINVAL, "export: path too long: %s", rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdirs(path))
		return vg_error_set(err, VG_EIO, "export: cannot create %s: %s", path,
				    strerror(errno));
	*slash = '/';
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f)
		return vg_error_set(err, VG_EIO, "export: cannot write %s: %s", tmp,
				    strerror(errno));
	if (r) {
		int rc = copy_reader(f, s, r, err);
		if (rc) {
			fclose(f);
			remove(tmp);
			return rc;
		}
		data = "";
		n = 0;
	}
	if (fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		remove(tmp);
		return vg_error_set(err, VG_EIO, "export: cannot write %s", path);
	}
	if (rename(tmp, path))
		return vg_error_set(err, VG_EIO, "export: cannot rename %s: %s", tmp,
				    strerror(errno));
	return VG_OK;
}

int tuf_export(struct store *s, const char *dir, size_t *files, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	json_t *targets = NULL, *row;
	char *copy = strdup(dir);
	size_t i;
	int rc;

	*files = 0;
	if (!copy)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = mkdirs(copy)
		 ? vg_error_set(err, VG_EIO, "export: cannot create %s: %s", dir, strerror(errno))
		 : VG_OK;
	free(copy);
	if (!rc)
		rc =
		    store_prepare(s,
				  "SELECT role, version, json, "
				  "(SELECT MAX(version) FROM tuf_metadata x WHERE x.role = m.role) "
				  "FROM tuf_metadata m ORDER BY role, version",
				  &st, err);
	while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
		const char *role = store_col_text(st, 0), *json = store_col_text(st, 2);
		int64_t v = store_col_int64(st, 1), max = store_col_int64(st, 3);
		char rel[400], enc[300];
		size_t j = 0;
		for (const char *p = role; *p && j + 4 < sizeof(enc); p++) {
			if (*p == '/') {
				memcpy(enc + j, "%2F", 3);
				j += 3;
			} else {
				enc[j++] = *p;
			}
		}
		enc[j] = '\0';
		rc = VG_OK;
		/* consistent snapshots: VERSION.ROLE.json; the timestamp and the newest
		 * root also without a version */
		if (strcmp(role, "timestamp") != 0) {
			snprintf(rel, sizeof(rel), "metadata/%lld.%s.json", (long long)v, role);
			rc = write_file(dir, rel, json, strlen(json), err);
			if (!rc && strchr(role, '/')) {
				/* as asked for by the client (the role name URL-encoded) for
				 * servers that do not decode %2F */
				snprintf(rel, sizeof(rel), "metadata/%lld.%s.json", (long long)v,
					 enc);
				rc = write_file(dir, rel, json, strlen(json), err);
			}
			if (!rc)
				(*files)++;
		}
		if (!rc && v == max && !strchr(role, '/')) {
			snprintf(rel, sizeof(rel), "metadata/%s.json", role);
			rc = write_file(dir, rel, json, strlen(json), err);
			if (!rc)
				(*files)++;
		}
	}
	if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	if (!rc)
		rc = store_query_json(s, &targets, err,
				      "SELECT name, sha256 FROM tuf_targets ORDER BY name", NULL);
	json_array_foreach(targets, i, row)
	{
		const char *name = vg_json_str(row, "name"), *sha = vg_json_str(row, "sha256");
		const char *slash = name ? strrchr(name, '/') : NULL;
		char rel[600];
		struct artifact_reader *r = NULL;
		if (rc)
			break;
		if (!slash || !sha)
			continue;
		snprintf(rel, sizeof(rel), "targets/%.*s/%s.%s", (int)(slash - name), name, sha,
			 slash + 1);
		rc = artifact_open(s, sha, &r, err);
		if (!rc)
			rc = write_file_from(dir, rel, NULL, 0, s, r, err);
		artifact_close(r);
		if (!rc)
			(*files)++;
	}
	json_decref(targets);
	return rc;
}
