/*
 * art14.c - Article 14 exposures, their obligations and deadlines, the alert
 * tick, and the filing record. Drafts and approvals are in art14_draft.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "psirt/art14.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "core/events.h"
#include "core/log.h"
#include "jobs/deadline.h"
#include "psirt/psirt_int.h"
#include "store/store.h"
#include "triage/release_fix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define HOUR 3600
#define DAY  86400

static const char *stage_label(const char *stage);

static const char *const stage_names[ART14__NSTAGES] = {"early-warning", "notification",
							"intermediate", "final"};

int art14_stage_parse(const char *s)
{
	for (int i = 0; s && i < ART14__NSTAGES; i++)
		if (strcmp(s, stage_names[i]) == 0)
			return i;
	return -1;
}

const char *art14_stage_name(int stage)
{
	return stage >= 0 && stage < ART14__NSTAGES ? stage_names[stage] : "unknown";
}

const char *art14_state_name(enum art14_state st)
{
	switch (st) {
	case ART14_PENDING:
		return "pending";
	case ART14_DUE:
		return "due";
	case ART14_OVERDUE:
		return "overdue";
	case ART14_SUBMITTED:
		return "submitted";
	default:
		return "undetermined";
	}
}

int64_t art14_due_early_warning(int64_t aware_at)
{
	return aware_at + 24 * HOUR;
}

int64_t art14_due_notification(int64_t aware_at)
{
	return aware_at + 72 * HOUR;
}

int art14_due_vuln_final(int64_t fix_available_at, int64_t *due)
{
	if (!fix_available_at)
		return VG_ESTATE;
	*due = fix_available_at + 14 * DAY;
	return VG_OK;
}

int art14_due_incident_final(int64_t notification_submitted_at, int64_t *due)
{
	if (!notification_submitted_at)
		return VG_ESTATE;
	*due = vg_time_add_months(notification_submitted_at, 1);
	return VG_OK;
}

enum art14_state art14_state_at(int64_t starts_at, int64_t due_at, int64_t submitted_at,
				int64_t now)
{
	if (submitted_at)
		return ART14_SUBMITTED;
	if (!due_at)
		return ART14_UNDETERMINED;
	if (now > due_at)
		return ART14_OVERDUE;
	if (now >= starts_at + (due_at - starts_at) * 50 / 100)
		return ART14_DUE;
	return ART14_PENDING;
}

/* The thresholds of every PSIRT clock (Art. 14 obligations and the case
 * acknowledgement): bit i of the engine is ART14_WARN_* (1, 2, 4, 8). The
 * breach is any time after the due time: due + 1 s. */
const struct deadline_threshold psirt_alert_thresholds[PSIRT_NTHRESHOLDS] = {
    {"50%", DEADLINE_FROM_START, 500, 0},
    {"75%", DEADLINE_FROM_START, 750, 0},
    {"90%", DEADLINE_FROM_START, 900, 0},
    {"breach", DEADLINE_FROM_START, 1000, 1},
};

static int art14_record(struct store *s, const struct deadline_clock *c,
			const struct deadline_item *it, int64_t now, void *arg,
			struct vg_error *err);
static json_t *art14_event(const struct deadline_clock *c, const struct deadline_item *it, int i,
			   int64_t now, const char **name, void *arg);
static void alert_row_free(void *row);

/* The Article 14 clock: one deadline per obligation (subject = its id). */
static const struct deadline_clock art14_clock = {
    .name = "art14",
    .thresholds = psirt_alert_thresholds,
    .nthresholds = PSIRT_NTHRESHOLDS,
    .record = art14_record,
    .event = art14_event,
    .row_free = alert_row_free,
};

unsigned art14_alerts_due(int64_t starts_at, int64_t due_at, int64_t now)
{
	return deadline_due(&art14_clock, starts_at, due_at, now);
}

json_t *psirt_alerts_json(unsigned fired)
{
	json_t *a = json_array();
	for (int i = 0; a && i < PSIRT_NTHRESHOLDS; i++)
		if (fired & (1u << i))
			json_array_append_new(a, json_string(psirt_alert_thresholds[i].name));
	return a;
}

char *art14_format_left(int64_t seconds, char *out, size_t n)
{
	int64_t a = seconds < 0 ? -seconds : seconds;
	int64_t d = a / DAY, h = (a % DAY) / HOUR, m = (a % HOUR) / 60;
	if (d)
		snprintf(out, n, "%s%lldd %02lldh %02lldm", seconds < 0 ? "-" : "", (long long)d,
			 (long long)h, (long long)m);
	else
		snprintf(out, n, "%s%lldh %02lldm", seconds < 0 ? "-" : "", (long long)h,
			 (long long)m);
	return out;
}

/* ---- recording ---- */

static int add_obligation(struct store *s, int64_t exposure, const char *stage, int64_t starts,
			  int64_t due, struct vg_error *err)
{
	return store_exec(s, err,
			  "INSERT INTO art14_obligations (exposure_id, stage, starts_at, due_at) "
			  "VALUES (?,?,?,?)",
			  "itii", exposure, stage, starts, due);
}

static int add_obligation_undetermined(struct store *s, int64_t exposure, const char *stage,
				       struct vg_error *err)
{
	return store_exec(s, err, "INSERT INTO art14_obligations (exposure_id, stage) VALUES (?,?)",
			  "it", exposure, stage);
}

/* "art14.opened" (the page and the notifications of a new exposure),
 * recorded in the transaction that opens it; NULL: out of memory. */
static json_t *opened_event(int64_t id, const struct art14_open *in, const char *title)
{
	char summary[512], ts[VG_TIME_BUFSZ], key[64];

	snprintf(summary, sizeof(summary), "Art. 14: %s %lld opened (%s); early warning due %s",
		 in->kind, (long long)id, title,
		 vg_time_format(art14_due_early_warning(in->aware_at), ts, sizeof(ts)));
	snprintf(key, sizeof(key), "art14-%lld", (long long)id);
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o}", "summary", summary, "severity",
			 "critical", "dedup_key", key, "exposure_id", (json_int_t)id, "kind",
			 in->kind, "title", title, "aware_at", vg_json_time(in->aware_at), "at",
			 vg_json_time(vg_now()));
}

