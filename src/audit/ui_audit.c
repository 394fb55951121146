/*
 * ui_audit.c - the evidence room: the state of the hash chain and the audit
 * trail as a table a person can search (time, actor, action, object),
 * page through and export (CSV and JSON, every matching record).
 *
 * /ui/audit and /ui/evidence are the same page. Its query parameters:
 *   from, to      a date (YYYY-MM-DD, to: the whole day) or RFC 3339 time
 *   actor         exact user or token name
 *   action        exact ("product.create") or a prefix with '*' ("auth.*")
 *   otype, oid    object type and id
 *   logins=1      include sign-ins and sign-outs (hidden by default: they
 *                 are most of the trail and rarely the evidence asked for)
 *   size, page    page size (25, 50, 100, 200) and page number from 1
 *   format        csv or json: the export of every matching record
 * A bad value is shown at its field with what was typed kept, the records
 * left out (the export route answers 400).
 * The export is written row by row into an unlinked temporary file and sent
 * from there, so the trail is never held in memory; it is itself audited
 * ("audit.export" with the filter and the count).
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/html.h"
#include "http/ui.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

/* Plain words for the actions of the trail (the code is shown beside). */
static const struct html_label action_labels[] = {
    {"auth.login", "Signed in"},
    {"auth.login_failed", "Sign-in refused"},
    {"auth.logout", "Signed out"},
    {"audit.read", "Audit trail read"},
    {"audit.export", "Audit trail exported"},
    {"product.create", "Product created"},
    {"product.update", "Product changed"},
    {"sbom.import", "SBOM uploaded"},
    {"sbom.hold", "SBOM held for review"},
    {"sbom.approve", "Held SBOM approved"},
    {"sbom.delete", "SBOM deleted"},
    {"sbom.delete_refused", "SBOM deletion refused (retention)"},
    {"sbom.export", "SBOM exported"},
    {"sbom.read_original", "Original SBOM downloaded"},
    {"feed.import", "Feed imported"},
    {"feed.sync", "Feeds synchronised"},
    {"findings.reconcile", "Findings reconciled"},
    {"finding.triage", "Finding triaged"},
    {"sla.set", "SLA policy set"},
    {"sla.unset", "SLA policy removed"},
    {"user.create", "User created"},
    {"user.password", "Password changed"},
    {"token.create", "API token created"},
    {"token.revoke", "API token revoked"},
    {"release.create", "Release created"},
    {"release.upload", "Release artifact uploaded"},
    {"release.publish", "Release published"},
    {"release.publish_refused", "Release publication refused"},
    {"release.yank", "Release withdrawn"},
    {"notify.channel_add", "Notification channel added"},
    {"notify.rule_add", "Notification rule added"},
    {"oncall.page.notify", "On-call paged"},
    {"oncall.page.ack", "Page acknowledged"},
    {"securitytxt.publish", "security.txt published"},
    {"pgp.rotate", "OpenPGP key rotated"},
    {"schema.migrate", "Database migrated"},
    {NULL, NULL},
};

/* The form as typed (kept on errors) and the filter it makes. */
struct evq {
	char from[40], to[40], actor[128], action[128], otype[64], oid[256];
	int logins;
	int64_t size, page;
	const char *bad_field; /* the field in error, or NULL */
	struct vg_error err;
	struct audit_filter f;
};

static void copy_query(struct http_req *req, const char *name, char *out, size_t n)
{
	const char *v = http_query(req, name);
	snprintf(out, n, "%s", v ? v : "");
}

/* The field in error: "'value': what was expected". */
static int field_error(struct evq *q, const char *field, const char *value, const char *expected)
{
	q->bad_field = field;
	return vg_error_set(&q->err, VG_EINVAL, "'%s': %s", value, expected);
}

/* A date for "from" (start of day) or "to" (end of the day), or a time. */
static int parse_when(struct evq *q, const char *field, const char *text, int end, int64_t *out)
{
	if (!*text)
		return VG_OK;
	if (vg_time_parse(text, out, NULL))
		return field_error(q, field, text,
				   "expected a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ");
	if (end && strlen(text) == 10)
		*out += 86399;
	return VG_OK;
}

