/*
 * usernotice.c - the Article 14(8) user notification of a case, built from
 * the case and the facts of its Article 14 exposures (see usernotice.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "psirt/usernotice.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "psirt/psirt_int.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* The fields of a notice, in the order people read them. */
static const struct {
	const char *name;
	const char *label;
	int required;
} notice_fields[] = {
    {"title", "Title", 1},
    {"summary", "What happened", 1},
    {"product", "Affected product", 1},
    {"affected_versions", "Affected versions", 1},
    {"vulnerabilities", "Vulnerability identifiers", 0},
    {"kind", "Kind", 0},
    {"actively_exploited", "Actively exploited", 0},
    {"aware_at", "Known to the manufacturer since (UTC)", 0},
    {"impact", "Impact", 0},
    {"user_measures", "What you should do (corrective or mitigating measures)", 1},
    {"security_update", "Security update", 0},
    {"fix_available_at", "Fix available since (UTC)", 0},
    {"advisories", "Advisories", 0},
    {"releases", "Releases", 0},
    {"credit", "Credit", 0},
    {"sensitivity", "Sensitivity", 0},
};
#define NNOTICE (sizeof(notice_fields) / sizeof(notice_fields[0]))

const char *user_notice_label(const char *field)
{
	for (size_t i = 0; field && i < NNOTICE; i++)
		if (strcmp(notice_fields[i].name, field) == 0)
			return notice_fields[i].label;
	return field ? field : "";
}

/* Append s to the string array a unless it is empty or already there. */
static void add_unique(json_t *a, const char *s)
{
	json_t *v;
	size_t i;
	if (!s || !*s)
		return;
	json_array_foreach(a, i, v) if (strcmp(json_string_value(v), s) == 0) return;
	json_array_append_new(a, json_string(s));
}

/* Links of kind of the case into a new string array. */
static json_t *links_of(const struct psirt_case *kase, const char *kind)
{
	json_t *a = json_array();
	for (size_t i = 0; i < kase->nlinks; i++)
		if (kase->links[i].kind && strcmp(kase->links[i].kind, kind) == 0)
			add_unique(a, kase->links[i].value);
	return a;
}

/* A string fact of the exposures: the latest exposure that has one wins.
 * (Facts are the free-form draft fields: a JSON object by nature.) */
static const char *fact(const struct art14_exposure *exps, size_t n, const char *name,
			int64_t *from)
{
	for (size_t i = n; i-- > 0;) {
		const char *v = vg_json_str(exps[i].facts, name);
		if (v && *v) {
			*from = exps[i].id;
			return v;
		}
	}
	return NULL;
}