int art14_open(struct store *s, const struct art14_open *in, int64_t *id, struct vg_error *err)
{
	char states[256] = "";
	json_t *after = NULL, *kase = NULL, *opened = NULL;
	const char *product = in->product, *version = in->product_version, *title = in->title;
	int64_t now = vg_now(), newid = 0, event = 0;
	char oid[32];
	int incident, rc;

	if (!in->kind ||
	    (strcmp(in->kind, ART14_KIND_VULN) && strcmp(in->kind, ART14_KIND_INCIDENT)))
		return vg_error_set(err, VG_EINVAL, "kind '%s': expected vulnerability or incident",
				    in->kind ? in->kind : "");
	incident = strcmp(in->kind, ART14_KIND_INCIDENT) == 0;
	if (in->aware_at <= 0)
		return vg_error_set(err, VG_EINVAL, "--aware-at: required, an RFC 3339 time");
	if (in->aware_at > now)
		return vg_error_set(err, VG_EINVAL,
				    "--aware-at: awareness cannot be in the future (now is %s)",
				    vg_time_format(now, oid, sizeof(oid)));
	if ((rc = vg_text_check("--evidence", in->evidence, 8192, 1, 0, err)) ||
	    (rc = vg_text_check("--product", product, 200, 0, 0, err)) ||
	    (rc = vg_text_check("--version", version, 100, 0, 0, err)) ||
	    (rc = vg_text_check("--finding", in->finding, 100, 0, 0, err)) ||
	    (rc = vg_text_check("--vuln", in->vuln_id, 100, 0, 0, err)))
		return rc;
	if (in->member_states &&
	    (rc = psirt_member_states(in->member_states, states, sizeof(states), err)))
		return rc;
	if (in->case_id) {
		rc = store_row(s, &kase, err, "case", in->case_id, "ittt",
			       "SELECT id, title, product, product_version FROM psirt_cases WHERE "
			       "id = ?",
			       "i", in->case_id);
		if (rc)
			return rc;
		if (!product)
			product = vg_json_str(kase, "product");
		if (!version)
			version = vg_json_str(kase, "product_version");
		if (!title)
			title = vg_json_str(kase, "title");
	}
	if ((rc = vg_text_check("--title", title, 300, 0, 1, err))) {
		json_decref(kase);
		return rc;
	}

	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO art14_exposures (kind, title, vuln_id, product, "
				"product_version, member_states, suspected_malicious, aware_at, "
				"aware_by, aware_recorded_at, evidence, facts_json, created_at) "
				"VALUES (?,?,?,?,?,?,?,?,?,?,?,'{}',?)",
				"ttttttiititi", in->kind, title, in->vuln_id, product, version,
				*states ? states : NULL,
				(int64_t)(incident && in->suspected_malicious), in->aware_at,
				store_actor(s), now, in->evidence, now);
	if (!rc)
		rc =
		    store_query_int64(s, &newid, err,
				      "SELECT MAX(id) FROM art14_exposures WHERE aware_recorded_at "
				      "= ? AND aware_by = ?",
				      "it", now, store_actor(s));
	if (!rc && in->finding)
		rc = store_exec(s, err, "UPDATE art14_exposures SET finding = ? WHERE id = ?", "ti",
				in->finding, newid);
	if (!rc && in->case_id)
		rc = store_exec(s, err, "UPDATE art14_exposures SET case_id = ? WHERE id = ?", "ii",
				in->case_id, newid);
	if (!rc)
		rc = add_obligation(s, newid, "early-warning", in->aware_at,
				    art14_due_early_warning(in->aware_at), err);
	if (!rc)
		rc = add_obligation(s, newid, "notification", in->aware_at,
				    art14_due_notification(in->aware_at), err);
	if (!rc)
		rc = add_obligation_undetermined(s, newid, "final", err);
	if (!rc) {
		after = json_pack(
		    "{s:s, s:s, s:o, s:s, s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
		    "s:b, s:o}",
		    "kind", in->kind, "title", title, "aware_at", vg_json_time(in->aware_at),
		    "aware_by", store_actor(s), "recorded_at", vg_json_time(now), "evidence",
		    in->evidence, "product", product, "product_version", version, "member_states",
		    *states ? states : NULL, "finding", in->finding, "vuln_id", in->vuln_id,
		    "suspected_malicious", incident && in->suspected_malicious, "case_id",
		    in->case_id ? json_integer(in->case_id) : json_null());
		snprintf(oid, sizeof(oid), "%lld", (long long)newid);
		rc = after ? store_audit(s, "art14.aware", "art14_exposure", oid, NULL, after, err)
			   : vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	json_decref(after);
	if (!rc) {
		opened = opened_event(newid, in, title);
		rc = opened ? store_event_record(s, "art14.opened", opened, &event, err)
			    : vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	rc = store_tx_end(s, rc, err);
	if (!rc) {
		store_event_deliver(s, event, "art14.opened", opened);
		*id = newid;
	}
	json_decref(opened);
	json_decref(kase);
	return rc;
}

static int exposure_load(struct store *s, int64_t id, int details, struct art14_exposure *e,
			 struct vg_error *err);

int art14_fix_available(struct store *s, int64_t id, int64_t at, struct vg_error *err)
{
	struct art14_exposure e;
	json_t *after;
	int64_t due = 0, now = vg_now();
	char oid[32], ts[VG_TIME_BUFSZ];
	int rc;

	rc = exposure_load(s, id, 0, &e, err);
	if (rc)
		return rc;
	if (!e.kind || strcmp(e.kind, ART14_KIND_VULN) != 0)
		rc = vg_error_set(err, VG_ESTATE,
				  "exposure %lld is an incident: its final report runs from the "
				  "notification's submission, not from a fix",
				  (long long)id);
	else if (e.fix_available_at)
		rc =
		    vg_error_set(err, VG_ESTATE,
				 "exposure %lld: a corrective measure was already marked available "
				 "at %s",
				 (long long)id, vg_time_format(e.fix_available_at, ts, sizeof(ts)));
	else if (at <= 0 || at > now)
		rc = vg_error_set(err, VG_EINVAL, "--at: expected a time not in the future");
	else if (at < e.aware_at)
		rc = vg_error_set(err, VG_EINVAL,
				  "--at: a measure available before awareness (%s)? expected a "
				  "time after it",
				  vg_time_format(e.aware_at, ts, sizeof(ts)));
	art14_exposure_release(&e);
	if (rc)
		return rc;
	art14_due_vuln_final(at, &due);
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE art14_exposures SET fix_available_at = ? WHERE id = ?",
				"ii", at, id);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE art14_obligations SET starts_at = ?, due_at = ? WHERE "
				"exposure_id = ? AND stage = 'final'",
				"iii", at, due, id);
	after = json_pack("{s:o, s:o}", "fix_available_at", vg_json_time(at), "final_due_at",
			  vg_json_time(due));
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	if (!rc)
		rc = store_audit(s, "art14.fix_available", "art14_exposure", oid, NULL, after, err);
	json_decref(after);
	return store_tx_end(s, rc, err);
}

