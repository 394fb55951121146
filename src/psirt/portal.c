/*
 * portal.c - the public coordinated vulnerability disclosure portal:
 * /report (a form that works without JavaScript), the CVD policy page, the
 * PSIRT's public OpenPGP key, and the reporter's private tracking page with
 * its message form. Also the PSIRT's download of a report's attachments.
 *
 * Rules:
 *  - Everything a reporter sends is stored as given and always written into
 *    pages through http/html.h; pages carry no inline script or style
 *    (the Content-Security-Policy forbids them).
 *  - Abuse limits need no third-party service and never slow down a person
 *    who pastes a prepared report: a form token signed by the server
 *    (HMAC-SHA256 over issue time and a random nonce; psirt.form_secret or a
 *    per-process random key), refused when older than psirt.form_max_age
 *    seconds or already used (the nonce is stored with the case, in the same
 *    transaction); a honeypot field (a filled one is refused quietly: the
 *    sender sees a neutral page, nothing is stored); the per-address report
 *    rate and per-report message rate of cases.c; size limits on every field
 *    and file. There is no minimum time between loading and sending.
 *  - The tracking link is e-mailed to a reporter who gives an address,
 *    through an e-mail notification channel (notify_mail_direct: the
 *    address and the link are sealed in the queue, never logged).
 *  - A refused form is shown again with everything the reporter typed (files
 *    must be chosen again: browsers do not allow otherwise) and a message
 *    naming the field.
 *  - Tracking tokens are never logged (nothing here logs a path).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/text.h"
#include "core/hash.h"
#include "core/log.h"
#include "http/attach.h"
#include "http/html.h"
#include "http/http.h"
#include "http/multipart.h"
#include "notify/notify.h"
#include "psirt/cases.h"
#include "psirt/psirt_int.h"
#include "reach/reach.h"
#include "store/store.h"

#include <ctype.h>
#include <stdarg.h>
#include <gpgme.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define FORM_TOKEN_MAX 200
#define TEXT_BODY_MAX  (1024 * 1024) /* the form's text beside its files */
#define KEY_CACHE_MS   (300 * 1000)
#define KEY_SHOW_MAX   (64 * 1024)
#define POLICY_MAX     (256 * 1024)

/* ---- the form's fields ---- */

enum {
	F_PRODUCT,
	F_VERSION,
	F_TITLE,
	F_DESCRIPTION,
	F_IMPACT,
	F_POC,
	F_CONTACT_NAME,
	F_CONTACT_EMAIL,
	F_ENCRYPTED,
	NFIELDS
};

static const struct {
	const char *name;
	const char *label;
	size_t max;
	int multiline;
	int required;
} fields[NFIELDS] = {
    {"product", "Product", 200, 0, 1},
    {"version", "Version", 100, 0, 0},
    {"title", "Title", 300, 0, 0},
    {"description", "Description", 65536, 1, 1},
    {"impact", "Impact", 16384, 1, 0},
    {"poc", "Proof of concept", 65536, 1, 0},
    {"contact_name", "Your name", 100, 0, 0},
    {"contact_email", "Your e-mail address", 200, 0, 0},
    {"encrypted", "Encrypted report", 131072, 1, 0},
};

struct form_in {
	char *v[NFIELDS]; /* malloc'ed, NULL when absent */
	int credit;
	char *website; /* the honeypot */
	char *token;
	struct case_attachment att[100];
	int natt;
};

struct form_err {
	int status;
	const char *field; /* the field's name, NULL for the whole form */
	char msg[1100];
};

static void form_free(struct form_in *f)
{
	for (int i = 0; i < NFIELDS; i++)
		free(f->v[i]);
	free(f->website);
	free(f->token);
	memset(f, 0, sizeof(*f));
}

