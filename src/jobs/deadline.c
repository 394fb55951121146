/*
 * deadline.c - the one deadline engine: thresholds, the fired set
 * (deadline_fired), the firing transaction and the events after it. The
 * contract is in deadline.h.
 */
#include "jobs/deadline.h"
#include "core/error.h"
#include "core/events.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int clock_ok(const struct deadline_clock *c)
{
	return c && c->name && c->thresholds && c->nthresholds > 0 &&
	       c->nthresholds <= DEADLINE_MAX_THRESHOLDS && c->record;
}

int64_t deadline_threshold_at(const struct deadline_clock *c, int i, int64_t starts_at,
			      int64_t due_at)
{
	const struct deadline_threshold *t = &c->thresholds[i];
	int64_t share = (due_at - starts_at) * t->permille / 1000;

	if (t->anchor == DEADLINE_BEFORE_DUE)
		return due_at - share + t->offset;
	return starts_at + share + t->offset;
}

unsigned deadline_due(const struct deadline_clock *c, int64_t starts_at, int64_t due_at,
		      int64_t now)
{
	unsigned bits = 0;
	int last = -1;

	if (!c || due_at <= 0)
		return 0;
	for (int i = 0; i < c->nthresholds && i < DEADLINE_MAX_THRESHOLDS; i++)
		if (now >= deadline_threshold_at(c, i, starts_at, due_at)) {
			bits |= 1u << i;
			last = i;
		}
	if ((c->flags & DEADLINE_LATEST_ONLY) && last >= 0)
		bits = 1u << last;
	return bits;
}

int deadline_threshold_index(const struct deadline_clock *c, const char *name)
{
	for (int i = 0; name && i < c->nthresholds; i++)
		if (strcmp(c->thresholds[i].name, name) == 0)
			return i;
	return -1;
}

/* The fired marks of (clock, subject, due) as bits, on a prepared statement. */
static int read_fired(struct store_stmt *st, const struct deadline_clock *c, int64_t subject,
		      int64_t due, unsigned *mask, struct vg_error *err)
{
	int rc;

	*mask = 0;
	store_reset(st);
	store_bind_text(st, 1, c->name);
	store_bind_int64(st, 2, subject);
	store_bind_int64(st, 3, due);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int i = deadline_threshold_index(c, store_col_text(st, 0));
		if (i >= 0)
			*mask |= 1u << i;
	}
	return rc == STORE_DONE ? VG_OK : rc;
}

#define SQL_FIRED                                                                          \
	"SELECT threshold FROM deadline_fired WHERE clock = ? AND subject = ? AND due_at " \
	"= ?"

int deadline_fired(struct store *s, const struct deadline_clock *c, int64_t subject, int64_t due_at,
		   unsigned *mask, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	*mask = 0;
	if (!clock_ok(c))
		return vg_error_set(err, VG_EINVAL, "deadline: a clock without name or thresholds");
	rc = store_prepare(s, SQL_FIRED, &st, err);
	if (!rc)
		rc = read_fired(st, c, subject, due_at, mask, err);
	store_finalize(st);
	return rc;
}

int deadline_forget(struct store *s, const struct deadline_clock *c, int64_t subject,
		    struct vg_error *err)
{
	if (!clock_ok(c))
		return vg_error_set(err, VG_EINVAL, "deadline: a clock without name or thresholds");
	return store_exec(s, err, "DELETE FROM deadline_fired WHERE clock = ? AND subject = ?",
			  "ti", c->name, subject);
}

static const struct deadline_clock *item_clock(const struct deadline_clock *c,
					       const struct deadline_item *it)
{
	return it->clock ? it->clock : c;
}

/* Steps 1 and 2: what is due and not yet fired, into want[i]. *any set when
 * something is left. */
static int select_due(struct store *s, const struct deadline_clock *c, struct deadline_item *items,
		      size_t n, unsigned *want, int64_t now, int *any, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = VG_OK;

	*any = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct deadline_clock *ic = item_clock(c, &items[i]);
		unsigned have = 0;

		items[i].fired = 0;
		want[i] = 0;
		if (!clock_ok(ic)) {
			rc = vg_error_set(err, VG_EINVAL,
					  "deadline: a clock without name, thresholds or record");
			break;
		}
		want[i] = deadline_due(ic, items[i].starts_at, items[i].due_at, now);
		if (!want[i])
			continue;
		if (!st && (rc = store_prepare(s, SQL_FIRED, &st, err)))
			break;
		rc = read_fired(st, ic, items[i].subject, items[i].due_at, &have, err);
		want[i] &= ~have;
		if (want[i])
			*any = 1;
	}
	store_finalize(st);
	return rc;
}

/* Step 3: claim want[] in one transaction with the records; *fired set when
 * something was claimed (then the transaction is committed). */
static int claim(struct store *s, const struct deadline_clock *c, struct deadline_item *items,
		 size_t n, const unsigned *want, int64_t now, void *arg, int *fired,
		 struct vg_error *err)
{
	struct store_stmt *ins = NULL;
	int rc;

