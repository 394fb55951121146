/*
 * setup_web.c - setting up reachability in the browser, for admins and the
 * PSIRT: /ui/setup (what to set up, and whether it is), /ui/oncall/setup
 * (people, weekly rotations, escalation policies, drills: what `vigil oncall`
 * does) and /ui/securitytxt (contact, lifetime, languages, signing, publish
 * now: what the [securitytxt] settings and `vigil securitytxt publish` do).
 * Every change goes through the same audited domain functions as the CLI.
 *
 * Rules:
 *  - A refused form is shown again with what was typed, the error beside
 *    its field (aria-describedby) and in an alert above the form.
 *  - After a change, a redirect with ?done=CODE; the banner's text is fixed
 *    per code here, never taken from the URL.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/text.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "notify/notify.h"
#include "reach/oncall.h"
#include "reach/reach.h"
#include "reach/stpublish.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define V_MAX  1024
#define NLEVEL 3

/* A posted form: values by name, and its error. */
struct sform {
	const char *form; /* which form on the page ("person", ...) */
	char name[16][32];
	char val[16][V_MAX];
	int n;
	const char *bad; /* the field the error concerns, NULL: the form */
	char msg[600];
};

static const char *fv(const struct sform *f, const char *form, const char *name)
{
	if (!f || !f->form || strcmp(f->form, form) != 0)
		return "";
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->name[i], name) == 0)
			return f->val[i];
	return "";
}

static void sform_read(struct http_req *req, struct sform *f, const char *form,
		       const char *const *names)
{
	memset(f, 0, sizeof(*f));
	f->form = form;
	for (int i = 0; names[i] && i < 16; i++) {
		snprintf(f->name[i], sizeof(f->name[i]), "%s", names[i]);
		if (http_form(req, names[i], f->val[i], sizeof(f->val[i])) != VG_OK)
			f->val[i][0] = '\0';
		f->n = i + 1;
	}
}

static void sform_fail(struct sform *f, const char *field, const struct vg_error *err)
{
	f->bad = field;
	snprintf(f->msg, sizeof(f->msg), "%s", vg_error_msg(err));
}

/* The alert above a refused form. */
static void form_alert(struct vg_buf *b, const struct sform *f, const char *form)
{
	if (f && f->form && strcmp(f->form, form) == 0 && f->msg[0])
		html(b, "<p class=\"error\" role=\"alert\" id=\"%s-error\">%s</p>\n", form, f->msg);
}

/* Open a field: label, hint, the error beside it; then the caller writes
 * the control with ctl_attrs() and closes with "</div>". */
static int field_open(struct vg_buf *b, const struct sform *f, const char *form, const char *name,
		      const char *label, const char *hint)
{
	int bad = f && f->form && strcmp(f->form, form) == 0 && f->bad && strcmp(f->bad, name) == 0;
	html(b, "<div class=\"field%s\"><label for=\"%s-%s\">%s</label>", bad ? " invalid" : "",
	     form, name, label);
	if (hint)
		html(b, "<span class=\"hint\" id=\"%s-%s-hint\">%s</span>", form, name, hint);
	if (bad)
		html(b, "<span class=\"field-error\" id=\"%s-%s-error\">%s</span>", form, name,
		     f->msg);
	return bad;
}

static void ctl_attrs(struct vg_buf *b, const char *form, const char *name, int hint, int bad)
{
	html(b, " id=\"%s-%s\" name=\"%s\"", form, name, name);
	if (bad)
		html_raw(b, " aria-invalid=\"true\"");
	if (hint || bad) {
		html_raw(b, " aria-describedby=\"");
		if (hint)
			html(b, "%s-%s-hint", form, name);
		if (bad)
			html(b, "%s%s-%s-error", hint ? " " : "", form, name);
		html_raw(b, "\"");
	}
}

static void text_field(struct vg_buf *b, const struct sform *f, const char *form, const char *name,
		       const char *label, const char *type, const char *value, const char *hint,
		       const char *extra)
{
	int bad = field_open(b, f, form, name, label, hint);
	html(b, "<input type=\"%s\"", type);
	ctl_attrs(b, form, name, hint != NULL, bad);
	if (extra) {
		html_raw(b, " ");
		html_raw(b, extra);
	}
	html(b, " value=\"%s\"></div>\n", value);
}

