/*
 * readiness.c - the CRA readiness score from the live state of the rooms
 * (programme.h). One table of checks, each a function measuring one fact;
 * a check whose room is not built yet says "not available" and never
 * passes. Adding a check (the log retention of the evidence room, the
 * advisories of the advisory room) is one row and one function.
 */
#define _POSIX_C_SOURCE 200809L
#include "programme/programme.h"
#include "advisory/csaf_adv.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/error.h"
#include "evidence/logs.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "reach/oncall.h"
#include "reach/reach.h"
#include "reach/stpublish.h"
#include "sbom/product.h"
#include "store/store.h"
#include "triage/home_data.h"
#include "update/release.h"
#include "update/signer.h"
#include "update/signer_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DAY       86400
#define WINDOW_90 (90 * DAY)

typedef int (*check_fn)(struct store *s, int64_t now, struct readiness_check *c,
			struct vg_error *err);

#define FACT(c, ...) snprintf((c)->fact, sizeof((c)->fact), __VA_ARGS__)

static int set(struct readiness_check *c, enum readiness_status st)
{
	c->status = st;
	return VG_OK;
}

/* Every product has an SBOM newer than its newest release. */
static int check_sbom(struct store *s, int64_t now, struct readiness_check *c, struct vg_error *err)
{
	struct product_list pl;
	size_t stale = 0, missing = 0;
	char first[128] = "";
	int rc = product_list(s, &pl, err);
	(void)now;
	if (rc)
		return rc;
	for (size_t i = 0; i < pl.n && !rc; i++) {
		struct sbom_revision_list sl;
		struct release_list rl;
		struct release_filter f = {0};
		int64_t newest_sbom = 0, newest_release = 0;
		rc = sbom_revision_list(s, pl.items[i].name, NULL, &sl, err);
		if (rc)
			break;
		for (size_t k = 0; k < sl.n; k++)
			if (sl.items[k].uploaded_at > newest_sbom)
				newest_sbom = sl.items[k].uploaded_at;
		sbom_revision_list_release(&sl);
		f.product = pl.items[i].name;
		rc = release_list(s, &f, &rl, err);
		if (rc)
			break;
		for (size_t k = 0; k < rl.n; k++)
			if (rl.items[k].created_at > newest_release)
				newest_release = rl.items[k].created_at;
		release_list_release(&rl);
		if (!newest_sbom)
			missing++;
		else if (newest_release > newest_sbom)
			stale++;
		if ((!newest_sbom || newest_release > newest_sbom) && !first[0])
			snprintf(first, sizeof(first), "%s", pl.items[i].name);
	}
	if (!rc) {
		if (!pl.n)
			FACT(c, "no product is registered");
		else if (missing || stale)
			FACT(c,
			     "%zu of %zu product(s) without a current SBOM (%zu without any, %zu "
			     "older than the newest release; first: %s)",
			     missing + stale, pl.n, missing, stale, first);
		else
			FACT(c, "all %zu product(s) have an SBOM newer than their newest release",
			     pl.n);
		set(c, pl.n && !missing && !stale ? READY_PASS : READY_FAIL);
	}
	product_list_release(&pl);
	return rc;
}

/* No open finding is past its SLA. */
static int check_sla(struct store *s, int64_t now, struct readiness_check *c, struct vg_error *err)
{
	struct triage_burndown b;
	int rc = triage_home_burndown(s, now, &b, err);
	if (rc)
		return rc;
	if (b.overdue)
		FACT(c, "%lld open finding(s) past their SLA due time", (long long)b.overdue);
	else
		FACT(c, "no open finding is past its SLA due time (%lld without a policy)",
		     (long long)b.nodue);
	return set(c, b.overdue ? READY_FAIL : READY_PASS);
}

/* Reports received in the last 90 days acknowledged within 48 hours. */
static int check_ack(struct store *s, int64_t now, struct readiness_check *c, struct vg_error *err)
{
	struct psirt_case_list l;
	int64_t n = 0, ok = 0;
	int rc = case_list(s, NULL, &l, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++) {
		const struct psirt_case *k = &l.items[i];
		if (k->received_at < now - WINDOW_90 || k->received_at > now)
			continue;
		if (!k->acknowledged_at && now - k->received_at <= 48 * 3600)
			continue; /* still within its 48 hours */
		n++;
		ok += k->acknowledged_at && k->acknowledged_at - k->received_at <= 48 * 3600;
	}
	psirt_case_list_release(&l);
	if (!n)
		FACT(c, "no report received in the last 90 days is due yet");
	else
		FACT(c,
		     "%lld of %lld report(s) of the last 90 days acknowledged within 48 h (%lld%%)",
		     (long long)ok, (long long)n, (long long)(ok * 100 / n));
	return set(c, ok == n ? READY_PASS : READY_FAIL);
}

