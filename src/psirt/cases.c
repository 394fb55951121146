/*
 * cases.c - PSIRT cases: intake, workflow, acknowledgement clock, messages,
 * links, and the job table of the PSIRT clocks.
 */
#define _POSIX_C_SOURCE 200809L
#include "psirt/cases.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/text.h"
#include "core/events.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/secret.h"
#include "jobs/jobs.h"
#include "psirt/art14.h"
#include "psirt/psirt_int.h"
#include "store/store.h"
#include "triage/triage.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ---- the report body ---- */

static const struct {
	const char *key;
	size_t max;
	int multiline;
	int required;
} report_fields[] = {
    {"title", 300, 0, 0},         {"product", 200, 0, 1},     {"version", 100, 0, 0},
    {"description", 65536, 1, 1}, {"impact", 16384, 1, 0},    {"poc", 65536, 1, 0},
    {"contact", 320, 0, 0},       {"credit_name", 200, 0, 0}, {"encrypted", 131072, 1, 0},
};
#define NREPORT (sizeof(report_fields) / sizeof(report_fields[0]))

static const char **report_slot(struct case_report *r, size_t i)
{
	const char **slots[NREPORT] = {&r->title,       &r->product,     &r->version,
				       &r->description, &r->impact,      &r->poc,
				       &r->contact,     &r->credit_name, &r->encrypted};
	return slots[i];
}

int case_report_check(const struct case_report *r, const char *what, struct vg_error *err)
{
	struct case_report copy = *r;
	for (size_t i = 0; i < NREPORT; i++) {
		char name[160];
		int rc;
		snprintf(name, sizeof(name), "%s: /%s", what, report_fields[i].key);
		rc = vg_text_check(name, *report_slot(&copy, i), report_fields[i].max,
				   report_fields[i].multiline, report_fields[i].required, err);
		if (rc)
			return rc;
	}
	if (r->encrypted && *r->encrypted) {
		const char *b = strstr(r->encrypted, "-----BEGIN PGP MESSAGE-----");
		if (!b || !strstr(b, "-----END PGP MESSAGE-----"))
			return vg_error_set(err, VG_EINVAL,
					    "%s: /encrypted: expected an ASCII-armored OpenPGP "
					    "message (-----BEGIN PGP MESSAGE----- ... -----END PGP "
					    "MESSAGE-----)",
					    what);
	}
	return VG_OK;
}

int case_report_parse(const char *data, size_t n, struct case_report *out, json_t **hold,
		      struct vg_error *err)
{
	json_t *doc, *v;
	const char *key;
	int rc = VG_OK;

	memset(out, 0, sizeof(*out));
	*hold = NULL;
	if (n > CASE_REPORT_MAX)
		return vg_error_set(err, VG_ETOOBIG,
				    "request body: %zu bytes, a report may have at most %d", n,
				    CASE_REPORT_MAX);
	doc = vg_json_parse(data, n, "request body", err);
	if (!doc)
		return err && err->code ? err->code : VG_EPARSE;
	if (!json_is_object(doc)) {
		rc = vg_error_set(err, VG_EINVAL, "request body: expected a JSON object");
		goto out;
	}
	json_object_foreach(doc, key, v)
	{
		size_t i;
		if (strcmp(key, "credit_consent") == 0) {
			if (!json_is_boolean(v)) {
				rc = vg_error_set(err, VG_EINVAL,
						  "request body: /credit_consent: expected true or "
						  "false");
				goto out;
			}
			out->credit_consent = json_is_true(v);
			continue;
		}
		for (i = 0; i < NREPORT; i++)
			if (strcmp(key, report_fields[i].key) == 0)
				break;
		if (i == NREPORT) {
			rc = vg_error_set(err, VG_EINVAL,
					  "request body: /%.40s: unknown member (expected product, "
					  "version, description, impact, poc, contact, "
					  "credit_consent, credit_name, title, encrypted)",
					  key);
			goto out;
		}
		if (json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			rc = vg_error_set(err, VG_EINVAL, "request body: /%s: expected a string",
					  key);
			goto out;
		}
		if (strlen(json_string_value(v)) != json_string_length(v)) {
			rc = vg_error_set(err, VG_EINVAL,
					  "request body: /%s: NUL character not allowed", key);
			goto out;
		}
		*report_slot(out, i) = json_string_value(v);
	}
	rc = case_report_check(out, "request body", err);
out:
	if (rc) {
		json_decref(doc);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	*hold = doc;
	return VG_OK;
}

/* ---- workflow ---- */

static const struct {
	const char *from;
	const char *to[4];
} moves[] = {
    {"received", {"acknowledged", NULL}},
    {"acknowledged", {"triaged", NULL}},
    {"triaged", {"accepted", "rejected", "duplicate", NULL}},
    {"accepted", {"remediation", NULL}},
    {"rejected", {"closed", NULL}},
    {"duplicate", {"closed", NULL}},
    {"remediation", {"disclosed", NULL}},
    {"disclosed", {"closed", NULL}},
    {"closed", {NULL}},
};

static int known_state(const char *st)
{
	for (size_t i = 0; st && i < sizeof(moves) / sizeof(moves[0]); i++)
		if (strcmp(moves[i].from, st) == 0)
			return 1;
	return 0;
}

const char *const *case_next_states(const char *from)
{
	for (size_t i = 0; from && i < sizeof(moves) / sizeof(moves[0]); i++)
		if (strcmp(moves[i].from, from) == 0)
			return moves[i].to;
	return NULL;
}

/* 1 when from -> to is allowed; else the allowed ones into allowed. */
static int move_allowed(const char *from, const char *to, char *allowed, size_t n)
{
	allowed[0] = '\0';
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i].from, from) != 0)
			continue;
		for (int k = 0; moves[i].to[k]; k++) {
			if (strcmp(moves[i].to[k], to) == 0)
				return 1;
			snprintf(allowed + strlen(allowed), n - strlen(allowed), "%s%s",
				 *allowed ? ", " : "", moves[i].to[k]);
		}
	}
	if (!*allowed)
		snprintf(allowed, n, "none (the case is %s)", from);
	return 0;
}

static int audit_case(struct store *s, const char *action, int64_t id, json_t *before,
		      json_t *after, struct vg_error *err)
{
	char oid[32];
	int rc;
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	rc = after || !before ? store_audit(s, action, "case", oid, before, after, err)
			      : vg_error_set(err, VG_ENOMEM, "out of memory");
	json_decref(before);
	json_decref(after);
	return rc;
}

static int case_state(struct store *s, int64_t id, char *out, size_t n, struct vg_error *err)
{
	char *st = NULL;
	int rc =
	    store_query_text(s, &st, err, "SELECT state FROM psirt_cases WHERE id = ?", "i", id);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, rc, "no case with id %lld", (long long)id);
	if (rc)
		return rc;
	snprintf(out, n, "%s", st ? st : "");
	free(st);
	return VG_OK;
}

static void derive_title(const struct case_report *r, char *out, size_t n)
{
	size_t len = 0;
	const char *d = r->description ? r->description : "";
	while (d[len] && d[len] != '\n' && d[len] != '\r' && len < 80)
		len++;
	/* do not cut a UTF-8 sequence in half */
	while (len && d[len] && ((unsigned char)d[len] & 0xc0) == 0x80)
		len--;
	snprintf(out, n, "%s%s%s: %.*s", r->product ? r->product : "report", r->version ? " " : "",
		 r->version ? r->version : "", (int)len, d);
}

int case_create(struct store *s, const struct case_report *r, const char *source,
		const char *remote, char *token, size_t tokensz, int64_t *id, struct vg_error *err)
{
	return case_create_ex(s, r, source, remote, NULL, 0, NULL, token, tokensz, id, err);
}

