/*
 * ui_auth.c - the login and logout pages. The login form carries a CSRF
 * token that must match a cookie set with the form (a login needs no
 * session yet); a good login starts a session and sets its cookie. Cookies
 * are HttpOnly, SameSite=Strict, and Secure whenever the request came over
 * TLS (directly or through a trusted proxy) or server.secure_cookies is set.
 */
#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "auth/oidc.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "core/hash.h"
#include "http/html.h"
#include "http/ui.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

int auth_cookie(char *out, size_t outsz, const char *name, const char *value, const char *path,
		int secure, int max_age)
{
	char age[32] = "";
	int n;

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
	n = snprintf(out, outsz, "%s=%s; Path=%s; HttpOnly; SameSite=Strict%s%s", name, value, path,
		     secure ? "; Secure" : "", age);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz)
			out[0] = '\0';
		return VG_ETOOBIG;
	}
	return VG_OK;
}

int auth_cookie_secure(const struct http_req *req)
{
	return (req && req->secure) || vg_config_int("server.secure_cookies", 0);
}

static void set_cookie(struct http_req *req, struct http_resp *resp, const char *name,
		       const char *value, const char *path, int max_age)
{
	char c[256];
	if (auth_cookie(c, sizeof(c), name, value, path, auth_cookie_secure(req), max_age) == VG_OK)
		http_set_header(resp, "Set-Cookie", c);
	vg_wipe(c, sizeof(c));
}

/* The login page: message is a refusal of the whole form (wrong password,
 * expired form), fe the fields left empty; user is kept, the password never. */
