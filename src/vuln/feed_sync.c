/*
 * feed_sync.c - `vigil feed sync`: fetch the configured feed URLs with
 * libcurl, incrementally, and import what changed (feeds.h).
 *
 * Why the bookkeeping: feeds are large (the OSV dump is about 1 GB, NVD
 * rate-limits clients), so every URL remembers its validators (ETag,
 * Last-Modified) and a cursor (the start time of its last successful
 * sync) and sends them back; an unchanged feed costs one 304.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/redact.h"
#include "store/store.h"
#include "vuln/feeds.h"
#include "vuln/osv.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/banned.h"

#define SYNC_MAX_BODY (1024u << 20) /* the OSV all.zip dump is about 1 GB */
#define NVD_WINDOW    (120 * 86400) /* NVD's longest date range */
#define NVD_MAX_PAGES 10000
#define MAX_URLS      32
#define VALIDATOR_MAX 512

struct resp {
	struct vg_buf body;
	long status;
	char etag[VALIDATOR_MAX];
	char last_modified[VALIDATOR_MAX];
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *u)
{
	struct resp *r = u;
	size_t n = size * nmemb;
	return vg_buf_add(&r->body, p, n) ? 0 : n;
}

/* Keep the value of header name (without trailing blanks) into out. */
static void header_value(const char *p, size_t n, size_t k, char *out, size_t outsz)
{
	size_t e = n;
	while (k < n && (p[k] == ' ' || p[k] == '\t'))
		k++;
	while (e > k && isspace((unsigned char)p[e - 1]))
		e--;
	snprintf(out, outsz, "%.*s", (int)(e - k), p + k);
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *u)
{
	struct resp *r = u;
	size_t n = size * nmemb;
	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		r->etag[0] = r->last_modified[0] = '\0';
	} else if (n > 5 && strncasecmp(p, "ETag:", 5) == 0) {
		header_value(p, n, 5, r->etag, sizeof(r->etag));
	} else if (n > 14 && strncasecmp(p, "Last-Modified:", 14) == 0) {
		header_value(p, n, 14, r->last_modified, sizeof(r->last_modified));
	}
	return n;
}

/* A feed URL as shown in errors, logs and audit records (its token or key
 * masked, core/redact.h); the clear one is only fetched. */
static const char *shown(const char *url, char *buf, size_t n)
{
	vg_redact_url(url, buf, n);
	return buf;
}

/* GET url with the validators (may be NULL); r->status 0 on transport
 * failure (err set). */
static int fetch(const char *url, const char *etag, const char *lastmod, struct resp *r,
		 struct vg_error *err)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char ebuf[CURL_ERROR_SIZE] = "", line[VALIDATOR_MAX + 32];
	const char *cacert = vg_config_get("feeds.cacert", NULL);
	CURLcode cc;
	int rc = VG_OK;

	if (!h)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (etag && *etag) {
		snprintf(line, sizeof(line), "If-None-Match: %s", etag);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (lastmod && *lastmod) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", lastmod);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (vg_config_get("feeds.nvd_api_key", NULL) && strstr(url, "/rest/json/cves/")) {
		snprintf(line, sizeof(line), "apiKey: %.400s",
			 vg_config_get("feeds.nvd_api_key", ""));
		hdrs = curl_slist_append(hdrs, line);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)vg_config_int("feeds.timeout", 600));
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "vigil feed sync");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, cacert);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)SYNC_MAX_BODY);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		char ub[1024];
		rc = vg_error_set(err, VG_EIO, "%s: %s", shown(url, ub, sizeof(ub)),
				  ebuf[0] ? ebuf : curl_easy_strerror(cc));
		r->status = 0;
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return rc;
}

/* "2026-01-02T03:04:05.000%2B00:00" (NVD's extended ISO-8601, URL-encoded). */
static void nvd_date(int64_t t, char *out, size_t n)
{
	char b[VG_TIME_BUFSZ];
	vg_time_format(t, b, sizeof(b));
	b[19] = '\0'; /* drop "Z" */
	snprintf(out, n, "%s.000%%2B00:00", b);
}

