/*
 * home_data.c - the psirt room's reads for the home page (home_data.h):
 * running Article 14 clocks and owed acknowledgements, soonest first.
 */
#include "psirt/home_data.h"

#include "core/error.h"
#include "store/reader.h"
#include "store/store.h"

#include "core/banned.h"

static int64_t clamp_limit(int64_t limit)
{
	return limit < 1 ? 1 : limit > 1000 ? 1000 : limit;
}

int psirt_home_clocks(struct store *s, int64_t limit, struct vg_arena *mem,
		      struct psirt_clock_list *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	out->total = 0;
	rc = store_query_int64(s, &out->total, err,
			       "SELECT COUNT(*) FROM art14_obligations WHERE submitted_at IS NULL "
			       "AND due_at IS NOT NULL",
			       NULL);
	if (rc)
		return rc;
	rc = store_prepare(s,
			   "SELECT o.exposure_id, e.case_id, e.kind, e.title, o.stage, e.finding, "
			   "e.vuln_id, COALESCE(e.product, c.product), o.starts_at, o.due_at, "
			   "c.assignee, (SELECT MAX(d.version) FROM art14_drafts d WHERE "
			   "d.exposure_id = o.exposure_id AND d.stage = o.stage), (SELECT COUNT(*) "
			   "FROM art14_approvals a JOIN art14_drafts d ON d.id = a.draft_id WHERE "
			   "d.exposure_id = o.exposure_id AND d.stage = o.stage AND d.version = "
			   "(SELECT MAX(d2.version) FROM art14_drafts d2 WHERE d2.exposure_id = "
			   "o.exposure_id AND d2.stage = o.stage)) FROM "
			   "art14_obligations o JOIN art14_exposures e ON e.id = o.exposure_id "
			   "LEFT JOIN psirt_cases c ON c.id = e.case_id WHERE o.submitted_at IS "
			   "NULL AND o.due_at IS NOT NULL ORDER BY o.due_at, o.exposure_id, o.id "
			   "LIMIT ?",
			   &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, clamp_limit(limit));
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct psirt_clock *c;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		c = &out->v[out->n++];
		c->exposure_id = store_reader_int(&r, 0, 0);
		c->case_id = store_reader_int(&r, 1, 0);
		c->kind = store_reader_str(&r, 2);
		c->title = store_reader_str(&r, 3);
		c->stage = store_reader_str(&r, 4);
		c->finding = store_reader_str(&r, 5);
		c->vuln_id = store_reader_str(&r, 6);
		c->product = store_reader_str(&r, 7);
		c->starts_at = store_reader_int(&r, 8, 0);
		c->due_at = store_reader_int(&r, 9, 0);
		c->assignee = store_reader_str(&r, 10);
		c->draft_version = store_reader_int(&r, 11, 0);
		c->approvals = store_reader_int(&r, 12, 0);
	}
	return store_reader_done(&r, rc, err);
}

int psirt_home_acks(struct store *s, int64_t limit, struct vg_arena *mem,
		    struct psirt_ack_list *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	out->total = 0;
	rc = store_query_int64(s, &out->total, err,
			       "SELECT COUNT(*) FROM psirt_cases WHERE acknowledged_at IS NULL AND "
			       "closed_at IS NULL AND state = 'received'",
			       NULL);
	if (rc)
		return rc;
	rc = store_prepare(s,
			   "SELECT id, title, product, assignee, received_at, ack_due_at FROM "
			   "psirt_cases WHERE acknowledged_at IS NULL AND closed_at IS NULL AND "
			   "state = 'received' ORDER BY ack_due_at, id LIMIT ?",
			   &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, clamp_limit(limit));
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct psirt_ack_due *a;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		a = &out->v[out->n++];
		a->case_id = store_reader_int(&r, 0, 0);
		a->title = store_reader_str(&r, 1);
		a->product = store_reader_str(&r, 2);
		a->assignee = store_reader_str(&r, 3);
		a->received_at = store_reader_int(&r, 4, 0);
		a->ack_due_at = store_reader_int(&r, 5, 0);
	}
	return store_reader_done(&r, rc, err);
}