static int parse_size(struct evq *q, const char *field, const char *text, int64_t lo, int64_t hi,
		      int64_t dflt, int64_t *out)
{
	*out = dflt;
	if (!text || !*text)
		return VG_OK;
	if (vg_parse_int64(text, field, lo, hi, out, &q->err)) {
		q->bad_field = field;
		return VG_EINVAL;
	}
	return VG_OK;
}

/* Read the query into q; VG_OK or VG_EINVAL with q->bad_field and q->err. */
static int read_query(struct http_req *req, struct evq *q)
{
	struct audit_filter *f = &q->f;
	copy_query(req, "from", q->from, sizeof(q->from));
	copy_query(req, "to", q->to, sizeof(q->to));
	copy_query(req, "actor", q->actor, sizeof(q->actor));
	copy_query(req, "action", q->action, sizeof(q->action));
	copy_query(req, "otype", q->otype, sizeof(q->otype));
	copy_query(req, "oid", q->oid, sizeof(q->oid));
	q->logins = http_query(req, "logins") && strcmp(http_query(req, "logins"), "1") == 0;
	if (parse_when(q, "from", q->from, 0, &f->since) ||
	    parse_when(q, "to", q->to, 1, &f->until) ||
	    parse_size(q, "size", http_query(req, "size"), 1, 500, 50, &q->size) ||
	    parse_size(q, "page", http_query(req, "page"), 1, INT64_MAX / 1000, 1, &q->page))
		return VG_EINVAL;
	if (f->since && f->until && f->until < f->since)
		return field_error(q, "to", q->to, "the end is before the start");
	f->actor = *q->actor ? q->actor : NULL;
	f->action = *q->action ? q->action : NULL;
	f->otype = *q->otype ? q->otype : NULL;
	f->oid = *q->oid ? q->oid : NULL;
	/* sign-ins are hidden unless asked for, or unless the action asks for them */
	f->hide_action_prefix =
	    q->logins || (f->action && strncmp(f->action, "auth.", 5) == 0) ? NULL : "auth.log";
	return VG_OK;
}

/* The filter as a query string (without format, page), for links. */
static void filter_query(struct vg_buf *b, const struct evq *q)
{
	static const char *const names[] = {"from", "to", "actor", "action", "otype", "oid"};
	const char *vals[] = {q->from, q->to, q->actor, q->action, q->otype, q->oid};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!*vals[i])
			continue;
		vg_buf_addf(b, "%s=", names[i]);
		html_url(b, vals[i]);
		vg_buf_adds(b, "&amp;");
	}
	if (q->logins)
		vg_buf_adds(b, "logins=1&amp;");
	vg_buf_addf(b, "size=%lld", (long long)q->size);
}

static void text_field(struct vg_buf *b, const struct evq *q, const char *name, const char *label,
		       const char *type, const char *value, const char *hint)
{
	int bad = q->bad_field && strcmp(q->bad_field, name) == 0;
	html(b, "<div class=\"field%s\"><label for=\"f-%s\">%s</label>", bad ? " invalid" : "",
	     name, label);
	if (bad)
		html(b, "<span class=\"field-error\" id=\"f-%s-error\">%s</span>", name,
		     vg_error_msg(&q->err));
	html(b, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\"", name, name, type, value);
	if (hint)
		html(b, " placeholder=\"%s\"", hint);
	if (bad)
		html(b, " aria-invalid=\"true\" aria-describedby=\"f-%s-error\"", name);
	html_raw(b, "></div>");
}

