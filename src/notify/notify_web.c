/*
 * notify_web.c - the notification setup pages for admins and the PSIRT:
 * /ui/notify lists channels (secrets masked), rules and the recent
 * deliveries, with forms to add a webhook, e-mail or PagerDuty channel, to
 * add or remove a rule, and buttons to test or remove a channel;
 * /ui/notify/channels/{name} edits a channel. Every change goes through the
 * same domain functions as `vigil notify` (audited there).
 *
 * Rules:
 *  - Secrets (webhook secret, routing key, SMTP password) are typed into
 *    password inputs, sent once and never shown again: a refused form keeps
 *    every other value and asks for the secrets again; the edit form leaves
 *    a secret as stored when its input stays empty. URLs (they may carry
 *    credentials) are shown only masked.
 *  - A refused form shows the error beside its field (aria-describedby) and
 *    in an alert above the form, with status 400/404/409.
 *  - After a change, a redirect (post-redirect-get) with ?done=CODE; the
 *    banner text is fixed per code (done_text), never taken from the URL.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/text.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "notify/notify.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define VAL_MAX 2048

/* The form's fields, in the order a person fills them. */
enum {
	NF_NAME,
	NF_KIND,
	NF_URL,
	NF_SECRET,
	NF_ROUTING,
	NF_SMTP,
	NF_FROM,
	NF_TO,
	NF_USER,
	NF_PASS,
	NF_N
};

static const struct {
	const char *name, *label, *type, *kinds, *hint;
	int secret;
} nf[NF_N] = {
    {"name", "Name", "text", "*", "Letters, digits, '-' or '_'; rules and on-call refer to it.", 0},
    {"kind", "Kind", "select", "*", NULL, 0},
    {"url", "URL", "url", "webhook pagerduty",
     "Webhook: the receiver's https URL. PagerDuty: leave empty for the Events API v2.", 1},
    {"secret", "Signing secret", "password", "webhook",
     "Optional: the receiver checks the X-Vigil-Signature HMAC-SHA256 with it.", 1},
    {"routing_key", "Routing key", "password", "pagerduty",
     "The integration key of the PagerDuty service.", 1},
    {"smtp_url", "SMTP server", "text", "email", "smtp://host:25 or smtps://host:465", 1},
    {"from", "From address", "email", "email", NULL, 0},
    {"to", "To addresses", "text", "email", "Separated by commas.", 0},
    {"username", "SMTP user name", "text", "email", "Optional.", 0},
    {"password", "SMTP password", "password", "email", "Optional.", 1},
};

struct nform {
	char v[NF_N][VAL_MAX];
	int starttls;
	const char *bad; /* the field an error concerns, NULL for the form */
	char msg[600];   /* the error, "" when none */
};

/* The fixed banner of ?done=CODE. */
static const char *done_text(const char *code)
{
	static const struct {
		const char *code, *text;
	} t[] = {
	    {"channel-added", "The channel was added."},
	    {"channel-saved", "The channel was saved."},
	    {"channel-removed", "The channel was removed (disabled); its history is kept."},
	    {"channel-tested", "A test message was queued; it is sent within seconds (see the "
			       "deliveries below)."},
	    {"rule-added", "The rule was added."},
	    {"rule-removed", "The rule was removed."},
	};
	for (size_t i = 0; code && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].text;
	return NULL;
}

static void read_form(struct http_req *req, struct nform *f)
{
	char one[8];
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < NF_N; i++)
		if (http_form(req, nf[i].name, f->v[i], sizeof(f->v[i])) != VG_OK)
			f->v[i][0] = '\0';
	f->starttls = http_form(req, "starttls", one, sizeof(one)) == VG_OK && one[0] == '1';
}

static void wipe_secrets(struct nform *f)
{
	for (int i = 0; i < NF_N; i++)
		if (nf[i].secret)
			vg_wipe(f->v[i], sizeof(f->v[i]));
}

