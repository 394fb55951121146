/*
 * cmd_oncall.c - `vigil oncall ...`: people, rotations, escalation policies,
 * pages, acknowledgements, escalation ticks and drills.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "notify/notify.h"
#include "reach/oncall.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *str(const json_t *o, const char *k)
{
	const char *v = vg_json_str(o, k);
	return v ? v : "-";
}

/* Pages are urgent: a CLI that queued some sends them right away (the
 * server's notify.deliver job would do it within a second too). */
static void send_now(struct store *s)
{
	struct vg_error err = {0};
	int sent = 0, failed = 0;
	if (notify_deliver_due(s, 100, &sent, &failed, &err))
		fprintf(stderr, "vigil: sending: %s\n", vg_error_msg(&err));
	else if (failed)
		fprintf(stderr,
			"vigil: %d notification(s) failed; they are retried (vigil notify "
			"log)\n",
			failed);
}

static int oc_person_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"user=", "channel=", NULL};
	const char *usage = "NAME [--user LOGIN] [--channel NOTIFY_CHANNEL]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = oncall_person_add(s, a.pos[0], cli_opt(&a, "user"), cli_opt(&a, "channel"), &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("person %s added\n", a.pos[0]);
	return CLI_OK;
}

static int oc_rotation_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"tz=", "start=", "handover=", "members=", NULL};
	const char *usage = "NAME --tz ZONE --start T --handover DAY@HOUR --members A,B,...";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	const char *ho;
	char day[16];
	int64_t start;
	int wday, hour, rc;
	const char *at;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	ho = cli_opt(&a, "handover");
	if (a.npos != 1 || !cli_opt(&a, "tz") || !cli_opt(&a, "start") || !ho ||
	    !cli_opt(&a, "members"))
		return cli_usage(c, "%s", usage);
	if (vg_time_parse(cli_opt(&a, "start"), &start, &err))
		return cli_usage(c, "%s (--start: %s)", usage, vg_error_msg(&err));
	at = strchr(ho, '@');
	if (!at || (size_t)(at - ho) >= sizeof(day))
		return cli_usage(c, "%s (--handover: expected like mon@09)", usage);
	memcpy(day, ho, (size_t)(at - ho));
	day[at - ho] = '\0';
	wday = oncall_wday_parse(day);
	{
		char *end;
		long h = strtol(at + 1, &end, 10);
		hour = (*end || end == at + 1 || h < 0 || h > 23) ? -1 : (int)h;
	}
	if (wday < 0 || hour < 0)
		return cli_usage(c, "%s (--handover: expected a weekday and an hour, like mon@09)",
				 usage);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = oncall_rotation_add(s, a.pos[0], cli_opt(&a, "tz"), start, wday, hour,
				 cli_opt(&a, "members"), &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("rotation %s added\n", a.pos[0]);
	return CLI_OK;
}

/* "rotation:NAME[:CHANNEL[:MINUTES]]" or "person:NAME[:CHANNEL[:MINUTES]]"
 * into *lv (its strings in mem). */
static int parse_level(const char *s, struct vg_arena *mem, struct oncall_level *lv,
		       struct vg_error *err)
{
	char *buf, *parts[4] = {0}, *tok, what[300];
	int n = 0;
	int64_t minutes = 15;

	if (strlen(s) >= 256)
		return vg_error_set(err, VG_EINVAL, "--level: too long");
	if (!(buf = vg_arena_strdup(mem, s)))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	/* fields may be empty ("person:lena::10"), so no strtok */
	tok = buf;
	while (tok && n < 4) {
		char *colon = strchr(tok, ':');
		parts[n++] = tok;
		if (colon)
			*colon = '\0';
		tok = colon ? colon + 1 : NULL;
	}
	if (n < 2 || tok || !*parts[1])
		return vg_error_set(err, VG_EINVAL,
				    "--level '%s': expected KIND:NAME[:CHANNEL[:MINUTES]] (KIND "
				    "rotation or person)",
				    s);
	/* the range is the policy's to check */
	snprintf(what, sizeof(what), "--level '%s': minutes", s);
	if (n == 4 && vg_parse_int64(parts[3], what, INT64_MIN, INT64_MAX, &minutes, err))
		return VG_EINVAL;
	lv->kind = parts[0];
	lv->target = parts[1];
	lv->channel = n >= 3 && *parts[2] ? parts[2] : NULL;
	lv->after_minutes = minutes;
	return VG_OK;
}