static void filter_form(struct vg_buf *b, const struct evq *q)
{
	static const int sizes[] = {25, 50, 100, 200, 500};
	html_raw(b, "<form method=\"get\" action=\"/ui/audit\" id=\"audit-filter\" "
		    "class=\"filter-bar\" aria-label=\"Filter the audit trail\">");
	text_field(b, q, "from", "From", "text", q->from, "YYYY-MM-DD");
	text_field(b, q, "to", "To", "text", q->to, "YYYY-MM-DD");
	text_field(b, q, "actor", "Actor", "text", q->actor, "user or token");
	text_field(b, q, "action", "Action", "text", q->action, "sbom.import or sbom.*");
	text_field(b, q, "otype", "Object type", "text", q->otype, "product, case ...");
	text_field(b, q, "oid", "Object id", "text", q->oid, NULL);
	int bad = q->bad_field &&
		  (strcmp(q->bad_field, "size") == 0 || strcmp(q->bad_field, "page") == 0);
	html_raw(b, "<div class=\"field\"><label for=\"f-size\">Per page</label>");
	if (bad)
		html(b, "<span class=\"field-error\" id=\"f-size-error\">%s</span>",
		     vg_error_msg(&q->err));
	html_raw(b, bad ? "<select id=\"f-size\" name=\"size\" aria-invalid=\"true\" "
			  "aria-describedby=\"f-size-error\">"
			: "<select id=\"f-size\" name=\"size\">");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		html(b, "<option%s>%d</option>", q->size == sizes[i] ? " selected" : "", sizes[i]);
	html(b,
	     "</select></div><div class=\"field check\"><input type=\"checkbox\" id=\"f-logins\" "
	     "name=\"logins\" value=\"1\"%s><label for=\"f-logins\">Include sign-ins</label></div>"
	     "<div class=\"field actions\"><button type=\"submit\">Filter</button> "
	     "<a href=\"/ui/audit\">Clear</a></div></form>",
	     q->logins ? " checked" : "");
}

static void object_cell(struct vg_buf *b, const struct audit_entry *e)
{
	html_raw(b, "<td class=\"object\"><a href=\"/ui/audit?otype=");
	html_url(b, e->object_type ? e->object_type : "");
	html_raw(b, "&amp;oid=");
	html_url(b, e->object_id ? e->object_id : "");
	html(b, "\">%s <code>%s</code></a></td>", e->object_type, e->object_id);
}

static void records_table(struct vg_buf *b, const struct audit_entry_list *l)
{
	html_raw(
	    b,
	    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Audit "
	    "records\"><table id=\"audit\" class=\"audit-table\"><caption "
	    "class=\"visually-hidden\">Audit records, newest first</caption><thead><tr>"
	    "<th scope=\"col\">#</th><th scope=\"col\">Time (UTC)</th><th "
	    "scope=\"col\">Actor</th><th scope=\"col\">From</th><th scope=\"col\">Action</th><th "
	    "scope=\"col\">Object</th><th scope=\"col\">Change</th></tr></thead><tbody>");
	for (size_t i = 0; i < l->n; i++) {
		const struct audit_entry *e = &l->items[i];
		json_t *before =
		    e->before_json ? json_loads(e->before_json, JSON_DECODE_ANY, NULL) : NULL;
		json_t *after =
		    e->after_json ? json_loads(e->after_json, JSON_DECODE_ANY, NULL) : NULL;
		html(b, "<tr><td>%lld</td><td>", (long long)e->seq);
		html_time(b, e->at, "");
		html(b, "</td><td>%s</td><td>%s</td><td>", e->actor, e->remote);
		html_label_code(b, action_labels, e->action);
		html_raw(b, "</td>");
		object_cell(b, e);
		html_raw(b, "<td class=\"change-cell\">");
		if (before || after)
			html_change(b, before, after, NULL);
		html_raw(b, "</td></tr>");
		json_decref(before);
		json_decref(after);
	}
	if (!l->n)
		html_raw(b, "<tr><td colspan=\"7\">No record matches this filter.</td></tr>");
	html_raw(b, "</tbody></table></div>");
}

static void pager(struct vg_buf *b, const struct evq *q, int64_t total)
{
	int64_t pages = total ? (total + q->size - 1) / q->size : 1;
	int64_t first = total ? (q->page - 1) * q->size + 1 : 0;
	int64_t last = first ? first + q->size - 1 : 0;
	if (last > total)
		last = total;
	html(b,
	     "<nav class=\"pager\" aria-label=\"Pages\"><p id=\"audit-range\">Records %lld to "
	     "%lld of %lld (page %lld of %lld)</p>",
	     (long long)first, (long long)last, (long long)total, (long long)q->page,
	     (long long)pages);
	if (q->page > 1) {
		html_raw(b, "<a rel=\"prev\" id=\"page-newer\" href=\"/ui/audit?");
		filter_query(b, q);
		html(b, "&amp;page=%lld\">Newer records</a> ", (long long)(q->page - 1));
	}
	if (q->page < pages) {
		html_raw(b, "<a rel=\"next\" id=\"page-older\" href=\"/ui/audit?");
		filter_query(b, q);
		html(b, "&amp;page=%lld\">Older records</a>", (long long)(q->page + 1));
	}
	html_raw(b, "</nav>");
}

