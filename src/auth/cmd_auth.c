/*
 * cmd_auth.c - `vigil user ...` and `vigil token ...`. Passwords come from
 * the terminal, stdin or VIGIL_PASSWORD, never from argv.
 */
#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/banned.h"

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
	if (vg_role_parse(cli_opt(&a, "role")) == ROLE_NONE) {
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

static int users_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		       struct vg_error *err)
{
	struct auth_user_list l;
	(void)a;
	(void)arg;
	if (auth_user_list(s, &l, err))
		return err && err->code ? err->code : VG_EINTERNAL;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, auth_user_to_json(&l.items[i]));
	auth_user_list_release(&l);
	return VG_OK;
}

static int user_list(struct cli *c, int argc, char **argv)
{
	static const struct cli_col cols[] = {
	    {"NAME", "name", 21},        {"ROLE", "role", 21}, {"CREATED", "created_at", 21},
	    {"DISABLED", "disabled", 0}, {NULL, NULL, 0},
	};
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = users_fetch, .cols = cols};
	return cli_list(c, argc, argv, &l);
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
	static const char *const spec[] = {"name=", "role=", "product=", "expires=", "json", NULL};
	const char *usage = "--name NAME --role ROLE [--product P[,Q]|PATTERN|'*'] "
			    "[--expires RFC3339|DURATION] [--json]";
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
	if (auth_token_create_scoped(s, cli_opt(&a, "name"), cli_opt(&a, "role"),
				     cli_opt(&a, "product"), exp, tok, sizeof(tok), &err)) {
		store_close(s);
		return cli_error(&err);
	}
	store_close(s);
	if (cli_flag(&a, "json"))
		cli_print_json(json_pack("{s:s, s:s, s:s?, s:s}", "name", cli_opt(&a, "name"),
					 "role", cli_opt(&a, "role"), "products",
					 cli_opt(&a, "product"), "token", tok));
	else {
		printf("%s\n", tok);
		fprintf(stderr, "token '%s' (role %s%s%s) created; it is shown only this once\n",
			cli_opt(&a, "name"), cli_opt(&a, "role"),
			cli_opt(&a, "product") ? ", products " : "",
			cli_opt(&a, "product") ? cli_opt(&a, "product") : "");
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

static int tokens_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			struct vg_error *err)
{
	struct auth_token_list l;
	(void)a;
	(void)arg;
	if (auth_token_list(s, &l, err))
		return err && err->code ? err->code : VG_EINTERNAL;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, auth_token_to_json(&l.items[i]));
	auth_token_list_release(&l);
	return VG_OK;
}

static int token_list(struct cli *c, int argc, char **argv)
{
	static const struct cli_col cols[] = {
	    {"NAME", "name", 21},     {"ROLE", "role", 9},          {"PRODUCTS", "products", 25},
	    {"PREFIX", "prefix", 10}, {"REVOKED", "revoked_at", 0}, {NULL, NULL, 0},
	};
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = tokens_fetch, .cols = cols};
	return cli_list(c, argc, argv, &l);
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