size_t case_attachment_max(void)
{
	int64_t v = vg_config_int("psirt.attachment_max", CASE_ATTACHMENT_MAX);
	return v > 0 ? (size_t)v : 0;
}

int case_attachments_max(void)
{
	int64_t v = vg_config_int("psirt.attachments_max", CASE_ATTACHMENTS_MAX);
	return v < 0 ? 0 : v > 100 ? 100 : (int)v;
}

size_t case_attachments_total_max(void)
{
	int64_t v = vg_config_int("psirt.attachments_total_max", CASE_ATTACHMENTS_SIZE);
	return v > 0 ? (size_t)v : 0;
}

static int check_attachments(const struct case_attachment *att, int natt, struct vg_error *err)
{
	size_t total = 0, one = case_attachment_max(), all = case_attachments_total_max();
	if (natt > case_attachments_max())
		return vg_error_set(err, VG_ETOOBIG,
				    "attachment: %d files sent, at most %d are accepted", natt,
				    case_attachments_max());
	for (int i = 0; i < natt; i++) {
		const char *fn = att[i].filename ? att[i].filename : "";
		int rc = vg_text_check("attachment file name", fn, 255, 0, 1, err);
		if (rc)
			return rc;
		if ((rc = vg_text_check("attachment content type", att[i].content_type, 127, 0, 0,
					err)))
			return rc;
		if (att[i].n > one)
			return vg_error_set(err, VG_ETOOBIG,
					    "attachment '%s': %zu bytes, larger than the limit of "
					    "%zu bytes per file",
					    fn, att[i].n, one);
		total += att[i].n;
	}
	if (total > all)
		return vg_error_set(err, VG_ETOOBIG,
				    "attachment: %zu bytes in all, larger than the limit of %zu "
				    "bytes for all files",
				    total, all);
	return VG_OK;
}

static int add_attachments(struct store *s, int64_t id, const struct case_attachment *att, int natt,
			   json_t *list, struct vg_error *err)
{
	int rc = VG_OK;
	for (int i = 0; i < natt && !rc; i++) {
		char sha[VG_SHA256_HEX];
		const char *ct = att[i].content_type && *att[i].content_type
				     ? att[i].content_type
				     : "application/octet-stream";
		vg_sha256_hex(att[i].data, att[i].n, sha);
		rc = store_blob_put(s, att[i].data, att[i].n, sha, "an attachment", err);
		if (!rc)
			rc = store_exec(s, err,
					"INSERT INTO psirt_case_attachments (case_id, n, filename, "
					"content_type, size, sha256, created_at) VALUES "
					"(?,?,?,?,?,?,?)",
					"iittiti", id, (int64_t)(i + 1), att[i].filename, ct,
					(int64_t)att[i].n, sha, vg_now());
		if (!rc)
			json_array_append_new(list, json_pack("{s:i, s:s, s:I, s:s}", "n", i + 1,
							      "filename", att[i].filename, "size",
							      (json_int_t)att[i].n, "sha256", sha));
	}
	return rc;
}

int case_reporter_mac(const char *remote, char out[65], struct vg_error *err)
{
	struct vg_error e = {0};

	if (!vg_secret_mac_hex("reporter-addr", remote, strlen(remote), out, &e))
		return VG_OK;
	/* the key file's trouble is for the operator, not for the reporter */
	vg_err("psirt: cannot hash a reporter's address: %s", vg_error_msg(&e));
	return vg_error_set(err, VG_EINTERNAL,
			    "the report cannot be recorded right now (a server configuration "
			    "problem); please try again later");
}

/* Count and insert atomically per address: SQLite's BEGIN IMMEDIATE already
 * serialises writers; on PostgreSQL concurrent reports from one address
 * would each see the count below the limit, so they queue on a transaction
 * lock of their address hash (the two-key form: apart from the audit and
 * leader locks), and reports from other addresses do not wait. */
static int lock_reporter(struct store *s, const char *mac, struct vg_error *err)
{
	int64_t one = 0;

	if (store_kind(s) != STORE_PG)
		return VG_OK;
	return store_query_int64(
	    s, &one, err, "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7461, hashtext(?))) l", "t",
	    mac);
}

int case_form_nonce_used(struct store *s, const char *nonce)
{
	int64_t n = 0;
	return nonce &&
	       store_query_int64(s, &n, NULL,
				 "SELECT COUNT(*) FROM psirt_cases WHERE form_nonce = ?", "t",
				 nonce) == VG_OK &&
	       n > 0;
}

int case_create_ex(struct store *s, const struct case_report *r, const char *source,
		   const char *remote, const struct case_attachment *att, int natt,
		   const char *form_nonce, char *token, size_t tokensz, int64_t *id,
		   struct vg_error *err)
{
	char title[512], tok[CASE_TOKEN_BUFSZ], tokhash[VG_SHA256_HEX], rhash[VG_SHA256_HEX];
	int64_t now = vg_now(), recent = 0, newid = 0;
	int64_t ack_due = now + vg_config_int("psirt.ack_hours", CASE_ACK_HOURS) * 3600;
	json_t *attlist = NULL, *after;
	int rc;

	rc = case_report_check(r, source, err);
	if (!rc)
		rc = check_attachments(att, natt, err);
	if (rc)
		return rc;
	if (r->title)
		snprintf(title, sizeof(title), "%s", r->title);
	else
		derive_title(r, title, sizeof(title));
	if (remote && (rc = case_reporter_mac(remote, rhash, err)))
		return rc;
	if (token) {
		if (tokensz < CASE_TOKEN_BUFSZ || vg_random_token(tok, sizeof(tok), 32))
			return vg_error_set(err, VG_EINTERNAL, "cannot make a tracking token");
		vg_sha256_hex(tok, strlen(tok), tokhash);
	}
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	if (remote)
		rc = lock_reporter(s, rhash, err);
	if (!rc && remote) {
		rc = store_query_int64(
		    s, &recent, err,
		    "SELECT COUNT(*) FROM psirt_cases WHERE reporter_addr_mac = ? AND "
		    "received_at > ?",
		    "ti", rhash, now - 3600);
		if (!rc && recent >= vg_config_int("psirt.report_rate", 10))
			rc = vg_error_set(err, VG_ERATE,
					  "too many reports from this address in the last hour; "
					  "please try again later");
	}
	if (!rc && form_nonce && case_form_nonce_used(s, form_nonce))
		rc = vg_error_set(err, VG_EEXIST,
				  "this form was already sent (a form can be sent once); your "
				  "report was received the first time");
	if (!rc)
		rc = store_exec(
		    s, err,
		    "INSERT INTO psirt_cases (state, title, product, product_version, "
		    "description, impact, poc, reporter_contact, credit_consent, credit, "
		    "source, token_sha256, reporter_addr_mac, received_at, ack_due_at, "
		    "updated_at, encrypted_body, form_nonce) VALUES "
		    "('received',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		    "tttttttittttiiitt", title, r->product, r->version, r->description, r->impact,
		    r->poc, r->contact, (int64_t)(r->credit_consent != 0),
		    r->credit_consent ? r->credit_name : NULL, source, token ? tokhash : NULL,
		    remote ? rhash : NULL, now, ack_due, now,
		    r->encrypted && *r->encrypted ? r->encrypted : NULL, form_nonce);
	if (rc == VG_EEXIST && form_nonce)
		vg_error_set(err, rc,
			     "this form was already sent (a form can be sent once); your report "
			     "was received the first time");
	if (!rc)
		rc = store_query_int64(s, &newid, err,
				       "SELECT MAX(id) FROM psirt_cases WHERE received_at = ? AND "
				       "title = ?",
				       "it", now, title);
	attlist = json_array();
	if (!rc && natt)
		rc = attlist ? add_attachments(s, newid, att, natt, attlist, err)
			     : vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc) {
		/* the address, even keyed, stays out of the trail: the record's
		 * remote is already store_anon_remote() for an anonymous sender */
		after = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:b, s:b, s:o, s:o, s:I, s:b}",
				  "state", "received", "title", title, "product", r->product,
				  "version", r->version, "source", source, "anonymous", !r->contact,
				  "credit_consent", r->credit_consent != 0, "received_at",
				  vg_json_time(now), "ack_due_at", vg_json_time(ack_due),
				  "description_bytes",
				  (json_int_t)(r->description ? strlen(r->description) : 0),
				  "encrypted", r->encrypted && *r->encrypted);
		if (after && natt)
			json_object_set(after, "attachments", attlist);
		rc = audit_case(s, "case.received", newid, NULL, after, err);
	}
	json_decref(attlist);
	rc = store_tx_end(s, rc, err);
	if (!rc) {
		*id = newid;
		if (token)
			snprintf(token, tokensz, "%s", tok);
	}
	vg_wipe(tok, sizeof(tok));
	return rc;
}