/* A select of opts[i][0] values, opts[i][1] labels. */
static void select_field(struct vg_buf *b, const struct sform *f, const char *form,
			 const char *name, const char *label, const char *const (*opts)[2],
			 size_t n, const char *value, const char *hint)
{
	int bad = field_open(b, f, form, name, label, hint);
	html_raw(b, "<select");
	ctl_attrs(b, form, name, hint != NULL, bad);
	html_raw(b, ">");
	for (size_t i = 0; i < n; i++)
		html(b, "<option value=\"%s\"%s>%s</option>", opts[i][0],
		     strcmp(value, opts[i][0]) == 0 ? " selected" : "", opts[i][1]);
	html_raw(b, "</select></div>\n");
}

static const char *done_text(const char *code)
{
	static const char *const t[][2] = {
	    {"person", "The person was added."},
	    {"rotation", "The rotation was added."},
	    {"policy", "The escalation policy was added."},
	    {"drill", "The drill page was sent: acknowledge it from the on-call page or the "
		      "link in the message."},
	    {"settings", "The security.txt settings were saved."},
	    {"published", "A new security.txt was published."},
	};
	for (size_t i = 0; code && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i][0], code) == 0)
			return t[i][1];
	return NULL;
}

static void flash(struct http_req *req, struct vg_buf *b, const struct sform *f)
{
	const char *d = done_text(http_query(req, "done"));
	if (d && !f)
		html(b, "<p class=\"ok\" role=\"status\" id=\"flash\">%s</p>\n", d);
}

static int fail_page(struct http_req *req, struct http_resp *resp, const char *title,
		     const struct vg_error *err)
{
	ui_page_begin(req, resp, title, "setup");
	resp->status = vg_code_http_status(err->code);
	html(&resp->body, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(err));
	return ui_page_end(resp);
}

/* ---- /ui/oncall/setup ---- */

static const char *const wdays[][2] = {
    {"1", "Monday"}, {"2", "Tuesday"},  {"3", "Wednesday"}, {"4", "Thursday"},
    {"5", "Friday"}, {"6", "Saturday"}, {"0", "Sunday"},
};