/* ---- a published release: a corrective measure is available ---- */

/* Append id to *ids. */
static int collect_one(int64_t id, int64_t **ids, size_t *n, size_t *cap, struct vg_error *err)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		int64_t *p = realloc(*ids, nc * sizeof(*p));
		if (!p)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		*ids = p;
		*cap = nc;
	}
	(*ids)[(*n)++] = id;
	return VG_OK;
}

/* Ids of rows from sql (one int64 column) with binds: text product, then
 * the fixed id n times. Appended to *ids (malloc'ed) unless there already. */
static int collect_ids(struct store *s, const char *sql, const char *product, const char *vuln,
		       int nvuln, int64_t release, int64_t **ids, size_t *n, size_t *cap,
		       struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(s, sql, &st, err), k = 1;

	if (rc)
		return rc;
	store_bind_text(st, k++, product);
	for (int i = 0; i < nvuln; i++)
		store_bind_text(st, k++, vuln);
	if (release)
		store_bind_int64(st, k++, release);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0);
		int dup = 0;
		for (size_t i = 0; i < *n; i++)
			dup |= (*ids)[i] == id;
		if (!dup && (rc = collect_one(id, ids, n, cap, err)) != VG_OK)
			break;
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

/* Exposures of vuln on the product (or an unknown one) with no measure yet. */
#define RELEASE_EXPOSURES_SQL                                                                     \
	"SELECT e.id FROM art14_exposures e LEFT JOIN psirt_cases c ON c.id = e.case_id WHERE "   \
	"e.kind = 'vulnerability' AND e.fix_available_at IS NULL AND (COALESCE(e.product, "       \
	"c.product) IS NULL OR COALESCE(e.product, c.product) = ?) AND (e.vuln_id = ? OR EXISTS " \
	"(SELECT 1 FROM vuln_alias_view a WHERE (a.vuln_id = e.vuln_id AND a.alias = ?) OR "      \
	"(a.alias = e.vuln_id AND a.vuln_id = ?)) OR EXISTS (SELECT 1 FROM psirt_case_links l "   \
	"WHERE l.case_id = e.case_id AND l.kind = 'cve' AND l.value = ?)) ORDER BY e.id"
/* Cases linked to vuln (a CVE link or an exposure of it) on the product (or
 * none) that have not recorded the release yet. */
#define RELEASE_CASES_SQL                                                                          \
	"SELECT c.id FROM psirt_cases c WHERE (c.product IS NULL OR c.product = ?) AND (EXISTS "   \
	"(SELECT 1 FROM psirt_case_links l WHERE l.case_id = c.id AND l.kind = 'cve' AND l.value " \
	"= ?) OR EXISTS (SELECT 1 FROM art14_exposures e WHERE e.case_id = c.id AND (e.vuln_id = " \
	"? OR EXISTS (SELECT 1 FROM vuln_alias_view a WHERE (a.vuln_id = e.vuln_id AND a.alias = " \
	"?) OR (a.alias = e.vuln_id AND a.vuln_id = ?))))) AND NOT EXISTS (SELECT 1 FROM "         \
	"psirt_case_fixes x WHERE x.case_id = c.id AND x.release_id = ?) ORDER BY c.id"

static json_t *release_json(const struct release_published *ev)
{
	return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)ev->release_id, "product",
			 ev->product, "version", ev->version, "published_at",
			 vg_json_time(ev->published_at));
}

static int exposure_fixed(struct store *s, const struct release_published *ev, int64_t id,
			  const char *name, struct vg_error *err)
{
	int64_t aware = 0, at, due = 0;
	json_t *after;
	char oid[32];
	int rc;

	rc = store_query_int64(s, &aware, err, "SELECT aware_at FROM art14_exposures WHERE id = ?",
			       "i", id);
	if (rc)
		return rc;
	/* available at publication; a measure cannot precede awareness */
	at = ev->published_at > aware ? ev->published_at : aware;
	art14_due_vuln_final(at, &due);
	rc = store_exec(s, err,
			"UPDATE art14_exposures SET fix_available_at = ?, fix_release_id = ?, "
			"fix_release = ? WHERE id = ?",
			"iiti", at, ev->release_id, name, id);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE art14_obligations SET starts_at = ?, due_at = ? WHERE "
				"exposure_id = ? AND stage = 'final' AND submitted_at IS NULL",
				"iii", at, due, id);
	if (rc)
		return rc;
	after = json_pack("{s:o, s:o, s:o}", "fix_available_at", vg_json_time(at), "final_due_at",
			  vg_json_time(due), "release", release_json(ev));
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	rc = after ? store_audit(s, "art14.fix_available", "art14_exposure", oid, NULL, after, err)
		   : vg_error_set(err, VG_ENOMEM, "out of memory");
	json_decref(after);
	return rc;
}

static int case_fixed(struct store *s, const struct release_published *ev, int64_t id,
		      const char *name, const char *vulns, struct vg_error *err)
{
	int64_t have = 0;
	json_t *after;
	char oid[32];
	int rc;

	rc = store_exec(
	    s, err,
	    "INSERT INTO psirt_case_fixes (case_id, release_id, product, version, vulns, "
	    "published_at, recorded_at) VALUES (?,?,?,?,?,?,?)",
	    "iitttii", id, ev->release_id, ev->product, ev->version, vulns, ev->published_at,
	    vg_now());
	if (!rc)
		rc =
		    store_query_int64(s, &have, err,
				      "SELECT COUNT(*) FROM psirt_case_links WHERE case_id = ? AND "
				      "kind = 'release' AND value = ?",
				      "it", id, name);
	if (!rc && !have)
		rc = store_exec(s, err,
				"INSERT INTO psirt_case_links (case_id, kind, value, created_at) "
				"VALUES (?,'release',?,?)",
				"iti", id, name, vg_now());
	if (rc)
		return rc;
	after = json_pack("{s:o, s:s}", "release", release_json(ev), "fixes", vulns);
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	rc = after ? store_audit(s, "case.fix_available", "case", oid, NULL, after, err)
		   : vg_error_set(err, VG_ENOMEM, "out of memory");
	json_decref(after);
	return rc;
}