/* Article 14 reports filed on time: none overdue, none filed late in the last year. */
static int check_art14(struct store *s, int64_t now, struct readiness_check *c,
		       struct vg_error *err)
{
	struct art14_report_list l;
	int64_t overdue = 0, late = 0, total = 0;
	int rc = art14_list(s, 0, now, &l, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++) {
		const struct art14_report *r = &l.items[i];
		if (!r->due_at)
			continue;
		total++;
		if (!r->submitted_at && r->due_at < now)
			overdue++;
		else if (r->submitted_at > r->due_at && r->due_at > now - 365 * DAY)
			late++;
	}
	art14_report_list_release(&l);
	if (overdue || late)
		FACT(c, "%lld Article 14 report(s) overdue, %lld filed late in the last year",
		     (long long)overdue, (long long)late);
	else
		FACT(c, "%lld Article 14 obligation(s) with a due time, none overdue or late",
		     (long long)total);
	return set(c, overdue || late ? READY_FAIL : READY_PASS);
}

/* security.txt valid and not expiring within 30 days, on every domain. */
static int check_securitytxt(struct store *s, int64_t now, struct readiness_check *c,
			     struct vg_error *err)
{
	struct vg_arena mem;
	struct stwatch_list w;
	struct stpublish_record rec;
	size_t bad = 0, n = 0;
	char first[200] = "";
	int rc, published;

	vg_arena_init(&mem, 0);
	rc = stwatch_list(s, 1, &mem, &w, err);
	if (rc) {
		vg_arena_release(&mem);
		return rc;
	}
	for (size_t i = 0; i < w.n; i++) {
		const struct stwatch_entry *e = &w.v[i];
		const struct stwatch_check *k = e->nchecks ? &e->checks[0] : NULL;
		int ok = k && k->status &&
			 (strcmp(k->status, "ok") == 0 || strcmp(k->status, "expiring") == 0) &&
			 !k->errors && k->expires_at > now + 30 * DAY;
		n++;
		if (!ok) {
			bad++;
			if (!first[0])
				snprintf(first, sizeof(first), "%s (%s)", e->url,
					 !k                                      ? "never checked"
					 : k->expires_at && k->expires_at <= now ? "expired"
					 : k->expires_at && k->expires_at <= now + 30 * DAY
					     ? "expires within 30 days"
					     : k->status);
		}
	}
	vg_arena_release(&mem);
	{
		struct vg_error e2 = {0};
		rc = stpublish_current(s, NULL, &rec, &e2);
		published = rc == VG_OK;
		if (rc && rc != VG_ENOTFOUND) {
			*err = e2;
			return rc;
		}
		rc = VG_OK;
	}
	if (published) {
		n++;
		if (rec.expires_at <= now + 30 * DAY) {
			bad++;
			if (!first[0])
				snprintf(first, sizeof(first), "the published security.txt (%s)",
					 rec.expires_at <= now ? "expired"
							       : "expires within 30 days");
		}
	}
	if (!n)
		FACT(c, "no security.txt is published or watched");
	else if (bad)
		FACT(
		    c,
		    "%zu of %zu security.txt file(s) invalid or expiring within 30 days; first: %s",
		    bad, n, first);
	else
		FACT(c, "%zu security.txt file(s) valid for more than 30 days", n);
	return set(c, n && !bad ? READY_PASS : READY_FAIL);
}