static int oncall_setup_page(struct http_req *req, struct http_resp *resp, const struct sform *f)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_person_list people;
	struct oncall_shift_list who;
	struct oncall_policy_list pol;
	struct oncall_drill_list drills;
	struct notify_channel_list ch;
	const char *(*chopts)[2];
	const char *(*popts)[2];
	size_t nch = 0, npol = 0;
	int status = resp->status;
	char today[16];

	vg_arena_init(&mem, 0);
	if (oncall_people(req->db, &mem, &people, &err) ||
	    oncall_who(req->db, vg_now(), &mem, &who, &err) ||
	    oncall_policies(req->db, &mem, &pol, &err) ||
	    oncall_drills(req->db, &mem, &drills, &err) ||
	    notify_channels(req->db, &mem, &ch, &err)) {
		vg_arena_release(&mem);
		return fail_page(req, resp, "On-call setup", &err);
	}
	chopts = vg_arena_alloc(&mem, (ch.n + 1) * sizeof(*chopts));
	popts = vg_arena_alloc(&mem, (pol.n + 1) * sizeof(*popts));
	if (!chopts || !popts) {
		vg_arena_release(&mem);
		vg_error_set(&err, VG_ENOMEM, "out of memory");
		return fail_page(req, resp, "On-call setup", &err);
	}
	chopts[nch][0] = "";
	chopts[nch++][1] = "(the person's own channel)";
	for (size_t i = 0; i < ch.n; i++)
		if (ch.v[i].enabled) {
			chopts[nch][0] = ch.v[i].name;
			chopts[nch++][1] = ch.v[i].name;
		}
	for (size_t i = 0; i < pol.n; i++) {
		popts[npol][0] = pol.v[i].name;
		popts[npol++][1] = pol.v[i].name;
	}
	{
		char t[VG_TIME_BUFSZ];
		vg_time_format(vg_now(), t, sizeof(t));
		snprintf(today, sizeof(today), "%.10s", t);
	}

	ui_page_begin(req, resp, "On-call setup", "setup");
	if (status >= 400)
		resp->status = status;
	flash(req, b, f);
	html_raw(b, "<p>Who is paged when a clock is about to run out: people (each with a "
		    "notification channel), weekly rotations of people, and escalation policies "
		    "that page level after level until someone acknowledges. A drill sends a "
		    "marked test page; one should pass every quarter. <a href=\"/ui/oncall\">See "
		    "who is on call now and the pages</a>.</p>\n");

	/* people */
	html_raw(b, "<h2 id=\"people\">People</h2>\n<div class=\"table-wrap\"><table "
		    "id=\"people-table\" tabindex=\"0\" aria-label=\"People\"><thead><tr><th "
		    "scope=\"col\">Name</th><th scope=\"col\">"
		    "User</th><th scope=\"col\">Channel</th></tr></thead><tbody>");
	for (size_t i = 0; i < people.n; i++)
		html(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", people.v[i].name,
		     people.v[i].user_login ? people.v[i].user_login : "-",
		     people.v[i].channel ? people.v[i].channel : "-");
	if (!people.n)
		html_raw(b, "<tr><td colspan=\"3\">Nobody yet.</td></tr>");
	html_raw(b, "</tbody></table></div>\n<h3>Add a person</h3>\n");
	form_alert(b, f, "person");
	html_raw(b, "<form method=\"post\" action=\"/ui/oncall/people\" class=\"card setup-form\" "
		    "id=\"person-form\">");
	ui_csrf_field(req, resp);
	text_field(b, f, "person", "name", "Name", "text", fv(f, "person", "name"),
		   "As rotations and policies will name them (no commas).",
		   "maxlength=\"64\" required");
	text_field(b, f, "person", "user", "Login (optional)", "text", fv(f, "person", "user"),
		   "Their vigil user name, when they have one.", "maxlength=\"64\"");
	select_field(b, f, "person", "channel", "Notification channel",
		     (const char *const(*)[2])chopts, nch, fv(f, "person", "channel"),
		     "Where their pages go. Add channels under Notifications.");
	html_raw(b,
		 "<p><button type=\"submit\" id=\"add-person\">Add person</button></p></form>\n");

	/* rotations */
	html_raw(b, "<h2 id=\"rotations\">Rotations</h2>\n<div class=\"table-wrap\"><table "
		    "id=\"rotations-table\" tabindex=\"0\" aria-label=\"Rotations\"><thead><tr><th "
		    "scope=\"col\">Rotation</th><th "
		    "scope=\"col\">On call now</th><th scope=\"col\">Until</th><th scope=\"col\">"
		    "Next</th><th scope=\"col\">Members</th></tr></thead><tbody>");
	for (size_t i = 0; i < who.n; i++) {
		const struct oncall_shift *r = &who.v[i];
		html(b, "<tr><td>%s (%s)</td><td>%s</td><td>", r->rotation, r->tz,
		     r->on_call ? r->on_call : "not started");
		html_time(b, r->until, "-");
		html(b, "</td><td>%s</td><td>", r->next ? r->next : "-");
		for (size_t j = 0; j < r->nmembers; j++)
			html(b, "%s%s", j ? ", " : "", r->members[j]);
		html_raw(b, "</td></tr>");
	}
	if (!who.n)
		html_raw(b, "<tr><td colspan=\"5\">No rotations yet.</td></tr>");
	html_raw(b, "</tbody></table></div>\n<h3>Add a weekly rotation</h3>\n");
	form_alert(b, f, "rotation");
	html_raw(b, "<form method=\"post\" action=\"/ui/oncall/rotations\" class=\"card "
		    "setup-form\" id=\"rotation-form\">");
	ui_csrf_field(req, resp);
	text_field(b, f, "rotation", "name", "Name", "text", fv(f, "rotation", "name"), NULL,
		   "maxlength=\"64\" required");
	text_field(b, f, "rotation", "members", "Members, in order", "text",
		   fv(f, "rotation", "members"),
		   "Names of people, separated by commas; each takes one week.",
		   "maxlength=\"1000\" required");
	text_field(b, f, "rotation", "tz", "Time zone", "text",
		   *fv(f, "rotation", "tz") ? fv(f, "rotation", "tz") : "Europe/Berlin",
		   "A tz database name such as Europe/Berlin or UTC.", "maxlength=\"64\" required");
	text_field(b, f, "rotation", "start", "First hand-over on", "date",
		   *fv(f, "rotation", "start") ? fv(f, "rotation", "start") : today, NULL,
		   "required");
	select_field(b, f, "rotation", "wday", "Hand-over day", wdays, 7,
		     *fv(f, "rotation", "wday") ? fv(f, "rotation", "wday") : "1", NULL);
	text_field(b, f, "rotation", "hour", "Hand-over hour (0-23, local time)", "number",
		   *fv(f, "rotation", "hour") ? fv(f, "rotation", "hour") : "9", NULL,
		   "min=\"0\" max=\"23\" required");
	html_raw(b, "<p><button type=\"submit\" id=\"add-rotation\">Add rotation</button></p>"
		    "</form>\n");

	/* policies */
	html_raw(b, "<h2 id=\"policies\">Escalation policies</h2>\n<ul id=\"policies-list\">");
	for (size_t i = 0; i < pol.n; i++) {
		const struct oncall_policy *p = &pol.v[i];
		html(b, "<li><strong>%s</strong> (up to %lld round(s)): ", p->name,
		     (long long)p->repeat_limit);
		for (size_t j = 0; j < p->nlevels; j++)
			html(b, "%s%zu. %s %s via %s, then %lld min", j ? "; " : "", j + 1,
			     p->levels[j].kind, p->levels[j].target,
			     p->levels[j].channel ? p->levels[j].channel : "their channel",
			     (long long)p->levels[j].after_minutes);
		html_raw(b, "</li>");
	}
	if (!pol.n)
		html_raw(b, "<li>No policies yet.</li>");
	html_raw(b, "</ul>\n<h3>Add an escalation policy</h3>\n");
	form_alert(b, f, "policy");
	html_raw(b, "<form method=\"post\" action=\"/ui/oncall/policies\" class=\"card "
		    "setup-form\" id=\"policy-form\">");
	ui_csrf_field(req, resp);
	text_field(b, f, "policy", "name", "Name", "text", fv(f, "policy", "name"), NULL,
		   "maxlength=\"64\" required");
	text_field(b, f, "policy", "repeat", "Rounds", "number",
		   *fv(f, "policy", "repeat") ? fv(f, "policy", "repeat") : "3",
		   "How often to go through all levels before giving up (1-20).",
		   "min=\"1\" max=\"20\" required");
	for (int l = 1; l <= NLEVEL; l++) {
		static const char *const kinds[][2] = {{"rotation", "Rotation"},
						       {"person", "Person"}};
		char n1[16], n2[16], n3[16], n4[16], legend[64];
		snprintf(n1, sizeof(n1), "kind%d", l);
		snprintf(n2, sizeof(n2), "target%d", l);
		snprintf(n3, sizeof(n3), "channel%d", l);
		snprintf(n4, sizeof(n4), "minutes%d", l);
		snprintf(legend, sizeof(legend), "Level %d%s", l, l == 1 ? "" : " (optional)");
		html(b, "<fieldset><legend>%s</legend>", legend);
		select_field(b, f, "policy", n1, "Pages a", kinds, 2,
			     *fv(f, "policy", n1) ? fv(f, "policy", n1) : "rotation", NULL);
		text_field(b, f, "policy", n2, "Named", "text", fv(f, "policy", n2),
			   l == 1 ? "The rotation's or the person's name." : NULL,
			   l == 1 ? "maxlength=\"64\" required" : "maxlength=\"64\"");
		select_field(b, f, "policy", n3, "Through", (const char *const(*)[2])chopts, nch,
			     fv(f, "policy", n3), NULL);
		text_field(b, f, "policy", n4, "Minutes before the next level", "number",
			   *fv(f, "policy", n4) ? fv(f, "policy", n4) : "15", NULL,
			   "min=\"1\" max=\"1440\"");
		html_raw(b, "</fieldset>");
	}
	html_raw(b, "<p><button type=\"submit\" id=\"add-policy\">Add policy</button></p>"
		    "</form>\n");

	/* drills */
	html_raw(b, "<h2 id=\"drills\">Drills</h2>\n<div class=\"table-wrap\"><table "
		    "id=\"drills-table\" tabindex=\"0\" aria-label=\"Drills\"><thead><tr><th "
		    "scope=\"col\">Started</th><th "
		    "scope=\"col\">Result</th><th scope=\"col\">Time to acknowledge</th><th "
		    "scope=\"col\">By</th></tr></thead><tbody>");
	for (size_t i = 0; i < drills.n && i < 10; i++) {
		const struct oncall_drill *d = &drills.v[i];
		html_raw(b, "<tr><td>");
		html_time(b, d->started_at, "-");
		html(b, "</td><td>%s</td><td>", d->result);
		if (d->ack_seconds >= 0)
			html(b, "%lld min %lld s", (long long)d->ack_seconds / 60,
			     (long long)d->ack_seconds % 60);
		html(b, "</td><td>%s</td></tr>", d->acknowledged_by ? d->acknowledged_by : "");
	}
	if (!drills.n)
		html_raw(b, "<tr><td colspan=\"4\">No drills yet.</td></tr>");
	html_raw(b, "</tbody></table></div>\n");
	form_alert(b, f, "drill");
	if (npol) {
		html_raw(b, "<form method=\"post\" action=\"/ui/oncall/drills\" class=\"card "
			    "setup-form\" id=\"drill-form\">");
		ui_csrf_field(req, resp);
		select_field(b, f, "drill", "policy", "Escalation policy",
			     (const char *const(*)[2])popts, npol, fv(f, "drill", "policy"),
			     "The drill pages its first level with a message marked DRILL.");
		html_raw(b, "<p><button type=\"submit\" id=\"start-drill\">Start a drill</button>"
			    "</p></form>\n");
	} else {
		html_raw(b, "<p>Add an escalation policy to run a drill.</p>\n");
	}
	vg_arena_release(&mem);
	return ui_page_end(resp);
}