#define CASE_FULL_VIEW     1
#define CASE_REPORTER_VIEW 2
static int case_load(struct store *s, int64_t id, int view, struct psirt_case *c,
		     struct vg_error *err);

static int case_by_token(struct store *s, const char *token, int64_t *id, struct vg_error *err)
{
	char h[VG_SHA256_HEX];
	int rc;
	if (!token || strlen(token) < 20 || strlen(token) > 100)
		return vg_error_set(err, VG_ENOTFOUND, "unknown tracking token");
	vg_sha256_hex(token, strlen(token), h);
	rc = store_query_int64(s, id, err, "SELECT id FROM psirt_cases WHERE token_sha256 = ?", "t",
			       h);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, rc, "unknown tracking token");
	return rc;
}

int case_status_by_token(struct store *s, const char *token, struct psirt_case *out,
			 struct vg_error *err)
{
	int64_t id = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = case_by_token(s, token, &id, err);
	if (!rc)
		rc = case_load(s, id, CASE_REPORTER_VIEW, out, err);
	return rc;
}

/* The reporter's messages of the last hour on case id, counted under a
 * transaction lock of the case on PostgreSQL (as lock_reporter), so that
 * concurrent messages cannot all pass the per-report rate. */
static int reporter_rate(struct store *s, int64_t id, struct vg_error *err)
{
	int64_t recent = 0, one = 0;
	int rc = VG_OK;

	if (store_kind(s) == STORE_PG)
		rc = store_query_int64(s, &one, err,
				       "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7462, "
				       "CAST(? AS INTEGER))) l",
				       "i", id);
	if (!rc)
		rc = store_query_int64(s, &recent, err,
				       "SELECT COUNT(*) FROM psirt_case_messages WHERE case_id = ? "
				       "AND kind = 'from_reporter' AND created_at > ?",
				       "ii", id, vg_now() - 3600);
	if (!rc && recent >= vg_config_int("psirt.message_rate", 20))
		rc = vg_error_set(err, VG_ERATE,
				  "too many messages on this report in the last hour; please try "
				  "again later");
	return rc;
}

static int add_message(struct store *s, int64_t id, const char *kind, const char *author,
		       const char *body, struct vg_error *err)
{
	char st[32];
	int rc = vg_text_check("message", body, 65536, 1, 1, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	if (strcmp(kind, "from_reporter") == 0)
		rc = reporter_rate(s, id, err);
	if (!rc)
		rc = case_state(s, id, st, sizeof(st), err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO psirt_case_messages (case_id, kind, author, body, "
				"created_at) VALUES (?,?,?,?,?)",
				"ittti", id, kind, author, body, vg_now());
	if (!rc)
		rc = store_exec(s, err, "UPDATE psirt_cases SET updated_at = ? WHERE id = ?", "ii",
				vg_now(), id);
	if (!rc)
		rc = audit_case(s, strcmp(kind, "note") == 0 ? "case.note" : "case.message", id,
				NULL,
				json_pack("{s:s, s:s, s:I}", "kind", kind, "author", author,
					  "bytes", (json_int_t)strlen(body)),
				err);
	return store_tx_end(s, rc, err);
}

int case_reporter_message(struct store *s, const char *token, const char *body,
			  struct vg_error *err)
{
	int64_t id = 0;
	int rc = case_by_token(s, token, &id, err);
	return rc ? rc : add_message(s, id, "from_reporter", "reporter", body, err);
}

int case_message(struct store *s, int64_t id, const char *kind, const char *body,
		 struct vg_error *err)
{
	if (!kind || (strcmp(kind, "note") && strcmp(kind, "to_reporter")))
		return vg_error_set(err, VG_EINVAL, "message kind: expected note or to_reporter");
	return add_message(s, id, kind, store_actor(s), body, err);
}

int case_transition(struct store *s, int64_t id, const char *to, const char *note,
		    struct vg_error *err)
{
	char from[32], allowed[160];
	int64_t now = vg_now();
	int rc;

	if (!known_state(to))
		return vg_error_set(
		    err, VG_EINVAL,
		    "state '%s': expected received, acknowledged, triaged, "
		    "accepted, rejected, duplicate, remediation, disclosed or closed",
		    to ? to : "");
	if ((rc = vg_text_check("note", note, 65536, 1, 0, err)))
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = case_state(s, id, from, sizeof(from), err);
	if (!rc && !move_allowed(from, to, allowed, sizeof(allowed)))
		rc = vg_error_set(err, VG_ESTATE, "case %lld is %s: cannot move to %s; allowed: %s",
				  (long long)id, from, to, allowed);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE psirt_cases SET state = ?, updated_at = ? WHERE id = ?",
				"tii", to, now, id);
	if (!rc && strcmp(to, "acknowledged") == 0)
		rc = store_exec(s, err, "UPDATE psirt_cases SET acknowledged_at = ? WHERE id = ?",
				"ii", now, id);
	if (!rc && strcmp(to, "closed") == 0)
		rc = store_exec(s, err, "UPDATE psirt_cases SET closed_at = ? WHERE id = ?", "ii",
				now, id);
	if (!rc && note && *note)
		rc = store_exec(s, err,
				"INSERT INTO psirt_case_messages (case_id, kind, author, body, "
				"created_at) VALUES (?,'note',?,?,?)",
				"itti", id, store_actor(s), note, now);
	if (!rc)
		rc = audit_case(s, strcmp(to, "acknowledged") == 0 ? "case.ack" : "case.state", id,
				json_pack("{s:s}", "state", from),
				json_pack("{s:s, s:o}", "state", to, "at", vg_json_time(now)), err);
	return store_tx_end(s, rc, err);
}

int case_assign(struct store *s, int64_t id, const char *who, struct vg_error *err)
{
	char st[32];
	char *old = NULL;
	int rc = vg_text_check("assignee", who, 128, 0, 1, err);
	if (!rc)
		rc = psirt_person_may_act(s, who, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = case_state(s, id, st, sizeof(st), err);
	if (!rc)
		rc = store_query_text(s, &old, err, "SELECT assignee FROM psirt_cases WHERE id = ?",
				      "i", id);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE psirt_cases SET assignee = ?, updated_at = ? WHERE id = ?",
				"tii", who, vg_now(), id);
	if (!rc)
		rc = audit_case(s, "case.assign", id,
				json_pack("{s:o}", "assignee", vg_json_text(old)),
				json_pack("{s:s}", "assignee", who), err);
	free(old);
	return store_tx_end(s, rc, err);
}

const char *case_vuln_kind(const char *id)
{
	const char *p;
	int digits = 0;

	if (!id)
		return NULL;
	if (strncmp(id, "CVE-", 4) == 0) {
		p = id + 4;
		for (int i = 0; i < 4; i++)
			if (!isdigit((unsigned char)p[i]))
				return NULL;
		if (p[4] != '-')
			return NULL;
		for (p += 5; *p; p++, digits++)
			if (!isdigit((unsigned char)*p))
				return NULL;
		return digits >= 4 && digits <= 19 ? "cve" : NULL;
	}
	if (strncmp(id, "GHSA-", 5) == 0) {
		p = id + 5;
		for (int g = 0; g < 3; g++) {
			for (int i = 0; i < 4; i++, p++)
				if (!isdigit((unsigned char)*p) && !(*p >= 'a' && *p <= 'z'))
					return NULL;
			if (g < 2 && *p++ != '-')
				return NULL;
		}
		return *p ? NULL : "ghsa";
	}
	return NULL;
}

/* A finding link must name a finding that exists. */
static int finding_exists(struct store *s, const char *value, struct vg_error *err)
{
	struct finding_detail d;
	int64_t fid = 0;
	int rc = vg_id_parse(value, "finding", &fid, err);
	if (rc)
		return rc;
	rc = triage_finding_get(s, fid, &d, err);
	finding_detail_release(&d);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, rc, "finding %lld: no such finding", (long long)fid);
	return rc;
}

