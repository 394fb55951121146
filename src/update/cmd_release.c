/*
 * cmd_release.c - `vigil release create|upload|list|show|yank|check` and
 * `vigil ci-key add|list|revoke`.
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"
#include "update/release.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* ---- release ---- */

static int release_create_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "notes=", "security",
					   "fixes=",   "json",     NULL};
	const char *usage = "--product P --version V [--notes FILE] [--security] "
			    "[--fixes CVE-..,..] [--json]";
	struct release_create_req r = {0};
	struct vg_buf notes = VG_BUF_INIT;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "product") || !cli_opt(&a, "version"))
		return cli_usage(c, "%s", usage);
	if (cli_opt(&a, "notes")) {
		if (vg_buf_read_file(&notes, cli_opt(&a, "notes"), 64 * 1024, &err))
			return cli_error(&err);
		r.notes = notes.data ? notes.data : "";
	}
	r.product = cli_opt(&a, "product");
	r.version = cli_opt(&a, "version");
	r.security = cli_flag(&a, "security");
	r.fixes = cli_opt(&a, "fixes");
	rc = cli_open_store(c, 0, &s);
	if (!rc && release_create(s, &r, &id, &err))
		rc = cli_error(&err);
	if (!rc) {
		struct release_detail d;
		if (release_get(s, id, &d, &err)) {
			rc = cli_error(&err);
		} else {
			if (cli_flag(&a, "json"))
				cli_print_json(release_detail_to_json(&d));
			else
				printf("release %lld created for %s %s%s\n", (long long)id,
				       d.r.product, d.r.version, d.r.security ? " (security)" : "");
			release_detail_release(&d);
		}
	}
	vg_buf_release(&notes);
	store_close(s);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static int release_upload_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"name=", "signature=", "provenance=", "json", NULL};
	const char *usage = "RELEASE FILE [--name TARGET] [--signature SIGFILE] "
			    "[--provenance FILE] [--json]";
	struct release_upload_req r = {0};
	struct vg_buf sig = VG_BUF_INIT, prov = VG_BUF_INIT;
	struct release_detail d;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct stat st;
	int fd = -1, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 2)
		return cli_usage(c, "%s", usage);
	if (cli_opt(&a, "signature") &&
	    vg_buf_read_file(&sig, cli_opt(&a, "signature"), 4096, &err))
		return cli_error(&err);
	if (cli_opt(&a, "provenance") &&
	    vg_buf_read_file(&prov, cli_opt(&a, "provenance"), ARTIFACT_PROVENANCE_MAX, &err)) {
		vg_buf_release(&sig);
		return cli_error(&err);
	}
	fd = open(a.pos[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		rc = cli_fail("%s: %s", a.pos[1], fd < 0 ? strerror(errno) : "not a regular file");
		goto out;
	}
	r.name = cli_opt(&a, "name") ? cli_opt(&a, "name") : base_name(a.pos[1]);
	r.src.fd = fd;
	r.src.len = (uint64_t)st.st_size;
	r.src.what = a.pos[1];
	if (cli_opt(&a, "signature")) {
		r.signature = (const uint8_t *)(sig.data ? sig.data : "");
		r.siglen = sig.len;
	}
	if (cli_opt(&a, "provenance")) {
		r.provenance = prov.data ? prov.data : "";
		r.provlen = prov.len;
	}
	rc = cli_open_store(c, 0, &s);
	if (!rc && release_resolve(s, a.pos[0], &r.release_id, &err))
		rc = cli_error(&err);
	if (!rc && release_upload(s, &r, &d, &err))
		rc = cli_error(&err);
	if (!rc) {
		const struct release_artifact *x = &d.artifacts[0];
		if (cli_flag(&a, "json"))
			cli_print_json(release_artifact_to_json(x));
		else
			printf("artifact %s (%lld bytes, sha256 %s)%s%s stored in release %lld\n",
			       x->name, (long long)x->size, x->sha256,
			       x->key_name ? ", signed by CI key " : ", unsigned",
			       x->key_name ? x->key_name : "", (long long)x->release_id);
		release_detail_release(&d);
	}
out:
	if (fd >= 0)
		close(fd);
	vg_buf_release(&sig);
	vg_buf_release(&prov);
	store_close(s);
	return rc;
}