/* The field an error message of the domain names ("email: from: ..."). */
static const char *field_of(const char *msg)
{
	static const char *const order[] = {"smtp_url", "routing_key", "username", "password",
					    "secret",   "from",        "to",       "url",
					    "kind",     "name"};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char pat[40];
		snprintf(pat, sizeof(pat), "%s:", order[i]);
		if (strstr(msg, pat) || (strcmp(order[i], "name") == 0 && strstr(msg, "name")))
			return order[i];
	}
	if (strstr(msg, "already exists"))
		return "name";
	return NULL;
}

/* A configuration from the form for kind (the CLI's keys). Caller owns. */
static json_t *form_config(const struct nform *f, const char *kind, int for_update)
{
	json_t *cfg = json_object();
	if (!cfg)
		return NULL;
	if (strcmp(kind, "webhook") == 0 || strcmp(kind, "pagerduty") == 0) {
		if (f->v[NF_URL][0])
			json_object_set_new(cfg, "url", json_string(f->v[NF_URL]));
		if (strcmp(kind, "webhook") == 0 && (f->v[NF_SECRET][0] || for_update))
			json_object_set_new(cfg, "secret", json_string(f->v[NF_SECRET]));
		if (strcmp(kind, "pagerduty") == 0 && (f->v[NF_ROUTING][0] || for_update))
			json_object_set_new(cfg, "routing_key", json_string(f->v[NF_ROUTING]));
	} else if (strcmp(kind, "email") == 0) {
		json_t *to = json_array();
		char list[VAL_MAX], *save = NULL;
		snprintf(list, sizeof(list), "%s", f->v[NF_TO]);
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			while (*t == ' ')
				t++;
			size_t n = strlen(t);
			while (n && t[n - 1] == ' ')
				t[--n] = '\0';
			if (*t)
				json_array_append_new(to, json_string(t));
		}
		json_object_set_new(cfg, "to", to);
		if (f->v[NF_SMTP][0] || !for_update)
			json_object_set_new(cfg, "smtp_url", json_string(f->v[NF_SMTP]));
		json_object_set_new(cfg, "from", json_string(f->v[NF_FROM]));
		json_object_set_new(cfg, "starttls", json_boolean(f->starttls));
		if (f->v[NF_USER][0])
			json_object_set_new(cfg, "username", json_string(f->v[NF_USER]));
		else if (for_update)
			json_object_set_new(cfg, "username", json_null());
		if (f->v[NF_PASS][0] || for_update)
			json_object_set_new(cfg, "password", json_string(f->v[NF_PASS]));
	}
	return cfg;
}

/* One labelled field, its error beside it. shown: a masked current value. */
static void field(struct vg_buf *b, const struct nform *f, int i, const char *shown, int fixed)
{
	int bad = f && f->bad && strcmp(f->bad, nf[i].name) == 0;
	const char *val = f && !nf[i].secret ? f->v[i] : "";
	html(b, "<div class=\"field%s\" data-kinds=\"%s\"><label for=\"nf-%s\">%s</label>",
	     bad ? " invalid" : "", nf[i].kinds, nf[i].name, nf[i].label);
	if (nf[i].hint || shown)
		html(b, "<span class=\"hint\" id=\"nf-%s-hint\">%s%s%s</span>", nf[i].name,
		     nf[i].hint ? nf[i].hint : "", shown && nf[i].hint ? " " : "",
		     shown ? shown : "");
	if (bad)
		html(b, "<span class=\"field-error\" id=\"nf-%s-error\">%s</span>", nf[i].name,
		     f->msg);
	html(b, "<input type=\"%s\" id=\"nf-%s\" name=\"%s\" value=\"%s\" maxlength=\"2000\"",
	     nf[i].type, nf[i].name, nf[i].name, val);
	if (nf[i].secret || strcmp(nf[i].name, "url") == 0 || strcmp(nf[i].name, "smtp_url") == 0)
		html_raw(b, " autocomplete=\"off\"");
	if (fixed)
		html_raw(b, " readonly");
	if (bad)
		html_raw(b, " aria-invalid=\"true\"");
	if (nf[i].hint || shown || bad)
		html(b, " aria-describedby=\"%s%s%s%s%s\"", nf[i].hint || shown ? "nf-" : "",
		     nf[i].hint || shown ? nf[i].name : "", nf[i].hint || shown ? "-hint" : "",
		     bad ? " nf-" : "", bad ? nf[i].name : "");
	if (bad)
		html_raw(b, "-error");
	html_raw(b, "></div>\n");
}

