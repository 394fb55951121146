/*
 * backup.c - `vigil backup -o FILE` and `vigil restore FILE`.
 *
 * A backup is one tar file (pax, zstd-compressed, mode 0600) holding:
 *   manifest.json      first: format and version, the vigil and schema
 *                      version, the backend, the audit chain head, the
 *                      master key's id, and the size and SHA-256 of every
 *                      other member
 *   database.sqlite    SQLite: a copy made with the online backup API (one
 *                      consistent state while the server goes on writing)
 *   database.pgdump    PostgreSQL: pg_dump's custom format (its own snapshot)
 *   artifacts/xx/SHA   the files of the directory artifact store
 *                      (update.artifact_dir), named by their SHA-256
 *   secret.key         only with --with-key: the master key (core/secret.h)
 *
 * Why these and no more (docs/operator.md, "Backup and restore"): the
 * database holds every record, original and blob but the artifacts of the
 * directory store; the master key is kept apart by default so that a stolen
 * backup reveals neither sealed channel secrets nor reporters (like
 * GitLab's gitlab-secrets.json); the configuration file and signing keys
 * (PKCS#11 tokens) belong to the host's configuration management and the
 * token's own backup.
 *
 * A restore reads the manifest first (a newer format or schema is refused
 * before anything is touched), unpacks into a staging folder checking every
 * member against the manifest (a truncated or altered file is refused),
 * fills an empty database only, upgrades it to this vigil's schema, checks
 * that the audit chain holds the recorded head and verifies it, installs the
 * artifacts, and records `backup.restored` (the restore drill the programme
 * room's readiness score reads).
 */
#define _GNU_SOURCE
#include "app/app.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/secret.h"
#include "store/store.h"
#include "update/release.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/banned.h"

#define BACKUP_FORMAT         "vigil-backup"
#define BACKUP_FORMAT_VERSION 1
#define BACKUP_MANIFEST       "manifest.json"
#define BACKUP_MANIFEST_MAX   (16 * 1024 * 1024)
#define IO_BLOCK              (256 * 1024)

/* ---- small file helpers ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const char *v = vg_json_str(o, key);
	return v ? v : "";
}

static int hash_file(const char *path, char sha[65], int64_t *size, struct vg_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	EVP_MD_CTX *md;
	char *buf;
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	ssize_t n;
	int rc = VG_OK;

	if (fd < 0)
		return vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
	md = EVP_MD_CTX_new();
	buf = malloc(IO_BLOCK);
	*size = 0;
	if (!md || !buf || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	while ((n = read(fd, buf, IO_BLOCK)) > 0) {
		EVP_DigestUpdate(md, buf, (size_t)n);
		*size += n;
	}
	if (n < 0) {
		rc = vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	EVP_DigestFinal_ex(md, d, &dl);
	vg_hex(d, dl, sha);
out:
	EVP_MD_CTX_free(md);
	free(buf);
	close(fd);
	return rc;
}

static int is_hex(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n && s[i]; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return i == n && s[i] == '\0';
}

/* Remove a staging folder made by restore (two levels: artifacts/xx/sha). */
static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char p[PATH_MAX];

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(path);
}

/* ---- PostgreSQL's tools ---- */

/* "postgresql://u:pw@h/db" -> url without the password, and the password
 * (percent-decoded) for PGPASSWORD, so neither shows in the process list. */
static void pg_split_password(const char *url, char *out, size_t n, char *pw, size_t pwn)
{
	const char *scheme = strstr(url, "://"), *at, *colon;
	size_t o = 0;

	pw[0] = '\0';
	snprintf(out, n, "%s", url);
	if (!scheme)
		return;
	at = strchr(scheme + 3, '@');
	colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	if (!at || !colon)
		return;
	for (const char *p = colon + 1; p < at && o + 1 < pwn; p++) {
		if (*p == '%' && p + 2 < at && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2])) {
			char hx[3] = {p[1], p[2], 0};
			pw[o++] = (char)strtol(hx, NULL, 16);
			p += 2;
		} else {
			pw[o++] = *p;
		}
	}
	pw[o] = '\0';
	snprintf(out, n, "%.*s%s", (int)(colon - url), url, at);
}

/* Run argv (argv[0] looked up in PATH) with PGPASSWORD set when pw is not
 * empty; stdout to /dev/null unless capture (then its first line there). */
static int run_tool(char *const argv[], const char *pw, char *capture, size_t capn,
		    struct vg_error *err)
{
	int pipefd[2] = {-1, -1}, status = 0;
	pid_t pid;

