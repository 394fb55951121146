/*
 * ui_logs.c - the page /ui/logs: the filter in the URL (since, until,
 * product, version, source, grep, size, page), a histogram of the matching
 * events over the time range (http/chart.h) and the matching lines, paged.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "evidence/log_api.h"
#include "evidence/logs.h"
#include "http/chart.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define BUCKETS 12 /* columns: short labels fit under each at 640 units */

struct lq {
	const char *since_s, *until_s, *product, *version, *source, *grep;
	int64_t size, page;
	struct logs_filter f;
	const char *bad_field;
	struct vg_error err;
};

static const char *q_or(struct http_req *req, const char *name)
{
	const char *v = http_query(req, name);
	return v ? v : "";
}

static int read_query(struct http_req *req, struct lq *q)
{
	int64_t now = vg_now();
	memset(&q->f, 0, sizeof(q->f));
	q->since_s = q_or(req, "since");
	q->until_s = q_or(req, "until");
	q->product = q_or(req, "product");
	q->version = q_or(req, "version");
	q->source = q_or(req, "source");
	q->grep = q_or(req, "grep");
	if (vg_parse_int64_opt(http_query(req, "size"), "size", 10, 500, 50, &q->size, &q->err)) {
		q->bad_field = "size";
		return -1;
	}
	if (vg_parse_int64_opt(http_query(req, "page"), "page", 1, 100000, 1, &q->page, &q->err)) {
		q->bad_field = "page";
		return -1;
	}
	if (*q->since_s && vg_time_parse(q->since_s, &q->f.since, &q->err)) {
		q->bad_field = "since";
		return -1;
	}
	if (*q->until_s && vg_time_parse(q->until_s, &q->f.until, &q->err)) {
		q->bad_field = "until";
		return -1;
	}
	if (!q->f.until)
		q->f.until = now;
	if (!q->f.since)
		q->f.since = q->f.until - 86400 + 1;
	if (q->f.until < q->f.since) {
		q->bad_field = "until";
		vg_error_set(&q->err, VG_EINVAL, "until is before since");
		return -1;
	}
	if (*q->version && !*q->product) {
		q->bad_field = "version";
		vg_error_set(&q->err, VG_EINVAL, "a version needs a product");
		return -1;
	}
	q->f.product = q->product;
	q->f.version = q->version;
	q->f.source = q->source;
	q->f.grep = q->grep;
	q->f.limit = q->size;
	q->f.offset = (q->page - 1) * q->size;
	return 0;
}

static void field(struct vg_buf *b, const struct lq *q, const char *name, const char *label,
		  const char *value, const char *hint)
{
	int bad = q->bad_field && strcmp(q->bad_field, name) == 0;
	html(b, "<div class=\"field%s\"><label for=\"l-%s\">%s</label>", bad ? " invalid" : "",
	     name, label);
	if (bad)
		html(b, "<span class=\"field-error\" id=\"l-%s-error\">%s</span>", name,
		     vg_error_msg(&q->err));
	html(b, "<input id=\"l-%s\" name=\"%s\" type=\"text\" value=\"%s\"", name, name, value);
	if (hint)
		html(b, " placeholder=\"%s\"", hint);
	if (bad)
		html(b, " aria-invalid=\"true\" aria-describedby=\"l-%s-error\"", name);
	html_raw(b, "></div>");
}

static void query_string(struct vg_buf *b, const struct lq *q, int64_t page)
{
	static const char *const names[] = {"since",   "until",  "product",
					    "version", "source", "grep"};
	const char *vals[] = {q->since_s, q->until_s, q->product, q->version, q->source, q->grep};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!*vals[i])
			continue;
		vg_buf_addf(b, "%s=", names[i]);
		html_url(b, vals[i]);
		vg_buf_adds(b, "&amp;");
	}
	vg_buf_addf(b, "size=%" PRId64 "&amp;page=%" PRId64, q->size, page);
}

struct rows {
	struct vg_buf *b;
	int64_t n;
};

static int row(const struct log_event *ev, void *arg)
{
	struct rows *r = arg;
	html_raw(r->b, "<tr><td>");
	html_time(r->b, ev->time, "");
	html(r->b,
	     "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"log-msg\">%s</td></tr>",
	     ev->source, ev->product[0] ? ev->product : "-", ev->version[0] ? ev->version : "-",
	     ev->host[0] ? ev->host : "-", ev->message);
	r->n++;
	return 0;
}