static void kind_select(struct vg_buf *b, const struct nform *f)
{
	static const char *const kinds[][2] = {
	    {"webhook", "Webhook (signed JSON POST)"},
	    {"email", "E-mail (SMTP)"},
	    {"pagerduty", "PagerDuty (Events API v2)"},
	};
	int bad = f && f->bad && strcmp(f->bad, "kind") == 0;
	html(b, "<div class=\"field%s\"><label for=\"nf-kind\">Kind</label>",
	     bad ? " invalid" : "");
	if (bad)
		html(b, "<span class=\"field-error\" id=\"nf-kind-error\">%s</span>", f->msg);
	html(b, "<select id=\"nf-kind\" name=\"kind\"%s>",
	     bad ? " aria-invalid=\"true\" aria-describedby=\"nf-kind-error\"" : "");
	for (size_t i = 0; i < 3; i++)
		html(b, "<option value=\"%s\"%s>%s</option>", kinds[i][0],
		     f && strcmp(f->v[NF_KIND], kinds[i][0]) == 0 ? " selected" : "", kinds[i][1]);
	html_raw(b, "</select></div>\n");
}

static void form_error(struct vg_buf *b, const struct nform *f)
{
	if (!f || !f->msg[0])
		return;
	html(b, "<div class=\"error\" role=\"alert\" id=\"form-error\"><p>%s</p>", f->msg);
	if (f->bad)
		html_raw(b, "<p>Secrets and URLs are never sent back to the browser: please type "
			    "them again.</p>");
	html_raw(b, "</div>\n");
}

static void channel_form(struct http_req *req, struct http_resp *resp, const struct nform *f)
{
	struct vg_buf *b = &resp->body;
	html_raw(b, "<h2 id=\"add-channel\">Add a channel</h2>\n");
	if (f)
		form_error(b, f);
	html_raw(b,
		 "<form method=\"post\" action=\"/ui/notify/channels\" class=\"card setup-form\" "
		 "id=\"channel-form\">");
	ui_csrf_field(req, resp);
	field(b, f, NF_NAME, NULL, 0);
	kind_select(b, f);
	html_raw(b, "<p class=\"hint\">Fill in the fields of the kind you chose; the others are "
		    "ignored.</p><fieldset><legend>Webhook or PagerDuty</legend>");
	field(b, f, NF_URL, NULL, 0);
	field(b, f, NF_SECRET, NULL, 0);
	field(b, f, NF_ROUTING, NULL, 0);
	html_raw(b, "</fieldset><fieldset><legend>E-mail</legend>");
	for (int i = NF_SMTP; i <= NF_PASS; i++)
		field(b, f, i, NULL, 0);
	html(b,
	     "<div class=\"field\"><label><input type=\"checkbox\" name=\"starttls\" value=\"1\" "
	     "id=\"nf-starttls\"%s> Require STARTTLS</label></div></fieldset>"
	     "<p><button type=\"submit\" id=\"add-channel-button\">Add "
	     "channel</button></p></form>\n",
	     f && f->starttls ? " checked" : "");
}

/* The masked configuration as "key: value" items. */
static void config_list(struct vg_buf *b, const char *config_masked)
{
	json_t *c = config_masked ? json_loads(config_masked, 0, NULL) : NULL;
	const char *k;
	json_t *v;
	html_raw(b, "<ul class=\"config\">");
	json_object_foreach(c, k, v)
	{
		char *t = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		html(b, "<li><span class=\"key\">%s</span>: %s</li>", k,
		     json_is_string(v) ? json_string_value(v) : (t ? t : ""));
		free(t);
	}
	html_raw(b, "</ul>");
	json_decref(c);
}

