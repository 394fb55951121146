/*
 * checkpoint.c - the stored Merkle tree of the audit trail, signed
 * checkpoints, proofs and the check of a checkpoint against the trail.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "audit/note.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define RECORD_COLS                                                                    \
	"SELECT seq, at, actor, remote, action, object_type, object_id, before_json, " \
	"after_json, prev_hash FROM audit_log "

static audit_signer_provider_fn g_provider;

void audit_set_signer_provider(audit_signer_provider_fn fn)
{
	g_provider = fn;
}

const char *audit_origin(void)
{
	static char def[NOTE_NAME_MAX];
	const char *o = vg_config_get("audit.origin", NULL), *pub, *p;
	size_t l;

	if (o && *o)
		return o;
	pub = vg_config_get("server.public_url", "");
	p = strstr(pub, "://");
	p = p ? p + 3 : pub;
	l = strcspn(p, "/?#");
	if (l && l < sizeof(def) - 8)
		snprintf(def, sizeof(def), "%.*s/audit", (int)l, p);
	else
		snprintf(def, sizeof(def), "vigil.invalid/audit");
	return def;
}

const char *audit_key_name(void)
{
	const char *n = vg_config_get("audit.key_name", NULL);
	return n && *n ? n : audit_origin();
}

int audit_signer_open(struct store *s, struct note_signer *out, struct vg_error *err)
{
	const char *which = vg_config_get("audit.signer", "");

	if (!which || !*which || strcmp(which, "key-file") == 0)
		return note_key_file_load(note_key_file_path(), out, err);
	if (!g_provider)
		return vg_error_set(err, VG_ENOTFOUND,
				    "audit.signer = %s, but no signer provider is registered",
				    which);
	return g_provider(s, which, out, err);
}

int audit_key_init(char **vkey, struct vg_error *err)
{
	struct note_signer s;
	const char *path = note_key_file_path();
	int rc = note_key_file_create(path, audit_key_name(), err);

	*vkey = NULL;
	if (rc && rc != VG_EEXIST)
		return rc;
	if ((rc = note_key_file_load(path, &s, err)))
		return rc;
	*vkey = note_vkey(s.name, s.pub);
	note_signer_release(&s);
	return *vkey ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

static int unhex32(const char *h, uint8_t out[MERKLE_HASH])
{
	int i;
	if (!h || strlen(h) != 64)
		return -1;
	for (i = 0; i < 64; i++) {
		char c = h[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		if (i % 2)
			out[i / 2] = (uint8_t)(out[i / 2] << 4 | v);
		else
			out[i / 2] = (uint8_t)v;
	}
	return 0;
}

static int tree_get(void *ctx, int level, uint64_t idx, uint8_t out[MERKLE_HASH],
		    struct vg_error *err)
{
	struct store *s = ctx;
	struct store_stmt *st = NULL;
	int rc = store_prepare_cached(s, "SELECT hash FROM audit_tree WHERE level = ? AND idx = ?",
				      &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, level);
	store_bind_int64(st, 2, (int64_t)idx);
	rc = store_step(st, err);
	if (rc == STORE_ROW)
		rc = unhex32(store_col_text(st, 0), out)
			 ? vg_error_set(err, VG_EAUDIT,
					"audit tree: bad hash at level %d index %llu", level,
					(unsigned long long)idx)
			 : VG_OK;
	else if (rc == STORE_DONE)
		rc = vg_error_set(err, VG_EAUDIT, "audit tree: no hash at level %d index %llu",
				  level, (unsigned long long)idx);
	store_finalize(st);
	return rc;
}

int audit_tree_size(struct store *s, int64_t *size, struct vg_error *err)
{
	return store_query_int64(s, size, err, "SELECT COUNT(*) FROM audit_tree WHERE level = 0",
				 "");
}

/* The canonical bytes of the record in the current row of st (RECORD_COLS). */
static char *row_canonical(struct store_stmt *st)
{
	return store_audit_canonical(store_col_int64(st, 0), store_col_int64(st, 1),
				     store_col_text(st, 2), store_col_text(st, 3),
				     store_col_text(st, 4), store_col_text(st, 5),
				     store_col_text(st, 6), store_col_text(st, 7),
				     store_col_text(st, 8), store_col_text(st, 9));
}