static int set_err(struct form_err *e, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_err(struct form_err *e, int status, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->status = status;
	e->field = field;
	return status;
}

/* A text value from a part or a decoded form field, bounded and NUL-free. */
static int take_text(const char *name, const char *label, const char *p, size_t n, size_t max,
		     char **out, struct form_err *e)
{
	if (n > max)
		return set_err(e, 413, name, "%s: %zu bytes, at most %zu allowed", label, n, max);
	if (memchr(p, '\0', n))
		return set_err(e, 400, name, "%s: contains a NUL character", label);
	free(*out);
	*out = malloc(n + 1);
	if (!*out)
		return set_err(e, 500, NULL, "out of memory");
	memcpy(*out, p, n);
	(*out)[n] = '\0';
	return 0;
}

static const char *base_name(const char *fn)
{
	const char *s = strrchr(fn, '/'), *b = strrchr(fn, '\\');
	if (b && (!s || b > s))
		s = b;
	return s ? s + 1 : fn;
}

static int read_multipart(struct http_req *req, struct form_in *f, struct form_err *e)
{
	struct vg_error err = {0};
	int max = case_attachments_max(), nparts = 0;
	int cap = NFIELDS + 8 + max;
	size_t total = 0, one = case_attachment_max(), all = case_attachments_total_max();
	struct mp_part *parts = calloc((size_t)cap, sizeof(*parts));
	const struct mp_part *pt;
	int rc = 0;

	if (!parts)
		return set_err(e, 500, NULL, "out of memory");
	if (mp_parse(http_header(req, "Content-Type"), req->body.data, req->body.len, parts, cap,
		     &nparts, &err)) {
		rc = set_err(e, err.code == VG_ETOOBIG ? 413 : 400, NULL,
			     "The form could not be read: %s", vg_error_msg(&err));
		goto out;
	}
	for (int i = 0; i < NFIELDS && !rc; i++)
		if ((pt = mp_find(parts, nparts, fields[i].name)))
			rc = take_text(fields[i].name, fields[i].label, pt->data, pt->n,
				       fields[i].max, &f->v[i], e);
	if (!rc && (pt = mp_find(parts, nparts, "website")))
		rc = take_text("website", "website", pt->data, pt->n, 1000, &f->website, e);
	if (!rc && (pt = mp_find(parts, nparts, "form_token")))
		rc = take_text("form_token", "form token", pt->data, pt->n, FORM_TOKEN_MAX,
			       &f->token, e);
	if (!rc && (pt = mp_find(parts, nparts, "credit")))
		f->credit = pt->n == 1 && pt->data[0] == '1';
	for (int i = 0; i < nparts && !rc; i++) {
		struct case_attachment *a;
		if (strcmp(parts[i].name, "attachment") != 0)
			continue;
		if (!parts[i].is_file) {
			rc = set_err(e, 400, "attachment", "Attachment: expected a file");
			break;
		}
		if (!parts[i].filename[0] && parts[i].n == 0)
			continue; /* the file input was left empty */
		if (f->natt >= max) {
			rc = set_err(e, 413, "attachment",
				     "Attachment: at most %d files may be sent with a report", max);
			break;
		}
		if (parts[i].n > one) {
			rc = set_err(e, 413, "attachment",
				     "Attachment '%s': %zu bytes, larger than the limit of %zu "
				     "bytes per file; nothing was stored",
				     parts[i].filename, parts[i].n, one);
			break;
		}
		total += parts[i].n;
		if (total > all) {
			rc = set_err(e, 413, "attachment",
				     "Attachments: more than %zu bytes in all; nothing was stored",
				     all);
			break;
		}
		a = &f->att[f->natt++];
		/* the file name is copied: the parts array is freed below */
		a->filename = NULL;
		a->data = parts[i].data;
		a->n = parts[i].n;
		{
			const char *bn = base_name(parts[i].filename);
			char *fn = strdup(*bn ? bn : "attachment");
			char *ct =
			    strdup(parts[i].ctype[0] ? parts[i].ctype : "application/octet-stream");
			if (!fn || !ct) {
				free(fn);
				free(ct);
				f->natt--;
				rc = set_err(e, 500, NULL, "out of memory");
				break;
			}
			a->filename = fn;
			a->content_type = ct;
		}
	}
out:
	free(parts);
	return rc;
}

static int read_urlencoded(struct http_req *req, struct form_in *f, struct form_err *e)
{
	char one[8];
	for (int i = 0; i < NFIELDS; i++) {
		size_t sz = fields[i].max + 2;
		char *v = malloc(sz);
		int rc;
		if (!v)
			return set_err(e, 500, NULL, "out of memory");
		rc = http_form(req, fields[i].name, v, sz);
		if (rc == VG_ETOOBIG) {
			free(v);
			return set_err(e, 413, fields[i].name, "%s: at most %zu bytes allowed",
				       fields[i].label, fields[i].max);
		}
		if (rc == VG_OK && strlen(v) > fields[i].max) {
			free(v);
			return set_err(e, 413, fields[i].name, "%s: at most %zu bytes allowed",
				       fields[i].label, fields[i].max);
		}
		if (rc)
			free(v);
		else
			f->v[i] = v;
	}
	f->website = malloc(1002);
	f->token = malloc(FORM_TOKEN_MAX + 2);
	if (!f->website || !f->token)
		return set_err(e, 500, NULL, "out of memory");
	if (http_form(req, "website", f->website, 1002) != VG_OK) {
		free(f->website);
		f->website = NULL;
	}
	if (http_form(req, "form_token", f->token, FORM_TOKEN_MAX + 2) != VG_OK) {
		free(f->token);
		f->token = NULL;
	}
	f->credit = http_form(req, "credit", one, sizeof(one)) == VG_OK && strcmp(one, "1") == 0;
	return 0;
}

static void free_attachment_names(struct form_in *f)
{
	for (int i = 0; i < f->natt; i++) {
		free((char *)f->att[i].filename);
		free((char *)f->att[i].content_type);
	}
	f->natt = 0;
}

/* ---- the signed form token ---- */

static pthread_once_t g_secret_once = PTHREAD_ONCE_INIT;
static uint8_t g_secret[VG_SHA256_LEN];

static void secret_init(void)
{
	const char *cfg = vg_config_get("psirt.form_secret", NULL);
	if (cfg && *cfg)
		vg_sha256(cfg, strlen(cfg), g_secret);
	else if (vg_random(g_secret, sizeof(g_secret)))
		vg_sha256("vigil-unseeded", 14, g_secret); /* never reached with a working RNG */
}

static void token_mac(int64_t issued, const char *nonce, char hex[VG_SHA256_HEX])
{
	char msg[128];
	uint8_t mac[VG_SHA256_LEN];
	int n =
	    snprintf(msg, sizeof(msg), "vigil-report-form|v1|%lld|%s", (long long)issued, nonce);
	pthread_once(&g_secret_once, secret_init);
	vg_hmac_sha256(g_secret, sizeof(g_secret), msg, (size_t)n, mac);
	vg_hex(mac, sizeof(mac), hex);
}

/* "v1.<issued>.<nonce>.<mac>" into out (FORM_TOKEN_MAX). */
static int token_issue(char *out, size_t outsz)
{
	char nonce[40], mac[VG_SHA256_HEX];
	int64_t now = vg_now();
	if (vg_random_token(nonce, sizeof(nonce), 16))
		return VG_EINTERNAL;
	token_mac(now, nonce, mac);
	snprintf(out, outsz, "v1.%lld.%s.%s", (long long)now, nonce, mac);
	return VG_OK;
}

/* Check a form token; the nonce goes into nonce (40 bytes). */
static int token_check(const char *tok, char *nonce, size_t noncesz, struct form_err *e)
{
	const char *p, *dot;
	char mac[VG_SHA256_HEX];
	int64_t issued = 0, now = vg_now(), age;
	int64_t max_age = vg_config_int("psirt.form_max_age", 7200);
	size_t nl;

	if (!tok || !*tok)
		return set_err(e, 400, NULL,
			       "The form is incomplete (its security token is missing). Please "
			       "send it from this page.");
	if (strncmp(tok, "v1.", 3) != 0)
		goto bad;
	p = tok + 3;
	if (!isdigit((unsigned char)*p))
		goto bad;
	while (isdigit((unsigned char)*p) && issued < (int64_t)1 << 40)
		issued = issued * 10 + (*p++ - '0');
	if (*p++ != '.')
		goto bad;
	dot = strchr(p, '.');
	nl = dot ? (size_t)(dot - p) : 0;
	if (!dot || nl < 16 || nl >= noncesz || strlen(dot + 1) != 64)
		goto bad;
	memcpy(nonce, p, nl);
	nonce[nl] = '\0';
	for (size_t i = 0; i < nl; i++)
		if (!isalnum((unsigned char)nonce[i]) && nonce[i] != '-' && nonce[i] != '_')
			goto bad;
	token_mac(issued, nonce, mac);
	if (!vg_ct_streq(mac, dot + 1))
		goto bad;
	age = now - issued;
	if (age < -60)
		goto bad;
	if (age > max_age)
		return set_err(e, 400, NULL,
			       "The form was loaded more than %lld minutes ago and has expired. "
			       "Your input is kept below: please check it and send it again.",
			       (long long)(max_age / 60));
	return 0;
bad:
	return set_err(e, 400, NULL,
		       "The form could not be verified (its security token is damaged or comes "
		       "from elsewhere). Your input is kept below: please send it again.");
}

/* ---- the PSIRT's public key ---- */

static pthread_mutex_t g_key_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int64_t at; /* vg_mono_ms() of the last look, 0 = never */
	int have;
	char fpr[64];
	char *armored;
} g_key;

static char *export_armored(const char *fpr)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t d = NULL;
	char *mem, *out = NULL;
	size_t n = 0;

	if (!gpgme_check_version(NULL) || gpgme_new(&ctx))
		return NULL;
	gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
	gpgme_set_armor(ctx, 1);
	if (gpgme_data_new(&d) == 0 && gpgme_op_export(ctx, fpr, 0, d) == 0) {
		mem = gpgme_data_release_and_get_mem(d, &n);
		d = NULL;
		if (mem && n && n <= KEY_SHOW_MAX && (out = malloc(n + 1))) {
			memcpy(out, mem, n);
			out[n] = '\0';
		}
		if (mem)
			gpgme_free(mem);
	}
	gpgme_data_release(d);
	gpgme_release(ctx);
	return out;
}

