#define _XOPEN_SOURCE 700
/*
 * provider_check.c - `vigil advisory provider check`: the published tree
 * read the way a CSAF consumer (and the BSI csaf_checker) reads it, from
 * provider-metadata.json down to every document, against the requirements
 * of CSAF 2.0 section 7.1 for the role csaf_trusted_provider:
 *
 *   7.1.1 valid documents (csaf_check: schema and mandatory tests)
 *   7.1.2 file names (section 5.1)      7.1.3 TLS (https)
 *   7.1.4 TLP:WHITE served openly       7.1.6 no redirects
 *   7.1.7 provider-metadata.json (provider schema, role, canonical_url)
 *   7.1.8 security.txt CSAF field (a warning: 7.1.9 is met)
 *   7.1.9 the well-known URL            7.1.11 one folder per year
 *   7.1.12 index.txt                    7.1.13 changes.csv
 *   7.1.15 ROLIE feed                   7.1.18 .sha256 / .sha512
 *   7.1.19 .asc signatures              7.1.20 the public OpenPGP keys
 *
 *   7.1.5 TLP:AMBER and TLP:RED access protected (over HTTP: an anonymous
 *         request is refused; their content is checked from the store)
 *
 * 7.1.10 (DNS path), 7.1.14 (directory listings), 7.1.16 and 7.1.17 (ROLIE
 * service and category documents) are optional for this role: not checked.
 */
#include "advisory/csaf_check.h"
#include "advisory/provider.h"
#include "advisory/provider_int.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "schema/jsonschema.h"

#include <curl/curl.h>
#include <ftw.h>
#include <pthread.h>
#include <gpgme.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define FETCH_MAX (16 * 1024 * 1024)
#define WK        "/.well-known/csaf/"

struct run {
	const struct provider_source *src;
	struct provider_report *r;
	char base[600]; /* where the tree is read: the URL given, or server.public_url */
	char gpghome[512];
	gpgme_ctx_t gpg;
	json_t *key_fprs;
	json_t *seen_docs;
	int oom;
};

static void finding(struct run *x, int warning, const char *req, const char *url, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));
static void finding(struct run *x, int warning, const char *req, const char *url, const char *fmt,
		    ...)
{
	struct provider_report *r = x->r;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct provider_finding *p = realloc(r->v, cap * sizeof(*p));
		if (!p) {
			x->oom = 1;
			return;
		}
		r->v = p;
		r->cap = cap;
	}
	struct provider_finding *f = &r->v[r->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->requirement, sizeof(f->requirement), "%s", req);
	snprintf(f->url, sizeof(f->url), "%s", url ? url : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	f->warning = warning;
	if (warning)
		r->warnings++;
	else
		r->failures++;
}

#define FAILED(x, req, url, ...) finding((x), 0, (req), (url), __VA_ARGS__)
#define WARNED(x, req, url, ...) finding((x), 1, (req), (url), __VA_ARGS__)

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct vg_buf *b = arg;
	size_t n = size * nmemb;
	return vg_buf_add(b, p, n) == VG_OK ? n : 0;
}

/* GET url into out. Returns 0 when it was served (200); otherwise names
 * the failure under the requirement req and returns -1. */
static int get(struct run *x, const char *req, const char *url, struct vg_buf *out)
{
	vg_buf_reset(out);
	if (!x->src->base_url) {
		size_t bl = strlen(x->base);
		struct vg_error e = {0};
		const char *ctype;
		if (strncmp(url, x->base, bl) != 0) {
			FAILED(x, req, url, "not under the provider's base URL %s", x->base);
			return -1;
		}
		int rc = provider_render(x->src->s, url + bl, out, &ctype, &e);
		if (rc) {
			FAILED(x, req, url, "not served: %s", vg_error_msg(&e));
			return -1;
		}
		return 0;
	}
	if (x->src->fetch) {
		int st = x->src->fetch(x->src->fetch_arg, url, out);
		if (st == 0)
			return 0;
		if (st >= 300 && st < 400)
			FAILED(x, "7.1.6", url,
			       "answers with a redirect (HTTP %d): serve it directly", st);
		else
			FAILED(x, req, url, "HTTP status %d, expected 200", st);
		return -1;
	}
	CURL *h = curl_easy_init();
	long status = 0;
	if (!h) {
		x->oom = 1;
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)FETCH_MAX);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	if (x->src->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, x->src->cacert);
	CURLcode cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK) {
		FAILED(x, req, url, "cannot be fetched: %s", curl_easy_strerror(cc));
		return -1;
	}
	if (status >= 300 && status < 400) {
		FAILED(x, "7.1.6", url, "answers with a redirect (HTTP %ld): serve it directly",
		       status);
		return -1;
	}
	if (status != 200) {
		FAILED(x, req, url, "HTTP status %ld, expected 200", status);
		return -1;
	}
	return 0;
}