int art14_release_published(struct store *s, const struct release_published *ev, int64_t *exposures,
			    int64_t *cases, struct vg_error *err)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int64_t nexp = 0, ncase = 0;
	char name[420];
	int rc;

	if (exposures)
		*exposures = 0;
	if (cases)
		*cases = 0;
	if (!ev->nfixes)
		return VG_OK;
	snprintf(name, sizeof(name), "%s %s", ev->product, ev->version);
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < ev->nfixes; i++)
		rc = collect_ids(s, RELEASE_EXPOSURES_SQL, ev->product, ev->fixes[i], 4, 0, &ids,
				 &n, &cap, err);
	for (size_t i = 0; !rc && i < n; i++, nexp++)
		rc = exposure_fixed(s, ev, ids[i], name, err);
	/* cases, each with the fixed ids it is linked to ("CVE-1, CVE-2") */
	free(ids);
	ids = NULL;
	n = cap = 0;
	{
		struct vg_buf *vulns = NULL;
		for (size_t k = 0; !rc && k < ev->nfixes; k++) {
			int64_t *one = NULL;
			size_t m = 0, mcap = 0;
			rc = collect_ids(s, RELEASE_CASES_SQL, ev->product, ev->fixes[k], 4,
					 ev->release_id, &one, &m, &mcap, err);
			for (size_t j = 0; !rc && j < m; j++) {
				size_t at = 0;
				while (at < n && ids[at] != one[j])
					at++;
				if (at == n) {
					struct vg_buf *nv = realloc(vulns, (n + 1) * sizeof(*nv));
					if (!nv) {
						rc = vg_error_set(err, VG_ENOMEM, "out of memory");
						break;
					}
					vulns = nv;
					vg_buf_init(&vulns[n], 0);
					if ((rc = collect_one(one[j], &ids, &n, &cap, err)) !=
					    VG_OK) {
						vg_buf_release(&vulns[n]);
						break;
					}
				}
				if (vulns[at].len)
					vg_buf_adds(&vulns[at], ", ");
				vg_buf_adds(&vulns[at], ev->fixes[k]);
			}
			free(one);
		}
		for (size_t i = 0; !rc && i < n; i++, ncase++)
			rc = case_fixed(s, ev, ids[i], name, vulns[i].data ? vulns[i].data : "",
					err);
		for (size_t i = 0; i < n; i++)
			vg_buf_release(&vulns[i]);
		free(vulns);
	}
	free(ids);
	if (!rc && !nexp && !ncase) {
		store_tx_rollback(s); /* nothing linked, or heard before */
		return VG_OK;
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && exposures)
		*exposures = nexp;
	if (!rc && cases)
		*cases = ncase;
	return rc;
}

int art14_request_intermediate(struct store *s, int64_t id, int64_t due, struct vg_error *err)
{
	struct art14_exposure e;
	json_t *after, *before = NULL;
	int64_t now = vg_now(), have = 0, submitted = 0;
	char oid[32];
	int rc;

	rc = exposure_load(s, id, 0, &e, err);
	art14_exposure_release(&e);
	if (rc)
		return rc;
	if (due <= now)
		return vg_error_set(err, VG_EINVAL, "--due: expected a time in the future");
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &have, err,
			       "SELECT COUNT(*) FROM art14_obligations WHERE exposure_id = ? AND "
			       "stage = 'intermediate'",
			       "i", id);
	if (!rc && have)
		rc = store_query_int64(s, &submitted, err,
				       "SELECT COALESCE(submitted_at, 0) FROM art14_obligations "
				       "WHERE exposure_id = ? AND stage = 'intermediate'",
				       "i", id);
	if (!rc && submitted)
		rc = vg_error_set(err, VG_ESTATE,
				  "exposure %lld: the intermediate report was already submitted",
				  (long long)id);
	if (!rc && have) {
		int64_t obl = 0;
		before = json_pack("{s:b}", "re_requested", 1);
		rc = store_query_int64(s, &obl, err,
				       "SELECT id FROM art14_obligations WHERE exposure_id = ? AND "
				       "stage = 'intermediate'",
				       "i", id);
		if (!rc)
			rc = store_exec(s, err,
					"UPDATE art14_obligations SET starts_at = ?, due_at = ? "
					"WHERE id = ?",
					"iii", now, due, obl);
		/* a new request: its alerts are sent again */
		if (!rc)
			rc = deadline_forget(s, &art14_clock, obl, err);
	} else if (!rc) {
		rc = add_obligation(s, id, "intermediate", now, due, err);
	}
	after =
	    json_pack("{s:o, s:o}", "requested_at", vg_json_time(now), "due_at", vg_json_time(due));
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	if (!rc)
		rc = store_audit(s, "art14.intermediate_requested", "art14_exposure", oid, before,
				 after, err);
	json_decref(after);
	json_decref(before);
	return store_tx_end(s, rc, err);
}

int art14_submitted(struct store *s, int64_t id, const char *stage, int64_t at,
		    const char *reference, int *approved, struct vg_error *err)
{
	return art14_submitted_ex(s, id, stage, at, reference, NULL, approved, err);
}

/* The guard of a filing: earlier stages not yet recorded (early warning
 * before notification, both before the final report; an intermediate report
 * after both) and a missing approved draft are named in *why; *late gets
 * the earlier stages' names. */
static int filing_guard(struct store *s, int64_t id, int st, const char *stage, int64_t draft,
			struct vg_buf *why, json_t *late, struct vg_error *err)
{
	json_t *rows = NULL, *r;
	size_t i;
	int rc = store_rows(s, &rows, err, "ti",
			    "SELECT stage, submitted_at FROM art14_obligations WHERE "
			    "exposure_id = ?",
			    "i", id);
	if (rc)
		return rc;
	for (int k = ART14_EARLY_WARNING; k <= ART14_NOTIFICATION && k < st; k++)
		json_array_foreach(rows, i, r)
		{
			if (strcmp(vg_json_str(r, "stage") ? vg_json_str(r, "stage") : "",
				   art14_stage_name(k)) != 0 ||
			    vg_json_int(r, "submitted_at", 0))
				continue;
			vg_buf_addf(why, "%sthe %s is not recorded as filed yet",
				    why->len ? "; " : "", stage_label(art14_stage_name(k)));
			json_array_append_new(late, json_string(art14_stage_name(k)));
		}
	if (!draft)
		vg_buf_addf(why, "%sthere is no approved draft of the %s", why->len ? "; " : "",
			    stage_label(stage));
	json_decref(rows);
	return VG_OK;
}