	if (capture && pipe(pipefd) != 0)
		return vg_error_set(err, VG_EIO, "%s: %s", argv[0], strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return vg_error_set(err, VG_EIO, "%s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		int fd = capture ? pipefd[1] : open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		if (pw && *pw)
			setenv("PGPASSWORD", pw, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "vigil: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (capture) {
		size_t o = 0;
		ssize_t r;
		close(pipefd[1]);
		while (o + 1 < capn && (r = read(pipefd[0], capture + o, capn - 1 - o)) > 0)
			o += (size_t)r;
		capture[o] = '\0';
		close(pipefd[0]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return vg_error_set(err, VG_EIO, "%s failed (exit %d)%s", argv[0],
				    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
				    WIFEXITED(status) && WEXITSTATUS(status) == 127
					? ": is it installed? (Debian: postgresql-client)"
					: "");
	return VG_OK;
}

/* The major version of a PostgreSQL client tool ("pg_dump (PostgreSQL) 15.5"). */
static int tool_major(const char *tool, int *major, struct vg_error *err)
{
	char out[256];
	char *const argv[] = {(char *)tool, (char *)"--version", NULL};
	const char *p;
	int rc = run_tool(argv, NULL, out, sizeof(out), err);

	if (rc)
		return rc;
	p = strstr(out, ") ");
	*major = p ? (int)strtol(p + 2, NULL, 10) : 0;
	if (*major <= 0)
		return vg_error_set(err, VG_EIO, "%s --version: cannot read the version in '%s'",
				    tool, out);
	return VG_OK;
}

static int pg_server_major(struct store *s, int *major, struct vg_error *err)
{
	char *v = NULL;
	int rc = store_query_text(s, &v, err, "SHOW server_version_num", NULL);
	if (rc)
		return rc;
	*major = v ? (int)(strtol(v, NULL, 10) / 10000) : 0;
	free(v);
	return VG_OK;
}

/* pg_dump must be at least as new as the server (it refuses an older
 * client, and an older one would miss what the server has). */
static int pg_check_tool(struct store *s, const char *tool, struct vg_error *err)
{
	int server = 0, client = 0, rc;

	if ((rc = pg_server_major(s, &server, err)) || (rc = tool_major(tool, &client, err)))
		return rc;
	if (client < server)
		return vg_error_set(err, VG_EINVAL,
				    "%s is PostgreSQL %d, older than the server of %s (PostgreSQL "
				    "%d): install the client tools of version %d or newer (Debian: "
				    "postgresql-client-%d) or name them with setting backup.%s",
				    tool, client, store_url_safe(s), server, server, server,
				    strstr(tool, "restore") ? "pg_restore" : "pg_dump");
	return VG_OK;
}

/* ---- writing ---- */

struct member {
	char name[128];
	char path[PATH_MAX];
	char sha[65];
	int64_t size;
};

struct members {
	struct member *v;
	size_t n, cap;
};

static int members_add(struct members *m, const char *name, const char *path, struct vg_error *err)
{
	struct member *x;
	int rc;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct member *nv = realloc(m->v, cap * sizeof(*nv));
		if (!nv)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		m->v = nv;
		m->cap = cap;
	}
	x = &m->v[m->n];
	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
	snprintf(x->path, sizeof(x->path), "%s", path);
	rc = hash_file(path, x->sha, &x->size, err);
	if (rc)
		return rc;
	m->n++;
	return VG_OK;
}

/* The files of the directory artifact store: DIR/xx/<sha256>, each checked
 * against its name (a damaged artifact is named, not copied silently). */
static int collect_artifacts(const char *dir, struct members *m, struct vg_error *err)
{
	DIR *d = opendir(dir), *sd;
	struct dirent *e, *f;
	int rc = VG_OK;

	if (!d)
		return errno == ENOENT ? VG_OK
				       : vg_error_set(err, VG_EIO, "artifact directory %s: %s", dir,
						      strerror(errno));
	while (!rc && (e = readdir(d))) {
		char sub[PATH_MAX];
		if (strlen(e->d_name) != 2 || !is_hex(e->d_name, 2))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (!(sd = opendir(sub)))
			continue;
		while (!rc && (f = readdir(sd))) {
			char path[PATH_MAX], name[128];
			if (!is_hex(f->d_name, 64) || strncmp(f->d_name, e->d_name, 2) != 0)
				continue; /* temporary files of uploads in flight */
			snprintf(path, sizeof(path), "%s/%s", sub, f->d_name);
			snprintf(name, sizeof(name), "artifacts/%s/%s", e->d_name, f->d_name);
			rc = members_add(m, name, path, err);
			if (!rc && strcmp(m->v[m->n - 1].sha, f->d_name) != 0)
				rc = vg_error_set(
				    err, VG_EIO,
				    "artifact %s is damaged: its SHA-256 is %s; restore "
				    "it from an earlier backup or remove its release",
				    path, m->v[m->n - 1].sha);
		}
		closedir(sd);
	}
	closedir(d);
	return rc;
}

static int ar_fail(struct archive *a, const char *file, struct vg_error *err)
{
	return vg_error_set(err, VG_EIO, "%s: %s", file,
			    archive_error_string(a) ? archive_error_string(a) : "archive error");
}

static int write_member(struct archive *a, const char *file, const char *name, const void *mem,
			const char *path, int64_t size, struct vg_error *err)
{
	struct archive_entry *e = archive_entry_new();
	int rc = VG_OK;

	if (!e)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, (time_t)vg_now(), 0);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		archive_entry_free(e);
		return ar_fail(a, file, err);
	}
	archive_entry_free(e);
	if (mem) {
		if (archive_write_data(a, mem, (size_t)size) != (la_ssize_t)size)
			return ar_fail(a, file, err);
	} else {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		char *buf = malloc(IO_BLOCK);
		int64_t left = size;
		if (fd < 0 || !buf) {
			rc = vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
		} else {
			while (left > 0) {
				ssize_t n =
				    read(fd, buf, left < IO_BLOCK ? (size_t)left : IO_BLOCK);
				if (n <= 0) {
					rc = vg_error_set(err, VG_EIO, "%s: changed while copied",
							  path);
					break;
				}
				if (archive_write_data(a, buf, (size_t)n) != n) {
					rc = ar_fail(a, file, err);
					break;
				}
				left -= n;
			}
		}
		free(buf);
		if (fd >= 0)
			close(fd);
	}
	return rc;
}

/* The id of the master key: a key derived from it for this purpose only, so
 * the id says nothing about the key or any other derived key. */
static int key_id(char out[17], struct vg_error *err)
{
	char mac[65];
	int rc = vg_secret_mac_hex("backup-key-id", "vigil", 5, mac, err);
	if (rc)
		return rc;
	snprintf(out, 17, "%.16s", mac);
	return VG_OK;
}

static int read_small_file(const char *path, char *buf, size_t n, size_t *got, struct vg_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
	r = read(fd, buf, n);
	close(fd);
	if (r < 0)
		return vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
	*got = (size_t)r;
	return VG_OK;
}

struct backup_result {
	char file[PATH_MAX];
	char backend[16];
	int schema_version;
	int64_t head_seq;
	char head_hash[65];
	size_t artifacts;
	int64_t bytes;
	int with_key;
};

static int do_backup(struct cli *c, const char *out, int with_key, struct backup_result *res,
		     struct vg_error *err)
{
	struct store *s = NULL;
	struct members m = {0};
	struct audit_filter f = {.newest_first = 1, .limit = 1};
	struct audit_entry_list head = {0};
	char tmpdb[PATH_MAX], tmpout[PATH_MAX], adir[PATH_MAX] = "", backend[8], kid[17] = "";
	char keybuf[64];
	size_t keylen = 0;
	json_t *man = NULL, *files;
	char *mtext = NULL;
	struct archive *a = NULL;
	int rc, fd = -1, pg;
	char ts[40];

