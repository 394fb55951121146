/*
 * findings.c - the queue over findings: filters, pages, counts per state,
 * due times, and the JSON of each at the edges.
 */
#define _POSIX_C_SOURCE 200809L
#include "triage/findings.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "store/store.h"
#include "vuln/cvss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

const char *const finding_states[FINDING_N_STATES + 1] = {
    "new",   "in_triage",    "affected",       "in_remediation",
    "fixed", "not_affected", "false_positive", NULL};

static int sev_rank(const char *s)
{
	static const char *const order[] = {"none", "low", "medium", "high", "critical"};
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, order[i]) == 0)
			return i;
	return -1;
}

int findings_due_sync_id(struct store *s, int64_t id, struct vg_error *err)
{
	return store_exec(s, err, FINDINGS_DUE_SYNC "id = ?", "i", id);
}

int findings_due_sync_policy(struct store *s, int64_t product_id, const char *severity,
			     struct vg_error *err)
{
	int kev = strcmp(severity, "kev") == 0;
	return store_exec(s, err,
			  FINDINGS_DUE_SYNC "(? = 0 OR version_id IN (SELECT version_id FROM "
					    "sbom_version_view WHERE product_id = ?)) AND (CASE "
					    "WHEN ? = 1 THEN kev = 1 ELSE severity = ? END)",
			  "iiit", product_id, product_id, (int64_t)kev, severity);
}

/*
 * The WHERE clause of the queue, built for the filters in use so that the
 * planner sees plain conditions it can serve from the indexes of migration
 * 0010 (a catch-all "? IS NULL OR ..." clause hides them). The binds are
 * always those of bind_filter(), in that order: a filter not in use binds
 * its (empty) value to a constant condition that is true.
 */
static void findings_where(struct vg_buf *b, const struct findings_filter *f, int page)
{
	int by_version = f->product || f->version;
	vg_buf_adds(b, "WHERE ");
	vg_buf_adds(b, f->product
			   ? "f.version_id IN (SELECT pv.version_id FROM sbom_version_view pv "
			     "WHERE pv.product = ?)"
			   : "CAST(? AS TEXT) IS NULL");
	vg_buf_adds(b, f->version ? " AND f.version_id IN (SELECT pv.version_id FROM "
				    "sbom_version_view pv WHERE pv.version = ?)"
				  : " AND CAST(? AS TEXT) IS NULL");
	/* With a product or version, the other conditions are expressions the
	 * planner cannot serve from an index: findings_q_version serves them all
	 * (SQLite, without statistics, would rather walk a severity's or a
	 * state's index in due order and test each finding's version). */
	vg_buf_adds(b, !f->severity ? " AND CAST(? AS TEXT) IS NULL"
		       : by_version ? " AND (f.severity || '') = ?"
				    : " AND f.severity = ?");
	vg_buf_adds(b, f->vuln ? " AND f.vuln_id = ?" : " AND CAST(? AS TEXT) IS NULL");
	vg_buf_adds(b, !f->kev_only ? " AND ? = 0"
		       : by_version ? " AND f.kev + 0 = ?"
				    : " AND f.kev = ?");
	vg_buf_adds(b,
		    f->include_retracted ? " AND ? = 1" : " AND f.retracted_at IS NULL AND ? = 0");
	if (!f->state)
		vg_buf_adds(b, " AND CAST(? AS TEXT) IS NULL");
	else if (strcmp(f->state, "open") == 0)
		/* Most findings are open: a page sorted by due time is read from the
		 * due time index (which carries the state) rather than from four
		 * ranges of the state index and a sort, so the page query hides the
		 * state from the planner. The count reads the state index. */
		vg_buf_addf(b,
			    " AND %s IN ('new', 'in_triage', 'affected', 'in_remediation') AND "
			    "CAST(? AS TEXT) = 'open'",
			    (page && f->sort_due) || by_version ? "(f.state || '')" : "f.state");
	else
		vg_buf_adds(b, by_version ? " AND (f.state || '') = ?" : " AND f.state = ?");
	vg_buf_adds(b, !f->assignee ? " AND CAST(? AS TEXT) IS NULL"
		       : by_version ? " AND (f.assignee || '') = ?"
				    : " AND f.assignee = ?");
	/* no deadline: sla_due_key is the largest BIGINT, never before now */
	vg_buf_adds(b, f->overdue ? " AND f.sla_due_key < ?" : " AND ? = 0");
	vg_buf_adds(b, f->due_within > 0 ? " AND f.sla_due_key >= ? AND f.sla_due_key <= ? AND "
					   "f.sla_due_at IS NOT NULL"
					 : " AND ? = 0 AND ? = 0");
}
#define FILTER_BINDS 11