static int releases_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			  struct vg_error *err)
{
	struct release_filter f = {0};
	struct release_list l;
	(void)arg;
	f.product = cli_opt(a, "product");
	if (release_list(s, &f, &l, err))
		return err && err->code ? err->code : VG_EINTERNAL;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, release_to_json(&l.items[i]));
	release_list_release(&l);
	return VG_OK;
}

static void release_row(const json_t *r, void *arg)
{
	const json_t *g = json_object_get(r, "gate");
	(void)arg;
	printf("%-6lld %-20s %-12s %-9s %3lld artifact(s)  gate: %s%s\n",
	       (long long)vg_json_int(r, "id", 0), vg_json_str(r, "product"),
	       vg_json_str(r, "version"),
	       json_is_true(json_object_get(r, "security")) ? "security" : "-",
	       (long long)vg_json_int(r, "artifacts", 0),
	       json_is_object(g)
		   ? (json_is_true(json_object_get(g, "passed")) ? "passed" : "FAILED")
		   : "not checked",
	       json_is_true(json_object_get(r, "yanked")) ? "  YANKED" : "");
}

static int release_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", NULL};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--product P] [--json]",
					       .fetch = releases_fetch,
					       .print_row = release_row,
					       .empty = "no releases"};
	return cli_list(c, argc, argv, &l);
}

static int open_release(struct cli *c, const char *ref, struct store **s, int64_t *id)
{
	struct vg_error err = {0};
	int rc = cli_open_store(c, 0, s);
	if (!rc && release_resolve(*s, ref, id, &err))
		rc = cli_error(&err);
	return rc;
}

static int release_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct release_detail d;
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "RELEASE [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "RELEASE [--json]");
	rc = open_release(c, a.pos[0], &s, &id);
	if (!rc && release_get(s, id, &d, &err))
		rc = cli_error(&err);
	if (!rc) {
		if (cli_flag(&a, "json")) {
			json_t *o = release_detail_to_json(&d);
			json_t *arts = json_object_get(o, "artifact_list");
			/* the provenance documents themselves */
			for (size_t i = 0; i < d.n; i++)
				if (d.artifacts[i].provenance)
					json_object_set_new(
					    json_array_get(arts, i), "provenance_document",
					    json_loads(d.artifacts[i].provenance, 0, NULL));
			cli_print_json(o);
		} else {
			char t[32];
			printf("release %lld: %s %s%s\n", (long long)d.r.id, d.r.product,
			       d.r.version, d.r.security ? " (security)" : "");
			printf("created %s by %s\n", vg_time_format(d.r.created_at, t, sizeof(t)),
			       d.r.created_by);
			if (d.r.nfixes) {
				printf("fixes:");
				for (size_t i = 0; i < d.r.nfixes; i++)
					printf(" %s", d.r.fixes[i]);
				printf("\n");
			}
			if (d.r.yanked_at)
				printf("YANKED %s by %s: %s\n",
				       vg_time_format(d.r.yanked_at, t, sizeof(t)), d.r.yanked_by,
				       d.r.yank_reason);
			if (d.r.published_at)
				printf("PUBLISHED %s in TUF version %lld of products/%s\n",
				       vg_time_format(d.r.published_at, t, sizeof(t)),
				       (long long)d.r.tuf_version, d.r.product);
			else
				printf("not published\n");
			if (d.r.publish_refused_at && !d.r.published_at)
				printf("publish refused %s: %s\n",
				       vg_time_format(d.r.publish_refused_at, t, sizeof(t)),
				       d.r.publish_refusal ? d.r.publish_refusal : "");
			if (d.r.notes)
				printf("notes:\n%s\n", d.r.notes);
			printf("gate: %s\n", !d.r.checked_at ? "not checked"
					     : d.r.passed    ? "passed"
							     : "FAILED");
			for (size_t i = 0; i < d.n; i++) {
				const struct release_artifact *x = &d.artifacts[i];
				printf("  %s  %lld bytes  sha256 %s  %s%s%s%s\n", x->name,
				       (long long)x->size, x->sha256,
				       x->key_name ? "signed by " : "unsigned",
				       x->key_name ? x->key_name : "",
				       x->provenance ? "  provenance " : "",
				       x->provenance_type ? x->provenance_type : "");
			}
		}
		release_detail_release(&d);
	}
	store_close(s);
	return rc;
}