static int link_check(struct store *s, const char *kind, const char *value, struct vg_error *err)
{
	static const char *const kinds[] = {"product", "version",  "cve",     "ghsa",
					    "finding", "advisory", "release", NULL};
	const char *vk;
	int ok = 0, rc;

	for (int i = 0; kind && kinds[i]; i++)
		ok |= strcmp(kind, kinds[i]) == 0;
	if (!ok)
		return vg_error_set(
		    err, VG_EINVAL,
		    "link kind '%s': expected product, version, cve, ghsa, finding, "
		    "advisory or release",
		    kind ? kind : "");
	if ((rc = vg_text_check("link value", value, 200, 0, 1, err)))
		return rc;
	vk = case_vuln_kind(value);
	if (strcmp(kind, "cve") == 0 && (!vk || strcmp(vk, "cve") != 0))
		return vg_error_set(err, VG_EINVAL,
				    "cve '%s': expected CVE-YYYY-NNNN (four or more digits)",
				    value);
	if (strcmp(kind, "ghsa") == 0 && (!vk || strcmp(vk, "ghsa") != 0))
		return vg_error_set(
		    err, VG_EINVAL,
		    "ghsa '%s': expected GHSA-xxxx-xxxx-xxxx (lower-case letters and "
		    "digits)",
		    value);
	if (strcmp(kind, "finding") == 0)
		return finding_exists(s, value, err);
	return VG_OK;
}

/* Insert one link inside the caller's transaction (audited case.link). */
static int link_in_tx(struct store *s, int64_t id, const char *kind, const char *value,
		      struct vg_error *err)
{
	int rc = store_exec(s, err,
			    "INSERT INTO psirt_case_links (case_id, kind, value, created_at) "
			    "VALUES (?,?,?,?)",
			    "itti", id, kind, value, vg_now());
	if (rc == VG_EEXIST)
		vg_error_set(err, rc, "case %lld is already linked to %s %s", (long long)id, kind,
			     value);
	if (!rc)
		rc = audit_case(s, "case.link", id, NULL,
				json_pack("{s:s, s:s}", "kind", kind, "value", value), err);
	return rc;
}

int case_link(struct store *s, int64_t id, const char *kind, const char *value,
	      struct vg_error *err)
{
	char st[32];
	int rc = link_check(s, kind, value, err);

	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = case_state(s, id, st, sizeof(st), err);
	if (!rc)
		rc = link_in_tx(s, id, kind, value, err);
	return store_tx_end(s, rc, err);
}

int case_unlink(struct store *s, int64_t id, const char *kind, const char *value,
		struct vg_error *err)
{
	char st[32];
	int64_t have = 0;
	int rc = store_tx_begin(s, err);

	if (!rc)
		rc = case_state(s, id, st, sizeof(st), err);
	if (!rc)
		rc =
		    store_query_int64(s, &have, err,
				      "SELECT COUNT(*) FROM psirt_case_links WHERE case_id = ? AND "
				      "kind = ? AND value = ?",
				      "itt", id, kind ? kind : "", value ? value : "");
	if (!rc && !have)
		rc = vg_error_set(err, VG_ENOTFOUND, "case %lld is not linked to %s %s",
				  (long long)id, kind ? kind : "", value ? value : "");
	if (!rc)
		rc = store_exec(s, err,
				"DELETE FROM psirt_case_links WHERE case_id = ? AND kind = ? AND "
				"value = ?",
				"itt", id, kind, value);
	if (!rc)
		rc = audit_case(s, "case.unlink", id,
				json_pack("{s:s, s:s}", "kind", kind, "value", value),
				json_pack("{s:b}", "linked", 0), err);
	return store_tx_end(s, rc, err);
}

static const char *const severities[] = {"critical", "high", "medium", "low", NULL};

static int severity_rank(const char *sev)
{
	for (int i = 0; sev && severities[i]; i++)
		if (strcmp(sev, severities[i]) == 0)
			return 4 - i;
	return 0;
}

/* A finding's severity ("CRITICAL", "High") as one of severities; NULL. */
static const char *finding_severity(const char *sev)
{
	char low[16];
	size_t i;
	for (i = 0; sev && sev[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)sev[i]);
	low[i] = '\0';
	for (int k = 0; sev && severities[k]; k++)
		if (strcmp(low, severities[k]) == 0)
			return severities[k];
	return NULL;
}

int case_open(struct store *s, const struct case_open *in, const char *source, int64_t *id,
	      struct vg_error *err)
{
	struct finding_detail *fd = NULL;
	const char *product = in->product, *version = in->version, *sev = in->severity;
	char title[512], *desc = NULL;
	struct vg_buf dbuf = VG_BUF_INIT;
	json_t *after = NULL, *links = json_array();
	int64_t now = vg_now(), newid = 0;
	size_t nf = 0;
	int rc = VG_OK;