/* Bind the filter's values (see findings_where) from position 1. */
static void bind_filter(struct store_stmt *st, const struct findings_filter *f, const char *sev,
			int64_t now)
{
	int i = 1;
	store_bind_text(st, i++, f->product);
	store_bind_text(st, i++, f->version);
	store_bind_text(st, i++, sev);
	store_bind_text(st, i++, f->vuln);
	store_bind_int64(st, i++, f->kev_only != 0);
	store_bind_int64(st, i++, f->include_retracted != 0);
	store_bind_text(st, i++, f->state);
	store_bind_text(st, i++, f->assignee);
	store_bind_int64(st, i++, f->overdue ? now : 0);
	store_bind_int64(st, i++, f->due_within > 0 ? now : 0);
	store_bind_int64(st, i, f->due_within > 0 ? now + f->due_within : 0);
}

/* f's severity in lower case into sev, NULL without one; VG_EINVAL when
 * it is not one. */
static int filter_severity(const struct findings_filter *f, char sev[16], const char **out,
			   struct vg_error *err)
{
	*out = NULL;
	if (!f->severity)
		return VG_OK;
	snprintf(sev, 16, "%s", f->severity);
	for (char *p = sev; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	if (sev_rank(sev) < 0)
		return vg_error_set(err, VG_EINVAL,
				    "severity '%s': expected critical, high, medium, low or "
				    "none",
				    f->severity);
	*out = sev;
	return VG_OK;
}

/* Prepare sql (NULL: out of memory) with the filter's binds. */
static int prepare_filtered(struct store *s, const char *sql, const struct findings_filter *f,
			    const char *sev, int64_t now, struct store_stmt **st,
			    struct vg_error *err)
{
	int rc;
	if (!sql)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_prepare(s, sql, st, err);
	if (!rc)
		bind_filter(*st, f, sev, now);
	return rc;
}

/* The single integer the statement yields. */
static int step_int64(struct store_stmt *st, int64_t *out, struct vg_error *err)
{
	int rc = store_step(st, err);
	if (rc == STORE_ROW) {
		*out = store_col_int64(st, 0);
		rc = VG_OK;
	} else if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	return rc;
}

int findings_ids(struct store *s, const struct findings_filter *f, int64_t **ids, size_t *n,
		 struct vg_error *err)
{
	struct vg_buf sql = VG_BUF_INIT;
	struct store_stmt *st = NULL;
	char sevbuf[16] = "";
	const char *sev;
	int64_t *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc = filter_severity(f, sevbuf, &sev, err);
	*ids = NULL;
	*n = 0;
	if (rc)
		return rc;
	vg_buf_adds(&sql, "SELECT f.id FROM findings f ");
	findings_where(&sql, f, 0);
	vg_buf_adds(&sql, " ORDER BY f.id");
	rc = prepare_filtered(s, sql.data, f, sev, vg_now(), &st, err);
	vg_buf_release(&sql);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int64_t *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			v = nv;
			cap = nc;
		}
		v[cnt++] = store_col_int64(st, 0);
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		free(v);
		return rc;
	}
	*ids = v;
	*n = cnt;
	return VG_OK;
}

static int state_index(const char *state)
{
	for (int i = 0; state && i < FINDING_N_STATES; i++)
		if (strcmp(finding_states[i], state) == 0)
			return i;
	return -1;
}

int findings_state_counts(struct store *s, const struct findings_filter *f,
			  struct finding_counts *out, struct vg_error *err)
{
	/* the filter without its state and deadline conditions, active only */
	struct findings_filter g = *f;
	struct vg_buf sql = VG_BUF_INIT;
	struct store_stmt *st = NULL;
	char sevbuf[16] = "";
	const char *sev;
	int64_t now = vg_now();
	int rc;

