#define _POSIX_C_SOURCE 200809L
#include "notify/notify.h"
#include "jobs/jobs.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/text.h"
#include "core/events.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/redact.h"
#include "core/secret.h"
#include "store/reader.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int notify_severity_rank(const char *s)
{
	static const char *const names[] = {"info", "low", "medium", "high", "critical"};
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

json_t *notify_message_json(const struct notify_message *m)
{
	char ts[VG_TIME_BUFSZ];
	return json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:O, s:s}", "event", m->event, "summary",
			 m->summary ? m->summary : m->event, "severity", m->severity, "dedup_key",
			 m->dedup_key, "time", vg_time_format(m->at, ts, sizeof(ts)), "details",
			 m->details ? (json_t *)m->details : json_null(), "source", "vigil");
}

/*
 * Channel secrets. The keys below are the secret parts of a configuration:
 * sealed on write (secrets_sealed, core/secret.h, purpose "notify-secret"),
 * opened only to send, wiped after. config_json keeps the configuration as
 * shown: URLs through vg_redact_url(), the other secrets as "***".
 */
#define NOTIFY_PURPOSE "notify-secret"
static const char *const secret_keys[] = {"url",         "smtp_url", "secret",
					  "routing_key", "password", NULL};

static int is_url_key(const char *k)
{
	return strcmp(k, "url") == 0 || strcmp(k, "smtp_url") == 0;
}

/* The configuration as shown (caller owns): a URL masked by
 * vg_redact_url(), every other secret "***". Masking a shown configuration
 * again changes nothing. NULL only when cfg is not an object. */
static json_t *shown_config(const json_t *cfg)
{
	json_t *c = json_is_object(cfg) ? json_deep_copy(cfg) : NULL;
	for (int i = 0; c && secret_keys[i]; i++) {
		json_t *v = json_object_get(c, secret_keys[i]);
		if (!v)
			continue;
		if (is_url_key(secret_keys[i]) && json_is_string(v)) {
			char buf[2048];
			vg_redact_url(json_string_value(v), buf, sizeof(buf));
			json_object_set_new(c, secret_keys[i], json_string(buf));
		} else {
			json_object_set_new(c, secret_keys[i], json_string("***"));
		}
	}
	return c;
}

/* Overwrite the secret strings of a configuration before it is freed. */
static void wipe_config(json_t *cfg)
{
	for (int i = 0; cfg && secret_keys[i]; i++) {
		json_t *v = json_object_get(cfg, secret_keys[i]);
		/* jansson keeps the string in its own buffer: wipe it in place */
		if (json_is_string(v))
			vg_wipe((char *)json_string_value(v), json_string_length(v));
	}
}

static void free_secret_text(char *t)
{
	if (t) {
		vg_wipe(t, strlen(t));
		free(t);
	}
}