	memset(res, 0, sizeof(*res));
	snprintf(res->file, sizeof(res->file), "%s", out);
	snprintf(tmpdb, sizeof(tmpdb), "%s.%ld.db.tmp", out, (long)getpid());
	snprintf(tmpout, sizeof(tmpout), "%s.%ld.tmp", out, (long)getpid());
	rc = store_open(c->db_url, 0, &s, err);
	if (rc)
		return rc;
	pg = store_kind(s) == STORE_PG;
	snprintf(res->backend, sizeof(res->backend), "%s", pg ? "postgresql" : "sqlite");
	if (pg) {
		const char *tool = vg_config_get("backup.pg_dump", "pg_dump");
		char url[4096], pw[1024];
		char *snap = NULL, snapopt[128];
		/* One snapshot for the head, the schema version and pg_dump: a
		 * repeatable-read transaction exports it, pg_dump uses it. */
		rc = pg_check_tool(s, tool, err);
		/* read before: it may create the version table, a read-only
		 * transaction may not */
		if (!rc)
			rc = store_schema_version(s, &res->schema_version, err);
		if (!rc)
			rc = store_tx_begin_snapshot(s, &snap, err);
		if (!rc) {
			rc = audit_query(s, &f, &head, err);
			if (!rc) {
				char *const argv[] = {(char *)tool,
						      (char *)"--format=custom",
						      (char *)"--no-owner",
						      (char *)"--no-privileges",
						      snapopt,
						      (char *)"--file",
						      tmpdb,
						      (char *)"--dbname",
						      url,
						      NULL};
				snprintf(snapopt, sizeof(snapopt), "--snapshot=%s",
					 snap ? snap : "");
				pg_split_password(c->db_url, url, sizeof(url), pw, sizeof(pw));
				rc = run_tool(argv, pw, NULL, 0, err);
				vg_wipe(pw, sizeof(pw));
			}
			free(snap);
			store_tx_rollback(s);
		}
	} else {
		struct store *snap = NULL;
		unlink(tmpdb);
		rc = store_snapshot(s, tmpdb, err);
		/* the head and schema of the copy itself */
		if (!rc)
			rc = store_open(tmpdb, 0, &snap, err);
		if (!rc)
			rc = audit_query(snap, &f, &head, err);
		if (!rc)
			rc = store_schema_version(snap, &res->schema_version, err);
		store_close(snap);
	}
	if (!rc)
		rc = members_add(&m, pg ? "database.pgdump" : "database.sqlite", tmpdb, err);
	if (!rc && artifact_config(s, backend, adir, sizeof(adir), NULL) == VG_OK && adir[0])
		rc = collect_artifacts(adir, &m, err);
	if (!rc)
		rc = key_id(kid, err);
	if (!rc && with_key) {
		rc = read_small_file(vg_secret_key_file(), keybuf, sizeof(keybuf), &keylen, err);
		if (!rc && keylen != VG_SECRET_KEY_LEN)
			rc = vg_error_set(err, VG_EIO, "secret key %s: expected %d bytes",
					  vg_secret_key_file(), VG_SECRET_KEY_LEN);
	}
	if (rc)
		goto out;
	if (head.n) {
		res->head_seq = head.items[0].seq;
		snprintf(res->head_hash, sizeof(res->head_hash), "%s", head.items[0].hash);
	}
	res->with_key = with_key;
	files = json_array();
	for (size_t i = 0; i < m.n; i++) {
		json_array_append_new(files,
				      json_pack("{s:s, s:I, s:s}", "name", m.v[i].name, "size",
						(json_int_t)m.v[i].size, "sha256", m.v[i].sha));
		res->bytes += m.v[i].size;
		if (strncmp(m.v[i].name, "artifacts/", 10) == 0)
			res->artifacts++;
	}
	if (with_key) {
		char ksha[65];
		vg_sha256_hex(keybuf, keylen, ksha);
		json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "name", "secret.key",
						       "size", (json_int_t)keylen, "sha256", ksha));
	}
	man = json_pack("{s:s, s:i, s:s, s:s, s:s, s:i, s:{s:I, s:s}, s:s, s:b, s:o}", "format",
			BACKUP_FORMAT, "format_version", BACKUP_FORMAT_VERSION, "vigil_version",
			VIGIL_VERSION, "created_at", vg_time_format(vg_now(), ts, sizeof(ts)),
			"backend", res->backend, "schema_version", res->schema_version,
			"audit_head", "seq", (json_int_t)res->head_seq, "hash", res->head_hash,
			"master_key_id", kid, "master_key_included", with_key, "files", files);
	mtext = man ? json_dumps(man, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	if (!mtext) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	fd = open(tmpout, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = vg_error_set(err, VG_EIO, "%s: %s", out, strerror(errno));
		goto out;
	}
	a = archive_write_new();
	if (!a || archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		rc = a ? ar_fail(a, out, err) : vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = write_member(a, out, BACKUP_MANIFEST, mtext, NULL, (int64_t)strlen(mtext), err);
	for (size_t i = 0; !rc && i < m.n; i++)
		rc = write_member(a, out, m.v[i].name, NULL, m.v[i].path, m.v[i].size, err);
	if (!rc && with_key)
		rc = write_member(a, out, "secret.key", keybuf, NULL, (int64_t)keylen, err);
	if (!rc && archive_write_close(a) != ARCHIVE_OK)
		rc = ar_fail(a, out, err);
	if (!rc && fsync(fd) != 0)
		rc = vg_error_set(err, VG_EIO, "%s: %s", out, strerror(errno));
	if (!rc && rename(tmpout, out) != 0)
		rc = vg_error_set(err, VG_EIO, "%s: %s", out, strerror(errno));
out:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmpout);
	unlink(tmpdb);
	vg_wipe(keybuf, sizeof(keybuf));
	free(mtext);
	json_decref(man);
	free(m.v);
	audit_entry_list_release(&head);
	store_close(s);
	return rc;
}

