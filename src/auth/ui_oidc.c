/*
 * ui_oidc.c - the edges of single sign-on: the start check of the oidc.*
 * settings, GET /ui/login/sso (authorization code flow with PKCE S256) and
 * GET /ui/oidc/callback (code exchange, ID token check, the user made or
 * updated, a session).
 *
 * The login's state, nonce and PKCE verifier live in one cookie
 * (vigil_oidc: HttpOnly, SameSite=Lax so that it comes back on the
 * provider's redirect, Path=/ui/oidc, ten minutes), cleared by the
 * callback whatever its outcome: a callback is used once. Every server of
 * one database can finish a login another began. The discovery document and
 * the JWKS are fetched when needed (a login is rare), so a provider's key
 * rotation needs nothing here.
 */
#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "auth/oidc.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/text.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "store/store.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define OIDC_COOKIE  "vigil_oidc"
#define OIDC_MAX_AGE 600

int oidc_enabled(void)
{
	const char *iss = vg_config_get("oidc.issuer", NULL);
	return iss && *iss;
}

static const char *cfg(const char *key, const char *dflt)
{
	const char *v = vg_config_get(key, NULL);
	return v && *v ? v : dflt;
}

/* ---- HTTP to the provider ---- */

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct vg_buf *b = arg;
	if (b->len + sz * n > OIDC_MAX_DOC || vg_buf_add(b, p, sz * n))
		return 0;
	return sz * n;
}

/* GET url (post NULL) or POST the form post with HTTP Basic client
 * authentication; the body into out, the status into *status. */
static int fetch(const char *url, const char *post, struct vg_buf *out, long *status,
		 struct vg_error *err)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char ebuf[CURL_ERROR_SIZE] = "";
	const char *cacert = cfg("oidc.cacert", NULL);
	CURLcode cc;
	int rc = VG_OK;

	*status = 0;
	if (!h)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)vg_config_int("oidc.timeout", 10));
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)vg_config_int("oidc.timeout", 10));
	curl_easy_setopt(h, CURLOPT_USERAGENT, "vigil oidc");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, cacert);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)OIDC_MAX_DOC);
	if (post) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/x-www-form-urlencoded");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
		/* client_secret_basic: both parts form-encoded (RFC 6749 2.3.1) */
		{
			char *u = curl_easy_escape(h, cfg("oidc.client_id", ""), 0);
			char *p = curl_easy_escape(h, cfg("oidc.client_secret", ""), 0);
			curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			curl_easy_setopt(h, CURLOPT_USERNAME, u ? u : "");
			curl_easy_setopt(h, CURLOPT_PASSWORD, p ? p : "");
			curl_free(u);
			if (p) {
				vg_wipe(p, strlen(p));
				curl_free(p);
			}
		}
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK)
		rc = vg_error_set(err, VG_EIO, "%.300s did not answer: %s", url,
				  ebuf[0] ? ebuf : curl_easy_strerror(cc));
	else
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return rc;
}

static int discover(struct oidc_provider *op, struct vg_error *err)
{
	const char *iss = cfg("oidc.issuer", "");
	char url[2200];
	struct vg_buf b;
	long status;
	int rc;

	/* OpenID Connect Discovery 4: the issuer, its trailing '/' removed */
	snprintf(url, sizeof(url), "%.*s/.well-known/openid-configuration",
		 (int)(strlen(iss) - (iss[0] && iss[strlen(iss) - 1] == '/')), iss);
	vg_buf_init(&b, OIDC_MAX_DOC);
	rc = fetch(url, NULL, &b, &status, err);
	if (!rc && status != 200)
		rc = vg_error_set(err, VG_EIO, "%.300s answered HTTP %ld", url, status);
	if (!rc)
		rc = oidc_discovery_parse(b.data ? b.data : "", b.len, iss, op, err);
	vg_buf_release(&b);
	if (rc) {
		struct vg_error e = *err;
		vg_error_set(err, rc, "oidc.issuer '%.300s': %s", iss, vg_error_msg(&e));
	}
	return rc;
}

static int is_loopback_http(const char *u)
{
	return strncmp(u, "http://127.0.0.1", 16) == 0 || strncmp(u, "http://localhost", 16) == 0 ||
	       strncmp(u, "http://[::1]", 12) == 0;
}