/* The current PSIRT key (see pgp.c) as fingerprint and armored text, looked
 * up at most every KEY_CACHE_MS. Returns 1 with copies (caller frees
 * *armored), 0 when none is configured or it has expired. */
static int psirt_key(struct store *s, char *fpr, size_t fprsz, char **armored)
{
	int64_t now = vg_mono_ms();
	int have;

	*armored = NULL;
	pthread_mutex_lock(&g_key_lock);
	if (!g_key.at || now - g_key.at > KEY_CACHE_MS) {
		struct pgp_key_status st;
		struct vg_arena mem;
		vg_arena_init(&mem, 0);
		free(g_key.armored);
		g_key.armored = NULL;
		g_key.have = 0;
		if (pgp_status(s, "", NULL, &mem, &st, NULL) == VG_OK && !st.expired &&
		    st.fingerprint[0]) {
			snprintf(g_key.fpr, sizeof(g_key.fpr), "%s", st.fingerprint);
			g_key.armored = export_armored(g_key.fpr);
			g_key.have = g_key.armored != NULL;
		}
		vg_arena_release(&mem);
		g_key.at = now ? now : 1;
	}
	have = g_key.have;
	if (have) {
		snprintf(fpr, fprsz, "%s", g_key.fpr);
		*armored = strdup(g_key.armored);
		have = *armored != NULL;
	}
	pthread_mutex_unlock(&g_key_lock);
	return have;
}

/* ---- the organisation (org.name, org.logo) ---- */

/* The organisation's name: org.name, else the older psirt.org_name, else
 * NULL (pages then say "Security"). */
static const char *org_name(void)
{
	const char *n = vg_config_get("org.name", NULL);
	if (!n || !*n)
		n = vg_config_get("psirt.org_name", NULL);
	return n && *n ? n : NULL;
}

/* org.logo is a file (served at /report/logo/logo.EXT) or a path on this server
 * ("/static/logo.svg"); the Content-Security-Policy lets pages load images
 * from this server only, so a URL elsewhere is not shown (warned once). The
 * file is served at /report/logo/logo.EXT (its extension: one link per type). */
static const struct {
	const char *ext, *type;
} logo_types[] = {
    {".png", "image/png"},   {".svg", "image/svg+xml"}, {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"}, {".webp", "image/webp"},   {".gif", "image/gif"},
};

static const char *logo_type(const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof(logo_types) / sizeof(logo_types[0]); i++) {
		size_t l = strlen(logo_types[i].ext);
		if (n > l && strcasecmp(path + n - l, logo_types[i].ext) == 0)
			return logo_types[i].type;
	}
	return NULL;
}

/* The src of the logo, or NULL when none is configured or usable. */
static const char *logo_src(void)
{
	static int warned;
	const char *l = vg_config_get("org.logo", NULL);
	if (!l || !*l)
		return NULL;
	if (strncmp(l, "https://", 8) == 0 || strncmp(l, "http://", 7) == 0) {
		if (!warned) {
			warned = 1;
			vg_warn("org.logo: a URL on another server is not shown (the pages allow "
				"images from this server only); give a file or a path on this "
				"server");
		}
		return NULL;
	}
	if (l[0] == '/' && l[1] != '/' && strncmp(l, "/static/", 8) == 0)
		return l; /* a path on this server */
	if (!logo_type(l)) {
		if (!warned) {
			warned = 1;
			vg_warn("org.logo: '%s' is not a .png, .svg, .jpg, .webp or .gif file", l);
		}
		return NULL;
	}
	{
		static char src[32];
		const char *dot = strrchr(l, '.');
		snprintf(src, sizeof(src), "/report/logo/logo%s", dot);
		return src;
	}
}

static int logo_get(struct http_req *req, struct http_resp *resp)
{
	const char *l = vg_config_get("org.logo", NULL);
	const char *type = l ? logo_type(l) : NULL;
	struct vg_buf data;
	struct vg_error err = {0};
	int rc;
	(void)req;

	if (!l || !type || strncmp(l, "/static/", 8) == 0 || strncmp(l, "http", 4) == 0)
		return http_error(resp, VG_ENOTFOUND, "no logo is configured");
	vg_buf_init(&data, 2 * 1024 * 1024);
	if (vg_buf_read_file(&data, l, 2 * 1024 * 1024, &err)) {
		vg_warn("org.logo: %s", vg_error_msg(&err));
		vg_buf_release(&data);
		return http_error(resp, VG_ENOTFOUND, "the logo cannot be read");
	}
	rc = http_text(resp, 200, type, data.data ? data.data : "", data.len);
	vg_buf_release(&data);
	return rc;
}

/* ---- page shell (public: no navigation of the PSIRT's rooms) ---- */

static void page_begin(struct http_resp *resp, int status, const char *title)
{
	struct vg_buf *b = &resp->body;
	const char *org = org_name(), *logo = logo_src();
	resp->status = status;
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	html(b,
	     "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	     "<meta name=\"robots\" content=\"noindex\"><title>%s%s%s</title><link "
	     "rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/app.css\">"
	     "<script src=\"/static/app.js\" defer></script></head>\n"
	     "<body class=\"portal\"><a class=\"skip\" href=\"#main\">Skip to the content</a>"
	     "<header class=\"top\"><a class=\"brand org\" id=\"org\" href=\"/report\">",
	     title, org ? " \xc2\xb7 " : "", org ? org : "");
	if (logo)
		html(b,
		     "<img class=\"org-logo\" id=\"org-logo\" src=\"%s\" alt=\"\" height=\"32\">",
		     logo);
	html(b, "<span id=\"org-name\">%s</span>", org ? org : "Security");
	if (org)
		html_raw(b, " <span class=\"org-sub\">Security</span>");
	html(b,
	     "</a><nav aria-label=\"Disclosure\"><ul>"
	     "<li><a href=\"/report\">Report a vulnerability</a></li>"
	     "<li><a href=\"/report/policy\">Disclosure policy</a></li>"
	     "</ul></nav></header>\n<main id=\"main\"><h1>%s</h1>\n",
	     title);
}

static int page_end(struct http_resp *resp)
{
	const char *org = org_name();
	html_raw(&resp->body, "</main>\n<footer>");
	if (org)
		html(&resp->body, "<span id=\"org-footer\">%s</span> &middot; ", org);
	return html_raw(&resp->body, "Coordinated vulnerability disclosure "
				     "&middot; EU Cyber Resilience Act Annex I Part II"
				     "</footer></body></html>\n");
}

/* Text shown with its line breaks kept (escaped). */
static void add_text_block(struct vg_buf *b, const char *cls, const char *id, const char *s)
{
	html(b, "<pre class=\"%s\"", cls);
	if (id)
		html(b, " id=\"%s\"", id);
	html(b, ">%s</pre>", s ? s : "");
}

