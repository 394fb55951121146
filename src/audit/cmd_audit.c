/*
 * cmd_audit.c - `vigil audit log` and `vigil audit verify`.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
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

static int audit_verify_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t count = 0, bad = 0;
	int rc, vr;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
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

int cmd_audit(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"log", audit_log, "list audit records (filters: time, actor, object)"},
	    {"verify", audit_verify_cmd, "check the hash chain; exit 1 at the first bad record"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "audit", "The tamper-evident audit trail of every change.", verbs,
			    argc, argv);
}