	*fired = 0;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_prepare(
	    s,
	    "INSERT INTO deadline_fired (clock, subject, due_at, threshold, fired_at) "
	    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
	    &ins, err);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct deadline_clock *ic = item_clock(c, &items[i]);

		for (int t = 0; t < ic->nthresholds && !rc; t++) {
			if (!(want[i] & (1u << t)))
				continue;
			store_reset(ins);
			store_bind_text(ins, 1, ic->name);
			store_bind_int64(ins, 2, items[i].subject);
			store_bind_int64(ins, 3, items[i].due_at);
			store_bind_text(ins, 4, ic->thresholds[t].name);
			store_bind_int64(ins, 5, now);
			rc = store_step(ins, err);
			if (rc == STORE_DONE) {
				rc = VG_OK;
				/* no row: another tick or server claimed it first */
				if (store_changes(ins) > 0)
					items[i].fired |= 1u << t;
			}
		}
		if (!rc && items[i].fired) {
			*fired = 1;
			rc = ic->record(s, ic, &items[i], now, arg, err);
		}
	}
	store_finalize(ins);
	if (rc || !*fired) {
		/* nothing new (lost every claim): nothing to record */
		store_tx_rollback(s);
		*fired = 0;
		for (size_t i = 0; i < n; i++)
			items[i].fired = 0;
		return rc;
	}
	rc = store_tx_commit(s, err);
	if (rc) {
		*fired = 0;
		for (size_t i = 0; i < n; i++)
			items[i].fired = 0;
	}
	return rc;
}

/* Step 4: the events, after the commit. */
static void emit(struct store *s, const struct deadline_clock *c, struct deadline_item *items,
		 size_t n, int64_t now, void *arg, struct deadline_stats *stats)
{
	for (size_t i = 0; i < n; i++) {
		const struct deadline_clock *ic = item_clock(c, &items[i]);

		for (int t = 0; t < ic->nthresholds; t++) {
			const char *name = NULL;
			json_t *p;

			if (!(items[i].fired & (1u << t)))
				continue;
			if (stats) {
				stats->fired++;
				stats->by_threshold[t]++;
			}
			if (!ic->event)
				continue;
			p = ic->event(ic, &items[i], t, now, &name, arg);
			if (p && name)
				vg_event_emit(s, name, p);
			json_decref(p);
		}
	}
}

int deadline_fire(struct store *s, const struct deadline_clock *c, struct deadline_item *items,
		  size_t n, int64_t now, void *arg, struct deadline_stats *stats,
		  struct vg_error *err)
{
	unsigned *want;
	int rc, any = 0, fired = 0;

	if (n == 0)
		return VG_OK;
	if (store_in_tx(s))
		return vg_error_set(err, VG_ESTATE,
				    "deadline %s: a tick opens its own transaction, not inside "
				    "another",
				    c && c->name ? c->name : "?");
	want = calloc(n, sizeof(*want));
	if (!want)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = select_due(s, c, items, n, want, now, &any, err);
	if (!rc && any)
		rc = claim(s, c, items, n, want, now, arg, &fired, err);
	if (!rc && fired)
		emit(s, c, items, n, now, arg, stats);
	free(want);
	return rc;
}

int deadline_batch_add(struct deadline_batch *b, const struct deadline_clock *clock,
		       int64_t subject, int64_t starts_at, int64_t due_at, void *row)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct deadline_item *p = realloc(b->items, cap * sizeof(*p));
		if (!p) {
			const struct deadline_clock *c = clock ? clock : b->clock;
			if (c && c->row_free && row)
				c->row_free(row);
			return VG_ENOMEM;
		}
		b->items = p;
		b->cap = cap;
	}
	b->items[b->n++] = (struct deadline_item){.clock = clock,
						  .subject = subject,
						  .starts_at = starts_at,
						  .due_at = due_at,
						  .row = row};
	return VG_OK;
}

static void batch_clear(struct deadline_batch *b, const struct deadline_clock *c)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct deadline_clock *ic = item_clock(c, &b->items[i]);
		if (ic && ic->row_free && b->items[i].row)
			ic->row_free(b->items[i].row);
	}
	b->n = 0;
}

int deadline_tick(struct store *s, const struct deadline_clock *c, deadline_fetch_fn fetch,
		  void *arg, int64_t now, struct deadline_stats *stats, struct vg_error *err)
{
	struct deadline_batch b = {.clock = c};
	int64_t after = 0;
	int rc = VG_OK, more = 1;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	while (more && !rc) {
		rc = fetch(s, after, now, DEADLINE_BATCH, &b, arg, err);
		if (!rc) {
			int64_t was = after;
			more = b.n >= DEADLINE_BATCH;
			for (size_t i = 0; i < b.n; i++)
				if (b.items[i].subject > after)
					after = b.items[i].subject;
			rc = deadline_fire(s, c, b.items, b.n, now, arg, stats, err);
			if (!rc && more && after == was)
				rc = vg_error_set(
				    err, VG_EINTERNAL,
				    "deadline %s: the candidate query did not move past "
				    "subject %lld",
				    c->name, (long long)after);
		}
		batch_clear(&b, c);
	}
	free(b.items);
	return rc;
}