static void add_size(struct vg_buf *b, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		html(b, "%zu MiB", n / (1024 * 1024));
	else if (n >= 1024 && n % 1024 == 0)
		html(b, "%zu KiB", n / 1024);
	else
		html(b, "%zu bytes", n);
}

/* The public base URL: server.public_url, else from the Host header. */
static void base_url(struct http_req *req, char *out, size_t n)
{
	const char *pub = vg_config_get("server.public_url", "");
	const char *host = http_header(req, "Host");
	out[0] = '\0';
	if (pub && *pub) {
		size_t l = strlen(pub);
		while (l && pub[l - 1] == '/')
			l--;
		snprintf(out, n, "%.*s", (int)l, pub);
	} else if (host && *host && strlen(host) < 200 &&
		   strspn(host,
			  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
		       strlen(host)) {
		snprintf(out, n, "%s://%s",
			 vg_config_int("server.secure_cookies", 0) ? "https" : "http", host);
	}
}

/* ---- the report form ---- */

static void field_open(struct vg_buf *b, int i, const struct form_err *e, const char *hint)
{
	int bad = e && e->field && strcmp(e->field, fields[i].name) == 0;
	html(b, "<div class=\"field%s\"><label for=\"%s\">%s%s</label>", bad ? " invalid" : "",
	     fields[i].name, fields[i].label, fields[i].required ? " (required)" : "");
	if (hint)
		html(b, "<span class=\"hint\" id=\"%s-hint\">%s</span>", fields[i].name, hint);
}

/* extra: attribute markup of ours ("autocomplete=\"name\""), added as it is. */
static void text_input(struct vg_buf *b, const struct form_in *f, int i, const struct form_err *e,
		       const char *type, const char *extra, const char *hint)
{
	int bad = e && e->field && strcmp(e->field, fields[i].name) == 0;
	field_open(b, i, e, hint);
	html(b, "<input type=\"%s\" id=\"%s\" name=\"%s\" maxlength=\"%zu\"", type, fields[i].name,
	     fields[i].name, fields[i].max);
	if (fields[i].required)
		html_raw(b, " required");
	if (bad)
		html_raw(b, " aria-invalid=\"true\"");
	if (extra) {
		html_raw(b, " ");
		html_raw(b, extra);
	}
	html(b, " value=\"%s\"></div>\n", f && f->v[i] ? f->v[i] : "");
}

static void textarea(struct vg_buf *b, const struct form_in *f, int i, const struct form_err *e,
		     int rows, const char *hint)
{
	int bad = e && e->field && strcmp(e->field, fields[i].name) == 0;
	field_open(b, i, e, hint);
	html(b, "<textarea id=\"%s\" name=\"%s\" rows=\"%d\" maxlength=\"%zu\"", fields[i].name,
	     fields[i].name, rows, fields[i].max);
	if (fields[i].required)
		html_raw(b, " required");
	if (bad)
		html_raw(b, " aria-invalid=\"true\"");
	/* the newline after the tag keeps a leading newline of the value */
	html(b, ">\n%s</textarea></div>\n", f && f->v[i] ? f->v[i] : "");
}

/* One <option> of the product datalist (a psirt_query row callback). */
static int product_option(struct store_stmt *st, void *arg)
{
	return html((struct vg_buf *)arg, "<option value=\"%s\"></option>", store_col_text(st, 0));
}

static int form_page(struct http_req *req, struct http_resp *resp, const struct form_in *f,
		     const struct form_err *e)
{
	struct vg_buf *b = &resp->body;
	char tok[FORM_TOKEN_MAX], fpr[64];
	char *armored = NULL;
	int bad_att = e && e->field && strcmp(e->field, "attachment") == 0;

	if (token_issue(tok, sizeof(tok)))
		return http_error(resp, VG_EINTERNAL, "cannot make a form token");
	page_begin(resp, e ? e->status : 200, "Report a vulnerability");
	html_raw(b, "<p>Found a security problem in one of our products? Tell us here. No "
		    "account is needed and you may stay anonymous. Only the description and "
		    "the product are required. You get a private link to follow your report "
		    "and to write to us.</p>\n<p><a href=\"/report/policy\" id=\"policy-link\">"
		    "Read our coordinated vulnerability disclosure policy</a> (what we "
		    "promise, safe harbour, disclosure timeline, credit).</p>\n");
	if (e)
		html(b, "<p class=\"error\" role=\"alert\" id=\"form-error\">%s</p>\n", e->msg);
	html(b,
	     "<form id=\"report\" method=\"post\" action=\"/report\" "
	     "enctype=\"multipart/form-data\" class=\"card portal-form\">\n"
	     "<input type=\"hidden\" name=\"form_token\" value=\"%s\">\n"
	     /* the honeypot: off screen and hidden from screen readers (not
	      * display:none, which some robots skip); a person who sees it anyway
	      * (a text browser) reads that it must stay empty */
	     "<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">Leave this "
	     "field empty (it catches automated spam)</label><input type=\"text\" "
	     "id=\"website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\" "
	     "value=\"\"></div>\n"
	     "<fieldset><legend>What is affected</legend>\n",
	     tok);
	text_input(b, f, F_PRODUCT, e, "text", "list=\"known-products\" autocomplete=\"off\"",
		   "Choose from the list or type the name.");
	html_raw(b, "<datalist id=\"known-products\">");
	/* the sbom room's public read view, not its table (sbom/product.h); only
	 * products marked public: the list is shown to anyone */
	if (psirt_query(req->db,
			"SELECT product FROM sbom_product_view WHERE public = 1 ORDER BY product "
			"LIMIT 500",
			NULL, 0, NULL, product_option, b, NULL) != VG_OK)
		vg_warn("portal: the product list could not be read");
	html_raw(b, "</datalist>\n");
	text_input(b, f, F_VERSION, e, "text", NULL, NULL);
	text_input(b, f, F_TITLE, e, "text", NULL, "A short summary (optional).");
	html_raw(b, "</fieldset>\n<fieldset><legend>The vulnerability</legend>\n");
	textarea(b, f, F_DESCRIPTION, e, 8,
		 "What is the problem, where is it, and how did you find it?");
	textarea(b, f, F_IMPACT, e, 4, "What can an attacker do with it?");
	textarea(b, f, F_POC, e, 6, "Steps, requests or code that show the problem.");
	html(b,
	     "<div class=\"field%s\"><label for=\"attachment\">Attachments</label>"
	     "<span class=\"hint\" id=\"attachment-hint\">Up to %d files, each at most ",
	     bad_att ? " invalid" : "", case_attachments_max());
	add_size(b, case_attachment_max());
	html_raw(b, ", ");
	add_size(b, case_attachments_total_max());
	html(b,
	     " in all.%s</span><input type=\"file\" id=\"attachment\" name=\"attachment\" "
	     "multiple",
	     e ? " Files must be chosen again after an error." : "");
	if (bad_att)
		html_raw(b, " aria-invalid=\"true\"");
	html_raw(b, "></div>\n</fieldset>\n");
	html_raw(b, "<fieldset id=\"encryption\"><legend>Encryption (optional)</legend>\n");
	if (psirt_key(req->db, fpr, sizeof(fpr), &armored)) {
		html(b,
		     "<p>You may encrypt your report to our OpenPGP key and paste the "
		     "ASCII-armored message below. Fingerprint: <code "
		     "id=\"pgp-fingerprint\">%s</code> &middot; <a href=\"/report/pgp-key/%s\" "
		     "id=\"pgp-key-link\" download=\"psirt-key.asc\">Download the key</a></p>"
		     "<details><summary>Show the public key</summary><pre id=\"pgp-key\">%s</pre>"
		     "</details>\n",
		     fpr, fpr, armored);
		free(armored);
	} else {
		html_raw(b, "<p id=\"pgp-none\">No OpenPGP key is published at the moment; "
			    "write to us through the tracking link to agree on a secure "
			    "channel.</p>\n");
	}
	textarea(b, f, F_ENCRYPTED, e, 6,
		 "An OpenPGP message (-----BEGIN PGP MESSAGE----- ...). Please still give a "
		 "short description above; details can stay in the encrypted part.");
	html_raw(b, "</fieldset>\n<fieldset><legend>About you (optional)</legend>\n"
		    "<p>Leave these empty to report anonymously. If you do, use the tracking "
		    "link to read our answers.</p>\n");
	text_input(b, f, F_CONTACT_NAME, e, "text", "autocomplete=\"name\"", NULL);
	text_input(b, f, F_CONTACT_EMAIL, e, "email", "autocomplete=\"email\"",
		   "To receive the tracking link by e-mail and to hear from us.");
	html(b,
	     "<div class=\"field\"><label><input type=\"checkbox\" id=\"credit\" "
	     "name=\"credit\" value=\"1\"%s> Credit me by name when the vulnerability is "
	     "published</label></div>\n</fieldset>\n",
	     f && f->credit ? " checked" : "");
	html_raw(b, "<p><button type=\"submit\" id=\"send\">Send report</button></p>\n"
		    "</form>\n");
	return page_end(resp);
}

static int report_form(struct http_req *req, struct http_resp *resp)
{
	return form_page(req, resp, NULL, NULL);
}

static int check_fields(const struct form_in *f, struct form_err *e)
{
	struct vg_error err = {0};
	for (int i = 0; i < NFIELDS; i++) {
		if (vg_text_check(fields[i].label, f->v[i] && *f->v[i] ? f->v[i] : NULL,
				  fields[i].max, fields[i].multiline, fields[i].required, &err))
			return set_err(e, err.code == VG_ETOOBIG ? 413 : 400, fields[i].name, "%s",
				       vg_error_msg(&err));
	}
	if (f->v[F_CONTACT_EMAIL] && *f->v[F_CONTACT_EMAIL]) {
		const char *m = f->v[F_CONTACT_EMAIL], *at = strchr(m, '@');
		if (!at || at == m || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
		    at[strlen(at) - 1] == '.' || strpbrk(m, " \t<>,;\"()[]\\"))
			return set_err(e, 400, "contact_email",
				       "Your e-mail address: expected an address like "
				       "name@example.org (or leave it empty)");
	}
	if (f->v[F_ENCRYPTED] && *f->v[F_ENCRYPTED]) {
		const char *b = strstr(f->v[F_ENCRYPTED], "-----BEGIN PGP MESSAGE-----");
		if (!b || !strstr(b, "-----END PGP MESSAGE-----"))
			return set_err(
			    e, 400, "encrypted",
			    "Encrypted report: expected an ASCII-armored OpenPGP message "
			    "(-----BEGIN PGP MESSAGE----- ... -----END PGP MESSAGE-----)");
	}
	if (f->credit && !(f->v[F_CONTACT_NAME] && *f->v[F_CONTACT_NAME]))
		return set_err(e, 400, "contact_name",
			       "Your name: required when you ask to be credited (the name to "
			       "credit)");
	return 0;
}

/* Map an error of case_create_ex to the form field it concerns. */
static const char *field_of(const char *msg)
{
	if (strstr(msg, "ttachment"))
		return "attachment";
	for (int i = 0; i < NFIELDS; i++) {
		char pat[48];
		snprintf(pat, sizeof(pat), "/%s:", fields[i].name);
		if (strstr(msg, pat))
			return fields[i].name;
	}
	return NULL;
}

/* E-mail the tracking link to the address the reporter gave (queued on an
 * e-mail channel, sealed there; see notify_mail_direct). A failure is logged
 * without the address or the link, and the page says nothing was sent. */
static int mail_link(struct http_req *req, int64_t id, const char *to, const char *token)
{
	struct vg_error err = {0};
	struct vg_buf text = VG_BUF_INIT;
	char base[256], subject[300];
	const char *org = org_name();
	int rc;

	base_url(req, base, sizeof(base));
	if (!base[0])
		return VG_EINVAL; /* no address to link to: server.public_url is not set */
	snprintf(subject, sizeof(subject), "Your vulnerability report %lld%s%s: tracking link",
		 (long long)id, org ? " to " : "", org ? org : "");
	vg_buf_addf(&text,
		    "Thank you for your report to %s. It was received as report %lld.\n\n"
		    "Your private tracking link, to follow the report and to write to us:\n\n"
		    "%s/report/track/%s\n\n"
		    "Keep this link private: anyone who has it can read the status of your "
		    "report and the messages about it. We keep only a hash of it and cannot "
		    "send it again.\n\nWe acknowledge every report within %lld hours.\n",
		    org ? org : "us", (long long)id, base, token,
		    (long long)vg_config_int("psirt.ack_hours", CASE_ACK_HOURS));
	rc = text.data ? notify_mail_direct(req->db, vg_config_get("psirt.mail_channel", NULL),
					    "psirt.report_link", to, subject, text.data, &err)
		       : VG_ENOMEM;
	if (text.data)
		vg_wipe(text.data, text.len);
	vg_buf_release(&text);
	if (rc)
		vg_warn("portal: the tracking link of report %lld was not e-mailed: %s",
			(long long)id, rc == VG_ENOMEM ? "out of memory" : vg_error_msg(&err));
	return rc;
}

static int success_page(struct http_req *req, struct http_resp *resp, int64_t id, const char *token,
			int mailed)
{
	struct vg_buf *b = &resp->body;
	char base[256];
	page_begin(resp, 200, "Report received");
	html(b,
	     "<p class=\"ok\" id=\"received\">Thank you. Your report was received as "
	     "report <span id=\"report-id\">%lld</span> at ",
	     (long long)id);
	html_time(b, vg_now(), NULL);
	base_url(req, base, sizeof(base));
	html(b,
	     ". We acknowledge every report within %lld hours.</p>\n"
	     "<p>Your private tracking link: <a id=\"tracking-link\" "
	     "href=\"/report/track/%s\">follow your report</a></p>\n<p>Full address: <code "
	     "id=\"tracking-url\">%s/report/track/%s</code></p>\n",
	     (long long)vg_config_int("psirt.ack_hours", CASE_ACK_HOURS), token, base, token);
	if (mailed)
		html_raw(b, "<p id=\"link-mailed\">We also sent this link to the e-mail address "
			    "you gave.</p>\n");
	html_raw(b, "<p class=\"error\" id=\"keep-private\">Keep this link private "
		    "and save it now: anyone who has it can read the status of your report and "
		    "the messages about it. We keep only a hash of it and cannot send it "
		    "again.</p>\n");
	return page_end(resp);
}

/* The answer to a form caught by the honeypot: neutral, no tracking link. */
static int dropped_page(struct http_resp *resp)
{
	page_begin(resp, 200, "Report received");
	html_raw(&resp->body, "<p class=\"ok\" id=\"received\">Thank you for writing to us.</p>\n"
			      "<p><a href=\"/report/policy\">Our disclosure policy</a></p>\n");
	return page_end(resp);
}

static int report_post(struct http_req *req, struct http_resp *resp)
{
	const char *ct = http_header(req, "Content-Type");
	struct form_in f;
	struct form_err e = {0};
	struct case_report r = {0};
	struct vg_error err = {0};
	char nonce[40], token[CASE_TOKEN_BUFSZ], contact[400];
	int64_t id = 0;
	int rc, mailed = 0;

	memset(&f, 0, sizeof(f));
	if (req->body.len > case_attachments_total_max() + TEXT_BODY_MAX) {
		set_err(&e, 413, "attachment",
			"The report is too large (%zu bytes); attachments may have at most %zu "
			"bytes in all. Nothing was stored.",
			req->body.len, case_attachments_total_max());
		goto refused;
	}
	if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		rc = read_urlencoded(req, &f, &e);
	else
		rc = read_multipart(req, &f, &e);
	if (rc)
		goto refused;
	if (f.website && *f.website) {
		/* refused quietly: a robot learns nothing, nothing is stored */
		vg_info("portal: a report with the spam-trap field filled was dropped");
		free_attachment_names(&f);
		form_free(&f);
		return dropped_page(resp);
	}
	if (token_check(f.token, nonce, sizeof(nonce), &e))
		goto refused;
	if (case_form_nonce_used(req->db, nonce)) {
		set_err(&e, 409, NULL,
			"This form was already sent (a form can be sent once): your report was "
			"received the first time. Your input is kept below if you want to send "
			"a new report.");
		goto refused;
	}
	if (check_fields(&f, &e))
		goto refused;
	contact[0] = '\0';
	if (f.v[F_CONTACT_NAME] && *f.v[F_CONTACT_NAME] && f.v[F_CONTACT_EMAIL] &&
	    *f.v[F_CONTACT_EMAIL])
		snprintf(contact, sizeof(contact), "%s <%s>", f.v[F_CONTACT_NAME],
			 f.v[F_CONTACT_EMAIL]);
	else if (f.v[F_CONTACT_EMAIL] && *f.v[F_CONTACT_EMAIL])
		snprintf(contact, sizeof(contact), "%s", f.v[F_CONTACT_EMAIL]);
	else if (f.v[F_CONTACT_NAME] && *f.v[F_CONTACT_NAME])
		snprintf(contact, sizeof(contact), "%s", f.v[F_CONTACT_NAME]);
	r.product = f.v[F_PRODUCT];
	r.version = f.v[F_VERSION] && *f.v[F_VERSION] ? f.v[F_VERSION] : NULL;
	r.title = f.v[F_TITLE] && *f.v[F_TITLE] ? f.v[F_TITLE] : NULL;
	r.description = f.v[F_DESCRIPTION];
	r.impact = f.v[F_IMPACT] && *f.v[F_IMPACT] ? f.v[F_IMPACT] : NULL;
	r.poc = f.v[F_POC] && *f.v[F_POC] ? f.v[F_POC] : NULL;
	r.contact = contact[0] ? contact : NULL;
	r.credit_consent = f.credit;
	r.credit_name = f.credit ? f.v[F_CONTACT_NAME] : NULL;
	r.encrypted = f.v[F_ENCRYPTED] && *f.v[F_ENCRYPTED] ? f.v[F_ENCRYPTED] : NULL;
	rc = case_create_ex(req->db, &r, "form", req->remote, f.att, f.natt, nonce, token,
			    sizeof(token), &id, &err);
	if (rc) {
		set_err(&e, vg_code_http_status(rc), field_of(vg_error_msg(&err)), "%s",
			vg_error_msg(&err));
		goto refused;
	}
	mailed = f.v[F_CONTACT_EMAIL] && *f.v[F_CONTACT_EMAIL] &&
		 mail_link(req, id, f.v[F_CONTACT_EMAIL], token) == VG_OK;
	free_attachment_names(&f);
	form_free(&f);
	rc = success_page(req, resp, id, token, mailed);
	vg_wipe(token, sizeof(token));
	return rc;
refused:
	free_attachment_names(&f);
	rc = form_page(req, resp, &f, &e);
	form_free(&f);
	return rc;
}

/* ---- the CVD policy ---- */

static void default_policy(struct vg_buf *b)
{
	long long ack = (long long)vg_config_int("psirt.ack_hours", CASE_ACK_HOURS);
	vg_buf_adds(
	    b, "# Scope\n\n"
	       "This policy covers the products we place on the market and the services "
	       "that support them (update servers, this portal). Reports about third-party "
	       "components we ship are welcome: we coordinate with their maintainers.\n\n"
	       "Out of scope: denial of service by sheer traffic, social engineering of our "
	       "staff, physical attacks, and findings from automated scanners without a "
	       "demonstrated impact.\n\n"
	       "# How to report\n\n"
	       "Use the form at /report. No account is needed and you may stay anonymous. "
	       "Describe the problem, the affected product and version, the impact, and how "
	       "to reproduce it. You may encrypt the details to our OpenPGP key. You receive a "
	       "private tracking link to follow the report and to exchange messages with us.\n\n"
	       "Please do not access, change or delete data that is not yours beyond what is "
	       "needed to show the problem, and do not disclose it publicly before the "
	       "coordinated date.\n\n"
	       "# What we promise\n\n");
	vg_buf_addf(b,
		    "- We acknowledge every report within %lld hours.\n"
		    "- We tell you whether we can reproduce the problem and how we assess it, "
		    "and keep you informed until it is fixed.\n"
		    "- We do not share your identity or contact details without your consent.\n"
		    "- Where the Cyber Resilience Act requires it (an actively exploited "
		    "vulnerability), we notify the competent CSIRT and ENISA; we tell you when "
		    "we do.\n\n",
		    ack);
	vg_buf_adds(b, "# Safe harbour\n\n"
		       "We will not take legal action against you, nor ask anyone to, for research "
		       "done in good faith and in line with this policy: avoiding harm to people, "
		       "data and service, reporting promptly, and keeping the details confidential "
		       "until disclosure. If a third party takes action against you for such "
		       "research, we will make it known that you acted with our authorisation.\n\n"
		       "# Coordinated disclosure\n\n"
		       "We aim to fix confirmed vulnerabilities and publish an advisory within 90 "
		       "days of the report, sooner for actively exploited ones. We agree the "
		       "publication date with you; if a fix needs longer, we explain why and agree "
		       "a new date. If the vulnerability becomes public or is exploited in the "
		       "meantime, we may publish earlier to protect users.\n\n"
		       "# Credit\n\n"
		       "If you ask to be credited, we name you in the advisory with the name you "
		       "give. You may also stay anonymous.\n");
}

/* Paragraphs from text: blank lines separate blocks; "# " starts a heading,
 * lines starting with "- " or "* " make a list. Everything escaped. */
static void render_policy(struct vg_buf *b, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *end = p;
		char *block;
		size_t n;
		/* a block ends at a blank line */
		while (*end) {
			const char *nl = strchr(end, '\n');
			const char *next = nl ? nl + 1 : end + strlen(end);
			const char *q = next;
			end = next;
			while (*q == ' ' || *q == '\t' || *q == '\r')
				q++;
			if (*q == '\n' || !*q)
				break;
		}
		n = (size_t)(end - p);
		block = strndup(p, n);
		p = end;
		while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
			p++;
		if (!block)
			return;
		while (n && (block[n - 1] == '\n' || block[n - 1] == '\r' || block[n - 1] == ' '))
			block[--n] = '\0';
		if (!n) {
			free(block);
			continue;
		}
		if (block[0] == '#') {
			char *h = block;
			while (*h == '#')
				h++;
			while (*h == ' ')
				h++;
			html(b, "<h2>%s</h2>\n", h);
		} else if ((block[0] == '-' || block[0] == '*') && block[1] == ' ') {
			char *line = block, *save = NULL;
			html_raw(b, "<ul>\n");
			for (line = strtok_r(block, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save)) {
				size_t l = strlen(line);
				if (l && line[l - 1] == '\r')
					line[--l] = '\0';
				if ((line[0] == '-' || line[0] == '*') && line[1] == ' ')
					line += 2;
				html(b, "<li>%s</li>\n", line);
			}
			html_raw(b, "</ul>\n");
		} else {
			html(b, "<p>%s</p>\n", block);
		}
		free(block);
	}
}

