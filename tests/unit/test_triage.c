/*
 * test_triage.c - the triage workflow: the state machine and its refusals,
 * package identity, changes with one audit record per finding (bulk all or
 * nothing), decisions carried over to a new SBOM revision and a later
 * version or reopened, SLA due times and alerts once each (time moved with
 * VIGIL_NOW), VEX export and import round trips, malformed VEX refused.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/events.h"
#include "core/json.h"
#include "sbom/inventory.h"
#include "sbom/model.h"
#include "store/store.h"
#include "testdb.h"
#include "triage/findings.h"
#include "triage/release_fix.h"
#include "triage/triage.h"
#include "triage/vex.h"
#include "vuln/advisory.h"
#include "vuln/osv.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The finding's JSON as the API and `findings show --json` give it. */
static int finding_json(struct store *s, int64_t id, json_t **out, struct vg_error *err)
{
	struct finding_detail d;
	int rc = triage_finding_get(s, id, &d, err);
	*out = rc ? NULL : finding_detail_to_json(&d);
	finding_detail_release(&d);
	return rc;
}

static void test_states(void **state)
{
	char buf[200];
	(void)state;
	assert_true(triage_transition_ok("new", "in_triage"));
	assert_false(triage_transition_ok("new", "affected"));
	assert_false(triage_transition_ok("new", "not_affected"));
	assert_true(triage_transition_ok("in_triage", "not_affected"));
	assert_true(triage_transition_ok("in_triage", "false_positive"));
	assert_true(triage_transition_ok("affected", "in_remediation"));
	assert_true(triage_transition_ok("in_remediation", "fixed"));
	assert_false(triage_transition_ok("affected", "fixed"));
	assert_false(triage_transition_ok("in_triage", "in_triage"));
	assert_false(triage_transition_ok("new", "bogus"));
	/* Any state can return to in_triage. */
	assert_true(triage_transition_ok("fixed", "in_triage"));
	assert_true(triage_transition_ok("false_positive", "in_triage"));
	assert_string_equal(triage_allowed("in_triage", buf, sizeof(buf)),
			    "affected, not_affected, false_positive");
	assert_string_equal(triage_allowed("fixed", buf, sizeof(buf)), "in_triage");
	assert_true(triage_justification_valid("inline_mitigations_already_exist"));
	assert_false(triage_justification_valid("because"));
	assert_false(triage_justification_valid(NULL));
}

static void test_purl_package(void **state)
{
	char p[256];
	(void)state;
	triage_purl_package("pkg:pypi/django@2.2.5", p, sizeof(p));
	assert_string_equal(p, "pkg:pypi/django");
	triage_purl_package("pkg:deb/debian/openssl@3.0.11-1?arch=arm64", p, sizeof(p));
	assert_string_equal(p, "pkg:deb/debian/openssl");
	triage_purl_package("pkg:npm/%40scope/name@1.0.0#sub", p, sizeof(p));
	assert_string_equal(p, "pkg:npm/%40scope/name");
	triage_purl_package("pkg:npm/@scope/name@1.0.0", p, sizeof(p));
	assert_string_equal(p, "pkg:npm/@scope/name");
	triage_purl_package("pkg:npm/@scope/name", p, sizeof(p));
	assert_string_equal(p, "pkg:npm/@scope/name");
}

/* ---- stored ---- */

struct fx {
	char *url;
	struct store *s;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	unsetenv("VIGIL_NOW");
	setenv("VIGIL_NOW", "2026-06-01T00:00:00Z", 1);
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "%s\n", vg_error_msg(&err));
		return -1;
	}
	store_set_actor(f->s, "tester", "local");
	vg_event_reset();
	triage_init();
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	vg_event_reset();
	store_close(f->s);
	testdb_drop(f->url);
	free(f);
	unsetenv("VIGIL_NOW");
	return 0;
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;
	struct vg_error err = {0};
	if (store_query_int64(s, &n, &err, sql, NULL) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	return n;
}