static int oncall_setup_get(struct http_req *req, struct http_resp *resp)
{
	return oncall_setup_page(req, resp, NULL);
}

static int refused(struct http_req *req, struct http_resp *resp, struct sform *f, int rc)
{
	resp->status = vg_code_http_status(rc);
	return oncall_setup_page(req, resp, f);
}

static int person_post(struct http_req *req, struct http_resp *resp)
{
	static const char *const names[] = {"name", "user", "channel", NULL};
	struct sform f;
	struct vg_error err = {0};
	int rc;

	sform_read(req, &f, "person", names);
	rc = oncall_person_add(req->db, f.val[0], f.val[1][0] ? f.val[1] : NULL,
			       f.val[2][0] ? f.val[2] : NULL, &err);
	if (rc) {
		const char *m = vg_error_msg(&err);
		sform_fail(&f,
			   strstr(m, "--user")    ? "user"
			   : strstr(m, "channel") ? "channel"
						  : "name",
			   &err);
		return refused(req, resp, &f, rc);
	}
	return http_redirect(resp, "/ui/oncall/setup?done=person#people");
}

static int rotation_post(struct http_req *req, struct http_resp *resp)
{
	static const char *const names[] = {"name", "members", "tz", "start", "wday", "hour", NULL};
	struct sform f;
	struct vg_error err = {0};
	int64_t hour = 0, wday = 0, start = 0;
	int y = 0, mo = 0, d = 0, rc;

	sform_read(req, &f, "rotation", names);
	if (!oncall_tz_valid(f.val[2])) {
		vg_error_set(
		    &err, VG_EINVAL,
		    "Time zone '%s': not a tz database name (such as Europe/Berlin or UTC)",
		    f.val[2]);
		sform_fail(&f, "tz", &err);
		return refused(req, resp, &f, VG_EINVAL);
	}
	if (vg_parse_int64(f.val[5], "Hand-over hour", 0, 23, &hour, &err)) {
		sform_fail(&f, "hour", &err);
		return refused(req, resp, &f, VG_EINVAL);
	}
	if (vg_parse_int64(f.val[4], "Hand-over day", 0, 6, &wday, &err)) {
		sform_fail(&f, "wday", &err);
		return refused(req, resp, &f, VG_EINVAL);
	}
	if (sscanf(f.val[3], "%4d-%2d-%2d", &y, &mo, &d) != 3 || strlen(f.val[3]) != 10 || mo < 1 ||
	    mo > 12 || d < 1 || d > 31 ||
	    oncall_local_to_utc(f.val[2], y, mo, d, (int)hour, 0, &start, &err)) {
		vg_error_set(&err, VG_EINVAL,
			     "First hand-over on '%s': expected a date (YYYY-MM-DD)", f.val[3]);
		sform_fail(&f, "start", &err);
		return refused(req, resp, &f, VG_EINVAL);
	}
	rc = oncall_rotation_add(req->db, f.val[0], f.val[2], start, (int)wday, (int)hour, f.val[1],
				 &err);
	if (rc) {
		const char *m = vg_error_msg(&err);
		sform_fail(&f,
			   strstr(m, "member") || strstr(m, "person") ? "members"
			   : strstr(m, "hand-over")                   ? "wday"
			   : strstr(m, "zone") || strstr(m, "tz")     ? "tz"
								      : "name",
			   &err);
		return refused(req, resp, &f, rc);
	}
	return http_redirect(resp, "/ui/oncall/setup?done=rotation#rotations");
}

