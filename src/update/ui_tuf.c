/*
 * ui_tuf.c - the TUF status page (/ui/tuf, roles admin, psirt, auditor):
 * every role's newest version, its expiry with a live countdown
 * (/static/countdown.js) that turns urgent when less than a quarter of the
 * lifetime is left and expired after, the signers of each role with the
 * threshold (names, kinds and key ids: never a secret), the products with a
 * delegated role and their current targets, and the last re-signing by the
 * job (when, and the server when the audit record names it).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "store/store.h"
#include "update/signer.h"
#include "update/signer_admin.h"
#include "update/tuf.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* "1d 02h 03m 04s" / "2h 03m 04s" (as countdown.js writes it). */
static void fmt_left(int64_t s, char *out, size_t n)
{
	int64_t a = s < 0 ? -s : s;
	int64_t d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60, sec = a % 60;
	if (d)
		snprintf(out, n, "%lldd %02lldh %02lldm %02llds", (long long)d, (long long)h,
			 (long long)m, (long long)sec);
	else
		snprintf(out, n, "%lldh %02lldm %02llds", (long long)h, (long long)m,
			 (long long)sec);
}

/* A lifetime in days or hours ("365d", "12h"). */
static void fmt_life(int64_t s, char *out, size_t n)
{
	if (s % 86400 == 0)
		snprintf(out, n, "%lldd", (long long)(s / 86400));
	else if (s % 3600 == 0)
		snprintf(out, n, "%lldh", (long long)(s / 3600));
	else
		snprintf(out, n, "%llds", (long long)s);
}

/* When a role turns urgent: a quarter of its lifetime before it expires. */
static int64_t urgent_at(const struct tuf_role_status *r)
{
	int64_t life = r->signed_at && r->expires_at > r->signed_at ? r->expires_at - r->signed_at
								    : r->lifetime;
	return r->expires_at - life / 4;
}

static const char *state_of(const struct tuf_role_status *r, int64_t now)
{
	if (!r->version)
		return "unsigned";
	if (now >= r->expires_at)
		return "overdue";
	if (now >= urgent_at(r))
		return "due";
	return "pending";
}

static const char *state_label(const char *st)
{
	return strcmp(st, "overdue") == 0   ? "expired"
	       : strcmp(st, "due") == 0     ? "urgent"
	       : strcmp(st, "pending") == 0 ? "ok"
					    : "never signed";
}

/* The expiry cell: a countdown the script keeps ticking. */
static void expiry_cell(struct vg_buf *b, const struct tuf_role_status *r, int64_t now)
{
	char left[64];
	const char *st = state_of(r, now);

	html(b,
	     "<td class=\"clock clock-%s\" data-label-pending=\"ok\" data-label-due=\"urgent\" "
	     "data-label-overdue=\"expired\"><span class=\"clock-state\">%s</span> ",
	     st, state_label(st));
	if (!r->version) {
		html_raw(b, "</td>");
		return;
	}
	html_time(b, r->expires_at, NULL);
	html(b,
	     " <span class=\"countdown\" data-due=\"%lld\" data-now=\"%lld\" data-starts=\"%lld\" "
	     "data-urgent=\"%lld\">",
	     (long long)r->expires_at, (long long)now, (long long)r->signed_at,
	     (long long)urgent_at(r));
	fmt_left(r->expires_at - now, left, sizeof(left));
	if (r->expires_at - now >= 0)
		html(b, "%s left", left);
	else {
		fmt_left(now - r->expires_at, left, sizeof(left));
		html(b, "overdue by %s", left);
	}
	html_raw(b, "</span></td>");
}

static const struct update_signer_info *find_signer(const struct update_signer_list *l,
						    const char *name, size_t n)
{
	for (size_t k = 0; k < l->n; k++)
		if (strlen(l->items[k].name) == n && strncmp(l->items[k].name, name, n) == 0)
			return &l->items[k];
	return NULL;
}