static int oc_policy_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"level=", "repeat=", NULL};
	const char *usage = "NAME --level KIND:NAME[:CHANNEL[:MINUTES]] [--level ...] [--repeat N]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_level levels[CLI_MAX_OPTS];
	size_t n = 0;
	int64_t repeat = 3;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "level"))
		return cli_usage(c, "%s", usage);
	/* the range (1 to 20) is the policy's to check */
	if (cli_opt_int(c, &a, "repeat", INT32_MIN, INT32_MAX, 3, &repeat))
		return CLI_USAGE;
	vg_arena_init(&mem, 0);
	/* --level repeats: the parser keeps one value, so walk argv */
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--level") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--level=", 8) == 0)
			v = argv[i] + 8;
		if (!v)
			continue;
		if (n == sizeof(levels) / sizeof(levels[0]))
			rc = vg_error_set(&err, VG_EINVAL, "--level: too many levels");
		else
			rc = parse_level(v, &mem, &levels[n++], &err);
		if (rc) {
			vg_arena_release(&mem);
			fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
			return cli_usage(c, "%s", usage);
		}
	}
	if (cli_open_store(c, 1, &s)) {
		vg_arena_release(&mem);
		return CLI_FAIL;
	}
	rc = oncall_policy_add(s, a.pos[0], levels, n, (int)repeat, &err);
	store_close(s);
	vg_arena_release(&mem);
	if (rc)
		return cli_error(&err);
	printf("policy %s added\n", a.pos[0]);
	return CLI_OK;
}

/* Each listing: fetch typed into an arena, hand JSON to cli_list (the edge). */
#define FETCH(name, type, call, to_json)                                                    \
	static int name(struct store *s, const struct cli_args *a, void *arg, json_t **out, \
			struct vg_error *err)                                               \
	{                                                                                   \
		struct vg_arena mem;                                                        \
		struct type l;                                                              \
		int rc;                                                                     \
		(void)a;                                                                    \
		(void)arg;                                                                  \
		vg_arena_init(&mem, 0);                                                     \
		rc = call;                                                                  \
		if (!rc && !(*out = to_json(&l)))                                           \
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");                 \
		vg_arena_release(&mem);                                                     \
		return rc;                                                                  \
	}

FETCH(fetch_people, oncall_person_list, oncall_people(s, &mem, &l, err), oncall_person_list_to_json)
FETCH(fetch_policies, oncall_policy_list, oncall_policies(s, &mem, &l, err),
      oncall_policy_list_to_json)
FETCH(fetch_drills, oncall_drill_list, oncall_drills(s, &mem, &l, err), oncall_drill_list_to_json)

static int fetch_who(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		     struct vg_error *err)
{
	struct vg_arena mem;
	struct oncall_shift_list l;
	int64_t at = vg_now();
	int rc;
	(void)arg;
	if (cli_opt(a, "at") && vg_time_parse(cli_opt(a, "at"), &at, err)) {
		vg_error_prefix(err, "option --at");
		return VG_EINVAL;
	}
	vg_arena_init(&mem, 0);
	rc = oncall_who(s, at, &mem, &l, err);
	if (!rc && !(*out = oncall_shift_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

static int fetch_pages(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		       struct vg_error *err)
{
	struct vg_arena mem;
	struct oncall_page_list l;
	int64_t limit;
	int rc;
	(void)arg;
	if ((rc = vg_parse_int64_opt(cli_opt(a, "limit"), "option --limit", 1, 1000000, 100, &limit,
				     err)))
		return rc;
	vg_arena_init(&mem, 0);
	rc = oncall_pages(s, limit, &mem, &l, err);
	if (!rc && !(*out = oncall_page_list_to_json(&l)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_arena_release(&mem);
	return rc;
}

static void print_person(const json_t *r, void *arg)
{
	(void)arg;
	printf("%-20s %-16s %s\n", str(r, "name"), str(r, "user_login"), str(r, "channel"));
}

static int oc_people(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .migrate = 1, .fetch = fetch_people, .print_row = print_person};
	return cli_list(c, argc, argv, &l);
}

static void print_policy(const json_t *r, void *arg)
{
	const json_t *lv;
	size_t j;
	(void)arg;
	printf("%s (repeat %lld)\n", str(r, "name"), (long long)vg_json_int(r, "repeat_limit", 0));
	json_array_foreach(json_object_get(r, "levels"), j, lv) printf(
	    "  level %zu: %s %s via %s, then wait %lld min\n", j + 1, str(lv, "kind"),
	    str(lv, "target"), str(lv, "channel"), (long long)vg_json_int(lv, "after_minutes", 0));
}

static int oc_policies(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .migrate = 1, .fetch = fetch_policies, .print_row = print_policy};
	return cli_list(c, argc, argv, &l);
}

static void print_shift(const json_t *r, void *arg)
{
	(void)arg;
	printf("%-16s %-16s until %s, then %s\n", str(r, "rotation"), str(r, "on_call"),
	       str(r, "until"), str(r, "next"));
}

static int oc_who(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"at=", NULL};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--at T] [--json]",
					       .migrate = 1,
					       .fetch = fetch_who,
					       .print_row = print_shift,
					       .empty = "no rotations (vigil oncall rotation-add)"};
	return cli_list(c, argc, argv, &l);
}

static int oc_page(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "summary=", "severity=", "policy=", "dedup-key=", "json", NULL};
	const char *usage =
	    "--summary TEXT [--severity critical] [--policy NAME] [--dedup-key KEY] [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int created = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "summary"))
		return cli_usage(c, "%s", usage);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = oncall_page(s, cli_opt(&a, "policy"), cli_opt(&a, "summary"), cli_opt(&a, "severity"),
			 "cli", cli_opt(&a, "dedup-key"), 0, &id, &created, &err);
	if (!rc)
		send_now(s);
	if (rc) {
		store_close(s);
		return cli_error(&err);
	}
	if (cli_flag(&a, "json")) {
		struct vg_arena mem;
		struct oncall_page p;
		json_t *j = NULL;
		vg_arena_init(&mem, 0);
		rc = oncall_page_get(s, id, &mem, &p, &err);
		if (!rc && !(j = oncall_page_to_json(&p)))
			rc = vg_error_set(&err, VG_ENOMEM, "out of memory");
		vg_arena_release(&mem);
		store_close(s);
		return rc ? cli_error(&err) : cli_print_json(j);
	}
	store_close(s);
	if (created)
		printf("page %lld opened\n", (long long)id);
	else
		printf("page %lld is already open for this incident\n", (long long)id);
	return CLI_OK;
}

