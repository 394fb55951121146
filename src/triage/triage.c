/*
 * triage.c - finding states, assignment, comments, carried-over decisions
 * and the SLA clock (see triage.h for the rules).
 */
#define _POSIX_C_SOURCE 200809L
#include "triage/triage.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/events.h"
#include "core/log.h"
#include "jobs/deadline.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "triage/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define COMMENT_MAX 4000

static const char *const states[] = {"new",   "in_triage",    "affected",       "in_remediation",
				     "fixed", "not_affected", "false_positive", NULL};
static const char *const justifications[] = {"component_not_present",
					     "vulnerable_code_not_present",
					     "vulnerable_code_not_in_execute_path",
					     "vulnerable_code_cannot_be_controlled_by_adversary",
					     "inline_mitigations_already_exist",
					     NULL};

static int in_list(const char *const *l, const char *s)
{
	for (; s && *l; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

int triage_state_valid(const char *s)
{
	return in_list(states, s);
}

int triage_justification_valid(const char *j)
{
	return in_list(justifications, j);
}

int triage_state_closed(const char *s)
{
	return s && (strcmp(s, "fixed") == 0 || strcmp(s, "not_affected") == 0 ||
		     strcmp(s, "false_positive") == 0);
}

static int is_decision(const char *s)
{
	return s && (strcmp(s, "not_affected") == 0 || strcmp(s, "false_positive") == 0);
}

int triage_transition_ok(const char *from, const char *to)
{
	static const struct {
		const char *from, *to;
	} edges[] = {
	    {"new", "in_triage"},           {"in_triage", "affected"},
	    {"in_triage", "not_affected"},  {"in_triage", "false_positive"},
	    {"affected", "in_remediation"}, {"in_remediation", "fixed"},
	};
	if (!triage_state_valid(from) || !triage_state_valid(to))
		return 0;
	if (strcmp(to, "in_triage") == 0)
		return strcmp(from, "in_triage") != 0;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		if (strcmp(edges[i].from, from) == 0 && strcmp(edges[i].to, to) == 0)
			return 1;
	return 0;
}

const char *triage_allowed(const char *from, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const char *const *s = states; *s; s++) {
		if (!triage_transition_ok(from, *s))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", *s);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	if (!buf[0])
		snprintf(buf, n, "none");
	return buf;
}

void triage_purl_package(const char *purl, char *out, size_t n)
{
	size_t len = strcspn(purl ? purl : "", "?#");
	const char *at = NULL;
	for (size_t i = 0; i < len; i++)
		if (purl[i] == '@')
			at = purl + i;
	/* An '@' in the namespace (unencoded npm scope) comes before the last '/'. */
	if (at && memchr(at, '/', len - (size_t)(at - purl)))
		at = NULL;
	if (at)
		len = (size_t)(at - purl);
	if (len >= n)
		len = n - 1;
	memcpy(out, purl ? purl : "", len);
	out[len] = '\0';
}

/* ---- one finding ---- */

static const char finding_sql[] =
    "SELECT f.id, f.state, f.justification, f.assignee, f.version_id, v.product_id, "
    "f.vuln_id, f.purl, f.evidence_json AS evidence, f.retracted_at AS retracted, v.product, "
    "v.version FROM findings f JOIN sbom_version_view v ON v.version_id = "
    "f.version_id WHERE f.id = ?";

static int load_finding(struct store *s, int64_t id, json_t **out, struct vg_error *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(s, &rows, err, finding_sql, "i", id);
	if (rc)
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return vg_error_set(err, VG_ENOTFOUND, "finding %lld not found", (long long)id);
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return VG_OK;
}

static json_t *snapshot(const char *state, const char *just, const char *assignee)
{
	return json_pack("{s:s, s:s?, s:s?}", "state", state, "justification", just, "assignee",
			 assignee);
}

static int add_comment(struct store *s, int64_t id, const char *text, int64_t now,
		       struct vg_error *err)
{
	return store_exec(s, err,
			  "INSERT INTO finding_comments (finding_id, actor, body, created_at) "
			  "VALUES (?, ?, ?, ?)",
			  "itti", id, store_actor(s), text, now);
}

static int put_decision(struct store *s, const json_t *f, const char *state, const char *just,
			const char *scope, int64_t now, struct vg_error *err)
{
	char pkg[1024];
	int64_t vid = json_integer_value(json_object_get(f, "version_id"));
	int rc;
	triage_purl_package(vg_json_str(f, "purl"), pkg, sizeof(pkg));
	rc = store_exec(s, err,
			"DELETE FROM triage_decisions WHERE version_id = ? AND vuln_id = ? AND "
			"package = ?",
			"itt", vid, vg_json_str(f, "vuln_id"), pkg);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "INSERT INTO triage_decisions (product_id, version_id, vuln_id, "
		    "package, purl, evidence_json, state, justification, scope, "
		    "finding_id, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		    "?, ?, ?, ?)",
		    "iitttttttiti", (int64_t)json_integer_value(json_object_get(f, "product_id")),
		    vid, vg_json_str(f, "vuln_id"), pkg, vg_json_str(f, "purl"),
		    vg_json_str(f, "evidence"), state, just, scope ? scope : "version",
		    (int64_t)json_integer_value(json_object_get(f, "id")), store_actor(s), now);
	return rc;
}

/*
 * Write a new state (or the same one) for finding f, inside a transaction,
 * with its comment and audit record. No transition check: callers decide.
 */
