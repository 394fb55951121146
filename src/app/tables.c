/*
 * tables.c - every room listed once: the nouns of the command line, the
 * route tables, the job tables, the services beside the server, the rooms'
 * init functions and the navigation bar. Adding a room means adding its
 * entries here; no room names another room's table.
 */
#include "advisory/provider.h"
#include "app/app.h"
#include "advisory/csaf_adv.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "evidence/logs.h"
#include "http/http.h"
#include "ident/purl.h"
#include "jobs/jobs.h"
#include "notify/notify.h"
#include "programme/programme.h"
#include "programme/techfile.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "reach/oncall.h"
#include "reach/reach.h"
#include "sbom/inventory.h"
#include "triage/findings.h"
#include "triage/triage.h"
#include "triage/triage_cli.h"
#include "triage/triage_ui.h"
#include "triage/vex.h"
#include "update/delta.h"
#include "update/signer_admin.h"
#include "evidence/export.h"
#include "update/tuf.h"
#include "update/release.h"
#include "store/store.h"
#include "update/fleet.h"
#include "update/device.h"
#include "update/rollout.h"
#include "vuln/cvss.h"
#include "vuln/vulndb.h"

#include "core/banned.h"

/* ---- nouns ---- */

const struct app_noun app_nouns[] = {
    {"init", cmd_init, "create or upgrade the database (apply migrations)"},
    {"serve", cmd_serve, "run the web server and API"},
    {"user", cmd_user, "manage users (add, list, passwd, disable)"},
    {"token", cmd_token, "manage API tokens (create, list, revoke)"},
    {"audit", cmd_audit, "read and verify the tamper-evident audit trail"},
    {"evidence", cmd_evidence, "export and verify signed evidence bundles"},
    {"demo", cmd_demo, "load the demo data set"},
    {"backup", cmd_backup, "write a backup file: database, artifacts, audit chain head"},
    {"restore", cmd_restore, "restore a backup file into an empty database"},
    {"config", cmd_config, "the configuration keys (docs/configuration.md) and checking a file"},
    {"product", cmd_product, "manage products and their versions"},
    {"sbom", cmd_sbom, "import, list, diff and export SBOMs"},
    {"notify", cmd_notify, "notification channels, rules and the delivery log"},
    {"vuln", cmd_vuln, "version order, vers ranges, vulnerability matching"},
    {"routes", cmd_routes, "list the HTTP routes and the roles allowed on each"},
    {"purl", cmd_purl, "parse and canonicalise package-urls"},
    {"securitytxt", cmd_securitytxt, "validate, generate and sign security.txt (RFC 9116)"},
    {"feed", cmd_feed, "import vulnerability feeds (OSV, CISA KEV)"},
    {"findings", cmd_findings, "list findings (component x vulnerability per product version)"},
    {"sla", cmd_sla, "SLA policies for findings and the alert run"},
    {"vex", cmd_vex, "VEX export and import (CycloneDX, CSAF, OpenVEX)"},
    {"art14", cmd_art14, "CRA Article 14 clocks, drafts, approvals and filing record"},
    {"incident", cmd_incident, "record severe incidents (CRA Article 14(3))"},
    {"case", cmd_case, "PSIRT cases: reports, acknowledgement, workflow, messages"},
    {"oncall", cmd_oncall, "on-call paging: rotations, escalation policies, pages, drills"},
    {"pgp", cmd_pgp, "the PSIRT OpenPGP key: status, expiry, rotation"},
    {"cvss", cmd_cvss, "parse CVSS vectors (v2, v3.0, v3.1, v4.0) and compute their scores"},
    {"signer", cmd_signer, "update signers: PKCS#11 token keys (software keys for development)"},
    {"tuf", cmd_tuf, "the TUF repository: init, delegate, add-target, rotate, status, export"},
    {"release", cmd_release, "releases of product versions, their artifacts and the gate's checks"},
    {"ci-key", cmd_ci_key, "trusted CI keys that sign release artifacts"},
    {"delta", cmd_delta, "binary delta updates: make, apply, and the server's deltas"},
    {"fleet", cmd_fleet,
     "devices in the field by version, and the devices a vulnerability reaches"},
    {"device", cmd_device, "devices of products: enroll, list, show, revoke"},
    {"rollout", cmd_rollout,
     "phased rollouts: create, start, pause, resume, advance, halt, rollback"},
    {"scope", cmd_scope, "the scope map of internal systems (programme record)"},
    {"support", cmd_support, "support periods of products and the retention they imply"},
    {"readiness", cmd_readiness, "the CRA readiness score from live state, and its gaps"},
    {"techfile", cmd_techfile, "export and verify a product's technical file (signed bundle)"},
    {"advisory", cmd_advisory, "CSAF security advisories: draft, edit, approve, publish, withdraw"},
    {"logs", cmd_logs, "the log store: ingest, query, stats, seal, verify, holds, retention"},
    {NULL, NULL, NULL},
};

/* ---- rooms' init functions (event subscriptions), in this order ---- */

void app_init_rooms(void)
{
	static void (*const inits[])(void) = {
	    notify_init,  art14_init, triage_init,       oncall_init,    fleet_init,
	    rollout_init, delta_init, update_audit_init, programme_init, logs_init};
	for (size_t i = 0; i < sizeof(inits) / sizeof(inits[0]); i++)
		inits[i]();
}

/* ---- HTTP routes: matched in this order ---- */