/* The PSIRT's OpenPGP key valid for more than 30 days. */
static int check_pgp(struct store *s, int64_t now, struct readiness_check *c, struct vg_error *err)
{
	struct vg_arena mem;
	struct pgp_key_list l;
	int64_t expires = -1;
	int rc;

	vg_arena_init(&mem, 0);
	rc = pgp_keys(s, &mem, &l, err);
	for (size_t i = 0; !rc && i < l.n; i++)
		if (l.v[i].state && strcmp(l.v[i].state, "current") == 0 && !l.v[i].retired_at)
			expires = l.v[i].expires_at;
	vg_arena_release(&mem);
	if (rc)
		return rc;
	if (expires < 0) {
		FACT(c, "no current PSIRT OpenPGP key is recorded");
		return set(c, READY_FAIL);
	}
	if (expires == 0) {
		FACT(c, "the PSIRT key does not expire");
		return set(c, READY_PASS);
	}
	{
		char ts[VG_TIME_BUFSZ];
		vg_time_format(expires, ts, sizeof(ts));
		if (expires <= now + 30 * DAY)
			FACT(c, "the PSIRT key %s %s", expires <= now ? "expired on" : "expires on",
			     ts);
		else
			FACT(c, "the PSIRT key is valid until %s", ts);
	}
	return set(c, expires > now + 30 * DAY ? READY_PASS : READY_FAIL);
}

/* An on-call drill in the last 90 days acknowledged within 30 minutes. */
static int check_drill(struct store *s, int64_t now, struct readiness_check *c,
		       struct vg_error *err)
{
	struct vg_arena mem;
	struct oncall_drill_list l;
	int64_t best = -1, last = 0;
	int rc;

	vg_arena_init(&mem, 0);
	rc = oncall_drills(s, &mem, &l, err);
	for (size_t i = 0; !rc && i < l.n; i++) {
		const struct oncall_drill *d = &l.v[i];
		if (d->started_at < now - WINDOW_90 || d->started_at > now)
			continue;
		if (d->started_at > last)
			last = d->started_at;
		if (d->ack_seconds >= 0 && d->acknowledged_at &&
		    (best < 0 || d->ack_seconds < best))
			best = d->ack_seconds;
	}
	vg_arena_release(&mem);
	if (rc)
		return rc;
	if (!last)
		FACT(c, "no on-call drill in the last 90 days");
	else if (best < 0)
		FACT(c, "no drill of the last 90 days was acknowledged");
	else
		FACT(c, "fastest acknowledgement of a drill in the last 90 days: %lld min",
		     (long long)(best + 59) / 60);
	return set(c, best >= 0 && best <= 30 * 60 ? READY_PASS : READY_FAIL);
}

/* Update signers on hardware tokens (when update delivery is used). */
static int check_signers(struct store *s, int64_t now, struct readiness_check *c,
			 struct vg_error *err)
{
	struct update_signer_list l;
	size_t soft = 0;
	int rc = update_signer_list(s, &l, err);
	(void)now;
	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++)
		soft += l.items[i].development_only != 0;
	if (!l.n)
		FACT(c, "no update signer: update delivery is not set up in vigil");
	else if (soft)
		FACT(c, "%zu of %zu signer(s) are software keys (development only)", soft, l.n);
	else
		FACT(c, "all %zu signer(s) are keys in PKCS#11 tokens", l.n);
	set(c, !l.n ? READY_NA : soft ? READY_FAIL : READY_PASS);
	update_signer_list_release(&l);
	return VG_OK;
}

/* Every published release went through the verification gate and passed. */
static int check_gate(struct store *s, int64_t now, struct readiness_check *c, struct vg_error *err)
{
	struct release_filter f = {0};
	struct release_list l;
	size_t published = 0, bad = 0;
	int rc = release_list(s, &f, &l, err);
	(void)now;
	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++) {
		if (!l.items[i].published_at)
			continue;
		published++;
		bad += !l.items[i].checked_at || !l.items[i].passed;
	}
	release_list_release(&l);
	if (!published)
		FACT(c, "no release has been published through vigil");
	else if (bad)
		FACT(c, "%zu of %zu published release(s) without a passing gate run", bad,
		     published);
	else
		FACT(c, "all %zu published release(s) passed the verification gate", published);
	return set(c, !published ? READY_NA : bad ? READY_FAIL : READY_PASS);
}

/* Logs of outside systems (update delivery, gateways, monitoring) reach the
 * log store, and every source is kept at least the technical-file minimum. */