	if (!links)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (in->nfindings > CASE_OPEN_MAX_FINDINGS)
		rc = vg_error_set(err, VG_EINVAL, "findings: at most %d in one case",
				  CASE_OPEN_MAX_FINDINGS);
	if (!rc && in->nfindings && !(fd = calloc(in->nfindings, sizeof(*fd))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < in->nfindings; i++) {
		for (size_t k = 0; k < i; k++)
			if (in->findings[k] == in->findings[i])
				rc = vg_error_set(err, VG_EINVAL, "findings: %lld is named twice",
						  (long long)in->findings[i]);
		if (rc)
			break;
		rc = triage_finding_get(s, in->findings[i], &fd[i], err);
		nf = i + 1;
		if (rc == VG_ENOTFOUND)
			rc = vg_error_set(err, rc, "findings: finding %lld does not exist",
					  (long long)in->findings[i]);
	}
	if (!rc && nf) {
		const struct finding *f0 = &fd[0].f;
		if (!product || !*product)
			product = f0->product;
		if (!version || !*version)
			version = f0->version;
		if (!sev || !*sev) {
			sev = NULL;
			for (size_t i = 0; i < nf; i++) {
				const char *fs = finding_severity(fd[i].f.severity);
				if (severity_rank(fs) > severity_rank(sev))
					sev = fs;
			}
		}
		vg_buf_addf(&dbuf, "Opened from %zu finding%s:\n", nf, nf == 1 ? "" : "s");
		for (size_t i = 0; i < nf; i++)
			vg_buf_addf(&dbuf, "- finding %lld: %s in %s (%s %s)%s\n",
				    (long long)fd[i].f.id, fd[i].f.vuln_id ? fd[i].f.vuln_id : "",
				    fd[i].f.purl ? fd[i].f.purl : "",
				    fd[i].f.product ? fd[i].f.product : "",
				    fd[i].f.version ? fd[i].f.version : "",
				    fd[i].f.kev ? " [known exploited]" : "");
	}
	if (!rc && in->title && *in->title)
		snprintf(title, sizeof(title), "%s", in->title);
	else if (!rc && nf)
		snprintf(title, sizeof(title), "%s in %s%s%s%s", fd[0].f.vuln_id, product,
			 version ? " " : "", version ? version : "",
			 nf > 1 ? " (and other findings)" : "");
	else if (!rc)
		rc = vg_error_set(err, VG_EINVAL, "title: required");
	if (!rc && (in->description && *in->description)) {
		if (dbuf.len)
			vg_buf_adds(&dbuf, "\n");
		vg_buf_adds(&dbuf, in->description);
	}
	desc = dbuf.data;
	if (!rc && !desc)
		rc = vg_error_set(err, VG_EINVAL, "description: required");
	if (!rc && sev && *sev && !severity_rank(sev))
		rc = vg_error_set(err, VG_EINVAL,
				  "severity '%s': expected critical, high, medium or low", sev);
	if (!rc)
		rc = vg_text_check("title", title, 300, 0, 1, err);
	if (!rc)
		rc = vg_text_check("product", product, 200, 0, 1, err);
	if (!rc)
		rc = vg_text_check("version", version, 100, 0, 0, err);
	if (!rc)
		rc = vg_text_check("description", desc, 65536, 1, 1, err);
	if (!rc && in->assignee && *in->assignee)
		rc = psirt_person_may_act(s, in->assignee, err);
	for (size_t i = 0; !rc && i < in->nvulns; i++)
		if (!case_vuln_kind(in->vulns[i]))
			rc = vg_error_set(err, VG_EINVAL,
					  "vulnerabilities: '%s' is not a CVE (CVE-YYYY-NNNN) or "
					  "GHSA (GHSA-xxxx-xxxx-xxxx) id",
					  in->vulns[i]);
	if (rc)
		goto out;

	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO psirt_cases (state, title, product, product_version, "
				"description, severity, assignee, credit_consent, source, "
				"received_at, ack_due_at, acknowledged_at, updated_at) VALUES "
				"('acknowledged',?,?,?,?,?,?,0,?,?,?,?,?)",
				"tttttttiiii", title, product, version && *version ? version : NULL,
				desc, sev && *sev ? sev : NULL,
				in->assignee && *in->assignee ? in->assignee : NULL, source, now,
				now, now, now);
	if (!rc)
		rc = store_query_int64(s, &newid, err,
				       "SELECT MAX(id) FROM psirt_cases WHERE received_at = ? AND "
				       "title = ? AND source = ?",
				       "itt", now, title, source);
	if (!rc) {
		after = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:o, s:o}", "state",
				  "acknowledged", "title", title, "product", product, "version",
				  version && *version ? version : NULL, "severity",
				  sev && *sev ? sev : NULL, "assignee",
				  in->assignee && *in->assignee ? in->assignee : NULL, "source",
				  source, "opened_at", vg_json_time(now), "findings", json_array());
		for (size_t i = 0; after && i < nf; i++)
			json_array_append_new(json_object_get(after, "findings"),
					      json_integer(fd[i].f.id));
		rc = audit_case(s, "case.opened", newid, NULL, after, err);
	}
	/* links: each finding and its vulnerability, then the named ids */
	for (size_t i = 0; !rc && i < nf; i++) {
		char v[32];
		const char *vk = case_vuln_kind(fd[i].f.vuln_id);
		int64_t have = 0;
		snprintf(v, sizeof(v), "%lld", (long long)fd[i].f.id);
		rc = link_in_tx(s, newid, "finding", v, err);
		if (!rc && vk)
			rc =
			    store_query_int64(s, &have, err,
					      "SELECT COUNT(*) FROM psirt_case_links WHERE case_id "
					      "= ? AND kind = ? AND value = ?",
					      "itt", newid, vk, fd[i].f.vuln_id);
		if (!rc && vk && !have)
			rc = link_in_tx(s, newid, vk, fd[i].f.vuln_id, err);
	}
	for (size_t i = 0; !rc && i < in->nvulns; i++) {
		int64_t have = 0;
		const char *vk = case_vuln_kind(in->vulns[i]);
		rc =
		    store_query_int64(s, &have, err,
				      "SELECT COUNT(*) FROM psirt_case_links WHERE case_id = ? AND "
				      "kind = ? AND value = ?",
				      "itt", newid, vk, in->vulns[i]);
		if (!rc && !have)
			rc = link_in_tx(s, newid, vk, in->vulns[i], err);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc)
		*id = newid;
out:
	for (size_t i = 0; i < nf; i++)
		finding_detail_release(&fd[i]);
	free(fd);
	vg_buf_release(&dbuf);
	json_decref(links);
	return rc;
}

int case_set(struct store *s, int64_t id, int64_t embargo_until, int set_embargo,
	     const char *credit, struct vg_error *err)
{
	char st[32];
	json_t *after;
	int rc;

	if ((rc = vg_text_check("credit", credit, 200, 0, 0, err)))
		return rc;
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = case_state(s, id, st, sizeof(st), err);
	if (!rc && set_embargo)
		rc = embargo_until
			 ? store_exec(s, err,
				      "UPDATE psirt_cases SET embargo_until = ? WHERE id = ?", "ii",
				      embargo_until, id)
			 : store_exec(s, err,
				      "UPDATE psirt_cases SET embargo_until = NULL WHERE "
				      "id = ?",
				      "i", id);
	if (!rc && credit)
		rc = store_exec(s, err, "UPDATE psirt_cases SET credit = ? WHERE id = ?", "ti",
				*credit ? credit : NULL, id);
	after = json_object();
	if (set_embargo)
		json_object_set_new(after, "embargo_until", vg_json_time(embargo_until));
	if (credit)
		json_object_set_new(after, "credit", json_string(credit));
	if (!rc)
		rc = audit_case(s, "case.update", id, NULL, after, err);
	else
		json_decref(after);
	return store_tx_end(s, rc, err);
}

/* ---- the typed case ---- */

#define CASE_COLS                                                                            \
	"SELECT id, state, title, product, product_version, assignee, source, received_at, " \
	"ack_due_at, acknowledged_at, embargo_until, credit, credit_consent, closed_at, "    \
	"updated_at, description, impact, poc, reporter_contact, encrypted_body, severity "  \
	"FROM psirt_cases"

static int case_row(struct store_stmt *st, struct psirt_case *c, int details)
{
	int oom = 0;

	memset(c, 0, sizeof(*c));
	c->id = store_col_int64(st, 0);
	c->state = psirt_col_dup(st, 1, &oom);
	c->title = psirt_col_dup(st, 2, &oom);
	c->product = psirt_col_dup(st, 3, &oom);
	c->product_version = psirt_col_dup(st, 4, &oom);
	c->assignee = psirt_col_dup(st, 5, &oom);
	c->source = psirt_col_dup(st, 6, &oom);
	c->received_at = store_col_int64_or(st, 7, 0);
	c->ack_due_at = store_col_int64_or(st, 8, 0);
	c->acknowledged_at = store_col_int64_or(st, 9, 0);
	c->embargo_until = store_col_int64_or(st, 10, 0);
	c->credit = psirt_col_dup(st, 11, &oom);
	c->credit_consent = store_col_int64(st, 12) != 0;
	c->closed_at = store_col_int64_or(st, 13, 0);
	c->updated_at = store_col_int64_or(st, 14, 0);
	c->severity = psirt_col_dup(st, 20, &oom);
	if (details) {
		c->detailed = 1;
		c->description = psirt_col_dup(st, 15, &oom);
		c->impact = psirt_col_dup(st, 16, &oom);
		c->poc = psirt_col_dup(st, 17, &oom);
		c->reporter_contact = psirt_col_dup(st, 18, &oom);
		c->encrypted_body = psirt_col_dup(st, 19, &oom);
	}
	return oom ? VG_ENOMEM : VG_OK;
}