	memset(out, 0, sizeof(*out));
	g.state = NULL;
	g.overdue = 0;
	g.due_within = 0;
	g.include_retracted = 0;
	if ((rc = filter_severity(&g, sevbuf, &sev, err)))
		return rc;
	if (g.count_cap > 0 && !g.product && !g.version) {
		/* Each state counted up to count_cap + 1 rows, from the index of
		 * the filter and the state (migrations 0010, 0012): a million
		 * findings in one state are read as "more than count_cap" from a
		 * few thousand index entries. */
		for (int k = 0; k < FINDING_N_STATES && !rc; k++) {
			vg_buf_reset(&sql);
			vg_buf_adds(&sql, "SELECT COUNT(*) FROM (SELECT 1 FROM findings f ");
			findings_where(&sql, &g, 0);
			vg_buf_addf(&sql, " AND f.state = ? LIMIT %lld) c",
				    (long long)g.count_cap + 1);
			rc = prepare_filtered(s, sql.data, &g, sev, now, &st, err);
			if (!rc) {
				store_bind_text(st, FILTER_BINDS + 1, finding_states[k]);
				rc = step_int64(st, &out->n[k], err);
			}
		}
	} else {
		/* a product's or version's findings are few: counted exactly in
		 * one pass of findings_q_version */
		vg_buf_adds(&sql, "SELECT f.state, COUNT(*) AS n FROM findings f ");
		findings_where(&sql, &g, 0);
		vg_buf_adds(&sql, " GROUP BY f.state");
		rc = prepare_filtered(s, sql.data, &g, sev, now, &st, err);
		if (!rc) {
			while ((rc = store_step(st, err)) == STORE_ROW) {
				int k = state_index(store_col_text(st, 0));
				if (k >= 0)
					out->n[k] = store_col_int64(st, 1);
			}
			store_finalize(st);
			rc = rc == STORE_DONE ? VG_OK : rc;
		}
	}
	vg_buf_release(&sql);
	return rc;
}

int64_t findings_count_cap(void)
{
	int64_t cap = vg_config_int("triage.count_cap", 10000);
	return cap >= 1 ? cap : 10000;
}

void finding_list_release(struct finding_list *l)
{
	vg_arena_release(&l->arena);
	l->v = NULL;
	l->n = 0;
}

/* The page's rows: the columns of the list query, in order. */
static int read_page(struct store_stmt *st, struct finding_list *l, int64_t now,
		     struct vg_error *err)
{
	size_t cap = 0;
	int rc, oom = 0;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct finding *f;
		/* pages are at most 1000 rows: grow by copying in the arena */
		f = vg_arena_grow(&l->arena, l->v, l->n, &cap, sizeof(*f), 64);
		if (!f) {
			oom = 1;
			break;
		}
		l->v = f;
		f = &l->v[l->n++];
		memset(f, 0, sizeof(*f));
		f->id = store_col_int64(st, 0);
		f->product = store_col_adup(st, 1, &l->arena, &oom);
		f->version = store_col_adup(st, 2, &l->arena, &oom);
		f->purl = store_col_adup(st, 3, &l->arena, &oom);
		f->vuln_id = store_col_adup(st, 4, &l->arena, &oom);
		f->severity = store_col_adup(st, 5, &l->arena, &oom);
		f->score = store_col_adup(st, 6, &l->arena, &oom);
		f->kev = store_col_int64(st, 7) != 0;
		f->state = store_col_adup(st, 8, &l->arena, &oom);
		f->justification = store_col_adup(st, 9, &l->arena, &oom);
		f->assignee = store_col_adup(st, 10, &l->arena, &oom);
		f->first_seen_at = store_col_int64_or(st, 11, 0);
		f->updated_at = store_col_int64_or(st, 12, 0);
		f->retracted_at = store_col_int64_or(st, 13, 0);
		f->triage_due_at = store_col_int64_or(st, 14, 0);
		f->fix_due_at = store_col_int64_or(st, 15, 0);
		f->due_at = store_col_int64_or(st, 16, 0);
		f->overdue = f->due_at && f->due_at < now;
		f->evidence_json = store_col_adup(st, 17, &l->arena, &oom);
		if (oom)
			break;
	}
	store_finalize(st);
	if (oom)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc == STORE_DONE ? VG_OK : rc;
}

/* The aliases of the page's vulnerabilities in one query (portable: no
 * string_agg / group_concat), at most 1,000 binds. */

/* Prepare head "?,?,..." tail over the vulnerability ids of a page of
 * findings, bound in order. */