static int notify_page(struct http_req *req, struct http_resp *resp, const struct nform *chf,
		       const struct nform *rf)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct notify_channel_list ch;
	struct notify_rule_list rules;
	struct notify_delivery_list log;
	const char *done = done_text(http_query(req, "done"));
	int status = resp->status;

	vg_arena_init(&mem, 0);
	if (notify_channels(req->db, &mem, &ch, &err) ||
	    notify_rules(req->db, &mem, &rules, &err) ||
	    notify_log(req->db, 20, &mem, &log, &err)) {
		vg_arena_release(&mem);
		ui_page_begin(req, resp, "Notifications", "setup");
		resp->status = vg_code_http_status(err.code);
		html(b, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(&err));
		return ui_page_end(resp);
	}
	ui_page_begin(req, resp, "Notifications", "setup");
	if (status >= 400)
		resp->status = status;
	if (done && !chf && !rf)
		html(b, "<p class=\"ok\" role=\"status\" id=\"flash\">%s</p>\n", done);
	html_raw(b, "<p>Channels carry alerts (Article 14 clocks, exploited findings, on-call "
		    "pages) to people and tools; rules choose which events go where. The portal "
		    "e-mails reporters their tracking link through an e-mail channel.</p>\n"
		    "<h2>Channels</h2>\n<div class=\"table-wrap\"><table id=\"channels\" "
		    "tabindex=\"0\" aria-label=\"Channels\"><thead><tr>"
		    "<th scope=\"col\">Name</th><th scope=\"col\">Kind</th><th scope=\"col\">State"
		    "</th><th scope=\"col\">Configuration (secrets masked)</th><th scope=\"col\">"
		    "Actions</th></tr></thead><tbody>");
	for (size_t i = 0; i < ch.n; i++) {
		const struct notify_channel *c = &ch.v[i];
		html(b, "<tr id=\"channel-%s\"><td>%s</td><td>%s</td><td>%s</td><td>", c->name,
		     c->name, c->kind, c->enabled ? "enabled" : "removed");
		config_list(b, c->config_masked);
		html(b, "</td><td class=\"actions\"><a href=\"/ui/notify/channels/%s\">Edit</a>",
		     c->name);
		if (c->enabled) {
			html(b, "<form method=\"post\" action=\"/ui/notify/channels/%s/test\">",
			     c->name);
			ui_csrf_field(req, resp);
			html(b,
			     "<button type=\"submit\" aria-label=\"Send a test message on %s\">Test"
			     "</button></form><form method=\"post\" "
			     "action=\"/ui/notify/channels/%s/remove\">",
			     c->name, c->name);
			ui_csrf_field(req, resp);
			html(b,
			     "<button type=\"submit\" class=\"danger\" aria-label=\"Remove %s\">"
			     "Remove</button></form>",
			     c->name);
		}
		html_raw(b, "</td></tr>");
	}
	if (!ch.n)
		html_raw(b, "<tr><td colspan=\"5\">No channels yet.</td></tr>");
	html_raw(b, "</tbody></table></div>\n<h2>Rules</h2>\n<div class=\"table-wrap\"><table "
		    "id=\"rules\" tabindex=\"0\" aria-label=\"Rules\"><thead><tr><th "
		    "scope=\"col\">Event</th><th scope=\"col\">Lowest "
		    "severity</th><th scope=\"col\">Channel</th><th scope=\"col\">Actions</th></tr>"
		    "</thead><tbody>");
	for (size_t i = 0; i < rules.n; i++) {
		const struct notify_rule *r = &rules.v[i];
		html(b,
		     "<tr id=\"rule-%lld\"><td><code>%s</code></td><td>%s</td><td>%s</td><td>"
		     "<form method=\"post\" action=\"/ui/notify/rules/%lld/remove\">",
		     (long long)r->id, r->event, r->min_severity ? r->min_severity : "any",
		     r->channel, (long long)r->id);
		ui_csrf_field(req, resp);
		html(b,
		     "<button type=\"submit\" class=\"danger\" aria-label=\"Remove the rule %s to "
		     "%s\">Remove</button></form></td></tr>",
		     r->event, r->channel);
	}
	if (!rules.n)
		html_raw(b, "<tr><td colspan=\"4\">No rules yet.</td></tr>");
	html_raw(b, "</tbody></table></div>\n<h2 id=\"add-rule\">Add a rule</h2>\n");
	if (rf)
		form_error(b, rf);
	html_raw(b, "<form method=\"post\" action=\"/ui/notify/rules\" class=\"card setup-form\" "
		    "id=\"rule-form\">");
	ui_csrf_field(req, resp);
	{
		int bad_ev = rf && rf->bad && strcmp(rf->bad, "event") == 0;
		int bad_ch = rf && rf->bad && strcmp(rf->bad, "channel") == 0;
		int bad_sev = rf && rf->bad && strcmp(rf->bad, "min_severity") == 0;
		static const char *const sev[] = {"", "info", "low", "medium", "high", "critical"};
		html(b,
		     "<div class=\"field%s\"><label for=\"rule-event\">Event</label><span "
		     "class=\"hint\" id=\"rule-event-hint\">A name (art14.warning), a family "
		     "(finding.*) or * for all.</span>",
		     bad_ev ? " invalid" : "");
		if (bad_ev)
			html(b, "<span class=\"field-error\" id=\"rule-event-error\">%s</span>",
			     rf->msg);
		html(b,
		     "<input type=\"text\" id=\"rule-event\" name=\"event\" maxlength=\"100\" "
		     "value=\"%s\" aria-describedby=\"rule-event-hint%s\"%s></div>",
		     rf ? rf->v[0] : "", bad_ev ? " rule-event-error" : "",
		     bad_ev ? " aria-invalid=\"true\"" : "");
		html(b,
		     "<div class=\"field%s\"><label for=\"rule-severity\">Lowest severity</label>",
		     bad_sev ? " invalid" : "");
		if (bad_sev)
			html(b, "<span class=\"field-error\" id=\"rule-severity-error\">%s</span>",
			     rf->msg);
		html_raw(b, "<select id=\"rule-severity\" name=\"min_severity\">");
		for (size_t i = 0; i < 6; i++)
			html(b, "<option value=\"%s\"%s>%s</option>", sev[i],
			     rf && strcmp(rf->v[1], sev[i]) == 0 ? " selected" : "",
			     i ? sev[i] : "any (also events without a severity)");
		html(b,
		     "</select></div><div class=\"field%s\"><label for=\"rule-channel\">Channel"
		     "</label>",
		     bad_ch ? " invalid" : "");
		if (bad_ch)
			html(b, "<span class=\"field-error\" id=\"rule-channel-error\">%s</span>",
			     rf->msg);
		html_raw(b, "<select id=\"rule-channel\" name=\"channel\">");
		for (size_t i = 0; i < ch.n; i++)
			if (ch.v[i].enabled)
				html(b, "<option value=\"%s\"%s>%s</option>", ch.v[i].name,
				     rf && strcmp(rf->v[2], ch.v[i].name) == 0 ? " selected" : "",
				     ch.v[i].name);
		html_raw(b, "</select></div><p><button type=\"submit\" id=\"add-rule-button\">Add "
			    "rule</button></p></form>\n");
	}
	channel_form(req, resp, chf);
	html_raw(b, "<h2>Recent deliveries</h2>\n<div class=\"table-wrap\"><table "
		    "id=\"deliveries\" tabindex=\"0\" aria-label=\"Recent "
		    "deliveries\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">"
		    "Event</th><th scope=\"col\">Channel</th><th scope=\"col\">State</th><th "
		    "scope=\"col\">Attempts</th><th scope=\"col\">Last error</th></tr></thead>"
		    "<tbody>");
	for (size_t i = 0; i < log.n; i++) {
		const struct notify_delivery *d = &log.v[i];
		html_raw(b, "<tr><td>");
		html_time(b, d->created_at, NULL);
		html(b,
		     "</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%lld</td><td>%s</td>"
		     "</tr>",
		     d->event, d->channel, d->status, (long long)d->attempts,
		     d->last_error ? d->last_error : "");
	}
	if (!log.n)
		html_raw(b, "<tr><td colspan=\"6\">Nothing sent yet.</td></tr>");
	html_raw(b, "</tbody></table></div>\n");
	vg_arena_release(&mem);
	return ui_page_end(resp);
}