static int cmd_backup_fn(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"o=", "output=", "with-key", "json", NULL};
	const char *usage = "-o FILE [--with-key] [--json]";
	struct cli_args a;
	struct backup_result r;
	struct vg_error err = {0};
	const char *out;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	out = cli_opt(&a, "o") ? cli_opt(&a, "o") : cli_opt(&a, "output");
	if (a.npos || !out || !*out)
		return cli_usage(c, "%s", usage);
	if (access(out, F_OK) == 0)
		return cli_fail(
		    "%s exists already: name a new file (a backup never overwrites one)", out);
	if (do_backup(c, out, cli_flag(&a, "with-key"), &r, &err))
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(
		    json_pack("{s:s, s:s, s:i, s:{s:I, s:s}, s:I, s:I, s:b}", "file", r.file,
			      "backend", r.backend, "schema_version", r.schema_version,
			      "audit_head", "seq", (json_int_t)r.head_seq, "hash", r.head_hash,
			      "artifacts", (json_int_t)r.artifacts, "bytes", (json_int_t)r.bytes,
			      "master_key_included", r.with_key));
	printf("backup %s: %s database at schema version %d, audit trail up to record %lld, "
	       "%zu artifacts%s\n",
	       r.file, r.backend, r.schema_version, (long long)r.head_seq, r.artifacts,
	       r.with_key ? ", the master key included (keep this file secret)" : "");
	if (!r.with_key)
		printf("the master key %s is not in the backup: keep a copy of it apart "
		       "(docs/operator.md)\n",
		       vg_secret_key_file());
	return CLI_OK;
}

/* ---- reading ---- */

struct staged {
	char dir[PATH_MAX];
	json_t *manifest;
	int have_key;
};

static const json_t *manifest_file(const json_t *man, const char *name)
{
	size_t i;
	const json_t *f;
	json_array_foreach(json_object_get(man, "files"), i, f)
	{
		if (strcmp(jstr(f, "name"), name) == 0)
			return f;
	}
	return NULL;
}

/* A member name we write ourselves: no "..", no absolute path. */
static int safe_member(const char *name)
{
	if (strcmp(name, "database.sqlite") == 0 || strcmp(name, "database.pgdump") == 0 ||
	    strcmp(name, "secret.key") == 0)
		return 1;
	return strncmp(name, "artifacts/", 10) == 0 && strlen(name) == 10 + 3 + 64 &&
	       name[12] == '/' && is_hex(name + 13, 64) && strncmp(name + 10, name + 13, 2) == 0;
}

