/*
 * cmd_logs.c - `vigil logs ...`: ingest, query, stats, seal, verify, map,
 * hold, retention and expire (docs/logs.md).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "evidence/log_parse.h"
#include "evidence/logs.h"
#include "store/store.h"

#include <errno.h>
#include <inttypes.h>
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
		return vg_error_set(err, VG_EUSAGE, "--%s '%s': %s", name, v, vg_error_msg(&e));
	return VG_OK;
}

static int done(struct store *s, int rc, struct vg_error *err)
{
	store_close(s);
	return rc ? cli_error(err) : CLI_OK;
}

/* ---- ingest ---- */

#define INGEST_BATCH 20000

static int logs_ingest_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	const char *usage = "FILE|- [--json]   (JSON lines: time, source, message, ...)";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct vg_arena mem;
	struct log_event *ev = NULL;
	size_t n = 0;
	int64_t line = 0, total = 0;
	FILE *in;
	char *buf = NULL;
	size_t bufcap = 0;
	ssize_t len;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	in = strcmp(a.pos[0], "-") ? fopen(a.pos[0], "r") : stdin;
	if (!in)
		return cli_fail("%s: %s", a.pos[0], strerror(errno));
	rc = cli_open_store(c, 0, &s);
	if (rc) {
		if (in != stdin)
			fclose(in);
		return rc;
	}
	ev = calloc(INGEST_BATCH, sizeof(*ev));
	vg_arena_init_block(&mem, 0, 1 << 20);
	if (!ev)
		rc = vg_error_set(&err, VG_ENOMEM, "out of memory");
	while (!rc && (len = getline(&buf, &bufcap, in)) >= 0) {
		line++;
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			len--;
		if (!len)
			continue;
		rc = log_json_line(buf, (size_t)len, vg_now(), &ev[n], &mem, &err);
		if (rc) {
			vg_error_prefix(&err, "%s: line %" PRId64, a.pos[0], line);
			break;
		}
		if (++n == INGEST_BATCH) {
			rc = logs_ingest(s, ev, n, &err);
			total += (int64_t)n;
			n = 0;
			vg_arena_reset(&mem);
		}
	}
	if (!rc && n) {
		rc = logs_ingest(s, ev, n, &err);
		total += (int64_t)n;
	}
	free(buf);
	free(ev);
	vg_arena_release(&mem);
	if (in != stdin)
		fclose(in);
	if (!rc) {
		if (cli_flag(&a, "json"))
			cli_print_json(json_pack("{s:I}", "events", (json_int_t)total));
		else
			printf("%" PRId64 " events stored\n", total);
	}
	return done(s, rc, &err);
}

/* ---- query ---- */

struct qout {
	int mode; /* 0 table, 1 json, 2 syslog */
	json_t *arr;
	struct vg_buf b;
};

static int print_event(const struct log_event *ev, void *arg)
{
	struct qout *q = arg;
	char t[VG_TIME_BUFSZ];
	if (q->mode == 1) {
		json_array_append_new(q->arr, logs_event_to_json(ev));
	} else if (q->mode == 2) {
		vg_buf_reset(&q->b);
		if (!logs_event_to_syslog(&q->b, ev))
			fwrite(q->b.data, 1, q->b.len, stdout);
	} else {
		vg_time_format(ev->time, t, sizeof(t));
		printf("%s  %-12s %-12s %-10s %s\n", t, ev->source,
		       ev->product[0] ? ev->product : "-", ev->version[0] ? ev->version : "-",
		       ev->message);
	}
	return 0;
}

/* Fill f from the options shared by query and the page. */
static int filter_opts(const struct cli *c, const struct cli_args *a, struct logs_filter *f,
		       struct vg_error *err)
{
	int rc;
	memset(f, 0, sizeof(*f));
	if ((rc = time_opt(a, "since", &f->since, err)) ||
	    (rc = time_opt(a, "until", &f->until, err)))
		return rc;
	if (cli_opt_int(c, a, "limit", 1, LOGS_QUERY_LIMIT_MAX, LOGS_QUERY_LIMIT, &f->limit) ||
	    cli_opt_int(c, a, "offset", 0, 10000000, 0, &f->offset))
		return VG_EUSAGE;
	f->product = cli_opt(a, "product");
	f->version = cli_opt(a, "version");
	f->source = cli_opt(a, "source");
	f->grep = cli_opt(a, "grep");
	if (f->version && !f->product)
		return vg_error_set(err, VG_EUSAGE, "--version needs --product");
	return VG_OK;
}