/* The redirect URI: oidc.redirect_url, else server.public_url +
 * /ui/oidc/callback, else the same from the request's Host header (the
 * provider accepts only the URIs registered there). NULL when req has no
 * usable Host (req NULL: the start check). */
static const char *redirect_url(const struct http_req *req, char *buf, size_t n)
{
	const char *r = cfg("oidc.redirect_url", NULL), *pub, *host;
	if (r)
		return r;
	pub = cfg("server.public_url", NULL);
	if (pub) {
		snprintf(buf, n, "%.*s/ui/oidc/callback",
			 (int)(strlen(pub) - (pub[strlen(pub) - 1] == '/')), pub);
		return buf;
	}
	host = req ? http_header(req, "Host") : NULL;
	if (!host || !*host || strlen(host) > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
		strlen(host))
		return NULL;
	snprintf(buf, n, "%s://%s/ui/oidc/callback", req->secure ? "https" : "http", host);
	return buf;
}

int auth_oidc_check(int fetch_discovery, struct vg_error *err)
{
	static const char *const others[] = {"oidc.client_id", "oidc.client_secret",
					     "oidc.redirect_url", "oidc.role_map"};
	const char *ll = cfg("auth.local_login", "on"), *iss = cfg("oidc.issuer", NULL), *v;
	char rbuf[2100];
	int64_t n;
	int role;

	if (strcmp(ll, "on") != 0 && strcmp(ll, "admins") != 0 && strcmp(ll, "off") != 0)
		return vg_error_set(err, VG_EINVAL,
				    "auth.local_login '%.40s': expected on, admins or off", ll);
	if (!iss) {
		for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
			if (cfg(others[i], NULL))
				return vg_error_set(err, VG_EINVAL,
						    "%s is set but oidc.issuer is not: set both, "
						    "or neither",
						    others[i]);
		if (strcmp(ll, "on") != 0)
			return vg_error_set(err, VG_EINVAL,
					    "auth.local_login = %s needs single sign-on "
					    "(oidc.issuer), or nobody could log in",
					    ll);
		return VG_OK;
	}
	if (strncmp(iss, "https://", 8) != 0 && !is_loopback_http(iss))
		return vg_error_set(err, VG_EINVAL,
				    "oidc.issuer '%.300s': expected an https:// URL (http:// only "
				    "on the loopback address)",
				    iss);
	if (strpbrk(iss, "?# \t"))
		return vg_error_set(err, VG_EINVAL,
				    "oidc.issuer '%.300s': no query, fragment or blank allowed",
				    iss);
	if (!cfg("oidc.client_id", NULL))
		return vg_error_set(err, VG_EINVAL, "oidc.client_id: required with oidc.issuer");
	if (!cfg("oidc.client_secret", NULL))
		return vg_error_set(err, VG_EINVAL,
				    "oidc.client_secret: required with oidc.issuer");
	v = redirect_url(NULL, rbuf, sizeof(rbuf));
	if (v && strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
		return vg_error_set(err, VG_EINVAL,
				    "oidc.redirect_url '%.300s': expected an http(s) URL ending in "
				    "/ui/oidc/callback",
				    v);
	if (!cfg("oidc.role_map", NULL))
		return vg_error_set(err, VG_EINVAL,
				    "oidc.role_map: required with oidc.issuer (e.g. "
				    "vigil-psirt:psirt,vigil-admins:admin)");
	if (oidc_role_map(cfg("oidc.role_map", ""), NULL, 0, &role, err))
		return VG_EINVAL;
	if (strpbrk(cfg("oidc.role_claim", "groups"), " \t,"))
		return vg_error_set(err, VG_EINVAL, "oidc.role_claim: one claim name expected");
	if (vg_parse_int64_opt(cfg("oidc.clock_skew", NULL), "oidc.clock_skew (seconds)", 0, 300,
			       60, &n, err) ||
	    vg_parse_int64_opt(cfg("oidc.timeout", NULL), "oidc.timeout (seconds)", 1, 120, 10, &n,
			       err))
		return VG_EINVAL;
	if (fetch_discovery) {
		struct oidc_provider op;
		if (discover(&op, err))
			return VG_EINVAL;
		oidc_provider_free(&op);
	}
	return VG_OK;
}

/* ---- pages ---- */

static void set_flow_cookie(struct http_req *req, struct http_resp *resp, const char *value,
			    int max_age)
{
	char c[400];
	/* spent: a value no login has, expired in the past (some clients keep
	 * an empty cookie that only has Max-Age=0) */
	snprintf(c, sizeof(c),
		 OIDC_COOKIE "=%s; Path=/ui/oidc; HttpOnly; SameSite=Lax%s; Max-Age=%d%s",
		 max_age ? value : "spent", auth_cookie_secure(req) ? "; Secure" : "", max_age,
		 max_age ? "" : "; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
	http_set_header(resp, "Set-Cookie", c);
	vg_wipe(c, sizeof(c));
}

/* A page that says why single sign-on failed, with the way back. */
static int refuse_page(struct http_resp *resp, int status, const char *why)
{
	struct vg_buf *b = &resp->body;
	resp->status = status;
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	ui_head(b, "Single sign-on refused");
	html_raw(b, "<body class=\"login\">");
	ui_skip_link(b);
	html_raw(b, "<main id=\"main\"><h1>Single sign-on refused</h1>"
		    "<div class=\"card\" id=\"sso-refused\">");
	html(b, "<p class=\"error\" role=\"alert\">%s</p>", why);
	html_raw(b, "<p>Ask your administrator if you think you should have access.</p>"
		    "<p><a href=\"/ui/login\">Back to the login page</a></p></div></main></body>"
		    "</html>\n");
	return VG_OK;
}

/* Audit a refused single sign-on (its own transaction), then the page. */
static int refuse(struct http_req *req, struct http_resp *resp, int status, const char *user,
		  const char *why)
{
	struct vg_error e = {0};
	json_t *after = json_pack("{s:b, s:s, s:s}", "success", 0, "method", "sso", "reason", why);
	int rc = store_tx_begin(req->db, &e);
	store_set_actor(req->db, user && *user ? user : "(anonymous)", req->remote);
	if (!rc)
		rc = store_audit(req->db, "auth.login_failed", "user",
				 user && *user ? user : "(unknown)", NULL, after, &e);
	if (store_tx_end(req->db, rc, &e))
		vg_warn("single sign-on refusal not audited: %s", vg_error_msg(&e));
	json_decref(after);
	vg_info("single sign-on refused: %s", why);
	return refuse_page(resp, status, why);
}

static void url_add(struct vg_buf *b, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	vg_buf_addf(b, "&%s=", name);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			vg_buf_addc(b, (char)*p);
		else
			vg_buf_addf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

int oidc_login_start(struct http_req *req, struct http_resp *resp)
{
	struct oidc_provider op;
	struct vg_error err = {0};
	char state[48], nonce[48], verifier[64], challenge[64], cookie[200], rbuf[2100];
	struct vg_buf u;
	const char *ep;

	if (!oidc_enabled()) /* single sign-on off: the password login */
		return http_redirect(resp, "/ui/login");
	if (discover(&op, &err))
		return refuse_page(resp, 502, vg_error_msg(&err));
	if (vg_random_token(state, sizeof(state), 24) ||
	    vg_random_token(nonce, sizeof(nonce), 24) ||
	    vg_random_token(verifier, sizeof(verifier), 32) ||
	    oidc_pkce_challenge(verifier, challenge, sizeof(challenge))) {
		oidc_provider_free(&op);
		return refuse_page(resp, 500, "Could not start single sign-on.");
	}
	ep = op.authorization_endpoint;
	vg_buf_init(&u, 16384);
	vg_buf_addf(&u, "%s%sresponse_type=code", ep, strchr(ep, '?') ? "&" : "?");
	url_add(&u, "client_id", cfg("oidc.client_id", ""));
	if (!redirect_url(req, rbuf, sizeof(rbuf))) {
		oidc_provider_free(&op);
		vg_buf_release(&u);
		return refuse_page(resp, 400,
				   "No redirect URI: set oidc.redirect_url or server.public_url.");
	}
	url_add(&u, "redirect_uri", rbuf);
	url_add(&u, "scope", cfg("oidc.scopes", "openid profile email groups"));
	url_add(&u, "state", state);
	url_add(&u, "nonce", nonce);
	url_add(&u, "code_challenge", challenge);
	url_add(&u, "code_challenge_method", "S256");
	snprintf(cookie, sizeof(cookie), "%s.%s.%s", state, nonce, verifier);
	set_flow_cookie(req, resp, cookie, OIDC_MAX_AGE);
	vg_wipe(cookie, sizeof(cookie));
	vg_wipe(verifier, sizeof(verifier));
	http_redirect(resp, u.data);
	vg_buf_release(&u);
	oidc_provider_free(&op);
	return VG_OK;
}

/* Exchange code for the token response; the id_token into *idt (malloc'ed). */
static int exchange(const struct http_req *req, const struct oidc_provider *op, const char *code,
		    const char *verifier, char **idt, struct vg_error *err)
{
	struct vg_buf form, body;
	char rbuf[2100];
	long status;
	int rc;
	json_t *j = NULL;

	*idt = NULL;
	vg_buf_init(&form, 16384);
	vg_buf_init(&body, OIDC_MAX_DOC);
	vg_buf_adds(&form, "grant_type=authorization_code");
	url_add(&form, "code", code);
	url_add(&form, "redirect_uri", redirect_url(req, rbuf, sizeof(rbuf)) ? rbuf : "");
	url_add(&form, "code_verifier", verifier);
	rc = fetch(op->token_endpoint, form.data, &body, &status, err);
	if (!rc) {
		j = vg_json_parse(body.data ? body.data : "", body.len, "token response", err);
		if (!j)
			rc = VG_EIO;
	}
	if (!rc && status != 200) {
		const char *e = json_string_value(json_object_get(j, "error"));
		const char *d = json_string_value(json_object_get(j, "error_description"));
		rc = vg_error_set(err, VG_EAUTH,
				  "the provider refused the code (HTTP %ld: %.80s%s%.200s)", status,
				  e ? e : "no error given", d ? ": " : "", d ? d : "");
	}
	if (!rc) {
		const char *t = json_string_value(json_object_get(j, "id_token"));
		if (!t)
			rc = vg_error_set(err, VG_EAUTH, "the token response holds no id_token");
		else if (!(*idt = strdup(t)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	json_decref(j);
	vg_wipe(form.data, form.len);
	vg_buf_release(&form);
	vg_buf_release(&body);
	return rc;
}

/* Make or update the user of a good single sign-on (one audited
 * transaction) and audit the login; the principal into p. *why set when the
 * login is refused for the user's account. */
static int provision(struct store *s, const char *name, int role, const char *remote,
		     struct vg_principal *p, char *why, size_t whysz, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc, exists = 0, disabled = 0, local = 0;
	char oldrole[32] = "";
	int64_t uid = 0;
	json_t *after;

	why[0] = '\0';
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	store_set_actor(s, name, remote);
	rc = store_prepare(s, "SELECT id, role, password_hash, disabled FROM users WHERE name = ?",
			   &st, err);
	if (!rc) {
		store_bind_text(st, 1, name);
		rc = store_step(st, err);
		if (rc == STORE_ROW) {
			exists = 1;
			uid = store_col_int64(st, 0);
			snprintf(oldrole, sizeof(oldrole), "%s", store_col_text(st, 1));
			local = strcmp(store_col_text(st, 2), AUTH_SSO_HASH) != 0;
			disabled = store_col_int64(st, 3) != 0;
			rc = VG_OK;
		} else if (rc == STORE_DONE) {
			rc = VG_OK;
		}
		store_finalize(st);
	}
	if (!rc && exists && local)
		snprintf(why, whysz,
			 "a local account named '%s' exists: single sign-on does not take over "
			 "local accounts",
			 name);
	else if (!rc && exists && disabled)
		snprintf(why, whysz, "the account '%s' is disabled", name);
	if (rc || why[0])
		return store_tx_end(s, rc, err);
	if (!exists) {
		rc = store_exec(s, err,
				"INSERT INTO users (name, role, password_hash, created_at) VALUES "
				"(?,?,?,?)",
				"ttti", name, vg_role_name(role), AUTH_SSO_HASH, vg_now());
		after = json_pack("{s:s, s:s, s:s}", "name", name, "role", vg_role_name(role),
				  "source", "sso");
		if (!rc)
			rc = store_audit(s, "user.create", "user", name, NULL, after, err);
		json_decref(after);
		if (!rc)
			rc = store_query_int64(s, &uid, err, "SELECT id FROM users WHERE name = ?",
					       "t", name);
	} else if (strcmp(oldrole, vg_role_name(role)) != 0) {
		json_t *before = json_pack("{s:s}", "role", oldrole);
		after = json_pack("{s:s, s:s}", "role", vg_role_name(role), "source", "sso");
		rc = store_exec(s, err, "UPDATE users SET role = ? WHERE id = ?", "ti",
				vg_role_name(role), uid);
		if (!rc)
			rc = store_audit(s, "user.update", "user", name, before, after, err);
		json_decref(before);
		json_decref(after);
	}
	after = json_pack("{s:b, s:s, s:s}", "success", 1, "reason", "ok", "method", "sso");
	if (!rc)
		rc = store_audit(s, "auth.login", "user", name, NULL, after, err);
	json_decref(after);
	rc = store_tx_end(s, rc, err);
	if (!rc) {
		memset(p, 0, sizeof(*p));
		p->role = role;
		p->user_id = uid;
		snprintf(p->name, sizeof(p->name), "%s", name);
	}
	return rc;
}

static int user_name_ok(const char *n)
{
	size_t len = strlen(n);
	if (len == 0 || len > 64)
		return 0;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '@'))
			return 0;
	return 1;
}

int oidc_callback(struct http_req *req, struct http_resp *resp)
{
	const char *cookie = http_cookie(req, OIDC_COOKIE), *state = http_query(req, "state");
	const char *code = http_query(req, "code"), *perr = http_query(req, "error");
	char flow[200] = "", *nonce, *verifier, why[400], sid[96];
	struct oidc_provider op = {0};
	struct oidc_claims cl = {0};
	struct vg_principal p;
	struct vg_error err = {0};
	struct vg_buf jwks;
	char *idt = NULL;
	long status = 0;
	int rc, role = ROLE_NONE;

	if (!oidc_enabled()) /* single sign-on off: the password login */
		return http_redirect(resp, "/ui/login");
	set_flow_cookie(req, resp, "", 0); /* used once, whatever the outcome */
	if (cookie && strlen(cookie) < sizeof(flow))
		snprintf(flow, sizeof(flow), "%s", cookie);
	nonce = strchr(flow, '.');
	verifier = nonce ? strchr(nonce + 1, '.') : NULL;
	if (!nonce || !verifier || !state) {
		vg_wipe(flow, sizeof(flow));
		/* not a login yet (anyone may send this): logged, not audited */
		vg_info("single sign-on callback without login state from %s", req->remote);
		return refuse_page(
		    resp, 400,
		    "This sign-on was not started here, or took longer than ten minutes "
		    "(no login state): start again.");
	}
	*nonce++ = '\0';
	*verifier++ = '\0';
	if (!vg_ct_streq(flow, state)) {
		vg_wipe(flow, sizeof(flow));
		vg_info("single sign-on callback with a wrong state from %s", req->remote);
		return refuse_page(resp, 400,
				   "The state parameter does not match this login (replayed or "
				   "forged): start again.");
	}
	if (perr) {
		const char *d = http_query(req, "error_description");
		snprintf(why, sizeof(why), "The provider refused the sign-on: %.80s%s%.200s", perr,
			 d ? ": " : "", d ? d : "");
		vg_wipe(flow, sizeof(flow));
		return refuse(req, resp, 401, NULL, why);
	}
	{
		/* RFC 9207: a provider that names itself must be ours (mix-up) */
		const char *riss = http_query(req, "iss");
		if (riss && strcmp(riss, cfg("oidc.issuer", "")) != 0) {
			vg_wipe(flow, sizeof(flow));
			return refuse(
			    req, resp, 400, NULL,
			    "The iss parameter of the provider's answer is not oidc.issuer.");
		}
	}
	if (!code || !*code || strlen(code) > 4096) {
		vg_wipe(flow, sizeof(flow));
		return refuse(req, resp, 400, NULL, "The provider sent no authorization code.");
	}
	vg_buf_init(&jwks, OIDC_MAX_DOC);
	rc = discover(&op, &err);
	if (!rc)
		rc = exchange(req, &op, code, verifier, &idt, &err);
	if (!rc) {
		rc = fetch(op.jwks_uri, NULL, &jwks, &status, &err);
		if (!rc && status != 200)
			rc = vg_error_set(&err, VG_EIO, "%.300s answered HTTP %ld", op.jwks_uri,
					  status);
	}
	if (!rc) {
		struct oidc_expect x = {
		    .issuer = op.issuer,
		    .client_id = cfg("oidc.client_id", ""),
		    .nonce = nonce,
		    .role_claim = cfg("oidc.role_claim", "groups"),
		    .user_claim = cfg("oidc.user_claim", "preferred_username"),
		    .now = vg_now(),
		    .skew = vg_config_int("oidc.clock_skew", 60),
		    .max_age = OIDC_MAX_AGE,
		};
		rc = oidc_id_token_verify(idt, jwks.data ? jwks.data : "", jwks.len, &x, &cl, &err);
	}
	vg_wipe(flow, sizeof(flow));
	vg_buf_release(&jwks);
	oidc_provider_free(&op);
	if (idt) {
		vg_wipe(idt, strlen(idt));
		free(idt);
	}
	if (rc) {
		snprintf(why, sizeof(why), "%s", vg_error_msg(&err));
		return refuse(req, resp, rc == VG_EIO ? 502 : 401, NULL, why);
	}
	if (!user_name_ok(cl.user)) {
		snprintf(why, sizeof(why),
			 "ID token claim %.60s '%.80s': a user name of 1 to 64 letters, digits "
			 "and - _ . @ expected",
			 cfg("oidc.user_claim", "preferred_username"), cl.user);
		oidc_claims_free(&cl);
		return refuse(req, resp, 403, NULL, why);
	}
	if (oidc_role_map(cfg("oidc.role_map", ""), cl.groups, cl.ngroups, &role, &err) ||
	    role == ROLE_NONE) {
		snprintf(why, sizeof(why),
			 "%s has no group of oidc.role_map in the claim %.60s: no role in vigil",
			 cl.user, cfg("oidc.role_claim", "groups"));
		rc = refuse(req, resp, 403, cl.user, why);
		oidc_claims_free(&cl);
		return rc;
	}
	rc = provision(req->db, cl.user, role, req->remote, &p, why, sizeof(why), &err);
	if (!rc && why[0]) {
		rc = refuse(req, resp, 403, cl.user, why);
		oidc_claims_free(&cl);
		return rc;
	}
	oidc_claims_free(&cl);
	if (rc || auth_session_create(req->db, &p, req->remote, sid, sizeof(sid), &err))
		return refuse_page(resp, 500, "Could not start a session.");
	{
		char c[256];
		if (auth_cookie(c, sizeof(c), "vigil_session", sid, "/", auth_cookie_secure(req),
				-1) == VG_OK)
			http_set_header(resp, "Set-Cookie", c);
		vg_wipe(c, sizeof(c));
	}
	vg_wipe(sid, sizeof(sid));
	vg_wipe(&p, sizeof(p));
	/* The session cookie is SameSite=Strict: a browser sends it only on a
	 * navigation started on this site, and this response ends a chain the
	 * provider started. So the next step starts here: a page that moves on
	 * by itself (meta refresh, no script) or by its link. */
	resp->status = 200;
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(&resp->body);
	html_raw(
	    &resp->body,
	    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<meta http-equiv=\"refresh\" content=\"0; url=/ui/\">"
	    "<title>Signed in - vigil</title><link rel=\"icon\" href=\"data:,\">"
	    "<link rel=\"stylesheet\" href=\"/static/app.css\"></head>\n<body class=\"login\">");
	ui_skip_link(&resp->body);
	html_raw(&resp->body, "<main id=\"main\"><h1>Signed in</h1><p class=\"card\" "
			      "id=\"sso-done\"><a href=\"/ui/\">Continue to vigil</a></p></main>"
			      "</body></html>\n");
	return VG_OK;
}