int art14_submitted_ex(struct store *s, int64_t id, const char *stage, int64_t at,
		       const char *reference, const char *reason, int *approved,
		       struct vg_error *err)
{
	struct art14_exposure e;
	struct vg_buf why = VG_BUF_INIT;
	json_t *ob = NULL, *after = NULL, *late = NULL;
	int64_t now = vg_now(), draft = 0, final_due = 0;
	int st = art14_stage_parse(stage), incident, rc;
	char oid[32], ts[VG_TIME_BUFSZ];

	if (approved)
		*approved = 0;
	if (st < 0)
		return vg_error_set(err, VG_EINVAL,
				    "--stage '%s': expected early-warning, notification, "
				    "intermediate or final",
				    stage ? stage : "");
	if ((rc = vg_text_check("--reference", reference, 200, 0, 1, err)) ||
	    (rc = vg_text_check("--reason", reason, 4000, 1, 0, err)))
		return rc;
	if (reason && !*reason)
		reason = NULL;
	if (at <= 0 || at > now)
		return vg_error_set(err, VG_EINVAL,
				    "--at: a filing cannot be recorded in the future (now is %s)",
				    vg_time_format(now, ts, sizeof(ts)));
	rc = exposure_load(s, id, 0, &e, err);
	if (rc)
		return rc;
	incident = e.kind && strcmp(e.kind, ART14_KIND_INCIDENT) == 0;
	if (at < e.aware_at) {
		rc = vg_error_set(err, VG_EINVAL, "--at: before the awareness time %s",
				  vg_time_format(e.aware_at, ts, sizeof(ts)));
		goto out;
	}
	rc = store_rows(s, &ob, err, "ii",
			"SELECT id, submitted_at FROM art14_obligations WHERE exposure_id = ? "
			"AND stage = ?",
			"it", id, stage);
	if (rc)
		goto out;
	if (!json_array_size(ob)) {
		rc = vg_error_set(err, VG_ESTATE,
				  "exposure %lld has no %s obligation (an intermediate report is "
				  "only due when requested)",
				  (long long)id, stage);
		goto out;
	}
	if (vg_json_int(json_array_get(ob, 0), "submitted_at", 0)) {
		rc = vg_error_set(
		    err, VG_EEXIST, "exposure %lld: the %s was already recorded as submitted at %s",
		    (long long)id, stage,
		    vg_time_format(vg_json_int(json_array_get(ob, 0), "submitted_at", 0), ts,
				   sizeof(ts)));
		goto out;
	}
	/* the latest approved draft version of that stage, if any */
	if (store_query_int64(
		s, &draft, NULL,
		"SELECT COALESCE(MAX(d.version), 0) FROM art14_drafts d WHERE "
		"d.exposure_id = ? AND d.stage = ? AND d.version = (SELECT "
		"MAX(version) FROM art14_drafts WHERE exposure_id = ? AND stage = ?) "
		"AND (SELECT COUNT(*) FROM art14_approvals a WHERE a.draft_id = d.id) "
		">= ?",
		"ititi", id, stage, id, stage, (int64_t)psirt_approvals_needed()) != VG_OK)
		draft = 0;
	late = json_array();
	if (!late) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = filing_guard(s, id, st, stage, draft, &why, late, err)))
		goto out;
	if (why.len && !reason) {
		rc = vg_error_set(err, VG_ESTATE,
				  "reason: recording the %s of exposure %lld now needs a reason, "
				  "kept in the audit trail: %s",
				  stage_label(stage), (long long)id, why.data);
		goto out;
	}
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc = store_exec(s, err,
			"UPDATE art14_obligations SET submitted_at = ?, submitted_reference = ?, "
			"submitted_by = ?, submitted_draft = ?, submitted_reason = ? WHERE "
			"exposure_id = ? AND stage = ?",
			"ittitit", at, reference, store_actor(s), draft, why.len ? reason : NULL,
			id, stage);
	if (!rc && incident && st == ART14_NOTIFICATION) {
		art14_due_incident_final(at, &final_due);
		rc = store_exec(s, err,
				"UPDATE art14_obligations SET starts_at = ?, due_at = ? WHERE "
				"exposure_id = ? AND stage = 'final'",
				"iii", at, final_due, id);
	}
	if (!rc) {
		after =
		    json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:s}", "stage", stage, "submitted_at",
			      vg_json_time(at), "reference", reference, "recorded_by",
			      store_actor(s), "recorded_at", vg_json_time(now), "draft_version",
			      draft ? json_integer(draft) : json_null(), "note",
			      "filed by a person on the ENISA single reporting platform; vigil "
			      "records it");
		if (final_due)
			json_object_set_new(after, "final_due_at", vg_json_time(final_due));
		if (after && why.len) {
			json_object_set_new(after, "reason", json_string(reason));
			json_object_set_new(after, "guard", json_string(why.data));
			json_object_set(after, "before_earlier_stages", late);
			json_object_set_new(after, "without_approved_draft", json_boolean(!draft));
		}
		snprintf(oid, sizeof(oid), "%lld", (long long)id);
		rc = store_audit(s, "art14.submitted", "art14_exposure", oid, NULL, after, err);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && approved)
		*approved = draft != 0;
out:
	json_decref(after);
	json_decref(ob);
	json_decref(late);
	vg_buf_release(&why);
	art14_exposure_release(&e);
	return rc;
}

/* ---- listing ---- */

#define OBLIGATION_ORDER                                                            \
	"CASE o.stage WHEN 'early-warning' THEN 0 WHEN 'notification' THEN 1 WHEN " \
	"'intermediate' THEN 2 ELSE 3 END"

void art14_report_list_release(struct art14_report_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].kind);
		free(l->items[i].title);
		free(l->items[i].reference);
		free(l->items[i].submitted_by);
		free(l->items[i].reason);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

void art14_exposure_release(struct art14_exposure *e)
{
	if (!e)
		return;
	free(e->kind);
	free(e->title);
	free(e->finding);
	free(e->vuln_id);
	free(e->product);
	free(e->product_version);
	free(e->aware_by);
	free(e->evidence);
	free(e->member_states);
	free(e->fix_release);
	json_decref(e->facts);
	art14_report_list_release(&e->reports);
	for (size_t i = 0; i < e->ndrafts; i++)
		free(e->drafts[i].created_by);
	free(e->drafts);
	memset(e, 0, sizeof(*e));
}

struct report_rows {
	struct art14_report_list *l;
	int64_t now;
};