static int oc_ack(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	if (vg_id_parse(a.pos[0], "page id", &id, &err))
		return cli_usage(c, "ID (%s)", vg_error_msg(&err));
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = oncall_ack(s, id, store_actor(s), &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("page %lld acknowledged\n", (long long)id);
	return CLI_OK;
}

static void print_page(const json_t *r, void *arg)
{
	(void)arg;
	printf("%4lld %-12s level %lld round %lld %-8s %s%s\n", (long long)vg_json_int(r, "id", 0),
	       str(r, "status"), (long long)vg_json_int(r, "level", 0),
	       (long long)vg_json_int(r, "round", 0), str(r, "severity"),
	       json_is_true(json_object_get(r, "drill")) ? "DRILL: " : "", str(r, "summary"));
}

static int oc_pages(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"limit=", NULL};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--limit N] [--json]",
					       .migrate = 1,
					       .fetch = fetch_pages,
					       .print_row = print_page};
	return cli_list(c, argc, argv, &l);
}

static int oc_tick(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int paged = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = oncall_tick(s, &paged, &err);
	if (!rc && paged)
		send_now(s);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("%d escalation notification(s)\n", paged);
	return CLI_OK;
}

static int oc_drill(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"policy=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--policy NAME]", &a);
	if (a.npos)
		return cli_usage(c, "[--policy NAME]");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = oncall_drill(s, cli_opt(&a, "policy"), &id, &err);
	if (!rc)
		send_now(s);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("drill page %lld sent; it passes when acknowledged within 30 minutes\n",
	       (long long)id);
	return CLI_OK;
}

static void print_drill(const json_t *r, void *arg)
{
	const json_t *sec = json_object_get(r, "ack_seconds");
	(void)arg;
	printf("%4lld %s %-7s ", (long long)vg_json_int(r, "id", 0), str(r, "started_at"),
	       str(r, "result"));
	if (json_is_integer(sec))
		printf("acknowledged after %lld min %lld s (level %lld)\n",
		       (long long)json_integer_value(sec) / 60,
		       (long long)json_integer_value(sec) % 60,
		       (long long)vg_json_int(r, "ack_level", 0));
	else
		printf("not acknowledged\n");
}

static int oc_drills(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .migrate = 1, .fetch = fetch_drills, .print_row = print_drill};
	return cli_list(c, argc, argv, &l);
}

static int oc_drill_check(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int due = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = oncall_drill_check(s, &due, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf(due ? "a drill is due (oncall.drill_due emitted)\n" : "drills are up to date\n");
	return CLI_OK;
}

int cmd_oncall(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"person-add", oc_person_add, "add a person who can be paged"},
	    {"rotation-add", oc_rotation_add, "add a weekly rotation in a time zone"},
	    {"policy-add", oc_policy_add, "add an escalation policy (levels, waits, repeats)"},
	    {"people", oc_people, "list people"},
	    {"policies", oc_policies, "list escalation policies"},
	    {"who", oc_who, "who is on call now (and next)"},
	    {"page", oc_page, "page the on-call through an escalation policy"},
	    {"ack", oc_ack, "acknowledge a page"},
	    {"pages", oc_pages, "list pages and their notifications"},
	    {"tick", oc_tick, "escalate pages not acknowledged in time"},
	    {"drill", oc_drill, "send a marked test page and time the acknowledgement"},
	    {"drills", oc_drills, "list drills and their results"},
	    {"drill-check", oc_drill_check, "emit oncall.drill_due when a drill is due"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "oncall", "On-call paging: rotations, escalation, drills.", verbs,
			    argc, argv);
}
