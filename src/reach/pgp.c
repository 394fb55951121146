/*
 * pgp.c - the PSIRT OpenPGP key: status (strength, expiry, whether the
 * Encryption URI serves it), expiry warnings and rotation. See reach.h.
 */
#define _XOPEN_SOURCE 700
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/events.h"
#include "reach/reach.h"
#include "store/reader.h"
#include "store/store.h"

#include <curl/curl.h>
#include <ctype.h>
#include <ftw.h>
#include <gpgme.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/banned.h"

#define KEY_MAX (512 * 1024)

struct keyinfo {
	char fpr[64];
	char algo[32];
	unsigned bits;
	int64_t expires; /* 0 = never */
	int has_secret;
	int weak;
	char uid[256];
};

static int ready(gpgme_ctx_t *ctx, const char *home, struct vg_error *err)
{
	if (!gpgme_check_version(NULL))
		return vg_error_set(err, VG_EINTERNAL, "gpgme could not be initialised");
	if (gpgme_new(ctx) || gpgme_set_protocol(*ctx, GPGME_PROTOCOL_OpenPGP) ||
	    (home && gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)))
		return vg_error_set(err, VG_EINTERNAL,
				    "gpgme: cannot set up a context (is gnupg installed?)");
	return VG_OK;
}

/* Read a listing to its end before gpgme_op_keylist_end(): keys gpgme has
 * already queued but nobody took are otherwise not all freed (a small leak
 * the sanitizers see, depending on timing). */
static void drain(gpgme_ctx_t ctx)
{
	gpgme_key_t k = NULL;
	while (gpgme_op_keylist_next(ctx, &k) == 0 && k) {
		gpgme_key_unref(k);
		k = NULL;
	}
}

static void describe(gpgme_key_t k, struct keyinfo *ki)
{
	gpgme_subkey_t sk = k->subkeys;
	const char *name;
	memset(ki, 0, sizeof(*ki));
	if (!sk)
		return;
	snprintf(ki->fpr, sizeof(ki->fpr), "%s", sk->fpr ? sk->fpr : "");
	name = gpgme_pubkey_algo_name(sk->pubkey_algo);
	if (sk->pubkey_algo == GPGME_PK_ECC || sk->pubkey_algo == GPGME_PK_EDDSA ||
	    sk->pubkey_algo == GPGME_PK_ECDSA || sk->pubkey_algo == GPGME_PK_ECDH)
		snprintf(ki->algo, sizeof(ki->algo), "%s", sk->curve ? sk->curve : "ecc");
	else
		snprintf(ki->algo, sizeof(ki->algo), "%s", name ? name : "unknown");
	ki->bits = sk->length;
	ki->expires = sk->expires;
	ki->has_secret = k->secret;
	switch (sk->pubkey_algo) {
	case GPGME_PK_RSA:
	case GPGME_PK_RSA_E:
	case GPGME_PK_RSA_S:
	case GPGME_PK_ELG:
	case GPGME_PK_ELG_E:
		ki->weak = sk->length < 3072;
		break;
	case GPGME_PK_DSA:
		ki->weak = 1;
		break;
	default:
		ki->weak = 0;
	}
	if (k->uids && k->uids->uid)
		snprintf(ki->uid, sizeof(ki->uid), "%s", k->uids->uid);
}

/* Look a key up in GNUPGHOME (pattern NULL: the first secret key). */
static int find_key(const char *pattern, int secret, struct keyinfo *ki, struct vg_error *err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t k = NULL, sk = NULL;
	int rc = ready(&ctx, NULL, err);
	if (rc)
		return rc;
	if (gpgme_op_keylist_start(ctx, pattern, secret) == 0 &&
	    gpgme_op_keylist_next(ctx, &k) == 0 && k)
		describe(k, ki);
	drain(ctx);
	gpgme_op_keylist_end(ctx);
	if (!k) {
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "no OpenPGP %skey %s in the keyring (GNUPGHOME)",
				  secret ? "secret " : "", pattern ? pattern : "at all");
	} else if (secret) {
		ki->has_secret = 1;
	} else if (gpgme_get_key(ctx, ki->fpr, &sk, 1) == 0 && sk) {
		/* the secret key is there too */
		ki->has_secret = 1;
		gpgme_key_unref(sk);
	}
	if (k)
		gpgme_key_unref(k);
	gpgme_release(ctx);
	return rc;
}