static int report_row(struct store_stmt *st, void *arg)
{
	struct report_rows *rr = arg;
	struct art14_report *p = realloc(rr->l->items, (rr->l->n + 1) * sizeof(*p)), *r;
	int oom = 0;
	const char *stage;

	if (!p)
		return VG_ENOMEM;
	rr->l->items = p;
	r = &p[rr->l->n++];
	memset(r, 0, sizeof(*r));
	r->id = store_col_int64(st, 0);
	r->exposure_id = store_col_int64(st, 1);
	r->kind = psirt_col_dup(st, 2, &oom);
	r->title = psirt_col_dup(st, 3, &oom);
	stage = store_col_text(st, 4);
	r->stage = art14_stage_parse(stage);
	r->starts_at = store_col_int64_or(st, 5, 0);
	r->due_at = store_col_int64_or(st, 6, 0);
	r->submitted_at = store_col_int64_or(st, 7, 0);
	r->reference = psirt_col_dup(st, 8, &oom);
	r->submitted_by = psirt_col_dup(st, 9, &oom);
	r->reason = psirt_col_dup(st, 10, &oom);
	r->now = rr->now;
	r->state = art14_state_at(r->starts_at, r->due_at, r->submitted_at, rr->now);
	return oom ? VG_ENOMEM : VG_OK;
}

int art14_list(struct store *s, int64_t exposure, int64_t now, struct art14_report_list *out,
	       struct vg_error *err)
{
	struct report_rows rr = {out, now};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = psirt_query(s,
			 "SELECT o.id, o.exposure_id, e.kind, e.title, o.stage, o.starts_at, "
			 "o.due_at, o.submitted_at, o.submitted_reference, o.submitted_by, "
			 "o.submitted_reason FROM "
			 "art14_obligations o JOIN art14_exposures e ON e.id = o.exposure_id "
			 "WHERE CAST(? AS BIGINT) = 0 OR o.exposure_id = ? ORDER BY "
			 "o.exposure_id, " OBLIGATION_ORDER,
			 "ii", exposure, NULL, report_row, &rr, err);
	for (size_t i = 0; !rc && i < out->n; i++)
		if (out->items[i].due_at)
			rc = deadline_fired(s, &art14_clock, out->items[i].id, out->items[i].due_at,
					    &out->items[i].alerts_sent, err);
	if (rc)
		art14_report_list_release(out);
	return rc;
}

struct one_exposure {
	struct art14_exposure *e;
	int found;
};

static int exposure_row(struct store_stmt *st, void *arg)
{
	struct one_exposure *o = arg;
	struct art14_exposure *e = o->e;
	int oom = 0;
	const char *facts;

	o->found = 1;
	e->id = store_col_int64(st, 0);
	e->kind = psirt_col_dup(st, 1, &oom);
	e->title = psirt_col_dup(st, 2, &oom);
	e->case_id = store_col_int64_or(st, 3, 0);
	e->finding = psirt_col_dup(st, 4, &oom);
	e->vuln_id = psirt_col_dup(st, 5, &oom);
	e->product = psirt_col_dup(st, 6, &oom);
	e->product_version = psirt_col_dup(st, 7, &oom);
	e->suspected_malicious = store_col_int64(st, 8) != 0;
	e->aware_at = store_col_int64_or(st, 9, 0);
	e->aware_by = psirt_col_dup(st, 10, &oom);
	e->aware_recorded_at = store_col_int64_or(st, 11, 0);
	e->evidence = psirt_col_dup(st, 12, &oom);
	e->fix_available_at = store_col_int64_or(st, 13, 0);
	e->member_states = psirt_col_dup(st, 14, &oom);
	facts = store_col_text(st, 15);
	e->fix_release_id = store_col_int64_or(st, 16, 0);
	e->fix_release = psirt_col_dup(st, 17, &oom);
	e->facts = facts ? json_loads(facts, 0, NULL) : NULL;
	return oom ? VG_ENOMEM : VG_OK;
}

static int draft_info_row(struct store_stmt *st, void *arg)
{
	struct art14_exposure *e = arg;
	struct art14_draft_info *p = realloc(e->drafts, (e->ndrafts + 1) * sizeof(*p)), *d;
	int oom = 0;

	if (!p)
		return VG_ENOMEM;
	e->drafts = p;
	d = &p[e->ndrafts++];
	memset(d, 0, sizeof(*d));
	d->stage = art14_stage_parse(store_col_text(st, 0));
	d->version = store_col_int64(st, 1);
	d->created_at = store_col_int64_or(st, 2, 0);
	d->created_by = psirt_col_dup(st, 3, &oom);
	d->approvals = store_col_int64(st, 4);
	return oom ? VG_ENOMEM : VG_OK;
}

/* The exposure's own row; with details also its reports and drafts. */
static int exposure_load(struct store *s, int64_t id, int details, struct art14_exposure *e,
			 struct vg_error *err)
{
	struct one_exposure o = {e, 0};
	int rc;

	memset(e, 0, sizeof(*e));
	rc =
	    psirt_query(s,
			"SELECT id, kind, title, case_id, finding, vuln_id, product, "
			"product_version, suspected_malicious, aware_at, aware_by, "
			"aware_recorded_at, evidence, fix_available_at, member_states, facts_json, "
			"fix_release_id, fix_release FROM art14_exposures WHERE id = ?",
			"i", id, NULL, exposure_row, &o, err);
	if (!rc && !o.found)
		rc = vg_error_set(err, VG_ENOTFOUND, "no exposure with id %lld", (long long)id);
	if (!rc && details)
		rc = art14_list(s, id, vg_now(), &e->reports, err);
	if (!rc && details)
		rc = psirt_query(s,
				 "SELECT d.stage, d.version, d.created_at, d.created_by, (SELECT "
				 "COUNT(*) FROM art14_approvals a WHERE a.draft_id = d.id) AS "
				 "approvals FROM art14_drafts d WHERE d.exposure_id = ? ORDER BY "
				 "d.stage, d.version",
				 "i", id, NULL, draft_info_row, e, err);
	if (rc)
		art14_exposure_release(e);
	return rc;
}

int art14_get(struct store *s, int64_t id, struct art14_exposure *out, struct vg_error *err)
{
	return exposure_load(s, id, 1, out, err);
}

