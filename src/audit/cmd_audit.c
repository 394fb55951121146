/*
 * cmd_audit.c - `vigil audit log`, `verify [--checkpoint FILE]`,
 * `checkpoint`, `prove inclusion|consistency` and `key init|show`.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "audit/checkpoint.h"
#include "audit/note.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int time_opt(const struct cli_args *a, const char *name, int64_t *out, struct vg_error *err)
{
	struct vg_error e = {0};
	const char *v = cli_opt(a, name);
	if (!v)
		return VG_OK;
	if (vg_time_parse(v, out, &e))
		return vg_error_set(err, VG_EUSAGE, "--%s: %s", name, vg_error_msg(&e));
	return VG_OK;
}

struct log_arg {
	char otype[128];
};

static int log_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		     struct vg_error *err)
{
	struct audit_filter f = {0};
	struct audit_entry_list l;
	struct log_arg *la = arg;
	int rc;

	if ((rc = time_opt(a, "since", &f.since, err)) ||
	    (rc = time_opt(a, "until", &f.until, err)) ||
	    (rc = vg_parse_int64_opt(cli_opt(a, "limit"), "option --limit", 0, 1000000000, 0,
				     &f.limit, err)))
		return rc;
	f.actor = cli_opt(a, "actor");
	if (cli_opt(a, "object")) {
		const char *o = cli_opt(a, "object"), *colon = strchr(o, ':');
		snprintf(la->otype, sizeof(la->otype), "%.*s",
			 colon ? (int)(colon - o) : (int)strlen(o), o);
		f.otype = la->otype;
		f.oid = colon ? colon + 1 : NULL;
	}
	if ((rc = audit_query(s, &f, &l, err)))
		return rc;
	*out = audit_entry_list_to_json(&l);
	audit_entry_list_release(&l);
	return VG_OK;
}

static void log_row(const json_t *r, void *arg)
{
	char *b = json_dumps(json_object_get(r, "before"), JSON_ENCODE_ANY | JSON_COMPACT);
	char *af = json_dumps(json_object_get(r, "after"), JSON_ENCODE_ANY | JSON_COMPACT);
	(void)arg;
	printf("%6lld  %s  %-16s %-24s %s:%s  before=%s after=%s\n",
	       (long long)json_integer_value(json_object_get(r, "seq")), vg_json_str(r, "at"),
	       vg_json_str(r, "actor"), vg_json_str(r, "action"), vg_json_str(r, "object_type"),
	       vg_json_str(r, "object_id"), b ? b : "null", af ? af : "null");
	free(b);
	free(af);
}

static int audit_log(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"since=", "until=", "actor=", "object=", "limit=", NULL};
	struct log_arg la = {{0}};
	struct cli_list_spec l = {
	    .spec = spec,
	    .usage = "[--since T] [--until T] [--actor A] [--object TYPE:ID] [--limit N] [--json]",
	    .fetch = log_fetch,
	    .print_row = log_row,
	    .arg = &la,
	};
	return cli_list(c, argc, argv, &l);
}

static int read_file(const char *path, char **out, size_t *n, struct vg_error *err)
{
	FILE *f = fopen(path, "rb");
	char *b;
	size_t got;

	*out = NULL;
	if (!f)
		return vg_error_set(err, VG_EIO, "%s: cannot open", path);
	b = malloc(NOTE_MAX_SIZE + 1);
	if (!b) {
		fclose(f);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	got = fread(b, 1, NOTE_MAX_SIZE + 1, f);
	fclose(f);
	if (got > NOTE_MAX_SIZE) {
		free(b);
		return vg_error_set(err, VG_ETOOBIG, "%s: longer than %d bytes", path,
				    NOTE_MAX_SIZE);
	}
	b[got] = '\0';
	*out = b;
	*n = got;
	return VG_OK;
}

/* `verify --checkpoint FILE [--key VKEY]`: the trail against a signed checkpoint. */
static int verify_checkpoint(struct cli *c, struct cli_args *a)
{
	struct store *s = NULL;
	struct vg_error err = {0};
	struct note_verifier v;
	struct audit_tlog_report rep;
	char *note = NULL;
	size_t n = 0;
	int rc;

	if (cli_opt(a, "key") && note_vkey_parse(cli_opt(a, "key"), &v, &err))
		return cli_error(&err);
	if ((rc = read_file(cli_opt(a, "checkpoint"), &note, &n, &err)))
		return cli_error(&err);
	rc = cli_open_store(c, 0, &s);
	if (rc) {
		free(note);
		return rc;
	}
	rc = audit_verify_checkpoint(s, note, n, cli_opt(a, "key") ? &v : NULL,
				     cli_opt(a, "key") ? 1 : 0, &rep, &err);
	free(note);
	store_close(s);
	if (rc && rc != VG_EAUDIT)
		return cli_error(&err);
	if (cli_flag(a, "json")) {
		json_t *o =
		    json_pack("{s:b, s:I, s:I, s:s, s:s}", "intact", rc == VG_OK, "tree_size",
			      (json_int_t)rep.size, "records", (json_int_t)rep.records, "origin",
			      rep.origin, "signer", rep.signer);
		if (rc)
			json_object_set_new(o, "reason", json_string(vg_error_msg(&err)));
		if (rep.first_bad)
			json_object_set_new(o, "first_bad_seq", json_integer(rep.first_bad));
		cli_print_json(o);
	} else if (rc == VG_OK) {
		printf("audit trail matches the checkpoint: records 1 to %lld hash to its root "
		       "(signed by %s); %lld records now\n",
		       (long long)rep.size, rep.signer, (long long)rep.records);
	} else {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
	}
	return rc == VG_OK ? CLI_OK : CLI_FAIL;
}

