/*
 * art14_draft.c - Article 14 submission drafts: built from what the exposure
 * and its case know, versioned (every build or edit is a new version),
 * approved (by two different people when art14.four_eyes=1), and rendered as
 * JSON (schema "vigil-art14-draft/1", our own, versioned because the ENISA
 * platform's field glossary changes) or as a printable page.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "core/hash.h"
#include "psirt/art14.h"
#include "sbom/product.h"
#include "http/html.h"
#include "psirt/psirt_int.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define EW  (1u << ART14_EARLY_WARNING)
#define NOT (1u << ART14_NOTIFICATION)
#define INT (1u << ART14_INTERMEDIATE)
#define FIN (1u << ART14_FINAL)
#define ALL (EW | NOT | INT | FIN)

/* The fields of a submission. req_*: stages where Article 14 (or the
 * platform) requires a value; show_*: stages where it is part of the draft. */
static const struct field {
	const char *name;
	const char *label;
	unsigned req_v, show_v; /* actively exploited vulnerability */
	unsigned req_i, show_i; /* severe incident */
} fields[] = {
    {"title", "Title", ALL, ALL, ALL, ALL},
    {"summary", "Summary", ALL, ALL, ALL, ALL},
    {"product", "Product", ALL, ALL, ALL, ALL},
    {"product_version", "Product version", ALL, ALL, 0, ALL},
    {"awareness_time", "Awareness time (UTC)", ALL, ALL, ALL, ALL},
    {"member_states", "Member States where the product is made available", EW | NOT, ALL, EW | NOT,
     ALL},
    {"suspected_malicious", "Suspected unlawful or malicious act", 0, 0, EW | NOT, ALL},
    {"vulnerability", "Vulnerability identifier", 0, ALL, 0, 0},
    {"devices_affected", "Devices in the field running the affected version", 0, NOT | INT | FIN, 0,
     NOT | INT | FIN},
    {"nature", "General nature of the exploit and of the vulnerability / of the incident", NOT,
     NOT | INT | FIN, NOT, NOT | INT | FIN},
    {"initial_assessment", "Initial assessment of the incident", 0, 0, NOT, NOT | INT},
    {"measures_taken", "Corrective or mitigating measures taken", NOT, NOT | INT, NOT, NOT | INT},
    {"user_measures", "Corrective or mitigating measures users can take", NOT, NOT | INT | FIN, NOT,
     NOT | INT | FIN},
    {"sensitivity", "Sensitivity of the notified information", NOT, NOT | INT | FIN, NOT,
     NOT | INT | FIN},
    {"status_update", "Relevant status updates", INT, INT, INT, INT},
    {"severity_impact", "Description including severity and impact", FIN, FIN, FIN, FIN},
    {"malicious_actor", "Malicious or threat actor (where available)", 0, FIN, 0, 0},
    {"security_update", "Security update or other corrective measures made available", FIN, FIN, 0,
     0},
    {"root_cause", "Type of threat or root cause", 0, 0, FIN, FIN},
    {"mitigation", "Applied and ongoing mitigation measures", 0, 0, FIN, FIN},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *const articles[2][ART14__NSTAGES] = {
    {"14(2)(a)", "14(2)(b)", "14(6)", "14(2)(c)"},
    {"14(4)(a)", "14(4)(b)", "14(6)", "14(4)(c)"},
};

static const char *field_label(const char *name);

int art14_field_known(const char *field)
{
	for (size_t i = 0; field && i < NFIELDS; i++)
		if (strcmp(fields[i].name, field) == 0)
			return strcmp(field, "awareness_time") != 0;
	return 0;
}

static int stage_or_fail(const char *stage, struct vg_error *err)
{
	int st = art14_stage_parse(stage);
	if (st < 0)
		vg_error_set(err, VG_EINVAL,
			     "--stage '%s': expected early-warning, notification, intermediate or "
			     "final",
			     stage ? stage : "");
	return st;
}

static json_t *states_json(const char *list)
{
	json_t *a = json_array();
	char buf[256];
	char *save = NULL;
	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_string(t));
	return a;
}