/* The HTTP status of an anonymous GET of url (-1 when it cannot be
 * fetched): how requirement 7.1.5 is seen from outside. */
static long probe(struct run *x, const char *url)
{
	struct vg_buf b;
	long status = -1;
	vg_buf_init(&b, FETCH_MAX);
	if (x->src->fetch) {
		int st = x->src->fetch(x->src->fetch_arg, url, &b);
		vg_buf_release(&b);
		return st == 0 ? 200 : st;
	}
	CURL *h = curl_easy_init();
	if (!h) {
		vg_buf_release(&b);
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	if (x->src->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, x->src->cacert);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	vg_buf_release(&b);
	return status;
}

/* The TLP label of a distribution's folder or feed URL (".../amber/",
 * ".../feed-tlp-amber.json"); NULL when the URL names none. */
static const char *tlp_of(const char *url)
{
	static const char *const labels[] = {"WHITE", "GREEN", "AMBER", "RED"};
	static const char *const names[] = {"white", "green", "amber", "red"};
	const char *w = url ? strstr(url, WK) : NULL;
	if (!w)
		return NULL;
	w += strlen(WK);
	for (size_t i = 0; i < 4; i++) {
		size_t l = strlen(names[i]);
		if ((!strncmp(w, names[i], l) && (w[l] == '/' || w[l] == '\0')) ||
		    (!strncmp(w, "feed-tlp-", 9) && !strncmp(w + 9, names[i], l) &&
		     w[9 + l] == '.'))
			return labels[i];
	}
	return NULL;
}

/* Requirement 7.1.5 over HTTP: TLP:AMBER and TLP:RED must not be served to
 * anyone. Returns 1 when url is access protected (its content cannot be
 * read without credentials: checked from the store instead), 0 when the
 * content is to be checked. */
static int protected_part(struct run *x, const char *url, const char *tlp)
{
	if (!x->src->base_url || !tlp || !strcmp(tlp, "WHITE"))
		return 0;
	long st = probe(x, url);
	if (st == 401 || st == 403) {
		WARNED(x, "7.1.5", url,
		       "TLP:%s is access protected (HTTP %ld): its documents are checked from the "
		       "store (provider check without --url)",
		       tlp, st);
		return 1;
	}
	if (st == 200 && strcmp(tlp, "GREEN") != 0)
		FAILED(x, "7.1.5", url, "TLP:%s is served without access control", tlp);
	return 0;
}

/* ---- OpenPGP: a throw-away home with the provider's public keys ---- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static int gpg_start(struct run *x)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(x->gpghome, sizeof(x->gpghome), "%s/vigil-csafchk-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(x->gpghome)) {
		x->gpghome[0] = '\0';
		return -1;
	}
	if (!gpgme_check_version(NULL) || gpgme_new(&x->gpg) ||
	    gpgme_set_protocol(x->gpg, GPGME_PROTOCOL_OpenPGP) ||
	    gpgme_ctx_set_engine_info(x->gpg, GPGME_PROTOCOL_OpenPGP, NULL, x->gpghome))
		return -1;
	return 0;
}

static void gpg_stop(struct run *x)
{
	if (x->gpg)
		gpgme_release(x->gpg);
	x->gpg = NULL;
	if (x->gpghome[0])
		nftw(x->gpghome, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Import one armored key; 1 when it holds the fingerprint fpr. */
static int gpg_import(struct run *x, const struct vg_buf *key, const char *fpr)
{
	gpgme_data_t d = NULL;
	int found = 0;
	if (!x->gpg || gpgme_data_new_from_mem(&d, key->data ? key->data : "", key->len, 0))
		return 0;
	if (gpgme_op_import(x->gpg, d) == 0) {
		gpgme_import_result_t res = gpgme_op_import_result(x->gpg);
		for (gpgme_import_status_t st = res ? res->imports : NULL; st; st = st->next)
			if (st->fpr && !st->result && !strcasecmp(st->fpr, fpr))
				found = 1;
	}
	gpgme_data_release(d);
	return found;
}

/* 1 when sig is a good signature of data by one of the imported keys. */
static int gpg_verify(struct run *x, const struct vg_buf *data, const struct vg_buf *sig, char *why,
		      size_t n)
{
	gpgme_data_t s = NULL, d = NULL;
	int good = 0;
	snprintf(why, n, "not a signature");
	if (!x->gpg || gpgme_data_new_from_mem(&s, sig->data ? sig->data : "", sig->len, 0) ||
	    gpgme_data_new_from_mem(&d, data->data ? data->data : "", data->len, 0)) {
		gpgme_data_release(s);
		return 0;
	}
	gpgme_error_t ge = gpgme_op_verify(x->gpg, s, d, NULL);
	gpgme_verify_result_t vr = ge ? NULL : gpgme_op_verify_result(x->gpg);
	if (ge)
		snprintf(why, n, "%s", gpgme_strerror(ge));
	for (gpgme_signature_t g = vr ? vr->signatures : NULL; g; g = g->next) {
		if (gpgme_err_code(g->status) == GPG_ERR_NO_ERROR) {
			good = 1;
			break;
		}
		snprintf(why, n, "%s (key %s)", gpgme_strerror(g->status), g->fpr ? g->fpr : "?");
	}
	gpgme_data_release(s);
	gpgme_data_release(d);
	return good;
}

/* ---- the documents ---- */

static int year_of(const char *date)
{
	int y = 0;
	return date && sscanf(date, "%4d-", &y) == 1 ? y : 0;
}

/* The hash file's first word: "<hex>  <name>" or "<hex>". */
static int hash_matches(const struct vg_buf *file, const char *want)
{
	size_t l = strlen(want);
	return file->len >= l && strncasecmp(file->data, want, l) == 0 &&
	       (file->len == l || file->data[l] == ' ' || file->data[l] == '\n' ||
		file->data[l] == '\t' || file->data[l] == '\r');
}

static void check_document(struct run *x, const char *url, const char *tlp, const char *rel)
{
	struct vg_buf doc, aux;
	if (json_object_get(x->seen_docs, url))
		return;
	json_object_set_new(x->seen_docs, url, json_true());
	vg_buf_init(&doc, FETCH_MAX);
	vg_buf_init(&aux, FETCH_MAX);
	if (get(x, "7.1.1", url, &doc))
		goto out;
	x->r->documents++;
	struct csaf_check_result cr;
	struct vg_error e = {0};
	if (csaf_check(doc.data ? doc.data : "", doc.len, &cr, &e) != VG_OK) {
		FAILED(x, "7.1.1", url, "cannot be checked: %s", vg_error_msg(&e));
		goto out;
	}
	for (size_t i = 0; i < cr.n; i++)
		if (cr.issues[i].kind != CSAF_CHECK_RECOMMENDED) {
			FAILED(x, "7.1.1", url, "test %s at %s: %s", cr.issues[i].test,
			       cr.issues[i].path[0] ? cr.issues[i].path : "/",
			       cr.issues[i].message);
		}
	csaf_check_result_free(&cr);
	json_t *d = json_loadb(doc.data ? doc.data : "", doc.len, 0, NULL);
	json_t *dd = json_object_get(d, "document");
	const char *tid = vg_json_str(json_object_get(dd, "tracking"), "id");
	const char *label =
	    vg_json_str(json_object_get(json_object_get(dd, "distribution"), "tlp"), "label");
	char name[600];
	const char *slash = strrchr(url, '/');
	if (tid && csaf_file_name(tid, name, sizeof(name)) == VG_OK && slash &&
	    strcmp(slash + 1, name) != 0)
		FAILED(x, "7.1.2", url, "the file name for tracking id '%s' is %s, not %s", tid,
		       name, slash + 1);
	if (tlp && (!label || strcasecmp(label, tlp) != 0))
		FAILED(x, "7.1.4", url, "served as TLP:%s but labelled TLP:%s", tlp,
		       label ? label : "(none)");
	if (rel) {
		int y =
		    year_of(vg_json_str(json_object_get(dd, "tracking"), "initial_release_date"));
		int fy = 0;
		char extra;
		if (sscanf(rel, "%4d/%c", &fy, &extra) != 2 || strchr(rel, '/') != rel + 4 ||
		    fy != y)
			FAILED(x, "7.1.11", url,
			       "lies in folder '%.*s', expected the year of its initial release "
			       "(%d)",
			       (int)(strrchr(rel, '/') ? strrchr(rel, '/') - rel : 0), rel, y);
	}
	json_decref(d);
	/* 7.1.18 */
	char h256[VG_SHA256_HEX], h512[129], aurl[700];
	vg_sha256_hex(doc.data ? doc.data : "", doc.len, h256);
	provider_sha512_hex(doc.data ? doc.data : "", doc.len, h512);
	snprintf(aurl, sizeof(aurl), "%s.sha256", url);
	if (!get(x, "7.1.18", aurl, &aux) && !hash_matches(&aux, h256))
		FAILED(x, "7.1.18", aurl, "does not hold the SHA-256 of the document (%s)", h256);
	snprintf(aurl, sizeof(aurl), "%s.sha512", url);
	if (!get(x, "7.1.18", aurl, &aux) && !hash_matches(&aux, h512))
		FAILED(x, "7.1.18", aurl, "does not hold the SHA-512 of the document");
	snprintf(aurl, sizeof(aurl), "%s.asc", url);
	char why[300];
	if (!get(x, "7.1.19", aurl, &aux) && !gpg_verify(x, &doc, &aux, why, sizeof(why)))
		FAILED(x, "7.1.19", aurl,
		       "is not a good signature of the document by a key of the provider: %s", why);
out:
	vg_buf_release(&doc);
	vg_buf_release(&aux);
}

/* ---- distributions ---- */

static void check_directory(struct run *x, const char *dir)
{
	struct vg_buf b;
	char url[700];
	size_t dl = strlen(dir);
	int slash = dl && dir[dl - 1] == '/';
	const char *tlp = tlp_of(dir);
	snprintf(url, sizeof(url), "%s%sindex.txt", dir, slash ? "" : "/");
	if (protected_part(x, url, tlp))
		return;
	json_t *listed = json_object();
	vg_buf_init(&b, FETCH_MAX);
	if (!get(x, "7.1.12", url, &b)) {
		char *save = NULL, *text = strndup(b.data ? b.data : "", b.len);
		for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			size_t l = strlen(line);
			if (l && line[l - 1] == '\r')
				line[--l] = '\0';
			if (!l)
				continue;
			char durl[900];
			snprintf(durl, sizeof(durl), "%s%s%s", dir, slash ? "" : "/", line);
			json_object_set_new(listed, line, json_true());
			check_document(x, durl, tlp, line);
		}
		free(text);
		if (json_object_size(listed) == 0)
			WARNED(x, "7.1.12", url, "lists no document");
	}
	snprintf(url, sizeof(url), "%s%schanges.csv", dir, slash ? "" : "/");
	if (!get(x, "7.1.13", url, &b)) {
		char *save = NULL, *text = strndup(b.data ? b.data : "", b.len), prev[64] = "";
		size_t lineno = 0, n = 0;
		for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			char path[700], when[64];
			lineno++;
			if (sscanf(line, "\"%699[^\"]\",\"%63[^\"]\"", path, when) != 2) {
				FAILED(x, "7.1.13", url,
				       "line %zu: expected \"path\",\"RFC 3339 time\"", lineno);
				continue;
			}
			n++;
			if (!json_object_get(listed, path))
				FAILED(x, "7.1.13", url, "line %zu: %s is not in index.txt", lineno,
				       path);
			if (prev[0] && strcmp(when, prev) > 0)
				FAILED(x, "7.1.13", url,
				       "line %zu: not sorted newest first (%s after %s)", lineno,
				       when, prev);
			snprintf(prev, sizeof(prev), "%s", when);
		}
		free(text);
		if (n != json_object_size(listed))
			FAILED(x, "7.1.13", url, "has %zu entries, index.txt %zu", n,
			       json_object_size(listed));
	}
	json_decref(listed);
	vg_buf_release(&b);
}

