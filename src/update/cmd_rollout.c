/*
 * cmd_rollout.c - `vigil device enroll|list|show|revoke` and `vigil rollout
 * create|start|pause|resume|advance|halt|rollback|show|list|evaluate`.
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "store/store.h"
#include "update/device.h"
#include "update/rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ---- device ---- */

/* `vigil device enroll --enrollment-token`: one-time tokens that devices
 * exchange for their own credential (POST /api/v1/device/enroll). */
static int enrollment_issue_cmd(struct cli *c, const struct cli_args *a,
				const struct device_enroll_req *r)
{
	struct device_enrollment *e = NULL;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t ttl = DEVICE_ENROLL_TTL;
	int rc;

	if (cli_opt(a, "ttl") && vg_duration_parse(cli_opt(a, "ttl"), &ttl, &err)) {
		fprintf(stderr, "vigil: option --ttl: %s\n", vg_error_msg(&err));
		return 2;
	}
	rc = cli_open_store(c, 0, &s);
	if (!rc && device_enrollment_issue(s, r, ttl, &e, &err))
		rc = cli_error(&err);
	if (!rc) {
		char t[32];
		if (cli_flag(a, "json")) {
			json_t *arr = json_array();
			for (int64_t i = 0; i < r->count; i++)
				json_array_append_new(
				    arr, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)e[i].id,
						   "enrollment_token", e[i].token, "expires_at",
						   vg_json_time(e[i].expires_at)));
			cli_print_json(arr);
		} else {
			for (int64_t i = 0; i < r->count; i++)
				printf("%lld %s %s\n", (long long)e[i].id, e[i].token,
				       vg_time_format(e[i].expires_at, t, sizeof(t)));
			fprintf(stderr,
				"vigil: %lld enrollment token(s) for %s, each good for one "
				"device once until it expires; the tokens are shown once\n",
				(long long)r->count, r->product);
		}
		vg_wipe(e, sizeof(*e) * (size_t)r->count);
		free(e);
	}
	store_close(s);
	return rc;
}

static int device_enroll_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=",  "count=",   "channel=",
					   "hardware=", "version=", "enrollment-token",
					   "ttl=",      "json",     NULL};
	const char *usage = "--product P [--count N] [--channel C] [--hardware H] [--version V] "
			    "[--enrollment-token [--ttl 24h]] [--json]";
	struct device_enroll_req r = {0};
	struct device_cred *cred = NULL;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "product"))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "count", 1, DEVICE_ENROLL_MAX, 1, &r.count)))
		return rc;
	r.product = cli_opt(&a, "product");
	r.channel = cli_opt(&a, "channel");
	r.hardware = cli_opt(&a, "hardware");
	r.version = cli_opt(&a, "version");
	if (cli_flag(&a, "enrollment-token"))
		return enrollment_issue_cmd(c, &a, &r);
	if (cli_opt(&a, "ttl"))
		return cli_usage(c, "--ttl goes with --enrollment-token");
	rc = cli_open_store(c, 0, &s);
	if (!rc && device_enroll(s, &r, &cred, &err))
		rc = cli_error(&err);
	if (!rc) {
		if (cli_flag(&a, "json")) {
			json_t *arr = json_array();
			for (int64_t i = 0; i < r.count; i++)
				json_array_append_new(arr, json_pack("{s:s, s:s}", "id", cred[i].id,
								     "token", cred[i].token));
			cli_print_json(arr);
		} else {
			for (int64_t i = 0; i < r.count; i++)
				printf("%s %s\n", cred[i].id, cred[i].token);
			fprintf(
			    stderr,
			    "vigil: %lld device(s) enrolled for %s; the tokens are shown once\n",
			    (long long)r.count, r.product);
		}
		vg_wipe(cred, sizeof(*cred) * (size_t)r.count);
		free(cred);
	}
	store_close(s);
	return rc;
}

static int devices_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			 struct vg_error *err)
{
	struct device_filter f = {0};
	struct device_list l;
	(void)arg;
	f.product = cli_opt(a, "product");
	f.version = cli_opt(a, "version");
	f.channel = cli_opt(a, "channel");
	if (device_list(s, &f, &l, err))
		return err->code;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, device_to_json(&l.items[i]));
	device_list_release(&l);
	return VG_OK;
}

static int device_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "channel=", NULL};
	static const struct cli_col cols[] = {{"ID", "id", 22},
					      {"PRODUCT", "product", 14},
					      {"VERSION", "installed_version", 10},
					      {"CHANNEL", "channel", 8},
					      {"LAST SEEN", "last_seen", 22},
					      {"REVOKED", "revoked", 0},
					      {NULL, NULL, 0}};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--product P] [--version V] [--channel C] "
							"[--json]",
					       .fetch = devices_fetch,
					       .cols = cols,
					       .empty = "no devices"};
	return cli_list(c, argc, argv, &l);
}