static int put_hash(struct store *s, int level, uint64_t idx, const uint8_t h[MERKLE_HASH],
		    struct vg_error *err)
{
	char hex[VG_SHA256_HEX];
	vg_hex(h, MERKLE_HASH, hex);
	return store_exec_cached(
	    s, err,
	    "INSERT INTO audit_tree (level, idx, hash) VALUES (?,?,?) ON CONFLICT DO NOTHING",
	    "iit", (int64_t)level, (int64_t)idx, hex);
}

/* Append every record after the stored tree's size; *size: the new size. */
static int tree_sync(struct store *s, int64_t *size, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int64_t n;
	int rc = audit_tree_size(s, &n, err);

	if (rc)
		return rc;
	rc = store_prepare(s, RECORD_COLS "WHERE seq > ? ORDER BY seq", &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, n);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		uint8_t h[MERKLE_HASH], left[MERKLE_HASH];
		uint64_t idx = (uint64_t)n;
		char *c;
		int lv;

		if (store_col_int64(st, 0) != n + 1) {
			rc = vg_error_set(
			    err, VG_EAUDIT,
			    "audit trail: record %lld follows %lld (a gap); run `vigil "
			    "audit verify`",
			    (long long)store_col_int64(st, 0), (long long)n);
			break;
		}
		c = row_canonical(st);
		if (!c) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		merkle_leaf_hash(c, strlen(c), h);
		free(c);
		if ((rc = put_hash(s, 0, idx, h, err)))
			break;
		/* each complete subtree this leaf closes */
		for (lv = 1; lv < 63 && ((idx + 1) & ((1ull << lv) - 1)) == 0; lv++) {
			uint64_t pi = ((idx + 1) >> lv) - 1;
			if ((rc = tree_get(s, lv - 1, 2 * pi, left, err)))
				break;
			merkle_node_hash(left, MERKLE_HASH, h, MERKLE_HASH, h);
			if ((rc = put_hash(s, lv, pi, h, err)))
				break;
		}
		if (rc)
			break;
		n++;
	}
	store_finalize(st);
	if (rc != STORE_DONE)
		return rc;
	*size = n;
	return VG_OK;
}

void audit_checkpoint_release(struct audit_checkpoint *c)
{
	if (!c)
		return;
	free(c->note);
	free(c->vkey);
	memset(c, 0, sizeof(*c));
}

json_t *audit_checkpoint_to_json(const struct audit_checkpoint *c)
{
	char hex[VG_SHA256_HEX], ts[VG_TIME_BUFSZ];
	vg_hex(c->root, MERKLE_HASH, hex);
	return json_pack("{s:s, s:s, s:I, s:s, s:s}", "checkpoint", c->note, "vkey", c->vkey,
			 "tree_size", (json_int_t)c->size, "root", hex, "created_at",
			 vg_time_format(c->created_at, ts, sizeof(ts)));
}

