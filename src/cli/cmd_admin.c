/*
 * cmd_admin.c - `vigil init`, `vigil user ...`, `vigil token ...`,
 * `vigil audit ...`.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* ---- init ---- */

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int ver = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	if (strncmp(c->db_url, "postgres", 8) != 0 && strncmp(c->db_url, "./var/", 6) == 0)
		mkdir("./var", 0750);
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	if (store_schema_version(s, &ver, &err)) {
		store_close(s);
		return cli_error(&err);
	}
	if (cli_flag(&a, "json"))
		cli_print_json(
		    json_pack("{s:s, s:i}", "database", store_url_safe(s), "schema_version", ver));
	else
		printf("database %s at schema version %d\n", store_url_safe(s), ver);
	store_close(s);
	return CLI_OK;
}

/* ---- passwords from the terminal or stdin, never from argv ---- */

static int read_password(const char *prompt, char *out, size_t n)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t len;

	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (!fgets(out, (int)n, stdin))
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return len ? 0 : -1;
}

static int get_password(const struct cli_args *a, char *pw, size_t n)
{
	const char *env = getenv("VIGIL_PASSWORD");
	if (cli_flag(a, "password-stdin") || !env) {
		if (read_password("password: ", pw, n))
			return cli_fail("no password given (type it, pipe it with "
					"--password-stdin, or set VIGIL_PASSWORD)");
	} else {
		snprintf(pw, n, "%s", env);
	}
	return CLI_OK;
}

/* ---- user ---- */

static int user_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"role=", "password-stdin", "json", NULL};
	const char *usage = "NAME --role admin|psirt|auditor|ci|device [--password-stdin]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	char pw[1100];
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "role"))
		return cli_usage(c, "%s", usage);
	if (auth_role_parse(cli_opt(&a, "role")) == ROLE_NONE) {
		fprintf(stderr, "vigil: unknown role '%s'\n", cli_opt(&a, "role"));
		return cli_usage(c, "%s", usage);
	}
	rc = get_password(&a, pw, sizeof(pw));
	if (rc)
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (!rc && auth_user_add(s, a.pos[0], cli_opt(&a, "role"), pw, &err))
		rc = cli_error(&err);
	vg_wipe(pw, sizeof(pw));
	if (!rc) {
		if (cli_flag(&a, "json"))
			cli_print_json(
			    json_pack("{s:s, s:s}", "name", a.pos[0], "role", cli_opt(&a, "role")));
		else
			printf("user %s added with role %s\n", a.pos[0], cli_opt(&a, "role"));
	}
	store_close(s);
	return rc;
}

static int user_passwd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"password-stdin", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	char pw[1100];
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "NAME [--password-stdin]", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME [--password-stdin]");
	rc = get_password(&a, pw, sizeof(pw));
	if (rc)
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (!rc && auth_user_passwd(s, a.pos[0], pw, &err))
		rc = cli_error(&err);
	vg_wipe(pw, sizeof(pw));
	if (!rc)
		printf("password of %s changed\n", a.pos[0]);
	store_close(s);
	return rc;
}

static int user_disable_enable(struct cli *c, int argc, char **argv, int disable)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "NAME", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME");
	rc = cli_open_store(c, 0, &s);
	if (!rc && auth_user_disable(s, a.pos[0], disable, &err))
		rc = cli_error(&err);
	if (!rc)
		printf("user %s %s\n", a.pos[0], disable ? "disabled" : "enabled");
	store_close(s);
	return rc;
}

static int user_disable(struct cli *c, int argc, char **argv)
{
	return user_disable_enable(c, argc, argv, 1);
}

static int user_enable(struct cli *c, int argc, char **argv)
{
	return user_disable_enable(c, argc, argv, 0);
}

static int list_rows(struct cli *c, int argc, char **argv, const char *sql, const char *const *cols,
		     const char *header)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *rows = NULL, *row;
	size_t i;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (store_query_json(s, &rows, &err, sql, NULL)) {
		store_close(s);
		return cli_error(&err);
	}
	store_close(s);
	if (cli_flag(&a, "json"))
		return cli_print_json(rows);
	printf("%s\n", header);
	json_array_foreach(rows, i, row)
	{
		for (int k = 0; cols[k]; k++) {
			json_t *v = json_object_get(row, cols[k]);
			char *t = json_is_string(v) ? strdup(json_string_value(v))
						    : json_dumps(v, JSON_ENCODE_ANY);
			printf(k ? "  %-20s" : "%-20s", t ? t : "");
			free(t);
		}
		putchar('\n');
	}
	json_decref(rows);
	return CLI_OK;
}

static int user_list(struct cli *c, int argc, char **argv)
{
	static const char *const cols[] = {"name", "role", "created_at", "disabled", NULL};
	return list_rows(
	    c, argc, argv, "SELECT name, role, created_at, disabled FROM users ORDER BY name", cols,
	    "NAME                  ROLE                  CREATED               DISABLED");
}