/* ---- export ---- */

/*
 * One CSV cell: always quoted, quotes doubled; a cell a spreadsheet would
 * read as a formula (starting with = + - @, a tab or a carriage return) is
 * prefixed with a single quote (OWASP's advice against CSV injection).
 */
static void csv_cell(FILE *fp, const char *s, int last)
{
	fputc('"', fp);
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
		fputc('\'', fp);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
	fputs(last ? "\r\n" : ",", fp);
}

static void csv_row(FILE *fp, const struct audit_entry *e)
{
	char seq[32], ts[VG_TIME_BUFSZ];
	snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
	csv_cell(fp, seq, 0);
	csv_cell(fp, vg_time_format(e->at, ts, sizeof(ts)), 0);
	csv_cell(fp, e->actor, 0);
	csv_cell(fp, e->remote, 0);
	csv_cell(fp, e->action, 0);
	csv_cell(fp, e->object_type, 0);
	csv_cell(fp, e->object_id, 0);
	csv_cell(fp, e->before_json, 0);
	csv_cell(fp, e->after_json, 0);
	csv_cell(fp, e->prev_hash, 0);
	csv_cell(fp, e->hash, 1);
}

static int json_row(FILE *fp, const struct audit_entry *e, int first)
{
	json_t *o = audit_entry_to_json(e);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return VG_ENOMEM;
	fprintf(fp, "%s\n%s", first ? "" : ",", text);
	free(text);
	return VG_OK;
}

#define EXPORT_CHUNK 500

/*
 * Every record matching q (oldest first, in chunks keyed by sequence) into
 * an unlinked temporary file, sent as a download named
 * vigil-audit-<date>.csv / .json. The export is audited first: a read
 * that cannot be recorded is not served.
 */
static int export(struct http_req *req, struct http_resp *resp, struct evq *q, int csv)
{
	struct audit_filter f = q->f;
	struct vg_error err = {0};
	struct http_stream st = {0};
	FILE *fp = tmpfile();
	int64_t n = 0;
	long size;
	char name[64], ts[VG_TIME_BUFSZ], cd[128];
	int rc = VG_OK, fd;

	if (!fp)
		return http_error(resp, VG_EIO, "export: cannot open a temporary file");
	if (csv)
		fputs("\"seq\",\"time\",\"actor\",\"from\",\"action\",\"object_type\","
		      "\"object_id\",\"before\",\"after\",\"prev_hash\",\"hash\"\r\n",
		      fp);
	else
		fputs("{\"records\":[", fp);
	f.newest_first = 0;
	f.offset = 0;
	f.limit = EXPORT_CHUNK;
	for (;;) {
		struct audit_entry_list l;
		if ((rc = audit_query(req->db, &f, &l, &err)))
			break;
		for (size_t i = 0; i < l.n && !rc; i++) {
			if (csv)
				csv_row(fp, &l.items[i]);
			else
				rc = json_row(fp, &l.items[i], n == 0);
			n++;
		}
		if (l.n)
			f.after_seq = l.items[l.n - 1].seq;
		audit_entry_list_release(&l);
		if (rc || l.n < EXPORT_CHUNK)
			break;
	}
	if (!csv)
		fputs("\n]}\n", fp);
	if (!rc) {
		json_t *rec = json_pack(
		    "{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:b, s:I}", "format",
		    csv ? "csv" : "json", "from", *q->from ? q->from : NULL, "to",
		    *q->to ? q->to : NULL, "actor", q->f.actor, "action", q->f.action, "otype",
		    q->f.otype, "oid", q->f.oid, "logins", q->logins, "records", (json_int_t)n);
		rc = store_audit(req->db, "audit.export", "audit", "log", NULL, rec, &err);
		json_decref(rec);
	}
	if (rc || fflush(fp) || (size = ftell(fp)) < 0) {
		fclose(fp);
		if (!rc)
			vg_error_set(&err, VG_EIO, "export: writing the temporary file failed");
		return http_fail(resp, &err);
	}
	fd = dup(fileno(fp));
	fclose(fp);
	if (fd < 0)
		return http_error(resp, VG_EIO, "export: cannot reopen the temporary file");
	vg_time_format(vg_now(), ts, sizeof(ts));
	snprintf(name, sizeof(name), "vigil-audit-%.10s.%s", ts, csv ? "csv" : "json");
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", name);
	st.size = (uint64_t)size;
	st.fd = fd;
	st.offset = 0;
	if ((rc =
		 http_stream(resp, 200, csv ? "text/csv; charset=utf-8" : "application/json", &st)))
		return rc;
	return http_set_header(resp, "Content-Disposition", cd);
}