static int audit_verify_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "checkpoint=", "key=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t count = 0, bad = 0;
	int rc, vr;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--checkpoint FILE [--key VKEY]] [--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--checkpoint FILE [--key VKEY]] [--json]");
	if (cli_opt(&a, "checkpoint")) {
		/* the chain first: a changed record is named by it */
		rc = cli_open_store(c, 0, &s);
		if (rc)
			return rc;
		vr = audit_verify(s, &count, &bad, &err);
		store_close(s);
		if (vr && vr != VG_EAUDIT)
			return cli_error(&err);
		if (vr) {
			if (cli_flag(&a, "json")) {
				json_t *o =
				    json_pack("{s:b, s:I, s:I, s:s}", "intact", 0, "records",
					      (json_int_t)count, "first_bad_seq", (json_int_t)bad,
					      "reason", vg_error_msg(&err));
				cli_print_json(o);
			} else {
				fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
				printf("first bad sequence number: %lld\n", (long long)bad);
			}
			return CLI_FAIL;
		}
		return verify_checkpoint(c, &a);
	}
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	vr = audit_verify(s, &count, &bad, &err);
	store_close(s);
	if (vr && vr != VG_EAUDIT)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o =
		    json_pack("{s:b, s:I}", "intact", vr == VG_OK, "records", (json_int_t)count);
		if (vr)
			json_object_set_new(o, "first_bad_seq", json_integer(bad));
		if (vr)
			json_object_set_new(o, "reason", json_string(vg_error_msg(&err)));
		cli_print_json(o);
	} else if (vr == VG_OK) {
		printf("audit trail intact: %lld records\n", (long long)count);
	} else {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		printf("first bad sequence number: %lld\n", (long long)bad);
	}
	return vr == VG_OK ? CLI_OK : CLI_FAIL;
}

static int audit_checkpoint_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct audit_checkpoint cp;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	rc = audit_checkpoint_make(s, &cp, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		cli_print_json(audit_checkpoint_to_json(&cp));
	else
		fputs(cp.note, stdout);
	audit_checkpoint_release(&cp);
	return CLI_OK;
}