static int write_change(struct store *s, const json_t *f, const char *state, const char *just,
			const char *assignee, const char *comment, const char *scope,
			const char *action, int64_t now, struct vg_error *err)
{
	int64_t id = json_integer_value(json_object_get(f, "id"));
	const char *old = vg_json_str(f, "state");
	int changed = strcmp(old, state) != 0;
	json_t *before, *after;
	char oid[32];
	int rc;

	if (changed)
		rc = store_exec(s, err,
				"UPDATE findings SET state = ?, justification = ?, assignee = ?, "
				"state_changed_at = ?, closed_at = ?, updated_at = ? WHERE id = ?",
				"tttiiii", state, just, assignee, now,
				triage_state_closed(state) ? now : (int64_t)0, now, id);
	else
		rc = store_exec(
		    s, err,
		    "UPDATE findings SET justification = ?, assignee = ?, updated_at = ? "
		    "WHERE id = ?",
		    "ttii", just, assignee, now, id);
	/* closed_at 0 means "not closed": stored as NULL. */
	if (!rc && changed && !triage_state_closed(state))
		rc = store_exec(s, err, "UPDATE findings SET closed_at = NULL WHERE id = ?", "i",
				id);
	if (!rc && changed)
		rc = findings_due_sync_id(s, id, err);
	if (!rc && comment && *comment)
		rc = add_comment(s, id, comment, now, err);
	if (!rc) {
		if (is_decision(state))
			rc = put_decision(s, f, state, just, scope, now, err);
		else if (is_decision(old))
			rc = store_exec(s, err, "DELETE FROM triage_decisions WHERE finding_id = ?",
					"i", id);
	}
	if (rc)
		return rc;
	before = snapshot(old, vg_json_str(f, "justification"), vg_json_str(f, "assignee"));
	after = snapshot(state, just, assignee);
	if (comment && *comment)
		json_object_set_new(after, "comment", json_string(comment));
	if (scope && is_decision(state))
		json_object_set_new(after, "scope", json_string(scope));
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	rc = store_audit(s, action, "finding", oid, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

int triage_set_in_tx(struct store *s, int64_t id, const char *state, const char *just,
		     const char *comment, const char *action, int *changed, struct vg_error *err)
{
	json_t *f = NULL;
	const char *old_j;
	int rc = load_finding(s, id, &f, err);
	*changed = 0;
	if (rc)
		return rc;
	old_j = vg_json_str(f, "justification");
	/* VEX states are coarser: "under investigation" is already true of a
	 * new finding, "affected" of one in remediation. */
	if ((strcmp(state, "in_triage") == 0 && strcmp(vg_json_str(f, "state"), "new") == 0) ||
	    (strcmp(state, "affected") == 0 &&
	     strcmp(vg_json_str(f, "state"), "in_remediation") == 0)) {
		json_decref(f);
		return VG_OK;
	}
	if (strcmp(vg_json_str(f, "state"), state) != 0 ||
	    (just ? !old_j || strcmp(just, old_j) != 0 : old_j != NULL)) {
		rc = write_change(s, f, state, just, vg_json_str(f, "assignee"), comment, NULL,
				  action, vg_now(), err);
		*changed = 1;
	}
	json_decref(f);
	return rc;
}

/* An assignee must be a user allowed to act on findings (admin, psirt). */
static int check_user(struct store *s, const char *name, struct vg_error *err)
{
	int exists = 0, writer = 0;
	char **names = NULL;
	size_t n = 0;
	int rc = auth_user_exists(s, name, &exists, err);
	if (rc)
		return rc;
	if (!exists)
		return vg_error_set(err, VG_EINVAL,
				    "assignee '%s': no such user (see vigil user list)", name);
	if ((rc = auth_user_names_role(s, ROLE_ADMIN | ROLE_PSIRT, &names, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !writer; i++)
		writer = strcmp(names[i], name) == 0;
	auth_names_free(names, n);
	return writer ? VG_OK
		      : vg_error_set(err, VG_EINVAL,
				     "assignee '%s': may not triage findings (only admin and psirt "
				     "users may)",
				     name);
}

/* Sort and drop repeated ids in place; the new count. */
static size_t unique_ids(int64_t *v, size_t n)
{
	size_t k = 0;
	/* insertion sort: bulk lists are a few thousand at most */
	for (size_t i = 1; i < n; i++) {
		int64_t x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

int64_t triage_bulk_max(void)
{
	int64_t m = vg_config_int("triage.bulk_max", 10000);
	return m >= 1 ? m : 10000;
}

static int validate_change(const struct triage_change *c, struct vg_error *err)
{
	if (c->state && !triage_state_valid(c->state))
		return vg_error_set(
		    err, VG_EINVAL,
		    "state '%s': expected new, in_triage, affected, in_remediation, "
		    "fixed, not_affected or false_positive",
		    c->state);
	if (c->justification && !triage_justification_valid(c->justification))
		return vg_error_set(
		    err, VG_EINVAL,
		    "justification '%s': expected component_not_present, "
		    "vulnerable_code_not_present, vulnerable_code_not_in_execute_path, "
		    "vulnerable_code_cannot_be_controlled_by_adversary or "
		    "inline_mitigations_already_exist",
		    c->justification);
	if (c->justification && (!c->state || strcmp(c->state, "not_affected") != 0))
		return vg_error_set(err, VG_EINVAL,
				    "a justification goes with state not_affected only");
	if (c->state && strcmp(c->state, "not_affected") == 0 && !c->justification)
		return vg_error_set(
		    err, VG_EINVAL,
		    "state not_affected needs a justification: component_not_present, "
		    "vulnerable_code_not_present, vulnerable_code_not_in_execute_path, "
		    "vulnerable_code_cannot_be_controlled_by_adversary or "
		    "inline_mitigations_already_exist");
	if (c->scope && strcmp(c->scope, "version") != 0 && strcmp(c->scope, "product") != 0)
		return vg_error_set(err, VG_EINVAL, "scope '%s': expected version or product",
				    c->scope);
	if (c->comment && strlen(c->comment) > COMMENT_MAX)
		return vg_error_set(err, VG_ETOOBIG, "comment: at most %d bytes", COMMENT_MAX);
	if (!c->state && !c->assignee && !(c->comment && *c->comment))
		return vg_error_set(err, VG_EINVAL,
				    "nothing to change: give a state, an assignee "
				    "or a comment");
	return VG_OK;
}

static int apply_one(struct store *s, int64_t id, const struct triage_change *c, int64_t now,
		     struct vg_error *err)
{
	json_t *f = NULL;
	const char *state, *just, *assignee, *action = c->action;
	int rc = load_finding(s, id, &f, err);
	if (rc)
		return rc;
	state = vg_json_str(f, "state");
	if (c->state && !triage_transition_ok(state, c->state)) {
		char allowed[200];
		rc = vg_error_set(err, VG_ESTATE,
				  "finding %lld: %s -> %s is not allowed; allowed from %s: %s",
				  (long long)id, state, c->state, state,
				  triage_allowed(state, allowed, sizeof(allowed)));
		goto out;
	}
	if (c->state)
		state = c->state;
	just = strcmp(state, "not_affected") == 0
		   ? (c->justification ? c->justification : vg_json_str(f, "justification"))
		   : NULL;
	assignee = c->assignee ? (*c->assignee ? c->assignee : NULL) : vg_json_str(f, "assignee");
	if (!action)
		action = c->state      ? "finding.triage"
			 : c->assignee ? "finding.assign"
				       : "finding.comment";
	rc = write_change(s, f, state, just, assignee, c->comment, c->scope, action, now, err);
out:
	json_decref(f);
	return rc;
}

int triage_apply_ids(struct store *s, const int64_t *ids, size_t n_ids,
		     const struct triage_change *c, int64_t *count, struct vg_error *err)
{
	int64_t now = vg_now(), n = 0, *v = NULL;
	int rc = validate_change(c, err);
	if (!rc && c->assignee && *c->assignee)
		rc = check_user(s, c->assignee, err);
	if (rc)
		return rc;
	if (n_ids == 0)
		return vg_error_set(err, VG_EINVAL, "ids: expected at least one finding id");
	if ((int64_t)n_ids > triage_bulk_max())
		return vg_error_set(
		    err, VG_ETOOBIG,
		    "%zu findings: one change takes at most %lld (triage.bulk_max); "
		    "narrow the filter",
		    n_ids, (long long)triage_bulk_max());
	if (!(v = malloc(n_ids * sizeof(*v))))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	memcpy(v, ids, n_ids * sizeof(*v));
	n_ids = unique_ids(v, n_ids);
	if ((rc = store_tx_begin(s, err))) {
		free(v);
		return rc;
	}
	for (size_t i = 0; i < n_ids; i++) {
		if ((rc = apply_one(s, v[i], c, now, err)))
			break;
		n++;
	}
	free(v);
	if (!rc)
		rc = store_tx_commit(s, err);
	else
		store_tx_rollback(s);
	if (!rc && count)
		*count = n;
	return rc;
}

int triage_change_check(struct store *s, const struct triage_change *c, struct vg_error *err)
{
	int rc = validate_change(c, err);
	if (!rc && c->assignee && *c->assignee)
		rc = check_user(s, c->assignee, err);
	return rc;
}

int triage_bulk_blocked(struct store *s, const int64_t *ids, size_t n_ids,
			const struct triage_change *c, int64_t *blocked, int64_t *first,
			char *first_state, size_t fsz, struct vg_error *err)
{
	size_t at = 0;
	int rc = VG_OK;
	*blocked = 0;
	*first = 0;
	if (fsz)
		first_state[0] = '\0';
	if (!c->state)
		return VG_OK;
	while (at < n_ids && !rc) {
		size_t k = n_ids - at > 500 ? 500 : n_ids - at;
		struct vg_buf sql = VG_BUF_INIT;
		struct store_stmt *st = NULL;
		vg_buf_adds(&sql, "SELECT id, state FROM findings WHERE id IN (");
		for (size_t i = 0; i < k; i++)
			vg_buf_adds(&sql, i ? ",?" : "?");
		vg_buf_adds(&sql, ") ORDER BY id");
		rc = store_prepare(s, sql.data, &st, err);
		vg_buf_release(&sql);
		if (rc)
			break;
		for (size_t i = 0; i < k; i++)
			store_bind_int64(st, (int)i + 1, ids[at + i]);
		while ((rc = store_step(st, err)) == STORE_ROW) {
			const char *from = store_col_text(st, 1);
			if (from && !triage_transition_ok(from, c->state)) {
				if (!*blocked) {
					*first = store_col_int64(st, 0);
					if (fsz)
						snprintf(first_state, fsz, "%s", from);
				}
				(*blocked)++;
			}
		}
		store_finalize(st);
		rc = rc == STORE_DONE ? VG_OK : rc;
		at += k;
	}
	return rc;
}

int triage_apply(struct store *s, int64_t id, const struct triage_change *c, struct vg_error *err)
{
	return triage_apply_ids(s, &id, 1, c, NULL, err);
}

int triage_apply_bulk(struct store *s, const struct findings_filter *f,
		      const struct triage_change *c, int64_t *count, struct vg_error *err)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = validate_change(c, err);
	if (!rc)
		rc = findings_ids(s, f, &ids, &n, err);
	if (!rc && n == 0)
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "filter: no finding matches it; nothing changed");
	if (!rc)
		rc = triage_apply_ids(s, ids, n, c, count, err);
	free(ids);
	return rc;
}

void finding_detail_release(struct finding_detail *d)
{
	json_decref(d->history);
	d->history = NULL;
	vg_arena_release(&d->arena);
}

/* The published releases that fix d's vulnerability on another version of
 * its product (table triage_fix_releases, release_fix.c), oldest first. */
static int fix_releases(struct store *s, struct finding_detail *d, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc, oom = 0;

	rc = store_prepare(
	    s,
	    "SELECT r.release_id, r.version, r.vuln_id, r.published_at FROM "
	    "triage_fix_releases r JOIN findings f ON f.id = ? JOIN "
	    "sbom_version_view v ON v.version_id = f.version_id WHERE r.product = "
	    "v.product AND r.version_id <> f.version_id AND (r.vuln_id = f.vuln_id OR "
	    "EXISTS (SELECT 1 FROM vuln_alias_view a WHERE a.vuln_id = f.vuln_id AND "
	    "a.alias = r.vuln_id)) ORDER BY r.published_at, r.release_id",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, d->f.id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct finding_fix_release *x;
		x = vg_arena_grow(&d->arena, d->fix_releases, d->n_fix_releases, &cap, sizeof(*x),
				  4);
		if (!x) {
			oom = 1;
			break;
		}
		d->fix_releases = x;
		x = &d->fix_releases[d->n_fix_releases++];
		x->release_id = store_col_int64(st, 0);
		x->version = store_col_adup(st, 1, &d->arena, &oom);
		x->fixes = store_col_adup(st, 2, &d->arena, &oom);
		x->published_at = store_col_int64_or(st, 3, 0);
		if (oom)
			break;
	}
	store_finalize(st);
	if (oom)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc == STORE_DONE ? VG_OK : rc;
}

int triage_finding_get(struct store *s, int64_t id, struct finding_detail *out,
		       struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct audit_filter af = {0};
	struct finding *f = &out->f;
	char oid[32];
	size_t cap = 0;
	int rc, oom = 0, k = 0;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->arena, 0);
	rc = store_prepare(
	    s,
	    "SELECT f.id, v.product, v.version, f.purl, f.vuln_id, f.severity, f.score, "
	    "f.kev, f.state, f.justification, f.assignee, f.first_seen_at, f.updated_at, "
	    "f.retracted_at, f.state_changed_at, f.closed_at, d.triage_due_at, d.fix_due_at, "
	    "d.due_at, f.evidence_json, (SELECT summary FROM "
	    "vuln_view x WHERE x.id = f.vuln_id) AS summary FROM findings f JOIN "
	    "sbom_version_view v ON v.version_id = f.version_id "
	    "LEFT JOIN findings_due d ON d.finding_id = f.id WHERE f.id = ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st, err);
	if (rc == STORE_DONE) {
		store_finalize(st);
		return vg_error_set(err, VG_ENOTFOUND, "finding %lld not found", (long long)id);
	}
	if (rc != STORE_ROW) {
		store_finalize(st);
		return rc;
	}
	f->id = store_col_int64(st, 0);
	f->product = store_col_adup(st, 1, &out->arena, &oom);
	f->version = store_col_adup(st, 2, &out->arena, &oom);
	f->purl = store_col_adup(st, 3, &out->arena, &oom);
	f->vuln_id = store_col_adup(st, 4, &out->arena, &oom);
	f->severity = store_col_adup(st, 5, &out->arena, &oom);
	f->score = store_col_adup(st, 6, &out->arena, &oom);
	f->kev = store_col_int64(st, 7) != 0;
	f->state = store_col_adup(st, 8, &out->arena, &oom);
	f->justification = store_col_adup(st, 9, &out->arena, &oom);
	f->assignee = store_col_adup(st, 10, &out->arena, &oom);
	f->first_seen_at = store_col_int64_or(st, 11, 0);
	f->updated_at = store_col_int64_or(st, 12, 0);
	f->retracted_at = store_col_int64_or(st, 13, 0);
	out->state_changed_at = store_col_int64_or(st, 14, 0);
	out->closed_at = store_col_int64_or(st, 15, 0);
	f->triage_due_at = store_col_int64_or(st, 16, 0);
	f->fix_due_at = store_col_int64_or(st, 17, 0);
	f->due_at = store_col_int64_or(st, 18, 0);
	f->overdue = f->due_at && f->due_at < vg_now();
	f->evidence_json = store_col_adup(st, 19, &out->arena, &oom);
	out->summary = store_col_adup(st, 20, &out->arena, &oom);
	store_finalize(st);
	if (oom)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (const char *const *x = states; *x; x++)
		if (triage_transition_ok(f->state, *x))
			out->allowed_states[k++] = *x;
	rc = store_prepare(s,
			   "SELECT actor, body, created_at FROM finding_comments WHERE "
			   "finding_id = ? ORDER BY id",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct finding_comment *c;
		c = vg_arena_grow(&out->arena, out->comments, out->n_comments, &cap, sizeof(*c),
				  16);
		if (!c) {
			oom = 1;
			break;
		}
		out->comments = c;
		c = &out->comments[out->n_comments++];
		c->actor = store_col_adup(st, 0, &out->arena, &oom);
		c->body = store_col_adup(st, 1, &out->arena, &oom);
		c->created_at = store_col_int64_or(st, 2, 0);
		if (oom)
			break;
	}
	store_finalize(st);
	if (oom)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (rc != STORE_DONE)
		return rc;
	rc = fix_releases(s, out, err);
	if (rc)
		return rc;
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	af.otype = "finding";
	af.oid = oid;
	return audit_query_json(s, &af, &out->history, err);
}

json_t *finding_detail_to_json(const struct finding_detail *d)
{
	const struct finding *f = &d->f;
	json_t *o = json_object(), *allowed = json_array(), *comments = json_array(), *ev = NULL;
	if (!o || !allowed || !comments) {
		json_decref(o);
		json_decref(allowed);
		json_decref(comments);
		return NULL;
	}
	for (const char *const *x = d->allowed_states; *x; x++)
		json_array_append_new(allowed, json_string(*x));
	for (size_t i = 0; i < d->n_comments; i++)
		json_array_append_new(comments,
				      json_pack("{s:o, s:o, s:o}", "actor",
						vg_json_text(d->comments[i].actor), "body",
						vg_json_text(d->comments[i].body), "created_at",
						vg_json_time(d->comments[i].created_at)));
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
	json_object_set_new(o, "kev", json_boolean(f->kev));
	json_object_set_new(o, "state", vg_json_text(f->state));
	json_object_set_new(o, "justification", vg_json_text(f->justification));
	json_object_set_new(o, "assignee", vg_json_text(f->assignee));
	json_object_set_new(o, "first_seen_at", vg_json_time(f->first_seen_at));
	json_object_set_new(o, "updated_at", vg_json_time(f->updated_at));
	json_object_set_new(o, "retracted_at", vg_json_time(f->retracted_at));
	json_object_set_new(o, "state_changed_at", vg_json_time(d->state_changed_at));
	json_object_set_new(o, "closed_at", vg_json_time(d->closed_at));
	json_object_set_new(o, "triage_due_at", vg_json_time(f->triage_due_at));
	json_object_set_new(o, "fix_due_at", vg_json_time(f->fix_due_at));
	json_object_set_new(o, "due_at", vg_json_time(f->due_at));
	json_object_set_new(o, "evidence", ev ? ev : json_null());
	json_object_set_new(o, "summary", vg_json_text(d->summary));
	json_object_set_new(o, "overdue", json_boolean(f->overdue));
	json_object_set_new(o, "allowed_states", allowed);
	json_object_set_new(o, "comments", comments);
	{
		json_t *fr = json_array();
		for (size_t i = 0; fr && i < d->n_fix_releases; i++)
			json_array_append_new(
			    fr, json_pack("{s:I, s:o, s:o, s:o}", "release_id",
					  (json_int_t)d->fix_releases[i].release_id, "version",
					  vg_json_text(d->fix_releases[i].version), "fixes",
					  vg_json_text(d->fix_releases[i].fixes), "published_at",
					  vg_json_time(d->fix_releases[i].published_at)));
		json_object_set_new(o, "fixed_by_releases", fr ? fr : json_array());
	}
	json_object_set_new(o, "history", d->history ? json_incref(d->history) : json_array());
	return o;
}

/* ---- carrying decisions over ---- */

static const char *first_matched(const char *evidence, char *buf, size_t n)
{
	json_t *e = vg_json_parse(evidence ? evidence : "", evidence ? strlen(evidence) : 0,
				  "evidence", NULL);
	const char *m = vg_json_str(json_array_get(json_object_get(e, "matches"), 0), "matched");
	snprintf(buf, n, "%s", m ? m : "?");
	json_decref(e);
	return buf;
}

static int reopen(struct store *s, const json_t *f, const char *why, int64_t now,
		  struct vg_error *err)
{
	return write_change(s, f, "in_triage", NULL, vg_json_str(f, "assignee"), why, NULL,
			    "finding.reopen", now, err);
}

int triage_carry_over(struct store *s, int64_t version_id, int64_t since, struct vg_error *err)
{
	json_t *rows = NULL, *f;
	int64_t now = vg_now();
	size_t i;
	int rc;
	int64_t decisions = 0;

	/* Both steps below act only through a stored decision: with none (a new
	 * inventory, a feed import before any triage) there is nothing to do, and
	 * the per-finding lookups would dominate a large feed update. */
	rc = store_query_int64(s, &decisions, err,
			       "SELECT COUNT(*) FROM (SELECT 1 FROM triage_decisions LIMIT 1) t",
			       NULL);
	if (rc || !decisions)
		return rc;

	/* Decided findings whose evidence moved since the decision: reopen. */
	rc = store_query_json(
	    s, &rows, err,
	    "SELECT f.id, f.state, f.justification, f.assignee, f.version_id, v.product_id, "
	    "f.vuln_id, f.purl, f.evidence_json AS evidence, d.evidence_json AS decided "
	    "FROM findings f JOIN sbom_version_view v ON v.version_id = f.version_id JOIN "
	    "triage_decisions d ON d.finding_id = f.id WHERE f.state IN ('not_affected', "
	    "'false_positive') AND f.retracted_at IS NULL AND (? = 0 OR f.version_id = ?) AND "
	    "f.evidence_json <> d.evidence_json",
	    "ii", version_id, version_id);
	json_array_foreach(rows, i, f)
	{
		char was[300], now_m[300], why[900];
		if (rc)
			break;
		snprintf(why, sizeof(why),
			 "reopened: the affected range changed since the %s decision (was '%s', "
			 "now '%s')",
			 vg_json_str(f, "state"),
			 first_matched(vg_json_str(f, "decided"), was, sizeof(was)),
			 first_matched(vg_json_str(f, "evidence"), now_m, sizeof(now_m)));
		rc = reopen(s, f, why, now, err);
	}
	json_decref(rows);
	rows = NULL;
	if (rc)
		return rc;

	/* New findings: a decision on the same vulnerability and package. */
	rc = store_query_json(
	    s, &rows, err,
	    "SELECT f.id, f.state, f.justification, f.assignee, f.version_id, v.product_id, "
	    "f.vuln_id, f.purl, f.evidence_json AS evidence FROM findings f JOIN "
	    "sbom_version_view v ON v.version_id = f.version_id WHERE f.state = 'new' AND "
	    "f.retracted_at "
	    "IS NULL AND f.updated_at >= ? AND (? = 0 OR f.version_id = ?) ORDER BY f.id",
	    "iii", since, version_id, version_id);
	json_array_foreach(rows, i, f)
	{
		json_t *ds = NULL, *d;
		char pkg[1024], why[1500];
		int64_t vid = json_integer_value(json_object_get(f, "version_id"));
		if (rc)
			break;
		triage_purl_package(vg_json_str(f, "purl"), pkg, sizeof(pkg));
		rc = store_query_json(
		    s, &ds, err,
		    "SELECT d.state, d.justification, d.scope, d.purl, d.evidence_json AS decided, "
		    "d.finding_id, d.version_id, pv.version FROM triage_decisions d JOIN "
		    "sbom_version_view pv ON pv.version_id = d.version_id WHERE d.product_id = ? "
		    "AND "
		    "d.vuln_id = ? AND d.package = ? AND d.finding_id <> ? AND (d.version_id = ? "
		    "OR (d.scope = 'product' AND d.version_id < ?)) ORDER BY CASE WHEN "
		    "d.version_id = ? THEN 0 ELSE 1 END, d.version_id DESC",
		    "ittiiii", (int64_t)json_integer_value(json_object_get(f, "product_id")),
		    vg_json_str(f, "vuln_id"), pkg,
		    (int64_t)json_integer_value(json_object_get(f, "id")), vid, vid, vid);
		d = json_array_get(ds, 0);
		if (!rc && d) {
			const char *dpurl = vg_json_str(d, "purl");
			const char *dstate = vg_json_str(d, "state");
			long long fid =
			    (long long)json_integer_value(json_object_get(d, "finding_id"));
			if (strcmp(dpurl, vg_json_str(f, "purl")) != 0) {
				snprintf(
				    why, sizeof(why),
				    "reopened: the %s decision of version %s (finding %lld) was "
				    "made for %s; the component is now %s",
				    dstate, vg_json_str(d, "version"), fid, dpurl,
				    vg_json_str(f, "purl"));
				rc = write_change(s, f, "in_triage", NULL,
						  vg_json_str(f, "assignee"), why, NULL,
						  "finding.reopen", now, err);
			} else if (strcmp(vg_json_str(d, "decided"), vg_json_str(f, "evidence")) !=
				   0) {
				char was[300], now_m[300];
				snprintf(
				    why, sizeof(why),
				    "reopened: the affected range changed since the %s "
				    "decision of version %s (finding %lld): was '%s', now '%s'",
				    dstate, vg_json_str(d, "version"), fid,
				    first_matched(vg_json_str(d, "decided"), was, sizeof(was)),
				    first_matched(vg_json_str(f, "evidence"), now_m,
						  sizeof(now_m)));
				rc = write_change(s, f, "in_triage", NULL,
						  vg_json_str(f, "assignee"), why, NULL,
						  "finding.reopen", now, err);
			} else {
				snprintf(
				    why, sizeof(why),
				    "carried over: %s%s%s decided in version %s (finding %lld)",
				    dstate, vg_json_str(d, "justification") ? " / " : "",
				    vg_json_str(d, "justification")
					? vg_json_str(d, "justification")
					: "",
				    vg_json_str(d, "version"), fid);
				rc = write_change(s, f, dstate, vg_json_str(d, "justification"),
						  vg_json_str(f, "assignee"), why,
						  vg_json_str(d, "scope"), "finding.carry_over",
						  now, err);
			}
		}
		json_decref(ds);
	}
	json_decref(rows);
	return rc;
}

/* ---- counts and history ---- */

int triage_counts(struct store *s, const struct findings_filter *f, struct finding_counts *out,
		  struct vg_error *err)
{
	return findings_state_counts(s, f, out, err);
}

const char *const triage_severities[TRIAGE_N_SEVERITIES + 1] = {"critical", "high", "medium",
								"low",      "none", NULL};

void triage_history_release(struct triage_history *h)
{
	free(h->days);
	h->days = NULL;
	h->n = 0;
}

json_t *triage_history_to_json(const struct triage_history *h)
{
	json_t *arr = json_array();
	for (size_t j = 0; arr && j < h->n; j++) {
		json_t *o = json_pack("{s:s}", "day", h->days[j].day);
		for (int k = 0; o && k < TRIAGE_N_SEVERITIES; k++)
			json_object_set_new(o, triage_severities[k],
					    json_integer(h->days[j].open[k]));
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int triage_history(struct store *s, int days, struct triage_history *out, struct vg_error *err)
{
	const char *const *sev = triage_severities;
	int64_t now = vg_now(), today = now - now % 86400, base;
	json_t *rows = NULL, *r;
	size_t i;
	int rc;
	if (days < 1 || days > 366)
		days = 30;
	/*
	 * Day j (0 oldest) ends at base + j * 86400, the last one (today) at
	 * now + 1. A finding is open at an end E when first_seen_at < E and it
	 * neither was retracted nor closed before E (a closed state without
	 * closed_at never counts). One pass over the findings gives, per
	 * severity, the first day sj and the last day lj it was open at the
	 * end of; the days between are summed here.
	 */
	base = today - (int64_t)(days - 2) * 86400;
	rc = store_query_json(
	    s, &rows, err,
	    "SELECT severity, CASE WHEN first_seen_at < ? THEN 0 WHEN first_seen_at > ? THEN ? "
	    "ELSE (first_seen_at - ?) / 86400 + 1 END AS sj, CASE WHEN lv IS NULL OR lv > ? "
	    "THEN ? WHEN lv < ? THEN -1 ELSE (lv - ?) / 86400 END AS lj, COUNT(*) AS n FROM "
	    "(SELECT COALESCE(severity, 'none') AS severity, first_seen_at, CASE WHEN "
	    "retracted_at IS NULL THEN closed_at WHEN closed_at IS NULL OR retracted_at < "
	    "closed_at THEN retracted_at ELSE closed_at END AS lv FROM findings WHERE closed_at "
	    "IS NOT NULL OR state NOT IN ('fixed', 'not_affected', 'false_positive')) x GROUP "
	    "BY 1, 2, 3",
	    "iiiiiiii", base, now, (int64_t)days, base, now, (int64_t)(days - 1), base, base);
	out->days = NULL;
	out->n = 0;
	if (rc)
		return rc;
	out->days = calloc((size_t)days, sizeof(*out->days));
	if (!out->days) {
		json_decref(rows);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	out->n = (size_t)days;
	json_array_foreach(rows, i, r)
	{
		int64_t sj = json_integer_value(json_object_get(r, "sj"));
		int64_t lj = json_integer_value(json_object_get(r, "lj"));
		int64_t cnt = json_integer_value(json_object_get(r, "n"));
		int k = 0;
		while (k < 5 && strcmp(sev[k], vg_json_str(r, "severity")) != 0)
			k++;
		if (k == 5)
			continue; /* a severity outside the chart, as before */
		for (int64_t j = sj < 0 ? 0 : sj; j <= lj && j < days; j++)
			out->days[j].open[k] += cnt;
	}
	json_decref(rows);
	for (int j = 0; j < days; j++) {
		int64_t y;
		unsigned m, d;
		vg_civil_from_days((today - (int64_t)(days - 1 - j) * 86400) / 86400, &y, &m, &d);
		snprintf(out->days[j].day, sizeof(out->days[j].day), "%04lld-%02u-%02u",
			 (long long)y, m, d);
	}
	return VG_OK;
}

/* ---- SLA policies ---- */

static int policy_severity_ok(const char *sev)
{
	return sev && (strcmp(sev, "critical") == 0 || strcmp(sev, "high") == 0 ||
		       strcmp(sev, "medium") == 0 || strcmp(sev, "low") == 0 ||
		       strcmp(sev, "none") == 0 || strcmp(sev, "kev") == 0);
}

static int product_id_of(struct store *s, const char *product, int64_t *pid, struct vg_error *err)
{
	int rc;
	*pid = 0;
	if (!product)
		return VG_OK;
	rc = store_query_int64(s, pid, err,
			       "SELECT product_id FROM sbom_product_view WHERE product = ?", "t",
			       product);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "product '%s' not found", product);
	return rc;
}

static json_t *policy_row(struct store *s, int64_t pid, const char *sev)
{
	json_t *rows = NULL, *r = NULL;
	if (store_query_json(s, &rows, NULL,
			     "SELECT triage_seconds, fix_seconds FROM sla_policies WHERE "
			     "product_id = ? AND severity = ?",
			     "it", pid, sev) == VG_OK &&
	    json_array_size(rows))
		r = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return r;
}

static json_t *policy_json(int64_t triage_seconds, int64_t fix_seconds)
{
	json_t *o = json_object();
	json_object_set_new(o, "triage_seconds",
			    triage_seconds < 0 ? json_null() : json_integer(triage_seconds));
	json_object_set_new(o, "fix_seconds",
			    fix_seconds < 0 ? json_null() : json_integer(fix_seconds));
	return o;
}

int sla_policy_set(struct store *s, const char *product, const char *severity,
		   int64_t triage_seconds, int64_t fix_seconds, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int64_t pid;
	json_t *before = NULL, *after = NULL;
	char oid[300];
	int rc;
	if (!policy_severity_ok(severity))
		return vg_error_set(err, VG_EINVAL,
				    "severity '%s': expected critical, high, medium, low, none or "
				    "kev",
				    severity ? severity : "");
	if (triage_seconds < 0 && fix_seconds < 0)
		return vg_error_set(err, VG_EINVAL, "give days to triage, days to fix or both");
	if ((rc = product_id_of(s, product, &pid, err)))
		return rc;
	if ((rc = store_tx_begin(s, err)))
		return rc;
	before = policy_row(s, pid, severity);
	rc = store_exec(s, err, "DELETE FROM sla_policies WHERE product_id = ? AND severity = ?",
			"it", pid, severity);
	if (!rc)
		rc =
		    store_prepare(s,
				  "INSERT INTO sla_policies (product_id, severity, triage_seconds, "
				  "fix_seconds, updated_at) VALUES (?, ?, ?, ?, ?)",
				  &st, err);
	if (!rc) {
		store_bind_int64(st, 1, pid);
		store_bind_text(st, 2, severity);
		if (triage_seconds < 0)
			store_bind_null(st, 3);
		else
			store_bind_int64(st, 3, triage_seconds);
		if (fix_seconds < 0)
			store_bind_null(st, 4);
		else
			store_bind_int64(st, 4, fix_seconds);
		store_bind_int64(st, 5, vg_now());
		rc = store_step(st, err);
		rc = rc == STORE_DONE ? VG_OK : rc;
	}
	store_finalize(st);
	if (!rc)
		rc = findings_due_sync_policy(s, pid, severity, err);
	if (!rc) {
		snprintf(oid, sizeof(oid), "%s/%s", product ? product : "*", severity);
		after = policy_json(triage_seconds, fix_seconds);
		rc = store_audit(s, "sla.set", "sla_policy", oid, before, after, err);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	else
		store_tx_rollback(s);
	json_decref(before);
	json_decref(after);
	return rc;
}

int sla_policy_unset(struct store *s, const char *product, const char *severity,
		     struct vg_error *err)
{
	int64_t pid;
	json_t *before;
	char oid[300];
	int rc;
	if (!policy_severity_ok(severity))
		return vg_error_set(err, VG_EINVAL,
				    "severity '%s': expected critical, high, medium, low, none or "
				    "kev",
				    severity ? severity : "");
	if ((rc = product_id_of(s, product, &pid, err)))
		return rc;
	before = policy_row(s, pid, severity);
	if (!before)
		return vg_error_set(err, VG_ENOTFOUND, "no SLA policy for %s%s%s", severity,
				    product ? " of product " : "", product ? product : "");
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err,
				"DELETE FROM sla_policies WHERE product_id = ? AND severity = ?",
				"it", pid, severity);
	if (!rc)
		rc = findings_due_sync_policy(s, pid, severity, err);
	if (!rc) {
		snprintf(oid, sizeof(oid), "%s/%s", product ? product : "*", severity);
		rc = store_audit(s, "sla.unset", "sla_policy", oid, before, NULL, err);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	else if (store_in_tx(s))
		store_tx_rollback(s);
	json_decref(before);
	return rc;
}

void sla_policy_list_release(struct sla_policy_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int sla_policy_list(struct store *s, struct sla_policy_list *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc = store_prepare(
	    s,
	    "SELECT COALESCE(p.product, '*') AS product, sp.severity, "
	    "sp.triage_seconds, sp.fix_seconds FROM sla_policies sp LEFT JOIN "
	    "sbom_product_view p ON p.product_id = sp.product_id ORDER BY COALESCE(p.product, ''), "
	    "CASE sp.severity WHEN 'kev' THEN 0 WHEN 'critical' THEN 1 WHEN "
	    "'high' THEN 2 WHEN 'medium' THEN 3 WHEN 'low' THEN 4 ELSE 5 END",
	    &st, err);
	out->v = NULL;
	out->n = 0;
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct sla_policy *p;
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct sla_policy *nv = realloc(out->v, nc * sizeof(*nv));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			out->v = nv;
			cap = nc;
		}
		p = &out->v[out->n++];
		snprintf(p->product, sizeof(p->product), "%s",
			 store_col_text(st, 0) ? store_col_text(st, 0) : "*");
		snprintf(p->severity, sizeof(p->severity), "%s",
			 store_col_text(st, 1) ? store_col_text(st, 1) : "");
		p->triage_seconds = store_col_isnull(st, 2) ? -1 : store_col_int64(st, 2);
		p->fix_seconds = store_col_isnull(st, 3) ? -1 : store_col_int64(st, 3);
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		sla_policy_list_release(out);
		return rc;
	}
	return VG_OK;
}

json_t *sla_policy_list_to_json(const struct sla_policy_list *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < l->n; i++) {
		const struct sla_policy *p = &l->v[i];
		json_t *o = json_pack(
		    "{s:s, s:s, s:o, s:o}", "product", p->product, "severity", p->severity,
		    "triage_seconds",
		    p->triage_seconds >= 0 ? json_integer(p->triage_seconds) : json_null(),
		    "fix_seconds",
		    p->fix_seconds >= 0 ? json_integer(p->fix_seconds) : json_null());
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* ---- SLA alerts ---- */

/*
 * Two clocks of the deadline engine (jobs/deadline.h), one per deadline of
 * a finding: "sla.triage" (due sla_triage_due_at, the window from the
 * finding's first sighting, or from its KEV listing when that came later)
 * and "sla.fix" (due sla_fix_due_at, from the first sighting). Each warns
 * once the last quarter of the window has begun and says breached once the
 * due time has passed, only the later of the two when both have (the
 * fired set keeps each once per finding, clock and due time).
 */
struct sla_row {
	int refs; /* the triage and fix items of one finding share it */
	int64_t id;
	char *vuln_id, *purl, *severity, *state, *product, *version;
};

static void sla_row_free(void *p)
{
	struct sla_row *r = p;
	if (!r || --r->refs > 0)
		return;
	free(r->vuln_id);
	free(r->purl);
	free(r->severity);
	free(r->state);
	free(r->product);
	free(r->version);
	free(r);
}

/* The alert's payload: the event, and the audit record's "after". */
static json_t *sla_payload(const struct deadline_clock *c, const struct deadline_item *it, int i)
{
	const struct sla_row *f = it->row;
	const char *level = c->thresholds[i].name, *kind = strchr(c->name, '.') + 1;
	char ts[VG_TIME_BUFSZ], summary[600], dedup[96];
	vg_time_format(it->due_at, ts, sizeof(ts));
	snprintf(summary, sizeof(summary), "%s %s in %s %s (%s): %s due %s",
		 strcmp(level, "breached") == 0 ? "SLA breached:" : "SLA warning:", f->vuln_id,
		 f->product, f->version, f->purl, kind, ts);
	snprintf(dedup, sizeof(dedup), "sla-%lld-%s", (long long)f->id, kind);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s}", "event",
			 strcmp(level, "breached") == 0 ? "sla.breached" : "sla.warning",
			 "finding_id", (json_int_t)f->id, "vuln_id", f->vuln_id, "product",
			 f->product, "version", f->version, "purl", f->purl, "severity",
			 f->severity, "state", f->state, "deadline", kind, "due_at", ts, "summary",
			 summary, "dedup_key", dedup);
}

static int sla_record(struct store *s, const struct deadline_clock *c,
		      const struct deadline_item *it, int64_t now, void *arg, struct vg_error *err)
{
	const struct sla_row *f = it->row;
	char oid[32], action[32];
	int rc = VG_OK;
	(void)now;
	(void)arg;
	snprintf(oid, sizeof(oid), "%lld", (long long)f->id);
	for (int i = 0; i < c->nthresholds && !rc; i++) {
		json_t *ev;
		if (!(it->fired & (1u << i)))
			continue;
		if (!(ev = sla_payload(c, it, i)))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		snprintf(action, sizeof(action), "sla.%s", c->thresholds[i].name);
		rc = store_audit(s, action, "finding", oid, NULL, ev, err);
		json_decref(ev);
	}
	return rc;
}

static json_t *sla_event(const struct deadline_clock *c, const struct deadline_item *it, int i,
			 int64_t now, const char **name, void *arg)
{
	(void)now;
	(void)arg;
	*name = strcmp(c->thresholds[i].name, "breached") == 0 ? "sla.breached" : "sla.warning";
	return sla_payload(c, it, i);
}

static const struct deadline_threshold sla_thresholds[] = {
    {"warning", DEADLINE_BEFORE_DUE, 250, 0}, /* the last quarter of the window */
    {"breached", DEADLINE_BEFORE_DUE, 0, 0},
};
static const struct deadline_clock sla_triage_clock = {
    "sla.triage", sla_thresholds, 2, DEADLINE_LATEST_ONLY, sla_record, sla_event, sla_row_free};
static const struct deadline_clock sla_fix_clock = {
    "sla.fix", sla_thresholds, 2, DEADLINE_LATEST_ONLY, sla_record, sla_event, sla_row_free};

/*
 * Candidates of one page: a deadline whose last quarter has begun (from
 * first_seen; the engine takes a later KEV listing into account through the
 * item's start) and whose alert of the level due now has not fired. The due
 * times are those stored in the finding (migration 0010, the view
 * findings_due's), so a million findings past their deadlines and alerted
 * cost one index walk a minute, not a million look-ups. A finding gives one
 * item per deadline it is a candidate for (so a page may hold up to 2 * max).
 */
static int sla_fetch(struct store *s, int64_t after, int64_t now, size_t max,
		     struct deadline_batch *b, void *arg, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;
	(void)arg;
	rc = store_prepare(
	    s,
	    "SELECT f.id, f.vuln_id, f.purl, f.severity, f.state, f.kev_at, f.first_seen_at, "
	    "v.product, v.version, f.sla_triage_due_at, f.sla_fix_due_at FROM findings f JOIN "
	    "sbom_version_view v ON v.version_id = f.version_id WHERE f.id > ? AND "
	    "f.retracted_at IS NULL AND f.sla_due_at IS NOT NULL AND ((f.sla_triage_due_at IS "
	    "NOT NULL AND f.sla_triage_due_at - (f.sla_triage_due_at - f.first_seen_at) / 4 <= "
	    "? AND " DEADLINE_SQL_NOT_FIRED(
		"f.id", "f.sla_triage_due_at",
		"CASE WHEN f.sla_triage_due_at <= ? THEN 'breached' ELSE 'warning' "
		"END") ") OR (f.sla_fix_due_at IS NOT NULL AND f.sla_fix_due_at - "
		       "(f.sla_fix_due_at - f.first_seen_at) / 4 <= ? AND " DEADLINE_SQL_NOT_FIRED(
			   "f.id", "f.sla_fix_due_at",
			   "CASE WHEN f.sla_fix_due_at <= ? THEN 'breached' ELSE 'warning' "
			   "END") ")) ORDER BY f.id LIMIT ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, after);
	store_bind_int64(st, 2, now);
	store_bind_text(st, 3, sla_triage_clock.name);
	store_bind_int64(st, 4, now);
	store_bind_int64(st, 5, now);
	store_bind_text(st, 6, sla_fix_clock.name);
	store_bind_int64(st, 7, now);
	store_bind_int64(st, 8, (int64_t)max);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct sla_row *r = calloc(1, sizeof(*r));
		int bad = 0;
		int64_t seen = store_col_int64(st, 6), base = seen;
		int oom = !r;
		if (r) {
			r->id = store_col_int64(st, 0);
			r->vuln_id = store_col_dup(st, 1, &oom);
			r->purl = store_col_dup(st, 2, &oom);
			r->severity = store_col_dup(st, 3, &oom);
			r->state = store_col_dup(st, 4, &oom);
			r->product = store_col_dup(st, 7, &oom);
			r->version = store_col_dup(st, 8, &oom);
		}
		if (oom) {
			if (r) {
				r->refs = 1;
				sla_row_free(r);
			}
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		for (int k = 0; k < 2 && !bad; k++) {
			int64_t due = store_col_int64(st, 9 + k), kev = store_col_int64(st, 5);
			if (store_col_isnull(st, 9 + k) || due - (due - seen) / 4 > now)
				continue;
			base = seen;
			if (k == 0 && !store_col_isnull(st, 5) && kev > seen && kev < due)
				base = kev;
			r->refs++;
			/* on failure the batch has dropped this reference (row_free) */
			if (deadline_batch_add(b, k == 0 ? &sla_triage_clock : &sla_fix_clock,
					       r->id, base, due, r))
				bad = 1;
		}
		if (bad) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		if (!r->refs) {
			r->refs = 1;
			sla_row_free(r);
		}
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

int sla_tick(struct store *s, int64_t *warned, int64_t *breached, struct vg_error *err)
{
	struct deadline_stats st;
	/* Pages of candidates, each committed with its alerts and audit records
	 * before its events go out: memory stays bounded and a failure keeps
	 * what was sent (an alert is sent once). */
	int rc = deadline_tick(s, &sla_triage_clock, sla_fetch, NULL, vg_now(), &st, err);
	if (!rc) {
		if (warned)
			*warned = st.by_threshold[0];
		if (breached)
			*breached = st.by_threshold[1];
	}
	return rc;
}

/* ---- background job ---- */

static int sla_job(struct store *s, struct vg_error *err)
{
	return sla_tick(s, NULL, NULL, err);
}

const struct vg_job triage_jobs[] = {
    {"sla.tick", 60, sla_job, NULL},
    {NULL, 0, NULL, NULL},
};