static int check_manifest(const char *file, json_t *man, struct vg_error *err)
{
	json_int_t fv = json_integer_value(json_object_get(man, "format_version"));
	json_int_t sv = json_integer_value(json_object_get(man, "schema_version"));
	const char *ver = jstr(man, "vigil_version");

	if (strcmp(jstr(man, "format"), BACKUP_FORMAT) != 0 ||
	    !json_is_array(json_object_get(man, "files")))
		return vg_error_set(err, VG_EPARSE,
				    "%s: manifest.json is not the manifest of a vigil backup",
				    file);
	if (fv > BACKUP_FORMAT_VERSION)
		return vg_error_set(
		    err, VG_EINVAL,
		    "%s is a backup of format %lld made by vigil %s; this vigil (%s) "
		    "reads format %d: restore it with vigil %s or newer",
		    file, (long long)fv, ver, VIGIL_VERSION, BACKUP_FORMAT_VERSION, ver);
	if (fv < 1)
		return vg_error_set(err, VG_EPARSE, "%s: manifest.json: format_version missing",
				    file);
	if (sv > store_schema_target())
		return vg_error_set(
		    err, VG_EINVAL,
		    "%s holds a database at schema version %lld, made by vigil %s; "
		    "this vigil (%s) knows schema version %d: restore it with vigil "
		    "%s or newer",
		    file, (long long)sv, ver, VIGIL_VERSION, store_schema_target(), ver);
	return VG_OK;
}

/* Unpack file into a new staging folder, every member checked against the
 * manifest; st->manifest set. */
static int stage(const char *file, struct staged *st, struct vg_error *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	const char *tmp = vg_config_get("server.tmp_dir", getenv("TMPDIR"));
	char *buf = malloc(IO_BLOCK);
	size_t seen = 0;
	int rc = VG_OK, r;

	memset(st, 0, sizeof(*st));
	snprintf(st->dir, sizeof(st->dir), "%s/vigil-restore.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!a || !buf) {
		free(buf);
		archive_read_free(a);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!mkdtemp(st->dir)) {
		rc = vg_error_set(err, VG_EIO, "%s: %s", st->dir, strerror(errno));
		st->dir[0] = '\0';
		goto out;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, file, IO_BLOCK) != ARCHIVE_OK) {
		const char *why = archive_error_string(a) ? archive_error_string(a) : "unreadable";
		if (strcasestr(why, "truncat"))
			rc = vg_error_set(err, VG_EPARSE, "%s is truncated: %s", file, why);
		else
			rc = vg_error_set(err, VG_EPARSE, "%s: not a vigil backup (%s)", file, why);
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		const json_t *mf;
		char path[PATH_MAX], sha[65];
		int64_t size = 0;
		int fd;
		la_ssize_t n;

		if (!st->manifest) {
			/* the manifest comes first, read whole into memory */
			json_error_t je;
			int64_t len = archive_entry_size(e);
			char *mb;
			if (strcmp(name, BACKUP_MANIFEST) != 0 || len <= 0 ||
			    len > BACKUP_MANIFEST_MAX) {
				rc = vg_error_set(err, VG_EPARSE,
						  "%s: not a vigil backup (its first member is %s, "
						  "expected manifest.json)",
						  file, name);
				goto out;
			}
			mb = malloc((size_t)len + 1);
			if (!mb) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				goto out;
			}
			n = archive_read_data(a, mb, (size_t)len);
			if (n != len) {
				free(mb);
				rc =
				    vg_error_set(err, VG_EPARSE,
						 "%s is truncated or damaged: manifest.json is cut "
						 "short",
						 file);
				goto out;
			}
			st->manifest = json_loadb(mb, (size_t)len, 0, &je);
			free(mb);
			if (!st->manifest) {
				rc = vg_error_set(err, VG_EPARSE, "%s: manifest.json line %d: %s",
						  file, je.line, je.text);
				goto out;
			}
			if ((rc = check_manifest(file, st->manifest, err)))
				goto out;
			continue;
		}
		mf = manifest_file(st->manifest, name);
		if (!mf || !safe_member(name)) {
			rc = vg_error_set(
			    err, VG_EPARSE,
			    "%s: member %s is not in its manifest (an altered backup)", file, name);
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s", st->dir,
			 strncmp(name, "artifacts/", 10) == 0 ? name + 13 : name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			rc = vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
			goto out;
		}
		while ((n = archive_read_data(a, buf, IO_BLOCK)) > 0) {
			if (write(fd, buf, (size_t)n) != n) {
				rc = vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
				break;
			}
		}
		close(fd);
		if (rc)
			goto out;
		if (n < 0) {
			rc = vg_error_set(err, VG_EPARSE, "%s is truncated or damaged at %s: %s",
					  file, name, archive_error_string(a));
			goto out;
		}
		if ((rc = hash_file(path, sha, &size, err)))
			goto out;
		if (size != json_integer_value(json_object_get(mf, "size")) ||
		    strcmp(sha, jstr(mf, "sha256")) != 0) {
			rc = vg_error_set(
			    err, VG_EPARSE,
			    "%s is truncated or damaged: %s has %lld bytes with "
			    "SHA-256 %.16s..., the manifest says %lld bytes with %.16s...",
			    file, name, (long long)size, sha,
			    (long long)json_integer_value(json_object_get(mf, "size")),
			    jstr(mf, "sha256"));
			goto out;
		}
		if (strcmp(name, "secret.key") == 0)
			st->have_key = 1;
		seen++;
	}
	if (r != ARCHIVE_EOF) {
		rc = vg_error_set(err, VG_EPARSE, "%s is truncated or damaged: %s", file,
				  archive_error_string(a));
		goto out;
	}
	if (!st->manifest) {
		rc =
		    vg_error_set(err, VG_EPARSE, "%s: not a vigil backup (no manifest.json)", file);
		goto out;
	}
	if (seen != json_array_size(json_object_get(st->manifest, "files"))) {
		rc = vg_error_set(err, VG_EPARSE,
				  "%s is truncated: the manifest lists %zu members, the file holds "
				  "%zu",
				  file, json_array_size(json_object_get(st->manifest, "files")),
				  seen);
		goto out;
	}