static int logs_query_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "since=", "until=",  "product=", "version=", "source=", "grep=",
	    "limit=", "offset=", "json",     "format=",  NULL};
	const char *usage = "[--since T] [--until T] [--product P] [--version V] [--source S] "
			    "[--grep TEXT] [--limit N] [--offset N] [--json|--format syslog]";
	struct cli_args a;
	struct logs_filter f;
	struct logs_query_stats st;
	struct qout q = {0};
	struct store *s = NULL;
	struct vg_error err = {0};
	const char *fmt;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	rc = filter_opts(c, &a, &f, &err);
	if (rc == VG_EUSAGE && !err.msg[0])
		return CLI_USAGE;
	if (rc)
		return cli_usage(c, "%s", err.msg);
	fmt = cli_opt(&a, "format");
	if (fmt && strcmp(fmt, "syslog") != 0 && strcmp(fmt, "json") != 0 &&
	    strcmp(fmt, "text") != 0)
		return cli_usage(c, "--format '%s': expected syslog, json or text", fmt);
	q.mode = cli_flag(&a, "json") || (fmt && !strcmp(fmt, "json")) ? 1
		 : fmt && !strcmp(fmt, "syslog")                       ? 2
								       : 0;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (q.mode == 1)
		q.arr = json_array();
	vg_buf_init(&q.b, 0);
	rc = logs_query(s, &f, print_event, &q, &st, &err);
	vg_buf_release(&q.b);
	if (!rc && q.mode == 1)
		cli_print_json(json_pack("{s:o, s:I, s:I, s:I}", "events", q.arr, "blocks_read",
					 (json_int_t)st.blocks_read, "events_scanned",
					 (json_int_t)st.events_scanned, "matched",
					 (json_int_t)st.matched));
	else
		json_decref(q.arr);
	if (rc == VG_EINVAL) {
		store_close(s);
		return cli_usage(c, "%s", err.msg);
	}
	return done(s, rc, &err);
}

/* ---- stats, seal, verify, expire ---- */

static int logs_stats_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct logs_stats st;
	char t1[VG_TIME_BUFSZ], t2[VG_TIME_BUFSZ];
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_stats(s, &st, &err);
	if (!rc && cli_flag(&a, "json")) {
		cli_print_json(logs_stats_to_json(&st));
	} else if (!rc) {
		printf("events          %" PRId64 " (%" PRId64 " not sealed yet)\n", st.events,
		       st.events_open);
		printf("bytes stored    %" PRId64 " (%.1f per event; %" PRId64
		       " before compression)\n",
		       st.bytes, st.events ? (double)st.bytes / (double)st.events : 0.0,
		       st.raw_bytes);
		printf("segments        %" PRId64 " sealed, %" PRId64 " expired; %" PRId64
		       " blocks (%" PRId64 " open)\n",
		       st.segments, st.segments_expired, st.blocks, st.blocks_open);
		printf("oldest          %s\nnewest          %s\n",
		       st.events ? vg_time_format(st.oldest, t1, sizeof(t1)) : "-",
		       st.events ? vg_time_format(st.newest, t2, sizeof(t2)) : "-");
		printf("sources         %zu\n", st.nsources);
		for (size_t i = 0; i < st.nsources; i++)
			printf("  %-20s %10" PRId64
			       " events %8.1f bytes/event  %s .. %s  kept %" PRId64 " years\n",
			       st.sources[i].source, st.sources[i].events,
			       st.sources[i].events
				   ? (double)st.sources[i].bytes / (double)st.sources[i].events
				   : 0.0,
			       vg_time_format(st.sources[i].oldest, t1, sizeof(t1)),
			       vg_time_format(st.sources[i].newest, t2, sizeof(t2)),
			       st.sources[i].retention_years);
	}
	if (!rc)
		logs_stats_release(&st);
	return done(s, rc, &err);
}