static void check_feed(struct run *x, const json_t *feed)
{
	const char *url = vg_json_str(feed, "url"), *tlp = vg_json_str(feed, "tlp_label");
	struct vg_buf b;
	if (!url)
		return;
	if (!tlp)
		tlp = tlp_of(url);
	if (protected_part(x, url, tlp))
		return;
	vg_buf_init(&b, FETCH_MAX);
	if (get(x, "7.1.15", url, &b))
		goto out;
	json_t *f = json_loadb(b.data ? b.data : "", b.len, 0, NULL);
	json_t *entries = json_object_get(json_object_get(f, "feed"), "entry"), *e;
	size_t i;
	if (!json_is_array(entries))
		FAILED(x, "7.1.15", url, "is not a ROLIE feed (no feed.entry array)");
	json_array_foreach(entries, i, e)
	{
		const char *src = vg_json_str(json_object_get(e, "content"), "src");
		int hash = 0, sig = 0;
		json_t *l;
		size_t j;
		json_array_foreach(json_object_get(e, "link"), j, l)
		{
			const char *rel = vg_json_str(l, "rel");
			if (rel && !strcmp(rel, "hash"))
				hash = 1;
			if (rel && !strcmp(rel, "signature"))
				sig = 1;
			if (!src && rel && !strcmp(rel, "self"))
				src = vg_json_str(l, "href");
		}
		if (!src) {
			FAILED(x, "7.1.15", url, "entry %zu names no document", i);
			continue;
		}
		if (!hash)
			FAILED(x, "7.1.18", url, "entry %zu has no link of rel hash", i);
		if (!sig)
			FAILED(x, "7.1.19", url, "entry %zu has no link of rel signature", i);
		check_document(x, src, tlp, NULL);
	}
	json_decref(f);
out:
	vg_buf_release(&b);
}

