/*
 * api_audit.c - the audit trail over HTTP: records by filter, and the
 * chain check. Reading the trail is itself recorded.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "audit/checkpoint.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static int time_query(struct http_req *req, struct http_resp *resp, const char *name, int64_t *out)
{
	const char *v = http_query(req, name);
	struct vg_error err = {0};
	if (!v)
		return VG_OK;
	if (vg_time_parse(v, out, &err))
		return http_error(resp, VG_EINVAL, "query parameter %s: %s", name,
				  vg_error_msg(&err));
	return VG_OK;
}

static int audit_list(struct http_req *req, struct http_resp *resp)
{
	struct audit_filter f = {0};
	struct audit_entry_list l;
	struct vg_error err = {0};
	char otype[128];
	const char *obj = http_query(req, "object");
	int rc;

	if ((rc = time_query(req, resp, "since", &f.since)) ||
	    (rc = time_query(req, resp, "until", &f.until)) ||
	    (rc = http_query_int(req, resp, "limit", 1, 1000, 100, &f.limit)) ||
	    (rc = http_query_int(req, resp, "after", 0, INT64_MAX, 0, &f.after_seq)))
		return rc;
	f.actor = http_query(req, "actor");
	if (obj) {
		const char *colon = strchr(obj, ':');
		snprintf(otype, sizeof(otype), "%.*s",
			 colon ? (int)(colon - obj) : (int)strlen(obj), obj);
		f.otype = otype;
		f.oid = colon ? colon + 1 : NULL;
	}
	if (audit_query(req->db, &f, &l, &err))
		return http_fail(resp, &err);
	/* Reading the audit trail is itself recorded. */
	{
		json_t *q = json_pack("{s:s?, s:s?, s:s?, s:s?, s:I}", "since",
				      http_query(req, "since"), "until", http_query(req, "until"),
				      "actor", f.actor, "object", obj, "returned", (json_int_t)l.n);
		/* a read that cannot be recorded is not served */
		int arc = store_audit(req->db, "audit.read", "audit", "log", NULL, q, &err);
		json_decref(q);
		if (arc) {
			audit_entry_list_release(&l);
			return http_fail(resp, &err);
		}
	}
	rc = http_json(resp, 200, json_pack("{s:o}", "records", audit_entry_list_to_json(&l)));
	audit_entry_list_release(&l);
	return rc;
}

static int audit_verify_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t count = 0, bad = 0;
	int rc = audit_verify(req->db, &count, &bad, &err);
	json_t *o;

	if (rc && rc != VG_EAUDIT)
		return http_fail(resp, &err);
	o = json_pack("{s:b, s:I}", "intact", rc == VG_OK, "records", (json_int_t)count);
	if (rc) {
		json_object_set_new(o, "first_bad_seq", json_integer(bad));
		json_object_set_new(o, "reason", json_string(vg_error_msg(&err)));
	}
	return http_json(resp, 200, o);
}

/* GET /.well-known/vigil/checkpoint: the latest signed checkpoint, public, for witnesses. */
static int checkpoint_public(struct http_req *req, struct http_resp *resp)
{
	struct audit_checkpoint cp;
	struct vg_error err = {0};
	int rc;

	if (audit_checkpoint_get(req->db, 0, &cp, &err))
		return http_fail(resp, &err);
	http_set_header(resp, "Cache-Control", "no-cache");
	rc = http_text(resp, 200, "text/plain; charset=utf-8", cp.note, strlen(cp.note));
	audit_checkpoint_release(&cp);
	return rc;
}

/* GET /.well-known/vigil/vkey: the verifier key of the latest checkpoint. */
static int vkey_public(struct http_req *req, struct http_resp *resp)
{
	struct audit_checkpoint cp;
	struct vg_error err = {0};
	char line[NOTE_NAME_MAX + 80];
	int rc, n;

	if (audit_checkpoint_get(req->db, 0, &cp, &err))
		return http_fail(resp, &err);
	n = snprintf(line, sizeof(line), "%s\n", cp.vkey);
	rc = http_text(resp, 200, "text/plain; charset=utf-8", line, (size_t)n);
	audit_checkpoint_release(&cp);
	return rc;
}