void psirt_case_files_free(struct psirt_case_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].filename);
		free(f[i].content_type);
		free(f[i].sha256);
	}
	free(f);
}

void psirt_case_release(struct psirt_case *c)
{
	if (!c)
		return;
	free(c->state);
	free(c->title);
	free(c->product);
	free(c->product_version);
	free(c->assignee);
	free(c->severity);
	free(c->source);
	free(c->credit);
	free(c->description);
	free(c->impact);
	free(c->poc);
	free(c->reporter_contact);
	free(c->encrypted_body);
	for (size_t i = 0; i < c->nlinks; i++) {
		free(c->links[i].kind);
		free(c->links[i].value);
	}
	free(c->links);
	for (size_t i = 0; i < c->nmessages; i++) {
		free(c->messages[i].kind);
		free(c->messages[i].author);
		free(c->messages[i].body);
	}
	free(c->messages);
	for (size_t i = 0; i < c->nexposures; i++)
		free(c->exposures[i].kind);
	free(c->exposures);
	for (size_t i = 0; i < c->nfixes; i++) {
		free(c->fixes[i].product);
		free(c->fixes[i].version);
		free(c->fixes[i].vulns);
	}
	free(c->fixes);
	psirt_case_files_free(c->files, c->nfiles);
	memset(c, 0, sizeof(*c));
}

void psirt_case_list_release(struct psirt_case_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		psirt_case_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* Grow *v (of *n elements of size sz) by one zeroed element; NULL when out of memory. */
static void *grow(void *vp, size_t *n, size_t sz)
{
	void **v = vp;
	char *p = realloc(*v, (*n + 1) * sz);
	if (!p)
		return NULL;
	*v = p;
	memset(p + *n * sz, 0, sz);
	return p + (*n)++ * sz;
}

static int list_row(struct store_stmt *st, void *arg)
{
	struct psirt_case_list *l = arg;
	struct psirt_case *c = grow(&l->items, &l->n, sizeof(*c));
	return c ? case_row(st, c, 0) : VG_ENOMEM;
}

int case_list(struct store *s, const char *state, struct psirt_case_list *out, struct vg_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = psirt_query(s, CASE_COLS " WHERE CAST(? AS TEXT) IS NULL OR state = ? ORDER BY id",
			 "tt", 0, state, list_row, out, err);
	if (rc)
		psirt_case_list_release(out);
	return rc;
}

static int link_row(struct store_stmt *st, void *arg)
{
	struct psirt_case *c = arg;
	struct psirt_case_link *l = grow(&c->links, &c->nlinks, sizeof(*l));
	int oom = 0;
	if (!l)
		return VG_ENOMEM;
	l->kind = psirt_col_dup(st, 0, &oom);
	l->value = psirt_col_dup(st, 1, &oom);
	l->created_at = store_col_int64_or(st, 2, 0);
	return oom ? VG_ENOMEM : VG_OK;
}

static int message_row(struct store_stmt *st, void *arg)
{
	struct psirt_case *c = arg;
	struct psirt_case_message *m = grow(&c->messages, &c->nmessages, sizeof(*m));
	int oom = 0;
	if (!m)
		return VG_ENOMEM;
	m->kind = psirt_col_dup(st, 0, &oom);
	m->author = psirt_col_dup(st, 1, &oom);
	m->body = psirt_col_dup(st, 2, &oom);
	m->created_at = store_col_int64_or(st, 3, 0);
	return oom ? VG_ENOMEM : VG_OK;
}

static int exposure_row(struct store_stmt *st, void *arg)
{
	struct psirt_case *c = arg;
	struct psirt_case_exposure *e = grow(&c->exposures, &c->nexposures, sizeof(*e));
	int oom = 0;
	if (!e)
		return VG_ENOMEM;
	e->id = store_col_int64(st, 0);
	e->kind = psirt_col_dup(st, 1, &oom);
	e->aware_at = store_col_int64_or(st, 2, 0);
	return oom ? VG_ENOMEM : VG_OK;
}

static int fix_row(struct store_stmt *st, void *arg)
{
	struct psirt_case *c = arg;
	struct psirt_case_fix *f = grow(&c->fixes, &c->nfixes, sizeof(*f));
	int oom = 0;
	if (!f)
		return VG_ENOMEM;
	f->release_id = store_col_int64(st, 0);
	f->product = psirt_col_dup(st, 1, &oom);
	f->version = psirt_col_dup(st, 2, &oom);
	f->vulns = psirt_col_dup(st, 3, &oom);
	f->published_at = store_col_int64_or(st, 4, 0);
	f->recorded_at = store_col_int64_or(st, 5, 0);
	return oom ? VG_ENOMEM : VG_OK;
}

struct files {
	struct psirt_case_file *v;
	size_t n;
};

static int file_row(struct store_stmt *st, void *arg)
{
	struct files *fs = arg;
	struct psirt_case_file *f = grow(&fs->v, &fs->n, sizeof(*f));
	int oom = 0;
	if (!f)
		return VG_ENOMEM;
	f->n = store_col_int64(st, 0);
	f->filename = psirt_col_dup(st, 1, &oom);
	f->content_type = psirt_col_dup(st, 2, &oom);
	f->size = store_col_int64(st, 3);
	f->sha256 = psirt_col_dup(st, 4, &oom);
	f->created_at = store_col_int64_or(st, 5, 0);
	return oom ? VG_ENOMEM : VG_OK;
}

int case_files(struct store *s, int64_t id, struct psirt_case_file **out, size_t *n,
	       struct vg_error *err)
{
	struct files fs = {0};
	int rc = psirt_query(s,
			     "SELECT n, filename, content_type, size, sha256, created_at FROM "
			     "psirt_case_attachments WHERE case_id = ? ORDER BY n",
			     "i", id, NULL, file_row, &fs, err);
	if (rc) {
		psirt_case_files_free(fs.v, fs.n);
		fs.v = NULL;
		fs.n = 0;
	}
	*out = fs.v;
	*n = fs.n;
	return rc;
}

struct one_case {
	struct psirt_case *c;
	int found;
};

static int one_row(struct store_stmt *st, void *arg)
{
	struct one_case *o = arg;
	o->found = 1;
	return case_row(st, o->c, 1);
}

static int case_load(struct store *s, int64_t id, int view, struct psirt_case *c,
		     struct vg_error *err)
{
	struct one_case o = {c, 0};
	int rc;

	memset(c, 0, sizeof(*c));
	rc = psirt_query(s, CASE_COLS " WHERE id = ?", "i", id, NULL, one_row, &o, err);
	if (!rc && !o.found)
		rc = vg_error_set(err, VG_ENOTFOUND, "no case with id %lld", (long long)id);
	if (!rc && view == CASE_REPORTER_VIEW)
		rc = psirt_query(s,
				 "SELECT kind, author, body, created_at FROM psirt_case_messages "
				 "WHERE case_id = ? AND kind IN ('from_reporter', 'to_reporter') "
				 "ORDER BY id",
				 "i", id, NULL, message_row, c, err);
	if (!rc && view == CASE_FULL_VIEW)
		rc = psirt_query(s,
				 "SELECT kind, value, created_at FROM psirt_case_links WHERE "
				 "case_id = ? ORDER BY kind, value",
				 "i", id, NULL, link_row, c, err);
	if (!rc && view == CASE_FULL_VIEW)
		rc = psirt_query(s,
				 "SELECT kind, author, body, created_at FROM psirt_case_messages "
				 "WHERE case_id = ? ORDER BY id",
				 "i", id, NULL, message_row, c, err);
	if (!rc && view == CASE_FULL_VIEW)
		rc = psirt_query(s,
				 "SELECT id, kind, aware_at FROM art14_exposures WHERE case_id = ? "
				 "ORDER BY id",
				 "i", id, NULL, exposure_row, c, err);
	if (!rc && view == CASE_FULL_VIEW)
		rc = psirt_query(s,
				 "SELECT release_id, product, version, vulns, published_at, "
				 "recorded_at FROM psirt_case_fixes WHERE case_id = ? ORDER BY "
				 "published_at, release_id",
				 "i", id, NULL, fix_row, c, err);
	if (!rc)
		rc = case_files(s, id, &c->files, &c->nfiles, err);
	if (rc)
		psirt_case_release(c);
	return rc;
}

int case_get(struct store *s, int64_t id, struct psirt_case *out, struct vg_error *err)
{
	return case_load(s, id, CASE_FULL_VIEW, out, err);
}

/* ---- the JSON edges ---- */

static json_t *case_json(const struct psirt_case *c)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "state", vg_json_text(c->state));
	json_object_set_new(o, "title", vg_json_text(c->title));
	json_object_set_new(o, "product", vg_json_text(c->product));
	json_object_set_new(o, "product_version", vg_json_text(c->product_version));
	json_object_set_new(o, "assignee", vg_json_text(c->assignee));
	json_object_set_new(o, "severity", vg_json_text(c->severity));
	json_object_set_new(o, "source", vg_json_text(c->source));
	json_object_set_new(o, "received_at", vg_json_time(c->received_at));
	json_object_set_new(o, "ack_due_at", vg_json_time(c->ack_due_at));
	json_object_set_new(o, "acknowledged_at", vg_json_time(c->acknowledged_at));
	json_object_set_new(o, "embargo_until_at", vg_json_time(c->embargo_until));
	json_object_set_new(o, "credit", vg_json_text(c->credit));
	json_object_set_new(o, "credit_consent", json_boolean(c->credit_consent));
	json_object_set_new(o, "closed_at", vg_json_time(c->closed_at));
	json_object_set_new(o, "updated_at", vg_json_time(c->updated_at));
	return o;
}