/* Seal the secret parts of cfg into *sealed (malloc'ed). */
static int seal_secrets(const json_t *cfg, char **sealed, struct vg_error *err)
{
	json_t *part = json_object();
	char *text;
	int rc;

	*sealed = NULL;
	for (int i = 0; part && secret_keys[i]; i++) {
		json_t *v = json_object_get(cfg, secret_keys[i]);
		if (v)
			json_object_set(part, secret_keys[i], v);
	}
	text = part ? json_dumps(part, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(part);
	if (!text)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = vg_secret_seal(NOTIFY_PURPOSE, text, sealed, err);
	free_secret_text(text);
	return rc;
}

/* The configuration to send with: the shown one with the sealed secrets
 * opened into it. A row from before sealing (sealed NULL) is still clear.
 * The caller wipes it with wipe_config() and frees it. */
static int open_config(const char *name, const char *config_text, const char *sealed, json_t **out,
		       struct vg_error *err)
{
	json_t *cfg = config_text ? json_loads(config_text, 0, NULL) : NULL, *part;
	struct vg_error oe = {0};
	char *plain = NULL;

	*out = NULL;
	if (!json_is_object(cfg)) {
		json_decref(cfg);
		return vg_error_set(err, VG_EINVAL, "channel '%s': configuration unusable", name);
	}
	if (sealed) {
		if (vg_secret_open(NOTIFY_PURPOSE, sealed, &plain, &oe)) {
			json_decref(cfg);
			return vg_error_set(
			    err, oe.code,
			    "channel '%s': secret does not open with the key in %s "
			    "(was the key file replaced or lost? restore it, or add "
			    "the channel again)",
			    name, vg_secret_key_file());
		}
		part = json_loads(plain, 0, NULL);
		free_secret_text(plain);
		if (!json_is_object(part)) {
			json_decref(part);
			json_decref(cfg);
			return vg_error_set(err, VG_EINVAL, "channel '%s': sealed secrets unusable",
					    name);
		}
		/* cfg now shares part's strings: the caller's wipe_config(cfg)
		 * wipes them */
		json_object_update(cfg, part);
		json_decref(part);
	}
	*out = cfg;
	return VG_OK;
}

/* The shown configuration of a stored row as JSON text (caller frees), or
 * NULL when unreadable. */
static char *shown_text(const char *config_text)
{
	json_t *c = config_text ? json_loads(config_text, 0, NULL) : NULL;
	json_t *m = shown_config(c);
	char *t = m ? json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	wipe_config(c);
	json_decref(c);
	json_decref(m);
	return t;
}

/* ---- reading rows into typed structs (strings in the caller's arena) ---- */

int notify_channel_add(struct store *s, const char *name, const char *kind, const json_t *config,
		       struct vg_error *err)
{
	const struct notify_ops *ops = notify_ops_find(kind);
	char *text = NULL, *sealed = NULL;
	json_t *after, *shown;
	int rc;

	if (!name || !*name || strlen(name) > 64)
		return vg_error_set(err, VG_EINVAL, "channel name must be 1 to 64 characters");
	if ((rc = vg_text_check("channel name", name, 64, 0, 1, err)))
		return rc;
	if (!ops)
		return vg_error_set(err, VG_EINVAL,
				    "channel kind '%s': expected webhook, email or pagerduty",
				    kind ? kind : "");
	rc = ops->check(config, err);
	if (rc)
		return rc;
	shown = shown_config(config);
	text = shown ? json_dumps(shown, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (!text) {
		json_decref(shown);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	rc = seal_secrets(config, &sealed, err);
	if (!rc)
		rc = store_tx_begin(s, err);
	else
		goto out;
	if (!rc)
		rc = store_exec(
		    s, err,
		    "INSERT INTO notify_channels (name, kind, config_json, secrets_sealed, "
		    "created_at) VALUES (?,?,?,?,?)",
		    "tttti", name, kind, text, sealed, vg_now());
	if (rc == VG_EEXIST)
		vg_error_set(err, rc, "a channel named '%s' already exists", name);
	/* the audit record carries the configuration as shown, never a secret */
	after = json_pack("{s:s, s:s, s:O}", "name", name, "kind", kind, "config", shown);
	if (!rc)
		rc = store_audit(s, "notify.channel_add", "notify_channel", name, NULL, after, err);
	json_decref(after);
	if (rc)
		store_tx_rollback(s);
	else
		rc = store_tx_commit(s, err);
out:
	json_decref(shown);
	free(text);
	free(sealed);
	return rc;
}

int notify_seal_existing(struct store *s, int *n, struct vg_error *err)
{
	struct vg_arena mem;
	struct store_reader r = {NULL, &mem, 0};
	struct {
		int64_t id;
		const char *name, *config;
	} *rows = NULL;
	size_t nrows = 0, cap = 0;
	int64_t left = 0;
	int rc;

	*n = 0;
	rc = store_query_int64(
	    s, &left, err, "SELECT COUNT(*) FROM notify_channels WHERE secrets_sealed IS NULL", "");
	if (rc || !left)
		return rc;
	vg_arena_init(&mem, 0);
	rc = store_tx_begin(s, err);
	if (rc) {
		vg_arena_release(&mem);
		return rc;
	}
	rc = store_prepare(s,
			   "SELECT id, name, config_json FROM notify_channels WHERE secrets_sealed "
			   "IS NULL ORDER BY id",
			   &r.st, err);
	if (!rc) {
		while ((rc = store_step(r.st, err)) == STORE_ROW) {
			if (!(rows = store_reader_grow(&r, rows, nrows, &cap, sizeof(*rows))))
				break;
			rows[nrows].id = store_col_int64(r.st, 0);
			rows[nrows].name = store_reader_str(&r, 1);
			rows[nrows++].config = store_reader_str(&r, 2);
		}
		rc = store_reader_done(&r, rc, err);
	}
	for (size_t i = 0; !rc && i < nrows; i++) {
		json_t *cfg = rows[i].config ? json_loads(rows[i].config, 0, NULL) : NULL;
		json_t *shown = shown_config(cfg), *after;
		char *text = NULL, *sealed = NULL;
		struct store_stmt *st = NULL;
		int changed = 0;

		/* an unreadable configuration is sealed whole and shown as null */
		text = shown ? json_dumps(shown, JSON_COMPACT | JSON_SORT_KEYS) : strdup("null");
		if (!text)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		else if (cfg)
			rc = seal_secrets(cfg, &sealed, err);
		else
			rc = vg_secret_seal(NOTIFY_PURPOSE, rows[i].config ? rows[i].config : "",
					    &sealed, err);
		if (!rc)
			rc = store_prepare(
			    s,
			    "UPDATE notify_channels SET config_json = ?, "
			    "secrets_sealed = ? WHERE id = ? AND secrets_sealed IS NULL",
			    &st, err);
		if (!rc) {
			store_bind_text(st, 1, text);
			store_bind_text(st, 2, sealed);
			store_bind_int64(st, 3, rows[i].id);
			rc = store_step(st, err);
			if (rc == STORE_DONE || rc == STORE_ROW)
				rc = VG_OK;
			changed = !rc && store_changes(st) == 1;
			store_finalize(st);
		}
		after = json_pack("{s:s, s:O?, s:b}", "name", rows[i].name, "config", shown,
				  "sealed", 1);
		if (!rc && changed) {
			rc = store_audit(s, "notify.channel_seal", "notify_channel", rows[i].name,
					 NULL, after, err);
			(*n)++;
		}
		json_decref(after);
		wipe_config(cfg);
		json_decref(cfg);
		json_decref(shown);
		free(text);
		free(sealed);
	}
	if (!rc && !*n) {
		/* another process sealed them first: nothing to audit */
		store_tx_rollback(s);
	} else {
		rc = store_tx_end(s, rc, err);
	}
	vg_arena_release(&mem);
	return rc;
}

int notify_channel_remove(struct store *s, const char *name, struct vg_error *err)
{
	int64_t n = 0;
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &n, err, "SELECT COUNT(*) FROM notify_channels WHERE name = ?",
			       "t", name);
	if (!rc && !n)
		rc = vg_error_set(err, VG_ENOTFOUND, "no channel named '%s'", name);
	if (!rc)
		rc = store_exec(s, err, "UPDATE notify_channels SET enabled = 0 WHERE name = ?",
				"t", name);
	if (!rc)
		rc = store_audit(s, "notify.channel_disable", "notify_channel", name, NULL, NULL,
				 err);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

static int is_secret_key(const char *k)
{
	for (int i = 0; secret_keys[i]; i++)
		if (strcmp(secret_keys[i], k) == 0)
			return 1;
	return 0;
}

int notify_channel_update(struct store *s, const char *name, const json_t *changes,
			  struct vg_error *err)
{
	struct vg_arena mem;
	struct store_reader r = {NULL, &mem, 0};
	const char *kind = NULL, *config = NULL, *sealed_old = NULL;
	const struct notify_ops *ops;
	json_t *cfg = NULL, *shown = NULL, *before = NULL, *audit = NULL, *v;
	char *text = NULL, *sealed = NULL;
	const char *k;
	int rc;

	vg_arena_init(&mem, 0);
	if ((rc = store_tx_begin(s, err))) {
		vg_arena_release(&mem);
		return rc;
	}
	rc = store_prepare(s,
			   "SELECT kind, config_json, secrets_sealed FROM notify_channels WHERE "
			   "name = ?",
			   &r.st, err);
	if (!rc) {
		store_bind_text(r.st, 1, name ? name : "");
		rc = store_step(r.st, err);
		if (rc == STORE_ROW) {
			kind = store_reader_str(&r, 0);
			config = store_reader_str(&r, 1);
			sealed_old = store_reader_str(&r, 2);
			rc = VG_OK;
		} else if (rc == STORE_DONE) {
			rc = vg_error_set(err, VG_ENOTFOUND, "no channel named '%s'",
					  name ? name : "");
		}
		store_finalize(r.st);
	}
	if (!rc && !(ops = notify_ops_find(kind)))
		rc = vg_error_set(err, VG_EINVAL, "channel '%s': unknown kind", name);
	if (!rc)
		rc = open_config(name, config, sealed_old, &cfg, err);
	if (!rc) {
		before = shown_config(cfg);
		json_object_foreach((json_t *)changes, k, v)
		{
			if (json_is_null(v))
				json_object_del(cfg, k);
			else if (is_secret_key(k) && json_is_string(v) && !json_string_length(v))
				continue; /* blank: keep the stored secret */
			else
				json_object_set(cfg, k, v);
		}
		rc = ops->check(cfg, err);
	}
	if (!rc) {
		shown = shown_config(cfg);
		text = shown ? json_dumps(shown, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		rc = text ? seal_secrets(cfg, &sealed, err)
			  : vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE notify_channels SET config_json = ?, secrets_sealed = ?, "
				"enabled = 1 WHERE name = ?",
				"ttt", text, sealed, name);
	if (!rc) {
		audit = json_pack("{s:s, s:s, s:O}", "name", name, "kind", kind, "config", shown);
		before = json_pack("{s:s, s:s, s:o}", "name", name, "kind", kind, "config", before);
		rc = store_audit(s, "notify.channel_update", "notify_channel", name, before, audit,
				 err);
	}
	if (rc)
		store_tx_rollback(s);
	else
		rc = store_tx_commit(s, err);
	wipe_config(cfg);
	json_decref(cfg);
	json_decref(shown);
	json_decref(before);
	json_decref(audit);
	free(text);
	free(sealed);
	vg_arena_release(&mem);
	return rc;
}

int notify_channel_test(struct store *s, const char *name, const char *by, struct vg_error *err)
{
	char ts[VG_TIME_BUFSZ], summary[200];
	json_t *payload, *after;
	int rc;

	snprintf(summary, sizeof(summary), "Test message from vigil, sent by %s",
		 by && *by ? by : "an operator");
	payload = json_pack("{s:s, s:s, s:s}", "summary", summary, "severity", "info", "at",
			    vg_time_format(vg_now(), ts, sizeof(ts)));
	if (!payload)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if ((rc = store_tx_begin(s, err))) {
		json_decref(payload);
		return rc;
	}
	rc = notify_enqueue_channel(s, "notify.test", name ? name : "", payload, err);
	after = json_pack("{s:s, s:s}", "name", name ? name : "", "by", by ? by : "");
	if (!rc)
		rc =
		    store_audit(s, "notify.channel_test", "notify_channel", name, NULL, after, err);
	json_decref(after);
	json_decref(payload);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int notify_rule_remove(struct store *s, int64_t id, struct vg_error *err)
{
	int64_t n = 0;
	char ids[32];
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &n, err, "SELECT COUNT(*) FROM notify_rules WHERE id = ?", "i",
			       id);
	if (!rc && !n)
		rc = vg_error_set(err, VG_ENOTFOUND, "no rule %lld", (long long)id);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM notify_rules WHERE id = ?", "i", id);
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	if (!rc)
		rc = store_audit(s, "notify.rule_remove", "notify_rule", ids, NULL, NULL, err);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int notify_channel_exists(struct store *s, const char *name, int enabled_only, int *exists,
			  struct vg_error *err)
{
	int64_t n = 0;
	int rc =
	    store_query_int64(s, &n, err,
			      enabled_only ? "SELECT COUNT(*) FROM notify_channels WHERE name = "
					     "? AND enabled = 1"
					   : "SELECT COUNT(*) FROM notify_channels WHERE name = ?",
			      "t", name ? name : "");
	*exists = rc == VG_OK && n > 0;
	return rc;
}

int notify_channels(struct store *s, struct vg_arena *mem, struct notify_channel_list *out,
		    struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(s,
			   "SELECT name, kind, config_json, enabled, created_at FROM "
			   "notify_channels ORDER BY name",
			   &r.st, err);
	if (rc)
		return rc;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct notify_channel *c;
		char *text;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		c = &out->v[out->n++];
		c->name = store_reader_str(&r, 0);
		c->kind = store_reader_str(&r, 1);
		text = shown_text(store_col_text(r.st, 2));
		c->config_masked = text ? vg_arena_strdup(mem, text) : NULL;
		if (text && !c->config_masked)
			r.oom = 1;
		free(text);
		c->enabled = store_col_int64(r.st, 3);
		c->created_at = store_col_int64(r.st, 4);
	}
	return store_reader_done(&r, rc, err);
}

json_t *notify_channel_to_json(const struct notify_channel *c)
{
	json_t *o = json_object(), *cfg = NULL;
	if (!o)
		return NULL;
	vg_json_set_str(o, "name", c->name);
	vg_json_set_str(o, "kind", c->kind);
	json_object_set_new(o, "enabled", json_integer(c->enabled));
	json_object_set_new(o, "created_at", vg_json_time(c->created_at));
	if (c->config_masked)
		cfg = json_loads(c->config_masked, JSON_DECODE_ANY, NULL);
	json_object_set_new(o, "config", cfg ? cfg : json_null());
	return o;
}

json_t *notify_channel_list_to_json(const struct notify_channel_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, notify_channel_to_json(&l->v[i]));
	return a;
}

int notify_rule_add(struct store *s, const char *event, const char *min_severity,
		    const char *channel, struct vg_error *err)
{
	int64_t cid = 0;
	json_t *after;
	char id[32];
	int rc;

	if (!event || !*event || strlen(event) > 100)
		return vg_error_set(err, VG_EINVAL, "--event: expected an event name or '*'");
	if (min_severity && notify_severity_rank(min_severity) < 0)
		return vg_error_set(err, VG_EINVAL,
				    "--min-severity '%s': expected info, low, medium, high or "
				    "critical",
				    min_severity);
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &cid, err,
			       "SELECT id FROM notify_channels WHERE name = ? AND enabled = 1", "t",
			       channel ? channel : "");
	if (rc == VG_ENOTFOUND)
		vg_error_set(err, rc, "no channel named '%s'", channel ? channel : "");
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO notify_rules (event, min_severity, channel_id, "
				"created_at) VALUES (?,?,?,?)",
				"ttii", event, min_severity, cid, vg_now());
	after = json_pack("{s:s, s:s?, s:s}", "event", event, "min_severity", min_severity,
			  "channel", channel ? channel : "");
	snprintf(id, sizeof(id), "%s", event);
	if (!rc)
		rc = store_audit(s, "notify.rule_add", "notify_rule", id, NULL, after, err);
	json_decref(after);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int notify_rules(struct store *s, struct vg_arena *mem, struct notify_rule_list *out,
		 struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(s,
			   "SELECT r.id, r.event, r.min_severity, c.name, r.created_at FROM "
			   "notify_rules r JOIN notify_channels c ON c.id = r.channel_id ORDER BY "
			   "r.id",
			   &r.st, err);
	if (rc)
		return rc;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct notify_rule *x;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		x = &out->v[out->n++];
		x->id = store_col_int64(r.st, 0);
		x->event = store_reader_str(&r, 1);
		x->min_severity = store_reader_str(&r, 2);
		x->channel = store_reader_str(&r, 3);
		x->created_at = store_col_int64(r.st, 4);
	}
	return store_reader_done(&r, rc, err);
}

json_t *notify_rule_to_json(const struct notify_rule *x)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(x->id));
	vg_json_set_str(o, "event", x->event);
	vg_json_set_str(o, "min_severity", x->min_severity);
	vg_json_set_str(o, "channel", x->channel);
	json_object_set_new(o, "created_at", vg_json_time(x->created_at));
	return o;
}

