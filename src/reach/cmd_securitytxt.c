/*
 * cmd_securitytxt.c - `vigil securitytxt validate|generate`.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "reach/reach.h"
#include "reach/securitytxt.h"
#include "reach/stpublish.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define MAX_LIST 16

/* All values of a repeatable option (--name V or --name=V), in order. */
static size_t collect(int argc, char **argv, const char *name, const char **out)
{
	size_t n = 0, nl = strlen(name);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, nl) != 0)
			continue;
		if (a[2 + nl] == '=' && n < MAX_LIST)
			out[n++] = a + 3 + nl;
		else if (a[2 + nl] == '\0' && i + 1 < argc && n < MAX_LIST)
			out[n++] = argv[++i];
	}
	return n;
}

static int parse_now(const char *s, int64_t *now)
{
	struct vg_error err = {0};
	if (!s) {
		*now = vg_now();
		return CLI_OK;
	}
	if (vg_time_parse(s, now, &err))
		return cli_fail("--now: %s", vg_error_msg(&err));
	return CLI_OK;
}

static void print_report(const struct securitytxt_report *r, const char *source)
{
	char when[VG_TIME_BUFSZ];
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct securitytxt_finding *f = &r->findings[i];
		if (f->line)
			printf("%s:%d: %s: %s [%s]\n", source, f->line,
			       securitytxt_severity_name(f->severity), f->message, f->code);
		else
			printf("%s: %s: %s [%s]\n", source, securitytxt_severity_name(f->severity),
			       f->message, f->code);
	}
	if (r->verified)
		printf("%s: signature verified, key %s\n", source, r->signer);
	if (r->has_expires)
		printf("%s: expires %s\n", source, vg_time_format(r->expires, when, sizeof(when)));
	printf("%s: %s (%zu error%s, %zu warning%s, %zu notice%s)\n", source,
	       r->nerrors ? "invalid" : "valid", r->nerrors, r->nerrors == 1 ? "" : "s",
	       r->nwarnings, r->nwarnings == 1 ? "" : "s", r->nnotices,
	       r->nnotices == 1 ? "" : "s");
}

static int st_validate(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "now=", "url=", "key=", "cacert=", "timeout=", "json", NULL};
	const char *usage = "FILE|URL [--now T] [--url URL] [--key KEYFILE] [--cacert FILE] "
			    "[--timeout SECONDS] [--json]";
	struct cli_args a;
	struct securitytxt_options opt = {0};
	struct securitytxt_report r = {0};
	struct vg_error err = {0};
	struct vg_buf b;
	const char *src;
	int rc, is_url;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	src = a.pos[0];
	opt.now_set = 1;
	rc = parse_now(cli_opt(&a, "now"), &opt.now);
	if (rc)
		return CLI_USAGE;
	opt.url = cli_opt(&a, "url");
	opt.key_file = cli_opt(&a, "key");
	opt.cacert = cli_opt(&a, "cacert");
	{
		int64_t t;
		if (cli_opt_int(c, &a, "timeout", 1, 600, 0, &t))
			return CLI_USAGE;
		opt.timeout_s = (long)t; /* 0: the default */
	}
	is_url = strncasecmp(src, "https://", 8) == 0 || strncasecmp(src, "http://", 7) == 0;
	if (is_url) {
		rc = securitytxt_check_url(src, &opt, &r, &err);
	} else {
		vg_buf_init(&b, SECURITYTXT_MAX_SIZE);
		rc = vg_buf_read_file(&b, src, SECURITYTXT_MAX_SIZE, &err);
		if (!rc)
			rc = securitytxt_validate(b.data ? b.data : "", b.len, &opt, &r, &err);
		vg_buf_release(&b);
	}
	if (rc) {
		securitytxt_report_release(&r);
		return cli_error(&err);
	}
	if (cli_flag(&a, "json"))
		cli_print_json(securitytxt_report_json(&r, src));
	else
		print_report(&r, src);
	rc = r.nerrors ? CLI_FAIL : CLI_OK;
	securitytxt_report_release(&r);
	return rc;
}

