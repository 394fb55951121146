/*
 * cmd_tuf.c - `vigil tuf init|delegate|add-target|rotate|status|export|resign`.
 */
#include "update/tuf.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define TARGET_MAX ((size_t)1 << 31)

static int done(struct store *s, int rc, struct vg_error *err)
{
	store_close(s);
	return rc ? cli_error(err) : CLI_OK;
}

static int tuf_init_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"root-signers=",
					   "root-threshold=",
					   "targets-signer=",
					   "snapshot-signer=",
					   "timestamp-signer=",
					   "expiry=",
					   NULL};
	static const char usage[] =
	    "--root-signers A,B,C --root-threshold N --targets-signer T --snapshot-signer S "
	    "--timestamp-signer M [--expiry root=365d,targets=90d,snapshot=7d,timestamp=1d]";
	struct cli_args a;
	struct tuf_init_opts o = {0};
	struct vg_error err = {0};
	struct store *s = NULL;
	int64_t th = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "root-signers") || !cli_opt(&a, "targets-signer") ||
	    !cli_opt(&a, "snapshot-signer") || !cli_opt(&a, "timestamp-signer"))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "root-threshold", 1, 16, 1, &th)))
		return rc;
	o.root_signers = cli_opt(&a, "root-signers");
	o.root_threshold = th;
	o.targets_signer = cli_opt(&a, "targets-signer");
	o.snapshot_signer = cli_opt(&a, "snapshot-signer");
	o.timestamp_signer = cli_opt(&a, "timestamp-signer");
	o.expiry = cli_opt(&a, "expiry");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = tuf_init(s, &o, &err);
	if (!rc)
		printf("TUF repository created: root v1 (threshold %lld), targets, snapshot, "
		       "timestamp v1\n",
		       (long long)th);
	return done(s, rc, &err);
}

static int tuf_delegate_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "signer=", NULL};
	static const char usage[] = "--product P --signer NAME";
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "product") || !cli_opt(&a, "signer"))
		return cli_usage(c, "%s", usage);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = tuf_delegate(s, cli_opt(&a, "product"), cli_opt(&a, "signer"), &err);
	if (!rc)
		printf("role products/%s delegated to signer %s (paths %s/*)\n",
		       cli_opt(&a, "product"), cli_opt(&a, "signer"), cli_opt(&a, "product"));
	return done(s, rc, &err);
}

static int tuf_add_target_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "name=", NULL};
	static const char usage[] = "--product P FILE [--name NAME]";
	struct cli_args a;
	struct vg_error err = {0};
	struct vg_buf b;
	struct store *s = NULL;
	struct update_tuf_target t = {0};
	const char *name;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "product"))
		return cli_usage(c, "%s", usage);
	name = cli_opt(&a, "name");
	if (!name) {
		name = strrchr(a.pos[0], '/');
		name = name ? name + 1 : a.pos[0];
	}
	vg_buf_init(&b, TARGET_MAX);
	if (vg_buf_read_file(&b, a.pos[0], TARGET_MAX, &err)) {
		vg_buf_release(&b);
		return cli_error(&err);
	}
	t.name = name;
	t.data = b.data ? b.data : "";
	t.length = b.len;
	if (cli_open_store(c, 1, &s)) {
		vg_buf_release(&b);
		return CLI_FAIL;
	}
	rc = update_tuf_add_targets(s, cli_opt(&a, "product"), &t, 1, &err);
	if (!rc)
		printf("target %s/%s added (%zu bytes); products/%s, snapshot and timestamp "
		       "signed\n",
		       cli_opt(&a, "product"), name, b.len, cli_opt(&a, "product"));
	vg_buf_release(&b);
	return done(s, rc, &err);
}

static int tuf_rotate_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"signer=", "threshold=", NULL};
	static const char usage[] = "ROLE --signer NEW[,NEW...] [--threshold N]";
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	int64_t th = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "signer"))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "threshold", 1, 16, 0, &th)))
		return rc;
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = tuf_rotate(s, a.pos[0], cli_opt(&a, "signer"), th, &err);
	if (!rc)
		printf("role %s now signed by %s\n", a.pos[0], cli_opt(&a, "signer"));
	return done(s, rc, &err);
}

static int tuf_status_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	struct tuf_status st;
	int64_t now = vg_now();
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = tuf_status_get(s, &st, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *j = tuf_status_to_json(&st);
		tuf_status_release(&st);
		return j ? cli_print_json(j) : cli_fail("out of memory");
	}
	if (st.n == 0)
		printf("no TUF repository (run 'vigil tuf init')\n");
	else
		printf("%-22s %-8s %-22s %-12s %s\n", "ROLE", "VERSION", "EXPIRES", "LEFT",
		       "SIGNERS (THRESHOLD)");
	for (size_t i = 0; i < st.n; i++) {
		const struct tuf_role_status *r = &st.roles[i];
		char t[VG_TIME_BUFSZ], left[32];
		int64_t d = r->expires_at - now;
		if (d <= 0)
			snprintf(left, sizeof(left), "EXPIRED");
		else if (d >= 86400)
			snprintf(left, sizeof(left), "%lldd %lldh", (long long)(d / 86400),
				 (long long)(d % 86400 / 3600));
		else
			snprintf(left, sizeof(left), "%lldh %lldm", (long long)(d / 3600),
				 (long long)(d % 3600 / 60));
		printf("%-22s %-8lld %-22s %-12s %s (%lld)\n", r->role, (long long)r->version,
		       r->expires_at ? vg_time_format(r->expires_at, t, sizeof(t)) : "-", left,
		       r->signers, (long long)r->threshold);
	}
	tuf_status_release(&st);
	return CLI_OK;
}

static int tuf_export_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	size_t files = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "DIR", &a);
	if (a.npos != 1)
		return cli_usage(c, "DIR");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = tuf_export(s, a.pos[0], &files, &err);
	if (!rc)
		printf("exported %zu files to %s (metadata/ and targets/)\n", files, a.pos[0]);
	return done(s, rc, &err);
}

static int tuf_resign_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	int renewed = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (a.npos)
		return cli_usage(c, "%s", "");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = tuf_resign_due(s, &renewed, &err);
	if (!rc)
		printf("%d role%s signed again\n", renewed, renewed == 1 ? "" : "s");
	return done(s, rc, &err);
}

int cmd_tuf(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"init", tuf_init_cmd, "create the repository: roles, signers, expiries"},
	    {"delegate", tuf_delegate_cmd, "give a product its delegated role and signer"},
	    {"add-target", tuf_add_target_cmd, "add a file to a product's targets and sign"},
	    {"rotate", tuf_rotate_cmd, "replace a role's signers (root: signed by old and new)"},
	    {"status", tuf_status_cmd, "versions, expiries and signers of every role"},
	    {"export", tuf_export_cmd, "write the repository as static files for mirrors"},
	    {"resign", tuf_resign_cmd, "sign again what is past half its lifetime (the job)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "tuf", "The TUF repository (The Update Framework 1.0).", verbs, argc,
			    argv);
}

/* ---- the job ---- */

static int resign_job(struct store *s, struct vg_error *err)
{
	int renewed = 0;
	return tuf_resign_due(s, &renewed, err);
}

const struct vg_job tuf_jobs[] = {
    {"tuf.resign", 600, resign_job, NULL},
    {NULL, 0, NULL, NULL},
};
