#define _POSIX_C_SOURCE 200809L
/*
 * provider.c - the trusted CSAF provider (provider.h; CSAF 2.0 section 7):
 * provider_put() keeps each published version with its .sha256, .sha512 and
 * OpenPGP .asc (made with the PSIRT key of reach/pgp.c through gpgme), and
 * provider_render() makes every file of the tree under /.well-known/csaf/
 * from the store: provider-metadata.json, <tlp>/index.txt, <tlp>/changes.csv,
 * <tlp>/<year>/<file>.json (+ .sha256, .sha512, .asc), the ROLIE feed
 * feed-tlp-<tlp>.json and the public keys openpgp/<FINGERPRINT>.asc.
 *
 * TLP:WHITE is served to anyone (requirement 7.1.4); the folders and ROLIE
 * feeds of GREEN, AMBER and RED are served only to a signed-in user or an API
 * token with read access (requirement 7.1.5: access protected, under their
 * own paths), and provider-metadata.json names them once a document carries
 * the label.
 */
#include "advisory/csaf_check.h"
#include "advisory/provider.h"
#include "advisory/provider_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "http/http.h"
#include "reach/reach.h"
#include "store/store.h"

#include <gpgme.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/banned.h"

/* ---- names ---- */

static int is_name_char(char c)
{
	if (c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-';
}

int csaf_file_name(const char *tracking_id, char *out, size_t n)
{
	size_t len = tracking_id ? strlen(tracking_id) : 0, o = 0;
	if (len == 0 || len + sizeof(".json") > n)
		return VG_EINVAL;
	/* lower case, then every run of characters outside [+-a-z0-9] becomes
	 * one '_' (the regular expression [^+\-a-z0-9]+ of section 5.1) */
	for (size_t i = 0; i < len; i++) {
		char c = tracking_id[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-')) {
			if (o && out[o - 1] == '_' && i && !is_name_char(tracking_id[i - 1]))
				continue;
			c = '_';
		}
		out[o++] = c;
	}
	memcpy(out + o, ".json", sizeof(".json"));
	return VG_OK;
}

int csaf_document_path(const char *tlp_label, int64_t initial_release, const char *tracking_id,
		       char *out, size_t n)
{
	char name[512], tlp[16];
	if (csaf_file_name(tracking_id, name, sizeof(name)) != VG_OK)
		return VG_EINVAL;
	size_t tl = tlp_label ? strlen(tlp_label) : 0;
	if (tl == 0 || tl >= sizeof(tlp))
		return VG_EINVAL;
	for (size_t i = 0; i <= tl; i++)
		tlp[i] =
		    (char)((tlp_label[i] >= 'A' && tlp_label[i] <= 'Z') ? tlp_label[i] - 'A' + 'a'
									: tlp_label[i]);
	time_t t = (time_t)initial_release;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return VG_EINVAL;
	int w = snprintf(out, n, "/.well-known/csaf/%s/%d/%s", tlp, tm.tm_year + 1900, name);
	return (w < 0 || (size_t)w >= n) ? VG_EINVAL : VG_OK;
}

/* ---- hashes and the signature ---- */

void provider_sha512_hex(const void *data, size_t n, char out[129])
{
	unsigned char md[64];
	unsigned int len = 0;
	EVP_Digest(data, n, md, &len, EVP_sha512(), NULL);
	vg_hex(md, 64, out);
}

static int gpg_ctx(gpgme_ctx_t *ctx, struct vg_error *err)
{
	if (!gpgme_check_version(NULL))
		return vg_error_set(err, VG_EINTERNAL, "gpgme could not be initialised");
	if (gpgme_new(ctx) || gpgme_set_protocol(*ctx, GPGME_PROTOCOL_OpenPGP))
		return vg_error_set(err, VG_EINTERNAL, "gpgme: cannot set up a context");
	gpgme_set_armor(*ctx, 1);
	return VG_OK;
}

static char *take_data(gpgme_data_t d)
{
	size_t n = 0;
	char *p = gpgme_data_release_and_get_mem(d, &n), *out = malloc(n + 1);
	if (out) {
		if (n)
			memcpy(out, p, n);
		out[n] = '\0';
	}
	gpgme_free(p);
	return out;
}

/* A detached armored signature of data with the key fpr, and that key's
 * armored public key. */
static int sign_detached(const char *fpr, const char *data, size_t n, char **sig, char **pub,
			 struct vg_error *err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key = NULL;
	gpgme_data_t in = NULL, out = NULL, kout = NULL;
	int rc = gpg_ctx(&ctx, err);
	*sig = *pub = NULL;
	if (rc)
		return rc;
	if (gpgme_get_key(ctx, fpr, &key, 1) || !key) {
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "the PSIRT OpenPGP key %s has no secret key in the keyring "
				  "(GNUPGHOME): `vigil pgp status` says which key is used",
				  fpr);
		goto out;
	}
	if (gpgme_signers_add(ctx, key) || gpgme_data_new_from_mem(&in, data, n, 0) ||
	    gpgme_data_new(&out) || gpgme_data_new(&kout)) {
		rc = vg_error_set(err, VG_ENOMEM, "gpgme: out of memory");
		goto out;
	}
	gpgme_error_t ge = gpgme_op_sign(ctx, in, out, GPGME_SIG_MODE_DETACH);
	if (ge) {
		rc = vg_error_set(err, VG_EINTERNAL, "signing with OpenPGP key %s failed: %s", fpr,
				  gpgme_strerror(ge));
		goto out;
	}
	*sig = take_data(out);
	out = NULL;
	if (gpgme_op_export(ctx, fpr, 0, kout) == 0)
		*pub = take_data(kout);
	kout = NULL;
	if (!*sig || !*pub || !**pub) {
		rc = vg_error_set(err, VG_EINTERNAL,
				  "gpgme: could not export the signature or key %s", fpr);
		free(*sig);
		free(*pub);
		*sig = *pub = NULL;
	}
out:
	gpgme_data_release(in);
	gpgme_data_release(out);
	gpgme_data_release(kout);
	if (key)
		gpgme_key_unref(key);
	gpgme_release(ctx);
	return rc;
}

