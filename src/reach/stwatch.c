/*
 * stwatch.c - watched security.txt locations (daily checks with history and
 * events) and probes of mailto: contacts. See reach.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/text.h"
#include "core/events.h"
#include "core/hash.h"
#include "core/log.h"
#include "notify/notify.h"
#include "reach/reach.h"
#include "store/reader.h"
#include "reach/securitytxt.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static int url_check(const char *url, struct vg_error *err)
{
	int rc = vg_text_check("URL", url, 400, 0, 1, err);
	if (rc)
		return rc;
	if (strncasecmp(url, "http://", 7) == 0)
		return vg_error_set(err, VG_EINVAL,
				    "URL '%s': security.txt must be served over https", url);
	if (strchr(url, ' '))
		return vg_error_set(err, VG_EINVAL, "URL '%s': contains a space", url);
	return VG_OK;
}

int stwatch_add(struct store *s, const char *url, struct vg_error *err)
{
	json_t *after;
	int rc = url_check(url, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(s, err, "INSERT INTO securitytxt_watches (url, created_at) VALUES (?,?)",
			"ti", url, vg_now());
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "%s is already watched", url);
	after = json_pack("{s:s}", "url", url);
	if (!rc)
		rc = store_audit(s, "securitytxt.watch.add", "securitytxt_watch", url, NULL, after,
				 err);
	json_decref(after);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	return rc;
}

int stwatch_remove(struct store *s, const char *url, struct vg_error *err)
{
	json_t *before;
	int64_t id = 0;
	int rc = store_query_int64(s, &id, err, "SELECT id FROM securitytxt_watches WHERE url = ?",
				   "t", url);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "%s is not watched", url);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	/* the check history goes with the watch; the audit trail keeps the record */
	rc = store_exec(s, err, "DELETE FROM securitytxt_checks WHERE watch_id = ?", "i", id);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM securitytxt_watches WHERE id = ?", "i", id);
	before = json_pack("{s:s}", "url", url);
	if (!rc)
		rc = store_audit(s, "securitytxt.watch.remove", "securitytxt_watch", url, before,
				 NULL, err);
	json_decref(before);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	return rc;
}

int stwatch_list(struct store *s, int64_t history_n, struct vg_arena *mem, struct stwatch_list *out,
		 struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(s, "SELECT id, url, created_at FROM securitytxt_watches ORDER BY url",
			   &r.st, err);
	if (rc)
		return rc;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct stwatch_entry *w;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		w = &out->v[out->n++];
		w->id = store_reader_int(&r, 0, 0);
		w->url = store_reader_str(&r, 1);
		w->created_at = store_reader_int(&r, 2, 0);
	}
	if ((rc = store_reader_done(&r, rc, err)))
		return rc;
	/* the checks after the watches, one statement at a time */
	for (size_t i = 0; i < out->n; i++) {
		struct stwatch_entry *w = &out->v[i];
		size_t ccap = 0;
		rc = store_prepare(
		    s,
		    "SELECT id, checked_at, status, errors, warnings, findings, "
		    "expires_at, fetched_url, encryption FROM securitytxt_checks WHERE "
		    "watch_id = ? ORDER BY checked_at DESC, id DESC LIMIT ?",
		    &r.st, err);
		if (rc)
			return rc;
		store_bind_int64(r.st, 1, w->id);
		store_bind_int64(r.st, 2, history_n > 0 ? history_n : 10);
		while ((rc = store_step(r.st, err)) == STORE_ROW) {
			struct stwatch_check *c;
			if (!(w->checks = store_reader_grow(&r, w->checks, w->nchecks, &ccap,
							    sizeof(*w->checks))))
				break;
			c = &w->checks[w->nchecks++];
			c->id = store_reader_int(&r, 0, 0);
			c->checked_at = store_reader_int(&r, 1, 0);
			c->status = store_reader_str(&r, 2);
			c->errors = store_reader_int(&r, 3, 0);
			c->warnings = store_reader_int(&r, 4, 0);
			c->findings = store_reader_int(&r, 5, 0);
			c->expires_at = store_reader_int(&r, 6, 0);
			c->fetched_url = store_reader_str(&r, 7);
			c->encryption = store_reader_str(&r, 8);
		}
		if ((rc = store_reader_done(&r, rc, err)))
			return rc;
	}
	return VG_OK;
}

json_t *stwatch_check_to_json(const struct stwatch_check *c)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "checked_at", vg_json_time(c->checked_at));
	vg_json_set_str(o, "status", c->status);
	json_object_set_new(o, "errors", json_integer(c->errors));
	json_object_set_new(o, "warnings", json_integer(c->warnings));
	json_object_set_new(o, "findings", json_integer(c->findings));
	json_object_set_new(o, "expires_at", vg_json_time(c->expires_at));
	vg_json_set_str(o, "fetched_url", c->fetched_url);
	vg_json_set_str(o, "encryption", c->encryption);
	return o;
}