int cmd_user(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", user_add, "add a user (password from the terminal or stdin)"},
	    {"list", user_list, "list users"},
	    {"passwd", user_passwd, "change a user's password"},
	    {"disable", user_disable, "disable a user and end their sessions"},
	    {"enable", user_enable, "enable a disabled user"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "user", "People who log into the web UI.", verbs, argc, argv);
}

/* ---- token ---- */

static int token_create(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"name=", "role=", "expires=", "json", NULL};
	const char *usage = "--name NAME --role ROLE [--expires RFC3339|DURATION] [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	char tok[96];
	int64_t exp = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "name") || !cli_opt(&a, "role"))
		return cli_usage(c, "%s", usage);
	if (cli_opt(&a, "expires")) {
		int64_t d;
		if (vg_duration_parse(cli_opt(&a, "expires"), &d, NULL) == VG_OK)
			exp = vg_now() + d;
		else if (vg_time_parse(cli_opt(&a, "expires"), &exp, &err))
			return cli_error(&err);
	}
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (auth_token_create(s, cli_opt(&a, "name"), cli_opt(&a, "role"), exp, tok, sizeof(tok),
			      &err)) {
		store_close(s);
		return cli_error(&err);
	}
	store_close(s);
	if (cli_flag(&a, "json"))
		cli_print_json(json_pack("{s:s, s:s, s:s}", "name", cli_opt(&a, "name"), "role",
					 cli_opt(&a, "role"), "token", tok));
	else {
		printf("%s\n", tok);
		fprintf(stderr, "token '%s' (role %s) created; it is shown only this once\n",
			cli_opt(&a, "name"), cli_opt(&a, "role"));
	}
	vg_wipe(tok, sizeof(tok));
	return CLI_OK;
}

static int token_revoke(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "NAME", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME");
	rc = cli_open_store(c, 0, &s);
	if (!rc && auth_token_revoke(s, a.pos[0], &err))
		rc = cli_error(&err);
	if (!rc)
		printf("token %s revoked\n", a.pos[0]);
	store_close(s);
	return rc;
}

static int token_list(struct cli *c, int argc, char **argv)
{
	static const char *const cols[] = {"name", "role", "prefix", "revoked_at", NULL};
	return list_rows(
	    c, argc, argv,
	    "SELECT name, role, prefix, created_at, created_by, expires_at, "
	    "revoked_at, last_used_at FROM api_tokens ORDER BY name",
	    cols, "NAME                  ROLE                  PREFIX                REVOKED");
}

int cmd_token(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", token_create, "create an API token (printed once)"},
	    {"list", token_list, "list tokens (never their values)"},
	    {"revoke", token_revoke, "revoke a token"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "token", "API tokens for scripts, CI and devices.", verbs, argc,
			    argv);
}

/* ---- audit ---- */

static int parse_time_opt(const struct cli_args *a, const char *name, int64_t *out)
{
	struct vg_error err = {0};
	const char *v = cli_opt(a, name);
	if (!v)
		return CLI_OK;
	if (vg_time_parse(v, out, &err)) {
		fprintf(stderr, "vigil: --%s: %s\n", name, vg_error_msg(&err));
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int audit_log(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "since=", "until=", "actor=", "object=", "limit=", "json", NULL};
	const char *usage = "[--since T] [--until T] [--actor A] [--object TYPE:ID] [--limit N] "
			    "[--json]";
	struct cli_args a;
	struct audit_filter f = {0};
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *rows = NULL, *r;
	char otype[128] = "";
	size_t i;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	if ((rc = parse_time_opt(&a, "since", &f.since)) ||
	    (rc = parse_time_opt(&a, "until", &f.until)))
		return rc;
	f.actor = cli_opt(&a, "actor");
	if (cli_opt(&a, "object")) {
		const char *o = cli_opt(&a, "object"), *colon = strchr(o, ':');
		snprintf(otype, sizeof(otype), "%.*s", colon ? (int)(colon - o) : (int)strlen(o),
			 o);
		f.otype = otype;
		f.oid = colon ? colon + 1 : NULL;
	}
	if (cli_opt(&a, "limit"))
		f.limit = atoll(cli_opt(&a, "limit"));
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (audit_query(s, &f, &rows, &err)) {
		store_close(s);
		return cli_error(&err);
	}
	store_close(s);
	if (cli_flag(&a, "json"))
		return cli_print_json(rows);
	json_array_foreach(rows, i, r)
	{
		char *b = json_dumps(json_object_get(r, "before"), JSON_ENCODE_ANY | JSON_COMPACT);
		char *af = json_dumps(json_object_get(r, "after"), JSON_ENCODE_ANY | JSON_COMPACT);
		printf("%6lld  %s  %-16s %-24s %s:%s  before=%s after=%s\n",
		       (long long)json_integer_value(json_object_get(r, "seq")),
		       json_string_value(json_object_get(r, "at")),
		       json_string_value(json_object_get(r, "actor")),
		       json_string_value(json_object_get(r, "action")),
		       json_string_value(json_object_get(r, "object_type")),
		       json_string_value(json_object_get(r, "object_id")), b ? b : "null",
		       af ? af : "null");
		free(b);
		free(af);
	}
	json_decref(rows);
	return CLI_OK;
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
