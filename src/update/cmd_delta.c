/*
 * cmd_delta.c - `vigil delta make|apply|info` (files; delta_make.h and
 * delta_apply.h do the work) and `vigil delta list|run|offer` (the deltas
 * the server makes between published releases, delta.h).
 *
 * Outputs are written to a temporary file in the directory of -o, synced
 * and renamed over -o only when everything succeeded: on any failure
 * nothing is left at -o (and an existing file there is untouched).
 */
#define _GNU_SOURCE
#include "cli/cli.h"
#include "core/error.h"
#include "core/json.h"
#include "store/store.h"
#include "update/delta.h"
#include "update/delta_apply.h"
#include "update/delta_make.h"
#include "update/release.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* ---- files ---- */

/* A whole file mapped read only (an empty file maps to a static byte). */
struct mapped {
	const uint8_t *p;
	uint64_t len;
};

static int map_file(const char *path, struct mapped *m, struct vg_error *err)
{
	static const uint8_t none = 0;
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	m->p = NULL;
	m->len = 0;
	if (fd < 0)
		return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO, "%s: %s", path,
				    strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return vg_error_set(err, VG_EINVAL, "%s: not a regular file", path);
	}
	if (st.st_size == 0) {
		close(fd);
		m->p = &none;
		return VG_OK;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return vg_error_set(err, VG_EIO, "%s: cannot map: %s", path, strerror(errno));
	m->p = p;
	m->len = (uint64_t)st.st_size;
	return VG_OK;
}

static void unmap_file(struct mapped *m)
{
	if (m->p && m->len)
		munmap((void *)m->p, (size_t)m->len);
	m->p = NULL;
}

/* The output: a temporary file beside path, renamed over it by out_commit(). */
struct outfile {
	const char *path;
	char tmp[4096];
	int fd;
	uint64_t len;
};

static int out_open(struct outfile *o, const char *path, struct vg_error *err)
{
	o->path = path;
	o->len = 0;
	if (snprintf(o->tmp, sizeof(o->tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(o->tmp))
		return vg_error_set(err, VG_EINVAL, "%s: path too long", path);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0)
		return vg_error_set(err, VG_EIO, "%s: cannot create a file beside it: %s", path,
				    strerror(errno));
	return VG_OK;
}

static int out_write(void *ctx, const void *buf, size_t len)
{
	struct outfile *o = ctx;
	const char *p = buf;
	while (len) {
		ssize_t n = write(o->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		o->len += (uint64_t)n;
	}
	return 0;
}

static void out_abort(struct outfile *o)
{
	if (o->fd >= 0) {
		close(o->fd);
		unlink(o->tmp);
		o->fd = -1;
	}
}

static int out_commit(struct outfile *o, struct vg_error *err)
{
	if (fsync(o->fd) != 0 || fchmod(o->fd, 0644) != 0) {
		vg_error_set(err, VG_EIO, "%s: %s", o->path, strerror(errno));
		out_abort(o);
		return VG_EIO;
	}
	if (close(o->fd) != 0 || rename(o->tmp, o->path) != 0) {
		o->fd = -1;
		vg_error_set(err, VG_EIO, "%s: %s", o->path, strerror(errno));
		unlink(o->tmp);
		return VG_EIO;
	}
	o->fd = -1;
	return VG_OK;
}

static void hex32(const uint8_t d[32], char out[65])
{
	static const char x[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[64] = '\0';
}

/* What make and apply report. */
struct delta_file_report {
	const char *old_path, *new_path, *patch_path;
	struct delta_header h;
	uint64_t patch_len;
	struct delta_make_stats st; /* make only */
	int made;
};

static json_t *delta_file_report_to_json(const struct delta_file_report *r)
{
	char o[65], n[65];
	hex32(r->h.old_sha256, o);
	hex32(r->h.new_sha256, n);
	json_t *j = json_pack(
	    "{s:{s:s,s:I,s:s},s:{s:s,s:I,s:s},s:{s:s,s:I},s:i,s:i}", "old", "path", r->old_path,
	    "length", (json_int_t)r->h.old_len, "sha256", o, "new", "path", r->new_path, "length",
	    (json_int_t)r->h.new_len, "sha256", n, "patch", "path", r->patch_path, "length",
	    (json_int_t)r->patch_len, "version", (int)r->h.version, "method", (int)r->h.method);
	if (j && r->new_path && r->h.new_len)
		json_object_set_new(j, "ratio",
				    json_real((double)r->patch_len / (double)r->h.new_len));
	if (j && r->made)
		json_object_set_new(j, "stats",
				    json_pack("{s:I,s:I,s:I,s:s}", "commands",
					      (json_int_t)r->st.commands, "diff_bytes",
					      (json_int_t)r->st.diff_bytes, "extra_bytes",
					      (json_int_t)r->st.extra_bytes, "layout",
					      delta_layout_name(r->st.layout)));
	return j;
}

static int delta_make_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "o=", "output=", "level=", "method=", "layout=", "json", NULL};
	const char *usage = "OLD NEW -o PATCH [--method zstd|lzma] [--level N] "
			    "[--layout auto|planes|runs|tokens] [--json]";
	struct cli_args a;
	struct mapped old = {0}, nw = {0};
	struct outfile o = {.fd = -1};
	struct delta_file_report r = {0};
	struct delta_make_opts opts = {0};
	struct vg_error err = {0};
	const char *out;
	int64_t level;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	out = cli_opt(&a, "o") ? cli_opt(&a, "o") : cli_opt(&a, "output");
	if (a.npos != 2 || !out)
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "level", 1, 22, DELTA_MAKE_LEVEL, &level)))
		return rc;
	opts.level = (int)level;
	if (cli_opt(&a, "method")) {
		const char *m = cli_opt(&a, "method");
		if (strcmp(m, "lzma") == 0)
			opts.method = DELTA_METHOD_BSX;
		else if (strcmp(m, "zstd") == 0)
			opts.method = DELTA_METHOD_BSZ;
		else
			return cli_usage(c, "--method %s: expected zstd or lzma", m);
	}
	if (cli_opt(&a, "layout") && strcmp(cli_opt(&a, "layout"), "auto") != 0) {
		int l = delta_layout_parse(cli_opt(&a, "layout"));
		if (l < 0)
			return cli_usage(c, "--layout %s: expected auto, planes, runs or tokens",
					 cli_opt(&a, "layout"));
		opts.layouts = 1u << l;
	}
	if (map_file(a.pos[0], &old, &err) || map_file(a.pos[1], &nw, &err) ||
	    out_open(&o, out, &err))
		goto fail;
	if (delta_make(old.p, old.len, nw.p, nw.len, &opts, out_write, &o, &r.st, &err) ||
	    out_commit(&o, &err))
		goto fail;
	r.old_path = a.pos[0];
	r.new_path = a.pos[1];
	r.patch_path = out;
	r.patch_len = r.st.patch_len;
	r.made = 1;
	r.h = r.st.header;
	if (cli_flag(&a, "json"))
		cli_print_json(delta_file_report_to_json(&r));
	else
		printf("%s: %llu bytes (%.2f%% of %s's %llu)\n", out,
		       (unsigned long long)r.patch_len,
		       nw.len ? 100.0 * (double)r.patch_len / (double)nw.len : 0.0, a.pos[1],
		       (unsigned long long)nw.len);
	unmap_file(&old);
	unmap_file(&nw);
	return CLI_OK;