/* Set key to the string v; left out when v is NULL (as the notice always did). */
static void set_text(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static void set_source(json_t *src, const char *field, const char *what, int64_t exposure)
{
	char buf[96];
	if (exposure) {
		snprintf(buf, sizeof(buf), "%s %lld", what, (long long)exposure);
		json_object_set_new(src, field, json_string(buf));
	} else {
		json_object_set_new(src, field, json_string(what));
	}
}

void user_notice_release(struct user_notice *n)
{
	if (!n)
		return;
	json_decref(n->doc);
	memset(n, 0, sizeof(*n));
}

json_t *user_notice_to_json(const struct user_notice *n)
{
	return n->doc ? json_incref(n->doc) : json_null();
}

static int notice_doc(struct store *s, int64_t id, json_t **out, struct vg_error *err);

int user_notice_build(struct store *s, int64_t id, struct user_notice *out, struct vg_error *err)
{
	json_t *doc = NULL;
	int rc = notice_doc(s, id, &doc, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	out->doc = doc;
	out->case_id = id;
	out->publishable = json_is_true(json_object_get(doc, "publishable"));
	out->nmissing = json_array_size(json_object_get(doc, "missing"));
	return VG_OK;
}

/* The notice document (caller owns *out). */
static int notice_doc(struct store *s, int64_t id, json_t **out, struct vg_error *err)
{
	struct psirt_case kase;
	struct art14_exposure exps[16];
	json_t *f, *src, *req, *missing, *notes, *vulns, *versions, *review;
	size_t nexp = 0, i;
	int64_t now = vg_now(), from = 0, embargo = 0, fix = 0, aware = 0;
	const char *v, *kind = NULL;
	char ts[VG_TIME_BUFSZ], line[512];
	int rc;

	*out = NULL;
	rc = case_get(s, id, &kase, err);
	if (rc)
		return rc;
	/* the exposures of the case, oldest first (at most the 16 latest) */
	{
		size_t total = kase.nexposures;
		for (i = total > 16 ? total - 16 : 0; i < total; i++) {
			rc = art14_get(s, kase.exposures[i].id, &exps[nexp], err);
			if (rc)
				goto fail;
			nexp++;
		}
	}

	f = json_object();
	src = json_object();
	notes = json_array();
	review = json_array();
	set_text(f, "title", kase.title);
	json_object_set_new(src, "title", json_string("case"));

	v = fact(exps, nexp, "summary", &from);
	if (v) {
		json_object_set_new(f, "summary", json_string(v));
		set_source(src, "summary", "facts of exposure", from);
	} else if ((v = kase.description) != NULL && *v) {
		json_object_set_new(f, "summary", json_string(v));
		json_object_set_new(src, "summary", json_string("case report"));
		json_array_append_new(review, json_string("summary"));
		json_array_append_new(
		    notes, json_string("The summary is the reporter's description: rewrite it for "
				       "users (no proof of concept, no exploit details) by setting "
				       "the summary fact of the case's Article 14 exposure."));
	} else {
		json_object_set_new(f, "summary", json_null());
	}

	set_text(f, "product", kase.product);
	json_object_set_new(src, "product", json_string("case"));
	versions = json_array();
	add_unique(versions, kase.product_version);
	{
		json_t *lv = links_of(&kase, "version"), *x;
		json_array_foreach(lv, i, x) add_unique(versions, json_string_value(x));
		json_decref(lv);
	}
	for (i = 0; i < nexp; i++)
		add_unique(versions, exps[i].product_version);
	json_object_set_new(f, "affected_versions", versions);
	json_object_set_new(src, "affected_versions",
			    json_string("case version and version links"));

	vulns = links_of(&kase, "cve");
	for (i = 0; i < nexp; i++)
		add_unique(vulns, exps[i].vuln_id);
	json_object_set_new(f, "vulnerabilities", vulns);

	for (i = 0; i < nexp; i++) {
		kind = exps[i].kind;
		if (exps[i].aware_at)
			aware = exps[i].aware_at;
		if (exps[i].fix_available_at)
			fix = exps[i].fix_available_at;
	}
	json_object_set_new(f, "kind", kind ? json_string(kind) : json_null());
	json_object_set_new(f, "actively_exploited",
			    json_boolean(kind && strcmp(kind, ART14_KIND_VULN) == 0));
	json_object_set_new(f, "aware_at", vg_json_time(aware));
	if (!nexp)
		json_array_append_new(
		    notes, json_string("The case is not marked actively exploited and has no "
				       "severe incident: Article 14(8) applies once it is. The "
				       "measures for users are kept on the case's Article 14 "
				       "exposure."));

	v = fact(exps, nexp, "severity_impact", &from);
	if (v) {
		json_object_set_new(f, "impact", json_string(v));
		set_source(src, "impact", "facts of exposure", from);
	} else if ((v = kase.impact) != NULL && *v) {
		json_object_set_new(f, "impact", json_string(v));
		json_object_set_new(src, "impact", json_string("case report"));
		json_array_append_new(review, json_string("impact"));
		json_array_append_new(
		    notes, json_string("The impact is the reporter's text: rewrite it for users by "
				       "setting the severity_impact fact of the case's Article 14 "
				       "exposure."));
	} else {
		json_object_set_new(f, "impact", json_null());
	}

	static const char *const facts_only[] = {"user_measures", "security_update", "sensitivity",
						 NULL};
	for (int k = 0; facts_only[k]; k++) {
		v = fact(exps, nexp, facts_only[k], &from);
		json_object_set_new(f, facts_only[k], v ? json_string(v) : json_null());
		if (v)
			set_source(src, facts_only[k], "facts of exposure", from);
	}
	/* a published security release is the remediation (release.published) */
	if (kase.nfixes) {
		const struct psirt_case_fix *x = &kase.fixes[kase.nfixes - 1];
		if (!psirt_has_value(json_object_get(f, "security_update"))) {
			snprintf(line, sizeof(line), "Update to %s %s (released %s): it fixes %s.",
				 x->product, x->version,
				 vg_time_format(x->published_at, ts, sizeof(ts)), x->vulns);
			json_object_set_new(f, "security_update", json_string(line));
			set_source(src, "security_update", "release", x->release_id);
		}
		if (!fix)
			fix = kase.fixes[0].published_at;
	}
	json_object_set_new(f, "fix_available_at", vg_json_time(fix));
	json_object_set_new(f, "advisories", links_of(&kase, "advisory"));
	json_object_set_new(f, "releases", links_of(&kase, "release"));
	json_object_set_new(f, "credit",
			    kase.credit_consent && kase.credit ? json_string(kase.credit)
							       : json_null());

	req = json_array();
	missing = json_array();
	for (i = 0; i < NNOTICE; i++) {
		if (!notice_fields[i].required)
			continue;
		json_array_append_new(req, json_string(notice_fields[i].name));
		if (!psirt_has_value(json_object_get(f, notice_fields[i].name)))
			json_array_append_new(missing, json_string(notice_fields[i].name));
	}

	embargo = kase.embargo_until;
	if (embargo > now) {
		snprintf(line, sizeof(line), "Under embargo until %s: do not publish before then.",
			 vg_time_format(embargo, ts, sizeof(ts)));
		json_array_append_new(notes, json_string(line));
	}
	*out = json_pack("{s:s, s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:s}",
			 "schema", USER_NOTICE_SCHEMA, "case_id", (json_int_t)id, "article",
			 "14(8)", "generated_at", vg_json_time(now), "status", "draft", "fields", f,
			 "required", req, "missing", missing, "sources", src, "needs_review",
			 review, "embargo_until", vg_json_time(embargo), "publishable",
			 json_array_size(missing) == 0 && json_array_size(review) == 0 &&
			     embargo <= now,
			 "notes", notes, "notice",
			 "Draft prepared by vigil for review; a person publishes it with the "
			 "advisory.");
	if (!*out)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
fail:
	for (i = 0; i < nexp; i++)
		art14_exposure_release(&exps[i]);
	psirt_case_release(&kase);
	return rc;
}

/* Append "label: value" or the missing marker for one field. */
static void text_value(struct vg_buf *b, const json_t *v)
{
	json_t *x;
	size_t i;
	if (json_is_string(v))
		vg_buf_adds(b, json_string_value(v));
	else if (json_is_array(v))
		json_array_foreach(v, i, x) vg_buf_addf(
		    b, "%s%s", i ? ", " : "", json_is_string(x) ? json_string_value(x) : "");
	else if (json_is_true(v))
		vg_buf_adds(b, "yes");
	else if (json_is_false(v))
		vg_buf_adds(b, "no");
}

static int is_missing(const json_t *n, const char *field)
{
	json_t *x;
	size_t i;
	json_array_foreach(json_object_get(n, "missing"), i,
			   x) if (strcmp(json_string_value(x), field) == 0) return 1;
	return 0;
}

static void text_field(struct vg_buf *b, const json_t *n, const char *field, int block)
{
	const json_t *v = json_object_get(json_object_get(n, "fields"), field);
	if (is_missing(n, field)) {
		vg_buf_addf(b, "%s:%s[MISSING: %s]\n", user_notice_label(field),
			    block ? "\n  " : " ", field);
		return;
	}
	if (!psirt_has_value(v))
		return;
	vg_buf_addf(b, "%s:%s", user_notice_label(field), block ? "\n" : " ");
	if (block && json_is_string(v)) {
		/* indent every line of a block */
		const char *p = json_string_value(v);
		vg_buf_adds(b, "  ");
		for (; *p; p++) {
			vg_buf_addc(b, *p);
			if (*p == '\n' && p[1])
				vg_buf_adds(b, "  ");
		}
	} else {
		text_value(b, v);
	}
	vg_buf_adds(b, "\n");
	if (block)
		vg_buf_adds(b, "\n");
}

static int notice_text(const json_t *n, struct vg_buf *b);

int user_notice_text(const struct user_notice *n, struct vg_buf *b)
{
	return notice_text(n->doc, b);
}

static int notice_text(const json_t *n, struct vg_buf *b)
{
	const json_t *f = json_object_get(n, "fields"), *x;
	size_t i;

	vg_buf_adds(b, "SECURITY NOTICE (DRAFT): ");
	text_value(b, json_object_get(f, "title"));
	vg_buf_addf(
	    b, "\nCase %lld; CRA Article 14(8) information to users; prepared %s; schema %s\n\n",
	    (long long)vg_json_int(n, "case_id", 0),
	    vg_json_str(n, "generated_at") ? vg_json_str(n, "generated_at") : "",
	    USER_NOTICE_SCHEMA);
	text_field(b, n, "product", 0);
	text_field(b, n, "affected_versions", 0);
	text_field(b, n, "vulnerabilities", 0);
	if (json_is_true(json_object_get(f, "actively_exploited"))) {
		vg_buf_adds(b, "Status: actively exploited");
		if (vg_json_str(f, "aware_at"))
			vg_buf_addf(b, " (known to the manufacturer since %s)",
				    vg_json_str(f, "aware_at"));
		vg_buf_adds(b, "\n");
	} else if (vg_json_str(f, "kind")) {
		vg_buf_addf(b, "Status: %s\n", vg_json_str(f, "kind"));
	}
	vg_buf_adds(b, "\n");
	text_field(b, n, "summary", 1);
	text_field(b, n, "impact", 1);
	text_field(b, n, "user_measures", 1);
	text_field(b, n, "security_update", 1);
	text_field(b, n, "fix_available_at", 0);
	text_field(b, n, "advisories", 0);
	text_field(b, n, "releases", 0);
	text_field(b, n, "credit", 0);
	text_field(b, n, "sensitivity", 0);
	json_array_foreach(json_object_get(n, "notes"), i, x)
	    vg_buf_addf(b, "NOTE: %s\n", json_string_value(x));
	if (json_array_size(json_object_get(n, "missing"))) {
		vg_buf_adds(b, "MISSING before publication:");
		json_array_foreach(json_object_get(n, "missing"), i, x)
		    vg_buf_addf(b, " %s", json_string_value(x));
		vg_buf_adds(b, "\n");
	}
	return vg_buf_addf(b, "%s\n",
			   json_is_true(json_object_get(n, "publishable"))
			       ? "Ready to publish with the advisory after review."
			       : "Not ready to publish.");
}