/* ---- the whole ---- */

static int has(const struct vg_buf *b, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; b->data && n && i + n <= b->len; i++)
		if (!memcmp(b->data + i, needle, n))
			return 1;
	return 0;
}

/* The provider metadata schema, compiled once (like csaf_check's) and kept. */
static pthread_mutex_t provider_schema_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vg_jsonschema *provider_schema_set;

static struct vg_jsonschema *provider_schema(void)
{
	char dirbuf[512], path[700];
	struct vg_jsonschema *s = NULL;
	struct vg_error e = {0};
	pthread_mutex_lock(&provider_schema_lock);
	if (provider_schema_set)
		goto out;
	const char *dir = getenv("VIGIL_CSAF_SCHEMA_DIR");
	if (!dir || !*dir)
		dir = vg_jsonschema_dir("csaf", dirbuf, sizeof(dirbuf));
	if (!dir || vg_jsonschema_new(VG_JSONSCHEMA_DRAFT2020_12, &s, &e))
		goto out;
	snprintf(path, sizeof(path), "%s/csaf_json_schema.json", dir);
	if (vg_jsonschema_add_file(s, path, NULL, &e))
		goto fail;
	snprintf(path, sizeof(path), "%s/provider_json_schema.json", dir);
	if (vg_jsonschema_add_file(s, path, "urn:vigil:csaf-provider", &e))
		goto fail;
	provider_schema_set = s;
	goto out;
fail:
	vg_jsonschema_free(s);
out:
	pthread_mutex_unlock(&provider_schema_lock);
	return provider_schema_set;
}