static int notify_get(struct http_req *req, struct http_resp *resp)
{
	return notify_page(req, resp, NULL, NULL);
}

static int channel_add_post(struct http_req *req, struct http_resp *resp)
{
	struct nform f;
	struct vg_error err = {0};
	json_t *cfg;
	int rc;

	read_form(req, &f);
	cfg = form_config(&f, f.v[NF_KIND], 0);
	rc = cfg ? notify_channel_add(req->db, f.v[NF_NAME], f.v[NF_KIND], cfg, &err)
		 : vg_error_set(&err, VG_ENOMEM, "out of memory");
	if (cfg) {
		const char *k;
		json_t *v;
		json_object_foreach(cfg, k, v) if (json_is_string(v))
		    vg_wipe((char *)json_string_value(v), json_string_length(v));
	}
	json_decref(cfg);
	wipe_secrets(&f);
	if (rc) {
		snprintf(f.msg, sizeof(f.msg), "%s", vg_error_msg(&err));
		f.bad = field_of(f.msg);
		resp->status = vg_code_http_status(rc);
		return notify_page(req, resp, &f, NULL);
	}
	return http_redirect(resp, "/ui/notify?done=channel-added");
}

static int channel_remove_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	if (notify_channel_remove(req->db, http_param(req, "name"), &err)) {
		return ui_error_page(req, resp, vg_code_http_status(err.code), vg_error_msg(&err));
	}
	return http_redirect(resp, "/ui/notify?done=channel-removed");
}