int audit_checkpoint_get(struct store *s, int64_t size, struct audit_checkpoint *out,
			 struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s,
			   size ? "SELECT tree_size, root, note, vkey, created_at FROM "
				  "audit_checkpoints WHERE tree_size = ?"
				: "SELECT tree_size, root, note, vkey, created_at FROM "
				  "audit_checkpoints ORDER BY tree_size DESC LIMIT 1",
			   &st, err);
	if (rc)
		return rc;
	if (size)
		store_bind_int64(st, 1, size);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		out->size = store_col_int64(st, 0);
		if (unhex32(store_col_text(st, 1), out->root))
			rc = vg_error_set(err, VG_EAUDIT, "checkpoint %lld: bad root",
					  (long long)out->size);
		else
			rc = VG_OK;
		out->note = store_col_dup(st, 2, &oom);
		out->vkey = store_col_dup(st, 3, &oom);
		out->created_at = store_col_int64(st, 4);
		if (!rc && oom)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	} else if (rc == STORE_DONE) {
		rc =
		    size
			? vg_error_set(err, VG_ENOTFOUND, "no checkpoint of size %lld",
				       (long long)size)
			: vg_error_set(err, VG_ENOTFOUND,
				       "no checkpoint yet: make one with `vigil audit checkpoint`");
	}
	store_finalize(st);
	if (rc)
		audit_checkpoint_release(out);
	return rc;
}

static int make_in_tx(struct store *s, struct note_signer *sg, struct audit_checkpoint *out,
		      struct vg_error *err)
{
	const struct note_signer *sgs[1] = {sg};
	struct checkpoint cp;
	char *text = NULL, hex[VG_SHA256_HEX];
	int64_t size = 0;
	json_t *after;
	int rc = tree_sync(s, &size, err);

	if (rc)
		return rc;
	memset(&cp, 0, sizeof(cp));
	snprintf(cp.origin, sizeof(cp.origin), "%s", audit_origin());
	cp.size = (uint64_t)size;
	if ((rc = merkle_root(tree_get, s, cp.size, cp.root, err)))
		return rc;
	text = checkpoint_text(&cp);
	if (!text)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = note_sign(text, sgs, 1, &out->note, err);
	free(text);
	if (rc)
		return rc;
	out->vkey = note_vkey(sg->name, sg->pub);
	if (!out->vkey)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	out->size = size;
	memcpy(out->root, cp.root, MERKLE_HASH);
	out->created_at = vg_now();
	vg_hex(cp.root, MERKLE_HASH, hex);
	rc = store_exec(s, err,
			"INSERT INTO audit_checkpoints (tree_size, root, note, vkey, created_at) "
			"VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
			"ittti", size, hex, out->note, out->vkey, out->created_at);
	if (rc)
		return rc;
	after = json_pack("{s:I, s:s, s:s, s:s}", "tree_size", (json_int_t)size, "root", hex,
			  "origin", cp.origin, "vkey", out->vkey);
	rc = store_audit(s, "audit.checkpoint", "audit_checkpoint", NULL, NULL, after, err);
	json_decref(after);
	return rc;
}

int audit_checkpoint_make(struct store *s, struct audit_checkpoint *out, struct vg_error *err)
{
	struct note_signer sg;
	struct audit_checkpoint last;
	int64_t seq = 0;
	char *action = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	/* nothing new but the latest checkpoint's own record: that one still stands */
	if (audit_checkpoint_get(s, 0, &last, err) == VG_OK) {
		rc = store_query_int64(s, &seq, err, "SELECT COALESCE(MAX(seq), 0) FROM audit_log",
				       "");
		if (!rc && seq == last.size + 1)
			rc = store_query_text(s, &action, err,
					      "SELECT action FROM audit_log WHERE seq = ?", "i",
					      seq);
		if (!rc && action && strcmp(action, "audit.checkpoint") == 0) {
			free(action);
			*out = last;
			return VG_OK;
		}
		free(action);
		audit_checkpoint_release(&last);
		if (rc)
			return rc;
	}
	if ((rc = audit_signer_open(s, &sg, err)))
		return rc;
	rc = store_tx_begin(s, err);
	if (!rc) {
		rc = make_in_tx(s, &sg, out, err);
		rc = store_tx_end(s, rc, err);
	}
	note_signer_release(&sg);
	if (rc)
		audit_checkpoint_release(out);
	return rc;
}

void audit_proof_release(struct audit_proof *p)
{
	if (!p)
		return;
	free(p->record);
	p->record = NULL;
}