/* ---- put ---- */

static int tlp_ok(const char *t)
{
	return t && (!strcmp(t, "WHITE") || !strcmp(t, "GREEN") || !strcmp(t, "AMBER") ||
		     !strcmp(t, "RED"));
}

/* The bytes served are the bytes checked: the document passes the CSAF 2.0
 * schema and every mandatory test, and says what the caller says of it
 * (tracking id, version, TLP label). Nothing else reaches the tree. */
static int document_agrees(const struct csaf_publication *p, struct vg_error *err)
{
	struct csaf_check_result r;
	int rc = csaf_check(p->json, p->len, &r, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < r.n; i++)
		if (r.issues[i].kind != CSAF_CHECK_RECOMMENDED) {
			rc = vg_error_set(err, VG_EINVAL,
					  "%s: test %s fails: %s (a document that fails the CSAF "
					  "2.0 schema or a mandatory test is not published)",
					  r.issues[i].path[0] ? r.issues[i].path : "/",
					  r.issues[i].test, r.issues[i].message);
			break;
		}
	csaf_check_result_free(&r);
	if (rc)
		return rc;
	json_t *doc = json_loadb(p->json, p->len, 0, NULL);
	json_t *d = json_object_get(doc, "document");
	json_t *tr = json_object_get(d, "tracking");
	const char *id = vg_json_str(tr, "id"), *ver = vg_json_str(tr, "version");
	const char *label =
	    vg_json_str(json_object_get(json_object_get(d, "distribution"), "tlp"), "label");
	if (!id || strcmp(id, p->tracking_id) != 0)
		rc = vg_error_set(err, VG_EINVAL,
				  "/document/tracking/id: the document says '%s', the publication "
				  "'%s'",
				  id ? id : "(none)", p->tracking_id);
	else if (!ver || strcmp(ver, p->version) != 0)
		rc = vg_error_set(err, VG_EINVAL,
				  "/document/tracking/version: the document says '%s', the "
				  "publication '%s'",
				  ver ? ver : "(none)", p->version);
	else if (label && strcmp(label, p->tlp_label) != 0)
		rc = vg_error_set(err, VG_EINVAL,
				  "/document/distribution/tlp/label: the document says '%s', the "
				  "publication '%s'",
				  label, p->tlp_label);
	json_decref(doc);
	return rc;
}

