/*
 * reconcile.c - findings kept in step with the feeds and the inventory: the
 * vuln room's matcher says what matches, this file turns the matches into
 * findings (created, retracted, brought back), flags the KEV-listed ones and
 * carries triage decisions over, each time in one transaction.
 */
#define _POSIX_C_SOURCE 200809L
#include "triage/findings.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/events.h"
#include "core/log.h"
#include "core/text.h"
#include "sbom/inventory.h"
#include "sbom/product.h"
#include "store/store.h"
#include "triage/triage.h"
#include "triage/release_fix.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define CHUNK 200 /* vulnerability ids per reconcile query */

/* The findings the matcher asks for: key "version_id\037purl\037vuln_id" ->
 * {version_id, purl, vuln_id, component_id, sbom_id, matches: [...]}, in
 * the order the matches came. */
static void on_hit(void *arg, const struct vuln_hit *h)
{
	json_t *desired = arg, *f, *m, *ev;
	char key[1400];
	size_t i;
	snprintf(key, sizeof(key), "%lld\037%s\037%s", (long long)h->version_id, h->purl,
		 h->vuln_id);
	f = json_object_get(desired, key);
	if (!f) {
		f = json_pack("{s:I, s:s, s:s, s:I, s:I, s:[]}", "version_id",
			      (json_int_t)h->version_id, "purl", h->purl, "vuln_id", h->vuln_id,
			      "component_id", (json_int_t)h->component_id, "sbom_id",
			      (json_int_t)h->sbom_id, "matches");
		if (!f)
			return;
		json_object_set_new(desired, key, f);
	}
	json_array_foreach(json_object_get(f, "matches"), i,
			   m) if (strcmp(vg_json_str(m, "advisory"), h->advisory) == 0) return;
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "advisory", h->advisory, "source", h->source,
		       "version", h->version, "matched", h->matched, "fixed",
		       h->fixed && h->fixed[0] ? h->fixed : NULL);
	json_array_append_new(json_object_get(f, "matches"), ev);
}

struct existing {
	int64_t id;
	int active;
	char *key;
	char *evidence;
};

struct exlist {
	struct existing *v;
	size_t n, cap;
};

static void exlist_release(struct exlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].evidence);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The existing findings of the scope: scope yields (id, version_id, purl,
 * vuln_id, retracted_at, evidence_json); it is finalized here. */