json_t *psirt_case_files_to_json(const struct psirt_case_file *f, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(
		    a, json_pack("{s:I, s:o, s:o, s:I, s:o, s:o}", "n", (json_int_t)f[i].n,
				 "filename", vg_json_text(f[i].filename), "content_type",
				 vg_json_text(f[i].content_type), "size", (json_int_t)f[i].size,
				 "sha256", vg_json_text(f[i].sha256), "created_at",
				 vg_json_time(f[i].created_at)));
	return a;
}

json_t *psirt_case_to_json(const struct psirt_case *c)
{
	json_t *o = case_json(c), *links, *msgs, *exps;

	if (!o || !c->detailed)
		return o;
	json_object_set_new(o, "description", vg_json_text(c->description));
	json_object_set_new(o, "impact", vg_json_text(c->impact));
	json_object_set_new(o, "poc", vg_json_text(c->poc));
	json_object_set_new(o, "reporter_contact", vg_json_text(c->reporter_contact));
	json_object_set_new(o, "encrypted_body", vg_json_text(c->encrypted_body));
	links = json_array();
	for (size_t i = 0; links && i < c->nlinks; i++)
		json_array_append_new(
		    links, json_pack("{s:o, s:o, s:o}", "kind", vg_json_text(c->links[i].kind),
				     "value", vg_json_text(c->links[i].value), "created_at",
				     vg_json_time(c->links[i].created_at)));
	json_object_set_new(o, "links", links);
	msgs = json_array();
	for (size_t i = 0; msgs && i < c->nmessages; i++)
		json_array_append_new(msgs,
				      json_pack("{s:o, s:o, s:o, s:o}", "kind",
						vg_json_text(c->messages[i].kind), "author",
						vg_json_text(c->messages[i].author), "body",
						vg_json_text(c->messages[i].body), "created_at",
						vg_json_time(c->messages[i].created_at)));
	json_object_set_new(o, "messages", msgs);
	exps = json_array();
	for (size_t i = 0; exps && i < c->nexposures; i++)
		json_array_append_new(
		    exps, json_pack("{s:I, s:o, s:o}", "id", (json_int_t)c->exposures[i].id, "kind",
				    vg_json_text(c->exposures[i].kind), "aware_at",
				    vg_json_time(c->exposures[i].aware_at)));
	json_object_set_new(o, "exposures", exps);
	{
		json_t *fx = json_array();
		for (size_t i = 0; fx && i < c->nfixes; i++)
			json_array_append_new(
			    fx, json_pack("{s:I, s:o, s:o, s:o, s:o}", "release_id",
					  (json_int_t)c->fixes[i].release_id, "product",
					  vg_json_text(c->fixes[i].product), "version",
					  vg_json_text(c->fixes[i].version), "fixes",
					  vg_json_text(c->fixes[i].vulns), "published_at",
					  vg_json_time(c->fixes[i].published_at)));
		json_object_set_new(o, "corrective_measures", fx ? fx : json_array());
	}
	json_object_set_new(o, "attachments", psirt_case_files_to_json(c->files, c->nfiles));
	return o;
}

json_t *psirt_case_list_to_json(const struct psirt_case_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, psirt_case_to_json(&l->items[i]));
	return a;
}

json_t *psirt_case_status_to_json(const struct psirt_case *c)
{
	json_t *o, *msgs, *atts;

	o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)c->id,
		      "state", vg_json_text(c->state), "title", vg_json_text(c->title), "product",
		      vg_json_text(c->product), "product_version", vg_json_text(c->product_version),
		      "received_at", vg_json_time(c->received_at), "ack_due_at",
		      vg_json_time(c->ack_due_at), "acknowledged_at",
		      vg_json_time(c->acknowledged_at), "closed_at", vg_json_time(c->closed_at),
		      "description", vg_json_text(c->description));
	if (!o)
		return NULL;
	msgs = json_array();
	for (size_t i = 0; msgs && i < c->nmessages; i++) {
		const struct psirt_case_message *m = &c->messages[i];
		/* the reporter's view holds only messages to and from them */
		json_array_append_new(
		    msgs,
		    json_pack("{s:s, s:o, s:o}", "sender",
			      m->kind && strcmp(m->kind, "from_reporter") == 0 ? "you" : "psirt",
			      "body", vg_json_text(m->body), "created_at",
			      vg_json_time(m->created_at)));
	}
	json_object_set_new(o, "messages", msgs);
	atts = json_array();
	for (size_t i = 0; atts && i < c->nfiles; i++)
		json_array_append_new(atts, json_pack("{s:o, s:I, s:o}", "filename",
						      vg_json_text(c->files[i].filename), "size",
						      (json_int_t)c->files[i].size, "created_at",
						      vg_json_time(c->files[i].created_at)));
	json_object_set_new(o, "attachments", atts);
	return o;
}

int case_attachment_get(struct store *s, int64_t id, int64_t n, char **data, size_t *size,
			char *filename, size_t filenamesz, struct vg_error *err)
{
	json_t *rows = NULL, *row, *a;
	char what[96], oid[32];
	const char *want;
	int rc;

	*data = NULL;
	*size = 0;
	rc = store_rows(s, &rows, err, "tt",
			"SELECT sha256, filename FROM psirt_case_attachments WHERE case_id = ? AND "
			"n = ?",
			"ii", id, n);
	if (rc)
		return rc;
	if (!(row = json_array_get(rows, 0))) {
		json_decref(rows);
		return vg_error_set(err, VG_ENOTFOUND, "case %lld has no attachment %lld",
				    (long long)id, (long long)n);
	}
	want = vg_json_str(row, "sha256");
	if (filename)
		snprintf(filename, filenamesz, "%s",
			 vg_json_str(row, "filename") ? vg_json_str(row, "filename") : "");
	snprintf(what, sizeof(what), "attachment %lld of case %lld", (long long)n, (long long)id);
	rc = store_blob_get(s, want ? want : "", data, size, what, err);
	if (!rc) {
		a = json_pack("{s:I, s:s, s:I}", "n", (json_int_t)n, "sha256", want, "bytes",
			      (json_int_t)*size);
		snprintf(oid, sizeof(oid), "%lld", (long long)id);
		rc = store_audit(s, "case.read_attachment", "case", oid, NULL, a, err);
		json_decref(a);
		if (rc) {
			free(*data);
			*data = NULL;
			*size = 0;
		}
	}
	json_decref(rows);
	return rc;
}