const char *provider_org_name(void)
{
	const char *n = vg_config_get("org.name", NULL);
	if (!n || !*n)
		n = vg_config_get("psirt.org_name", NULL);
	return n && *n ? n : "vigil";
}

int provider_put(struct store *s, const struct csaf_publication *p, struct vg_error *err)
{
	char path[700], name[512], sha256[VG_SHA256_HEX], sha512[129];
	char *sig = NULL, *pub = NULL, *old = NULL;
	struct pgp_key_status st;
	struct vg_arena mem;
	int rc;

	if (!p || !p->json || !p->len)
		return vg_error_set(err, VG_EINVAL, "provider: no document to publish");
	if (csaf_file_name(p->tracking_id, name, sizeof(name)) != VG_OK)
		return vg_error_set(err, VG_EINVAL,
				    "/document/tracking/id: '%s' gives no file name (section 5.1: "
				    "1 to 500 characters)",
				    p->tracking_id ? p->tracking_id : "");
	if (!p->version || !*p->version)
		return vg_error_set(err, VG_EINVAL, "/document/tracking/version: missing");
	if (!tlp_ok(p->tlp_label))
		return vg_error_set(err, VG_EINVAL,
				    "/document/distribution/tlp/label: '%s' is not a TLP label a "
				    "provider can file under (WHITE, GREEN, AMBER, RED)",
				    p->tlp_label ? p->tlp_label : "(none)");
	if (csaf_document_path(p->tlp_label, p->initial_release, p->tracking_id, path,
			       sizeof(path)) != VG_OK)
		return vg_error_set(err, VG_EINVAL,
				    "/document/tracking/initial_release_date: not a usable date");
	if ((rc = document_agrees(p, err)))
		return rc;
	/* a document served elsewhere under the same name is another document */
	if ((rc = store_query_text(s, &old, err,
				   "SELECT tracking_id FROM csaf_provider_documents WHERE path = ? "
				   "AND tracking_id <> ? ORDER BY id LIMIT 1",
				   "tt", path, p->tracking_id)) &&
	    rc != VG_ENOTFOUND)
		return rc;
	if (old) {
		rc = vg_error_set(err, VG_EEXIST,
				  "/document/tracking/id: '%s' has the file name of the published "
				  "'%s' (%s)",
				  p->tracking_id, old, path);
		free(old);
		return rc;
	}
	vg_sha256_hex(p->json, p->len, sha256);
	provider_sha512_hex(p->json, p->len, sha512);
	vg_arena_init(&mem, 0);
	rc = pgp_status(s, "", NULL, &mem, &st, err);
	if (!rc && !st.fingerprint[0])
		rc = vg_error_set(err, VG_ENOTFOUND, "no PSIRT OpenPGP key to sign CSAF documents");
	if (!rc && st.expired)
		rc = vg_error_set(err, VG_EINVAL,
				  "the PSIRT OpenPGP key %s has expired: rotate it (vigil pgp "
				  "rotate) before publishing",
				  st.fingerprint);
	if (!rc)
		rc = sign_detached(st.fingerprint, p->json, p->len, &sig, &pub, err);
	if (rc)
		goto out;
	int64_t now = vg_now();
	rc = store_exec(
	    s, err,
	    "INSERT INTO csaf_provider_keys (fingerprint, public_key, added_at) SELECT ?, "
	    "?, ? WHERE NOT EXISTS (SELECT 1 FROM csaf_provider_keys WHERE fingerprint "
	    "= ?)",
	    "ttit", st.fingerprint, pub, now, st.fingerprint);
	if (rc)
		goto out;
	struct store_stmt *ins = NULL;
	if ((rc = store_prepare(s,
				"INSERT INTO csaf_provider_documents (tracking_id, version, tlp, "
				"path, initial_release, current_release, data, sha256, sha512, "
				"signature, key_fingerprint, published_at) VALUES "
				"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				&ins, err)))
		goto out;
	store_bind_text(ins, 1, p->tracking_id);
	store_bind_text(ins, 2, p->version);
	store_bind_text(ins, 3, p->tlp_label);
	store_bind_text(ins, 4, path);
	store_bind_int64(ins, 5, p->initial_release);
	store_bind_int64(ins, 6, p->current_release);
	store_bind_blob(ins, 7, p->json, p->len);
	store_bind_text(ins, 8, sha256);
	store_bind_text(ins, 9, sha512);
	store_bind_text(ins, 10, sig);
	store_bind_text(ins, 11, st.fingerprint);
	store_bind_int64(ins, 12, now);
	rc = store_step(ins, err);
	store_finalize(ins);
	if (rc == STORE_DONE)
		rc = VG_OK;
	else if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST,
				  "/document/tracking/version: %s version %s is already published "
				  "(a change needs a new version)",
				  p->tracking_id, p->version);
out:
	free(sig);
	free(pub);
	vg_arena_release(&mem);
	return rc;
}

/* ---- the tree ---- */

/* The TLP labels a provider files under, and their folder names. */
static const char *const tlp_labels[] = {"WHITE", "GREEN", "AMBER", "RED"};
static const char *const tlp_folders[] = {"white", "green", "amber", "red"};
#define N_TLP (sizeof(tlp_labels) / sizeof(tlp_labels[0]))

const char *provider_base_url(char *buf, size_t n)
{
	const char *b = vg_config_get("server.public_url", NULL);
	if (!b || !*b)
		b = "http://localhost:8080";
	size_t l = strlen(b);
	while (l && b[l - 1] == '/')
		l--;
	snprintf(buf, n, "%.*s", (int)l, b);
	return buf;
}

static void rfc3339(int64_t t, char *out, size_t n)
{
	vg_time_format(t, out, n);
}

/* The served rows (the newest version of each tracking id) of one TLP,
 * newest current release first: [{tracking_id, version, path, current_release,
 * initial_release, data(text)}]. */
static int served_rows(struct store *s, const char *tlp, json_t **rows, struct vg_error *err)
{
	return store_rows(
	    s, rows, err, "tttiii",
	    "SELECT d.tracking_id, d.version, d.path, d.current_release, "
	    "d.initial_release, d.id FROM csaf_provider_documents d WHERE d.tlp = ? AND "
	    "d.id = (SELECT MAX(e.id) FROM csaf_provider_documents e WHERE "
	    "e.tracking_id = d.tracking_id) ORDER BY d.current_release DESC, d.id DESC",
	    "t", tlp);
}

static int metadata(struct store *s, struct vg_buf *out, struct vg_error *err)
{
	char base[512], url[700], when[VG_TIME_BUFSZ];
	json_t *keys = NULL, *last = NULL, *latest = NULL;
	int rc = store_rows(s, &keys, err, "t",
			    "SELECT fingerprint FROM csaf_provider_keys ORDER BY added_at, "
			    "fingerprint",
			    NULL);
	if (rc)
		return rc;
	provider_base_url(base, sizeof(base));
	int64_t updated = 0;
	if ((rc = store_rows(s, &last, err, "i",
			     "SELECT COALESCE(MAX(published_at), 0) AS t FROM "
			     "csaf_provider_documents",
			     NULL)))
		goto out;
	updated = json_integer_value(json_object_get(json_array_get(last, 0), "t"));
	rfc3339(updated ? updated : vg_now(), when, sizeof(when));
	/* the publisher: as the newest document names it */
	json_t *publisher = NULL;
	char *doc = NULL;
	if (store_query_text(s, &doc, NULL,
			     "SELECT data FROM csaf_provider_documents ORDER BY id DESC LIMIT 1",
			     NULL) == VG_OK &&
	    doc) {
		latest = json_loads(doc, 0, NULL);
		json_t *pb = json_object_get(json_object_get(latest, "document"), "publisher");
		if (json_is_object(pb))
			publisher = json_pack("{s:O, s:O, s:O}", "category",
					      json_object_get(pb, "category"), "name",
					      json_object_get(pb, "name"), "namespace",
					      json_object_get(pb, "namespace"));
	}
	free(doc);
	if (!publisher)
		publisher = json_pack("{s:s, s:s, s:s}", "category", "vendor", "name",
				      provider_org_name(), "namespace", base);
	json_t *pk = json_array(), *k;
	size_t i;
	json_array_foreach(keys, i, k)
	{
		const char *fpr = vg_json_str(k, "fingerprint");
		snprintf(url, sizeof(url), "%s/.well-known/csaf/openpgp/%s.asc", base, fpr);
		json_array_append_new(pk, json_pack("{s:s, s:s}", "fingerprint", fpr, "url", url));
	}
	char canon[700];
	snprintf(canon, sizeof(canon), "%s/.well-known/csaf/provider-metadata.json", base);
	/* one distribution (folder and ROLIE feed) per TLP label: WHITE always,
	 * the others once a document carries them */
	json_t *dists = json_array();
	for (size_t t = 0; t < N_TLP && !rc; t++) {
		json_t *cnt = NULL;
		if (t > 0) {
			if ((rc = store_rows(s, &cnt, err, "i",
					     "SELECT COUNT(*) AS n FROM csaf_provider_documents "
					     "WHERE tlp = ?",
					     "t", tlp_labels[t])))
				break;
			json_int_t n =
			    json_integer_value(json_object_get(json_array_get(cnt, 0), "n"));
			json_decref(cnt);
			if (n == 0)
				continue;
		}
		char dir[700], feed[700], summary[64];
		snprintf(dir, sizeof(dir), "%s/.well-known/csaf/%s/", base, tlp_folders[t]);
		snprintf(feed, sizeof(feed), "%s/.well-known/csaf/feed-tlp-%s.json", base,
			 tlp_folders[t]);
		snprintf(summary, sizeof(summary), "TLP:%s advisories", tlp_labels[t]);
		json_array_append_new(dists,
				      json_pack("{s:s, s:{s:[{s:s, s:s, s:s}]}}", "directory_url",
						dir, "rolie", "feeds", "summary", summary,
						"tlp_label", tlp_labels[t], "url", feed));
	}
	if (rc) {
		json_decref(dists);
		json_decref(pk);
		json_decref(publisher);
		goto out;
	}
	json_t *m = json_pack("{s:s, s:o, s:s, s:b, s:s, s:b, s:o, s:o, s:s}", "canonical_url",
			      canon, "distributions", dists, "last_updated", when,
			      "list_on_CSAF_aggregators", 1, "metadata_version", "2.0",
			      "mirror_on_CSAF_aggregators", 1, "public_openpgp_keys", pk,
			      "publisher", publisher, "role", "csaf_trusted_provider");
	char *text = m ? json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(m);
	if (!text) {
		rc = vg_error_set(err, VG_ENOMEM, "provider-metadata.json: out of memory");
		goto out;
	}
	rc = vg_buf_adds(out, text);
	if (!rc)
		rc = vg_buf_addc(out, '\n');
	free(text);
out:
	json_decref(keys);
	json_decref(last);
	json_decref(latest);
	return rc;
}

static int rolie_feed(struct store *s, const char *tlp, struct vg_buf *out, struct vg_error *err)
{
	char base[512], url[900], when[VG_TIME_BUFSZ], up[VG_TIME_BUFSZ], pub[VG_TIME_BUFSZ];
	json_t *rows = NULL, *r;
	size_t i;
	int rc = served_rows(s, tlp, &rows, err);
	if (rc)
		return rc;
	provider_base_url(base, sizeof(base));
	json_t *entries = json_array();
	int64_t newest = 0;
	json_array_foreach(rows, i, r)
	{
		const char *path = vg_json_str(r, "path"), *id = vg_json_str(r, "tracking_id");
		int64_t cur = json_integer_value(json_object_get(r, "current_release"));
		int64_t ini = json_integer_value(json_object_get(r, "initial_release"));
		if (cur > newest)
			newest = cur;
		rfc3339(cur, up, sizeof(up));
		rfc3339(ini, pub, sizeof(pub));
		snprintf(url, sizeof(url), "%s%s", base, path);
		char h256[920], h512[920], sig[920];
		snprintf(h256, sizeof(h256), "%s.sha256", url);
		snprintf(h512, sizeof(h512), "%s.sha512", url);
		snprintf(sig, sizeof(sig), "%s.asc", url);
		json_array_append_new(
		    entries,
		    json_pack("{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}], s:s, "
			      "s:s, s:{s:s}, s:{s:s, s:s}, s:{s:s, s:s}}",
			      "id", id, "title", id, "link", "rel", "self", "href", url, "rel",
			      "hash", "href", h256, "rel", "hash", "href", h512, "rel", "signature",
			      "href", sig, "published", pub, "updated", up, "summary", "content",
			      id, "content", "type", "application/json", "src", url, "format",
			      "schema",
			      "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json",
			      "version", "2.0"));
	}
	rfc3339(newest ? newest : vg_now(), when, sizeof(when));
	char self[700], fid[64], title[64], low[16];
	size_t tl = strlen(tlp);
	for (size_t k = 0; k <= tl && k < sizeof(low); k++)
		low[k] = (char)((tlp[k] >= 'A' && tlp[k] <= 'Z') ? tlp[k] - 'A' + 'a' : tlp[k]);
	low[sizeof(low) - 1] = '\0';
	snprintf(self, sizeof(self), "%s/.well-known/csaf/feed-tlp-%s.json", base, low);
	snprintf(fid, sizeof(fid), "csaf-feed-tlp-%s", low);
	snprintf(title, sizeof(title), "CSAF feed (TLP:%s)", tlp);
	json_t *f =
	    json_pack("{s:{s:s, s:s, s:[{s:s, s:s}], s:[{s:s, s:s}], s:s, s:o}}", "feed", "id", fid,
		      "title", title, "link", "rel", "self", "href", self, "category", "scheme",
		      "urn:ietf:params:rolie:category:information-type", "term", "csaf", "updated",
		      when, "entry", entries);
	char *text = f ? json_dumps(f, JSON_INDENT(2)) : NULL;
	json_decref(f);
	json_decref(rows);
	if (!text)
		return vg_error_set(err, VG_ENOMEM, "ROLIE feed: out of memory");
	rc = vg_buf_adds(out, text);
	if (!rc)
		rc = vg_buf_addc(out, '\n');
	free(text);
	return rc;
}

/* index.txt: one path (relative to the TLP folder) a line; changes.csv:
 * "path","time" newest first. */
static int listing(struct store *s, const char *tlp, int csv, struct vg_buf *out,
		   struct vg_error *err)
{
	json_t *rows = NULL, *r;
	size_t i, prefix = strlen("/.well-known/csaf/") + strlen(tlp) + 1;
	int rc = served_rows(s, tlp, &rows, err);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r)
	{
		const char *path = vg_json_str(r, "path");
		char when[VG_TIME_BUFSZ];
		if (!path || strlen(path) <= prefix)
			continue;
		if (csv) {
			rfc3339(json_integer_value(json_object_get(r, "current_release")), when,
				sizeof(when));
			rc = vg_buf_addf(out, "\"%s\",\"%s\"\n", path + prefix, when);
		} else
			rc = vg_buf_addf(out, "%s\n", path + prefix);
		if (rc)
			break;
	}
	json_decref(rows);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* The label whose folder name starts rest and is followed by stop ('/' or
 * '.'); *used is the folder name's length. NULL when none. */
static const char *tlp_at(const char *rest, char stop, size_t *used)
{
	for (size_t i = 0; i < N_TLP; i++) {
		size_t l = strlen(tlp_folders[i]);
		if (!strncmp(rest, tlp_folders[i], l) && rest[l] == stop) {
			*used = l;
			return tlp_labels[i];
		}
	}
	return NULL;
}

int provider_render(struct store *s, const char *path, struct vg_buf *out, const char **ctype,
		    struct vg_error *err)
{
	static const char prefix[] = "/.well-known/csaf/";
	const char *tlp;
	size_t used = 0;
	*ctype = "application/json";
	if (strncmp(path, prefix, sizeof(prefix) - 1) != 0)
		return vg_error_set(err, VG_ENOTFOUND, "%s: not in the CSAF tree", path);
	const char *rest = path + sizeof(prefix) - 1;
	if (!strcmp(rest, "provider-metadata.json"))
		return metadata(s, out, err);
	if (!strncmp(rest, "feed-tlp-", 9) && (tlp = tlp_at(rest + 9, '.', &used)) &&
	    !strcmp(rest + 9 + used, ".json"))
		return rolie_feed(s, tlp, out, err);
	if (!strncmp(rest, "openpgp/", 8) && ends_with(rest, ".asc")) {
		char fpr[80], *key = NULL;
		size_t l = strlen(rest + 8) - 4;
		if (l == 0 || l >= sizeof(fpr))
			return vg_error_set(err, VG_ENOTFOUND, "%s: no such key", path);
		memcpy(fpr, rest + 8, l);
		fpr[l] = '\0';
		int rc = store_query_text(s, &key, err,
					  "SELECT public_key FROM csaf_provider_keys WHERE "
					  "UPPER(fingerprint) = UPPER(?)",
					  "t", fpr);
		if (!rc && key)
			rc = vg_buf_adds(out, key);
		else if (!rc || rc == VG_ENOTFOUND)
			rc = vg_error_set(err, VG_ENOTFOUND, "%s: no such key", path);
		free(key);
		*ctype = "application/pgp-keys";
		return rc;
	}
	if (!(tlp = tlp_at(rest, '/', &used)))
		return vg_error_set(err, VG_ENOTFOUND, "%s: not published", path);
	if (!strcmp(rest + used, "/index.txt")) {
		*ctype = "text/plain; charset=utf-8";
		return listing(s, tlp, 0, out, err);
	}
	if (!strcmp(rest + used, "/changes.csv")) {
		*ctype = "text/csv; charset=utf-8";
		return listing(s, tlp, 1, out, err);
	}
	/* a document or one of its companions */
	char doc[700];
	const char *col = "data";
	snprintf(doc, sizeof(doc), "%s", path);
	if (ends_with(doc, ".json.sha256"))
		col = "sha256", doc[strlen(doc) - 7] = '\0', *ctype = "text/plain; charset=utf-8";
	else if (ends_with(doc, ".json.sha512"))
		col = "sha512", doc[strlen(doc) - 7] = '\0', *ctype = "text/plain; charset=utf-8";
	else if (ends_with(doc, ".json.asc"))
		col = "signature", doc[strlen(doc) - 4] = '\0',
		*ctype = "application/pgp-signature";
	else if (!ends_with(doc, ".json"))
		return vg_error_set(err, VG_ENOTFOUND, "%s: not published", path);
	struct store_stmt *st = NULL;
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "SELECT %s, path FROM csaf_provider_documents WHERE path = ? AND tlp = ? "
		 "ORDER BY id DESC LIMIT 1",
		 col);
	int rc = store_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, doc);
	store_bind_text(st, 2, tlp);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		size_t n = 0;
		const void *p = store_col_blob(st, 0, &n);
		rc = vg_buf_add(out, p, n);
		if (!rc && strcmp(col, "sha256") == 0) /* sha256sum format */
			rc = vg_buf_addf(out, "  %s\n", strrchr(doc, '/') + 1);
		else if (!rc && strcmp(col, "sha512") == 0)
			rc = vg_buf_addf(out, "  %s\n", strrchr(doc, '/') + 1);
	} else if (rc == STORE_DONE)
		rc = vg_error_set(err, VG_ENOTFOUND, "%s: not published", path);
	store_finalize(st);
	return rc;
}

