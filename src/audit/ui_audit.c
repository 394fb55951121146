/*
 * ui_audit.c - the evidence page: the state of the hash chain and the
 * latest 200 records.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/html.h"
#include "http/ui.h"

#include <stdlib.h>

#include "core/banned.h"

static int evidence(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct audit_filter f = {0};
	struct audit_entry_list l = {0};
	struct vg_error err = {0};
	int64_t count = 0, bad = 0, total = 0;
	int vr;

	vr = audit_verify(req->db, &count, &bad, &err);
	if (audit_last_seq(req->db, &total, NULL))
		total = 0;
	f.after_seq = total > 200 ? total - 200 : 0;
	if (audit_query(req->db, &f, &l, NULL))
		l.n = 0;
	ui_page_begin(req, resp, "Evidence", "evidence");
	if (vr == VG_OK)
		html(b,
		     "<p class=\"ok\" id=\"chain-status\">Audit chain intact: %lld records "
		     "verified.</p>",
		     (long long)count);
	else
		html(b, "<p class=\"error\" id=\"chain-status\" role=\"alert\">%s</p>",
		     vg_error_msg(&err));
	html_raw(b, "<h2>Latest records</h2><table id=\"audit\"><thead><tr><th>#</th>"
		    "<th>time (UTC)</th><th>actor</th><th>from</th><th>action</th>"
		    "<th>object</th><th>after</th></tr></thead><tbody>");
	for (size_t i = l.n; i-- > 0;) {
		const struct audit_entry *e = &l.items[i];
		json_t *after =
		    e->after_json ? json_loads(e->after_json, JSON_DECODE_ANY, NULL) : json_null();
		char *text = after ? json_dumps(after, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
		char ts[32];
		html(b,
		     "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s:%s</td>"
		     "<td><code>%s</code></td></tr>",
		     (long long)e->seq, vg_time_format(e->at, ts, sizeof(ts)), e->actor, e->remote,
		     e->action, e->object_type, e->object_id, text ? text : "");
		free(text);
		json_decref(after);
	}
	html_raw(b, "</tbody></table>");
	audit_entry_list_release(&l);
	return ui_page_end(resp);
}

const struct http_route audit_ui_routes[] = {
    {"GET", "/ui/evidence", ROLE_READ, HTTP_UI, evidence, "Evidence: the audit trail", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