int case_exploited(struct store *s, int64_t id, int64_t aware_at, const char *evidence,
		   const char *member_states, int64_t *exposure, struct vg_error *err)
{
	struct art14_open in = {0};
	json_t *cves = NULL;
	char st[32];
	int rc = case_state(s, id, st, sizeof(st), err);

	if (rc)
		return rc;
	if (!evidence || !*evidence)
		return vg_error_set(
		    err, VG_EINVAL,
		    "--evidence: required (what shows the vulnerability is actively "
		    "exploited)");
	rc = store_rows(s, &cves, err, "t",
			"SELECT value FROM psirt_case_links WHERE case_id = ? AND kind = 'cve' "
			"ORDER BY value",
			"i", id);
	if (rc)
		return rc;
	in.kind = ART14_KIND_VULN;
	in.aware_at = aware_at;
	in.evidence = evidence;
	in.member_states = member_states;
	in.case_id = id;
	in.vuln_id = json_array_size(cves) ? vg_json_str(json_array_get(cves, 0), "value") : NULL;
	rc = art14_open(s, &in, exposure, err);
	json_decref(cves);
	return rc;
}

/* ---- the acknowledgement clock ---- */

static int ack_record(struct store *s, const struct deadline_clock *c,
		      const struct deadline_item *it, int64_t now, void *arg, struct vg_error *err);
static json_t *ack_event(const struct deadline_clock *c, const struct deadline_item *it, int i,
			 int64_t now, const char **name, void *arg);

/* The acknowledgement clock: one deadline per case (subject = its id) from
 * received_at to ack_due_at, running while the case is in state received. */
static const struct deadline_clock ack_clock = {
    .name = "case.ack",
    .thresholds = psirt_alert_thresholds,
    .nthresholds = PSIRT_NTHRESHOLDS,
    .record = ack_record,
    .event = ack_event,
    .row_free = free,
};

static int ack_record(struct store *s, const struct deadline_clock *c,
		      const struct deadline_item *it, int64_t now, void *arg, struct vg_error *err)
{
	(void)c;
	(void)arg;
	return audit_case(s, "case.ack_alert", it->subject, NULL,
			  json_pack("{s:o, s:o}", "alerts", psirt_alerts_json(it->fired), "at",
				    vg_json_time(now)),
			  err);
}

static json_t *ack_event(const struct deadline_clock *c, const struct deadline_item *it, int i,
			 int64_t now, const char **name, void *arg)
{
	const char *title = it->row, *what = c->thresholds[i].name;
	int64_t id = it->subject, due = it->due_at;
	int breach = i == PSIRT_BREACH;
	char summary[600], ts[VG_TIME_BUFSZ], left[64], key[64];

	(void)arg;
	if (breach)
		snprintf(summary, sizeof(summary),
			 "Case %lld (%s) was not acknowledged within 48 hours (due %s)",
			 (long long)id, title, vg_time_format(due, ts, sizeof(ts)));
	else
		snprintf(summary, sizeof(summary),
			 "Case %lld (%s): acknowledgement due %s (%s left, %s of the window used)",
			 (long long)id, title, vg_time_format(due, ts, sizeof(ts)),
			 art14_format_left(due - now, left, sizeof(left)), what);
	snprintf(key, sizeof(key), "case-ack-%lld", (long long)id);
	*name = breach ? "case.ack_breached" : "case.ack_warning";
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:o, s:o}", "summary", summary, "severity",
			 breach ? "critical" : "high", "dedup_key", key, "case_id", (json_int_t)id,
			 "threshold", what, "due_at", vg_json_time(due), "at", vg_json_time(now));
}

/* Candidates: cases still waiting for their acknowledgement; row = title. */
static int ack_fetch(struct store *s, int64_t after, int64_t now, size_t max,
		     struct deadline_batch *b, void *arg, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	(void)now;
	(void)arg;
	rc = store_prepare(
	    s,
	    "SELECT id, title, received_at, ack_due_at FROM psirt_cases WHERE state = "
	    "'received' AND id > ? ORDER BY id LIMIT ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, after);
	store_bind_int64(st, 2, (int64_t)max);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		char *title = strdup(store_col_text(st, 1) ? store_col_text(st, 1) : "");
		if (!title) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		rc = deadline_batch_add(b, NULL, store_col_int64(st, 0), store_col_int64(st, 2),
					store_col_int64(st, 3), title);
		if (rc) {
			rc = vg_error_set(err, rc, "out of memory");
			break;
		}
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

int case_tick(struct store *s, int *sent, struct vg_error *err)
{
	struct deadline_stats st;
	int rc = deadline_tick(s, &ack_clock, ack_fetch, NULL, vg_now(), &st, err);

	if (sent)
		*sent = (int)st.fired;
	return rc;
}

/* ---- what is kept about reporters ---- */

int64_t case_reporter_addr_days(void)
{
	int64_t d = vg_config_int("psirt.reporter_addr_days", CASE_REPORTER_ADDR_DAYS);
	return d < 0 ? 0 : d > 36500 ? 36500 : d;
}

int case_forget_addresses(struct store *s, int64_t days, int64_t *n, struct vg_error *err)
{
	int64_t count = 0, now = vg_now();
	int64_t keep = days > 0 && days <= 36500 ? days * 86400 : 0, cut;
	int rc;

	if (n)
		*n = 0;
	/* the per-address report rate needs the last hour, whatever the setting */
	cut = now - (keep > 3600 ? keep : 3600);
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &count, err,
			       "SELECT COUNT(*) FROM psirt_cases WHERE reporter_addr_mac IS NOT "
			       "NULL AND received_at < ?",
			       "i", cut);
	if (!rc && count > 0)
		rc = store_exec(s, err,
				"UPDATE psirt_cases SET reporter_addr_mac = NULL WHERE "
				"reporter_addr_mac IS NOT NULL AND received_at < ?",
				"i", cut);
	if (!rc && count > 0) {
		json_t *after =
		    json_pack("{s:I, s:o, s:I}", "cases", (json_int_t)count, "received_before",
			      vg_json_time(cut), "retention_days", (json_int_t)(keep / 86400));
		rc = after
			 ? store_audit(s, "case.addresses_forgotten", "case", "*", NULL, after, err)
			 : vg_error_set(err, VG_ENOMEM, "out of memory");
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && n)
		*n = count;
	return rc;
}

/* ---- jobs ---- */

static int job_art14(struct store *s, struct vg_error *err)
{
	return art14_tick(s, NULL, err);
}

static int job_ack(struct store *s, struct vg_error *err)
{
	return case_tick(s, NULL, err);
}

static int job_forget_addresses(struct store *s, struct vg_error *err)
{
	return case_forget_addresses(s, case_reporter_addr_days(), NULL, err);
}

const struct vg_job psirt_jobs[] = {
    {"art14.tick", 60, job_art14, NULL},
    {"case.ack_tick", 60, job_ack, NULL},
    {"case.forget_addresses", 3600, job_forget_addresses, NULL},
    {NULL, 0, NULL, NULL},
};