static int evidence(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct evq q;
	struct audit_entry_list l = {0};
	struct vg_error err = {0};
	int64_t count = 0, bad = 0, total = 0;
	const char *fmt = http_query(req, "format");
	int vr, qr;

	memset(&q, 0, sizeof(q));
	qr = read_query(req, &q);
	if (!qr && fmt && (strcmp(fmt, "csv") == 0 || strcmp(fmt, "json") == 0))
		return export(req, resp, &q, strcmp(fmt, "csv") == 0);
	if (!qr && fmt) {
		q.bad_field = "format";
		qr = vg_error_set(&q.err, VG_EINVAL, "format '%s': expected csv or json", fmt);
	}
	vr = audit_verify(req->db, &count, &bad, &err);
	if (!qr) {
		q.f.newest_first = 1;
		q.f.limit = q.size;
		q.f.offset = (q.page - 1) * q.size;
		if (audit_count_matching(req->db, &q.f, &total, &q.err) ||
		    audit_query(req->db, &q.f, &l, &q.err))
			qr = VG_EINVAL;
	}
	ui_page_begin(req, resp, "Evidence", "evidence");
	if (vr == VG_OK)
		html(b,
		     "<p class=\"ok\" id=\"chain-status\">Audit chain intact: %lld records "
		     "verified.</p>",
		     (long long)count);
	else
		html(b, "<p class=\"error\" id=\"chain-status\" role=\"alert\">%s</p>",
		     vg_error_msg(&err));
	if (qr) {
		/* 200: the page is served, with the filter's error at its field (a
		 * browser logs a 4xx page load as a failed resource) */
		html(b,
		     "<div class=\"error-summary\" role=\"alert\" id=\"error\"><p>The filter was "
		     "not applied:</p><p>%s%s%s</p></div>",
		     q.bad_field ? q.bad_field : "", q.bad_field ? ": " : "", vg_error_msg(&q.err));
	}
	filter_form(b, &q);
	if (!qr) {
		html_raw(b,
			 "<p class=\"exports\" id=\"audit-export\">Export every matching record: "
			 "<a id=\"export-csv\" download href=\"/ui/audit?");
		filter_query(b, &q);
		html_raw(b, "&amp;format=csv\">CSV</a> <a id=\"export-json\" download "
			    "href=\"/ui/audit?");
		filter_query(b, &q);
		html_raw(b, "&amp;format=json\">JSON</a></p>");
		pager(b, &q, total);
		records_table(b, &l);
		if (total > q.size)
			pager(b, &q, total);
	}
	audit_entry_list_release(&l);
	return ui_page_end(resp);
}

/* /ui/audit/export?format=csv|json and the filter: the same as the page's
 * ?format= links. */
static int export_route(struct http_req *req, struct http_resp *resp)
{
	struct evq q;
	const char *fmt = http_query(req, "format");
	memset(&q, 0, sizeof(q));
	if (read_query(req, &q))
		return http_error(resp, VG_EINVAL, "query parameter %s: %s", q.bad_field,
				  vg_error_msg(&q.err));
	if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "json"))
		return http_error(resp, VG_EINVAL,
				  "query parameter format '%s': expected csv or json", fmt);
	return export(req, resp, &q, !fmt || strcmp(fmt, "csv") == 0);
}

const struct http_route audit_ui_routes[] = {
    {"GET", "/ui/audit", ROLE_READ, HTTP_UI, evidence,
     "Evidence: the audit trail (from, to, actor, action, otype, oid, logins, size, page; "
     "format=csv|json exports every matching record)",
     "ui"},
    {"GET", "/ui/audit/export", ROLE_READ, HTTP_UI, export_route,
     "Export the audit trail (format=csv|json and the filter of /ui/audit)", "ui"},
    {"GET", "/ui/evidence", ROLE_READ, HTTP_UI, evidence, "Evidence: the audit trail", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