static int write_out(const char *path, const char *data, size_t n)
{
	FILE *f;
	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, n, stdout) != n)
			return cli_fail("cannot write to standard output");
		return CLI_OK;
	}
	f = fopen(path, "wb");
	if (!f)
		return cli_fail("%s: cannot create the file", path);
	if (fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		if (f)
			fclose(f);
		return cli_fail("%s: cannot write the file", path);
	}
	return CLI_OK;
}

static int st_generate(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"contact=",
					   "expires=",
					   "encryption=",
					   "policy=",
					   "acknowledgments=",
					   "canonical=",
					   "hiring=",
					   "csaf=",
					   "preferred-languages=",
					   "sign",
					   "key-id=",
					   "output=",
					   "now=",
					   NULL};
	const char *usage =
	    "--contact URI [--contact URI ...] --expires T|DURATION [--encryption URI] "
	    "[--policy URI] [--acknowledgments URI] [--canonical URI] [--hiring URI] [--csaf URI] "
	    "[--preferred-languages en,de] [--sign [--key-id FPR]] [-o FILE] [--now T]";
	const char *contact[MAX_LIST], *enc[MAX_LIST], *pol[MAX_LIST], *ack[MAX_LIST],
	    *can[MAX_LIST], *hir[MAX_LIST], *csaf[MAX_LIST];
	char *args[64];
	struct cli_args a;
	struct securitytxt_spec s = {0};
	struct vg_error err = {0};
	struct vg_buf text, signd;
	int64_t now, d;
	const char *exp;
	int rc;

	if (argc > 63)
		return cli_usage(c, "%s", usage);
	for (int i = 0; i < argc; i++) {
		static char longout[] = "--output";
		args[i] = strcmp(argv[i], "-o") == 0 ? longout : argv[i];
	}
	args[argc] = NULL;
	CLI_PARSE_OR_RETURN(c, argc, args, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "contact") || !cli_opt(&a, "expires"))
		return cli_usage(c, "%s", usage);
	if (cli_opt(&a, "key-id") && !cli_flag(&a, "sign"))
		return cli_usage(c, "%s (--key-id needs --sign)", usage);
	if (parse_now(cli_opt(&a, "now"), &now))
		return CLI_USAGE;
	exp = cli_opt(&a, "expires");
	if (vg_time_parse(exp, &s.expires, NULL) != VG_OK) {
		if (vg_duration_parse(exp, &d, NULL) != VG_OK) {
			fprintf(stderr,
				"vigil: --expires '%s' is neither an RFC 3339 time nor a "
				"duration like 180d\n",
				exp);
			return cli_usage(c, "%s", usage);
		}
		s.expires = now + d;
	}
	s.contact = contact;
	s.ncontact = collect(argc, args, "contact", contact);
	s.encryption = enc;
	s.nencryption = collect(argc, args, "encryption", enc);
	s.policy = pol;
	s.npolicy = collect(argc, args, "policy", pol);
	s.acknowledgments = ack;
	s.nacknowledgments = collect(argc, args, "acknowledgments", ack);
	s.canonical = can;
	s.ncanonical = collect(argc, args, "canonical", can);
	s.hiring = hir;
	s.nhiring = collect(argc, args, "hiring", hir);
	s.csaf = csaf;
	s.ncsaf = collect(argc, args, "csaf", csaf);
	s.preferred_languages = cli_opt(&a, "preferred-languages");

	vg_buf_init(&text, SECURITYTXT_MAX_SIZE);
	vg_buf_init(&signd, SECURITYTXT_MAX_SIZE);
	rc = securitytxt_generate(&s, now, &text, &err);
	if (rc) {
		rc = cli_error(&err);
		goto out;
	}
	if (cli_flag(&a, "sign")) {
		struct securitytxt_report r;
		struct securitytxt_options opt = {0};
		rc = securitytxt_sign(text.data, text.len, cli_opt(&a, "key-id"), &signd, &err);
		if (rc) {
			rc = cli_error(&err);
			goto out;
		}
		/* what GnuPG wrote must pass our own structural checks */
		opt.now_set = 1;
		opt.now = now;
		rc = securitytxt_validate(signd.data, signd.len, &opt, &r, &err);
		if (!rc && r.nerrors) {
			for (size_t i = 0; i < r.nfindings; i++)
				if (r.findings[i].severity == SECURITYTXT_ERROR)
					fprintf(stderr, "vigil: signed output, line %d: %s [%s]\n",
						r.findings[i].line, r.findings[i].message,
						r.findings[i].code);
			rc = cli_fail("the signed file does not validate");
		} else if (rc) {
			rc = cli_error(&err);
		}
		securitytxt_report_release(&r);
		if (rc)
			goto out;
		rc = write_out(cli_opt(&a, "output"), signd.data, signd.len);
	} else {
		rc = write_out(cli_opt(&a, "output"), text.data, text.len);
	}