static int checkpoint_get(struct http_req *req, struct http_resp *resp)
{
	struct audit_checkpoint cp;
	struct vg_error err = {0};
	int64_t size = 0;
	int rc;

	if ((rc = http_query_int(req, resp, "size", 1, INT64_MAX, 0, &size)))
		return rc;
	if (audit_checkpoint_get(req->db, size, &cp, &err))
		return http_fail(resp, &err);
	rc = http_json(resp, 200, audit_checkpoint_to_json(&cp));
	audit_checkpoint_release(&cp);
	return rc;
}

static int proof_inclusion(struct http_req *req, struct http_resp *resp)
{
	struct audit_proof p;
	struct vg_error err = {0};
	int64_t seq = 0, size = 0;
	int rc;

	if (!http_query(req, "seq"))
		return http_error(resp, VG_EINVAL, "query parameter seq: required");
	if ((rc = http_query_int(req, resp, "seq", 1, INT64_MAX, 0, &seq)) ||
	    (rc = http_query_int(req, resp, "size", 1, INT64_MAX, 0, &size)))
		return rc;
	if (audit_prove_inclusion(req->db, seq, size, &p, &err)) {
		audit_proof_release(&p);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 200, audit_proof_to_json(&p));
	audit_proof_release(&p);
	return rc;
}

static int proof_consistency(struct http_req *req, struct http_resp *resp)
{
	struct audit_proof p;
	struct vg_error err = {0};
	int64_t old = 0, size = 0;
	int rc;

	if (!http_query(req, "old") || !http_query(req, "new"))
		return http_error(resp, VG_EINVAL, "query parameters old and new: required");
	if ((rc = http_query_int(req, resp, "old", 1, INT64_MAX, 0, &old)) ||
	    (rc = http_query_int(req, resp, "new", 1, INT64_MAX, 0, &size)))
		return rc;
	if (audit_prove_consistency(req->db, old, size, &p, &err))
		return http_fail(resp, &err);
	rc = http_json(resp, 200, audit_proof_to_json(&p));
	audit_proof_release(&p);
	return rc;
}

const struct http_route audit_routes[] = {
    {"GET", "/.well-known/vigil/checkpoint", ROLE_PUBLIC, HTTP_PUBLIC_FACE, checkpoint_public,
     "The latest signed checkpoint of the audit trail (C2SP tlog-checkpoint), for witnesses",
     "audit"},
    {"GET", "/.well-known/vigil/vkey", ROLE_PUBLIC, HTTP_PUBLIC_FACE, vkey_public,
     "The verifier key (signed-note name+hash+key) of the latest checkpoint", "audit"},
    {"GET", "/api/v1/audit/checkpoint", ROLE_READ, 0, checkpoint_get,
     "The latest signed checkpoint (or ?size=N): checkpoint, vkey, tree_size, root", "audit"},
    {"GET", "/api/v1/audit/proof/inclusion", ROLE_READ, 0, proof_inclusion,
     "Inclusion proof of record seq in the tree of size records (default: latest checkpoint)",
     "audit"},
    {"GET", "/api/v1/audit/proof/consistency", ROLE_PUBLIC, HTTP_PUBLIC_FACE, proof_consistency,
     "Consistency proof between the trees of old and new records (public, for witnesses)", "audit"},
    {"GET", "/api/v1/audit", ROLE_READ, 0, audit_list,
     "Audit records (since, until, actor, object=TYPE:ID, after, limit)", "audit"},
    {"GET", "/api/v1/audit/verify", ROLE_ADMIN | ROLE_AUDITOR, 0, audit_verify_route,
     "Verify the audit hash chain", "audit"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* The leader signs a checkpoint every AUDIT_CHECKPOINT_EVERY seconds, so the
 * public one (/.well-known/vigil/checkpoint) that witnesses copy is never
 * older than that. Nothing new since the latest: the latest stands and
 * nothing is written (audit_checkpoint_make()). */
static int checkpoint_job(struct store *s, struct vg_error *err)
{
	struct audit_checkpoint cp;
	int rc = audit_checkpoint_make(s, &cp, err);
	audit_checkpoint_release(&cp);
	return rc;
}

/* clang-format off */
const struct vg_job audit_jobs[] = {
    {"audit.checkpoint", AUDIT_CHECKPOINT_EVERY, checkpoint_job, NULL},
    {NULL, 0, NULL, NULL},
};
/* clang-format on */