static int channel_test_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	if (notify_channel_test(req->db, http_param(req, "name"), req->who.name, &err)) {
		return ui_error_page(req, resp, vg_code_http_status(err.code), vg_error_msg(&err));
	}
	return http_redirect(resp, "/ui/notify?done=channel-tested");
}

static int rule_add_post(struct http_req *req, struct http_resp *resp)
{
	struct nform f;
	struct vg_error err = {0};
	int rc;

	memset(&f, 0, sizeof(f));
	if (http_form(req, "event", f.v[0], sizeof(f.v[0])) != VG_OK)
		f.v[0][0] = '\0';
	if (http_form(req, "min_severity", f.v[1], sizeof(f.v[1])) != VG_OK)
		f.v[1][0] = '\0';
	if (http_form(req, "channel", f.v[2], sizeof(f.v[2])) != VG_OK)
		f.v[2][0] = '\0';
	rc = notify_rule_add(req->db, f.v[0], f.v[1][0] ? f.v[1] : NULL, f.v[2], &err);
	if (rc) {
		const char *m = vg_error_msg(&err);
		/* the domain's messages name CLI options: the page names its fields */
		if (strstr(m, "--event")) {
			f.bad = "event";
			snprintf(f.msg, sizeof(f.msg),
				 "Event: expected an event name, a family "
				 "such as finding.* or *");
		} else if (strstr(m, "--min-severity")) {
			f.bad = "min_severity";
			snprintf(f.msg, sizeof(f.msg),
				 "Lowest severity: expected info, low, medium, high or critical");
		} else if (strstr(m, "channel")) {
			f.bad = "channel";
			snprintf(f.msg, sizeof(f.msg), "Channel: %s", m);
		} else {
			snprintf(f.msg, sizeof(f.msg), "%s", m);
		}
		resp->status = vg_code_http_status(rc);
		return notify_page(req, resp, NULL, &f);
	}
	return http_redirect(resp, "/ui/notify?done=rule-added");
}