static int check_logs(struct store *s, int64_t now, struct readiness_check *c, struct vg_error *err)
{
	struct logs_stats st;
	size_t outside = 0, short_kept = 0;
	const char *short_name = "";
	int rc = logs_stats(s, &st, err);
	(void)now;
	if (rc)
		return rc;
	for (size_t i = 0; i < st.nsources; i++) {
		if (strcmp(st.sources[i].source, "vigil") == 0)
			continue; /* vigil's own events */
		outside++;
		if (st.sources[i].retention_years < LOGS_RETENTION_MIN_YEARS) {
			short_kept++;
			short_name = st.sources[i].source;
		}
	}
	if (!outside)
		FACT(c, "no outside system sends logs to vigil (syslog, or POST /api/v1/logs): "
			"only vigil's own events are kept");
	else if (short_kept)
		FACT(c,
		     "%zu of %zu log source(s) kept less than %d years (e.g. '%s', by an "
		     "audited override)",
		     short_kept, outside, LOGS_RETENTION_MIN_YEARS, short_name);
	else
		FACT(c, "%zu log source(s), every one kept at least %d years", outside,
		     LOGS_RETENTION_MIN_YEARS);
	logs_stats_release(&st);
	return set(c, outside && !short_kept ? READY_PASS : READY_FAIL);
}

/* A backup restored in the last 90 days (`vigil restore` audits backup.restored). */
static int check_backup(struct store *s, int64_t now, struct readiness_check *c,
			struct vg_error *err)
{
	struct audit_filter f = {0};
	struct audit_entry_list l;
	int rc;
	f.action = "backup.restored";
	f.since = now - WINDOW_90;
	f.until = now;
	f.newest_first = 1;
	f.limit = 1;
	rc = audit_query(s, &f, &l, err);
	if (rc)
		return rc;
	if (l.n) {
		char ts[VG_TIME_BUFSZ];
		FACT(c, "a backup was restored on %s",
		     vg_time_format(l.items[0].at, ts, sizeof(ts)));
	} else {
		FACT(c, "no backup restored in the last 90 days (no audit record backup.restored)");
	}
	set(c, l.n ? READY_PASS : READY_FAIL);
	audit_entry_list_release(&l);
	return VG_OK;
}

/* The scope map complete (vigil's proposals confirmed, nothing left to
 * assess) and reviewed (no review overdue). */
static int check_scope(struct store *s, int64_t now, struct readiness_check *c,
		       struct vg_error *err)
{
	struct scope_list l;
	const struct scope_proposal *p[8];
	size_t nprop = 0, assess = 0, overdue = 0;
	int rc = scope_list(s, NULL, &l, NULL, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++) {
		assess +=
		    l.items[i].assessment && strcmp(l.items[i].assessment, "needs-assessment") == 0;
		overdue += scope_overdue(&l.items[i], now);
	}
	rc = scope_proposals_open(s, p, 8, &nprop, err);
	if (!rc) {
		if (!l.n)
			FACT(c, "the scope map is empty");
		else if (nprop || assess || overdue)
			FACT(c,
			     "%zu system(s); %zu of vigil's proposals not confirmed, %zu needing "
			     "assessment, %zu review(s) overdue",
			     l.n, nprop, assess, overdue);
		else
			FACT(c, "%zu system(s), all assessed and reviewed on time", l.n);
		set(c, l.n && !nprop && !assess && !overdue ? READY_PASS : READY_FAIL);
	}
	scope_list_release(&l);
	return rc;
}

/* Every publicly disclosed case has a published CSAF advisory (Annex I
 * Part II (4): fixed vulnerabilities disclosed with an advisory). Cases
 * closed since are not counted: the state does not say whether they were
 * disclosed or rejected. */
static int check_advisories(struct store *s, int64_t now, struct readiness_check *c,
			    struct vg_error *err)
{
	struct psirt_case_list cases;
	struct csaf_adv_list adv;
	size_t missing = 0;
	int64_t first_missing = 0;
	int rc = case_list(s, "disclosed", &cases, err);
	(void)now;
	if (rc)
		return rc;
	if ((rc = advisory_list(s, 1, &adv, err))) {
		psirt_case_list_release(&cases);
		return rc;
	}
	for (size_t i = 0; i < cases.n; i++) {
		int found = 0;
		for (size_t j = 0; j < adv.n && !found; j++)
			found = adv.items[j].case_id == cases.items[i].id;
		if (!found && !missing++)
			first_missing = cases.items[i].id;
	}
	if (missing)
		FACT(c,
		     "%zu of %zu disclosed case(s) without a published CSAF advisory (e.g. case "
		     "%lld)",
		     missing, cases.n, (long long)first_missing);
	else if (adv.n)
		FACT(c, "%zu CSAF advisory(ies) published; every disclosed case has one", adv.n);
	else
		FACT(c, "no case has been disclosed and no advisory published yet");
	rc = set(c, missing ? READY_FAIL : adv.n ? READY_PASS : READY_NA);
	psirt_case_list_release(&cases);
	csaf_adv_list_release(&adv);
	return rc;
}