out:
	free(buf);
	archive_read_free(a);
	return rc;
}

static void staged_release(struct staged *st)
{
	if (st->dir[0])
		rm_tree(st->dir);
	json_decref(st->manifest);
	st->manifest = NULL;
}

/* Move (or copy, across file systems) a checked artifact into place. */
int backup_check_file(const char *file, struct vg_error *err)
{
	struct staged st;
	int rc = stage(file, &st, err);

	staged_release(&st);
	return rc;
}

static int install_artifact(const char *from, const char *dir, const char *sha,
			    struct vg_error *err)
{
	char sub[PATH_MAX], to[PATH_MAX], tmp[PATH_MAX];
	int in, out, rc = VG_OK;
	char *buf;
	ssize_t n;

	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha);
	snprintf(to, sizeof(to), "%s/%s", sub, sha);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return vg_error_set(err, VG_EIO, "artifact directory %s: %s", dir, strerror(errno));
	if (mkdir(sub, 0700) != 0 && errno != EEXIST)
		return vg_error_set(err, VG_EIO, "artifact directory %s: %s", sub, strerror(errno));
	if (access(to, F_OK) == 0) {
		char have[65];
		int64_t sz;
		if ((rc = hash_file(to, have, &sz, err)))
			return rc;
		if (strcmp(have, sha) != 0)
			return vg_error_set(
			    err, VG_EIO,
			    "artifact %s exists and is damaged (SHA-256 %s): remove "
			    "it and restore again",
			    to, have);
		return VG_OK;
	}
	if (rename(from, to) == 0)
		return VG_OK;
	snprintf(tmp, sizeof(tmp), "%s.restore.tmp", to);
	in = open(from, O_RDONLY | O_CLOEXEC);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	buf = malloc(IO_BLOCK);
	if (in < 0 || out < 0 || !buf)
		rc = vg_error_set(err, VG_EIO, "artifact %s: %s", to, strerror(errno));
	while (!rc && (n = read(in, buf, IO_BLOCK)) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = vg_error_set(err, VG_EIO, "artifact %s: %s", to, strerror(errno));
	if (!rc && fsync(out) != 0)
		rc = vg_error_set(err, VG_EIO, "artifact %s: %s", to, strerror(errno));
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (!rc && rename(tmp, to) != 0)
		rc = vg_error_set(err, VG_EIO, "artifact %s: %s", to, strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}

/* The master key: the one the backup was taken with, or (--new-key) any. */
static int restore_key(const char *file, struct staged *st, int new_key, const char **how,
		       struct vg_error *err)
{
	const char *want = jstr(st->manifest, "master_key_id");
	const char *kf = vg_secret_key_file();
	char have[17];
	int rc;

	*how = "same key";
	if (access(kf, F_OK) != 0 && st->have_key) {
		char from[PATH_MAX], kb[64];
		size_t n = 0;
		int fd;
		snprintf(from, sizeof(from), "%s/secret.key", st->dir);
		if ((rc = read_small_file(from, kb, sizeof(kb), &n, err)))
			return rc;
		fd = open(kf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, kb, n) != (ssize_t)n || fsync(fd) != 0) {
			rc = vg_error_set(err, VG_EIO, "secret key %s: %s", kf, strerror(errno));
			if (fd >= 0)
				close(fd);
			vg_wipe(kb, sizeof(kb));
			return rc;
		}
		close(fd);
		vg_wipe(kb, sizeof(kb));
		vg_secret_reset();
		*how = "key restored from the backup";
	} else if (access(kf, F_OK) != 0 && !new_key) {
		return vg_error_set(
		    err, VG_EINVAL,
		    "%s was taken with master key %s and there is no key file at %s: "
		    "copy the key file of the old installation there (mode 0600) "
		    "and restore again, or pass --new-key to start with a new key "
		    "(notification channel secrets must then be entered again)",
		    file, want, kf);
	}
	if ((rc = key_id(have, err)))
		return rc;
	if (strcmp(have, want) != 0) {
		if (!new_key)
			return vg_error_set(
			    err, VG_EINVAL,
			    "%s was taken with master key %s but %s holds key %s: put the key "
			    "file of the old installation there, or pass --new-key to go on "
			    "with this key (notification channel secrets must then be entered "
			    "again)",
			    file, want, kf, have);
		*how = "new key";
	}
	return VG_OK;
}

struct restore_result {
	char backend[16];
	int from_schema, schema;
	int64_t head_seq;
	int64_t records;
	size_t artifacts;
	const char *key;
	int64_t seq;
	char created_at[40]; /* the backup's, from its manifest */
	char head_hash[65];
};

/* drill: a restore drill into a scratch database; artifacts are checked
 * (stage() hashes every member) but not installed into the live store. */