static int release_yank_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"reason=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "RELEASE --reason TEXT", &a);
	if (a.npos != 1 || !cli_opt(&a, "reason"))
		return cli_usage(c, "RELEASE --reason TEXT");
	rc = open_release(c, a.pos[0], &s, &id);
	if (!rc && release_yank(s, id, cli_opt(&a, "reason"), &err))
		rc = cli_error(&err);
	if (!rc)
		printf("release %lld yanked\n", (long long)id);
	store_close(s);
	return rc;
}

static const char *mark(int ok)
{
	return ok ? "ok  " : "FAIL";
}

static int release_check_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct update_gate_report g;
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "RELEASE [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "RELEASE [--json]");
	rc = open_release(c, a.pos[0], &s, &id);
	if (!rc && update_release_check(s, id, &g, &err))
		rc = cli_error(&err);
	if (!rc) {
		if (cli_flag(&a, "json")) {
			cli_print_json(update_gate_report_to_json(&g));
		} else {
			printf("release %lld: %s %s\n", (long long)id, g.product, g.version);
			printf("  %s product version exists\n", mark(g.version_ok));
			printf("  %s not yanked\n", mark(g.not_yanked));
			printf("  %s has artifacts\n", mark(g.has_artifacts));
			for (size_t i = 0; i < g.n; i++) {
				const struct update_gate_artifact *x = &g.artifacts[i];
				printf("  %s %s: hash %s, signed %s, signature %s, key %s%s%s\n",
				       mark(!x->reason), x->name, x->hash_ok ? "ok" : "FAIL",
				       x->is_signed ? "yes" : "NO", x->sig_ok ? "ok" : "FAIL",
				       x->key_trusted ? "trusted" : "NOT TRUSTED",
				       x->key_name ? " " : "", x->key_name ? x->key_name : "");
			}
		}
		if (!g.passed) {
			fprintf(stderr, "vigil: gate refused release %lld: %s\n", (long long)id,
				g.reason);
			for (size_t i = 0; i < g.n; i++)
				if (g.artifacts[i].reason && g.artifacts[i].reason != g.reason)
					fprintf(stderr, "vigil: %s\n", g.artifacts[i].reason);
			rc = CLI_FAIL;
		} else if (!cli_flag(&a, "json")) {
			printf("gate passed\n");
		}
		update_gate_report_release(&g);
	}
	store_close(s);
	return rc;
}