static int page_vulns_prepare(struct store *s, const struct finding_list *l, const char *head,
			      const char *tail, struct store_stmt **st, struct vg_error *err)
{
	struct vg_buf sql = VG_BUF_INIT;
	int rc;
	vg_buf_adds(&sql, head);
	for (size_t i = 0; i < l->n; i++)
		vg_buf_adds(&sql, i ? ",?" : "?");
	vg_buf_adds(&sql, tail);
	rc = store_prepare(s, sql.data, st, err);
	vg_buf_release(&sql);
	for (size_t i = 0; !rc && i < l->n; i++)
		store_bind_text(*st, (int)i + 1, l->v[i].vuln_id);
	return rc;
}

static int read_aliases(struct store *s, struct finding_list *l, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	json_t *byv;
	int rc;
	if (!l->n)
		return VG_OK;
	if (!(byv = json_object()))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = page_vulns_prepare(s, l,
				"SELECT vuln_id, alias FROM vuln_alias_view WHERE vuln_id IN (",
				") AND alias <> vuln_id ORDER BY vuln_id, alias", &st, err);
	if (rc) {
		json_decref(byv);
		return rc;
	}
	while ((rc = store_step(st, err)) == STORE_ROW) {
		const char *vid = store_col_text(st, 0), *alias = store_col_text(st, 1);
		json_t *list;
		if (!vid || !alias)
			continue;
		list = json_object_get(byv, vid);
		if (!list) {
			list = json_array();
			if (!list || json_object_set_new(byv, vid, list)) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
		}
		json_array_append_new(list, json_string(alias));
	}
	store_finalize(st);
	rc = rc == STORE_DONE ? VG_OK : rc;
	for (size_t i = 0; !rc && i < l->n; i++) {
		json_t *names = json_object_get(byv, l->v[i].vuln_id);
		size_t n = json_array_size(names);
		const char **a;
		if (!n)
			continue;
		if (!(a = vg_arena_array(&l->arena, n, sizeof(*a)))) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < n; k++)
			if (!(a[k] = vg_arena_strdup(&l->arena,
						     json_string_value(json_array_get(names, k)))))
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		l->v[i].aliases = a;
		l->v[i].n_aliases = n;
	}
	json_decref(byv);
	return rc;
}

/* The ORDER BY expression of each sort key (findings f, sbom_version_view
 * v); NULL values are mapped so both backends order them alike. */
static const struct {
	const char *key, *expr;
	int desc;
} sorts[] = {
    {"due", "f.sla_due_key", 0},
    {"new", "f.first_seen_at", 1},
    {"seen", "f.first_seen_at", 1},
    {"id", "f.id", 0},
    {"product", "v.product", 0},
    {"version", "v.version", 0},
    {"vuln", "f.vuln_id", 0},
    {"component", "f.purl", 0},
    {"severity",
     "CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN "
     "'low' THEN 1 WHEN 'none' THEN 0 ELSE -1 END",
     1},
    {"score", "COALESCE(CAST(f.score AS REAL), -1)", 1},
    {"state",
     "CASE f.state WHEN 'new' THEN 0 WHEN 'in_triage' THEN 1 WHEN 'affected' THEN 2 WHEN "
     "'in_remediation' THEN 3 WHEN 'fixed' THEN 4 WHEN 'not_affected' THEN 5 ELSE 6 END",
     0},
    {"assignee", "COALESCE(f.assignee, '')", 0},
    {NULL, NULL, 0},
};

static int sort_index(const char *key)
{
	for (int i = 0; key && sorts[i].key; i++)
		if (strcmp(sorts[i].key, key) == 0)
			return i;
	return -1;
}

int findings_sort_valid(const char *key)
{
	return sort_index(key) >= 0;
}

int findings_sort_desc_default(const char *key)
{
	int i = sort_index(key);
	return i >= 0 ? sorts[i].desc : 0;
}

/* The ORDER BY of the page (without the words ORDER BY). */
static void order_by(struct vg_buf *b, const struct findings_filter *f, int by_version)
{
	int i = sort_index(f->sort);
	const char *dir;
	if (i < 0 || (strcmp(f->sort, "due") == 0 && !f->sort_desc) ||
	    (strcmp(f->sort, "new") == 0 && f->sort_desc)) {
		/* the orders the indexes of migration 0010 serve */
		int due = i >= 0 ? strcmp(f->sort, "due") == 0 : f->sort_due;
		vg_buf_adds(b, !due         ? "f.first_seen_at DESC, f.id DESC"
			       : by_version ? "f.sla_due_key + 0, f.id"
					    : "f.sla_due_key, f.id");
		return;
	}
	dir = f->sort_desc ? "DESC" : "ASC";
	vg_buf_addf(b, "%s %s, f.id %s", sorts[i].expr, dir, dir);
}