static int rule_remove_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id = 0;
	if (vg_id_parse(http_param(req, "id"), "rule id", &id, &err) ||
	    notify_rule_remove(req->db, id, &err)) {
		return ui_error_page(req, resp, vg_code_http_status(err.code), vg_error_msg(&err));
	}
	return http_redirect(resp, "/ui/notify?done=rule-removed");
}

/* ---- editing one channel ---- */

static int edit_page(struct http_req *req, struct http_resp *resp, struct nform *f)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct notify_channel_list ch;
	const struct notify_channel *c = NULL;
	const char *name = http_param(req, "name");
	json_t *cfg;
	struct nform cur;
	int status = resp->status;

	vg_arena_init(&mem, 0);
	if (notify_channels(req->db, &mem, &ch, &err)) {
		vg_arena_release(&mem);
		return http_fail(resp, &err);
	}
	for (size_t i = 0; i < ch.n; i++)
		if (strcmp(ch.v[i].name, name ? name : "") == 0)
			c = &ch.v[i];
	if (!c) {
		vg_arena_release(&mem);
		ui_page_begin(req, resp, "Channel not found", "setup");
		resp->status = 404;
		html(b,
		     "<p class=\"error\" role=\"alert\">There is no channel named '%s'.</p><p><a "
		     "href=\"/ui/notify\">Back to the notifications</a></p>",
		     name ? name : "");
		return ui_page_end(resp);
	}
	/* the stored values as shown (masked), for the fields a person may keep */
	memset(&cur, 0, sizeof(cur));
	cfg = c->config_masked ? json_loads(c->config_masked, 0, NULL) : NULL;
	snprintf(cur.v[NF_NAME], VAL_MAX, "%s", c->name);
	snprintf(cur.v[NF_KIND], VAL_MAX, "%s", c->kind);
	snprintf(cur.v[NF_FROM], VAL_MAX, "%s",
		 vg_json_str(cfg, "from") ? vg_json_str(cfg, "from") : "");
	snprintf(cur.v[NF_USER], VAL_MAX, "%s",
		 vg_json_str(cfg, "username") ? vg_json_str(cfg, "username") : "");
	cur.starttls = json_is_true(json_object_get(cfg, "starttls"));
	{
		json_t *to = json_object_get(cfg, "to"), *v;
		size_t i, n = 0;
		json_array_foreach(to, i, v)
		{
			n += (size_t)snprintf(cur.v[NF_TO] + n, n < VAL_MAX ? VAL_MAX - n : 0,
					      "%s%s", i ? ", " : "",
					      json_string_value(v) ? json_string_value(v) : "");
			if (n >= VAL_MAX)
				break;
		}
	}
	if (!f)
		f = &cur;
	ui_page_begin(req, resp, "Edit a notification channel", "setup");
	if (status >= 400)
		resp->status = status;
	html(b,
	     "<p><a href=\"/ui/notify\">Back to the notifications</a></p>\n<p>Channel <strong "
	     "id=\"edit-name\">%s</strong>, kind %s. Secrets and URLs are not shown: leave "
	     "their fields empty to keep them as stored.</p>\n",
	     c->name, c->kind);
	form_error(b, f != &cur ? f : NULL);
	html(b,
	     "<form method=\"post\" action=\"/ui/notify/channels/%s\" class=\"card setup-form\" "
	     "id=\"edit-form\">",
	     c->name);
	ui_csrf_field(req, resp);
	if (strcmp(c->kind, "email") == 0) {
		char shown[VAL_MAX];
		snprintf(shown, sizeof(shown), "Now: %s",
			 vg_json_str(cfg, "smtp_url") ? vg_json_str(cfg, "smtp_url") : "-");
		field(b, f, NF_SMTP, shown, 0);
		field(b, f, NF_FROM, NULL, 0);
		field(b, f, NF_TO, NULL, 0);
		field(b, f, NF_USER, NULL, 0);
		field(b, f, NF_PASS, vg_json_str(cfg, "password") ? "A password is stored." : NULL,
		      0);
		html(b,
		     "<div class=\"field\"><label><input type=\"checkbox\" name=\"starttls\" "
		     "value=\"1\" id=\"nf-starttls\"%s> Require STARTTLS</label></div>",
		     f->starttls ? " checked" : "");
	} else {
		char shown[VAL_MAX];
		snprintf(shown, sizeof(shown), "Now: %s",
			 vg_json_str(cfg, "url") ? vg_json_str(cfg, "url") : "the default");
		field(b, f, NF_URL, shown, 0);
		if (strcmp(c->kind, "webhook") == 0)
			field(b, f, NF_SECRET,
			      vg_json_str(cfg, "secret") ? "A secret is stored." : NULL, 0);
		else
			field(b, f, NF_ROUTING, "A routing key is stored.", 0);
	}
	html_raw(b, "<p><button type=\"submit\" id=\"save-channel\">Save channel</button></p>"
		    "</form>\n");
	json_decref(cfg);
	vg_arena_release(&mem);
	return ui_page_end(resp);
}