/* The checks, by the weight of their compliance impact (the weights add up
 * to 100). */
static const struct {
	const char *key, *title, *duty;
	int weight;
	check_fn fn;
	const char *link, *fix, *command;
} checks[] = {
    {"art14-on-time", "Article 14 reports filed on time", "Art. 14(1)-(4)", 14, check_art14,
     "/ui/cases", "File the overdue early warnings, notifications and final reports.",
     "vigil art14 list"},
    {"findings-sla", "No finding past its SLA", "Annex I Part II (2)", 12, check_sla,
     "/ui/findings?sort=due", "Triage and fix the overdue findings, or record why not.",
     "vigil findings list --overdue"},
    {"sbom-current", "Every product has a current SBOM", "Annex I Part II (1)", 10, check_sbom,
     "/ui/products", "Upload an SBOM of each product's newest release.",
     "vigil sbom import --product P --version V FILE"},
    {"cvd-ack-48h", "Vulnerability reports acknowledged within 48 h", "Annex I Part II (5)", 8,
     check_ack, "/ui/cases", "Acknowledge every report within 48 hours of receiving it.",
     "vigil case ack ID"},
    {"securitytxt", "security.txt valid on every domain, not expiring within 30 days",
     "Annex I Part II (5), (6)", 8, check_securitytxt, "/ui/securitytxt",
     "Publish or renew security.txt (Expires more than 30 days ahead) and fix its errors.",
     "vigil securitytxt check"},
    {"signers-hardware", "Update signing keys are hardware-backed", "Annex I Part II (7), (8)", 8,
     check_signers, "/ui/signers", "Move update signing to keys in a PKCS#11 token.",
     "vigil signer keygen --kind pkcs11"},
    {"log-retention", "Logs retained at least 10 years for every source", "Art. 13(13)", 8,
     check_logs, "/ui/evidence", "Configure a retention of 10 years or more for every log source.",
     NULL},
    {"oncall-drill", "An on-call drill reached the PSIRT within 30 minutes in the last 90 days",
     "Art. 14 (24 h early warning)", 7, check_drill, "/ui/oncall",
     "Run an on-call drill and acknowledge it within 30 minutes.", "vigil oncall drill POLICY"},
    {"release-gate", "Published releases passed the verification gate",
     "Annex I Part I (2)(c), Part II (7)", 6, check_gate, "/ui/releases",
     "Publish releases only through vigil release publish, which runs the gate.", NULL},
    {"backup-restored", "A backup restored in the last 90 days", "Art. 13(13)", 6, check_backup,
     "/ui/audit?action=backup.restored", "Restore a backup into a test system to prove it works.",
     "vigil restore"},
    {"pgp-key", "The PSIRT OpenPGP key is valid for more than 30 days", "Annex I Part II (5)", 5,
     check_pgp, "/ui/setup", "Extend or rotate the PSIRT key.", "vigil pgp rotate"},
    {"scope-map", "The scope map is complete and reviewed", "the programme record", 5, check_scope,
     "/ui/programme/scope",
     "Confirm vigil's proposals, assess every system and do the overdue reviews.",
     "vigil scope list --overdue"},
    {"advisories", "Fixed vulnerabilities published as advisories", "Annex I Part II (4)", 3,
     check_advisories, "/ui/advisories", "Publish a CSAF advisory for each fixed vulnerability.",
     NULL},
};

const char *readiness_status_name(enum readiness_status st)
{
	return st == READY_PASS ? "pass" : st == READY_FAIL ? "fail" : "not available";
}