static int release_publish_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct update_publish_result p;
	int64_t id = 0;
	int rc, prc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "RELEASE [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "RELEASE [--json]");
	rc = open_release(c, a.pos[0], &s, &id);
	if (rc) {
		store_close(s);
		return rc;
	}
	prc = update_release_publish(s, id, &p, &err);
	if (prc && !p.reason) {
		rc = cli_error(&err);
	} else {
		if (cli_flag(&a, "json")) {
			cli_print_json(update_publish_result_to_json(&p));
		} else if (!prc) {
			char t[VG_TIME_BUFSZ];
			printf(
			    "release %lld: %s %s published %s in TUF version %lld of products/%s "
			    "(%zu artifact%s)\n",
			    (long long)id, p.gate.product, p.gate.version,
			    vg_time_format(p.published_at, t, sizeof(t)), (long long)p.tuf_version,
			    p.gate.product, p.gate.n, p.gate.n == 1 ? "" : "s");
		}
		if (prc) {
			fprintf(stderr, "vigil: release publish refused release %lld: %s\n",
				(long long)id, p.reason);
			for (size_t i = 0; i < p.gate.n; i++)
				if (p.gate.artifacts[i].reason &&
				    p.gate.artifacts[i].reason != p.reason)
					fprintf(stderr, "vigil: %s\n", p.gate.artifacts[i].reason);
			rc = CLI_FAIL;
		}
	}
	update_publish_result_release(&p);
	store_close(s);
	return rc;
}

int cmd_release(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", release_create_cmd, "create the release of a product version"},
	    {"upload", release_upload_cmd, "store an artifact (with its CI signature, provenance)"},
	    {"list", release_list_cmd, "list releases with their gate result"},
	    {"show", release_show_cmd, "a release with its artifacts"},
	    {"yank", release_yank_cmd, "withdraw a release (it stays, marked yanked)"},
	    {"publish", release_publish_cmd,
	     "the gate's checks, then sign the artifacts as TUF targets (refused on any failure)"},
	    {"check", release_check_cmd, "run the gate's checks (hashes, CI signatures, version)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "release", "Releases of product versions and their artifacts.",
			    verbs, argc, argv);
}

/* ---- ci-key ---- */

static int cikey_add_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct vg_buf pem = VG_BUF_INIT;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "NAME PUBKEY.pem", &a);
	if (a.npos != 2)
		return cli_usage(c, "NAME PUBKEY.pem");
	if (vg_buf_read_file(&pem, a.pos[1], 16 * 1024, &err))
		return cli_error(&err);
	rc = cli_open_store(c, 0, &s);
	if (!rc && ci_key_add(s, a.pos[0], pem.data ? pem.data : "", pem.len, &err))
		rc = cli_error(&err);
	if (!rc)
		printf("CI key %s trusted\n", a.pos[0]);
	vg_buf_release(&pem);
	store_close(s);
	return rc;
}

static int keys_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		      struct vg_error *err)
{
	struct ci_key_list l;
	(void)a;
	(void)arg;
	if (ci_key_list(s, &l, err))
		return err && err->code ? err->code : VG_EINTERNAL;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, ci_key_to_json(&l.items[i]));
	ci_key_list_release(&l);
	return VG_OK;
}

static void key_row(const json_t *k, void *arg)
{
	(void)arg;
	printf("%-20s %-11s %.16s  %s\n", vg_json_str(k, "name"), vg_json_str(k, "algorithm"),
	       vg_json_str(k, "fingerprint"),
	       json_is_true(json_object_get(k, "revoked")) ? "REVOKED" : "trusted");
}

static int cikey_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = keys_fetch, .print_row = key_row, .empty = "no CI keys"};
	return cli_list(c, argc, argv, &l);
}

static int cikey_revoke_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"reason=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "NAME [--reason TEXT]", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME [--reason TEXT]");
	rc = cli_open_store(c, 0, &s);
	if (!rc && ci_key_revoke(s, a.pos[0], cli_opt(&a, "reason"), &err))
		rc = cli_error(&err);
	if (!rc)
		printf("CI key %s revoked\n", a.pos[0]);
	store_close(s);
	return rc;
}

int cmd_ci_key(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", cikey_add_cmd, "trust a CI public key (PEM) for artifact signatures"},
	    {"list", cikey_list_cmd, "list trusted and revoked CI keys"},
	    {"revoke", cikey_revoke_cmd, "stop trusting a CI key"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "ci-key", "Public keys of CI systems that sign artifacts.", verbs,
			    argc, argv);
}