extern const struct http_route app_routes[];
extern const struct http_route http_system_routes[];
extern const struct http_route auth_routes[];
extern const struct http_route audit_routes[];
extern const struct http_route http_ui_routes[];
extern const struct http_route auth_ui_routes[];
extern const struct http_route app_ui_routes[];
extern const struct http_route audit_ui_routes[];
extern const struct http_route sbom_routes[];
extern const struct http_route sbom_ui_routes[];
extern const struct http_route notify_routes[];
extern const struct http_route notify_ui_routes[];
extern const struct http_route reach_setup_routes[];
extern const struct http_route psirt_routes[];
extern const struct http_route oncall_routes[];
extern const struct http_route portal_routes[];
extern const struct http_route cases_ui_routes[];
extern const struct http_route vuln_routes[];
extern const struct http_route vuln_ui_routes[];
extern const struct http_route triage_routes[];
extern const struct http_route triage_ui_routes[];
extern const struct http_route signer_routes[];
extern const struct http_route tuf_routes[];
extern const struct http_route tuf_ui_routes[];
extern const struct http_route update_routes[];
extern const struct http_route update_ui_routes[];
extern const struct http_route fleet_routes[];    /* update/ui_fleet.c */
extern const struct http_route fleet_ui_routes[]; /* update/ui_fleet.c */
extern const struct http_route rollout_routes[];
extern const struct http_route provider_routes[]; /* advisory/provider.c */
extern const struct http_route programme_routes[];
extern const struct http_route programme_ui_routes[];
extern const struct http_route advisory_routes[];    /* advisory/ui_advisory.c */
extern const struct http_route advisory_ui_routes[]; /* advisory/ui_advisory.c */
extern const struct http_route logs_routes[];        /* evidence/log_api.c */

/* clang-format off */
const struct http_route *const app_route_tables[] = {
    app_routes,
    http_system_routes,
    auth_routes,
    audit_routes,
    http_ui_routes,
    auth_ui_routes,
    app_ui_routes,
    audit_ui_routes,
    sbom_routes,
    sbom_ui_routes,
    notify_routes,
    notify_ui_routes,
    reach_setup_routes,
    psirt_routes,
    oncall_routes,
    portal_routes,
    cases_ui_routes,
    vuln_routes,
    vuln_ui_routes,
    triage_routes,
    triage_ui_routes,
    signer_routes,
    tuf_routes,
    tuf_ui_routes,
    update_routes,
    update_ui_routes,
    fleet_routes,
    fleet_ui_routes,
    rollout_routes,
    provider_routes,
    programme_routes,
    programme_ui_routes,
    advisory_routes,
    advisory_ui_routes,
    logs_routes,
    NULL,
};
/* clang-format on */

/* ---- the navigation bar of every page ---- */

const struct http_nav_item app_nav[] = {
    {"products", "Products", "/ui/products"},
    {"findings", "Findings", "/ui/findings"},
    {"feeds", "Feeds", "/ui/feeds"},
    {"cases", "Cases", "/ui/cases"},
    {"advisories", "Advisories", "/ui/advisories"},
    {"releases", "Releases", "/ui/releases"},
    {"rollouts", "Rollouts", "/ui/rollouts"},
    {"fleet", "Fleet", "/ui/fleet"},
    {"signers", "Signers", "/ui/signers"},
    {"tuf", "TUF", "/ui/tuf"},
    {"setup", "Setup", "/ui/setup"},
    {"evidence", "Evidence", "/ui/evidence"},
    {"programme", "Programme", "/ui/programme"},
    {NULL, NULL, NULL},
};

/* ---- jobs: run by the leader (src/jobs/) ---- */

extern const struct vg_job auth_jobs[];
extern const struct vg_job audit_jobs[];
extern const struct vg_job notify_jobs[];
extern const struct vg_job psirt_jobs[];
extern const struct vg_job oncall_jobs[];
extern const struct vg_job triage_jobs[];
extern const struct vg_job tuf_jobs[];
extern const struct vg_job delta_jobs[];
extern const struct vg_job rollout_jobs[];
extern const struct vg_job device_jobs_every_server[];
extern const struct vg_job vuln_jobs[];
extern const struct vg_job programme_jobs[];
extern const struct vg_job logs_jobs[];
extern const struct vg_job logs_jobs_every_server[];

/* Durable events whose subscribers failed or were never called (store/outbox.c). */
static const struct vg_job event_jobs[] = {
    {"events.redeliver", 60, store_event_job, NULL},
    {NULL, 0, NULL, NULL},
};

/* clang-format off */
static const struct vg_job *const leader_jobs[] = {
    auth_jobs,
    audit_jobs,
    notify_jobs,
    psirt_jobs,
    oncall_jobs,
    triage_jobs,
    tuf_jobs,
    delta_jobs,
    rollout_jobs,
    vuln_jobs,
    programme_jobs,
    logs_jobs,
    event_jobs,
    NULL,
};
/* clang-format on */

/* Jobs that keep a cache of this process: run by every server, leader or not. */
/* clang-format off */
static const struct vg_job *const every_server_jobs[] = {
    triage_jobs_every_server,
    device_jobs_every_server,
    logs_jobs_every_server,
    NULL,
};
/* clang-format on */

/* What the scheduler runs (jobs/jobs.h). */
const struct vg_job_tables app_job_tables = {leader_jobs, every_server_jobs};

/* ---- services: started once the server listens, stopped in reverse ---- */

static int jobs_service_start(const char *db_url, struct vg_error *err)
{
	return jobs_start(db_url, &app_job_tables, vg_config_int("jobs.tick", 10), err);
}

const struct vg_service app_services[] = {
    {"jobs", jobs_service_start, jobs_stop},
    {"devices", device_service_start, device_service_stop},
    {"syslog", logs_syslog_start, logs_syslog_stop},
    {NULL, NULL, NULL},
};