fail:
	out_abort(&o);
	unmap_file(&old);
	unmap_file(&nw);
	return cli_error(&err);
}

static long fd_read(void *ctx, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	for (;;) {
		ssize_t n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		return (long)n;
	}
}

/* The output file is created at the first byte written (the old image was
 * checked by then), or at the end for an empty new image. */
struct lazy_out {
	struct outfile o;
	const char *path;
	int failed;
	struct vg_error err;
};

static int lazy_write(void *ctx, const void *buf, size_t len)
{
	struct lazy_out *l = ctx;
	if (l->o.fd < 0 && out_open(&l->o, l->path, &l->err)) {
		l->failed = 1;
		return -1;
	}
	return out_write(&l->o, buf, len);
}

static int delta_apply_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"o=", "output=", "json", NULL};
	const char *usage = "OLD PATCH -o NEW [--json]";
	struct cli_args a;
	struct mapped old = {0};
	struct lazy_out l = {.o = {.fd = -1}};
	struct delta_file_report r = {0};
	struct delta_io io = {0};
	struct vg_error err = {0};
	char msg[512];
	int pfd = -1, st;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	l.path = cli_opt(&a, "o") ? cli_opt(&a, "o") : cli_opt(&a, "output");
	if (a.npos != 2 || !l.path)
		return cli_usage(c, "%s", usage);
	if (map_file(a.pos[0], &old, &err))
		return cli_error(&err);
	pfd = open(a.pos[1], O_RDONLY | O_CLOEXEC);
	if (pfd < 0) {
		unmap_file(&old);
		return cli_fail("%s: %s", a.pos[1], strerror(errno));
	}
	io.read = fd_read;
	io.read_ctx = &pfd;
	io.write = lazy_write;
	io.write_ctx = &l;
	st = delta_apply(old.p, old.len, &io, &r.h, msg, sizeof(msg));
	close(pfd);
	unmap_file(&old);
	if (st == DELTA_OK && l.o.fd < 0 && out_open(&l.o, l.path, &l.err))
		l.failed = 1;
	if (st != DELTA_OK || l.failed) {
		out_abort(&l.o);
		if (l.failed)
			return cli_error(&l.err);
		fprintf(stderr, "vigil: %s: %s (%s); nothing written to %s\n", a.pos[1], msg,
			delta_status_name(st), l.path);
		return CLI_FAIL;
	}
	if (out_commit(&l.o, &err))
		return cli_error(&err);
	r.old_path = a.pos[0];
	r.patch_path = a.pos[1];
	r.new_path = l.path;
	{
		struct stat sb;
		r.patch_len = stat(a.pos[1], &sb) == 0 ? (uint64_t)sb.st_size : 0;
	}
	if (cli_flag(&a, "json"))
		cli_print_json(delta_file_report_to_json(&r));
	else
		printf("%s: %llu bytes rebuilt, SHA-256 checked\n", l.path,
		       (unsigned long long)r.h.new_len);
	return CLI_OK;
}