static void print_proof(const struct audit_proof *p)
{
	char hex[VG_SHA256_HEX];
	size_t i;

	if (p->inclusion) {
		printf("record %lld (leaf index %lld) in the tree of %lld records\n",
		       (long long)p->seq, (long long)(p->seq - 1), (long long)p->size);
		vg_hex(p->leaf, MERKLE_HASH, hex);
		printf("leaf hash: %s\n", hex);
	} else {
		vg_hex(p->old_root, MERKLE_HASH, hex);
		printf("tree of %lld records (root %s)\n", (long long)p->old, hex);
		printf("is a prefix of the tree of %lld records\n", (long long)p->size);
	}
	vg_hex(p->root, MERKLE_HASH, hex);
	printf("root: %s\nproof (%zu hashes, bottom up):\n", hex, p->n);
	for (i = 0; i < p->n; i++) {
		vg_hex(p->hashes[i], MERKLE_HASH, hex);
		printf("  %s\n", hex);
	}
}

static int audit_prove_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "size=", NULL};
	static const char *usage =
	    "inclusion SEQ [--size N] [--json] | consistency OLD NEW [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct audit_proof p;
	int64_t x = 0, y = 0, size = 0;
	int rc, incl;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos < 2)
		return cli_usage(c, "%s", usage);
	incl = strcmp(a.pos[0], "inclusion") == 0;
	if ((!incl && strcmp(a.pos[0], "consistency") != 0) || (incl && a.npos != 2) ||
	    (!incl && (a.npos != 3 || cli_opt(&a, "size"))))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "size", 1, INT64_MAX, 0, &size)))
		return rc;
	if (vg_parse_int64(a.pos[1], incl ? "SEQ" : "OLD", 1, INT64_MAX, &x, &err) ||
	    (!incl && vg_parse_int64(a.pos[2], "NEW", 1, INT64_MAX, &y, &err))) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return CLI_USAGE;
	}
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = incl ? audit_prove_inclusion(s, x, size, &p, &err)
		  : audit_prove_consistency(s, x, y, &p, &err);
	if (!rc && cli_flag(&a, "json")) {
		json_t *o = audit_proof_to_json(&p);
		struct audit_checkpoint cp;
		/* the signed checkpoint of that size, when there is one */
		if (audit_checkpoint_get(s, p.size, &cp, &err) == VG_OK) {
			json_object_set_new(o, "checkpoint", json_string(cp.note));
			audit_checkpoint_release(&cp);
		}
		cli_print_json(o);
	} else if (!rc) {
		print_proof(&p);
	}
	store_close(s);
	audit_proof_release(&p);
	return rc ? cli_error(&err) : CLI_OK;
}

static int audit_key_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {NULL};
	struct cli_args a;
	struct vg_error err = {0};
	char *vkey = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "init|show", &a);
	if (a.npos != 1 || (strcmp(a.pos[0], "init") != 0 && strcmp(a.pos[0], "show") != 0))
		return cli_usage(c, "init|show");
	if (strcmp(a.pos[0], "init") == 0) {
		rc = audit_key_init(&vkey, &err);
	} else {
		struct note_signer sg;
		struct store *s = NULL;
		if ((rc = cli_open_store(c, 0, &s)))
			return rc;
		rc = audit_signer_open(s, &sg, &err);
		if (!rc) {
			vkey = note_vkey(sg.name, sg.pub);
			note_signer_release(&sg);
		}
		store_close(s);
	}
	if (rc)
		return cli_error(&err);
	printf("%s\n", vkey ? vkey : "");
	free(vkey);
	return CLI_OK;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"log", audit_log, "list audit records (filters: time, actor, object)"},
	    {"verify", audit_verify_cmd,
	     "check the hash chain (and with --checkpoint FILE the trail against a signed "
	     "checkpoint); exit 1 at the first problem"},
	    {"checkpoint", audit_checkpoint_cmd,
	     "sign a checkpoint of the Merkle tree of the trail (C2SP tlog-checkpoint)"},
	    {"prove", audit_prove_cmd,
	     "an inclusion proof of a record, or a consistency proof between two tree sizes"},
	    {"key", audit_key_cmd, "make (init) or show the checkpoint signing key"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "audit", "The tamper-evident audit trail of every change.", verbs,
			    argc, argv);
}