static int logs_seal_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct logs_seal_result r;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_seal(s, 1, &r, &err);
	if (!rc && cli_flag(&a, "json"))
		cli_print_json(json_pack("{s:I, s:I, s:I}", "segments", (json_int_t)r.segments,
					 "events", (json_int_t)r.events, "bytes",
					 (json_int_t)r.bytes));
	else if (!rc)
		printf("sealed %" PRId64 " segments (%" PRId64 " events, %" PRId64 " bytes)\n",
		       r.segments, r.events, r.bytes);
	return done(s, rc, &err);
}

static int logs_verify_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t n = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_verify(s, &n, &err);
	if (cli_flag(&a, "json"))
		cli_print_json(json_pack("{s:b, s:I, s:s?}", "ok", !rc, "checked", (json_int_t)n,
					 "error", rc ? err.msg : NULL));
	else if (!rc)
		printf("%" PRId64 " sealed segments verified\n", n);
	if (rc && !cli_flag(&a, "json"))
		fprintf(stderr, "vigil: %s\n", err.msg);
	store_close(s);
	return rc ? CLI_FAIL : CLI_OK;
}

static int logs_expire_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t n = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_expire(s, &n, &err);
	if (!rc && cli_flag(&a, "json"))
		cli_print_json(json_pack("{s:I}", "deleted", (json_int_t)n));
	else if (!rc)
		printf("%" PRId64 " segments past retention deleted\n", n);
	return done(s, rc, &err);
}

static int logs_audit_copy_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t n = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_audit_copy(s, &n, &err);
	if (!rc && cli_flag(&a, "json"))
		cli_print_json(json_pack("{s:I}", "copied", (json_int_t)n));
	else if (!rc)
		printf("%" PRId64 " audit records copied\n", n);
	return done(s, rc, &err);
}

/* ---- map ---- */

static int map_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"source=", "match=", "product=", "version=", NULL};
	const char *usage = "--source S --match FIELD=PATTERN --product P [--version V]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "source") || !cli_opt(&a, "match") || !cli_opt(&a, "product"))
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_map_add(s, cli_opt(&a, "source"), cli_opt(&a, "match"), cli_opt(&a, "product"),
			  cli_opt(&a, "version"), &id, &err);
	if (!rc)
		printf("mapping rule %" PRId64 " added\n", id);
	if (rc == VG_EINVAL) {
		store_close(s);
		return cli_usage(c, "%s", err.msg);
	}
	return done(s, rc, &err);
}

static int map_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		     struct vg_error *err)
{
	struct logs_map *m;
	size_t n;
	int rc = logs_map_list(s, &m, &n, err);
	(void)a;
	(void)arg;
	if (rc)
		return rc;
	*out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(*out, logs_map_to_json(&m[i]));
	free(m);
	return VG_OK;
}

static int map_list(struct cli *c, int argc, char **argv)
{
	static const struct cli_col cols[] = {{"ID", "id", 5},
					      {"SOURCE", "source", 14},
					      {"FIELD", "field", 10},
					      {"PATTERN", "pattern", 24},
					      {"PRODUCT", "product", 16},
					      {"VERSION", "version", 0},
					      {NULL, NULL, 0}};
	struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = map_fetch, .cols = cols, .empty = "no mapping rules"};
	return cli_list(c, argc, argv, &l);
}

static int map_remove(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	if (vg_id_parse(a.pos[0], "rule id", &id, &err))
		return cli_usage(c, "%s", err.msg);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_map_remove(s, id, &err);
	if (!rc)
		printf("mapping rule %" PRId64 " removed\n", id);
	return done(s, rc, &err);
}

static int logs_map_cmd(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", map_add, "add a rule: events of a source matching a field get a product"},
	    {"list", map_list, "list the rules"},
	    {"remove", map_remove, "remove a rule"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "map", "product and version for events that come without", verbs,
			    argc, argv);
}

/* ---- hold ---- */