out:
	vg_buf_release(&text);
	vg_buf_release(&signd);
	return rc;
}

/* Print the published file's record (and with body the file itself). */
static int show_published(struct store *s, int json, int body_too)
{
	struct vg_error err = {0};
	struct stpublish_record rec;
	char *body = NULL, exp[VG_TIME_BUFSZ], gen[VG_TIME_BUFSZ];

	if (stpublish_current(s, body_too ? &body : NULL, &rec, &err))
		return cli_error(&err);
	if (body_too) {
		fputs(body, stdout);
	} else if (json) {
		cli_print_json(stpublish_record_to_json(&rec));
	} else {
		printf("security.txt %lld: sha256 %s, %s, expires %s (generated %s: %s)\n",
		       (long long)rec.id, rec.sha256, rec.is_signed ? "signed" : "not signed",
		       vg_time_format(rec.expires_at, exp, sizeof(exp)),
		       vg_time_format(rec.generated_at, gen, sizeof(gen)), rec.reason);
	}
	free(body);
	return CLI_OK;
}

static int st_publish(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"force", "json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int changed = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--force] [--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--force] [--json]");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = stpublish_refresh(s, cli_flag(&a, "force"), &changed, &err);
	if (rc) {
		store_close(s);
		return cli_error(&err);
	}
	if (!cli_flag(&a, "json"))
		printf("%s\n", changed ? "published a new security.txt"
				       : "the published security.txt is current");
	rc = show_published(s, cli_flag(&a, "json"), 0);
	store_close(s);
	return rc;
}

static int st_published(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"body", "json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--body | --json]", &a);
	if (a.npos)
		return cli_usage(c, "[--body | --json]");
	if (cli_open_store(c, 1, &s))
		return CLI_FAIL;
	rc = show_published(s, cli_flag(&a, "json"), cli_flag(&a, "body"));
	store_close(s);
	return rc;
}

int cmd_securitytxt(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"validate", st_validate, "check a security.txt file or URL against RFC 9116"},
	    {"generate", st_generate, "write a security.txt, optionally OpenPGP-signed"},
	    {"publish", st_publish,
	     "regenerate the file vigil serve publishes, when due (--force: now)"},
	    {"published", st_published, "show the published file's record (--body: the file)"},
	    {"watch", stwatch_cmd_watch, "watch security.txt URLs (add, list, remove)"},
	    {"check-watched", stwatch_cmd_check, "check every watched URL now (the daily job)"},
	    {"probe-contact", stwatch_cmd_probe, "send a test message to a mailto: contact"},
	    {"confirm-probe", stwatch_cmd_confirm, "record the PSIRT's receipt of a probe"},
	    {"probes", stwatch_cmd_probes, "list contact probes"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "securitytxt",
			    "security.txt (RFC 9116): validate files and URLs, generate and sign.",
			    verbs, argc, argv);
}