static int policy_page(struct http_req *req, struct http_resp *resp)
{
	const char *path = vg_config_get("psirt.cvd_policy_file", NULL);
	struct vg_buf text;
	struct vg_error err = {0};
	(void)req;

	vg_buf_init(&text, POLICY_MAX);
	if (path && *path) {
		if (vg_buf_read_file(&text, path, POLICY_MAX, &err)) {
			vg_buf_release(&text);
			page_begin(resp, 500, "Coordinated vulnerability disclosure policy");
			html_raw(&resp->body,
				 "<p class=\"error\" role=\"alert\">The policy text cannot be "
				 "shown at the moment (the configured policy file could not be "
				 "read). Please try again later.</p>\n");
			return page_end(resp);
		}
	} else {
		default_policy(&text);
	}
	page_begin(resp, 200, "Coordinated vulnerability disclosure policy");
	html_raw(&resp->body, "<article id=\"policy\">\n");
	render_policy(&resp->body, text.data ? text.data : "");
	html_raw(&resp->body, "</article>\n<p><a href=\"/report\" id=\"report-link\">Report a "
			      "vulnerability</a></p>\n");
	vg_buf_release(&text);
	return page_end(resp);
}

/* The key by its fingerprint (the form links to the current one), so that a
 * saved link never silently gives a different key after a rotation. */