static void import_osv(struct store *s, const char *text)
{
	struct vulndb_import *im;
	struct vg_error err = {0};
	struct advisory a;
	json_t *j = vg_json_parse(text, strlen(text), "test", &err);
	assert_non_null(j);
	advisory_init(&a);
	if (osv_from_json(j, "test", &a, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	json_decref(j);
	assert_int_equal(vulndb_import_begin(s, "osv", "test", &im, &err), VG_OK);
	if (vulndb_import_add(im, &a, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	advisory_release(&a);
	if (vulndb_import_end(im, NULL, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
}

static void import_sbom(struct store *s, const char *version, const char *b_version)
{
	char doc[1024];
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	struct vg_error err = {0};
	snprintf(doc, sizeof(doc),
		 "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
		 "\"components\":[{\"type\":\"library\",\"name\":\"alpha\",\"version\":\"1.0.0\","
		 "\"purl\":\"pkg:pypi/alpha@1.0.0\"},{\"type\":\"library\",\"name\":\"beta\","
		 "\"version\":\"%s\",\"purl\":\"pkg:pypi/beta@%s\"}]}",
		 b_version, b_version);
	r.product = "prod";
	r.version = version;
	r.data = doc;
	r.n = strlen(doc);
	r.filename = "test.json";
	r.create_product = 1;
	if (sbom_import(s, &r, &res, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	if (findings_reconcile_sbom(s, res.sbom_id, NULL, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
}

static const char adv_alpha[] =
    "{\"id\":\"T-1\",\"aliases\":[\"CVE-2026-20001\"],\"modified\":\"2026-05-01T00:00:00Z\","
    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/"
    "A:H\"}],\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"alpha\"},\"ranges\":"
    "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0\"}]}]}]}";
static const char adv_beta[] =
    "{\"id\":\"T-2\",\"aliases\":[\"CVE-2026-20002\"],\"modified\":\"2026-05-01T00:00:00Z\","
    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/"
    "A:N\"}],\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"beta\"},\"ranges\":"
    "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"9.0\"}]}]}]}";

static int64_t finding(struct store *s, const char *version, const char *purl)
{
	int64_t id = 0;
	struct vg_error err = {0};
	if (store_query_int64(
		s, &id, &err,
		"SELECT f.id FROM findings f JOIN product_versions v ON v.id = "
		"f.version_id WHERE v.version = ? AND f.purl = ? AND f.retracted_at IS "
		"NULL",
		"tt", version, purl) != VG_OK)
		fail_msg("no finding for %s in %s: %s", purl, version, vg_error_msg(&err));
	return id;
}

static char *state_of(struct store *s, int64_t id)
{
	char *st = NULL;
	struct vg_error err = {0};
	assert_int_equal(
	    store_query_text(s, &st, &err, "SELECT state FROM findings WHERE id = ?", "i", id),
	    VG_OK);
	return st;
}

static void assert_state(struct store *s, int64_t id, const char *want)
{
	char *st = state_of(s, id);
	assert_string_equal(st, want);
	free(st);
}

static void setup_findings(struct store *s)
{
	import_sbom(s, "1.0", "1.0.0");
	import_osv(s, adv_alpha);
	import_osv(s, adv_beta);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM findings"), 2);
}

static void test_workflow(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	struct triage_change c = {0};
	int64_t a, b, audits, n = 0;
	json_t *out = NULL;
	int64_t ids[2];

	setup_findings(f->s);
	a = finding(f->s, "1.0", "pkg:pypi/alpha@1.0.0");
	b = finding(f->s, "1.0", "pkg:pypi/beta@1.0.0");

	c.state = "affected";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_ESTATE);
	assert_non_null(strstr(vg_error_msg(&err), "allowed from new: in_triage"));
	assert_state(f->s, a, "new");
	vg_error_clear(&err);
	assert_int_equal(
	    triage_apply(f->s, 424242, &(struct triage_change){.state = "in_triage"}, &err),
	    VG_ENOTFOUND);

	audits = count(f->s, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'finding'");
	c.state = "in_triage";
	c.comment = "first look";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_OK);
	assert_int_equal(finding_json(f->s, a, &out, &err), VG_OK);
	assert_string_equal(vg_json_str(out, "state"), "in_triage");
	assert_string_equal(
	    vg_json_str(json_array_get(json_object_get(out, "comments"), 0), "body"), "first look");
	assert_int_equal(json_array_size(json_object_get(out, "history")), 1);
	assert_string_equal(
	    vg_json_str(
		json_object_get(json_array_get(json_object_get(out, "history"), 0), "before"),
		"state"),
	    "new");
	json_decref(out);
	assert_int_equal(
	    count(f->s, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'finding'"),
	    audits + 1);

	/* not_affected needs a justification; a justification needs not_affected. */
	memset(&c, 0, sizeof(c));
	c.state = "not_affected";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_EINVAL);
	c.justification = "made_up";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_EINVAL);
	c.state = "affected";
	c.justification = "component_not_present";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_EINVAL);
	assert_state(f->s, a, "in_triage");
	/* Unknown assignee. */
	memset(&c, 0, sizeof(c));
	c.assignee = "ghost";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_EINVAL);

	/* Bulk: b (new) cannot go to affected, so a (in_triage) does not either. */
	audits = count(f->s, "SELECT COUNT(*) FROM audit_log");
	ids[0] = a;
	ids[1] = b;
	memset(&c, 0, sizeof(c));
	c.state = "affected";
	assert_int_equal(triage_apply_ids(f->s, ids, 2, &c, &n, &err), VG_ESTATE);
	assert_state(f->s, a, "in_triage");
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log"), audits);
	/* Bulk comment: one record per finding. */
	c.state = NULL;
	c.comment = "batch note";
	assert_int_equal(triage_apply_ids(f->s, ids, 2, &c, &n, &err), VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'finding.comment'"),
			 2);

	/* Bulk over a filter. */
	{
		struct findings_filter flt = {0};
		flt.state = "new";
		memset(&c, 0, sizeof(c));
		c.state = "in_triage";
		assert_int_equal(triage_apply_bulk(f->s, &flt, &c, &n, &err), VG_OK);
		assert_int_equal(n, 1);
		assert_state(f->s, b, "in_triage");
	}
}

static void test_carry_over(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	struct triage_change c = {0};
	int64_t a, b, b2, a2;
	json_t *out = NULL;

	setup_findings(f->s);
	a = finding(f->s, "1.0", "pkg:pypi/alpha@1.0.0");
	b = finding(f->s, "1.0", "pkg:pypi/beta@1.0.0");
	c.state = "in_triage";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_OK);
	assert_int_equal(triage_apply(f->s, b, &c, &err), VG_OK);
	c.state = "not_affected";
	c.justification = "vulnerable_code_not_present";
	c.scope = "product";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_OK);
	c.state = "false_positive";
	c.justification = NULL;
	c.scope = NULL;
	assert_int_equal(triage_apply(f->s, b, &c, &err), VG_OK);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM triage_decisions"), 2);

	/* Next revision, same components: both decisions stand. */
	import_sbom(f->s, "1.0", "1.0.0");
	assert_state(f->s, a, "not_affected");
	assert_state(f->s, b, "false_positive");
	/* Next revision, beta moved: its new finding is reopened with a reason. */
	import_sbom(f->s, "1.0", "1.1.0");
	b2 = finding(f->s, "1.0", "pkg:pypi/beta@1.1.0");
	assert_state(f->s, b2, "in_triage");
	assert_int_equal(finding_json(f->s, b2, &out, &err), VG_OK);
	assert_non_null(
	    strstr(vg_json_str(json_array_get(json_object_get(out, "comments"), 0), "body"),
		   "the component is now pkg:pypi/beta@1.1.0"));
	json_decref(out);
	/* A later version: alpha's product-scope decision applies; beta's does not. */
	import_sbom(f->s, "2.0", "1.0.0");
	a2 = finding(f->s, "2.0", "pkg:pypi/alpha@1.0.0");
	assert_state(f->s, a2, "not_affected");
	assert_state(f->s, finding(f->s, "2.0", "pkg:pypi/beta@1.0.0"), "new");
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'finding.carry_over'"),
			 1);
	/* The affected range changes: every decision on it is reopened. */
	{
		char changed[sizeof(adv_alpha) + 16];
		char *p;
		snprintf(changed, sizeof(changed), "%s", adv_alpha);
		p = strstr(changed, "2026-05-01");
		memcpy(p, "2026-05-09", 10);
		p = strstr(changed, "\"fixed\":\"2.0\"");
		memcpy(p, "\"fixed\":\"3.0\"", 13);
		import_osv(f->s, changed);
	}
	assert_state(f->s, a, "in_triage");
	assert_state(f->s, a2, "in_triage");
}

static int breaches;
static int on_breach(struct store *s, const char *name, const json_t *p, void *arg)
{
	(void)s;
	(void)arg;
	assert_string_equal(name, "sla.breached");
	assert_non_null(vg_json_str(p, "summary"));
	assert_non_null(vg_json_str(p, "dedup_key"));
	breaches++;
	return VG_OK;
}

static void test_sla(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	int64_t a, b, w = 0, br = 0;
	json_t *out = NULL;

	setup_findings(f->s);
	a = finding(f->s, "1.0", "pkg:pypi/alpha@1.0.0"); /* critical */
	b = finding(f->s, "1.0", "pkg:pypi/beta@1.0.0");  /* high */
	assert_int_equal(finding_json(f->s, a, &out, &err), VG_OK);
	assert_string_equal(vg_json_str(out, "fix_due_at"), "2026-06-08T00:00:00Z");
	json_decref(out);
	assert_int_equal(sla_policy_set(f->s, NULL, "high", -1, 5 * 86400, &err), VG_OK);
	assert_int_equal(sla_policy_set(f->s, NULL, "huge", -1, 5, &err), VG_EINVAL);
	assert_int_equal(sla_policy_unset(f->s, NULL, "critical", &err), VG_OK);
	assert_int_equal(finding_json(f->s, a, &out, &err), VG_OK);
	assert_true(json_is_null(json_object_get(out, "due_at"))); /* no policy: no due time */
	json_decref(out);

	vg_event_subscribe("sla.breached", "test.breach", on_breach, NULL);
	breaches = 0;
	setenv("VIGIL_NOW", "2026-06-04T00:00:00Z", 1); /* day 3 of 5: nothing yet */
	assert_int_equal(sla_tick(f->s, &w, &br, &err), VG_OK);
	assert_int_equal(w + br, 0);
	setenv("VIGIL_NOW", "2026-06-05T00:00:00Z", 1); /* last quarter: warning */
	assert_int_equal(sla_tick(f->s, &w, &br, &err), VG_OK);
	assert_int_equal(w, 1);
	assert_int_equal(br, 0);
	assert_int_equal(sla_tick(f->s, &w, &br, &err), VG_OK);
	assert_int_equal(w, 0); /* once */
	setenv("VIGIL_NOW", "2026-07-30T00:00:00Z", 1);
	assert_int_equal(sla_tick(f->s, &w, &br, &err), VG_OK);
	assert_int_equal(br, 1); /* beta only: critical has no policy, no alert */
	assert_int_equal(breaches, 1);
	assert_int_equal(sla_tick(f->s, &w, &br, &err), VG_OK);
	assert_int_equal(br, 0);
	assert_int_equal(breaches, 1);
	assert_int_equal(
	    count(f->s, "SELECT COUNT(*) FROM deadline_fired WHERE clock LIKE 'sla.%'"), 2);
	{
		struct findings_filter flt = {0};
		flt.overdue = 1;
		struct finding_list l;
		assert_int_equal(findings_list(f->s, &flt, &l, &err), VG_OK);
		assert_int_equal(l.total, 1);
		assert_int_equal(l.v[0].id, b);
		finding_list_release(&l);
	}
	setenv("VIGIL_NOW", "2026-06-01T00:00:00Z", 1);
}

static void test_vex(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	struct triage_change c = {0};
	struct vex_import_stats st;
	int64_t a, b;
	json_t *doc = NULL;
	char *text;
	int64_t audits;

	setup_findings(f->s);
	a = finding(f->s, "1.0", "pkg:pypi/alpha@1.0.0");
	b = finding(f->s, "1.0", "pkg:pypi/beta@1.0.0");
	c.state = "in_triage";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_OK);
	c.state = "not_affected";
	c.justification = "component_not_present";
	assert_int_equal(triage_apply(f->s, a, &c, &err), VG_OK);

	for (int fmt = VEX_CYCLONEDX; fmt <= VEX_OPENVEX; fmt++) {
		assert_int_equal(vex_export(f->s, "prod", "1.0", fmt, &doc, &err), VG_OK);
		text = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
		/* Move a back to in_triage, then the document brings the decision back. */
		memset(&c, 0, sizeof(c));
		c.state = "in_triage";
		assert_int_equal(triage_apply(f->s, a, &c, &err), VG_OK);
		assert_int_equal(
		    vex_import(f->s, text, strlen(text), "doc", "prod", "1.0", &st, &err), VG_OK);
		assert_int_equal(st.format, fmt);
		assert_int_equal(st.statements, 2);
		assert_int_equal(st.applied, 1);
		assert_int_equal(st.unchanged, 1);
		assert_state(f->s, a, "not_affected");
		assert_state(f->s, b, "new");
		free(text);
	}
	{
		char *j = NULL;
		assert_int_equal(store_query_text(f->s, &j, &err,
						  "SELECT justification FROM findings WHERE id = ?",
						  "i", a),
				 VG_OK);
		assert_string_equal(j, "component_not_present"); /* survives CycloneDX too */
		free(j);
	}
	/* Malformed documents change nothing. */
	audits = count(f->s, "SELECT COUNT(*) FROM audit_log");
	{
		static const char *const bad[] = {
		    "{",
		    "[]",
		    "{\"a\":1}",
		    "{\"@context\":\"https://openvex.dev/ns/"
		    "v0.2.0\",\"statements\":[{\"vulnerability\":"
		    "{\"name\":\"CVE-2026-20002\"},\"products\":[{\"@id\":\"pkg:pypi/"
		    "beta@1.0.0\"}],"
		    "\"status\":\"not_affected\"}]}",
		    "{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"CVE-2026-20002\","
		    "\"analysis\":{\"state\":\"sleeping\"},\"affects\":[{\"ref\":\"pkg:pypi/"
		    "beta@1.0.0\"}]}]}",
		    "{\"document\":{\"category\":\"csaf_vex\"},\"vulnerabilities\":[{\"cve\":\"CVE-"
		    "2026-"
		    "20002\",\"product_status\":{\"fixed\":[\"NOPE\"]}}]}",
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			vg_error_clear(&err);
			assert_int_not_equal(vex_import(f->s, bad[i], strlen(bad[i]), "bad", "prod",
							"1.0", &st, &err),
					     VG_OK);
			assert_true(strlen(vg_error_msg(&err)) > 0);
		}
	}
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log"), audits);
	assert_state(f->s, b, "new");
	assert_int_equal(vex_export(f->s, "prod", "9.9", VEX_CSAF, &doc, &err), VG_ENOTFOUND);
}

/* A published security release (release.published): findings of what it
 * fixes on other versions of its product point to it; findings on the
 * released version itself are retracted by the next match. */
static void emit_release(struct store *s, int64_t id, int64_t version_id, const char *version,
			 const char *fix)
{
	json_t *p =
	    json_pack("{s:I, s:s, s:s, s:I, s:b, s:[s], s:s}", "release_id", (json_int_t)id,
		      "product", "prod", "version", version, "version_id", (json_int_t)version_id,
		      "security", 1, "fixes", fix, "published_at", "2026-06-02T00:00:00Z");
	vg_event_emit(s, RELEASE_PUBLISHED_EVENT, p);
	json_decref(p);
}

static void test_release_fix(void **state)
{
	struct fx *f = *state;
	struct vg_error err = {0};
	json_t *j = NULL, *fr;
	int64_t old_beta, old_alpha, new_beta, v20 = 0;

	setup_findings(f->s);
	import_sbom(f->s, "2.0", "1.0.0"); /* 2.0 still has the vulnerable beta */
	old_beta = finding(f->s, "1.0", "pkg:pypi/beta@1.0.0");
	old_alpha = finding(f->s, "1.0", "pkg:pypi/alpha@1.0.0");
	new_beta = finding(f->s, "2.0", "pkg:pypi/beta@1.0.0");
	assert_int_equal(store_query_int64(f->s, &v20, &err,
					   "SELECT id FROM product_versions WHERE version = '2.0'",
					   NULL),
			 VG_OK);
	setenv("VIGIL_NOW", "2026-06-02T00:00:00Z", 1);
	/* release 2.0 names the CVE; the findings carry the OSV id T-2 (an alias) */
	emit_release(f->s, 3, v20, "2.0", "CVE-2026-20002");
	assert_int_equal(finding_json(f->s, old_beta, &j, &err), VG_OK);
	fr = json_object_get(j, "fixed_by_releases");
	assert_int_equal(json_array_size(fr), 1);
	assert_int_equal(vg_json_int(json_array_get(fr, 0), "release_id", 0), 3);
	assert_string_equal(vg_json_str(json_array_get(fr, 0), "version"), "2.0");
	assert_string_equal(vg_json_str(json_array_get(fr, 0), "fixes"), "CVE-2026-20002");
	assert_string_equal(vg_json_str(json_array_get(fr, 0), "published_at"),
			    "2026-06-02T00:00:00Z");
	json_decref(j);
	/* not another vulnerability's finding, not the released version's own */
	assert_int_equal(finding_json(f->s, old_alpha, &j, &err), VG_OK);
	assert_int_equal(json_array_size(json_object_get(j, "fixed_by_releases")), 0);
	json_decref(j);
	assert_int_equal(finding_json(f->s, new_beta, &j, &err), VG_OK);
	assert_int_equal(json_array_size(json_object_get(j, "fixed_by_releases")), 0);
	json_decref(j);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'finding.fix_release'"),
			 1);
	/* heard twice, or a release of something unrelated: nothing changes */
	emit_release(f->s, 3, v20, "2.0", "CVE-2026-20002");
	emit_release(f->s, 4, v20 + 1000, "3.0", "CVE-2026-29999");
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'finding.fix_release'"),
			 1);
	/* (what release 4 fixes is kept: a later finding of it points to it) */
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'findings.fix_release'"),
			 2);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM triage_fix_releases"), 2);
	/* the next match of the released version: its beta is fixed, the finding goes */
	import_sbom(f->s, "2.0", "9.0");
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM findings f JOIN product_versions v ON "
				     "v.id = f.version_id WHERE v.version = '2.0' AND f.purl LIKE "
				     "'pkg:pypi/beta%' AND f.retracted_at IS NULL"),
			 0);
	/* the old version's finding still points to the release */
	assert_int_equal(finding_json(f->s, old_beta, &j, &err), VG_OK);
	assert_int_equal(json_array_size(json_object_get(j, "fixed_by_releases")), 1);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_states),
	    cmocka_unit_test(test_purl_package),
	    cmocka_unit_test_setup_teardown(test_workflow, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_carry_over, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_sla, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_vex, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_release_fix, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
