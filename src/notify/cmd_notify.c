/*
 * cmd_notify.c - `vigil notify ...`: channels, rules, the delivery log.
 * Secrets (webhook secret, PagerDuty routing key, SMTP password) are read
 * from standard input, never from the command line (a URL with credentials
 * too, with --url-stdin: first line, before any secret); listings show URLs
 * masked (core/redact.h) and the other secrets as "***".
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "notify/notify.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int read_secret(const char *what, char *out, size_t n)
{
	size_t len;
	if (!fgets(out, (int)n, stdin))
		return cli_fail("%s: expected it on standard input", what);
	len = strlen(out);
	if ((!len || out[len - 1] != '\n') && !feof(stdin)) {
		vg_wipe(out, n);
		return cli_fail("%s: longer than %zu characters", what, n - 2);
	}
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return len ? CLI_OK : cli_fail("%s: empty", what);
}

static int channel_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"kind=",          "url=",         "smtp-url=",
					   "from=",          "to=",          "starttls",
					   "username=",      "secret-stdin", "routing-key-stdin",
					   "password-stdin", "url-stdin",    NULL};
	const char *usage =
	    "NAME --kind webhook --url URL [--secret-stdin] | --kind email "
	    "--smtp-url smtp://HOST:PORT --from ADDR --to ADDR[,ADDR] [--starttls] "
	    "[--username U --password-stdin] | --kind pagerduty --routing-key-stdin "
	    "[--url EVENTS_URL]; --url-stdin reads the URL (or smtp URL) from the first "
	    "line of standard input instead, out of the process list";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *cfg;
	char secret[512], url[2048];
	const char *kind;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	kind = cli_opt(&a, "kind");
	if (a.npos != 1 || !kind)
		return cli_usage(c, "%s", usage);
	cfg = json_object();
	if (cli_flag(&a, "url-stdin")) {
		/* a URL with credentials or a secret path stays out of argv */
		if (cli_opt(&a, "url") || cli_opt(&a, "smtp-url")) {
			json_decref(cfg);
			return cli_usage(c, "%s",
					 "--url-stdin: not together with --url or --smtp-url");
		}
		if (read_secret("url", url, sizeof(url))) {
			json_decref(cfg);
			return CLI_FAIL;
		}
		json_object_set_new(cfg, strcmp(kind, "email") == 0 ? "smtp_url" : "url",
				    json_string(url));
		vg_wipe(url, sizeof(url));
	}
	if (cli_opt(&a, "url"))
		json_object_set_new(cfg, "url", json_string(cli_opt(&a, "url")));
	if (strcmp(kind, "email") == 0) {
		json_t *to = json_array();
		char *list = strdup(cli_opt(&a, "to") ? cli_opt(&a, "to") : ""), *save = NULL;
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(to, json_string(t));
		free(list);
		json_object_set_new(cfg, "to", to);
		if (cli_opt(&a, "smtp-url"))
			json_object_set_new(cfg, "smtp_url", json_string(cli_opt(&a, "smtp-url")));
		if (cli_opt(&a, "from"))
			json_object_set_new(cfg, "from", json_string(cli_opt(&a, "from")));
		if (cli_flag(&a, "starttls"))
			json_object_set_new(cfg, "starttls", json_true());
		if (cli_opt(&a, "username"))
			json_object_set_new(cfg, "username", json_string(cli_opt(&a, "username")));
	}
	if (cli_flag(&a, "secret-stdin") || cli_flag(&a, "routing-key-stdin") ||
	    cli_flag(&a, "password-stdin")) {
		const char *key = cli_flag(&a, "secret-stdin")        ? "secret"
				  : cli_flag(&a, "routing-key-stdin") ? "routing_key"
								      : "password";
		if (read_secret(key, secret, sizeof(secret))) {
			json_decref(cfg);
			return CLI_FAIL;
		}
		json_object_set_new(cfg, key, json_string(secret));
		vg_wipe(secret, sizeof(secret));
	}
	rc = cli_open_store(c, 0, &s);
	if (!rc && notify_channel_add(s, a.pos[0], kind, cfg, &err))
		rc = cli_error(&err);
	if (!rc)
		printf("channel %s (%s) added\n", a.pos[0], kind);
	json_decref(cfg);
	store_close(s);
	return rc;
}

static int channel_remove(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "NAME", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME");
	rc = cli_open_store(c, 0, &s);
	if (!rc && notify_channel_remove(s, a.pos[0], &err))
		rc = cli_error(&err);
	if (!rc)
		printf("channel %s disabled\n", a.pos[0]);
	store_close(s);
	return rc;
}