struct feed_state {
	char *etag, *last_modified;
	int64_t cursor;
	int known;
};

static void state_free(struct feed_state *f)
{
	free(f->etag);
	free(f->last_modified);
}

static int state_load(struct store *s, const char *url, struct feed_state *f, struct vg_error *err)
{
	json_t *rows = NULL, *r;
	int rc;
	memset(f, 0, sizeof(*f));
	rc = store_query_json(s, &rows, err,
			      "SELECT etag, last_modified, cursor FROM feed_sync WHERE url = ?",
			      "t", url);
	if (rc)
		return rc;
	if ((r = json_array_get(rows, 0))) {
		f->known = 1;
		f->etag = vg_json_str(r, "etag") ? strdup(vg_json_str(r, "etag")) : NULL;
		f->last_modified = vg_json_str(r, "last_modified")
				       ? strdup(vg_json_str(r, "last_modified"))
				       : NULL;
		f->cursor = vg_json_int(r, "cursor", 0);
	}
	json_decref(rows);
	return VG_OK;
}

static int state_save(struct store *s, const char *url, const char *kind, const struct resp *r,
		      const struct feed_state *old, int64_t cursor, struct vg_error *err)
{
	/* A 304 carries no new validators: keep the old ones. */
	const char *etag = r->status == 304 || !r->etag[0] ? old->etag : r->etag;
	const char *lm =
	    r->status == 304 || !r->last_modified[0] ? old->last_modified : r->last_modified;
	json_t *after;
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	if (old->known)
		rc = store_exec(s, err,
				"UPDATE feed_sync SET kind = ?, etag = ?, last_modified = ?, "
				"cursor = ?, synced_at = ?, status = ? WHERE url = ?",
				"tttiiit", kind, etag, lm, cursor, vg_now(), (int64_t)r->status,
				url);
	else
		rc = store_exec(s, err,
				"INSERT INTO feed_sync (url, kind, etag, last_modified, cursor, "
				"synced_at, status) VALUES (?,?,?,?,?,?,?)",
				"ttttiii", url, kind, etag, lm, cursor, vg_now(),
				(int64_t)r->status);
	if (!rc) {
		char ub[1024];
		after = json_pack("{s:s, s:s, s:I}", "url", shown(url, ub, sizeof(ub)), "kind",
				  kind, "status", (json_int_t)r->status);
		rc = store_audit(s, "feed.sync", "feed", kind, NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	else
		store_tx_rollback(s);
	return rc;
}

struct sync {
	struct store *s;
	feeds_skip_fn skip;
	void *arg;
	struct vulndb_stats *st;
	long fetched, not_modified, failed;
};

static void say(struct sync *y, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct sync *y, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (y->skip)
		y->skip(y->arg, msg);
}

/* The body of an OSV URL, read through osv_read_path (zip dumps need a
 * file). */
static int import_osv_body(struct sync *y, const char *url, const struct resp *r,
			   struct vg_error *err)
{
	char tmpl[] = "/tmp/vigil-osv-XXXXXX", path[64];
	const char *q = strchr(url, '?'), *ext = ".json";
	size_t ul = q ? (size_t)(q - url) : strlen(url);
	int fd, rc;
	FILE *f;
	if (ul > 4 && strncmp(url + ul - 4, ".zip", 4) == 0)
		ext = ".zip";
	else if (ul > 5 && (strncmp(url + ul - 5, ".yaml", 5) == 0))
		ext = ".yaml";
	fd = mkstemp(tmpl);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "cannot create a temporary file");
	snprintf(path, sizeof(path), "%s%s", tmpl, ext);
	close(fd);
	unlink(tmpl);
	f = fopen(path, "wx");
	if (!f)
		return vg_error_set(err, VG_EIO, "%s: cannot create", path);
	if (r->body.len && fwrite(r->body.data, 1, r->body.len, f) != r->body.len) {
		fclose(f);
		unlink(path);
		return vg_error_set(err, VG_EIO, "%s: cannot write", path);
	}
	fclose(f);
	rc = vulndb_import_osv(y->s, path, y->skip, y->arg, y->st, err);
	unlink(path);
	return rc;
}

static const char *url_sep(const char *url)
{
	return strchr(url, '?') ? "&" : "?";
}

/* One NVD URL: pages of the modified window since the cursor. */
static int sync_nvd(struct sync *y, const char *url, struct feed_state *fs, struct resp *last,
		    int *imported, struct vg_error *err)
{
	int64_t now = vg_now(), end = now;
	struct vulndb_import *im = NULL;
	long long start = 0;
	int rc = VG_OK;
	char a[64], b[64], ub[1024];

	if (fs->cursor > 0) {
		if (end - fs->cursor > NVD_WINDOW)
			end = fs->cursor + NVD_WINDOW;
		nvd_date(fs->cursor, a, sizeof(a));
		nvd_date(end, b, sizeof(b));
	}
	for (int page = 0; page < NVD_MAX_PAGES; page++) {
		struct vg_buf u = VG_BUF_INIT;
		struct resp r;
		json_t *meta;
		long long total, per;
		memset(&r, 0, sizeof(r));
		vg_buf_init(&r.body, SYNC_MAX_BODY);
		vg_buf_adds(&u, url);
		if (fs->cursor > 0)
			vg_buf_addf(&u, "%slastModStartDate=%s&lastModEndDate=%s", url_sep(url), a,
				    b);
		if (start > 0)
			vg_buf_addf(&u, "%sstartIndex=%lld", strchr(u.data, '?') ? "&" : "?",
				    start);
		/* Validators only for the first page of a window: they describe it. */
		rc =
		    fetch(u.data, page ? NULL : fs->etag, page ? NULL : fs->last_modified, &r, err);
		vg_buf_release(&u);
		if (!rc && r.status != 200 && r.status != 304)
			rc = vg_error_set(err, VG_EIO, "%s: HTTP status %ld",
					  shown(url, ub, sizeof(ub)), r.status);
		if (!rc && page == 0) {
			last->status = r.status;
			memcpy(last->etag, r.etag, sizeof(r.etag));
			memcpy(last->last_modified, r.last_modified, sizeof(r.last_modified));
		}
		if (rc || r.status == 304) {
			vg_buf_release(&r.body);
			break;
		}
		if (!im && (rc = vulndb_import_begin(y->s, "nvd", url, &im, err))) {
			vg_buf_release(&r.body);
			break;
		}
		rc = feeds_import_nvd_buffer(im, r.body.data ? r.body.data : "", r.body.len, url,
					     y->skip, y->arg, NULL, err);
		*imported = 1;
		meta = r.body.len ? vg_json_parse(r.body.data, r.body.len, url, NULL) : NULL;
		total = vg_json_int(meta, "totalResults", 0);
		per = vg_json_int(meta, "resultsPerPage", 0);
		start = vg_json_int(meta, "startIndex", 0) + per;
		json_decref(meta);
		vg_buf_release(&r.body);
		if (rc || per <= 0 || start >= total)
			break;
	}
	if (im) {
		if (rc)
			vulndb_import_abort(im);
		else
			rc = vulndb_import_end(im, y->st, err);
	}
	if (!rc)
		fs->cursor = end;
	return rc;
}

static int sync_url(struct sync *y, const char *kind, const char *url, struct vg_error *err)
{
	struct feed_state fs;
	struct resp r;
	int64_t started = vg_now();
	int rc, imported = 0;
	char ub[1024];

	memset(&r, 0, sizeof(r));
	vg_buf_init(&r.body, SYNC_MAX_BODY);
	rc = state_load(y->s, url, &fs, err);
	if (rc)
		return rc;
	if (strcmp(kind, "nvd") == 0) {
		rc = sync_nvd(y, url, &fs, &r, &imported, err);
	} else {
		struct vg_buf u = VG_BUF_INIT;
		vg_buf_adds(&u, url);
		if (strcmp(kind, "osv") == 0 && fs.cursor > 0) {
			char t[VG_TIME_BUFSZ];
			vg_time_format(fs.cursor, t, sizeof(t));
			vg_buf_addf(&u, "%smodified=%s", url_sep(url), t);
		}
		rc = fetch(u.data, fs.etag, fs.last_modified, &r, err);
		vg_buf_release(&u);
		if (!rc && r.status != 200 && r.status != 304)
			rc = vg_error_set(err, VG_EIO, "%s: HTTP status %ld",
					  shown(url, ub, sizeof(ub)), r.status);
		if (!rc && r.status == 200) {
			imported = 1;
			if (strcmp(kind, "osv") == 0) {
				rc = import_osv_body(y, url, &r, err);
			} else if (strcmp(kind, "kev") == 0) {
				rc =
				    vulndb_import_kev(y->s, r.body.data ? r.body.data : "",
						      r.body.len, url, y->skip, y->arg, y->st, err);
			} else {
				struct vulndb_import *im = NULL;
				rc = vulndb_import_begin(y->s, "csaf", url, &im, err);
				if (!rc)
					rc = feeds_import_csaf_buffer(
					    im, r.body.data ? r.body.data : "", r.body.len, url,
					    y->skip, y->arg, err);
				if (rc)
					vulndb_import_abort(im);
				else
					rc = vulndb_import_end(im, y->st, err);
			}
		}
		if (!rc)
			fs.cursor = started;
	}
	if (!rc) {
		if (r.status == 304)
			y->not_modified++;
		else if (imported)
			y->fetched++;
		rc = state_save(y->s, url, kind, &r, &fs, fs.cursor, err);
	}
	vg_buf_release(&r.body);
	state_free(&fs);
	return rc;
}

int feeds_sync(struct store *s, feeds_skip_fn skip, void *arg, struct vulndb_stats *st,
	       long *fetched, long *not_modified, struct vg_error *err)
{
	static const char *const kinds[] = {"osv", "nvd", "csaf", "kev"};
	struct sync y = {s, skip, arg, st, 0, 0, 0};
	struct vg_error first = {0};
	int any = 0, rc = VG_OK;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char key[32], *list, *save = NULL, *tok;
		const char *v;
		int n = 0;
		snprintf(key, sizeof(key), "feeds.%s_url", kinds[k]);
		v = vg_config_get(key, NULL);
		if (!v || !*v)
			continue;
		if (!(list = strdup(v)))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		for (tok = strtok_r(list, " \t,", &save); tok && n < MAX_URLS;
		     tok = strtok_r(NULL, " \t,", &save), n++) {
			struct vg_error e = {0};
			any = 1;
			if (sync_url(&y, kinds[k], tok, &e) != VG_OK) {
				y.failed++;
				char ub[1024];
				say(&y, "%s feed %s: %s", kinds[k], shown(tok, ub, sizeof(ub)),
				    vg_error_msg(&e));
				if (!first.code)
					first = e;
			}
		}
		free(list);
	}
	if (fetched)
		*fetched = y.fetched;
	if (not_modified)
		*not_modified = y.not_modified;
	if (!any)
		return vg_error_set(err, VG_EINVAL,
				    "no feed URL configured: set feeds.osv_url, feeds.nvd_url, "
				    "feeds.csaf_url or feeds.kev_url");
	if (y.failed)
		rc = vg_error_set(err, first.code ? first.code : VG_EIO,
				  "%ld feed URL(s) failed; first: %s", y.failed,
				  vg_error_msg(&first));
	return rc;
}