json_t *notify_rule_list_to_json(const struct notify_rule_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, notify_rule_to_json(&l->v[i]));
	return a;
}

static int event_matches(const char *pattern, const char *event)
{
	size_t n = strlen(pattern);
	if (strcmp(pattern, "*") == 0 || strcmp(pattern, event) == 0)
		return 1;
	/* "sla.*" matches every event of that family */
	return n >= 2 && pattern[n - 1] == '*' && pattern[n - 2] == '.' &&
	       strncmp(pattern, event, n - 1) == 0;
}

int notify_enqueue(struct store *s, const char *event, const json_t *payload, int *n,
		   struct vg_error *err)
{
	struct vg_arena mem;
	struct store_reader r = {NULL, &mem, 0};
	struct {
		const char *event, *min;
		int64_t cid;
	} *rules = NULL;
	size_t nrules = 0, cap = 0;
	char *text = NULL;
	const char *sev = vg_json_str(payload, "severity");
	int rc;

	*n = 0;
	vg_arena_init(&mem, 0);
	rc = store_prepare(s,
			   "SELECT r.event, r.min_severity, r.channel_id FROM notify_rules r "
			   "JOIN notify_channels c ON c.id = r.channel_id WHERE c.enabled = 1 "
			   "ORDER BY r.id",
			   &r.st, err);
	if (rc)
		goto out;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(rules = store_reader_grow(&r, rules, nrules, &cap, sizeof(*rules))))
			break;
		rules[nrules].event = store_reader_str(&r, 0);
		rules[nrules].min = store_reader_str(&r, 1);
		rules[nrules++].cid = store_col_int64(r.st, 2);
	}
	if ((rc = store_reader_done(&r, rc, err)))
		goto out;
	text = json_dumps(payload, JSON_COMPACT | JSON_ENCODE_ANY);
	for (size_t i = 0; i < nrules; i++) {
		const char *min = rules[i].min;
		int64_t cid = rules[i].cid, dup = 0;
		if (!rules[i].event || !event_matches(rules[i].event, event))
			continue;
		/* A rule with a threshold needs a known severity at or above it; an event
		 * without severity (or an unknown one) never silently passes. */
		if (min && (notify_severity_rank(sev) < 0 ||
			    notify_severity_rank(sev) < notify_severity_rank(min)))
			continue;
		/* Two rules sending one event to the same channel deliver it once. */
		if (store_query_int64(s, &dup, NULL,
				      "SELECT COUNT(*) FROM notify_deliveries WHERE event = ? AND "
				      "channel_id = ? AND payload_json = ?",
				      "tit", event, cid, text ? text : "{}") == VG_OK &&
		    dup)
			continue;
		rc = store_exec(s, err,
				"INSERT INTO notify_deliveries (event, channel_id, payload_json, "
				"dedup_key, status, attempts, next_attempt_at, created_at) VALUES "
				"(?,?,?,?,'queued',0,?,?)",
				"tittii", event, cid, text ? text : "{}",
				vg_json_str(payload, "dedup_key"), vg_now(), vg_now());
		if (rc)
			break;
		(*n)++;
	}