static int policy_post(struct http_req *req, struct http_resp *resp)
{
	static const char *const names[] = {
	    "name",     "repeat",   "kind1", "target1", "channel1", "minutes1", "kind2", "target2",
	    "channel2", "minutes2", "kind3", "target3", "channel3", "minutes3", NULL};
	struct sform f;
	struct vg_error err = {0};
	struct oncall_level lv[NLEVEL];
	int64_t repeat = 0;
	size_t n = 0;
	int rc;

	sform_read(req, &f, "policy", names);
	if (vg_parse_int64(f.val[1], "Rounds", 1, 20, &repeat, &err)) {
		sform_fail(&f, "repeat", &err);
		return refused(req, resp, &f, VG_EINVAL);
	}
	for (int l = 0; l < NLEVEL; l++) {
		const char *kind = f.val[2 + 4 * l], *target = f.val[3 + 4 * l];
		const char *channel = f.val[4 + 4 * l], *minutes = f.val[5 + 4 * l];
		char what[64];
		if (!*target) {
			if (l == 0) {
				vg_error_set(&err, VG_EINVAL,
					     "Level 1: name the rotation or person to page");
				sform_fail(&f, "target1", &err);
				return refused(req, resp, &f, VG_EINVAL);
			}
			continue;
		}
		snprintf(what, sizeof(what), "Level %d: minutes", l + 1);
		lv[n].kind = kind;
		lv[n].target = target;
		lv[n].channel = *channel ? channel : NULL;
		if (vg_parse_int64(*minutes ? minutes : "15", what, 1, 1440, &lv[n].after_minutes,
				   &err)) {
			sform_fail(&f, f.name[5 + 4 * l], &err);
			return refused(req, resp, &f, VG_EINVAL);
		}
		n++;
	}
	rc = oncall_policy_add(req->db, f.val[0], lv, n, (int)repeat, &err);
	if (rc) {
		const char *m = vg_error_msg(&err);
		const char *bad = "name";
		/* "level N" in the domain's message names the level */
		for (int l = 1; l <= NLEVEL; l++) {
			char pat[16];
			snprintf(pat, sizeof(pat), "level %d", l);
			if (strstr(m, pat))
				bad = f.name[3 + 4 * (l - 1)];
		}
		if (strcmp(bad, "name") == 0 && (strstr(m, "rotation") || strstr(m, "person")) &&
		    !strstr(m, "policy"))
			bad = "target1";
		sform_fail(&f, bad, &err);
		return refused(req, resp, &f, rc);
	}
	return http_redirect(resp, "/ui/oncall/setup?done=policy#policies");
}

