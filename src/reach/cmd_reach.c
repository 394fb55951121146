/*
 * cmd_reach.c - `vigil securitytxt watch|check-watched|probe-contact|
 * confirm-probe|probes` and `vigil pgp status|check-expiry|rotate|keys`.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "reach/reach.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *str(const json_t *o, const char *k)
{
	const char *v = vg_json_str(o, k);
	return v ? v : "-";
}

static int watch_add(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "URL", &a);
	if (a.npos != 1)
		return cli_usage(c, "URL");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = stwatch_add(s, a.pos[0], &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("watching %s\n", a.pos[0]);
	return CLI_OK;
}

static int watch_remove(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "URL", &a);
	if (a.npos != 1)
		return cli_usage(c, "URL");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = stwatch_remove(s, a.pos[0], &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("no longer watching %s\n", a.pos[0]);
	return CLI_OK;
}

static int fetch_watches(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			 struct vg_error *err)
{
	struct vg_arena mem;
	struct stwatch_list l;
	int64_t history;
	int rc;
	(void)arg;
	if ((rc = vg_parse_int64_opt(cli_opt(a, "history"), "option --history", 1, 1000, 10,
				     &history, err)))
		return rc;
	vg_arena_init(&mem, 0);
	rc = stwatch_list(s, history, &mem, &l, err);
	if (!rc && !(*out = stwatch_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

static void print_watch(const json_t *w, void *arg)
{
	const json_t *l = json_object_get(w, "last");
	(void)arg;
	if (json_is_object(l))
		printf("%-50s %-11s checked %s, expires %s\n", str(w, "url"), str(l, "status"),
		       str(l, "checked_at"), str(l, "expires_at"));
	else
		printf("%-50s not checked yet\n", str(w, "url"));
}

static int watch_list(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"history=", NULL};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--history N] [--json]",
					       .migrate = 1,
					       .fetch = fetch_watches,
					       .print_row = print_watch};
	return cli_list(c, argc, argv, &l);
}

int stwatch_cmd_watch(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", watch_add, "watch a security.txt URL (checked daily)"},
	    {"list", watch_list, "watched URLs and their last checks"},
	    {"remove", watch_remove, "stop watching a URL"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "securitytxt watch", "Watched security.txt locations.", verbs, argc,
			    argv);
}

int stwatch_cmd_check(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"cacert=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int checked = 0, problems = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--cacert FILE]", &a);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = stwatch_check_all(s, cli_opt(&a, "cacert"), &checked, &problems, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("%d checked, %d with problems\n", checked, problems);
	return CLI_OK;
}

int stwatch_cmd_probe(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"contact=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[URL] --contact mailto:ADDRESS", &a);
	if (a.npos > 1 || !cli_opt(&a, "contact"))
		return cli_usage(c, "[URL] --contact mailto:ADDRESS");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = stprobe_send(s, cli_opt(&a, "contact"), a.npos ? a.pos[0] : NULL, &id, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("probe %lld sent to %s; record the PSIRT's confirmation with vigil securitytxt "
	       "confirm-probe TOKEN\n",
	       (long long)id, cli_opt(&a, "contact"));
	return CLI_OK;
}

int stwatch_cmd_confirm(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "TOKEN", &a);
	if (a.npos != 1)
		return cli_usage(c, "TOKEN");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = stprobe_confirm(s, a.pos[0], &id, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("probe %lld confirmed\n", (long long)id);
	return CLI_OK;
}

static int fetch_probes(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			struct vg_error *err)
{
	struct vg_arena mem;
	struct stprobe_list l;
	int rc;
	(void)a;
	(void)arg;
	vg_arena_init(&mem, 0);
	rc = stprobe_list(s, &mem, &l, err);
	if (!rc && !(*out = stprobe_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

static void print_probe(const json_t *r, void *arg)
{
	(void)arg;
	printf("%4lld %-40s %-9s sent %s confirmed %s\n", (long long)vg_json_int(r, "id", 0),
	       str(r, "contact"), str(r, "status"), str(r, "sent_at"), str(r, "confirmed_at"));
}

int stwatch_cmd_probes(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .migrate = 1, .fetch = fetch_probes, .print_row = print_probe};
	return cli_list(c, argc, argv, &l);
}

/* ---- vigil pgp ---- */