json_t *art14_report_to_json(const struct art14_report *r)
{
	char left[64];
	json_t *o = json_pack("{s:I, s:o, s:o, s:s, s:o, s:o, s:s}", "exposure_id",
			      (json_int_t)r->exposure_id, "kind", vg_json_text(r->kind), "title",
			      vg_json_text(r->title), "stage", art14_stage_name(r->stage),
			      "starts_at", vg_json_time(r->starts_at), "due_at",
			      vg_json_time(r->due_at), "state", art14_state_name(r->state));
	if (!o)
		return NULL;
	if (r->due_at && !r->submitted_at) {
		json_object_set_new(o, "seconds_left", json_integer(r->due_at - r->now));
		json_object_set_new(
		    o, "time_left",
		    json_string(art14_format_left(r->due_at - r->now, left, sizeof(left))));
	} else {
		json_object_set_new(o, "seconds_left", json_null());
		json_object_set_new(o, "time_left", json_null());
	}
	json_object_set_new(o, "submitted_at", vg_json_time(r->submitted_at));
	json_object_set_new(o, "reference", vg_json_text(r->reference));
	json_object_set_new(o, "submitted_by", vg_json_text(r->submitted_by));
	json_object_set_new(o, "reason", vg_json_text(r->reason));
	if (r->submitted_at && r->due_at)
		json_object_set_new(o, "late", json_boolean(r->submitted_at > r->due_at));
	json_object_set_new(o, "alerts_sent", psirt_alerts_json(r->due_at ? r->alerts_sent : 0));
	return o;
}

json_t *art14_report_list_to_json(const struct art14_report_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, art14_report_to_json(&l->items[i]));
	return a;
}

json_t *art14_exposure_to_json(const struct art14_exposure *e)
{
	json_t *o = json_object(), *drafts;

	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "kind", vg_json_text(e->kind));
	json_object_set_new(o, "title", vg_json_text(e->title));
	json_object_set_new(o, "case_id", e->case_id ? json_integer(e->case_id) : json_null());
	json_object_set_new(o, "finding", vg_json_text(e->finding));
	json_object_set_new(o, "vuln_id", vg_json_text(e->vuln_id));
	json_object_set_new(o, "product", vg_json_text(e->product));
	json_object_set_new(o, "product_version", vg_json_text(e->product_version));
	json_object_set_new(o, "suspected_malicious", json_boolean(e->suspected_malicious));
	json_object_set_new(o, "aware_at", vg_json_time(e->aware_at));
	json_object_set_new(o, "aware_by", vg_json_text(e->aware_by));
	json_object_set_new(o, "aware_recorded_at", vg_json_time(e->aware_recorded_at));
	json_object_set_new(o, "evidence", vg_json_text(e->evidence));
	json_object_set_new(o, "fix_available_at", vg_json_time(e->fix_available_at));
	json_object_set_new(o, "fix_release",
			    e->fix_release_id
				? json_pack("{s:I, s:o}", "id", (json_int_t)e->fix_release_id,
					    "name", vg_json_text(e->fix_release))
				: json_null());
	json_object_set_new(o, "member_states", vg_json_text(e->member_states));
	json_object_set_new(o, "facts", e->facts ? json_incref(e->facts) : json_null());
	json_object_set_new(o, "obligations", art14_report_list_to_json(&e->reports));
	drafts = json_array();
	for (size_t i = 0; drafts && i < e->ndrafts; i++)
		json_array_append_new(drafts,
				      json_pack("{s:s, s:I, s:o, s:o, s:I}", "stage",
						art14_stage_name(e->drafts[i].stage), "version",
						(json_int_t)e->drafts[i].version, "created_at",
						vg_json_time(e->drafts[i].created_at), "created_by",
						vg_json_text(e->drafts[i].created_by), "approvals",
						(json_int_t)e->drafts[i].approvals));
	json_object_set_new(o, "drafts", drafts);
	return o;
}

/* ---- alerts ---- */

static const char *stage_label(const char *stage)
{
	if (strcmp(stage, "early-warning") == 0)
		return "early warning";
	if (strcmp(stage, "final") == 0)
		return "final report";
	if (strcmp(stage, "intermediate") == 0)
		return "intermediate report";
	return "notification";
}

/* What an obligation's alerts say: the columns of the tick's candidates. */
struct alert_row {
	int64_t exposure;
	char *kind, *title, *stage;
};

static void alert_row_free(void *row)
{
	struct alert_row *r = row;
	if (!r)
		return;
	free(r->kind);
	free(r->title);
	free(r->stage);
	free(r);
}

static int art14_record(struct store *s, const struct deadline_clock *c,
			const struct deadline_item *it, int64_t now, void *arg,
			struct vg_error *err)
{
	const struct alert_row *r = it->row;
	json_t *after;
	char obj[32];
	int rc;

	(void)c;
	(void)arg;
	after = json_pack("{s:s, s:o, s:o, s:o}", "stage", r->stage, "alerts",
			  psirt_alerts_json(it->fired), "due_at", vg_json_time(it->due_at), "at",
			  vg_json_time(now));
	if (!after)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	snprintf(obj, sizeof(obj), "%lld", (long long)r->exposure);
	rc = store_audit(s, "art14.alert", "art14_exposure", obj, NULL, after, err);
	json_decref(after);
	return rc;
}

static json_t *art14_event(const struct deadline_clock *c, const struct deadline_item *it, int i,
			   int64_t now, const char **name, void *arg)
{
	const struct alert_row *r = it->row;
	const char *what = c->thresholds[i].name;
	int breach = i == PSIRT_BREACH;
	int64_t id = r->exposure, due = it->due_at;
	char summary[600], ts[VG_TIME_BUFSZ], left[64], key[96];

	(void)arg;
	if (breach)
		snprintf(summary, sizeof(summary),
			 "Art. 14 %s for %s %lld (%s) is OVERDUE: it was due %s and is not "
			 "recorded as submitted",
			 stage_label(r->stage), r->kind, (long long)id, r->title,
			 vg_time_format(due, ts, sizeof(ts)));
	else
		snprintf(summary, sizeof(summary),
			 "Art. 14 %s for %s %lld (%s): %s of the window used, due %s (%s left)",
			 stage_label(r->stage), r->kind, (long long)id, r->title, what,
			 vg_time_format(due, ts, sizeof(ts)),
			 art14_format_left(due - now, left, sizeof(left)));
	snprintf(key, sizeof(key), "art14-%lld-%s", (long long)id, r->stage);
	*name = breach ? "art14.breached" : "art14.warning";
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "summary",
			 summary, "severity", "critical", "dedup_key", key, "exposure_id",
			 (json_int_t)id, "kind", r->kind, "title", r->title, "stage", r->stage,
			 "threshold", what, "due_at", vg_json_time(due), "at", vg_json_time(now),
			 "seconds_left", (json_int_t)(due - now));
}