static int drill_post(struct http_req *req, struct http_resp *resp)
{
	static const char *const names[] = {"policy", NULL};
	struct sform f;
	struct vg_error err = {0};
	int64_t page = 0;
	int rc;

	sform_read(req, &f, "drill", names);
	rc = oncall_drill(req->db, f.val[0], &page, &err);
	if (rc) {
		sform_fail(&f, "policy", &err);
		return refused(req, resp, &f, rc);
	}
	return http_redirect(resp, "/ui/oncall/setup?done=drill#drills");
}

/* ---- /ui/securitytxt ---- */

static int st_page(struct http_req *req, struct http_resp *resp, const struct sform *f)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct stpublish_settings cur;
	struct stpublish_record rec;
	char *body = NULL, days[32];
	int status = resp->status, have;
	static const char *const signopts[][2] = {{"1", "Yes, with the PSIRT key"}, {"0", "No"}};

	if (stpublish_settings_get(req->db, &cur, &err))
		return fail_page(req, resp, "security.txt", &err);
	have = stpublish_current(req->db, &body, &rec, &err) == VG_OK;
	vg_error_clear(&err);
	snprintf(days, sizeof(days), "%lld", (long long)cur.expires_days);
	ui_page_begin(req, resp, "security.txt", "setup");
	if (status >= 400)
		resp->status = status;
	flash(req, b, f);
	html_raw(b, "<p>The file researchers and scanners look for at "
		    "<a href=\"/.well-known/security.txt\">/.well-known/security.txt</a> "
		    "(RFC 9116): how to reach you, until when the file is valid, the languages "
		    "you read. <code>Policy:</code> (the disclosure policy page), "
		    "<code>Encryption:</code> (the PSIRT key) and <code>Canonical:</code> are "
		    "added from the server's public address. It is renewed before it expires.</p>\n"
		    "<h2>Settings</h2>\n");
	form_alert(b, f, "st");
	html_raw(b, "<form method=\"post\" action=\"/ui/securitytxt\" class=\"card setup-form\" "
		    "id=\"st-form\">");
	ui_csrf_field(req, resp);
	text_field(b, f, "st", "contact", "Contact", "text",
		   f ? fv(f, "st", "contact") : cur.contact,
		   "mailto: or https: URIs, separated by commas, the preferred first "
		   "(mailto:psirt@example.com, https://example.com/report).",
		   "maxlength=\"2000\" required");
	text_field(b, f, "st", "languages", "Preferred languages", "text",
		   f ? fv(f, "st", "languages") : cur.languages,
		   "Language tags separated by commas, such as en, de.", "maxlength=\"200\"");
	text_field(b, f, "st", "expires_days", "Lifetime in days", "number",
		   f ? fv(f, "st", "expires_days") : days,
		   "Expires: is set this many days ahead (at most 366; RFC 9116 recommends less "
		   "than a year).",
		   "min=\"2\" max=\"366\" required");
	select_field(b, f, "st", "sign", "OpenPGP-sign the file", signopts, 2,
		     f          ? fv(f, "st", "sign")
		     : cur.sign ? "1"
				: "0",
		     "Recommended by RFC 9116; needs the PSIRT's secret key on this server.");
	html_raw(b, "<p><button type=\"submit\" id=\"save-st\">Save settings</button></p></form>\n"
		    "<h2>Published file</h2>\n");
	if (have) {
		html(b, "<dl class=\"facts\" id=\"st-published\"><dt>Generated</dt><dd>");
		html_time(b, rec.generated_at, "-");
		html_raw(b, "</dd><dt>Expires</dt><dd id=\"st-expires\">");
		html_time(b, rec.expires_at, "-");
		html(b,
		     "</dd><dt>Signed</dt><dd id=\"st-signed\">%s</dd><dt>Why</dt><dd>%s</dd></dl>"
		     "<pre id=\"st-body\" class=\"report-text\">%s</pre>\n",
		     rec.is_signed ? (rec.signer[0] ? rec.signer : "yes") : "no", rec.reason, body);
	} else {
		html_raw(b, "<p id=\"st-none\">Nothing is published yet.</p>\n");
	}
	free(body);
	form_alert(b, f, "publish");
	html_raw(b, "<form method=\"post\" action=\"/ui/securitytxt/publish\" class=\"inline\" "
		    "id=\"publish-form\">");
	ui_csrf_field(req, resp);
	html_raw(b, "<button type=\"submit\" id=\"publish-st\">Publish now</button></form>\n");
	return ui_page_end(resp);
}