json_t *stwatch_entry_to_json(const struct stwatch_entry *w)
{
	json_t *o = json_object(), *checks = json_array();
	if (!o || !checks) {
		json_decref(o);
		json_decref(checks);
		return NULL;
	}
	for (size_t i = 0; i < w->nchecks; i++)
		json_array_append_new(checks, stwatch_check_to_json(&w->checks[i]));
	json_object_set_new(o, "id", json_integer(w->id));
	vg_json_set_str(o, "url", w->url);
	json_object_set_new(o, "created_at", vg_json_time(w->created_at));
	json_object_set(o, "last", w->nchecks ? json_array_get(checks, 0) : json_null());
	json_object_set_new(o, "checks", checks);
	return o;
}

json_t *stwatch_list_to_json(const struct stwatch_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, stwatch_entry_to_json(&l->v[i]));
	return a;
}

static int has_code(const struct securitytxt_report *r, const char *code)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].code, code) == 0)
			return 1;
	return 0;
}

static void emit(struct store *s, const char *event, const char *severity, const char *url,
		 const char *summary, const struct securitytxt_report *r, int64_t checked_at)
{
	char key[600];
	json_t *codes = json_array(), *p;
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity == SECURITYTXT_ERROR)
			json_array_append_new(codes, json_string(r->findings[i].code));
	snprintf(key, sizeof(key), "%s-%s", event, url);
	p = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:O}", "summary", summary, "severity",
		      severity, "dedup_key", key, "url", url, "errors", (json_int_t)r->nerrors,
		      "expires", vg_json_time(r->has_expires ? r->expires : 0), "checked_at",
		      vg_json_time(checked_at), "error_codes", codes);
	if (p)
		vg_event_emit(s, event, p);
	json_decref(p);
	json_decref(codes);
}

/* Check one URL, record the result and emit its event. */
static int check_one(struct store *s, int64_t watch_id, const char *url, const char *cacert,
		     int *problem, struct vg_error *err)
{
	struct securitytxt_options opt = {0};
	struct securitytxt_report r = {0};
	struct vg_error e = {0};
	int64_t now = vg_now();
	const char *status = "ok", *enc = NULL;
	char summary[700], codes[1024] = "", ts[VG_TIME_BUFSZ];
	json_t *after;
	int rc;

	opt.now_set = 1;
	opt.now = now;
	opt.cacert = cacert;
	opt.timeout_s = vg_config_int("securitytxt.timeout", 20);
	rc = securitytxt_check_url(url, &opt, &r, &e);
	if (rc == VG_ENOMEM) {
		securitytxt_report_release(&r);
		return vg_error_set(err, rc, "%s", vg_error_msg(&e));
	}
	if (rc) {
		/* not even a URL: that is this watch's problem, not the job's */
		status = "unreachable";
		snprintf(summary, sizeof(summary), "security.txt at %s cannot be checked: %s", url,
			 vg_error_msg(&e));
	} else if (has_code(&r, "http_unreachable") || has_code(&r, "http_tls") ||
		   (has_code(&r, "http_status") && r.nfields == 0)) {
		status = "unreachable";
		snprintf(summary, sizeof(summary), "security.txt at %s is unreachable", url);
	} else if (r.nerrors) {
		status = "invalid";
		snprintf(summary, sizeof(summary), "security.txt at %s is invalid (%zu error%s)",
			 url, r.nerrors, r.nerrors == 1 ? "" : "s");
	} else if (r.has_expires && r.expires - now <= STWATCH_EXPIRING_SECONDS) {
		status = "expiring";
		snprintf(summary, sizeof(summary), "security.txt at %s expires %s", url,
			 vg_time_format(r.expires, ts, sizeof(ts)));
	}
	for (size_t i = 0; i < r.nfindings; i++) {
		size_t n = strlen(codes);
		if (r.findings[i].severity == SECURITYTXT_NOTICE)
			continue;
		snprintf(codes + n, sizeof(codes) - n, "%s%s", n ? " " : "", r.findings[i].code);
	}
	for (size_t i = 0; i < r.nfields; i++)
		if (r.fields[i].kind == SECURITYTXT_F_ENCRYPTION) {
			enc = r.fields[i].value;
			break;
		}
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO securitytxt_checks (watch_id, checked_at, status, "
				"errors, warnings, findings, expires_at, fetched_url, encryption, "
				"codes) VALUES (?,?,?,?,?,?,?,?,?,?)",
				"iitiiiitt"
				"t",
				watch_id, now, status, (int64_t)r.nerrors, (int64_t)r.nwarnings,
				(int64_t)r.nfindings, r.has_expires ? r.expires : (int64_t)0,
				r.url[0] ? r.url : NULL, enc, codes);
	after = json_pack("{s:s, s:s, s:I, s:I}", "url", url, "status", status, "errors",
			  (json_int_t)r.nerrors, "findings", (json_int_t)r.nfindings);
	if (!rc)
		rc =
		    store_audit(s, "securitytxt.check", "securitytxt_watch", url, NULL, after, err);
	json_decref(after);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	if (!rc && strcmp(status, "ok") != 0) {
		*problem = 1;
		if (strcmp(status, "unreachable") == 0)
			emit(s, "securitytxt.unreachable", "high", url, summary, &r, now);
		else if (strcmp(status, "invalid") == 0)
			emit(s, "securitytxt.invalid", "high", url, summary, &r, now);
		else
			emit(s, "securitytxt.expiring", "medium", url, summary, &r, now);
	}
	securitytxt_report_release(&r);
	return rc;
}

