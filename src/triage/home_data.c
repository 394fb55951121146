/*
 * home_data.c - the triage room's reads for the home page's portfolio
 * charts (home_data.h). Each is one grouped pass over the findings.
 */
#include "triage/home_data.h"

#include "core/clock.h"
#include "core/error.h"
#include "store/reader.h"
#include "store/store.h"

#include <string.h>

#include "core/banned.h"

#define OPEN_STATES "('new', 'in_triage', 'affected', 'in_remediation')"

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int triage_home_mttr(struct store *s, int days, int64_t limit, struct vg_arena *mem,
		     struct triage_mttr_list *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int64_t since = vg_now() - clamp(days, 1, 366) * 86400;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(
	    s,
	    "SELECT v.product, COUNT(*), CAST(AVG(f.closed_at - f.first_seen_at) AS "
	    "BIGINT) AS mean FROM findings f JOIN sbom_version_view v ON v.version_id "
	    "= f.version_id WHERE f.state = 'fixed' AND f.closed_at IS NOT NULL AND "
	    "f.closed_at >= ? GROUP BY v.product ORDER BY 3 DESC, 1 LIMIT ?",
	    &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, since);
	store_bind_int64(r.st, 2, clamp(limit, 1, 100));
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct triage_mttr *m;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		m = &out->v[out->n++];
		m->product = store_reader_str(&r, 0);
		m->fixed = store_reader_int(&r, 1, 0);
		m->mean_seconds = store_reader_int(&r, 2, 0);
	}
	return store_reader_done(&r, rc, err);
}

int triage_home_exposed(struct store *s, int64_t limit, struct vg_arena *mem,
			struct triage_exposed_list *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(
	    s,
	    "SELECT v.product, SUM(CASE WHEN f.kev <> 0 THEN 1 ELSE 0 END) AS kev, "
	    "SUM(CASE WHEN f.severity = 'critical' THEN 1 ELSE 0 END) AS critical, "
	    "SUM(CASE WHEN f.severity = 'high' THEN 1 ELSE 0 END) AS high, "
	    "SUM(CASE WHEN f.severity = 'medium' THEN 1 ELSE 0 END) AS medium, "
	    "SUM(CASE WHEN f.severity = 'low' THEN 1 ELSE 0 END) AS low, "
	    "SUM(CASE WHEN f.severity IS NULL OR f.severity NOT IN ('critical', 'high', "
	    "'medium', 'low') THEN 1 ELSE 0 END) AS other, COUNT(*) AS total FROM findings f "
	    "JOIN sbom_version_view v ON v.version_id = f.version_id WHERE f.retracted_at IS "
	    "NULL AND f.state IN " OPEN_STATES " GROUP BY v.product ORDER BY 2 DESC, 3 DESC, "
	    "4 DESC, 8 DESC, 1 LIMIT ?",
	    &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, clamp(limit, 1, 100));
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct triage_exposed *e;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		e = &out->v[out->n++];
		e->product = store_reader_str(&r, 0);
		e->kev = store_reader_int(&r, 1, 0);
		e->critical = store_reader_int(&r, 2, 0);
		e->high = store_reader_int(&r, 3, 0);
		e->medium = store_reader_int(&r, 4, 0);
		e->low = store_reader_int(&r, 5, 0);
		e->none = store_reader_int(&r, 6, 0);
		e->total = store_reader_int(&r, 7, 0);
	}
	return store_reader_done(&r, rc, err);
}

int triage_home_burndown(struct store *s, int64_t now, struct triage_burndown *out,
			 struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int64_t today = now - now % 86400;
	int rc;

	memset(out, 0, sizeof(*out));
	out->now = now;
	/* bucket -2: no policy, -1: overdue, i >= 0: due on day i */
	rc =
	    store_prepare(s,
			  "SELECT CASE WHEN sla_due_at IS NULL THEN -2 WHEN sla_due_at < ? THEN -1 "
			  "ELSE (sla_due_at - ?) / 86400 END AS bucket, COUNT(*) FROM findings "
			  "WHERE retracted_at IS NULL AND state IN " OPEN_STATES " GROUP BY 1",
			  &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, now);
	store_bind_int64(st, 2, today);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int64_t b = store_col_int64_or(st, 0, -2), n = store_col_int64_or(st, 1, 0);
		if (b == -2)
			out->nodue += n;
		else if (b < 0)
			out->overdue += n;
		else if (b < TRIAGE_BURN_DAYS)
			out->day[b] += n;
		else
			out->later += n;
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}