/* ---- the public routes ---- */

static int tree_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf b;
	struct vg_error err = {0};
	const char *ctype = NULL;
	vg_buf_init(&b, 0);
	int rc = provider_render(req->db, req->path, &b, &ctype, &err);
	if (rc) {
		vg_buf_release(&b);
		return http_fail(resp, &err);
	}
	rc = http_text(resp, 200, ctype, b.data ? b.data : "", b.len);
	vg_buf_release(&b);
	return rc;
}

/* clang-format off */
#define PROTECTED(p, label)                                                                  \
	{"GET", "/.well-known/csaf/" p, ROLE_READ, HTTP_PUBLIC_FACE, tree_get,                                \
	 "The TLP:" label " part of the CSAF provider tree (CSAF 2.0 requirement 7.1.5: access " \
	 "protected, a session or an API token)", "advisory"}
const struct http_route provider_routes[] = {
    /* first match wins: the protected TLP labels before the open tree */
    PROTECTED("green/*", "GREEN"),
    PROTECTED("amber/*", "AMBER"),
    PROTECTED("red/*", "RED"),
    PROTECTED("feed-tlp-green.json", "GREEN"),
    PROTECTED("feed-tlp-amber.json", "AMBER"),
    PROTECTED("feed-tlp-red.json", "RED"),
    {"GET", "/.well-known/csaf/*", ROLE_PUBLIC, HTTP_PUBLIC_FACE, tree_get,
     "The trusted CSAF provider (CSAF 2.0 section 7): provider-metadata.json, TLP:WHITE "
     "documents with .sha256, .sha512 and .asc, index.txt, changes.csv, the ROLIE feed, "
     "the OpenPGP keys", "advisory"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
#undef PROTECTED
/* clang-format on */