static int read_existing(struct store_stmt *st, struct exlist *l, struct vg_error *err)
{
	int rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		char key[1400];
		if (l->n == l->cap) {
			size_t nc = l->cap ? l->cap * 2 : 64;
			struct existing *nv = realloc(l->v, nc * sizeof(*nv));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			l->v = nv;
			l->cap = nc;
		}
		snprintf(key, sizeof(key), "%lld\037%s\037%s", (long long)store_col_int64(st, 1),
			 store_col_text(st, 2), store_col_text(st, 3));
		l->v[l->n].id = store_col_int64(st, 0);
		l->v[l->n].active = store_col_isnull(st, 4);
		l->v[l->n].key = strdup(key);
		l->v[l->n].evidence = strdup(store_col_text(st, 5) ? store_col_text(st, 5) : "");
		if (!l->v[l->n].key || !l->v[l->n].evidence) {
			free(l->v[l->n].key);
			free(l->v[l->n].evidence);
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		l->n++;
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

static char *evidence_text(json_t *f)
{
	json_t *e = json_pack("{s:O}", "matches", json_object_get(f, "matches"));
	char *t = e ? vg_json_canonical(e) : NULL;
	json_decref(e);
	return t;
}

/*
 * Make the findings of a scope what desired says: the existing ones (scope,
 * see read_existing) that are still desired are brought back or get their
 * new evidence, the others are retracted, and the desired ones not there
 * yet are created.
 */
static int apply_desired(struct store *s, json_t *desired, struct store_stmt *scope, int64_t now,
			 struct findings_stats *st, json_t *retracted, size_t *touched,
			 struct vg_error *err)
{
	struct exlist ex = {0};
	int rc = read_existing(scope, &ex, err);
	if (touched) /* the findings there were, and those made below */
		*touched = ex.n + json_object_size(desired);
	for (size_t i = 0; !rc && i < ex.n; i++) {
		json_t *f = json_object_get(desired, ex.v[i].key);
		if (f) {
			char *evt = evidence_text(f);
			if (!evt) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			if (!ex.v[i].active || strcmp(evt, ex.v[i].evidence) != 0)
				rc = store_exec_cached(
				    s, err,
				    "UPDATE findings SET retracted_at = NULL, component_id = ?, "
				    "sbom_id = ?, evidence_json = ?, updated_at = ?, severity = "
				    "(SELECT severity FROM vuln_view v WHERE v.id = "
				    "findings.vuln_id), score = (SELECT score FROM vuln_view "
				    "v "
				    "WHERE v.id = findings.vuln_id) WHERE id = ?",
				    "iitii",
				    (int64_t)json_integer_value(json_object_get(f, "component_id")),
				    (int64_t)json_integer_value(json_object_get(f, "sbom_id")), evt,
				    now, ex.v[i].id);
			if (!ex.v[i].active)
				st->findings_new++;
			free(evt);
			json_object_del(desired, ex.v[i].key);
		} else if (ex.v[i].active) {
			rc = store_exec_cached(
			    s, err,
			    "UPDATE findings SET retracted_at = ?, updated_at = ? WHERE id = ?",
			    "iii", now, now, ex.v[i].id);
			if (retracted)
				json_array_append_new(retracted, json_integer(ex.v[i].id));
			st->findings_retracted++;
		}
	}
	{
		const char *k;
		json_t *f;
		json_object_foreach(desired, k, f)
		{
			char *evt;
			if (rc)
				break;
			evt = evidence_text(f);
			if (!evt) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			rc = store_exec_cached(
			    s, err,
			    "INSERT INTO findings (version_id, purl, component_id, sbom_id, "
			    "vuln_id, "
			    "severity, score, kev, state, first_seen_at, updated_at, "
			    "evidence_json) "
			    "SELECT ?, ?, ?, ?, v.id, v.severity, v.score, 0, 'new', ?, ?, ? FROM "
			    "vuln_view v WHERE v.id = ?",
			    "itiiiitt",
			    (int64_t)json_integer_value(json_object_get(f, "version_id")),
			    vg_json_str(f, "purl"),
			    (int64_t)json_integer_value(json_object_get(f, "component_id")),
			    (int64_t)json_integer_value(json_object_get(f, "sbom_id")), now, now,
			    evt, vg_json_str(f, "vuln_id"));
			free(evt);
			st->findings_new++;
		}
	}
	exlist_release(&ex);
	return rc;
}

/* Flag active findings of KEV-listed vulnerabilities; ids go to exploited. */
static int kev_sweep(struct store *s, json_t *exploited, struct findings_stats *st,
		     struct vg_error *err)
{
	struct store_stmt *q = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = store_prepare(s,
			       "SELECT f.id FROM findings f WHERE f.kev = 0 AND f.retracted_at "
			       "IS NULL AND EXISTS (SELECT 1 FROM vuln_alias_view a JOIN "
			       "vuln_kev_view k ON k.cve_id = "
			       "a.alias WHERE a.vuln_id = f.vuln_id)",
			       &q, err);
	if (rc)
		return rc;
	while ((rc = store_step(q, err)) == STORE_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			int64_t *nv = realloc(ids, nc * sizeof(*nv));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			ids = nv;
			cap = nc;
		}
		ids[n++] = store_col_int64(q, 0);
	}
	store_finalize(q);
	rc = rc == STORE_DONE ? VG_OK : rc;
	for (size_t i = 0; !rc && i < n; i++) {
		rc = store_exec(s, err, "UPDATE findings SET kev = 1, kev_at = ? WHERE id = ?",
				"ii", vg_now(), ids[i]);
		if (!rc)
			rc = findings_due_sync_id(s, ids[i], err);
		json_array_append_new(exploited, json_integer(ids[i]));
		st->exploited++;
	}
	free(ids);
	return rc;
}

/* "vuln.exploited" for each finding id of ids: built and recorded in the
 * reconcile's transaction (store_event_record), each appended to events as
 * [event id, payload] for exploited_deliver() after the commit. */
static int exploited_record(struct store *s, json_t *ids, json_t *events, struct vg_error *err)
{
	size_t i;
	json_t *id;
	int rc = VG_OK;
	json_array_foreach(ids, i, id)
	{
		json_t *rows = NULL, *ev;
		int64_t event = 0;
		char sum[512], key[128];
		const char *vid;
		rc = store_query_json(
		    s, &rows, err,
		    "SELECT f.id AS finding_id, f.vuln_id, f.purl, f.severity, v.product, "
		    "v.version, (SELECT MIN(k.cve_id) FROM vuln_kev_view k JOIN "
		    "vuln_alias_view a ON "
		    "a.alias "
		    "= k.cve_id WHERE a.vuln_id = f.vuln_id) AS cve, (SELECT MIN(k.date_added) "
		    "FROM vuln_kev_view k JOIN vuln_alias_view a ON a.alias = k.cve_id WHERE "
		    "a.vuln_id = "
		    "f.vuln_id) AS kev_date_added FROM findings f JOIN sbom_version_view v ON "
		    "v.version_id = f.version_id WHERE f.id = ?",
		    "i", (int64_t)json_integer_value(id));
		if (rc)
			break;
		if (!json_array_size(rows)) {
			json_decref(rows);
			continue;
		}
		ev = json_array_get(rows, 0);
		vid = vg_json_str(ev, "cve") ? vg_json_str(ev, "cve") : vg_json_str(ev, "vuln_id");
		snprintf(sum, sizeof(sum), "Actively exploited: %s in %s (%s %s)", vid ? vid : "?",
			 vg_json_str(ev, "purl") ? vg_json_str(ev, "purl") : "?",
			 vg_json_str(ev, "product") ? vg_json_str(ev, "product") : "?",
			 vg_json_str(ev, "version") ? vg_json_str(ev, "version") : "?");
		snprintf(key, sizeof(key), "vuln.exploited/%lld",
			 (long long)vg_json_int(ev, "finding_id", 0));
		/* actively exploited is the highest urgency whatever the CVSS says */
		if (json_object_set_new(ev, "summary", json_string(sum)) ||
		    json_object_set_new(ev, "dedup_key", json_string(key)) ||
		    json_object_set(ev, "cvss_severity",
				    json_object_get(ev, "severity")
					? json_object_get(ev, "severity")
					: json_null()) ||
		    json_object_set_new(ev, "severity", json_string("critical")))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		if (!rc)
			rc = store_event_record(s, "vuln.exploited", ev, &event, err);
		if (!rc &&
		    json_array_append_new(events, json_pack("[I, O]", (json_int_t)event, ev)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		json_decref(rows);
		if (rc)
			break;
	}
	return rc;
}

static void exploited_deliver(struct store *s, json_t *events)
{
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e) store_event_deliver(
	    s, json_integer_value(json_array_get(e, 0)), "vuln.exploited", json_array_get(e, 1));
}

/* "prefix (?,?,...) suffix" with n placeholders. */
static char *in_sql(const char *prefix, size_t n, const char *suffix)
{
	struct vg_buf b = VG_BUF_INIT;
	vg_buf_adds(&b, prefix);
	vg_buf_adds(&b, "(");
	for (size_t i = 0; i < n; i++)
		vg_buf_adds(&b, i ? ",?" : "?");
	vg_buf_adds(&b, ")");
	vg_buf_adds(&b, suffix);
	return vg_buf_detach(&b, NULL);
}

/* Run sql (NULL: out of memory) with the n ids bound as text. */
static int exec_ids(struct store *s, char *sql, const char *const *ids, size_t n,
		    struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(s, sql, &st, err);
	free(sql);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		store_bind_text(st, (int)i + 1, ids[i]);
	while ((rc = store_step(st, err)) == STORE_ROW)
		;
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

/* Findings follow vulnerabilities merged into others: a finding of the old
 * id goes to the new one, unless the new one has it already. */
static int apply_merges(struct store *s, const json_t *merged, struct vg_error *err)
{
	size_t i;
	json_t *m;
	int rc = VG_OK;
	json_array_foreach(merged, i, m)
	{
		const char *from = vg_json_str(m, "from"), *to = vg_json_str(m, "to");
		if (rc)
			break;
		if (!from || !to)
			continue;
		rc = store_exec(s, err,
				"DELETE FROM findings WHERE vuln_id = ? AND EXISTS (SELECT 1 FROM "
				"findings f2 WHERE f2.vuln_id = ? AND f2.version_id = "
				"findings.version_id AND f2.purl = findings.purl)",
				"tt", from, to);
		if (!rc)
			rc = store_exec(s, err, "UPDATE findings SET vuln_id = ? WHERE vuln_id = ?",
					"tt", to, from);
	}
	return rc;
}

/* Reconcile the findings of up to CHUNK vulnerabilities. */
static int reconcile_chunk(struct store *s, const char *const *ids, size_t n, int64_t now,
			   struct findings_stats *st, struct vg_error *err)
{
	json_t *desired = json_object();
	struct store_stmt *scope = NULL;
	char *scopeq = NULL;
	size_t touched = 0;
	int rc;
	if (!desired)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = vulndb_match_vulns(s, ids, n, on_hit, desired, err);
	if (!rc) {
		scopeq = in_sql("SELECT id, version_id, purl, vuln_id, retracted_at, "
				"evidence_json FROM findings WHERE vuln_id IN ",
				n, "");
		rc = store_prepare(s, scopeq, &scope, err);
		free(scopeq);
	}
	if (!rc) {
		for (size_t i = 0; i < n; i++)
			store_bind_text(scope, (int)i + 1, ids[i]);
		rc = apply_desired(s, desired, scope, now, st, NULL, &touched, err);
	}
	json_decref(desired);
	/* Vulnerabilities without a finding before or after (most of a feed's
	 * batch): the two updates below would change no row. */
	if (!rc && !touched)
		return VG_OK;
	/* The vulnerability's severity may have changed with a new advisory. */
	if (!rc)
		rc = exec_ids(s,
			      in_sql("UPDATE findings SET severity = (SELECT severity FROM "
				     "vuln_view v "
				     "WHERE v.id = findings.vuln_id), score = (SELECT score FROM "
				     "vuln_view v WHERE v.id = findings.vuln_id) WHERE "
				     "vuln_id IN ",
				     n, ""),
			      ids, n, err);
	/* ... and with it, or with a finding added, reopened or retracted
	 * above, the stored due times. */
	if (!rc)
		rc = exec_ids(s, in_sql(FINDINGS_DUE_SYNC "vuln_id IN ", n, ""), ids, n, err);
	return rc;
}

/* Add the counts of one reconciliation to *st (may be NULL). */
static void stats_add(struct findings_stats *st, const struct findings_stats *local)
{
	if (!st)
		return;
	st->findings_new += local->findings_new;
	st->findings_retracted += local->findings_retracted;
	st->exploited += local->exploited;
}

int findings_reconcile_vulns(struct store *s, const char *source, const char *const *vuln_ids,
			     size_t n, const json_t *merged, struct findings_stats *st,
			     struct vg_error *err)
{
	struct findings_stats local = {0};
	json_t *exploited = json_array(), *events = json_array(), *after;
	int64_t now = vg_now();
	int rc;
	if (!exploited || !events) {
		json_decref(exploited);
		json_decref(events);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if ((rc = store_tx_begin(s, err))) {
		json_decref(exploited);
		json_decref(events);
		return rc;
	}
	rc = apply_merges(s, merged, err);
	for (size_t i = 0; !rc && i < n; i += CHUNK)
		rc = reconcile_chunk(s, vuln_ids + i, n - i < CHUNK ? n - i : CHUNK, now, &local,
				     err);
	if (!rc)
		rc = kev_sweep(s, exploited, &local, err);
	/* A changed affected range reopens decisions; new findings get them. */
	if (!rc && (n || json_array_size(merged)))
		rc = triage_carry_over(s, 0, now, err);
	if (!rc && (n || json_array_size(merged) || local.exploited)) {
		after = json_pack("{s:I, s:I, s:I, s:I}", "vulnerabilities", (json_int_t)n,
				  "findings_new", (json_int_t)local.findings_new,
				  "findings_retracted", (json_int_t)local.findings_retracted,
				  "exploited", (json_int_t)local.exploited);
		rc = store_audit(s, "findings.reconcile", "feed", source, NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = exploited_record(s, exploited, events, err);
	rc = store_tx_end(s, rc, err);
	if (!rc)
		exploited_deliver(s, events);
	json_decref(events);
	json_decref(exploited);
	if (!rc)
		stats_add(st, &local);
	return rc;
}

/*
 * Of the findings retracted (ids), those of actively exploited
 * vulnerabilities (KEV flag on the finding, or the vulnerability listed in
 * KEV under one of its ids): their vulnerability ids into reason, as
 * "would retract N finding(s) of actively exploited vulnerabilities: ...".
 * *n the count (0: none).
 */
static int exploited_retractions(struct store *s, const json_t *ids, size_t *n, char *reason,
				 size_t reasonsz, struct vg_error *err)
{
	struct vg_buf list = VG_BUF_INIT;
	size_t i;
	json_t *id;
	int rc = VG_OK;
	*n = 0;
	json_array_foreach(ids, i, id)
	{
		char *vid = NULL;
		int q = store_query_text(
		    s, &vid, err,
		    "SELECT f.vuln_id FROM findings f WHERE f.id = ? AND (f.kev = 1 OR EXISTS "
		    "(SELECT 1 FROM vuln_alias_view a JOIN vuln_kev_view k ON k.cve_id = a.alias "
		    "WHERE a.vuln_id = f.vuln_id))",
		    "i", (int64_t)json_integer_value(id));
		if (q == VG_ENOTFOUND) {
			vg_error_clear(err);
			continue;
		}
		if (q) {
			rc = q;
			break;
		}
		if (*n < 5) {
			vg_buf_adds(&list, *n ? ", " : "");
			vg_buf_adds(&list, vid ? vid : "?");
		}
		(*n)++;
		free(vid);
	}
	if (!rc && *n)
		snprintf(
		    reason, reasonsz,
		    "would retract %zu finding(s) of actively exploited vulnerabilities (%s%s): "
		    "held for a person to approve before findings are retracted",
		    *n, list.data ? list.data : "", *n > 5 ? ", ..." : "");
	vg_buf_release(&list);
	return rc;
}

int findings_reconcile_sbom(struct store *s, int64_t sbom_id, struct findings_stats *st,
			    struct vg_error *err)
{
	struct findings_stats local = {0};
	struct store_stmt *scope = NULL;
	struct sbom_revision rev;
	int64_t version_id = 0, now = vg_now();
	long matchable = 0;
	json_t *exploited = json_array(), *desired = json_object(), *retracted = json_array(),
	       *events = json_array(), *after;
	char subject[32], reason[512] = "";
	int rc, approved;

	if (!exploited || !desired || !retracted || !events) {
		json_decref(exploited);
		json_decref(desired);
		json_decref(retracted);
		json_decref(events);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	/* held for a person: nothing changes until approved */
	rc = sbom_revision_get(s, sbom_id, &rev, err);
	if (rc || SBOM_REVISION_HELD(&rev)) {
		if (!rc)
			sbom_revision_release(&rev);
		json_decref(exploited);
		json_decref(desired);
		json_decref(retracted);
		json_decref(events);
		return rc;
	}
	approved = rev.approved_at != 0;
	sbom_revision_release(&rev);
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = vulndb_index_sbom(s, sbom_id, &version_id, &matchable, err);
	if (!rc && !version_id) {
		/* an older revision: the newest one's findings stand */
		store_tx_rollback(s);
		json_decref(exploited);
		json_decref(desired);
		json_decref(retracted);
		json_decref(events);
		return VG_OK;
	}
	if (!rc)
		rc = vulndb_match_version(s, version_id, on_hit, desired, err);
	if (!rc)
		rc = store_prepare(s,
				   "SELECT id, version_id, purl, vuln_id, retracted_at, "
				   "evidence_json FROM findings WHERE version_id = ?",
				   &scope, err);
	if (!rc) {
		store_bind_int64(scope, 1, version_id);
		rc = apply_desired(s, desired, scope, now, &local, retracted, NULL, err);
	}
	/* Retracting findings of actively exploited vulnerabilities waits for
	 * a person: undo, and hold the revision (its index too stays as was). */
	if (!rc && !approved && json_array_size(retracted)) {
		size_t n = 0;
		rc = exploited_retractions(s, retracted, &n, reason, sizeof(reason), err);
		if (!rc && n) {
			store_tx_rollback(s);
			json_decref(exploited);
			json_decref(desired);
			json_decref(retracted);
			json_decref(events);
			return sbom_hold(s, sbom_id, reason, err);
		}
	}
	if (!rc)
		rc = store_exec(s, err, FINDINGS_DUE_SYNC "version_id = ?", "i", version_id);
	if (!rc)
		rc = kev_sweep(s, exploited, &local, err);
	/* Earlier triage decisions carry over to the new revision's findings. */
	if (!rc)
		rc = triage_carry_over(s, version_id, now, err);
	if (!rc) {
		snprintf(subject, sizeof(subject), "%lld", (long long)sbom_id);
		after = json_pack(
		    "{s:I, s:I, s:I, s:I}", "components_matchable", (json_int_t)matchable,
		    "findings_new", (json_int_t)local.findings_new, "findings_retracted",
		    (json_int_t)local.findings_retracted, "exploited", (json_int_t)local.exploited);
		rc = store_audit(s, "findings.reconcile", "sbom", subject, NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = exploited_record(s, exploited, events, err);
	rc = store_tx_end(s, rc, err);
	if (!rc)
		exploited_deliver(s, events);
	json_decref(events);
	json_decref(exploited);
	json_decref(desired);
	json_decref(retracted);
	if (!rc)
		stats_add(st, &local);
	return rc;
}

/* ---- what other rooms ask ---- */

/* The product versions with findings of v, for vuln_get(). */
static int affected_rows(struct store *s, struct vulnerability *v, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(
	    s,
	    "SELECT f.id AS finding_id, pv.product, pv.version, f.purl, f.kev, "
	    "f.state, f.first_seen_at, f.retracted_at FROM findings f JOIN "
	    "sbom_version_view pv ON pv.version_id = f.version_id WHERE f.vuln_id = ? ORDER BY "
	    "pv.product, pv.version, f.purl",
	    &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, v->id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct vuln_affected x = {
		    store_col_int64(st, 0),
		    store_col_text(st, 1),
		    store_col_text(st, 2),
		    store_col_text(st, 3),
		    store_col_text(st, 5),
		    (int)store_col_int64(st, 4),
		    store_col_isnull(st, 6) ? VULN_NO_TIME : store_col_int64(st, 6),
		    store_col_isnull(st, 7) ? VULN_NO_TIME : store_col_int64(st, 7),
		};
		if (vulnerability_add_affected(v, &x)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

/* ---- events ---- */

static int on_sbom_imported(struct store *s, const char *name, const json_t *payload, void *arg)
{
	struct vg_error err = {0};
	json_int_t id = json_integer_value(json_object_get(payload, "sbom_id"));
	(void)name;
	(void)arg;
	/* "sbom.imported" of a held revision: nothing until "sbom.approved" */
	if (id <= 0 || json_is_true(json_object_get(payload, "held")))
		return VG_OK;
	if (findings_reconcile_sbom(s, id, NULL, &err) != VG_OK) {
		vg_warn("findings for SBOM %lld: %s", (long long)id, vg_error_msg(&err));
		return err.code;
	}
	return VG_OK;
}

/* A committed feed batch: reconcile the findings of what it touched and
 * report the counts back to the importer (payload "counts"). */
static int on_vuln_updated(struct store *s, const char *name, const json_t *payload, void *arg)
{
	struct vg_error err = {0};
	struct findings_stats st = {0};
	const json_t *ids = json_object_get(payload, "vuln_ids");
	json_t *counts = json_object_get(payload, "counts");
	size_t n = json_array_size(ids), k = 0;
	const char **v = n ? calloc(n, sizeof(*v)) : NULL;
	const char *source = vg_json_str(payload, "source");
	(void)name;
	(void)arg;
	if (n && !v) {
		vg_warn("findings after the %s import: out of memory", source ? source : "feed");
		return VG_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (json_is_string(json_array_get(ids, i)))
			v[k++] = json_string_value(json_array_get(ids, i));
	if (findings_reconcile_vulns(s, source ? source : "feed", v, k,
				     json_object_get(payload, "merged"), &st, &err) != VG_OK)
		vg_warn("findings after the %s import: %s", source ? source : "feed",
			vg_error_msg(&err));
	free(v);
	if (err.code)
		return err.code;
	if (json_is_object(counts)) {
		json_object_set_new(
		    counts, "findings_new",
		    json_integer(vg_json_int(counts, "findings_new", 0) + st.findings_new));
		json_object_set_new(counts, "findings_retracted",
				    json_integer(vg_json_int(counts, "findings_retracted", 0) +
						 st.findings_retracted));
		json_object_set_new(
		    counts, "exploited",
		    json_integer(vg_json_int(counts, "exploited", 0) + st.exploited));
	}
	return VG_OK;
}

void triage_init(void)
{
	vg_event_subscribe("sbom.imported", "triage.reconcile_sbom", on_sbom_imported, NULL);
	vg_event_subscribe("sbom.approved", "triage.reconcile_sbom", on_sbom_imported, NULL);
	vg_event_subscribe("vuln.updated", "triage.reconcile_vulns", on_vuln_updated, NULL);
	triage_release_fix_init();
	vuln_set_affected_provider(affected_rows);
}
