/*
 * migrate.c - numbered schema migrations (src/store/migrations/NNNN_*.sql,
 * embedded at build time). Files use tokens for the few types that differ
 * between backends: @ID@ (auto-increment primary key), @BLOB@.
 * Each migration runs in its own transaction with an audit record.
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store_int.h"
#include "core/asset.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int migration_number(const struct vg_asset *a)
{
	/* "0012_name.sql": the leading digits; our own embedded file names */
	return (int)strtol(a->path, NULL, 10);
}

int store_schema_target(void)
{
	int max = 0;
	for (size_t i = 0; i < vg_migrations_count; i++)
		if (migration_number(&vg_migrations[i]) > max)
			max = migration_number(&vg_migrations[i]);
	return max;
}

static int ensure_version_table(struct store *s, struct vg_error *err)
{
	return s->ops->exec_raw(s,
				"CREATE TABLE IF NOT EXISTS vigil_schema (version BIGINT NOT NULL, "
				"applied_at BIGINT NOT NULL)",
				err);
}

int store_schema_version(struct store *s, int *out, struct vg_error *err)
{
	int64_t v = 0;
	int rc = ensure_version_table(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &v, err, "SELECT COALESCE(MAX(version), 0) FROM vigil_schema",
			       NULL);
	if (rc)
		return rc;
	*out = (int)v;
	return VG_OK;
}

static int expand(struct store *s, const struct vg_asset *a, struct vg_buf *out)
{
	const char *p = (const char *)a->data, *end = p + a->len;
	int rc = VG_OK;

	while (p < end && !rc) {
		const char *at = memchr(p, '@', (size_t)(end - p));
		const char *close;
		char tok[32];
		const char *rep;

		if (!at) {
			rc = vg_buf_add(out, p, (size_t)(end - p));
			break;
		}
		rc = vg_buf_add(out, p, (size_t)(at - p));
		close = memchr(at + 1, '@', (size_t)(end - at - 1));
		if (rc || !close || (size_t)(close - at) >= sizeof(tok)) {
			if (!rc)
				rc = vg_buf_addc(out, '@');
			p = at + 1;
			continue;
		}
		memcpy(tok, at, (size_t)(close - at) + 1);
		tok[close - at + 1] = '\0';
		rep = s->ops->type_token(tok);
		if (rep) {
			rc = vg_buf_adds(out, rep);
			p = close + 1;
		} else {
			rc = vg_buf_addc(out, '@');
			p = at + 1;
		}
	}
	return rc;
}

int store_migrate(struct store *s, struct vg_error *err)
{
	return store_migrate_to(s, store_schema_target(), err);
}

int store_migrate_to(struct store *s, int upto, struct vg_error *err)
{
	int rc, cur = 0;

	rc = ensure_version_table(s, err);
	if (rc)
		return rc;
	for (int target = 1; target <= store_schema_target() && target <= upto; target++) {
		const struct vg_asset *a = NULL;
		struct vg_buf sql = VG_BUF_INIT;
		json_t *after;

		for (size_t i = 0; i < vg_migrations_count; i++)
			if (migration_number(&vg_migrations[i]) == target)
				a = &vg_migrations[i];
		if (!a)
			continue; /* numbers need not be contiguous */
		rc = store_tx_begin(s, err);
		if (rc)
			return rc;
		/* Serialise concurrent migrators (several servers on one PostgreSQL). */
		rc = s->ops->lock_audit(s, err);
		if (!rc) {
			int64_t applied = 0;
			rc = store_query_int64(
			    s, &applied, err, "SELECT COUNT(*) FROM vigil_schema WHERE version = ?",
			    "i", (int64_t)target);
			cur = applied ? target : 0;
		}
		if (rc || cur >= target) {
			store_tx_rollback(s);
			if (rc)
				return rc;
			continue;
		}
		rc = expand(s, a, &sql);
		if (!rc)
			rc = s->ops->exec_raw(s, sql.data, err);
		vg_buf_release(&sql);
		if (rc) {
			vg_error_prefix(err, "migration %s on %s", a->path, store_url_safe(s));
			store_tx_rollback(s);
			return rc;
		}
		rc = store_exec(s, err,
				"INSERT INTO vigil_schema (version, applied_at) VALUES (?, ?)",
				"ii", (int64_t)target, vg_now());
		after = json_pack("{s:i, s:s}", "version", target, "file", a->path);
		if (!rc)
			rc = store_audit(s, "schema.migrate", "schema", a->path, NULL, after, err);
		json_decref(after);
		if (rc) {
			store_tx_rollback(s);
			return rc;
		}
		rc = store_tx_commit(s, err);
		if (rc)
			return rc;
	}
	return VG_OK;
}