/* Candidates: obligations with a due time, not submitted, after `after`. */
static int art14_fetch(struct store *s, int64_t after, int64_t now, size_t max,
		       struct deadline_batch *b, void *arg, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	(void)now;
	(void)arg;
	rc =
	    store_prepare(s,
			  "SELECT o.id, o.exposure_id, e.kind, e.title, o.stage, o.starts_at, "
			  "o.due_at FROM art14_obligations o JOIN art14_exposures e ON e.id = "
			  "o.exposure_id WHERE o.submitted_at IS NULL AND o.due_at IS NOT NULL AND "
			  "o.id > ? ORDER BY o.id LIMIT ?",
			  &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, after);
	store_bind_int64(st, 2, (int64_t)max);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct alert_row *r = calloc(1, sizeof(*r));
		if (r) {
			r->exposure = store_col_int64(st, 1);
			r->kind = strdup(store_col_text(st, 2) ? store_col_text(st, 2) : "");
			r->title = strdup(store_col_text(st, 3) ? store_col_text(st, 3) : "");
			r->stage = strdup(store_col_text(st, 4) ? store_col_text(st, 4) : "");
		}
		if (!r || !r->kind || !r->title || !r->stage) {
			alert_row_free(r);
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		rc = deadline_batch_add(b, NULL, store_col_int64(st, 0), store_col_int64(st, 5),
					store_col_int64(st, 6), r);
		if (rc) {
			rc = vg_error_set(err, rc, "out of memory");
			break;
		}
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

int art14_tick(struct store *s, int *sent, struct vg_error *err)
{
	struct deadline_stats st;
	int rc = deadline_tick(s, &art14_clock, art14_fetch, NULL, vg_now(), &st, err);

	if (sent)
		*sent = (int)st.fired;
	return rc;
}

/* ---- vuln.exploited and the job ---- */

/* A string or integer member as text into out; NULL when absent. */
static const char *member_text(const json_t *p, const char *key, char *out, size_t n)
{
	json_t *v = json_object_get(p, key);
	if (json_is_object(v))
		v = json_object_get(v, "id");
	if (json_is_string(v) && json_string_length(v) > 0) {
		snprintf(out, n, "%s", json_string_value(v));
		return out;
	}
	if (json_is_integer(v)) {
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
		return out;
	}
	return NULL;
}

static int on_exploited(struct store *s, const char *name, const json_t *p, void *arg)
{
	static const char *const vuln_keys[] = {"vuln_id", "vulnerability", "cve", "advisory", "id",
						NULL};
	struct art14_open in = {0};
	struct vg_error err = {0};
	char vbuf[128], fbuf[128], title[400], evidence[600];
	const char *vuln = NULL, *finding;
	int64_t have = 0, id = 0;

	(void)name;
	(void)arg;
	if (!s || !json_is_object(p))
		return VG_OK;
	for (int i = 0; vuln_keys[i] && !vuln; i++)
		vuln = member_text(p, vuln_keys[i], vbuf, sizeof(vbuf));
	finding = member_text(p, "finding_id", fbuf, sizeof(fbuf));
	if (!finding)
		finding = member_text(p, "finding", fbuf, sizeof(fbuf));
	if (!vuln && !finding) {
		vg_warn("art14: vuln.exploited without a vulnerability or finding id: ignored");
		return VG_OK;
	}
	/* one exposure per exploited finding (or vulnerability without a finding) */
	if (store_query_int64(s, &have, &err,
			      "SELECT COUNT(*) FROM art14_exposures WHERE kind = 'vulnerability' "
			      "AND ((CAST(? AS TEXT) IS NOT NULL AND finding = ?) OR (CAST(? AS "
			      "TEXT) IS NULL AND finding IS NULL AND vuln_id = ?))",
			      "tttt", finding, finding, finding, vuln) != VG_OK) {
		vg_warn("art14: vuln.exploited: %s", vg_error_msg(&err));
		return err.code;
	}
	if (have)
		return VG_OK;
	snprintf(title, sizeof(title), "Actively exploited: %s%s%s", vuln ? vuln : "finding",
		 finding ? " in finding " : "", finding ? finding : "");
	snprintf(evidence, sizeof(evidence), "vuln.exploited event%s%s",
		 vg_json_str(p, "summary") ? ": " : " (known exploited vulnerability match)",
		 vg_json_str(p, "summary") ? vg_json_str(p, "summary") : "");
	in.kind = ART14_KIND_VULN;
	in.title = title;
	in.aware_at = vg_now();
	in.evidence = evidence;
	in.vuln_id = vuln;
	in.finding = finding;
	in.product = vg_json_str(p, "product");
	in.product_version = vg_json_str(p, "product_version") ? vg_json_str(p, "product_version")
							       : vg_json_str(p, "version");
	if (art14_open(s, &in, &id, &err)) {
		vg_warn("art14: cannot open an exposure for %s: %s", title, vg_error_msg(&err));
		return err.code;
	} else
		vg_info("art14: exposure %lld opened from vuln.exploited (%s)", (long long)id,
			title);
	return VG_OK;
}

static int on_release_published(struct store *s, const char *name, const json_t *p, void *arg)
{
	struct release_published ev;
	struct vg_error err = {0};
	int64_t nexp = 0, ncase = 0;

	(void)name;
	(void)arg;
	if (!s)
		return VG_OK;
	if (release_published_parse(p, &ev, &err) != VG_OK) {
		vg_warn("art14: %s: ignored", vg_error_msg(&err));
		return VG_OK;
	}
	if (art14_release_published(s, &ev, &nexp, &ncase, &err) != VG_OK) {
		vg_warn("art14: release %lld (%s %s): %s", (long long)ev.release_id, ev.product,
			ev.version, vg_error_msg(&err));
		return err.code;
	} else if (nexp || ncase)
		vg_info("art14: release %lld (%s %s) is a corrective measure for %lld exposure(s) "
			"and %lld case(s)",
			(long long)ev.release_id, ev.product, ev.version, (long long)nexp,
			(long long)ncase);
	return VG_OK;
}

void art14_init(void)
{
	vg_event_subscribe("vuln.exploited", "psirt.art14_open", on_exploited, NULL);
	vg_event_subscribe(RELEASE_PUBLISHED_EVENT, "psirt.art14_fix", on_release_published, NULL);
}