json_t *audit_proof_to_json(const struct audit_proof *p)
{
	json_t *o = json_object(), *a = json_array();
	char hex[VG_SHA256_HEX];
	size_t i;

	for (i = 0; i < p->n; i++) {
		vg_hex(p->hashes[i], MERKLE_HASH, hex);
		json_array_append_new(a, json_string(hex));
	}
	if (p->inclusion) {
		json_object_set_new(o, "seq", json_integer(p->seq));
		json_object_set_new(o, "leaf_index", json_integer(p->seq - 1));
		json_object_set_new(o, "tree_size", json_integer(p->size));
		vg_hex(p->leaf, MERKLE_HASH, hex);
		json_object_set_new(o, "leaf_hash", json_string(hex));
		if (p->record)
			json_object_set_new(o, "record", json_string(p->record));
		vg_hex(p->root, MERKLE_HASH, hex);
		json_object_set_new(o, "root", json_string(hex));
	} else {
		json_object_set_new(o, "old_size", json_integer(p->old));
		json_object_set_new(o, "new_size", json_integer(p->size));
		vg_hex(p->old_root, MERKLE_HASH, hex);
		json_object_set_new(o, "old_root", json_string(hex));
		vg_hex(p->root, MERKLE_HASH, hex);
		json_object_set_new(o, "new_root", json_string(hex));
	}
	json_object_set_new(o, "proof", a);
	return o;
}

static int check_size(struct store *s, int64_t size, struct vg_error *err)
{
	int64_t have = 0;
	int rc = audit_tree_size(s, &have, err);
	if (rc)
		return rc;
	if (size < 1 || size > have)
		return vg_error_set(
		    err, VG_EINVAL,
		    "tree size %lld: the tree covers 1 to %lld records (make a newer "
		    "checkpoint with `vigil audit checkpoint`)",
		    (long long)size, (long long)have);
	return VG_OK;
}

int audit_prove_inclusion(struct store *s, int64_t seq, int64_t size, struct audit_proof *out,
			  struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->inclusion = 1;
	if (!size) {
		struct audit_checkpoint c;
		if ((rc = audit_checkpoint_get(s, 0, &c, err)))
			return rc;
		size = c.size;
		audit_checkpoint_release(&c);
	}
	if ((rc = check_size(s, size, err)))
		return rc;
	if (seq < 1 || seq > size)
		return vg_error_set(err, VG_EINVAL, "record %lld is not in a tree of %lld records",
				    (long long)seq, (long long)size);
	out->seq = seq;
	out->size = size;
	if ((rc = tree_get(s, 0, (uint64_t)(seq - 1), out->leaf, err)) ||
	    (rc = merkle_root(tree_get, s, (uint64_t)size, out->root, err)) ||
	    (rc = merkle_prove_inclusion(tree_get, s, (uint64_t)(seq - 1), (uint64_t)size,
					 out->hashes, &out->n, err)))
		return rc;
	rc = store_prepare(s, RECORD_COLS "WHERE seq = ?", &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, seq);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		out->record = row_canonical(st);
		rc = out->record ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_EAUDIT, "record %lld: missing from the trail",
				  (long long)seq);
	}
	store_finalize(st);
	return rc;
}

int audit_prove_consistency(struct store *s, int64_t old, int64_t size, struct audit_proof *out,
			    struct vg_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (old < 1 || old > size)
		return vg_error_set(
		    err, VG_EINVAL,
		    "consistency from %lld to %lld records: expected 0 < OLD <= NEW",
		    (long long)old, (long long)size);
	if ((rc = check_size(s, size, err)))
		return rc;
	out->old = old;
	out->size = size;
	if ((rc = merkle_root(tree_get, s, (uint64_t)old, out->old_root, err)) ||
	    (rc = merkle_root(tree_get, s, (uint64_t)size, out->root, err)))
		return rc;
	return merkle_prove_consistency(tree_get, s, (uint64_t)old, (uint64_t)size, out->hashes,
					&out->n, err);
}