static int edit_get(struct http_req *req, struct http_resp *resp)
{
	return edit_page(req, resp, NULL);
}

static int edit_post(struct http_req *req, struct http_resp *resp)
{
	struct nform f;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct notify_channel_list ch;
	const char *name = http_param(req, "name"), *kind = NULL;
	json_t *cfg = NULL;
	int rc;

	read_form(req, &f);
	vg_arena_init(&mem, 0);
	rc = notify_channels(req->db, &mem, &ch, &err);
	for (size_t i = 0; !rc && i < ch.n; i++)
		if (strcmp(ch.v[i].name, name ? name : "") == 0)
			kind = ch.v[i].kind;
	if (!rc && !kind)
		rc = vg_error_set(&err, VG_ENOTFOUND, "no channel named '%s'", name ? name : "");
	if (!rc) {
		cfg = form_config(&f, kind, 1);
		rc = cfg ? notify_channel_update(req->db, name, cfg, &err)
			 : vg_error_set(&err, VG_ENOMEM, "out of memory");
	}
	if (cfg) {
		const char *k;
		json_t *v;
		json_object_foreach(cfg, k, v) if (json_is_string(v))
		    vg_wipe((char *)json_string_value(v), json_string_length(v));
	}
	json_decref(cfg);
	vg_arena_release(&mem);
	wipe_secrets(&f);
	if (rc == VG_ENOTFOUND)
		return edit_page(req, resp, NULL);
	if (rc) {
		snprintf(f.msg, sizeof(f.msg), "%s", vg_error_msg(&err));
		f.bad = field_of(f.msg);
		resp->status = vg_code_http_status(rc);
		return edit_page(req, resp, &f);
	}
	return http_redirect(resp, "/ui/notify?done=channel-saved");
}

/* clang-format off */
const struct http_route notify_ui_routes[] = {
    {"GET", "/ui/notify", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, notify_get, "Notification setup: channels, rules, deliveries", "ui"},
    {"POST", "/ui/notify/channels", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, channel_add_post, "Add a notification channel (form)", "ui"},
    {"GET", "/ui/notify/channels/{name}", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, edit_get, "Edit a notification channel", "ui"},
    {"POST", "/ui/notify/channels/{name}", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, edit_post, "Save a notification channel (form; empty secrets are kept)", "ui"},
    {"POST", "/ui/notify/channels/{name}/test", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, channel_test_post, "Queue a test message on a channel (form)", "ui"},
    {"POST", "/ui/notify/channels/{name}/remove", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, channel_remove_post, "Remove (disable) a channel (form)", "ui"},
    {"POST", "/ui/notify/rules", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, rule_add_post, "Add a notification rule (form)", "ui"},
    {"POST", "/ui/notify/rules/{id}/remove", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, rule_remove_post, "Remove a notification rule (form)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