static int do_restore(struct cli *c, const char *file, int new_key, int drill,
		      struct restore_result *res, struct vg_error *err)
{
	struct staged st;
	struct store *s = NULL;
	int64_t tables = 0, bad = 0;
	int pg, rc;
	const char *backend;
	char path[PATH_MAX];

	memset(res, 0, sizeof(*res));
	rc = stage(file, &st, err);
	if (rc)
		goto out;
	backend = jstr(st.manifest, "backend");
	snprintf(res->backend, sizeof(res->backend), "%s", backend);
	res->from_schema = (int)json_integer_value(json_object_get(st.manifest, "schema_version"));
	res->head_seq =
	    json_integer_value(json_object_get(json_object_get(st.manifest, "audit_head"), "seq"));
	snprintf(res->created_at, sizeof(res->created_at), "%s", jstr(st.manifest, "created_at"));
	snprintf(res->head_hash, sizeof(res->head_hash), "%s",
		 jstr(json_object_get(st.manifest, "audit_head"), "hash"));
	/* an empty database of the same backend */
	rc = store_open_unchecked(c->db_url, &s, err);
	if (rc)
		goto out;
	pg = store_kind(s) == STORE_PG;
	if (strcmp(backend, pg ? "postgresql" : "sqlite") != 0) {
		rc = vg_error_set(err, VG_EINVAL,
				  "%s holds a %s database; %s is %s: restore it into a database of "
				  "the same kind",
				  file, backend, store_url_safe(s), pg ? "PostgreSQL" : "SQLite");
		goto out;
	}
	rc = store_table_count(s, &tables, err);
	if (!rc && tables > 0)
		rc = vg_error_set(err, VG_ESTATE,
				  "database %s is not empty (%lld tables): vigil restore fills an "
				  "empty database only; name a new one with --db",
				  store_url_safe(s), (long long)tables);
	if (!rc)
		rc = restore_key(file, &st, new_key, &res->key, err);
	if (rc)
		goto out;
	if (pg) {
		const char *tool = vg_config_get("backup.pg_restore", "pg_restore");
		char url[4096], pw[1024];
		char *const argv[] = {(char *)tool,
				      (char *)"--no-owner",
				      (char *)"--no-privileges",
				      (char *)"--exit-on-error",
				      (char *)"--single-transaction",
				      (char *)"--dbname",
				      url,
				      path,
				      NULL};
		snprintf(path, sizeof(path), "%s/database.pgdump", st.dir);
		rc = pg_check_tool(s, tool, err);
		if (!rc) {
			pg_split_password(c->db_url, url, sizeof(url), pw, sizeof(pw));
			rc = run_tool(argv, pw, NULL, 0, err);
			vg_wipe(pw, sizeof(pw));
		}
	} else {
		snprintf(path, sizeof(path), "%s/database.sqlite", st.dir);
		rc = store_snapshot_load(s, path, err);
	}
	store_close(s);
	s = NULL;
	if (rc)
		goto out;
	/* an older backup is brought to this vigil's schema */
	rc = cli_open_store(c, 1, &s) ? vg_error_set(err, VG_EDB,
						     "%s: cannot open after the "
						     "restore",
						     c->db_url)
				      : VG_OK;
	if (!rc)
		rc = store_schema_version(s, &res->schema, err);
	if (rc)
		goto out;
	if (res->head_seq > 0) {
		struct audit_filter f = {.after_seq = res->head_seq - 1, .limit = 1};
		struct audit_entry_list l = {0};
		const char *want = jstr(json_object_get(st.manifest, "audit_head"), "hash");
		rc = audit_query(s, &f, &l, err);
		if (!rc && (l.n == 0 || l.items[0].seq != res->head_seq ||
			    strcmp(l.items[0].hash, want) != 0))
			rc = vg_error_set(err, VG_EAUDIT,
					  "%s: the restored audit trail does not hold the head the "
					  "manifest records (record %lld, %.16s...)",
					  file, (long long)res->head_seq, want);
		audit_entry_list_release(&l);
		if (rc)
			goto out;
	}
	{
		size_t i;
		const json_t *mf;
		char backend_kind[8], adir[PATH_MAX] = "";
		json_array_foreach(json_object_get(st.manifest, "files"), i, mf)
		{
			const char *name = jstr(mf, "name");
			if (strncmp(name, "artifacts/", 10) != 0)
				continue;
			if (drill) {
				res->artifacts++; /* checked by stage(), left in the backup */
				continue;
			}
			if (!adir[0]) {
				rc = artifact_config(s, backend_kind, adir, sizeof(adir), err);
				if (!rc && !adir[0])
					rc = vg_error_set(
					    err, VG_EUSAGE,
					    "%s holds artifacts of a directory store: set "
					    "update.artifact_store=dir and update.artifact_dir",
					    file);
				if (rc)
					goto out;
			}
			snprintf(path, sizeof(path), "%s/%s", st.dir, name + 13);
			if ((rc = install_artifact(path, adir, name + 13, err)))
				goto out;
			res->artifacts++;
		}
	}
	rc = audit_verify(s, &res->records, &bad, err);
	if (rc)
		goto out;
	{
		char ts[40];
		json_t *after =
		    json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:{s:I, s:s}, s:I, s:s}", "file",
			      file, "created_at", jstr(st.manifest, "created_at"), "vigil_version",
			      jstr(st.manifest, "vigil_version"), "backend", backend,
			      "schema_version", res->from_schema, "upgraded_to", res->schema,
			      "audit_head", "seq", (json_int_t)res->head_seq, "hash",
			      jstr(json_object_get(st.manifest, "audit_head"), "hash"), "artifacts",
			      (json_int_t)res->artifacts, "master_key", res->key);
		(void)ts;
		rc = store_audit(s, "backup.restored", "backup", jstr(st.manifest, "created_at"),
				 NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = audit_verify(s, &res->records, &bad, err);
out:
	store_close(s);
	staged_release(&st);
	return rc;
}