/* The signers of a role: name, algorithm, key id; software keys marked. */
static void signers_cell(struct vg_buf *b, const struct tuf_role_status *r,
			 const struct update_signer_list *l)
{
	const char *p = r->signers ? r->signers : "";
	size_t count = 0;

	for (const char *q = p; *q; q++)
		count += *q == ',';
	count += *p != 0;
	html(b, "<td class=\"signers\"><span class=\"threshold\">%lld of %zu</span><ul>",
	     (long long)r->threshold, count);
	while (*p) {
		size_t n = strcspn(p, ",");
		const struct update_signer_info *i = find_signer(l, p, n);
		char name[80];
		snprintf(name, sizeof(name), "%.*s", (int)(n < 64 ? n : 64), p);
		html(b, "<li><a href=\"/ui/signers\">%s</a>", name);
		if (!i) {
			html_raw(b, " <strong class=\"warn\">(not a stored signer)</strong>");
		} else {
			char kid[65];
			uint8_t pub[UPDATE_PUB_MAX];
			size_t publen = 0, hl = i->public_hex ? strlen(i->public_hex) : 0;
			kid[0] = 0;
			for (size_t k = 0; k + 1 < hl && publen < sizeof(pub); k += 2) {
				unsigned v;
				if (sscanf(i->public_hex + k, "%2x", &v) != 1)
					break;
				pub[publen++] = (uint8_t)v;
			}
			if (publen)
				update_key_id(pub, publen, kid);
			html(b,
			     " <span class=\"muted\">%s %s</span> <code title=\"%s\">%.16s</code>",
			     i->kind, i->algorithm, kid, kid);
			if (i->development_only)
				html_raw(b, " <strong class=\"warn\">(development only)</strong>");
		}
		html_raw(b, "</li>");
		p += n;
		if (*p == ',')
			p++;
	}
	html_raw(b, "</ul></td>");
}

/* The last run of the re-signing job, from the audit trail. */
static void last_resign(struct http_req *req, struct vg_buf *b)
{
	struct vg_error err = {0};
	json_t *rows = NULL, *row, *after, *due, *srv;

	if (store_rows(req->db, &rows, &err, "iittj",
		       "SELECT at, seq, actor, remote, after_json FROM audit_log WHERE action = "
		       "'tuf.resign' ORDER BY seq DESC LIMIT 1",
		       NULL)) {
		html(b, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(&err));
		return;
	}
	row = json_array_get(rows, 0);
	if (!row) {
		html_raw(b, "<p id=\"last-resign\">The re-signing job has not renewed any role "
			    "yet.</p>");
		json_decref(rows);
		return;
	}
	after = json_object_get(row, "after");
	due = after ? json_object_get(after, "due") : NULL;
	srv = after ? json_object_get(after, "server") : NULL;
	html_raw(b, "<p id=\"last-resign\">Last re-signed ");
	html_time(b, vg_json_int(row, "at", 0), "-");
	html(b, " UTC by %s (%s)", vg_json_str(row, "actor") ? vg_json_str(row, "actor") : "",
	     vg_json_str(row, "remote") ? vg_json_str(row, "remote") : "");
	if (json_is_string(srv))
		html(b, " on server <code class=\"server\">%s</code>", json_string_value(srv));
	if (json_is_array(due) && json_array_size(due)) {
		size_t k;
		json_t *v;
		html_raw(b, ": ");
		json_array_foreach(due, k, v)
		{
			html(b, "%s%s", k ? ", " : "",
			     json_is_string(v) ? json_string_value(v) : "?");
		}
	}
	html(b, " (audit record #%lld).</p>", (long long)vg_json_int(row, "seq", 0));
	json_decref(rows);
}