int logs_ui_page(struct http_req *req, struct http_resp *resp);
int logs_ui_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct lq q;
	struct logs_query_stats st = {0}, hst = {0};
	int64_t counts[BUCKETS];
	char labels[BUCKETS][32];
	const char *lab[BUCKETS];
	struct vg_error err = {0};
	int qr, rc = VG_OK;
	struct rows r = {b, 0};

	memset(&q, 0, sizeof(q));
	qr = read_query(req, &q);
	ui_page_begin(req, resp, "Logs", "evidence");
	html_raw(b, "<p>Events from syslog senders, JSON lines and vigil itself, kept ten years. "
		    "Times are UTC.</p>");
	if (qr)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\" id=\"error\"><p>The filter was "
		     "not applied:</p><p>%s: %s</p></div>",
		     q.bad_field, vg_error_msg(&q.err));
	html_raw(b, "<form method=\"get\" action=\"/ui/logs\" id=\"logs-filter\" "
		    "class=\"filter-bar\" aria-label=\"Filter the logs\">");
	field(b, &q, "since", "Since", q.since_s, "YYYY-MM-DD or RFC 3339");
	field(b, &q, "until", "Until", q.until_s, "YYYY-MM-DD or RFC 3339");
	field(b, &q, "product", "Product", q.product, NULL);
	field(b, &q, "version", "Version", q.version, NULL);
	field(b, &q, "source", "Source", q.source, "gateway, nginx ...");
	field(b, &q, "grep", "Text", q.grep, "in the message");
	html(b, "<input type=\"hidden\" name=\"size\" value=\"%" PRId64 "\">",
	     q.size ? q.size : 50);
	html_raw(b, "<div class=\"field actions\"><button type=\"submit\">Filter</button></div>"
		    "</form>");
	if (qr)
		return ui_page_end(resp);

	rc = logs_histogram(req->db, &q.f, BUCKETS, counts, &hst, &err);
	if (!rc) {
		struct chart_series s = {"events", "#1f5fa8", counts};
		struct chart c = {0};
		int64_t span = q.f.until - q.f.since + 1;
		char t0[VG_TIME_BUFSZ], t1[VG_TIME_BUFSZ], head[64];
		/* a label short enough to stand under its column: the hour
		 * within one day, the day within a year, else the month; the
		 * rest of the time goes in the axis title */
		enum { HOUR, DAYHOUR, DAY, MONTH } fmt;
		vg_time_format(q.f.since, t0, sizeof(t0));
		vg_time_format(q.f.until, t1, sizeof(t1));
		if (!strncmp(t0, t1, 10))
			fmt = HOUR;
		else if (span / BUCKETS < 86400)
			fmt = DAYHOUR;
		else if (!strncmp(t0, t1, 4))
			fmt = DAY;
		else
			fmt = MONTH;
		for (int i = 0; i < BUCKETS; i++) {
			char t[VG_TIME_BUFSZ];
			vg_time_format(q.f.since + span * i / BUCKETS, t, sizeof(t));
			if (fmt == HOUR)
				snprintf(labels[i], sizeof(labels[i]), "%.5s", t + 11);
			else if (fmt == DAYHOUR)
				snprintf(labels[i], sizeof(labels[i]), "%.2s %.2sh", t + 8, t + 11);
			else if (fmt == DAY)
				snprintf(labels[i], sizeof(labels[i]), "%.5s", t + 5);
			else
				snprintf(labels[i], sizeof(labels[i]), "%.7s", t);
			lab[i] = labels[i];
		}
		if (fmt == HOUR)
			snprintf(head, sizeof(head), "from (UTC, %.10s)", t0);
		else if (fmt == DAYHOUR)
			snprintf(head, sizeof(head), "from (day and hour, UTC)");
		else if (fmt == DAY)
			snprintf(head, sizeof(head), "from (month-day, UTC, %.4s)", t0);
		else
			snprintf(head, sizeof(head), "from (month, UTC)");
		c.id = "logs-histogram";
		c.title = "Matching events over time";
		c.unit = "events";
		c.label_head = head;
		c.n = BUCKETS;
		c.labels = lab;
		c.nseries = 1;
		c.series = &s;
		chart_columns(b, &c);
	}
	if (!rc) {
		ui_table_begin(b, "Matching log lines");
		html_raw(b, "<table id=\"logs-lines\"><thead><tr><th scope=\"col\">Time</th><th "
			    "scope=\"col\">Source</th><th scope=\"col\">Product</th><th "
			    "scope=\"col\">Version</th><th scope=\"col\">Host</th><th "
			    "scope=\"col\">Message</th></tr></thead><tbody>");
		rc = logs_query(req->db, &q.f, row, &r, &st, &err);
		html_raw(b, "</tbody></table>");
		ui_table_end(b);
	}
	if (rc) {
		html(b, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(&err));
		return ui_page_end(resp);
	}
	html(b,
	     "<p id=\"logs-count\">%" PRId64 " matching events in this range; showing %" PRId64
	     " from number %" PRId64 ". %" PRId64 " blocks read.</p>",
	     hst.matched, r.n, r.n ? q.f.offset + 1 : 0, hst.blocks_read);
	html_raw(b, "<nav class=\"pager\" aria-label=\"Pages of log lines\">");
	if (q.page > 1) {
		html_raw(b, "<a id=\"logs-prev\" href=\"/ui/logs?");
		query_string(b, &q, q.page - 1);
		html_raw(b, "\">Previous page</a> ");
	}
	if (q.f.offset + r.n < hst.matched) {
		html_raw(b, "<a id=\"logs-next\" href=\"/ui/logs?");
		query_string(b, &q, q.page + 1);
		html_raw(b, "\">Next page</a>");
	}
	html_raw(b, "</nav>");
	return ui_page_end(resp);
}