static int key_download(struct http_req *req, struct http_resp *resp)
{
	const char *want = http_param(req, "fingerprint");
	char fpr[64], *armored = NULL;
	if (!psirt_key(req->db, fpr, sizeof(fpr), &armored) || !want ||
	    strcasecmp(want, fpr) != 0) {
		free(armored);
		page_begin(resp, 404, "Key not found");
		html_raw(&resp->body, "<p class=\"error\" role=\"alert\">This is not the key we "
				      "publish now. The current key is shown on the <a "
				      "href=\"/report\">report form</a>.</p>\n");
		return page_end(resp);
	}
	http_text(resp, 200, "application/pgp-keys", armored, strlen(armored));
	free(armored);
	return http_set_header(resp, "Content-Disposition",
			       "attachment; filename=\"psirt-key.asc\"");
}

/* ---- the reporter's tracking page ---- */

static int not_found_page(struct http_resp *resp)
{
	page_begin(resp, 404, "Unknown tracking link");
	html_raw(&resp->body,
		 "<p class=\"error\" role=\"alert\" id=\"track-error\">This tracking link is "
		 "not valid. Check that you copied the whole link from the page you saw "
		 "after sending your report. We cannot send the link again: we keep only a "
		 "hash of it.</p>\n<p><a href=\"/report\">Report a vulnerability</a></p>\n");
	return page_end(resp);
}