out:
	free(text);
	vg_arena_release(&mem);
	return rc;
}

int notify_enqueue_channel(struct store *s, const char *event, const char *channel,
			   const json_t *payload, struct vg_error *err)
{
	int64_t cid = 0;
	char *text;
	int rc;

	if (store_query_int64(s, &cid, NULL,
			      "SELECT id FROM notify_channels WHERE name = ? AND enabled = 1", "t",
			      channel) != VG_OK)
		return vg_error_set(err, VG_ENOTFOUND,
				    "notification channel '%s' missing or disabled", channel);
	text = json_dumps(payload, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!text)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_exec(
	    s, err,
	    "INSERT INTO notify_deliveries (event, channel_id, payload_json, dedup_key, "
	    "status, attempts, next_attempt_at, created_at) VALUES "
	    "(?,?,?,?,'queued',0,?,?)",
	    "tittii", event, cid, text, vg_json_str(payload, "dedup_key"), vg_now(), vg_now());
	free(text);
	return rc;
}

int notify_mail_direct(struct store *s, const char *channel, const char *event, const char *to,
		       const char *subject, const char *text, struct vg_error *err)
{
	int64_t cid = 0;
	char *plain = NULL, *sealed = NULL, *payload = NULL;
	json_t *inner, *outer;
	int rc;

	if (!to || !*to || strpbrk(to, "\r\n<>") || !strchr(to, '@'))
		return vg_error_set(err, VG_EINVAL, "e-mail: to: expected an address");
	if (!channel || !*channel)
		channel = vg_config_get("notify.direct_channel", NULL);
	if (channel && *channel)
		rc = store_query_int64(
		    s, &cid, NULL,
		    "SELECT id FROM notify_channels WHERE name = ? AND enabled = 1 "
		    "AND kind = 'email'",
		    "t", channel);
	else
		rc =
		    store_query_int64(s, &cid, NULL,
				      "SELECT id FROM notify_channels WHERE enabled = 1 AND kind = "
				      "'email' ORDER BY name LIMIT 1",
				      NULL);
	if (rc != VG_OK)
		return vg_error_set(
		    err, VG_ENOTFOUND,
		    channel && *channel
			? "e-mail channel '%s' missing, disabled or not of kind email"
			: "no enabled e-mail notification channel%s",
		    channel && *channel ? channel : "");
	inner = json_pack("{s:s, s:s, s:s}", "to", to, "subject", subject ? subject : "", "text",
			  text ? text : "");
	plain = inner ? json_dumps(inner, JSON_COMPACT) : NULL;
	json_decref(inner);
	if (!plain)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = vg_secret_seal(NOTIFY_PURPOSE, plain, &sealed, err);
	free_secret_text(plain);
	if (rc)
		return rc;
	outer = json_pack("{s:s}", "sealed", sealed);
	payload = outer ? json_dumps(outer, JSON_COMPACT) : NULL;
	json_decref(outer);
	free(sealed);
	if (!payload)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc =
	    store_exec(s, err,
		       "INSERT INTO notify_deliveries (event, channel_id, payload_json, dedup_key, "
		       "status, attempts, next_attempt_at, created_at) VALUES "
		       "(?,?,?,NULL,'queued',0,?,?)",
		       "titii", event, cid, payload, vg_now(), vg_now());
	free(payload);
	return rc;
}