static int device_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct device_list l;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID [--json]");
	rc = cli_open_store(c, 0, &s);
	if (!rc && device_get(s, a.pos[0], &l, &err))
		rc = cli_error(&err);
	if (!rc) {
		json_t *o = device_to_json(&l.items[0]);
		if (cli_flag(&a, "json")) {
			cli_print_json(o);
		} else {
			const struct device *d = &l.items[0];
			char t[32];
			printf("device     %s\nproduct    %s\nversion    %s\nchannel    "
			       "%s\nhardware   "
			       "%s\ncohort     %d\nlast seen  %s\nstate      %s\n",
			       d->id, d->product, d->installed_version ? d->installed_version : "-",
			       d->channel ? d->channel : "-", d->hardware ? d->hardware : "-",
			       d->cohort,
			       d->last_seen ? vg_time_format(d->last_seen, t, sizeof(t)) : "never",
			       d->revoked_at ? "revoked" : "active");
			json_decref(o);
		}
		device_list_release(&l);
	}
	store_close(s);
	return rc;
}

static int device_revoke_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"reason=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--reason TEXT]", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID [--reason TEXT]");
	rc = cli_open_store(c, 0, &s);
	if (!rc && device_revoke(s, a.pos[0], cli_opt(&a, "reason"), &err))
		rc = cli_error(&err);
	if (!rc)
		printf("device %s revoked\n", a.pos[0]);
	store_close(s);
	return rc;
}

static int enrollment_revoke_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	if (vg_parse_int64(a.pos[0], "ID", 1, INT64_MAX, &id, &err)) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return 2;
	}
	rc = cli_open_store(c, 0, &s);
	if (!rc && device_enrollment_revoke(s, id, &err))
		rc = cli_error(&err);
	if (!rc)
		printf("enrollment token %lld revoked\n", (long long)id);
	store_close(s);
	return rc;
}

int cmd_device(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"enroll", device_enroll_cmd,
	     "enroll devices of a product: ids and tokens (shown once)"},
	    {"list", device_list_cmd, "list devices"},
	    {"show", device_show_cmd, "one device"},
	    {"revoke", device_revoke_cmd, "revoke a device's credential"},
	    {"enrollment-revoke", enrollment_revoke_cmd, "revoke an unused enrollment token"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "device", "Devices of products and their credentials.", verbs, argc,
			    argv);
}

/* ---- rollout ---- */

static void print_rollout(const struct rollout *r)
{
	printf("rollout %lld: %s %s, %s, stage %d of %d (%d %%)\n", (long long)r->id, r->product,
	       r->version, r->state, r->stage + 1, r->nstages, r->stages[r->stage]);
	if (r->stage_info)
		for (int i = 0; i < r->nstages; i++)
			printf("  stage %d %3d %%: %lld devices, %lld installed, %lld failed%s\n",
			       i + 1, r->stages[i], (long long)r->stage_info[i].devices,
			       (long long)r->stage_info[i].installed,
			       (long long)r->stage_info[i].failed,
			       i == r->stage ? " (current)" : "");
}

static int show_one(struct store *s, int64_t id, int json, struct vg_error *err)
{
	struct rollout_list l;
	if (rollout_get(s, id, &l, err))
		return cli_error(err);
	if (json)
		cli_print_json(rollout_to_json(&l.items[0]));
	else
		print_rollout(&l.items[0]);
	rollout_list_release(&l);
	return CLI_OK;
}

static int rollout_create_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"stages=",     "soak=",   "success-min=", "max-failure=",
					   "min-sample=", "filter=", "json",         NULL};
	const char *usage = "RELEASE --stages 1,10,50,100 [--soak 24h] [--success-min 95] "
			    "[--max-failure 2] [--min-sample 50] [--filter channel=beta] [--json]";
	struct rollout_create_req r = {0};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "stages"))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "success-min", 0, 100, 95, &r.success_min)) ||
	    (rc = cli_opt_int(c, &a, "max-failure", 0, 100, 2, &r.max_failure)) ||
	    (rc = cli_opt_int(c, &a, "min-sample", 1, 100000000, 50, &r.min_sample)))
		return rc;
	r.soak = 24 * 3600;
	if (cli_opt(&a, "soak") && vg_duration_parse(cli_opt(&a, "soak"), &r.soak, &err)) {
		fprintf(stderr, "vigil: option --soak: %s\n", vg_error_msg(&err));
		return CLI_USAGE;
	}
	r.release = a.pos[0];
	r.stages = cli_opt(&a, "stages");
	r.filter = cli_opt(&a, "filter");
	rc = cli_open_store(c, 0, &s);
	if (!rc && rollout_create(s, &r, &id, &err))
		rc = cli_error(&err);
	if (!rc) {
		if (cli_flag(&a, "json"))
			rc = show_one(s, id, 1, &err);
		else
			printf("rollout %lld created (draft); start it with: vigil rollout start "
			       "%lld\n",
			       (long long)id, (long long)id);
	}
	store_close(s);
	return rc;
}