static int delta_info_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	const char *usage = "PATCH [--json]";
	struct cli_args a;
	struct delta_file_report r = {0};
	uint8_t head[DELTA_HEADER_SIZE];
	struct stat sb;
	char o[65], n[65];
	ssize_t got;
	int fd, st;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	fd = open(a.pos[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail("%s: %s", a.pos[0], strerror(errno));
	got = read(fd, head, sizeof(head));
	if (fstat(fd, &sb))
		sb.st_size = 0;
	close(fd);
	if (got != (ssize_t)sizeof(head))
		return cli_fail("%s: shorter than the %u-byte header of a vigil delta", a.pos[0],
				DELTA_HEADER_SIZE);
	st = delta_header_decode(head, &r.h);
	if (st == DELTA_EFORMAT)
		return cli_fail("%s: byte 0: expected the magic \"VGDELTA\" of a vigil delta",
				a.pos[0]);
	if (st != DELTA_OK)
		return cli_fail("%s: byte 8: format version %u method %u, expected %u and %u or %u",
				a.pos[0], r.h.version, r.h.method, DELTA_VERSION, DELTA_METHOD_BSZ,
				DELTA_METHOD_BSX);
	r.patch_path = a.pos[0];
	r.patch_len = (uint64_t)sb.st_size;
	if (cli_flag(&a, "json"))
		return cli_print_json(delta_file_report_to_json(&r));
	hex32(r.h.old_sha256, o);
	hex32(r.h.new_sha256, n);
	printf("format  %u method %u\nold     %llu bytes sha256 %s\nnew     %llu bytes sha256 "
	       "%s\npatch   %llu bytes\n",
	       r.h.version, r.h.method, (unsigned long long)r.h.old_len, o,
	       (unsigned long long)r.h.new_len, n, (unsigned long long)r.patch_len);
	return CLI_OK;
}

/* ---- the server's deltas ---- */

static int list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		      struct vg_error *err)
{
	int64_t id = 0;
	(void)arg;
	if (cli_opt(a, "release") && release_resolve(s, cli_opt(a, "release"), &id, err))
		return err->code;
	return delta_list(s, id, out, err);
}

static int delta_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"release=", NULL};
	static const struct cli_col cols[] = {
	    {"PRODUCT", "product", 12},
	    {"FROM", "from_version", 10},
	    {"TO", "to_version", 10},
	    {"LENGTH", "length", 10},
	    {"FULL", "full_length", 10},
	    {"TARGET", "target", 0},
	    {NULL, NULL, 0},
	};
	struct cli_list_spec l = {
	    .spec = spec,
	    .usage = "[--release ID|PRODUCT@VERSION] [--json]",
	    .fetch = list_fetch,
	    .cols = cols,
	    .empty = "no deltas",
	};
	return cli_list(c, argc, argv, &l);
}

static int delta_run_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t nrel = 0, made = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	if (delta_run_pending(s, &nrel, &made, &err))
		rc = cli_error(&err);
	else if (cli_flag(&a, "json"))
		cli_print_json(
		    json_pack("{s:I,s:I}", "releases", (json_int_t)nrel, "made", (json_int_t)made));
	else
		printf("%lld release(s) done, %lld delta(s) made\n", (long long)nrel,
		       (long long)made);
	store_close(s);
	return rc;
}

static int delta_offer_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"from=", "target=", "json", NULL};
	const char *usage = "RELEASE --target PRODUCT/NAME --from VERSION [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct delta_offer o;
	int64_t id = 0;
	int found = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "from") || !cli_opt(&a, "target"))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	if (release_resolve(s, a.pos[0], &id, &err) ||
	    delta_offer_find(s, id, cli_opt(&a, "target"), cli_opt(&a, "from"), &o, &found, &err)) {
		rc = cli_error(&err);
	} else if (cli_flag(&a, "json")) {
		cli_print_json(delta_offer_to_json(&o, found));
	} else if (found) {
		printf("%s (%llu bytes, sha256 %s) rebuilds %s from %s\n", o.target,
		       (unsigned long long)o.length, o.sha256, o.full_target, o.from_version);
	} else {
		printf("no delta: the full image\n");
	}
	store_close(s);
	return rc;
}

int cmd_delta(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"make", delta_make_cmd, "make the patch that rebuilds NEW from OLD"},
	    {"apply", delta_apply_cmd, "rebuild NEW from OLD and a patch (hashes checked)"},
	    {"info", delta_info_cmd, "a patch's header: the old and new images it names"},
	    {"list", delta_list_cmd, "the deltas the server made between published releases"},
	    {"run", delta_run_cmd, "make the deltas of queued releases now (the job delta.make)"},
	    {"offer", delta_offer_cmd, "the delta a device on a version would be offered"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "delta", "Binary delta updates (docs/delta-format.md).", verbs, argc,
			    argv);
}