static int st_get(struct http_req *req, struct http_resp *resp)
{
	return st_page(req, resp, NULL);
}

static int st_post(struct http_req *req, struct http_resp *resp)
{
	static const char *const names[] = {"contact", "languages", "expires_days", "sign", NULL};
	struct sform f;
	struct vg_error err = {0};
	struct stpublish_settings in;
	const char *field = NULL;
	int rc;

	sform_read(req, &f, "st", names);
	memset(&in, 0, sizeof(in));
	snprintf(in.contact, sizeof(in.contact), "%s", f.val[0]);
	snprintf(in.languages, sizeof(in.languages), "%s", f.val[1]);
	if (vg_parse_int64(f.val[2], "Lifetime in days", 2, 366, &in.expires_days, &err)) {
		sform_fail(&f, "expires_days", &err);
		resp->status = 400;
		return st_page(req, resp, &f);
	}
	in.sign = strcmp(f.val[3], "1") == 0;
	rc = stpublish_settings_set(req->db, &in, &field, &err);
	if (rc) {
		sform_fail(&f, field ? field : "contact", &err);
		resp->status = vg_code_http_status(rc);
		return st_page(req, resp, &f);
	}
	return http_redirect(resp, "/ui/securitytxt?done=settings");
}

static int st_publish_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sform f;
	int changed = 0;

	if (stpublish_refresh(req->db, 1, &changed, &err)) {
		memset(&f, 0, sizeof(f));
		f.form = "publish";
		snprintf(f.msg, sizeof(f.msg), "Not published: %s", vg_error_msg(&err));
		resp->status = vg_code_http_status(err.code);
		return st_page(req, resp, &f);
	}
	return http_redirect(resp, "/ui/securitytxt?done=published");
}