int provider_check(const struct provider_source *src, struct provider_report *out,
		   struct vg_error *err)
{
	struct run x = {0};
	struct vg_buf b;
	json_t *m = NULL;
	memset(out, 0, sizeof(*out));
	x.src = src;
	x.r = out;
	if (src->base_url) {
		size_t l = strlen(src->base_url);
		while (l && src->base_url[l - 1] == '/')
			l--;
		snprintf(x.base, sizeof(x.base), "%.*s", (int)l, src->base_url);
	} else
		provider_base_url(x.base, sizeof(x.base));
	x.seen_docs = json_object();
	x.key_fprs = json_array();
	vg_buf_init(&b, FETCH_MAX);
	snprintf(out->metadata_url, sizeof(out->metadata_url), "%s" WK "provider-metadata.json",
		 x.base);
	if (strncasecmp(x.base, "https://", 8) != 0)
		finding(&x, src->allow_http, "7.1.3", x.base, "the tree is not served over HTTPS");
	if (!src->no_openpgp && gpg_start(&x))
		FAILED(&x, "7.1.19", "", "cannot set up GnuPG to verify signatures");
	if (get(&x, "7.1.9", out->metadata_url, &b))
		goto done;
	json_error_t je;
	m = json_loadb(b.data ? b.data : "", b.len, 0, &je);
	if (!json_is_object(m)) {
		FAILED(&x, "7.1.7", out->metadata_url, "not a JSON object (line %d: %s)", je.line,
		       je.text);
		goto done;
	}
	struct vg_jsonschema *ps = provider_schema();
	if (!ps)
		FAILED(&x, "7.1.7", out->metadata_url,
		       "the provider metadata schema is not installed (share/vigil/schemas/csaf)");
	else {
		struct vg_jsonschema_result res = {0};
		struct vg_jsonschema_opts o = {.assert_format = 1, .max_errors = 20};
		struct vg_error e = {0};
		if (vg_jsonschema_validate(ps, "urn:vigil:csaf-provider", m, &o, &res, &e) != VG_OK)
			FAILED(&x, "7.1.7", out->metadata_url, "schema check could not run: %s",
			       vg_error_msg(&e));
		for (size_t i = 0; i < res.n_errors; i++)
			FAILED(&x, "7.1.7", out->metadata_url, "%s: %s",
			       res.errors[i].instance[0] ? res.errors[i].instance : "/",
			       res.errors[i].message);
		vg_jsonschema_result_release(&res);
	}
	const char *role = vg_json_str(m, "role"), *canon = vg_json_str(m, "canonical_url");
	if (!role || strcmp(role, "csaf_trusted_provider") != 0)
		FAILED(&x, "7.1.7", out->metadata_url, "role is %s, not csaf_trusted_provider",
		       role ? role : "(none)");
	if (!canon || strcmp(canon, out->metadata_url) != 0)
		FAILED(&x, "7.1.7", out->metadata_url,
		       "canonical_url is %s, not the URL it is served at",
		       canon ? canon : "(none)");
	/* 7.1.8: security.txt names the metadata (7.1.9 holds, so a warning) */
	{
		char st[700];
		snprintf(st, sizeof(st), "%s/.well-known/security.txt", x.base);
		if (src->base_url) {
			struct provider_report *keep = x.r;
			struct provider_report tmp = {0};
			x.r = &tmp; /* a missing security.txt is reported below */
			int got = !get(&x, "7.1.8", st, &b);
			free(tmp.v);
			x.r = keep;
			if (!got || !has(&b, "CSAF: ") || !has(&b, out->metadata_url))
				WARNED(&x, "7.1.8", st, "has no CSAF: field naming %s",
				       out->metadata_url);
		}
	}
	/* 7.1.20 */
	json_t *keys = json_object_get(m, "public_openpgp_keys"), *k;
	size_t i;
	if (!json_array_size(keys))
		FAILED(&x, "7.1.20", out->metadata_url, "names no public OpenPGP key");
	json_array_foreach(keys, i, k)
	{
		const char *fpr = vg_json_str(k, "fingerprint"), *url = vg_json_str(k, "url");
		if (!url)
			continue;
		if (!get(&x, "7.1.20", url, &b) && fpr && !gpg_import(&x, &b, fpr))
			FAILED(&x, "7.1.20", url, "does not hold the key with fingerprint %s", fpr);
	}
	json_t *dist = json_object_get(m, "distributions"), *d;
	json_array_foreach(dist, i, d)
	{
		const char *dir = vg_json_str(d, "directory_url");
		if (dir)
			check_directory(&x, dir);
		json_t *feeds = json_object_get(json_object_get(d, "rolie"), "feeds"), *f;
		size_t j;
		json_array_foreach(feeds, j, f) check_feed(&x, f);
	}
	if (out->documents == 0)
		WARNED(&x, "7.1.1", out->metadata_url, "the tree holds no document");
done:
	gpg_stop(&x);
	json_decref(m);
	json_decref(x.seen_docs);
	json_decref(x.key_fprs);
	vg_buf_release(&b);
	if (x.oom) {
		provider_report_free(out);
		return vg_error_set(err, VG_ENOMEM, "provider check: out of memory");
	}
	return VG_OK;
}

void provider_report_free(struct provider_report *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

json_t *provider_report_to_json(const struct provider_report *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(
		    items, json_pack("{s:s, s:s, s:s, s:s}", "requirement", r->v[i].requirement,
				     "severity", r->v[i].warning ? "warning" : "failure", "url",
				     r->v[i].url, "message", r->v[i].message));
	return json_pack("{s:b, s:s, s:I, s:I, s:I, s:o}", "passes", r->failures == 0,
			 "provider_metadata", r->metadata_url, "documents",
			 (json_int_t)r->documents, "failures", (json_int_t)r->failures, "warnings",
			 (json_int_t)r->warnings, "findings", items);
}