/* Open the sealed part of a direct e-mail's payload into m (the strings
 * live in *inner: the caller wipes and frees it). */
static int open_direct(const json_t *payload, struct notify_message *m, json_t **inner,
		       struct vg_error *err)
{
	char *plain = NULL;
	int rc;

	*inner = NULL;
	if (!vg_json_str(payload, "sealed"))
		return vg_error_set(err, VG_EINVAL, "direct e-mail: already sent or given up");
	if ((rc = vg_secret_open(NOTIFY_PURPOSE, vg_json_str(payload, "sealed"), &plain, err)))
		return rc;
	*inner = json_loads(plain, 0, NULL);
	free_secret_text(plain);
	if (!*inner || !vg_json_str(*inner, "to"))
		return vg_error_set(err, VG_EINVAL, "direct e-mail: unreadable");
	m->rcpt = vg_json_str(*inner, "to");
	m->summary = vg_json_str(*inner, "subject");
	m->text = vg_json_str(*inner, "text");
	m->details = NULL;
	return VG_OK;
}

static void wipe_direct(json_t *inner)
{
	const char *keys[] = {"to", "subject", "text"};
	for (size_t i = 0; inner && i < 3; i++) {
		json_t *v = json_object_get(inner, keys[i]);
		if (json_is_string(v))
			vg_wipe((char *)json_string_value(v), json_string_length(v));
	}
	json_decref(inner);
}

