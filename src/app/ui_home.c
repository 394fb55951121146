/*
 * ui_home.c - what spans the rooms on the web: the health route (database,
 * schema, job leader) and the overview page.
 */
#include "app/app.h"
#include "audit/audit.h"
#include "core/error.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include "core/banned.h"

/* Anonymous callers (load balancers, probes) learn only whether the server
 * works; the version and the details, which tell an attacker what to try,
 * are for callers with credentials. */
static int health(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int ver = 0;
	int ok = store_schema_version(req->db, &ver, &err) == VG_OK;

	if (req->who.role == ROLE_NONE)
		return http_json(resp, ok ? 200 : 503,
				 json_pack("{s:s}", "status", ok ? "ok" : "degraded"));
	return http_json(resp, ok ? 200 : 503,
			 json_pack("{s:s, s:s, s:s, s:i, s:s, s:b}", "status",
				   ok ? "ok" : "degraded", "version", VIGIL_VERSION, "database",
				   ok ? "ok" : "unavailable", "schema_version", ver, "backend",
				   store_kind(req->db) == STORE_PG ? "postgresql" : "sqlite",
				   "leader", jobs_is_leader()));
}

static int home(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	int64_t n = 0;
	int ver = 0;

	if (audit_count(req->db, &n, NULL))
		n = 0;
	if (store_schema_version(req->db, &ver, NULL))
		ver = 0;
	ui_page_begin(req, resp, "Overview", "");
	html_raw(b, "<section class=\"cards\">");
	html(b,
	     "<div class=\"card\"><h2>Audit trail</h2><p><span class=\"big\" "
	     "id=\"audit-count\">%lld</span> records, hash-chained.</p>"
	     "<p><a href=\"/ui/evidence\">Open the evidence room</a></p></div>",
	     (long long)n);
	html(b, "<div class=\"card\"><h2>Database</h2><p>%s, schema version %d.</p></div>",
	     store_kind(req->db) == STORE_PG ? "PostgreSQL" : "SQLite", ver);
	html_raw(b, "<div class=\"card\"><h2>Article 14</h2><p>Early warning within 24 hours "
		    "and notification within 72 hours of becoming aware of an actively "
		    "exploited vulnerability (applies since 11 September 2026).</p></div>");
	html_raw(b, "<div class=\"card\" id=\"reachability\"><h2>PSIRT reachability</h2>"
		    "<ul><li><a href=\"/ui/oncall\">On-call rota, pages and drills</a></li>"
		    "<li><a href=\"/ui/reachability\">security.txt checks and the PSIRT "
		    "key</a></li><li><a href=\"/.well-known/security.txt\">Our published "
		    "security.txt</a></li><li><a href=\"/report\">Public vulnerability "
		    "report form</a></li></ul></div>");
	html_raw(b, "</section>");
	return ui_page_end(resp);
}

const struct http_route app_routes[] = {
    {"GET", "/api/v1/health", ROLE_PUBLIC, 0, health,
     "Liveness (anonymous: status only; with credentials: version, database, schema, leader)",
     "system"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

const struct http_route app_ui_routes[] = {
    {"GET", "/ui/", ROLE_ANY, HTTP_UI, home, "Overview page", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