int stwatch_check_all(struct store *s, const char *cacert, int *checked, int *problems,
		      struct vg_error *err)
{
	struct vg_arena mem;
	struct store_reader r = {NULL, &mem, 0};
	struct stwatch_entry *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*checked = *problems = 0;
	if (!cacert)
		cacert = vg_config_get("securitytxt.cacert", NULL);
	vg_arena_init(&mem, 0);
	rc = store_prepare(s, "SELECT id, url FROM securitytxt_watches ORDER BY id", &r.st, err);
	if (rc)
		goto out;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		v[n].id = store_reader_int(&r, 0, 0);
		v[n++].url = store_reader_str(&r, 1);
	}
	/* every watch is checked after the listing is done */
	for (size_t i = 0; !(rc = store_reader_done(&r, rc, err)) && i < n; i++, rc = STORE_DONE) {
		int problem = 0;
		if ((rc = check_one(s, v[i].id, v[i].url, cacert, &problem, err)))
			break;
		(*checked)++;
		*problems += problem;
	}
out:
	vg_arena_release(&mem);
	return rc;
}

/* ---- contact probes ---- */

int stprobe_send(struct store *s, const char *contact, const char *source_url, int64_t *id,
		 struct vg_error *err)
{
	const char *smtp = vg_config_get("securitytxt.smtp_url", NULL);
	const char *from = vg_config_get("securitytxt.from", NULL);
	char token[64], hash[VG_SHA256_HEX], addr[320], summary[400];
	struct notify_message m = {0};
	struct notify_result res = {0};
	struct vg_error se = {0};
	json_t *cfg = NULL, *details = NULL, *after = NULL;
	int rc, sent;

	*id = 0;
	if ((rc = vg_text_check("--contact", contact, 300, 0, 1, err)))
		return rc;
	if (strncasecmp(contact, "mailto:", 7) != 0 || !strchr(contact + 7, '@') ||
	    strpbrk(contact, "<>\r\n ,"))
		return vg_error_set(err, VG_EINVAL,
				    "--contact '%s': expected a mailto: URI with one address",
				    contact);
	snprintf(addr, sizeof(addr), "%s", contact + 7);
	if (strchr(addr, '?'))
		*strchr(addr, '?') = '\0';
	if (!smtp || !from)
		return vg_error_set(err, VG_EINVAL,
				    "probes need securitytxt.smtp_url and securitytxt.from in the "
				    "configuration (or VIGIL_SECURITYTXT_SMTP_URL, "
				    "VIGIL_SECURITYTXT_FROM)");
	cfg = json_pack("{s:s, s:s, s:[s]}", "smtp_url", smtp, "from", from, "to", addr);
	if (!cfg)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = notify_email_ops.check(cfg, err);
	if (rc)
		goto out;
	if ((rc = vg_random_token(token, sizeof(token), 16)))
		goto out;
	vg_sha256_hex(token, strlen(token), hash);
	snprintf(summary, sizeof(summary), "security.txt contact probe %s", token);
	details = json_pack("{s:s, s:s, s:s?, s:s}", "probe_token", token, "contact", contact,
			    "security_txt", source_url, "instructions",
			    "This is a test of the security contact listed in security.txt. "
			    "Please confirm receipt to the PSIRT with: vigil securitytxt "
			    "confirm-probe <probe_token>");
	m.event = "securitytxt.probe";
	m.summary = summary;
	m.severity = "info";
	m.at = vg_now();
	m.details = details;
	sent = notify_channel_send(&notify_email_ops, cfg, &m, &res, &se) == VG_OK;
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO securitytxt_probes (contact, token_sha256, status, "
				"sent_at, send_error) VALUES (?,?,?,?,?)",
				"tttit", contact, hash, sent ? "sent" : "failed", vg_now(),
				sent ? NULL : vg_error_msg(&se));
	if (!rc)
		rc = store_query_int64(s, id, err,
				       "SELECT id FROM securitytxt_probes WHERE token_sha256 = ?",
				       "t", hash);
	after = json_pack("{s:s, s:s?, s:s}", "contact", contact, "security_txt", source_url,
			  "status", sent ? "sent" : "failed");
	if (!rc)
		rc = store_audit(s, "securitytxt.probe.send", "securitytxt_probe", contact, NULL,
				 after, err);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	if (!rc && !sent)
		rc = vg_error_set(err, VG_EIO, "probe to %s not sent: %s", addr, vg_error_msg(&se));
out:
	vg_wipe(token, sizeof(token));
	json_decref(after);
	json_decref(details);
	json_decref(cfg);
	return rc;
}