/* The delegated products: role, signer, current targets. */
static void products_table(struct http_req *req, struct vg_buf *b, const struct tuf_status *st)
{
	struct vg_error err = {0};
	json_t *rows = NULL;
	size_t shown = 0;

	if (store_rows(req->db, &rows, &err, "tii",
		       "SELECT product, COUNT(*) AS n, SUM(length) AS bytes FROM tuf_targets "
		       "WHERE current = 1 GROUP BY product",
		       NULL)) {
		html(b, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(&err));
		return;
	}
	html_raw(b, "<h2>Delegated products</h2>");
	for (size_t i = 0; i < st->n; i++) {
		const struct tuf_role_status *r = &st->roles[i];
		const char *prod;
		int64_t n = 0, bytes = 0;
		size_t k;
		json_t *row;
		if (strncmp(r->role, "products/", 9) != 0)
			continue;
		prod = r->role + 9;
		json_array_foreach(rows, k, row)
		{
			const char *p = vg_json_str(row, "product");
			if (p && strcmp(p, prod) == 0) {
				n = vg_json_int(row, "n", 0);
				bytes = vg_json_int(row, "bytes", 0);
			}
		}
		if (!shown++)
			html_raw(b, "<table id=\"tuf-products\"><thead><tr><th>product</th>"
				    "<th>role</th><th>signer</th><th>paths</th><th>targets</th>"
				    "<th>bytes</th></tr></thead><tbody>");
		html(b, "<tr data-product=\"%s\"><td><a href=\"/ui/products/", prod);
		html_url(b, prod);
		html(b,
		     "\">%s</a></td><td><code>%s</code></td><td>%s</td><td><code>%s/*</code></td>"
		     "<td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>",
		     prod, r->role, r->signers ? r->signers : "", prod, (long long)n,
		     (long long)bytes);
	}
	if (shown)
		html_raw(b, "</tbody></table>");
	else
		html_raw(b, "<p id=\"no-products\">No product is delegated yet: <code>vigil tuf "
			    "delegate --product P --signer S</code>.</p>");
	json_decref(rows);
}

static int ui_tuf(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct tuf_status st = {0};
	struct update_signer_list l = {0};
	struct vg_error err = {0};
	int64_t now = vg_now();
	int rc = tuf_status_get(req->db, &st, &err);

	if (!rc)
		rc = update_signer_list(req->db, &l, &err);
	ui_page_begin(req, resp, "TUF repository", "tuf");
	if (rc) {
		resp->status = vg_code_http_status(err.code);
		html(b, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(&err));
		tuf_status_release(&st);
		return ui_page_end(resp);
	}
	if (!st.n) {
		html_raw(b,
			 "<p id=\"no-tuf\">No TUF repository yet: create it with <code>vigil tuf "
			 "init</code> (see <code>vigil help tuf</code>).</p>");
		update_signer_list_release(&l);
		return ui_page_end(resp);
	}
	html_raw(b,
		 "<p>The update metadata served at <code>/tuf/metadata/</code> (targets at "
		 "<code>/tuf/targets/</code>). Timestamp, snapshot, targets and the products' "
		 "roles are signed again by the leader's job when half their lifetime is gone; "
		 "a role turns <strong>urgent</strong> when less than a quarter is left. Root is "
		 "signed only offline (<code>vigil tuf rotate root</code>).</p>");
	html_raw(b, "<table id=\"tuf-roles\"><thead><tr><th>role</th><th>version</th>"
		    "<th>lifetime</th><th>signed</th><th>expires</th><th>signers "
		    "(threshold)</th></tr></thead><tbody>");
	for (size_t i = 0; i < st.n; i++) {
		const struct tuf_role_status *r = &st.roles[i];
		char life[32];
		fmt_life(r->lifetime, life, sizeof(life));
		html(b,
		     "<tr data-role=\"%s\"><td><code>%s</code></td><td class=\"num "
		     "version\">%lld</td><td>%s</td><td>",
		     r->role, r->role, (long long)r->version, life);
		html_time(b, r->signed_at, "-");
		html_raw(b, "</td>");
		expiry_cell(b, r, now);
		signers_cell(b, r, &l);
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</tbody></table>");
	last_resign(req, b);
	products_table(req, b, &st);
	html_raw(b, "<p><a href=\"/tuf/metadata/timestamp.json\">timestamp.json</a> · <a "
		    "href=\"/tuf/metadata/root.json\">root.json</a> · <a "
		    "href=\"/ui/signers\">Signers</a></p>");
	html_raw(b, "<script src=\"/static/countdown.js\" defer></script>");
	tuf_status_release(&st);
	update_signer_list_release(&l);
	return ui_page_end(resp);
}

const struct http_route tuf_ui_routes[] = {
    {"GET", "/ui/tuf", ROLE_READ, HTTP_UI, ui_tuf, "TUF repository status", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