/* A time, or an en dash when it has not happened. */
static void add_when(struct vg_buf *b, int64_t t)
{
	if (!t)
		html_raw(b, "&ndash;");
	else
		html_time(b, t, NULL);
}

static int track_page(struct http_req *req, struct http_resp *resp, int status, const char *error,
		      const char *body_kept, const char *notice)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	const char *token = http_param(req, "token");
	struct psirt_case c;
	int rc = case_status_by_token(req->db, token, &c, &err);

	if (rc == VG_ENOTFOUND)
		return not_found_page(resp);
	if (rc)
		return http_fail(resp, &err);
	page_begin(resp, status, "Your report");
	if (notice)
		html(b, "<p class=\"ok\" role=\"status\" id=\"track-notice\">%s</p>\n", notice);
	html(b,
	     "<p>Keep this page's address private: it is the key to your report.</p>\n"
	     "<dl class=\"facts\" id=\"report-facts\"><dt>Report</dt><dd id=\"report-id\">%lld"
	     "</dd><dt>Title</dt><dd id=\"report-title\">%s</dd><dt>Product</dt><dd>%s",
	     (long long)c.id, c.title, c.product);
	if (c.product_version)
		html(b, " %s", c.product_version);
	html(b,
	     "</dd><dt>State</dt><dd id=\"report-state\">%s</dd><dt>Received</dt><dd "
	     "id=\"report-received\">",
	     c.state);
	add_when(b, c.received_at);
	html_raw(b, "</dd><dt>Acknowledged</dt><dd id=\"report-acknowledged\">");
	if (c.acknowledged_at)
		add_when(b, c.acknowledged_at);
	else {
		html_raw(b, "not yet (due ");
		add_when(b, c.ack_due_at);
		html_raw(b, ")");
	}
	html_raw(b, "</dd>");
	if (c.closed_at) {
		html_raw(b, "<dt>Closed</dt><dd>");
		add_when(b, c.closed_at);
		html_raw(b, "</dd>");
	}
	html_raw(b, "</dl>\n<h2>Your description</h2>\n");
	add_text_block(b, "report-text", "report-description", c.description);
	html_raw(b, "\n<h2>Attachments</h2>\n");
	if (!c.nfiles)
		html_raw(b, "<p id=\"attachments-none\">None.</p>\n");
	else {
		html_raw(b, "<ul id=\"attachments\">");
		for (size_t i = 0; i < c.nfiles; i++)
			html(b, "<li>%s (%lld bytes)</li>", c.files[i].filename,
			     (long long)c.files[i].size);
		html_raw(b, "</ul>\n");
	}
	html_raw(b, "<h2>Messages</h2>\n");
	if (!c.nmessages)
		html_raw(b, "<p id=\"messages-none\">No messages yet.</p>\n");
	else {
		html_raw(b, "<ol id=\"messages\" class=\"messages\">");
		for (size_t i = 0; i < c.nmessages; i++) {
			const struct psirt_case_message *m = &c.messages[i];
			/* the reporter's view holds only messages to and from them */
			int mine = m->kind && strcmp(m->kind, "from_reporter") == 0;
			html(b, "<li class=\"msg %s\"><p class=\"meta\"><strong>%s</strong> ",
			     mine ? "msg-from_reporter" : "msg-to_reporter",
			     mine ? "You" : "PSIRT");
			add_when(b, m->created_at);
			html_raw(b, "</p>");
			add_text_block(b, "report-text", NULL, m->body);
			html_raw(b, "</li>");
		}
		html_raw(b, "</ol>\n");
	}
	html_raw(b, "<h2>Write to us</h2>\n");
	if (error)
		html(b, "<p class=\"error\" role=\"alert\" id=\"message-error\">%s</p>\n", error);
	html(b,
	     "<form id=\"message\" method=\"post\" action=\"/report/track/%s/messages\" "
	     "class=\"card portal-form\"><div class=\"field\">"
	     "<label for=\"body\">Message</label><textarea id=\"body\" name=\"body\" "
	     "rows=\"6\" maxlength=\"65536\" required>\n%s</textarea></div><p><button "
	     "type=\"submit\" id=\"send-message\">Send message</button></p></form>\n",
	     token, body_kept ? body_kept : "");
	psirt_case_release(&c);
	return page_end(resp);
}