/* `vigil restore FILE --drill [--into URL]`: the backup restored into a
 * scratch database (a new SQLite file under server.tmp_dir, removed after,
 * or the empty database --into names), checked as a real restore is; the
 * result, passed or failed, recorded as backup.drill in the database of
 * --db, where the readiness score finds it. */
static int restore_drill(struct cli *c, const char *file, const char *into, int new_key,
			 struct restore_result *r, struct vg_error *err)
{
	struct cli d = *c;
	struct store *s = NULL;
	struct vg_error why = {0};
	char dir[PATH_MAX] = "", url[PATH_MAX + 16];
	const char *tmp = vg_config_get("server.tmp_dir", getenv("TMPDIR"));
	int64_t started = vg_now();
	json_t *after;
	int rc, failed;

	/* the live database first: a drill that cannot be recorded is not run */
	if (cli_open_store(c, 0, &s))
		return vg_error_set(err, VG_EDB,
				    "%s: the drill is recorded in the database of --db; it must "
				    "be a vigil database at this version",
				    c->db_url);
	if (into) {
		d.db_url = into;
	} else {
		snprintf(dir, sizeof(dir), "%s/vigil-drill.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			store_close(s);
			return vg_error_set(err, VG_EIO, "%s: %s", dir, strerror(errno));
		}
		snprintf(url, sizeof(url), "%s/drill.db", dir);
		d.db_url = url;
	}
	failed = do_restore(&d, file, new_key, 1, r, &why);
	if (dir[0])
		rm_tree(dir);
	if (failed && !into && strstr(vg_error_msg(&why), "of the same kind")) {
		/* not a drill that failed: one that could not start here */
		store_close(s);
		return vg_error_set(err, VG_EINVAL,
				    "%s holds a PostgreSQL database: drill it into an empty "
				    "PostgreSQL database named with --into URL (createdb "
				    "vigil_drill)",
				    file);
	}
	after = json_pack("{s:s, s:s, s:s?, s:s, s:I, s:s, s:i, s:i, s:I, s:I, s:I, s:s}", "file",
			  file, "result", failed ? "failed" : "passed", "error",
			  failed ? vg_error_msg(&why) : NULL, "created_at", r->created_at,
			  "audit_head", (json_int_t)r->head_seq, "head_hash", r->head_hash,
			  "schema_version", r->from_schema, "upgraded_to", r->schema, "records",
			  (json_int_t)r->records, "artifacts", (json_int_t)r->artifacts, "seconds",
			  (json_int_t)(vg_now() - started), "scratch",
			  into ? "the database of --into" : "a temporary SQLite file");
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_audit(s, "backup.drill", "backup",
				 r->created_at[0] ? r->created_at : file, NULL, after, err);
	if (!rc)
		rc = store_tx_commit(s, err);
	else
		store_tx_rollback(s);
	json_decref(after);
	store_close(s);
	if (rc)
		return rc;
	if (failed) {
		*err = why;
		return failed;
	}
	return VG_OK;
}

static int cmd_restore_fn(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"new-key", "json", "drill", "into=", NULL};
	const char *usage = "FILE [--new-key] [--drill [--into URL]] [--json]";
	struct cli_args a;
	struct restore_result r;
	struct vg_error err = {0};
	int drill;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	drill = cli_flag(&a, "drill");
	if (cli_opt(&a, "into") && !drill)
		return cli_usage(c, "%s (--into goes with --drill)", usage);
	if (drill
		? restore_drill(c, a.pos[0], cli_opt(&a, "into"), cli_flag(&a, "new-key"), &r, &err)
		: do_restore(c, a.pos[0], cli_flag(&a, "new-key"), 0, &r, &err))
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(json_pack(
		    "{s:s, s:s, s:i, s:i, s:I, s:I, s:I, s:s, s:b}", "file", a.pos[0], "backend",
		    r.backend, "schema_version", r.from_schema, "upgraded_to", r.schema,
		    "audit_head", (json_int_t)r.head_seq, "records", (json_int_t)r.records,
		    "artifacts", (json_int_t)r.artifacts, "master_key", r.key, "drill", drill));
	printf("%s %s: %s database at schema version %d (now %d), %zu artifacts, %s; "
	       "audit trail intact: %lld records%s\n",
	       drill ? "restore drill passed for" : "restored", a.pos[0], r.backend, r.from_schema,
	       r.schema, r.artifacts, r.key, (long long)r.records,
	       drill ? "; recorded as backup.drill" : "");
	return CLI_OK;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	return cmd_backup_fn(c, argc, argv);
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	return cmd_restore_fn(c, argc, argv);
}