static int64_t backoff(int64_t attempts)
{
	static const int64_t steps[] = {60, 300, 900, 3600};
	if (attempts >= 1 && attempts <= 4)
		return steps[attempts - 1];
	return 4 * 3600;
}

int notify_deliver_due(struct store *s, int max, int *sent, int *failed, struct vg_error *err)
{
	struct vg_arena mem;
	struct store_reader r = {NULL, &mem, 0};
	struct {
		int64_t id, attempts;
		const char *event, *payload, *dedup_key, *kind, *config, *name, *sealed;
	} *due = NULL;
	size_t ndue = 0, cap = 0;
	int64_t now = vg_now(), max_attempts = vg_config_int("notify.max_attempts", 8);
	int rc;

	*sent = *failed = 0;
	{
		/* channels from before sealing (migration 0019) are sealed first */
		static int warned;
		struct vg_error se = {0};
		int nsealed = 0;
		if (notify_seal_existing(s, &nsealed, &se) && !warned) {
			warned = 1;
			vg_warn("notify: cannot seal the secrets of existing channels: %s",
				vg_error_msg(&se));
		} else if (nsealed) {
			vg_info("notify: sealed the secrets of %d existing channel(s)", nsealed);
		}
	}
	vg_arena_init(&mem, 0);
	rc = store_prepare(s,
			   "SELECT d.id, d.event, d.payload_json, d.dedup_key, d.attempts, c.kind, "
			   "c.config_json, c.name, c.secrets_sealed FROM notify_deliveries d JOIN "
			   "notify_channels c ON c.id "
			   "= d.channel_id WHERE (d.status IN ('queued', 'retry') AND "
			   "d.next_attempt_at <= ?) OR (d.status = 'sending' AND "
			   "d.next_attempt_at <= ?) ORDER BY d.id LIMIT ?",
			   &r.st, err);
	if (rc) {
		vg_arena_release(&mem);
		return rc;
	}
	store_bind_int64(r.st, 1, now);
	store_bind_int64(r.st, 2, now - 600);
	store_bind_int64(r.st, 3, (int64_t)max);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(due = store_reader_grow(&r, due, ndue, &cap, sizeof(*due))))
			break;
		due[ndue].id = store_col_int64(r.st, 0);
		due[ndue].event = store_reader_str(&r, 1);
		due[ndue].payload = store_reader_str(&r, 2);
		due[ndue].dedup_key = store_reader_str(&r, 3);
		due[ndue].attempts = store_col_int64(r.st, 4);
		due[ndue].kind = store_reader_str(&r, 5);
		due[ndue].config = store_reader_str(&r, 6);
		due[ndue].name = store_reader_str(&r, 7);
		due[ndue++].sealed = store_reader_str(&r, 8);
	}
	if ((rc = store_reader_done(&r, rc, err))) {
		vg_arena_release(&mem);
		return rc;
	}
	for (size_t i = 0; i < ndue; i++) {
		const struct notify_ops *ops = notify_ops_find(due[i].kind);
		json_t *cfg = NULL;
		json_t *payload =
		    due[i].payload ? json_loads(due[i].payload, JSON_DECODE_ANY, NULL) : NULL;
		struct notify_message m = {0};
		struct notify_result res = {0};
		struct vg_error e = {0};
		int64_t attempts = due[i].attempts + 1, id = due[i].id;
		struct store_stmt *claim = NULL;
		json_t *inner = NULL;
		int src, mine = 0, direct = 0;

		/* Claim the delivery first so that two senders (a server's job and a
		 * CLI run) never send it twice. */
		if (store_prepare(s,
				  "UPDATE notify_deliveries SET status = 'sending', attempts = ?, "
				  "next_attempt_at = ? WHERE id = ? AND status IN ('queued', "
				  "'retry', 'sending') AND attempts = ?",
				  &claim, NULL) == VG_OK) {
			/* a sender that died mid-send leaves 'sending': retried after 10 min */
			store_bind_int64(claim, 1, attempts);
			store_bind_int64(claim, 2, now);
			store_bind_int64(claim, 3, id);
			store_bind_int64(claim, 4, attempts - 1);
			mine = store_step(claim, NULL) == STORE_DONE && store_changes(claim) == 1;
			store_finalize(claim);
		}
		if (!mine) {
			json_decref(cfg);
			json_decref(payload);
			continue;
		}

		m.event = due[i].event;
		m.summary = vg_json_str(payload, "summary");
		m.severity = vg_json_str(payload, "severity");
		m.dedup_key = due[i].dedup_key;
		m.details = payload;
		m.at = now;
		{
			const char *at = vg_json_str(payload, "at");
			int64_t t;
			if (at && vg_time_parse(at, &t, NULL) == VG_OK)
				m.at = t;
		}
		/* the secrets are opened only now, to send, and wiped right after */
		src = !ops ? vg_error_set(&e, VG_EINVAL, "channel '%s': unknown kind",
					  due[i].name ? due[i].name : "")
			   : open_config(due[i].name ? due[i].name : "", due[i].config,
					 due[i].sealed, &cfg, &e);
		direct = json_object_get(payload, "sealed") != NULL;
		if (src == VG_OK && direct)
			src =
			    strcmp(due[i].kind, "email") != 0
				? vg_error_set(&e, VG_EINVAL,
					       "direct e-mail on a channel of kind %s", due[i].kind)
				: open_direct(payload, &m, &inner, &e);
		if (src == VG_OK)
			src = notify_channel_send(ops, cfg, &m, &res, &e);
		wipe_config(cfg);
		wipe_direct(inner);
		inner = NULL;
		if (direct && (src == VG_OK || attempts >= max_attempts)) {
			/* the address and the text leave the queue once done with */
			struct vg_error ue = {0};
			if (store_exec(
				s, &ue,
				"UPDATE notify_deliveries SET payload_json = '{}' WHERE id = ?",
				"i", id))
				vg_warn("notification %lld: cannot wipe its payload: %s",
					(long long)id, vg_error_msg(&ue));
		}
		if (src == VG_OK) {
			struct vg_error ue = {0};
			if (store_exec(
				s, &ue,
				"UPDATE notify_deliveries SET status = 'sent', attempts = ?, "
				"sent_at = ?, response_code = ?, last_error = NULL WHERE id = ?",
				"iiii", attempts, vg_now(), (int64_t)res.status, id))
				vg_warn("notification %lld sent but not marked: %s", (long long)id,
					vg_error_msg(&ue));
			(*sent)++;
		} else {
			int dead = attempts >= max_attempts;
			struct vg_error ue = {0};
			if (store_exec(s, &ue,
				       "UPDATE notify_deliveries SET status = ?, attempts = ?, "
				       "next_attempt_at = ?, response_code = ?, last_error = ? "
				       "WHERE id = ?",
				       "tiiiti", dead ? "dead" : "retry", attempts,
				       now + backoff(attempts), (int64_t)res.status,
				       vg_error_msg(&e), id))
				vg_warn("notification %lld: cannot record the failure: %s",
					(long long)id, vg_error_msg(&ue));
			vg_warn("notification %lld (%s) failed (attempt %lld): %s", (long long)id,
				m.event, (long long)attempts, vg_error_msg(&e));
			(*failed)++;
		}
		json_decref(cfg);
		json_decref(payload);
	}
	vg_arena_release(&mem);
	return VG_OK;
}