int stprobe_confirm(struct store *s, const char *token, int64_t *id, struct vg_error *err)
{
	char hash[VG_SHA256_HEX], idbuf[32], contact[320] = "";
	struct store_stmt *st = NULL;
	json_t *after = NULL;
	int rc, confirmed = 0;

	*id = 0;
	if (!token || strlen(token) < 8 || strlen(token) > 128)
		return vg_error_set(err, VG_ENOTFOUND, "unknown probe token");
	vg_sha256_hex(token, strlen(token), hash);
	rc = store_prepare(
	    s, "SELECT id, contact, status FROM securitytxt_probes WHERE token_sha256 = ?", &st,
	    err);
	if (rc)
		return rc;
	store_bind_text(st, 1, hash);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		*id = store_col_int64(st, 0);
		snprintf(contact, sizeof(contact), "%s",
			 store_col_text(st, 1) ? store_col_text(st, 1) : "");
		confirmed =
		    store_col_text(st, 2) && strcmp(store_col_text(st, 2), "confirmed") == 0;
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND, "unknown probe token");
	}
	store_finalize(st);
	if (rc)
		return rc;
	if (confirmed)
		return vg_error_set(err, VG_ESTATE, "probe %lld was already confirmed",
				    (long long)*id);
	rc = store_tx_begin(s, err);
	if (!rc)
		rc =
		    store_exec(s, err,
			       "UPDATE securitytxt_probes SET status = 'confirmed', confirmed_at = "
			       "?, confirmed_by = ? WHERE id = ?",
			       "iti", vg_now(), store_actor(s), *id);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)*id);
	after = json_pack("{s:s, s:s}", "contact", contact, "status", "confirmed");
	if (!rc)
		rc = store_audit(s, "securitytxt.probe.confirm", "securitytxt_probe", idbuf, NULL,
				 after, err);
	if (!rc)
		rc = store_tx_commit(s, err);
	if (rc && store_in_tx(s))
		store_tx_rollback(s);
	json_decref(after);
	return rc;
}

int stprobe_list(struct store *s, struct vg_arena *mem, struct stprobe_list *out,
		 struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = store_prepare(s,
			   "SELECT id, contact, status, sent_at, send_error, confirmed_at, "
			   "confirmed_by FROM securitytxt_probes ORDER BY id DESC",
			   &r.st, err);
	if (rc)
		return rc;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		struct stprobe *p;
		if (!(out->v = store_reader_grow(&r, out->v, out->n, &cap, sizeof(*out->v))))
			break;
		p = &out->v[out->n++];
		p->id = store_reader_int(&r, 0, 0);
		p->contact = store_reader_str(&r, 1);
		p->status = store_reader_str(&r, 2);
		p->sent_at = store_reader_int(&r, 3, 0);
		p->send_error = store_reader_str(&r, 4);
		p->confirmed_at = store_reader_int(&r, 5, 0);
		p->confirmed_by = store_reader_str(&r, 6);
	}
	return store_reader_done(&r, rc, err);
}

json_t *stprobe_to_json(const struct stprobe *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(p->id));
	vg_json_set_str(o, "contact", p->contact);
	vg_json_set_str(o, "status", p->status);
	json_object_set_new(o, "sent_at", vg_json_time(p->sent_at));
	vg_json_set_str(o, "send_error", p->send_error);
	json_object_set_new(o, "confirmed_at", vg_json_time(p->confirmed_at));
	vg_json_set_str(o, "confirmed_by", p->confirmed_by);
	return o;
}

json_t *stprobe_list_to_json(const struct stprobe_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, stprobe_to_json(&l->v[i]));
	return a;
}