static void login_page(struct http_req *req, struct http_resp *resp, const char *message,
		       const char *user, const struct ui_form_errors *fe)
{
	struct vg_buf *b = &resp->body;
	const char *ll = vg_config_get("auth.local_login", "on");
	char tok[64];

	if (!ll)
		ll = "on";
	vg_random_token(tok, sizeof(tok), 24);
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	ui_head(b, "Log in");
	html_raw(b, "<body class=\"login\">");
	ui_skip_link(b);
	html_raw(b, "<main id=\"main\"><h1>Log in to vigil</h1>");
	if (ui_pending_waiting(req))
		html_raw(
		    b, "<p class=\"notice\" role=\"status\" id=\"pending-notice\">You were logged "
		       "out before your form was sent. Log in, and you can send it.</p>");
	ui_error_summary(b, fe);
	if (oidc_enabled())
		html_raw(b, "<p class=\"card\" id=\"sso\"><a class=\"button\" id=\"sso-login\" "
			    "href=\"/ui/login/sso\">Sign in with SSO</a></p>");
	if (strcmp(ll, "off") == 0) {
		if (message)
			html(b, "<p class=\"error\" role=\"alert\">%s</p>", message);
		html_raw(b, "<p id=\"local-off\">Password login is turned off: sign in with "
			    "SSO.</p></main></body></html>\n");
		return;
	}
	if (oidc_enabled())
		html(b, "<h2 id=\"local-heading\">%s</h2>",
		     strcmp(ll, "admins") == 0 ? "Administrator password (break-glass)"
					       : "Or log in with a password");
	html_raw(b, "<form method=\"post\" action=\"/ui/login\" class=\"card\" id=\"login-form\">");
	if (message)
		html(b, "<p class=\"error\" role=\"alert\">%s</p>", message);
	html(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", tok);
	ui_field(
	    b, fe,
	    &(struct ui_field){.name = "user",
			       .label = "User name",
			       .value = user,
			       .attrs = "autocomplete=\"username\" required maxlength=\"64\""});
	ui_field(b, fe,
		 &(struct ui_field){.name = "password",
				    .label = "Password",
				    .type = "password",
				    .attrs = "autocomplete=\"current-password\" required "
					     "maxlength=\"1024\""});
	html_raw(
	    b,
	    "<button type=\"submit\" id=\"login\">Log in</button></form></main></body></html>\n");
	set_cookie(req, resp, "vigil_login", tok, "/ui/login", -1);
}

static int login_get(struct http_req *req, struct http_resp *resp)
{
	resp->status = 200;
	login_page(req, resp, NULL, NULL, NULL);
	return VG_OK;
}

static int login_post(struct http_req *req, struct http_resp *resp)
{
	char user[80], pw[1100], csrf[96], sid[96];
	const char *cookie = http_cookie(req, "vigil_login");
	struct ui_form_errors fe = {0};
	struct vg_principal p;
	struct vg_error err = {0};
	int rc;

	if (http_form(req, "csrf", csrf, sizeof(csrf)) || !cookie || !vg_ct_streq(csrf, cookie)) {
		resp->status = 400;
		login_page(req, resp, "The form expired or was replayed; please log in again.",
			   NULL, NULL);
		return VG_OK;
	}
	if (http_form(req, "user", user, sizeof(user)) || !user[0])
		ui_form_error(&fe, "user", "Enter your user name");
	if (http_form(req, "password", pw, sizeof(pw)) || !pw[0])
		ui_form_error(&fe, "password", "Enter your password");
	if (fe.n) {
		vg_wipe(pw, sizeof(pw));
		resp->status = 400;
		login_page(req, resp, NULL, user, &fe);
		return VG_OK;
	}
	rc = auth_login(req->db, user, pw, req->remote, &p, &err);
	vg_wipe(pw, sizeof(pw));
	if (rc) {
		/* busy: every password check slot was taken (auth.password_checks) */
		resp->status = rc == VG_ERATE ? 429 : rc == VG_EBUSY ? 503 : 401;
		login_page(req, resp, vg_error_msg(&err), user, NULL);
		if (rc == VG_EBUSY)
			http_set_header(resp, "Retry-After", "1");
		return VG_OK;
	}
	if (auth_session_create(req->db, &p, req->remote, sid, sizeof(sid), &err)) {
		resp->status = 500;
		login_page(req, resp, "Could not start a session.", user, NULL);
		return VG_OK;
	}
	set_cookie(req, resp, "vigil_session", sid, "/", -1);
	vg_wipe(sid, sizeof(sid));
	vg_wipe(&p, sizeof(p));
	/* a form kept when the session ended is offered, never replayed (http/ui.h) */
	return http_redirect(resp, ui_pending_waiting(req) ? "/ui/resume" : "/ui/");
}

static int logout_post(struct http_req *req, struct http_resp *resp)
{
	if (req->session_id[0]) {
		struct vg_error e = {0};
		if (auth_session_delete(req->db, req->session_id, &e))
			vg_warn("logout: session not deleted: %s", vg_error_msg(&e));
	}
	{
		struct vg_error e = {0};
		if (store_audit(req->db, "auth.logout", "user", req->who.name, NULL, NULL, &e))
			vg_warn("logout of %s not audited: %s", req->who.name, vg_error_msg(&e));
	}
	set_cookie(req, resp, "vigil_session", "", "/", 0);
	return http_redirect(resp, "/ui/login");
}

const struct http_route auth_ui_routes[] = {
    {"GET", "/ui/login", ROLE_PUBLIC, HTTP_UI, login_get, "Login page", "ui"},
    {"POST", "/ui/login", ROLE_PUBLIC, HTTP_UI | HTTP_NO_CSRF, login_post,
     "Log in (form: user, password, csrf)", "ui"},
    {"POST", "/ui/logout", ROLE_ANY, HTTP_UI, logout_post, "Log out", "ui"},
    /* redirects of the protocol, not pages: hidden like the other redirects */
    {"GET", "/ui/login/sso", ROLE_PUBLIC, HTTP_UI | HTTP_HIDDEN, oidc_login_start,
     "Single sign-on: to the OpenID provider (authorization code flow, PKCE S256)", "ui"},
    {"GET", "/ui/oidc/callback", ROLE_PUBLIC, HTTP_UI | HTTP_HIDDEN, oidc_callback,
     "Single sign-on: back from the OpenID provider (code, state)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