static int hold_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "since=", "until=", "product=", "case=", "reason=", NULL};
	const char *usage = "[--since T] [--until T] [--product P] [--case ID] --reason TEXT";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct logs_hold h = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "reason"))
		return cli_usage(c, "%s", usage);
	if (time_opt(&a, "since", &h.since, &err) || time_opt(&a, "until", &h.until, &err))
		return cli_usage(c, "%s", err.msg);
	snprintf(h.product, sizeof(h.product), "%s",
		 cli_opt(&a, "product") ? cli_opt(&a, "product") : "");
	snprintf(h.case_ref, sizeof(h.case_ref), "%s",
		 cli_opt(&a, "case") ? cli_opt(&a, "case") : "");
	snprintf(h.reason, sizeof(h.reason), "%s", cli_opt(&a, "reason"));
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_hold_add(s, &h, &id, &err);
	if (!rc)
		printf("hold %" PRId64 " added\n", id);
	if (rc == VG_EINVAL) {
		store_close(s);
		return cli_usage(c, "%s", err.msg);
	}
	return done(s, rc, &err);
}

static int hold_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		      struct vg_error *err)
{
	struct logs_hold *h;
	size_t n;
	int rc = logs_hold_list(s, cli_flag(a, "all"), &h, &n, err);
	(void)arg;
	if (rc)
		return rc;
	*out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(*out, logs_hold_to_json(&h[i]));
	free(h);
	return VG_OK;
}

static int hold_list(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"all", NULL};
	static const struct cli_col cols[] = {{"ID", "id", 5},        {"SINCE", "since", 22},
					      {"UNTIL", "until", 22}, {"PRODUCT", "product", 14},
					      {"CASE", "case", 10},   {"REASON", "reason", 0},
					      {NULL, NULL, 0}};
	struct cli_list_spec l = {.spec = spec,
				  .usage = "[--all] [--json]",
				  .fetch = hold_fetch,
				  .cols = cols,
				  .empty = "no active holds"};
	return cli_list(c, argc, argv, &l);
}

static int hold_release(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	if (vg_id_parse(a.pos[0], "hold id", &id, &err))
		return cli_usage(c, "%s", err.msg);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_hold_release(s, id, &err);
	if (!rc)
		printf("hold %" PRId64 " released\n", id);
	return done(s, rc, &err);
}

static int logs_hold_cmd(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", hold_add, "hold logs (time range, product, case) past their retention"},
	    {"list", hold_list, "list the active holds (--all: released too)"},
	    {"release", hold_release, "release a hold"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "hold", "legal holds on logs", verbs, argc, argv);
}

static int logs_retention_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"source=", "years=", "override=", NULL};
	const char *usage = "set --source S --years N [--override REASON]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t years;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || strcmp(a.pos[0], "set") != 0 || !cli_opt(&a, "source") ||
	    !cli_opt(&a, "years"))
		return cli_usage(c, "%s", usage);
	if (cli_opt_int(c, &a, "years", 1, 100, 10, &years))
		return CLI_USAGE;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = logs_retention_set(s, cli_opt(&a, "source"), years, cli_opt(&a, "override"), &err);
	if (!rc)
		printf("logs of %s kept %" PRId64 " years\n", cli_opt(&a, "source"), years);
	return done(s, rc, &err);
}

int cmd_logs(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"ingest", logs_ingest_cmd, "store JSON lines from a file or stdin"},
	    {"query", logs_query_cmd, "find events by time, product, version, source, text"},
	    {"stats", logs_stats_cmd, "events, bytes per event, sources, oldest and newest"},
	    {"seal", logs_seal_cmd, "seal the open blocks into segments now"},
	    {"verify", logs_verify_cmd, "check every sealed segment against its audited hash"},
	    {"map", logs_map_cmd, "mapping rules: product and version by source and field"},
	    {"hold", logs_hold_cmd, "legal holds: add, list, release"},
	    {"retention", logs_retention_cmd, "retention of a source in years"},
	    {"expire", logs_expire_cmd, "delete whole segments past retention and not held"},
	    {"audit-copy", logs_audit_copy_cmd,
	     "copy the audit records not copied yet (sign-ins, gate decisions ...)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "logs", "the log store: ingest, query, seal, verify, retention",
			    verbs, argc, argv);
}