/* The PSIRT key: the recorded current key, config pgp.key, or the first
 * secret key. */
static int current_key(struct store *s, struct keyinfo *ki, char *source, size_t n,
		       struct vg_error *err)
{
	char *fpr = NULL;
	int rc;
	if (store_query_text(s, &fpr, NULL,
			     "SELECT fingerprint FROM pgp_keys WHERE state = 'current' ORDER BY id "
			     "DESC LIMIT 1",
			     NULL) == VG_OK &&
	    fpr) {
		snprintf(source, n, "recorded");
		rc = find_key(fpr, 0, ki, err);
		free(fpr);
		return rc;
	}
	free(fpr);
	if (vg_config_get("pgp.key", NULL)) {
		snprintf(source, n, "config pgp.key");
		return find_key(vg_config_get("pgp.key", NULL), 0, ki, err);
	}
	snprintf(source, n, "first secret key");
	return find_key(NULL, 1, ki, err);
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct vg_buf *b = arg;
	size_t n = size * nmemb;
	return vg_buf_add(b, p, n) == VG_OK ? n : 0;
}

/* Fetch a key from an https URI (at most KEY_MAX bytes). */
static int fetch(const char *uri, const char *cacert, struct vg_buf *out, char *why, size_t whyn)
{
	CURL *h;
	CURLcode cc;
	long status = 0;

	if (strncasecmp(uri, "https://", 8) != 0) {
		snprintf(why, whyn, "not an https URI");
		return -1;
	}
	h = curl_easy_init();
	if (!h) {
		snprintf(why, whyn, "cannot start libcurl");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, uri);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)KEY_MAX);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	if (cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, cacert);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK) {
		snprintf(why, whyn, "%s", curl_easy_strerror(cc));
		return -1;
	}
	if (status != 200) {
		snprintf(why, whyn, "HTTP status %ld", status);
		return -1;
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Fingerprints of the keys in data, listed in a throw-away home. */
static int fingerprints(const char *data, size_t n, json_t *out, struct vg_error *err)
{
	const char *tmp = getenv("TMPDIR");
	char home[512];
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t d = NULL;
	gpgme_key_t k;
	int rc;

	snprintf(home, sizeof(home), "%s/vigil-gpg-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(home))
		return vg_error_set(err, VG_EIO, "cannot create a temporary GnuPG home");
	rc = ready(&ctx, home, err);
	if (!rc && gpgme_data_new_from_mem(&d, data, n, 0))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc && gpgme_op_keylist_from_data_start(ctx, d, 0) == 0) {
		while (gpgme_op_keylist_next(ctx, &k) == 0 && k) {
			if (k->subkeys && k->subkeys->fpr)
				json_array_append_new(out, json_string(k->subkeys->fpr));
			gpgme_key_unref(k);
		}
		drain(ctx);
		gpgme_op_keylist_end(ctx);
	}
	gpgme_data_release(d);
	if (ctx)
		gpgme_release(ctx);
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

int pgp_status(struct store *s, const char *encryption_uri, const char *cacert,
	       struct vg_arena *mem, struct pgp_key_status *out, struct vg_error *err)
{
	struct keyinfo ki;
	char *uri = NULL, why[256] = "";
	int64_t now = vg_now();
	int rc;

	memset(out, 0, sizeof(*out));
	rc = current_key(s, &ki, out->source, sizeof(out->source), err);
	if (rc)
		return rc;
	snprintf(out->fingerprint, sizeof(out->fingerprint), "%s", ki.fpr);
	snprintf(out->algorithm, sizeof(out->algorithm), "%s", ki.algo);
	snprintf(out->uid, sizeof(out->uid), "%s", ki.uid);
	out->bits = ki.bits;
	out->weak = ki.weak;
	out->has_secret = ki.has_secret;
	out->expires = ki.expires;
	out->expiring = ki.expires && ki.expires - now <= PGP_EXPIRING_SECONDS;
	out->expired = ki.expires && ki.expires <= now;
	if (encryption_uri && !*encryption_uri)
		uri = NULL; /* "" = do not look at the Encryption URI */
	else if (encryption_uri)
		uri = strdup(encryption_uri);
	else if (store_query_text(
		     s, &uri, NULL,
		     "SELECT encryption FROM securitytxt_checks WHERE encryption IS NOT "
		     "NULL ORDER BY checked_at DESC, id DESC LIMIT 1",
		     NULL))
		uri = NULL; /* never checked: no URI to look at */
	if (!cacert)
		cacert = vg_config_get("securitytxt.cacert", NULL);
	if (uri) {
		struct vg_buf b;
		json_t *served = json_array(), *v;
		size_t i;
		vg_buf_init(&b, KEY_MAX);
		if (fetch(uri, cacert, &b, why, sizeof(why)) == 0) {
			struct vg_error e = {0};
			if (fingerprints(b.data ? b.data : "", b.len, served, &e))
				snprintf(why, sizeof(why), "%s", vg_error_msg(&e));
			else if (!json_array_size(served))
				snprintf(why, sizeof(why), "no OpenPGP key at the URI");
		}
		vg_buf_release(&b);
		out->encryption_uri = vg_arena_strdup(mem, uri);
		out->encryption_keys =
		    vg_arena_array(mem, json_array_size(served) + 1, sizeof(*out->encryption_keys));
		if (!out->encryption_uri || !out->encryption_keys)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		json_array_foreach(served, i, v)
		{
			if (rc)
				break;
			if (strcasecmp(json_string_value(v), ki.fpr) == 0)
				out->encryption_matches = 1;
			if (!(out->encryption_keys[out->nencryption_keys++] =
				  vg_arena_strdup(mem, json_string_value(v))))
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		if (!rc && why[0] && !(out->encryption_error = vg_arena_strdup(mem, why)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		json_decref(served);
	}
	free(uri);
	return rc;
}

json_t *pgp_key_status_to_json(const struct pgp_key_status *k)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:b, s:b, s:s}", "fingerprint", k->fingerprint,
			      "algorithm", k->algorithm, "uid", k->uid, "bits", (int)k->bits,
			      "weak", k->weak, "has_secret", k->has_secret, "source", k->source);
	if (!o)
		return NULL;
	json_object_set_new(o, "expires", vg_json_time(k->expires));
	json_object_set_new(o, "expiring", json_boolean(k->expiring));
	json_object_set_new(o, "expired", json_boolean(k->expired));
	vg_json_set_str(o, "encryption_uri", k->encryption_uri);
	if (k->encryption_uri) {
		json_t *keys = json_array();
		for (size_t i = 0; keys && i < k->nencryption_keys; i++)
			json_array_append_new(keys, json_string(k->encryption_keys[i]));
		json_object_set_new(o, "encryption_matches", json_boolean(k->encryption_matches));
		json_object_set_new(o, "encryption_keys", keys ? keys : json_null());
		vg_json_set_str(o, "encryption_error", k->encryption_error);
	} else {
		json_object_set_new(o, "encryption_matches", json_null());
	}
	return o;
}

int pgp_expiry_check(struct store *s, int *expiring, struct vg_error *err)
{
	struct keyinfo ki;
	char source[64], ts[VG_TIME_BUFSZ], summary[300], key[120];
	int64_t now = vg_now();
	json_t *p;
	int rc = current_key(s, &ki, source, sizeof(source), err);

	*expiring = 0;
	if (rc)
		return rc;
	if (!ki.expires || ki.expires - now > PGP_EXPIRING_SECONDS)
		return VG_OK;
	*expiring = 1;
	vg_time_format(ki.expires, ts, sizeof(ts));
	snprintf(summary, sizeof(summary), "PSIRT OpenPGP key %s %s %s", ki.fpr,
		 ki.expires <= now ? "expired" : "expires", ts);
	snprintf(key, sizeof(key), "pgp-expiring-%s", ki.fpr);
	p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "summary", summary, "severity",
		      ki.expires <= now ? "high" : "medium", "dedup_key", key, "fingerprint",
		      ki.fpr, "expires", ts);
	if (p)
		vg_event_emit(s, "pgp.expiring", p);
	json_decref(p);
	return VG_OK;
}

/* Is new_fpr certified by old_fpr? With GPGME_KEYLIST_MODE_SIGS gpgme runs
 * gpg --check-sigs, so each signature's status is gpg's verification of it
 * (a listed but forged certification comes back as a bad signature). */
static int cross_signed(const char *new_fpr, const char *old_fpr, int *ok, struct vg_error *err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t k = NULL;
	size_t ol = strlen(old_fpr);
	int rc = ready(&ctx, NULL, err);

	*ok = 0;
	if (rc)
		return rc;
	gpgme_set_keylist_mode(ctx, GPGME_KEYLIST_MODE_LOCAL | GPGME_KEYLIST_MODE_SIGS |
					GPGME_KEYLIST_MODE_VALIDATE);
	if (gpgme_op_keylist_start(ctx, new_fpr, 0) == 0 && gpgme_op_keylist_next(ctx, &k) == 0 &&
	    k) {
		for (gpgme_user_id_t u = k->uids; u; u = u->next) {
			if (u->revoked || u->invalid)
				continue;
			for (gpgme_key_sig_t sg = u->signatures; sg; sg = sg->next) {
				size_t kl = sg->keyid ? strlen(sg->keyid) : 0;
				if (kl < 16 || kl > ol || strcasecmp(sg->keyid, old_fpr + ol - kl))
					continue;
				if (sg->status == GPG_ERR_NO_ERROR && !sg->revoked &&
				    !sg->expired && !sg->invalid)
					*ok = 1;
			}
		}
		gpgme_key_unref(k);
	}
	drain(ctx);
	gpgme_op_keylist_end(ctx);
	gpgme_release(ctx);
	return VG_OK;
}

static int export_key(const char *fpr, const char *path, struct vg_error *err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t d = NULL;
	char *mem = NULL;
	size_t n = 0;
	FILE *f;
	int rc = ready(&ctx, NULL, err);
	if (rc)
		return rc;
	gpgme_set_armor(ctx, 1);
	if (gpgme_data_new(&d) || gpgme_op_export(ctx, fpr, 0, d)) {
		rc = vg_error_set(err, VG_EINTERNAL, "gpgme: cannot export %s", fpr);
		goto out;
	}
	mem = gpgme_data_release_and_get_mem(d, &n);
	d = NULL;
	if (!mem || !n) {
		rc = vg_error_set(err, VG_EINTERNAL, "gpgme: export of %s is empty", fpr);
		goto out;
	}
	f = fopen(path, "wb");
	if (!f || fwrite(mem, 1, n, f) != n || fclose(f) != 0) {
		if (f)
			fclose(f);
		rc = vg_error_set(err, VG_EIO, "%s: cannot write the public key", path);
	}
out:
	if (mem)
		gpgme_free(mem);
	gpgme_data_release(d);
	gpgme_release(ctx);
	return rc;
}

static int upsert_key(struct store *s, const struct keyinfo *ki, const char *state,
		      const char *previous, int cross, const char *published_to,
		      struct vg_error *err)
{
	int64_t n = 0, now = vg_now();
	int rc = store_query_int64(
	    s, &n, err, "SELECT COUNT(*) FROM pgp_keys WHERE fingerprint = ?", "t", ki->fpr);
	if (rc)
		return rc;
	if (n)
		return store_exec(
		    s, err,
		    "UPDATE pgp_keys SET state = ?, previous = COALESCE(?, previous), "
		    "cross_signed = ?, published_at = CASE WHEN CAST(? AS TEXT) IS "
		    "NULL THEN published_at ELSE ? END, published_to = COALESCE(?, "
		    "published_to), retired_at = ? WHERE fingerprint = ?",
		    "titiitit", state, previous, (int64_t)cross, published_to, now, published_to,
		    strcmp(state, "previous") == 0 ? now : (int64_t)0, ki->fpr);
	return store_exec(s, err,
			  "INSERT INTO pgp_keys (fingerprint, state, algorithm, bits, expires_at, "
			  "previous, cross_signed, published_at, published_to, added_at, "
			  "retired_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			  "tttiitiitii", ki->fpr, state, ki->algo, (int64_t)ki->bits, ki->expires,
			  previous, (int64_t)cross, published_to ? now : (int64_t)0, published_to,
			  now, strcmp(state, "previous") == 0 ? now : (int64_t)0);
}

int pgp_rotate(struct store *s, const char *new_fpr, const char *publish_path, struct vg_error *err)
{
	struct keyinfo old, nk;
	char source[64];
	json_t *before = NULL, *after = NULL;
	int ok = 0, rc;

	if (!new_fpr || strlen(new_fpr) != 40 || strspn(new_fpr, "0123456789abcdefABCDEF") != 40)
		return vg_error_set(err, VG_EINVAL,
				    "--new-key '%s': expected a 40-digit hex fingerprint",
				    new_fpr ? new_fpr : "");
	rc = current_key(s, &old, source, sizeof(source), err);
	if (rc) {
		vg_error_prefix(err, "the current PSIRT key");
		return rc;
	}
	if (strcasecmp(old.fpr, new_fpr) == 0)
		return vg_error_set(err, VG_ESTATE, "%s is already the current key", new_fpr);
	rc = find_key(new_fpr, 0, &nk, err);
	if (rc)
		return rc;
	if (!nk.has_secret)
		return vg_error_set(
		    err, VG_ESTATE,
		    "new key %s: its secret key is not in the keyring (it must sign "
		    "security.txt and decrypt reports)",
		    nk.fpr);
	if (nk.weak)
		return vg_error_set(err, VG_EINVAL,
				    "new key %s: %s %u bits is weak (RSA needs 3072 bits or more; "
				    "no DSA)",
				    nk.fpr, nk.algo, nk.bits);
	if (nk.expires && nk.expires <= vg_now())
		return vg_error_set(err, VG_ESTATE, "new key %s has expired", nk.fpr);
	rc = cross_signed(nk.fpr, old.fpr, &ok, err);
	if (rc)
		return rc;
	if (!ok)
		return vg_error_set(err, VG_ESTATE,
				    "new key %s is not certified by the current key %s (gpg "
				    "--default-key %s --quick-sign-key %s)",
				    nk.fpr, old.fpr, old.fpr, nk.fpr);
	if (publish_path) {
		rc = export_key(nk.fpr, publish_path, err);
		if (rc)
			return rc;
	}
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = upsert_key(s, &old, "previous", NULL, 0, NULL, err);
	if (!rc)
		rc = upsert_key(s, &nk, "current", old.fpr, 1, publish_path, err);
	before = json_pack("{s:s}", "current", old.fpr);
	after = json_pack("{s:s, s:s, s:b, s:s?, s:s}", "current", nk.fpr, "previous", old.fpr,
			  "cross_signed", 1, "published_to", publish_path, "previous_kept",
			  "for decryption");
	if (!rc)
		rc = store_audit(s, "pgp.rotate", "pgp_key", nk.fpr, before, after, err);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	json_decref(before);
	json_decref(after);
	return rc;
}

int pgp_keys(struct store *s, struct vg_arena *mem, struct pgp_key_list *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(
	    s,
	    "SELECT id, fingerprint, state, bits, expires_at, previous, cross_signed, "
	    "published_at, published_to, added_at, retired_at FROM pgp_keys ORDER BY "
	    "id DESC",
	    &r.st, err);
	if (rc)
		return rc;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct pgp_key *k;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		k = &out->v[out->n++];
		k->id = store_reader_int(&r, 0, 0);
		k->fingerprint = store_reader_str(&r, 1);
		k->state = store_reader_str(&r, 2);
		k->bits = store_reader_int(&r, 3, -1);
		k->expires_at = store_reader_int(&r, 4, 0);
		k->previous = store_reader_str(&r, 5);
		k->cross_signed = store_reader_int(&r, 6, 0) != 0;
		k->published_at = store_reader_int(&r, 7, 0);
		k->published_to = store_reader_str(&r, 8);
		k->added_at = store_reader_int(&r, 9, 0);
		k->retired_at = store_reader_int(&r, 10, 0);
	}
	return store_reader_done(&r, rc, err);
}

json_t *pgp_key_to_json(const struct pgp_key *k)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(k->id));
	vg_json_set_str(o, "fingerprint", k->fingerprint);
	vg_json_set_str(o, "state", k->state);
	json_object_set_new(o, "bits", k->bits >= 0 ? json_integer(k->bits) : json_null());
	json_object_set_new(o, "expires_at", vg_json_time(k->expires_at));
	vg_json_set_str(o, "previous", k->previous);
	json_object_set_new(o, "cross_signed", json_boolean(k->cross_signed));
	json_object_set_new(o, "published_at", vg_json_time(k->published_at));
	vg_json_set_str(o, "published_to", k->published_to);
	json_object_set_new(o, "added_at", vg_json_time(k->added_at));
	json_object_set_new(o, "retired_at", vg_json_time(k->retired_at));
	return o;
}

json_t *pgp_key_list_to_json(const struct pgp_key_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, pgp_key_to_json(&l->v[i]));
	return a;
}