int readiness_compute(struct store *s, int64_t now, struct readiness *out, struct vg_error *err)
{
	memset(out, 0, sizeof(*out));
	out->at = now;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]) && i < READINESS_MAX_CHECKS;
	     i++) {
		struct readiness_check *c = &out->checks[out->n++];
		int rc;
		c->key = checks[i].key;
		c->title = checks[i].title;
		c->duty = checks[i].duty;
		c->weight = checks[i].weight;
		c->link = checks[i].link;
		c->fix = checks[i].fix;
		c->command = checks[i].command;
		rc = checks[i].fn(s, now, c, err);
		if (rc) {
			vg_error_prefix(err, "readiness check %s", c->key);
			return rc;
		}
		out->max += c->weight;
		if (c->status == READY_PASS)
			out->score += c->weight;
		else if (c->status == READY_NA)
			out->na_weight += c->weight;
	}
	return VG_OK;
}

size_t readiness_gaps(const struct readiness *r, size_t *idx)
{
	size_t n = 0;
	/* checks are kept by weight already; a stable pick keeps that order */
	for (int w = 100; w > 0; w--)
		for (size_t i = 0; i < r->n; i++)
			if (r->checks[i].weight == w && r->checks[i].status == READY_FAIL)
				idx[n++] = i;
	return n;
}

json_t *readiness_to_json(const struct readiness *r)
{
	json_t *arr = json_array(), *gaps = json_array();
	size_t idx[READINESS_MAX_CHECKS], ng = readiness_gaps(r, idx);
	for (size_t i = 0; i < r->n; i++) {
		const struct readiness_check *c = &r->checks[i];
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s?}", "key", c->key,
				   "title", c->title, "duty", c->duty, "weight", c->weight,
				   "status", readiness_status_name(c->status), "fact", c->fact,
				   "evidence", c->link, "fix", c->fix, "command", c->command));
	}
	for (size_t i = 0; i < ng; i++)
		json_array_append_new(gaps, json_string(r->checks[idx[i]].key));
	return json_pack("{s:o, s:i, s:i, s:i, s:i, s:o, s:o}", "at", vg_json_time(r->at), "score",
			 r->score, "max", r->max, "measured", r->max - r->na_weight,
			 "not_available", r->na_weight, "checks", arr, "gaps", gaps);
}

static void day_of(int64_t t, char day[11])
{
	char ts[VG_TIME_BUFSZ];
	vg_time_format(t, ts, sizeof(ts));
	memcpy(day, ts, 10);
	day[10] = '\0';
}

int readiness_snapshot(struct store *s, int64_t now, struct readiness *r, struct vg_error *err)
{
	char day[11], *checks_text;
	json_t *j, *a;
	int rc = readiness_compute(s, now, r, err);
	if (rc)
		return rc;
	day_of(now, day);
	j = readiness_to_json(r);
	checks_text = j ? json_dumps(json_object_get(j, "checks"), JSON_COMPACT) : NULL;
	if (!checks_text) {
		json_decref(j);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM readiness_snapshots WHERE day = ?", "t", day);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO readiness_snapshots (day, at, score, max_score, "
				"checks_json) VALUES (?,?,?,?,?)",
				"tiiit", day, now, (int64_t)r->score, (int64_t)r->max, checks_text);
	if (!rc) {
		a = json_pack("{s:s, s:i, s:i, s:O}", "day", day, "score", r->score, "max", r->max,
			      "gaps", json_object_get(j, "gaps"));
		rc = store_audit(s, "readiness.snapshot", "readiness", day, NULL, a, err);
		json_decref(a);
	}
	free(checks_text);
	json_decref(j);
	return store_in_tx(s) ? store_tx_end(s, rc, err) : rc;
}

int readiness_history(struct store *s, int64_t days, struct readiness_point **out, size_t *n,
		      struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct readiness_point *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc =
	    store_prepare(s,
			  "SELECT day, score, max_score FROM readiness_snapshots ORDER BY day DESC "
			  "LIMIT ?",
			  &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, days);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (*n == cap) {
			struct readiness_point *nv =
			    realloc(v, (cap = cap ? cap * 2 : 32) * sizeof(*v));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			v = nv;
		}
		snprintf(v[*n].day, sizeof(v[*n].day), "%s",
			 store_col_text(st, 0) ? store_col_text(st, 0) : "");
		v[*n].score = store_col_int64(st, 1);
		v[*n].max = store_col_int64(st, 2);
		(*n)++;
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		free(v);
		*n = 0;
		return rc;
	}
	/* oldest first */
	for (size_t i = 0; i < *n / 2; i++) {
		struct readiness_point t = v[i];
		v[i] = v[*n - 1 - i];
		v[*n - 1 - i] = t;
	}
	*out = v;
	return VG_OK;
}