/* ---- /ui/setup ---- */

static int setup_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct notify_channel_list ch;
	struct oncall_policy_list pol;
	struct oncall_drill_list drills;
	struct stpublish_record rec;
	size_t nch = 0;
	int have_st;

	vg_arena_init(&mem, 0);
	if (notify_channels(req->db, &mem, &ch, &err) ||
	    oncall_policies(req->db, &mem, &pol, &err) ||
	    oncall_drills(req->db, &mem, &drills, &err)) {
		vg_arena_release(&mem);
		return fail_page(req, resp, "Setup", &err);
	}
	for (size_t i = 0; i < ch.n; i++)
		nch += ch.v[i].enabled != 0;
	have_st = stpublish_current(req->db, NULL, &rec, &err) == VG_OK;
	ui_page_begin(req, resp, "Setup", "setup");
	html_raw(b, "<p>What a PSIRT sets up once to be reachable and to be woken up in "
		    "time.</p>\n<ul class=\"setup-list\" id=\"setup-list\">");
	html(b,
	     "<li><a href=\"/ui/notify\">Notifications</a>: %zu channel(s). Channels carry "
	     "alerts to people and tools and the tracking link to reporters.</li>",
	     nch);
	html(b,
	     "<li><a href=\"/ui/oncall/setup\">On call</a>: %zu escalation "
	     "polic%s; last drill: %s.</li>",
	     pol.n, pol.n == 1 ? "y" : "ies", drills.n ? drills.v[0].result : "none yet");
	html_raw(b, "<li><a href=\"/ui/securitytxt\">security.txt</a>: ");
	if (have_st) {
		html_raw(b, "published, expires ");
		html_time(b, rec.expires_at, "-");
	} else {
		html_raw(b, "not published yet");
	}
	html_raw(b, ".</li><li><a href=\"/report\">The public report form</a> and <a "
		    "href=\"/report/policy\">disclosure policy</a> (organisation name: setting "
		    "<code>org.name</code>).</li></ul>\n");
	vg_arena_release(&mem);
	return ui_page_end(resp);
}

/* clang-format off */
const struct http_route reach_setup_routes[] = {
    {"GET", "/ui/setup", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, setup_get, "Setup: notifications, on call, security.txt", "ui"},
    {"GET", "/ui/oncall/setup", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, oncall_setup_get, "On-call setup: people, rotations, escalation policies, drills", "ui"},
    {"POST", "/ui/oncall/people", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, person_post, "Add an on-call person (form)", "ui"},
    {"POST", "/ui/oncall/rotations", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, rotation_post, "Add a weekly rotation (form)", "ui"},
    {"POST", "/ui/oncall/policies", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, policy_post, "Add an escalation policy (form)", "ui"},
    {"POST", "/ui/oncall/drills", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, drill_post, "Start an on-call drill (form)", "ui"},
    {"GET", "/ui/securitytxt", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, st_get, "security.txt setup and the published file", "ui"},
    {"POST", "/ui/securitytxt", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, st_post, "Save the security.txt settings (form)", "ui"},
    {"POST", "/ui/securitytxt/publish", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, st_publish_post, "Publish security.txt now (form)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