static int pgp_status_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "encryption-uri=", "cacert=", NULL};
	const char *usage = "[--encryption-uri URI] [--cacert FILE] [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct pgp_key_status k;
	char ts[VG_TIME_BUFSZ];
	int rc, bad;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	vg_arena_init(&mem, 0);
	rc = pgp_status(s, cli_opt(&a, "encryption-uri"), cli_opt(&a, "cacert"), &mem, &k, &err);
	store_close(s);
	if (rc) {
		vg_arena_release(&mem);
		return cli_error(&err);
	}
	bad = k.weak || k.expired || (k.encryption_uri && !k.encryption_matches);
	if (cli_flag(&a, "json")) {
		json_t *o = pgp_key_status_to_json(&k);
		vg_arena_release(&mem);
		cli_print_json(o);
		return bad ? CLI_FAIL : CLI_OK;
	}
	printf("key          %s (%s)\n", k.fingerprint, k.uid);
	printf("algorithm    %s, %u bits%s\n", k.algorithm, k.bits, k.weak ? " - WEAK" : "");
	printf("expires      %s%s\n", k.expires ? vg_time_format(k.expires, ts, sizeof(ts)) : "-",
	       k.expired    ? " - EXPIRED"
	       : k.expiring ? " - within 60 days"
			    : "");
	if (k.encryption_uri)
		printf("encryption   %s %s%s%s\n", k.encryption_uri,
		       k.encryption_matches ? "serves this key" : "does NOT serve this key",
		       k.encryption_error ? ": " : "",
		       k.encryption_error ? k.encryption_error : "");
	else
		printf("encryption   no Encryption URI known (watch a security.txt or pass "
		       "--encryption-uri)\n");
	vg_arena_release(&mem);
	return bad ? CLI_FAIL : CLI_OK;
}

static int pgp_check_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int expiring = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = pgp_expiry_check(s, &expiring, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf(expiring ? "the PSIRT key expires within 60 days (pgp.expiring emitted)\n"
			: "the PSIRT key is not expiring\n");
	return CLI_OK;
}

static int pgp_rotate_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"new-key=", "publish=", NULL};
	const char *usage = "--new-key FPR [--publish FILE]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "new-key"))
		return cli_usage(c, "%s", usage);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = pgp_rotate(s, cli_opt(&a, "new-key"), cli_opt(&a, "publish"), &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("the PSIRT key is now %s; the previous key is kept for decryption\n",
	       cli_opt(&a, "new-key"));
	return CLI_OK;
}

static int fetch_keys(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		      struct vg_error *err)
{
	struct vg_arena mem;
	struct pgp_key_list l;
	int rc;
	(void)a;
	(void)arg;
	vg_arena_init(&mem, 0);
	rc = pgp_keys(s, &mem, &l, err);
	if (!rc && !(*out = pgp_key_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

static void print_key(const json_t *r, void *arg)
{
	(void)arg;
	printf("%s %-8s expires %s\n", str(r, "fingerprint"), str(r, "state"),
	       str(r, "expires_at"));
}

static int pgp_keys_cmd(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .migrate = 1, .fetch = fetch_keys, .print_row = print_key};
	return cli_list(c, argc, argv, &l);
}

int cmd_pgp(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"status", pgp_status_cmd, "the PSIRT key: strength, expiry, Encryption URI match"},
	    {"check-expiry", pgp_check_cmd, "emit pgp.expiring 60 days before the key expires"},
	    {"rotate", pgp_rotate_cmd, "switch to a new key certified by the current one"},
	    {"keys", pgp_keys_cmd, "recorded PSIRT keys (current and previous)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "pgp", "The PSIRT OpenPGP key.", verbs, argc, argv);
}