static int track_get(struct http_req *req, struct http_resp *resp)
{
	const char *sent = http_query(req, "sent");
	return track_page(req, resp, 200, NULL, NULL,
			  sent && strcmp(sent, "1") == 0 ? "Your message was sent." : NULL);
}

static int track_message(struct http_req *req, struct http_resp *resp)
{
	const char *ct = http_header(req, "Content-Type");
	const char *token = http_param(req, "token");
	struct vg_error err = {0};
	char *body = NULL, loc[200];
	int rc;

	if (req->body.len > CASE_REPORT_MAX)
		return track_page(req, resp, 413, "The message is too large: at most 65536 bytes.",
				  NULL, NULL);
	if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		struct mp_part parts[8];
		const struct mp_part *pt;
		int n = 0;
		if (mp_parse(ct, req->body.data, req->body.len, parts, 8, &n, &err))
			return track_page(req, resp, 400, vg_error_msg(&err), NULL, NULL);
		pt = mp_find(parts, n, "body");
		if (pt && !memchr(pt->data, '\0', pt->n))
			body = strndup(pt->data, pt->n);
	} else {
		body = malloc(65536 + 2);
		if (body && http_form(req, "body", body, 65536 + 2) != VG_OK) {
			free(body);
			body = NULL;
		}
	}
	if (!body)
		return track_page(req, resp, 400,
				  "Message: required, expected text (at most 65536 bytes)", NULL,
				  NULL);
	rc = case_reporter_message(req->db, token, body, &err);
	if (rc == VG_ENOTFOUND) {
		free(body);
		return not_found_page(resp);
	}
	if (rc) {
		char msg[1100];
		snprintf(msg, sizeof(msg), "Message not sent: %s", vg_error_msg(&err));
		rc = track_page(req, resp, vg_code_http_status(rc), msg, body, NULL);
		free(body);
		return rc;
	}
	free(body);
	/* after a POST, a GET: reloading the page does not send the message again */
	snprintf(loc, sizeof(loc), "/report/track/%s?sent=1", token);
	rc = http_redirect(resp, loc);
	vg_wipe(loc, sizeof(loc));
	return rc;
}

/* ---- the PSIRT's download of an attachment ---- */

static int attachment_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id = 0, n = 0;
	char fn[300], fallback[64];
	char *data = NULL;
	size_t size = 0;
	int rc;

	if (vg_id_parse(http_param(req, "id"), "case id", &id, &err) ||
	    vg_id_parse(http_param(req, "n"), "attachment number", &n, &err))
		return http_error(resp, VG_EINVAL, "%s", vg_error_msg(&err));
	if (case_attachment_get(req->db, id, n, &data, &size, fn, sizeof(fn), &err))
		return http_fail(resp, &err);
	/* uploaded bytes: a download, never a page (http/attach.h) */
	snprintf(fallback, sizeof(fallback), "case-%lld-attachment-%lld", (long long)id,
		 (long long)n);
	rc = http_attachment(resp, data, size, "application/octet-stream", fn, fallback);
	free(data);
	return rc;
}

/* clang-format off */
const struct http_route portal_routes[] = {
    {"GET", "/report", ROLE_PUBLIC, HTTP_PUBLIC_FACE, report_form,
     "The public vulnerability report form (works without JavaScript)", "psirt"},
    {"POST", "/report", ROLE_PUBLIC, HTTP_NO_CSRF | HTTP_BODY_FORM | HTTP_PUBLIC_FACE, report_post,
     "Send the report form (multipart/form-data; signed form token, honeypot, limits)",
     "psirt"},
    {"GET", "/report/policy", ROLE_PUBLIC, HTTP_PUBLIC_FACE, policy_page,
     "The coordinated vulnerability disclosure policy (psirt.cvd_policy_file)", "psirt"},
    {"GET", "/report/logo/{file}", ROLE_PUBLIC, HTTP_PUBLIC_FACE, logo_get,
     "The organisation's logo (setting org.logo, a file; logo.EXT)", "psirt"},
    {"GET", "/report/pgp-key/{fingerprint}", ROLE_PUBLIC, HTTP_PUBLIC_FACE, key_download,
     "The PSIRT's OpenPGP public key (armored), by its fingerprint", "psirt"},
    {"GET", "/report/track/{token}", ROLE_PUBLIC, HTTP_PUBLIC_FACE, track_get,
     "The reporter's private tracking page", "psirt"},
    {"POST", "/report/track/{token}/messages", ROLE_PUBLIC, HTTP_NO_CSRF | HTTP_BODY_TEXT | HTTP_PUBLIC_FACE, track_message,
     "A message from the reporter (form field body)", "psirt"},
    {"GET", "/api/v1/cases/{id}/attachments/{n}", ROLE_ADMIN | ROLE_PSIRT, 0, attachment_get,
     "Download attachment n of a case (never rendered inline)", "psirt"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
