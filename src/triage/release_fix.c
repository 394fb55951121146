/*
 * release_fix.c - "release.published": the payload parser shared by the
 * rooms that hear it, and the findings that point to the fixing release
 * (see release_fix.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "triage/release_fix.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/events.h"
#include "core/log.h"
#include "core/text.h"
#include "store/store.h"
#include "triage/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int member_id(const json_t *p, const char *key, int64_t *out, struct vg_error *err)
{
	json_t *v = json_object_get(p, key);
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: /%s: expected a positive integer",
				    key);
	*out = (int64_t)json_integer_value(v);
	return VG_OK;
}

static int member_text(const json_t *p, const char *key, const char **out, struct vg_error *err)
{
	json_t *v = json_object_get(p, key);
	char what[64];
	if (!json_is_string(v))
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: /%s: expected a string", key);
	snprintf(what, sizeof(what), "release.published payload: /%s", key);
	*out = json_string_value(v);
	return vg_text_check(what, *out, 200, 0, 1, err);
}

int release_published_parse(const json_t *p, struct release_published *out, struct vg_error *err)
{
	json_t *fx, *v;
	const char *at;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(p))
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: expected a JSON object");
	if ((rc = member_id(p, "release_id", &out->release_id, err)) ||
	    (rc = member_id(p, "version_id", &out->version_id, err)) ||
	    (rc = member_text(p, "product", &out->product, err)) ||
	    (rc = member_text(p, "version", &out->version, err)))
		return rc;
	v = json_object_get(p, "security");
	if (v && !json_is_boolean(v))
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: /security: expected true or false");
	out->security = json_is_true(v);
	fx = json_object_get(p, "fixes");
	if (fx && !json_is_array(fx))
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: /fixes: expected an array of "
				    "vulnerability ids");
	if (json_array_size(fx) > RELEASE_FIXES_MAX)
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: /fixes: more than %d ids",
				    RELEASE_FIXES_MAX);
	json_array_foreach(fx, i, v)
	{
		if (!json_is_string(v))
			return vg_error_set(err, VG_EINVAL,
					    "release.published payload: /fixes/%zu: expected a "
					    "vulnerability id (a string)",
					    i);
		if ((rc = vg_text_check("release.published payload: /fixes", json_string_value(v),
					100, 0, 1, err)))
			return rc;
		out->fixes[out->nfixes++] = json_string_value(v);
	}
	at = json_string_value(json_object_get(p, "published_at"));
	if (!at)
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: /published_at: expected an RFC "
				    "3339 time (the release is not published)");
	if (vg_time_parse(at, &out->published_at, err) != VG_OK)
		return vg_error_set(err, VG_EINVAL,
				    "release.published payload: /published_at: '%s': expected an "
				    "RFC 3339 time",
				    at);
	return VG_OK;
}

/* The findings of vuln (or an alias of it) on other versions of the
 * release's product, each audited as pointing to the release. */
static int audit_findings(struct store *s, const struct release_published *ev, const char *vuln,
			  int64_t *n, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int64_t *ids = NULL;
	size_t nids = 0, cap = 0;
	int rc;

	rc = store_prepare(s,
			   "SELECT f.id FROM findings f JOIN sbom_version_view v ON v.version_id = "
			   "f.version_id WHERE v.product = ? AND f.version_id <> ? AND "
			   "f.retracted_at IS NULL AND (f.vuln_id = ? OR EXISTS (SELECT 1 FROM "
			   "vuln_alias_view a WHERE a.vuln_id = f.vuln_id AND a.alias = ?)) ORDER "
			   "BY f.id",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, ev->product);
	store_bind_int64(st, 2, ev->version_id);
	store_bind_text(st, 3, vuln);
	store_bind_text(st, 4, vuln);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (nids == cap) {
			size_t nc = cap ? cap * 2 : 32;
			int64_t *p = realloc(ids, nc * sizeof(*p));
			if (!p) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			ids = p;
			cap = nc;
		}
		ids[nids++] = store_col_int64(st, 0);
	}
	store_finalize(st);
	rc = rc == STORE_DONE ? VG_OK : rc;
	for (size_t i = 0; !rc && i < nids; i++) {
		char oid[32];
		json_t *after =
		    json_pack("{s:I, s:s, s:s, s:s, s:o}", "release_id", (json_int_t)ev->release_id,
			      "product", ev->product, "version", ev->version, "fixes", vuln,
			      "published_at", vg_json_time(ev->published_at));
		snprintf(oid, sizeof(oid), "%lld", (long long)ids[i]);
		rc = after ? store_audit(s, "finding.fix_release", "finding", oid, NULL, after, err)
			   : vg_error_set(err, VG_ENOMEM, "out of memory");
		json_decref(after);
		(*n)++;
	}
	free(ids);
	return rc;
}