/* Build the body of a new draft version (inside the caller's transaction). */
static int build(struct store *s, int64_t id, int st, int64_t version, json_t **out,
		 struct vg_error *err)
{
	struct art14_exposure e;
	json_t *kase = NULL, *links = NULL, *f, *req, *missing, *facts;
	int incident, rc;
	int64_t now = vg_now();
	const char *v;

	rc = art14_get(s, id, &e, err);
	if (rc)
		return rc;
	incident = e.kind && strcmp(e.kind, ART14_KIND_INCIDENT) == 0;
	if (e.case_id) {
		rc = store_row(s, &kase, err, "case", e.case_id, "tt",
			       "SELECT description, impact FROM psirt_cases WHERE id = ?", "i",
			       e.case_id);
		if (!rc)
			rc = store_rows(s, &links, err, "t",
					"SELECT value FROM psirt_case_links WHERE case_id = ? AND "
					"kind = 'cve' ORDER BY value",
					"i", e.case_id);
		if (rc)
			goto out;
	}
	facts = e.facts;
	f = json_object();
	req = json_array();
	missing = json_array();
	for (size_t i = 0; i < NFIELDS; i++) {
		unsigned show = incident ? fields[i].show_i : fields[i].show_v;
		unsigned need = incident ? fields[i].req_i : fields[i].req_v;
		const char *n = fields[i].name;
		json_t *val = NULL;

		if (!(show & (1u << st)))
			continue;
		if (strcmp(n, "title") == 0)
			val = vg_json_text(e.title);
		else if (strcmp(n, "product") == 0)
			val = vg_json_text(e.product);
		else if (strcmp(n, "product_version") == 0)
			val = vg_json_text(e.product_version);
		else if (strcmp(n, "awareness_time") == 0)
			val = vg_json_time(e.aware_at);
		else if (strcmp(n, "member_states") == 0)
			val = states_json(e.member_states);
		else if (strcmp(n, "suspected_malicious") == 0)
			val = json_boolean(e.suspected_malicious);
		else if (strcmp(n, "vulnerability") == 0) {
			json_t *ids = json_array(), *l;
			size_t k;
			if ((v = e.vuln_id) != NULL)
				json_array_append_new(ids, json_string(v));
			json_array_foreach(links, k, l)
			{
				const char *cve = vg_json_str(l, "value");
				if (cve && (!v || strcmp(cve, v) != 0))
					json_array_append_new(ids, json_string(cve));
			}
			val = ids;
		} else if (strcmp(n, "devices_affected") == 0 &&
			   !psirt_has_value(json_object_get(facts, n))) {
			/* the fleet's figure (update/fleet.h), unless a person wrote one */
			struct sbom_fleet fl;
			struct vg_buf t = VG_BUF_INIT;
			struct vg_error ferr = {0};
			if (e.product && e.product_version &&
			    sbom_version_fleet_by_name(s, e.product, e.product_version, &fl,
						       &ferr) == VG_OK &&
			    fl.devices > 0 && sbom_fleet_text(&t, &fl) == VG_OK)
				val = json_string(t.data);
			vg_buf_release(&t);
		} else {
			val = json_incref(json_object_get(facts, n));
			/* what the reporter wrote is the first summary */
			if (!psirt_has_value(val) && strcmp(n, "summary") == 0 && kase &&
			    vg_json_str(kase, "description")) {
				json_decref(val);
				val = json_string(vg_json_str(kase, "description"));
			}
		}
		if (!val)
			val = json_null();
		json_object_set_new(f, n, val);
		if (need & (1u << st)) {
			json_array_append_new(req, json_string(n));
			if (!psirt_has_value(val))
				json_array_append_new(missing, json_string(n));
		}
	}
	{
		json_t *deadline = json_null();
		char left[64];
		for (size_t k = 0; k < e.reports.n; k++) {
			const struct art14_report *o = &e.reports.items[k];
			if (o->stage != st)
				continue;
			json_decref(deadline);
			deadline = json_pack("{s:o, s:s, s:o}", "due_at", vg_json_time(o->due_at),
					     "state", art14_state_name(o->state), "time_left",
					     o->due_at && !o->submitted_at
						 ? json_string(art14_format_left(
						       o->due_at - o->now, left, sizeof(left)))
						 : json_null());
		}
		*out = json_pack(
		    "{s:s, s:I, s:s, s:s, s:s, s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:s}",
		    "schema", ART14_DRAFT_SCHEMA, "exposure_id", (json_int_t)id, "kind",
		    e.kind ? e.kind : "", "stage", art14_stage_name(st), "article",
		    articles[incident][st], "version", (json_int_t)version, "created_at",
		    vg_json_time(now), "created_by", store_actor(s), "deadline",
		    deadline ? deadline : json_null(), "fields", f, "required", req, "missing",
		    missing, "platform", "ENISA single reporting platform (Art. 16), filed by hand",
		    "notice",
		    "Draft prepared by vigil. A person files it on the ENISA single reporting "
		    "platform and records the submission; vigil does not file reports.");
		if (!*out)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
out:
	json_decref(links);
	json_decref(kase);
	art14_exposure_release(&e);
	return rc;
}

/* Store a new version of stage (inside the caller's transaction) and audit it. */
static int store_new(struct store *s, int64_t id, int st, const char *action, const json_t *extra,
		     json_t **out, struct vg_error *err)
{
	int64_t version = 0;
	json_t *body = NULL, *after;
	char *text = NULL, sha[VG_SHA256_HEX], oid[32];
	int rc;

	rc = store_query_int64(s, &version, err,
			       "SELECT COALESCE(MAX(version), 0) FROM art14_drafts WHERE "
			       "exposure_id = ? AND stage = ?",
			       "it", id, art14_stage_name(st));
	if (!rc)
		rc = build(s, id, st, version + 1, &body, err);
	if (rc)
		return rc;
	text = vg_json_canonical(body);
	if (!text) {
		json_decref(body);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	vg_sha256_hex(text, strlen(text), sha);
	rc = store_exec(s, err,
			"INSERT INTO art14_drafts (exposure_id, stage, version, body_json, "
			"body_sha256, created_by, created_at) VALUES (?,?,?,?,?,?,?)",
			"itittti", id, art14_stage_name(st), version + 1, text, sha, store_actor(s),
			vg_now());
	after = json_pack("{s:s, s:I, s:s, s:O}", "stage", art14_stage_name(st), "version",
			  (json_int_t)(version + 1), "body_sha256", sha, "missing",
			  json_object_get(body, "missing"));
	if (after && extra)
		json_object_update(after, (json_t *)extra);
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	if (!rc)
		rc = store_audit(s, action, "art14_exposure", oid, NULL, after, err);
	json_decref(after);
	free(text);
	if (rc)
		json_decref(body);
	else
		*out = body;
	return rc;
}

void art14_draft_release(struct art14_draft *d)
{
	if (!d)
		return;
	json_decref(d->doc);
	memset(d, 0, sizeof(*d));
}

json_t *art14_draft_to_json(const struct art14_draft *d)
{
	return d->doc ? json_incref(d->doc) : json_null();
}

/* Take doc (a draft document) into *out with its typed members. */
static void draft_fill(json_t *doc, struct art14_draft *out)
{
	memset(out, 0, sizeof(*out));
	out->doc = doc;
	out->exposure_id = vg_json_int(doc, "exposure_id", 0);
	out->stage = art14_stage_parse(vg_json_str(doc, "stage"));
	out->version = vg_json_int(doc, "version", 0);
	out->nmissing = json_array_size(json_object_get(doc, "missing"));
	out->approved = json_is_true(json_object_get(doc, "approved"));
}

int art14_draft(struct store *s, int64_t id, const char *stage, struct art14_draft *out,
		struct vg_error *err)
{
	int st = stage_or_fail(stage, err), rc;
	json_t *doc = NULL;

	memset(out, 0, sizeof(*out));
	if (st < 0)
		return VG_EINVAL;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_new(s, id, st, "art14.draft", NULL, &doc, err);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	rc = store_tx_commit(s, err);
	if (rc)
		json_decref(doc);
	else
		draft_fill(doc, out);
	return rc;
}

static int normalise_tlp(const char *v, char *out, size_t n, struct vg_error *err)
{
	static const char *const tlp[] = {"TLP:CLEAR",        "TLP:GREEN", "TLP:AMBER",
					  "TLP:AMBER+STRICT", "TLP:RED",   NULL};
	for (int i = 0; tlp[i]; i++)
		if (strcasecmp(v, tlp[i]) == 0 || strcasecmp(v, tlp[i] + 4) == 0) {
			snprintf(out, n, "%s", tlp[i]);
			return VG_OK;
		}
	return vg_error_set(err, VG_EINVAL,
			    "sensitivity '%s': expected a TLP 2.0 label (TLP:CLEAR, TLP:GREEN, "
			    "TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)",
			    v);
}

/* Set one field inside the caller's transaction; *extra describes the change. */
static int apply_field(struct store *s, int64_t id, const char *field, const char *value,
		       json_t **extra_out, struct vg_error *err)
{
	json_t *e = NULL, *facts, *extra = NULL, *old;
	char norm[256], *text = NULL;
	const char *col = NULL;
	int rc;

	*extra_out = NULL;
	if (!art14_field_known(field))
		return vg_error_set(err, VG_EINVAL,
				    "--set '%s': not a draft field (awareness_time is set when the "
				    "exposure is recorded and cannot be edited)",
				    field ? field : "");
	if ((rc = vg_text_check(field, value, 16384, 1, 0, err)))
		return rc;
	if (value && *value && strcmp(field, "sensitivity") == 0) {
		if ((rc = normalise_tlp(value, norm, sizeof(norm), err)))
			return rc;
		value = norm;
	} else if (value && *value && strcmp(field, "member_states") == 0) {
		if ((rc = psirt_member_states(value, norm, sizeof(norm), err)))
			return rc;
		value = norm;
	} else if (strcmp(field, "suspected_malicious") == 0) {
		if (!value || (strcmp(value, "true") && strcmp(value, "false") &&
			       strcmp(value, "yes") && strcmp(value, "no")))
			return vg_error_set(err, VG_EINVAL,
					    "suspected_malicious: expected true or false");
	}
	if (strcmp(field, "title") == 0 || strcmp(field, "product") == 0 ||
	    strcmp(field, "product_version") == 0 || strcmp(field, "member_states") == 0)
		col = field;
	if (strcmp(field, "title") == 0 && (!value || !*value))
		return vg_error_set(err, VG_EINVAL, "title: cannot be empty");
	rc = store_row(s, &e, err, "exposure", id, "ttttbj",
		       "SELECT title, product, product_version, member_states, "
		       "suspected_malicious, facts_json FROM art14_exposures WHERE id = ?",
		       "i", id);
	if (rc)
		return rc;
	if (strcmp(field, "suspected_malicious") == 0) {
		int yes = value[0] == 't' || value[0] == 'y';
		old = json_incref(json_object_get(e, field));
		rc = store_exec(s, err,
				"UPDATE art14_exposures SET suspected_malicious = ? WHERE id = ?",
				"ii", (int64_t)yes, id);
		extra = json_pack("{s:s, s:o, s:b}", "field", field, "old", old, "new", yes);
	} else if (col) {
		char sql[128];
		old = json_incref(json_object_get(e, field));
		snprintf(sql, sizeof(sql), "UPDATE art14_exposures SET %s = ? WHERE id = ?", col);
		rc = store_exec(s, err, sql, "ti", value && *value ? value : NULL, id);
		extra = json_pack("{s:s, s:o, s:s?}", "field", field, "old", old, "new",
				  value && *value ? value : NULL);
	} else {
		facts = json_object_get(e, "facts");
		if (!json_is_object(facts)) {
			facts = json_object();
			json_object_set_new(e, "facts", facts);
		}
		old = json_incref(json_object_get(facts, field));
		if (value && *value)
			json_object_set_new(facts, field, json_string(value));
		else
			json_object_del(facts, field);
		text = vg_json_canonical(facts);
		rc = text ? store_exec(s, err,
				       "UPDATE art14_exposures SET facts_json = ? WHERE id = ?",
				       "ti", text, id)
			  : vg_error_set(err, VG_ENOMEM, "out of memory");
		extra = json_pack("{s:s, s:o, s:s?}", "field", field, "old",
				  old ? old : json_null(), "new", value && *value ? value : NULL);
	}
	free(text);
	json_decref(e);
	if (rc)
		json_decref(extra);
	else
		*extra_out = extra;
	return rc;
}

int art14_edit(struct store *s, int64_t id, const char *stage, size_t n, const char *const *names,
	       const char *const *values, struct art14_draft *out, struct vg_error *err)
{
	int st = stage_or_fail(stage, err), rc;
	json_t *changes = json_array(), *extra, *doc = NULL;

	memset(out, 0, sizeof(*out));
	if (st < 0 || !n) {
		json_decref(changes);
		return st < 0 ? VG_EINVAL : vg_error_set(err, VG_EINVAL, "--set: nothing to set");
	}
	rc = store_tx_begin(s, err);
	for (size_t i = 0; i < n && !rc; i++) {
		rc = apply_field(s, id, names[i], values[i], &extra, err);
		if (!rc)
			json_array_append_new(changes, extra);
	}
	extra = json_pack("{s:o}", "changes", changes);
	if (!rc)
		rc = store_new(s, id, st, "art14.draft_edit", extra, &doc, err);
	json_decref(extra);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	rc = store_tx_commit(s, err);
	if (rc)
		json_decref(doc);
	else
		draft_fill(doc, out);
	return rc;
}

/* The draft document of art14_draft_get() (caller owns *out). */
static int draft_get_doc(struct store *s, int64_t id, const char *stage, int64_t version,
			 json_t **out, struct vg_error *err)
{
	int st = stage_or_fail(stage, err), rc;
	json_t *rows = NULL, *row, *body, *appr = NULL, *sub = NULL;
	int need = psirt_approvals_needed(), four = 0;

	*out = NULL;
	if (st < 0)
		return VG_EINVAL;
	rc = store_rows(s, &rows, err, "iitt",
			"SELECT id, version, body_json, body_sha256 FROM art14_drafts WHERE "
			"exposure_id = ? AND stage = ? AND (version = ? OR (CAST(? AS BIGINT) = 0 "
			"AND version = (SELECT MAX(version) FROM art14_drafts WHERE exposure_id = "
			"? AND stage = ?))) ",
			"itiiit", id, stage, version, version, id, stage);
	if (!rc)
		rc = psirt_four_eyes(s, &four, err);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	if (!json_array_size(rows)) {
		json_decref(rows);
		if (version)
			return vg_error_set(err, VG_ENOTFOUND,
					    "exposure %lld has no %s draft version %lld",
					    (long long)id, stage, (long long)version);
		return vg_error_set(err, VG_ENOTFOUND,
				    "exposure %lld has no %s draft yet (vigil art14 draft %lld "
				    "--stage %s)",
				    (long long)id, stage, (long long)id, stage);
	}
	row = json_array_get(rows, 0);
	body = json_loads(vg_json_str(row, "body_json"), 0, NULL);
	if (!body) {
		json_decref(rows);
		return vg_error_set(err, VG_EINTERNAL, "draft %lld is not JSON",
				    (long long)vg_json_int(row, "id", 0));
	}
	rc = store_rows(s, &appr, err, "tT",
			"SELECT approved_by, approved_at FROM art14_approvals WHERE "
			"draft_id = ? ORDER BY id",
			"i", vg_json_int(row, "id", 0));
	if (!rc)
		rc = store_rows(s, &sub, err, "Tttti",
				"SELECT submitted_at, submitted_reference AS reference, "
				"submitted_by AS recorded_by, stage, submitted_draft AS "
				"draft_version FROM art14_obligations WHERE exposure_id = ? AND "
				"stage = ? AND submitted_at IS NOT NULL",
				"it", id, stage);
	if (rc) {
		json_decref(body);
		json_decref(rows);
		json_decref(appr);
		return rc;
	}
	json_object_set_new(body, "body_sha256", json_string(vg_json_str(row, "body_sha256")));
	json_object_set_new(body, "approvals_needed", json_integer(need));
	json_object_set_new(body, "four_eyes", json_boolean(four));
	json_object_set_new(body, "approved", json_boolean((int)json_array_size(appr) >= need));
	json_object_set_new(body, "approvals", appr);
	json_object_set_new(body, "submission",
			    json_array_size(sub) ? json_incref(json_array_get(sub, 0))
						 : json_null());
	json_decref(sub);
	json_decref(rows);
	*out = body;
	return VG_OK;
}

int art14_draft_get(struct store *s, int64_t id, const char *stage, int64_t version,
		    struct art14_draft *out, struct vg_error *err)
{
	json_t *doc = NULL;
	int rc = draft_get_doc(s, id, stage, version, &doc, err);

	memset(out, 0, sizeof(*out));
	if (!rc)
		draft_fill(doc, out);
	return rc;
}

int art14_approve(struct store *s, int64_t id, const char *stage, int *approved,
		  struct vg_error *err)
{
	json_t *d = NULL, *after;
	int64_t draft_id = 0, n = 0, dup = 0;
	int need = psirt_approvals_needed(), rc;
	char oid[32];

	if (approved)
		*approved = 0;
	rc = draft_get_doc(s, id, stage, 0, &d, err);
	if (rc)
		return rc;
	if (json_array_size(json_object_get(d, "missing"))) {
		struct vg_buf b = VG_BUF_INIT;
		json_t *m;
		size_t i;
		json_array_foreach(json_object_get(d, "missing"), i, m)
		    vg_buf_addf(&b, "%s%s", i ? ", " : "", json_string_value(m));
		rc = vg_error_set(err, VG_ESTATE,
				  "exposure %lld %s draft version %lld cannot be approved: "
				  "required fields missing: %s (set them with vigil art14 edit)",
				  (long long)id, stage, (long long)vg_json_int(d, "version", 0),
				  b.data ? b.data : "");
		vg_buf_release(&b);
		json_decref(d);
		return rc;
	}
	if (json_is_true(json_object_get(d, "four_eyes")) && vg_json_str(d, "created_by") &&
	    strcmp(vg_json_str(d, "created_by"), store_actor(s)) == 0) {
		rc = vg_error_set(err, VG_EPERM,
				  "%s built exposure %lld %s draft version %lld: four-eyes review "
				  "needs another PSIRT member to approve it (nobody approves their "
				  "own draft)",
				  store_actor(s), (long long)id, stage,
				  (long long)vg_json_int(d, "version", 0));
		json_decref(d);
		return rc;
	}
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_query_int64(
		    s, &draft_id, err,
		    "SELECT id FROM art14_drafts WHERE exposure_id = ? AND stage = "
		    "? AND version = ?",
		    "iti", id, stage, (int64_t)vg_json_int(d, "version", 0));
	if (!rc)
		rc =
		    store_query_int64(s, &dup, err,
				      "SELECT COUNT(*) FROM art14_approvals WHERE draft_id = ? AND "
				      "approved_by = ?",
				      "it", draft_id, store_actor(s));
	if (!rc && dup)
		rc = vg_error_set(err, VG_EEXIST,
				  "%s already approved exposure %lld %s draft version %lld%s",
				  store_actor(s), (long long)id, stage,
				  (long long)vg_json_int(d, "version", 0), "");
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO art14_approvals (draft_id, approved_by, approved_at) "
				"VALUES (?,?,?)",
				"iti", draft_id, store_actor(s), vg_now());
	if (!rc)
		rc = store_query_int64(s, &n, err,
				       "SELECT COUNT(*) FROM art14_approvals WHERE draft_id = ?",
				       "i", draft_id);
	after = json_pack("{s:s, s:I, s:s, s:s, s:I, s:i, s:b}", "stage", stage, "version",
			  (json_int_t)vg_json_int(d, "version", 0), "body_sha256",
			  vg_json_str(d, "body_sha256") ? vg_json_str(d, "body_sha256") : "",
			  "approved_by", store_actor(s), "approvals", (json_int_t)n, "needed", need,
			  "approved", n >= need);
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	if (!rc)
		rc = store_audit(s, "art14.approve", "art14_exposure", oid, NULL, after, err);
	json_decref(after);
	json_decref(d);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	rc = store_tx_commit(s, err);
	if (!rc && approved)
		*approved = n >= need;
	return rc;
}

const char *art14_field_label(const char *name)
{
	return name ? field_label(name) : "";
}

static const char *field_label(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return fields[i].label;
	return name;
}

static int in_list(const json_t *arr, const char *name)
{
	json_t *v;
	size_t i;
	json_array_foreach(arr, i, v) if (json_is_string(v) &&
					  strcmp(json_string_value(v), name) == 0) return 1;
	return 0;
}

static void add_value(struct vg_buf *b, const json_t *v)
{
	if (json_is_string(v)) {
		html(b, "%s", json_string_value(v));
	} else if (json_is_true(v)) {
		html_raw(b, "yes");
	} else if (json_is_false(v)) {
		html_raw(b, "no");
	} else if (json_is_array(v)) {
		json_t *x;
		size_t i;
		json_array_foreach(v, i, x)
		{
			if (i)
				html_raw(b, ", ");
			add_value(b, x);
		}
	} else if (json_is_integer(v)) {
		html(b, "%lld", (long long)json_integer_value(v));
	}
}

static int draft_html(const json_t *d, struct vg_buf *b);

int art14_draft_html(const struct art14_draft *d, struct vg_buf *b)
{
	return draft_html(d->doc, b);
}

/* The page of a draft document (JSON by nature: its fields are named by the
 * document itself), every value escaped by html(). */
static int draft_html(const json_t *d, struct vg_buf *b)
{
	const json_t *f = json_object_get(d, "fields"), *v, *dl = json_object_get(d, "deadline");
	const json_t *missing = json_object_get(d, "missing"),
		     *req = json_object_get(d, "required");
	const json_t *sub = json_object_get(d, "submission");
	const char *k;
	size_t i;

	html(b,
	     "<article class=\"art14-draft\"><h1>Article %s %s &mdash; %s %lld, draft version "
	     "%lld</h1>\n",
	     vg_json_str(d, "article"), vg_json_str(d, "stage"),
	     strcmp(vg_json_str(d, "kind") ? vg_json_str(d, "kind") : "", "incident") == 0
		 ? "incident"
		 : "actively exploited vulnerability",
	     (long long)vg_json_int(d, "exposure_id", 0), (long long)vg_json_int(d, "version", 0));
	html(b, "<p class=\"notice\">%s</p>\n<p>Schema %s; prepared %s by %s",
	     vg_json_str(d, "notice"), vg_json_str(d, "schema"), vg_json_str(d, "created_at"),
	     vg_json_str(d, "created_by"));
	if (json_is_object(dl) && vg_json_str(dl, "due_at"))
		html(b, "; due %s (%s)", vg_json_str(dl, "due_at"), vg_json_str(dl, "state"));
	html_raw(b, ".</p>\n<table class=\"fields\"><thead><tr><th>Field</th><th>Value</th>"
		    "<th>Required</th></tr></thead><tbody>\n");
	json_object_foreach((json_t *)f, k, v)
	{
		int miss = in_list(missing, k);
		html_raw(b, miss ? "<tr class=\"missing\">" : "<tr>");
		html(b, "<th scope=\"row\">%s</th><td>", field_label(k));
		if (miss)
			html_raw(b, "<strong>MISSING</strong>");
		else
			add_value(b, v);
		html(b, "</td><td>%s</td></tr>\n", in_list(req, k) ? "yes" : "");
	}
	html_raw(b, "</tbody></table>\n<h2>Review</h2><ul>");
	json_array_foreach(json_object_get(d, "approvals"), i, v)
	    html(b, "<li>approved by %s at %s</li>", vg_json_str(v, "approved_by"),
		 vg_json_str(v, "approved_at"));
	html(b, "</ul><p>%s (%lld approval(s) needed).</p>\n",
	     json_is_true(json_object_get(d, "approved")) ? "Approved" : "Not yet approved",
	     (long long)vg_json_int(d, "approvals_needed", 1));
	html_raw(b, "<h2>Filing</h2><p>");
	if (json_is_object(sub))
		html(b,
		     "Filed by a person on the ENISA single reporting platform at %s, receipt %s, "
		     "recorded by %s.",
		     vg_json_str(sub, "submitted_at"), vg_json_str(sub, "reference"),
		     vg_json_str(sub, "recorded_by"));
	else
		html_raw(b, "Not recorded as submitted.");
	return html_raw(b, "</p></article>\n");
}