int audit_verify_checkpoint(struct store *s, const char *note, size_t n,
			    const struct note_verifier *keys, size_t nkeys,
			    struct audit_tlog_report *rep, struct vg_error *err)
{
	struct note nt;
	struct checkpoint cp;
	struct note_verifier own;
	struct merkle_stream ms;
	struct store_stmt *st = NULL;
	uint8_t root[MERKLE_HASH];
	int64_t stored = 0, expect = 1;
	size_t i;
	int rc;

	memset(rep, 0, sizeof(*rep));
	if (!nkeys) {
		struct note_signer sg;
		if ((rc = audit_signer_open(s, &sg, err)))
			return rc;
		note_signer_verifier(&sg, &own);
		note_signer_release(&sg);
		keys = &own;
		nkeys = 1;
	}
	if ((rc = note_open(note, n, keys, nkeys, &nt, err)))
		return rc;
	for (i = 0; i < nt.nsigs; i++)
		if (nt.sigs[i].verified) {
			snprintf(rep->signer, sizeof(rep->signer), "%s", nt.sigs[i].name);
			break;
		}
	rc = checkpoint_parse(nt.text, nt.text_len, &cp, err);
	note_release(&nt);
	if (rc)
		return rc;
	snprintf(rep->origin, sizeof(rep->origin), "%s", cp.origin);
	if (strcmp(cp.origin, audit_origin()) != 0)
		return vg_error_set(err, VG_EAUDIT, "checkpoint is of log %s, this trail is %s",
				    cp.origin, audit_origin());
	rep->size = (int64_t)cp.size;
	if ((rc = store_query_int64(s, &rep->records, err, "SELECT COUNT(*) FROM audit_log", "")))
		return rc;
	if (rep->records < rep->size)
		return vg_error_set(err, VG_EAUDIT,
				    "the trail has %lld records but the checkpoint signed %lld: "
				    "records were removed (truncated)",
				    (long long)rep->records, (long long)rep->size);
	if ((rc = audit_tree_size(s, &stored, err)))
		return rc;
	merkle_stream_init(&ms);
	rc = store_prepare(s, RECORD_COLS "WHERE seq <= ? ORDER BY seq", &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, rep->size);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		uint8_t h[MERKLE_HASH], sh[MERKLE_HASH];
		char *c;

		if (store_col_int64(st, 0) != expect) {
			rc = vg_error_set(err, VG_EAUDIT,
					  "record %lld is missing: the trail was cut or renumbered",
					  (long long)expect);
			break;
		}
		c = row_canonical(st);
		if (!c) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		merkle_leaf_hash(c, strlen(c), h);
		free(c);
		if (!rep->first_bad && expect <= stored &&
		    tree_get(s, 0, (uint64_t)(expect - 1), sh, err) == VG_OK &&
		    memcmp(sh, h, MERKLE_HASH) != 0)
			rep->first_bad = expect;
		merkle_stream_push(&ms, h);
		expect++;
	}
	store_finalize(st);
	if (rc != STORE_DONE)
		return rc;
	if (expect - 1 != rep->size)
		return vg_error_set(err, VG_EAUDIT,
				    "the trail has %lld of the %lld records the checkpoint signed: "
				    "truncated",
				    (long long)(expect - 1), (long long)rep->size);
	merkle_stream_root(&ms, root);
	if (memcmp(root, cp.root, MERKLE_HASH) != 0) {
		if (rep->first_bad)
			return vg_error_set(
			    err, VG_EAUDIT,
			    "records 1 to %lld do not hash to the checkpoint's root: "
			    "rewritten from record %lld on",
			    (long long)rep->size, (long long)rep->first_bad);
		return vg_error_set(err, VG_EAUDIT,
				    "records 1 to %lld do not hash to the checkpoint's root: "
				    "rewritten",
				    (long long)rep->size);
	}
	return VG_OK;
}