int triage_release_published(struct store *s, const struct release_published *ev, int64_t *pointed,
			     struct vg_error *err)
{
	int64_t n = 0, have = 0, changed = 0, now = vg_now();
	int rc;

	if (pointed)
		*pointed = 0;
	if (!ev->nfixes)
		return VG_OK;
	rc = store_tx_begin(s, err);
	for (size_t i = 0; !rc && i < ev->nfixes; i++) {
		rc = store_query_int64(s, &have, err,
				       "SELECT COUNT(*) FROM triage_fix_releases WHERE release_id "
				       "= ? AND vuln_id = ?",
				       "it", ev->release_id, ev->fixes[i]);
		if (rc || have)
			continue; /* heard before */
		rc = store_exec(s, err,
				"INSERT INTO triage_fix_releases (release_id, vuln_id, product, "
				"version, version_id, published_at, recorded_at) VALUES "
				"(?,?,?,?,?,?,?)",
				"itttiii", ev->release_id, ev->fixes[i], ev->product, ev->version,
				ev->version_id, ev->published_at, now);
		changed++;
		if (!rc)
			rc = audit_findings(s, ev, ev->fixes[i], &n, err);
	}
	if (!rc && changed) {
		char oid[32];
		json_t *fixes = json_array(), *after;
		for (size_t i = 0; i < ev->nfixes; i++)
			json_array_append_new(fixes, json_string(ev->fixes[i]));
		after = json_pack("{s:s, s:s, s:o, s:o, s:I}", "product", ev->product, "version",
				  ev->version, "fixes", fixes, "published_at",
				  vg_json_time(ev->published_at), "findings", (json_int_t)n);
		snprintf(oid, sizeof(oid), "%lld", (long long)ev->release_id);
		rc = after
			 ? store_audit(s, "findings.fix_release", "release", oid, NULL, after, err)
			 : vg_error_set(err, VG_ENOMEM, "out of memory");
		json_decref(after);
	}
	if (!rc && !changed) {
		store_tx_rollback(s); /* heard before: nothing to write */
		return VG_OK;
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && pointed)
		*pointed = n;
	return rc;
}

static int on_release_published(struct store *s, const char *name, const json_t *p, void *arg)
{
	struct release_published ev;
	struct vg_error err = {0};
	int64_t n = 0;

	(void)name;
	(void)arg;
	if (!s)
		return VG_OK;
	if (release_published_parse(p, &ev, &err) != VG_OK) {
		vg_warn("findings: %s: ignored", vg_error_msg(&err));
		return VG_OK;
	}
	if (triage_release_published(s, &ev, &n, &err) != VG_OK) {
		vg_warn("findings: release %lld (%s %s): %s", (long long)ev.release_id, ev.product,
			ev.version, vg_error_msg(&err));
		return err.code;
	} else if (n)
		vg_info("findings: %lld finding(s) point to release %lld (%s %s)", (long long)n,
			(long long)ev.release_id, ev.product, ev.version);
	return VG_OK;
}

void triage_release_fix_init(void)
{
	vg_event_subscribe(RELEASE_PUBLISHED_EVENT, "triage.release_fix", on_release_published,
			   NULL);
}