static int act_cmd(struct cli *c, int argc, char **argv, int action)
{
	static const char *const spec[] = {"reason=", "json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--reason TEXT] [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID [--reason TEXT] [--json]");
	if (vg_id_parse(a.pos[0], "rollout id", &id, &err))
		return cli_error(&err);
	rc = cli_open_store(c, 0, &s);
	if (!rc && rollout_act(s, id, action, cli_opt(&a, "reason"), &err))
		rc = cli_error(&err);
	if (!rc)
		rc = show_one(s, id, cli_flag(&a, "json"), &err);
	store_close(s);
	return rc;
}

static int start_cmd(struct cli *c, int argc, char **argv)
{
	return act_cmd(c, argc, argv, ROLLOUT_START);
}
static int pause_cmd(struct cli *c, int argc, char **argv)
{
	return act_cmd(c, argc, argv, ROLLOUT_PAUSE);
}
static int resume_cmd(struct cli *c, int argc, char **argv)
{
	return act_cmd(c, argc, argv, ROLLOUT_RESUME);
}
static int advance_cmd(struct cli *c, int argc, char **argv)
{
	return act_cmd(c, argc, argv, ROLLOUT_ADVANCE);
}
static int halt_cmd(struct cli *c, int argc, char **argv)
{
	return act_cmd(c, argc, argv, ROLLOUT_HALT);
}
static int rollback_cmd(struct cli *c, int argc, char **argv)
{
	return act_cmd(c, argc, argv, ROLLOUT_ROLLBACK);
}

static int rollout_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID [--json]");
	if (vg_id_parse(a.pos[0], "rollout id", &id, &err))
		return cli_error(&err);
	rc = cli_open_store(c, 0, &s);
	if (!rc)
		rc = show_one(s, id, cli_flag(&a, "json"), &err);
	store_close(s);
	return rc;
}

static int rollouts_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			  struct vg_error *err)
{
	struct rollout_list l;
	(void)arg;
	if (rollout_list(s, cli_opt(a, "product"), &l, err))
		return err->code;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, rollout_to_json(&l.items[i]));
	rollout_list_release(&l);
	return VG_OK;
}

static int rollout_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", NULL};
	static const struct cli_col cols[] = {
	    {"ID", "id", 5},        {"PRODUCT", "product", 14}, {"VERSION", "version", 10},
	    {"STATE", "state", 12}, {"PERCENT", "percent", 8},  {"UPDATED BY", "updated_by", 0},
	    {NULL, NULL, 0}};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--product P] [--json]",
					       .fetch = rollouts_fetch,
					       .cols = cols,
					       .empty = "no rollouts"};
	return cli_list(c, argc, argv, &l);
}

static int rollout_evaluate_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int changed = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (a.npos)
		return cli_usage(c, " ");
	rc = cli_open_store(c, 0, &s);
	if (!rc && rollout_evaluate(s, vg_now(), &changed, &err))
		rc = cli_error(&err);
	if (!rc)
		printf("%d rollout(s) changed\n", changed);
	store_close(s);
	return rc;
}

int cmd_rollout(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", rollout_create_cmd, "create a phased rollout of a published release"},
	    {"start", start_cmd, "start offering the first stage"},
	    {"pause", pause_cmd, "stop advancing after the current stage"},
	    {"resume", resume_cmd, "resume a paused or halted rollout"},
	    {"advance", advance_cmd, "advance to the next stage by hand"},
	    {"halt", halt_cmd, "emergency: stop offering to everyone at once (--reason)"},
	    {"rollback", rollback_cmd,
	     "offer the previous release (re-published) to devices that installed this one"},
	    {"show", rollout_show_cmd, "one rollout with its stages"},
	    {"list", rollout_list_cmd, "list rollouts"},
	    {"evaluate", rollout_evaluate_cmd,
	     "run the auto-advance and auto-halt checks now (the server's job does it too)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "rollout", "Phased rollouts of releases to devices.", verbs, argc,
			    argv);
}