/* The CVSS vector of the highest base score among the OSV "severity"
 * entries of record (a JSON text), into *best (score *bs); the newer CVSS
 * version wins a tie. */
static void best_vector(const char *record, json_t **best, double *bs, int *bv)
{
	json_t *r = json_loads(record, 0, NULL), *x;
	size_t i;
	json_array_foreach(json_object_get(r, "severity"), i, x)
	{
		const char *t = vg_json_str(x, "type"), *v = vg_json_str(x, "score");
		struct cvss c;
		double sc;
		if (!t || !v || strncmp(t, "CVSS", 4) != 0 || cvss_parse(v, &c, NULL) != VG_OK)
			continue;
		sc = cvss_base_score(&c);
		if (sc > *bs || (sc == *bs && (int)c.version > *bv)) {
			json_decref(*best);
			*best = json_string(v);
			*bs = sc;
			*bv = (int)c.version;
		}
	}
	json_decref(r);
}

/* The CVSS vectors of the page's vulnerabilities (vuln_advisory_view, one
 * query), at most 1,000 binds. */
static int read_vectors(struct store *s, struct finding_list *l, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	json_t *byv; /* vuln id -> [vector, score, version] */
	int rc;
	if (!l->n)
		return VG_OK;
	if (!(byv = json_object()))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = page_vulns_prepare(
	    s, l, "SELECT vuln_id, record_json FROM vuln_advisory_view WHERE vuln_id IN (",
	    ") AND (withdrawn IS NULL OR withdrawn = 0)", &st, err);
	if (rc) {
		json_decref(byv);
		return rc;
	}
	while ((rc = store_step(st, err)) == STORE_ROW) {
		const char *vid = store_col_text(st, 0), *rec = store_col_text(st, 1);
		json_t *cur, *best = NULL;
		double bs = -1;
		int bv = -1;
		if (!vid || !rec)
			continue;
		cur = json_object_get(byv, vid);
		if (cur) {
			best = json_incref(json_array_get(cur, 0));
			bs = json_real_value(json_array_get(cur, 1));
			bv = (int)json_integer_value(json_array_get(cur, 2));
		}
		best_vector(rec, &best, &bs, &bv);
		if (best)
			json_object_set_new(byv, vid, json_pack("[o, f, i]", best, bs, bv));
	}
	store_finalize(st);
	rc = rc == STORE_DONE ? VG_OK : rc;
	for (size_t i = 0; !rc && i < l->n; i++) {
		const char *v =
		    json_string_value(json_array_get(json_object_get(byv, l->v[i].vuln_id), 0));
		if (v && !(l->v[i].vector = vg_arena_strdup(&l->arena, v)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	json_decref(byv);
	return rc;
}

int findings_list(struct store *s, const struct findings_filter *f, struct finding_list *out,
		  struct vg_error *err)
{
	struct vg_buf sql = VG_BUF_INIT;
	struct store_stmt *st = NULL;
	int64_t total = 0, now = vg_now();
	int64_t limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
	int by_version = f->product || f->version;
	int64_t offset = f->offset > 0 ? f->offset : 0, cap = 0;
	int rc, exact = 1;
	char sevbuf[16] = "";
	const char *sev;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->arena, 0);
	if ((rc = filter_severity(f, sevbuf, &sev, err)))
		return rc;
	if (f->sort && !findings_sort_valid(f->sort))
		return vg_error_set(err, VG_EINVAL, "sort '%s': expected " FINDINGS_SORT_KEYS,
				    f->sort);
	if (f->count_cap > 0) {
		/* at most offset + count_cap + 1 rows read: "more than" beyond */
		cap = offset + f->count_cap;
		vg_buf_adds(&sql, "SELECT COUNT(*) FROM (SELECT 1 FROM findings f ");
		findings_where(&sql, f, 0);
		vg_buf_addf(&sql, " LIMIT %lld) c", (long long)cap + 1);
	} else {
		vg_buf_adds(&sql, "SELECT COUNT(*) FROM findings f ");
		findings_where(&sql, f, 0);
	}
	rc = prepare_filtered(s, sql.data, f, sev, now, &st, err);
	if (!rc)
		rc = step_int64(st, &total, err);
	if (!rc && cap > 0 && total > cap) {
		total = cap;
		exact = 0;
	}
	vg_buf_reset(&sql);
	vg_buf_adds(&sql, "SELECT f.id, v.product, v.version, f.purl, f.vuln_id, "
			  "f.severity, f.score, f.kev, f.state, f.justification, f.assignee, "
			  "f.first_seen_at, f.updated_at, f.retracted_at, f.sla_triage_due_at AS "
			  "triage_due_at, f.sla_fix_due_at AS fix_due_at, f.sla_due_at AS due_at, "
			  "f.evidence_json FROM findings f JOIN "
			  "sbom_version_view v ON v.version_id = f.version_id ");
	findings_where(&sql, f, 1);
	/* sla_due_key: due time, none last; the index of the filter gives the
	 * order. A product's or version's few thousand findings are sorted
	 * instead (the "+ 0" keeps SQLite from walking the whole due time index
	 * in order to find them). */
	vg_buf_adds(&sql, " ORDER BY ");
	order_by(&sql, f, by_version);
	vg_buf_addf(&sql, " LIMIT %lld OFFSET %lld", (long long)limit, (long long)offset);
	if (!rc)
		rc = prepare_filtered(s, sql.data, f, sev, now, &st, err);
	vg_buf_release(&sql);
	if (!rc)
		rc = read_page(st, out, now, err);
	if (!rc)
		rc = read_aliases(s, out, err);
	if (!rc)
		rc = read_vectors(s, out, err);
	out->total = total;
	out->total_exact = exact;
	out->limit = limit;
	out->offset = offset;
	return rc;
}

/* ---- the edges ---- */

json_t *finding_to_json(const struct finding *f)
{
	json_t *o = json_object(), *aliases = json_array(), *ev = NULL;
	if (!o || !aliases) {
		json_decref(o);
		json_decref(aliases);
		return NULL;
	}
	for (size_t i = 0; i < f->n_aliases; i++)
		json_array_append_new(aliases, json_string(f->aliases[i]));
	if (f->evidence_json) {
		ev = json_loads(f->evidence_json, JSON_DECODE_ANY, NULL);
		if (!ev)
			ev = json_string(f->evidence_json);
	}
	json_object_set_new(o, "id", json_integer(f->id));
	json_object_set_new(o, "product", vg_json_text(f->product));
	json_object_set_new(o, "version", vg_json_text(f->version));
	json_object_set_new(o, "purl", vg_json_text(f->purl));
	json_object_set_new(o, "vuln_id", vg_json_text(f->vuln_id));
	json_object_set_new(o, "severity", vg_json_text(f->severity));
	json_object_set_new(o, "score", vg_json_text(f->score));
	json_object_set_new(o, "cvss_vector", vg_json_text(f->vector));
	json_object_set_new(o, "kev", json_boolean(f->kev));
	json_object_set_new(o, "state", vg_json_text(f->state));
	json_object_set_new(o, "justification", vg_json_text(f->justification));
	json_object_set_new(o, "assignee", vg_json_text(f->assignee));
	json_object_set_new(o, "first_seen_at", vg_json_time(f->first_seen_at));
	json_object_set_new(o, "updated_at", vg_json_time(f->updated_at));
	json_object_set_new(o, "retracted_at", vg_json_time(f->retracted_at));
	json_object_set_new(o, "triage_due_at", vg_json_time(f->triage_due_at));
	json_object_set_new(o, "fix_due_at", vg_json_time(f->fix_due_at));
	json_object_set_new(o, "due_at", vg_json_time(f->due_at));
	json_object_set_new(o, "evidence", ev ? ev : json_null());
	json_object_set_new(o, "aliases", aliases);
	json_object_set_new(o, "exploited", json_boolean(f->kev));
	json_object_set_new(o, "overdue", json_boolean(f->overdue));
	return o;
}

json_t *finding_list_to_json(const struct finding_list *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < l->n; i++) {
		json_t *o = finding_to_json(&l->v[i]);
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			return NULL;
		}
	}
	if (!arr)
		return NULL;
	return json_pack("{s:o, s:I, s:b, s:I, s:I}", "findings", arr, "total",
			 (json_int_t)l->total, "total_exact", l->total_exact, "limit",
			 (json_int_t)l->limit, "offset", (json_int_t)l->offset);
}

json_t *finding_counts_to_json(const struct finding_counts *c)
{
	json_t *o = json_object();
	for (int k = 0; o && k < FINDING_N_STATES; k++)
		json_object_set_new(o, finding_states[k], json_integer(c->n[k]));
	return o;
}