static int fetch_channels(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			  struct vg_error *err)
{
	struct vg_arena mem;
	struct notify_channel_list l;
	int rc;
	(void)a;
	(void)arg;
	vg_arena_init(&mem, 0);
	rc = notify_channels(s, &mem, &l, err);
	if (!rc && !(*out = notify_channel_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

static int fetch_rules(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		       struct vg_error *err)
{
	struct vg_arena mem;
	struct notify_rule_list l;
	int rc;
	(void)a;
	(void)arg;
	vg_arena_init(&mem, 0);
	rc = notify_rules(s, &mem, &l, err);
	if (!rc && !(*out = notify_rule_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

/* One compact JSON object a line, keys sorted (as the listings always were). */
static void print_json_line(const json_t *row, void *arg)
{
	char *line = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
	(void)arg;
	printf("%s\n", line ? line : "");
	free(line);
}

static int channels(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = fetch_channels, .print_row = print_json_line};
	return cli_list(c, argc, argv, &l);
}

static int rules(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = fetch_rules, .print_row = print_json_line};
	return cli_list(c, argc, argv, &l);
}

static int rule_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"event=", "min-severity=", "channel=", NULL};
	const char *usage = "--event EVENT|FAMILY.*|* [--min-severity S] --channel NAME";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "event") || !cli_opt(&a, "channel"))
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (!rc && notify_rule_add(s, cli_opt(&a, "event"), cli_opt(&a, "min-severity"),
				   cli_opt(&a, "channel"), &err)) {
		rc = cli_error(&err);
		if (err.code == VG_EINVAL)
			rc = CLI_USAGE;
	}
	if (!rc)
		printf("rule added: %s -> %s\n", cli_opt(&a, "event"), cli_opt(&a, "channel"));
	store_close(s);
	return rc;
}

static int emit(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"severity=", "summary=", "dedup-key=", NULL};
	const char *usage = "EVENT [--severity S] [--summary TEXT] [--dedup-key K]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *p;
	char ts[VG_TIME_BUFSZ];
	int rc, n = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	p = json_pack("{s:s, s:s?, s:s?, s:s?, s:s}", "summary",
		      cli_opt(&a, "summary") ? cli_opt(&a, "summary") : a.pos[0], "severity",
		      cli_opt(&a, "severity"), "dedup_key", cli_opt(&a, "dedup-key"), "actor",
		      store_actor(s), "at", vg_time_format(vg_now(), ts, sizeof(ts)));
	rc = notify_enqueue(s, a.pos[0], p, &n, &err);
	json_decref(p);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("%d deliveries queued\n", n);
	return CLI_OK;
}

static int run(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc, sent = 0, failed = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = notify_deliver_due(s, 1000, &sent, &failed, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("%d sent, %d failed\n", sent, failed);
	return failed ? CLI_FAIL : CLI_OK;
}

static int seal(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc, n = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (a.npos)
		return cli_usage(c, "%s", "");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = notify_seal_existing(s, &n, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("%d channel%s sealed\n", n, n == 1 ? "" : "s");
	return CLI_OK;
}

static int fetch_log(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		     struct vg_error *err)
{
	struct vg_arena mem;
	struct notify_delivery_list l;
	int64_t limit;
	int rc;
	(void)arg;
	if ((rc = vg_parse_int64_opt(cli_opt(a, "limit"), "option --limit", 1, 1000000, 100, &limit,
				     err)))
		return rc;
	vg_arena_init(&mem, 0);
	rc = notify_log(s, limit, &mem, &l, err);
	if (!rc && !(*out = notify_delivery_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

static int log_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"limit=", NULL};
	/* no response code or error yet shows as "-" */
	static const struct cli_col head[] = {{"ID", "id", 6},
					      {"EVENT", "event", 24},
					      {"CHANNEL", "channel", 16},
					      {"STATUS", "status", 8},
					      {"TRY", "attempts", 3},
					      {"CODE", "response_code", 5},
					      {"ERROR", "last_error", 0},
					      {NULL, NULL, 0}};
	static const struct cli_list_spec l = {
	    .spec = spec, .usage = "[--limit N] [--json]", .fetch = fetch_log, .cols = head};
	return cli_list(c, argc, argv, &l);
}

int cmd_notify(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"channel-add", channel_add, "add a webhook, email or pagerduty channel"},
	    {"channel-remove", channel_remove, "disable a channel"},
	    {"channels", channels, "list channels (secrets masked)"},
	    {"rule-add", rule_add, "send an event (above a severity) to a channel"},
	    {"rules", rules, "list rules"},
	    {"emit", emit, "raise an event by hand (tests, drills)"},
	    {"run", run, "deliver queued notifications now"},
	    {"seal", seal, "seal the secrets of channels stored before sealing (idempotent)"},
	    {"log", log_cmd, "the delivery log: queued, sent, retried, dead"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "notify", "Notifications: webhook, e-mail, PagerDuty Events v2.",
			    verbs, argc, argv);
}