int notify_log(struct store *s, int64_t limit, struct vg_arena *mem,
	       struct notify_delivery_list *out, struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(s,
			   "SELECT d.id, d.event, c.name, c.kind, d.status, d.attempts, "
			   "d.response_code, d.last_error, d.created_at, d.next_attempt_at, "
			   "d.sent_at, d.dedup_key FROM notify_deliveries d JOIN notify_channels c "
			   "ON c.id = d.channel_id ORDER BY d.id DESC LIMIT ?",
			   &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, limit > 0 ? limit : 100);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct notify_delivery *d;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		d = &out->v[out->n++];
		d->id = store_col_int64(r.st, 0);
		d->event = store_reader_str(&r, 1);
		d->channel = store_reader_str(&r, 2);
		d->kind = store_reader_str(&r, 3);
		d->status = store_reader_str(&r, 4);
		d->attempts = store_col_int64(r.st, 5);
		d->response_code = store_col_isnull(r.st, 6) ? -1 : store_col_int64(r.st, 6);
		d->last_error = store_reader_str(&r, 7);
		d->created_at = store_col_int64(r.st, 8);
		d->next_attempt_at = store_col_isnull(r.st, 9) ? 0 : store_col_int64(r.st, 9);
		d->sent_at = store_col_isnull(r.st, 10) ? 0 : store_col_int64(r.st, 10);
		d->dedup_key = store_reader_str(&r, 11);
	}
	return store_reader_done(&r, rc, err);
}

json_t *notify_delivery_to_json(const struct notify_delivery *d)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(d->id));
	vg_json_set_str(o, "event", d->event);
	vg_json_set_str(o, "channel", d->channel);
	vg_json_set_str(o, "kind", d->kind);
	vg_json_set_str(o, "status", d->status);
	json_object_set_new(o, "attempts", json_integer(d->attempts));
	json_object_set_new(o, "response_code",
			    d->response_code >= 0 ? json_integer(d->response_code) : json_null());
	vg_json_set_str(o, "last_error", d->last_error);
	json_object_set_new(o, "created_at", vg_json_time(d->created_at));
	json_object_set_new(o, "next_attempt_at", vg_json_time(d->next_attempt_at));
	json_object_set_new(o, "sent_at", vg_json_time(d->sent_at));
	vg_json_set_str(o, "dedup_key", d->dedup_key);
	return o;
}

json_t *notify_delivery_list_to_json(const struct notify_delivery_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, notify_delivery_to_json(&l->v[i]));
	return a;
}

static int on_event(struct store *s, const char *name, const json_t *payload, void *arg)
{
	struct vg_error err = {0};
	int n = 0;
	(void)arg;
	if (!s)
		return VG_OK;
	if (notify_enqueue(s, name, payload, &n, &err)) {
		vg_warn("notify: cannot queue %s: %s", name, vg_error_msg(&err));
		return err.code;
	}
	return VG_OK;
}

void notify_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	vg_event_subscribe("*", "notify.enqueue", on_event, NULL);
}

/* ---- the delivery job (listed in src/app/tables.c) ---- */

static int deliver_job(struct store *s, struct vg_error *err)
{
	int sent = 0, failed = 0;
	return notify_deliver_due(s, 100, &sent, &failed, err);
}

/* clang-format off */
const struct vg_job notify_jobs[] = {
    {"notify.deliver", 1, deliver_job, NULL},
    {NULL, 0, NULL, NULL},
};
/* clang-format on */
