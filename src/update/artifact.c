/*
 * artifact.c - the artifact store: bytes kept once per SHA-256 in a
 * directory or in the database, streamed in and out (never whole in
 * memory), and the check of target names.
 *
 * Directory backend: <dir>/<sha[0..1]>/<sha>, written as a temporary file
 * in the same directory, fsynced and renamed into place (then the directory
 * is fsynced), so a file under its final name is always whole.
 * Database backend: table artifact_chunks, ARTIFACT_CHUNK bytes a row,
 * inserted in the caller's transaction; read back one chunk at a time.
 * Which backend holds a blob is recorded in artifact_blobs, so changing
 * update.artifact_store later still finds the old ones.
 */
#define _GNU_SOURCE
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "http/http.h"
#include "store/store.h"
#include "update/release.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#define IO_BLOCK (1024 * 1024)

/* ---- configuration ---- */

int artifact_config(struct store *s, char backend[8], char *dir, size_t dirsz, struct vg_error *err)
{
	const char *b = vg_config_get("update.artifact_store", "dir");
	const char *d = vg_config_get("update.artifact_dir", NULL);

	if (strcmp(b, "dir") != 0 && strcmp(b, "db") != 0)
		return vg_error_set(err, VG_EUSAGE,
				    "setting update.artifact_store '%s': expected dir or db", b);
	snprintf(backend, 8, "%s", b);
	if (dir && dirsz)
		dir[0] = '\0';
	if (strcmp(b, "db") == 0 || !dir)
		return VG_OK;
	if (d && *d) {
		if ((size_t)snprintf(dir, dirsz, "%s", d) >= dirsz)
			return vg_error_set(err, VG_EUSAGE,
					    "setting update.artifact_dir: too long");
		return VG_OK;
	}
	if (store_kind(s) == STORE_SQLITE && strcmp(store_url_safe(s), ":memory:") != 0) {
		if ((size_t)snprintf(dir, dirsz, "%s.artifacts", store_url_safe(s)) >= dirsz)
			return vg_error_set(err, VG_EUSAGE, "the database path is too long");
		return VG_OK;
	}
	return vg_error_set(err, VG_EUSAGE,
			    "artifacts: set update.artifact_dir (a directory every server "
			    "shares) or update.artifact_store=db (artifacts in the database); "
			    "a directory next to the database is only the default with SQLite");
}

static int blob_path(const char *dir, const char *sha, char *out, size_t n)
{
	return (size_t)snprintf(out, n, "%s/%.2s/%s", dir, sha, sha) < n ? 0 : -1;
}

/* ---- reading a source ---- */

static long src_read(const struct artifact_src *src, uint64_t pos, char *buf, size_t max)
{
	if (pos >= src->len)
		return 0;
	if (max > src->len - pos)
		max = (size_t)(src->len - pos);
	if (src->fd < 0) {
		memcpy(buf, src->mem + pos, max);
		return (long)max;
	}
	for (;;) {
		ssize_t r = pread(src->fd, buf, max, (off_t)pos);
		if (r < 0 && errno == EINTR)
			continue;
		return r > 0 ? (long)r : -1;
	}
}

static void hex_digest(EVP_MD_CTX *md, char sha[65])
{
	unsigned char d[32];
	unsigned int dl = 0;
	EVP_DigestFinal_ex(md, d, &dl);
	vg_hex(d, 32, sha);
}

int artifact_hash_src(const struct artifact_src *src, char sha[65], struct vg_error *err)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *buf = malloc(IO_BLOCK);
	uint64_t pos = 0;
	int rc = VG_OK;

	if (!md || !buf || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	while (pos < src->len) {
		long n = src_read(src, pos, buf, IO_BLOCK);
		if (n <= 0) {
			rc = vg_error_set(err, VG_EIO, "%s: cannot read at byte %llu: %s",
					  src->what, (unsigned long long)pos, strerror(errno));
			goto out;
		}
		EVP_DigestUpdate(md, buf, (size_t)n);
		pos += (uint64_t)n;
	}
	hex_digest(md, sha);
out:
	EVP_MD_CTX_free(md);
	free(buf);
	return rc;
}

/* ---- writing ---- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int mkdirs(const char *path)
{
	char tmp[1024];
	size_t n = strlen(path);
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0750) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0750) && errno != EEXIST)
		return -1;
	return 0;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Copy src into dir/<sha> through a temporary file, hashing again. */
static int put_dir(const char *dir, const struct artifact_src *src, const char *sha, int *created,
		   struct vg_error *err)
{
	char path[1200], sub[1100], tmp[1300], again[65];
	EVP_MD_CTX *md = NULL;
	char *buf = NULL;
	uint64_t pos = 0;
	int fd = -1, rc = VG_OK;

	if (blob_path(dir, sha, path, sizeof(path)) ||
	    (size_t)snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha) >= sizeof(sub))
		return vg_error_set(err, VG_EUSAGE, "setting update.artifact_dir: too long");
	if (mkdirs(sub))
		return vg_error_set(err, VG_EIO,
				    "artifact directory %s (setting update.artifact_dir): cannot "
				    "create it: %s",
				    sub, strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-XXXXXX", sub, sha);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "artifact directory %s: cannot write there: %s",
				    sub, strerror(errno));
	md = EVP_MD_CTX_new();
	buf = malloc(IO_BLOCK);
	if (!md || !buf || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto fail;
	}
	while (pos < src->len) {
		long n = src_read(src, pos, buf, IO_BLOCK);
		if (n <= 0) {
			rc = vg_error_set(err, VG_EIO, "%s: cannot read at byte %llu", src->what,
					  (unsigned long long)pos);
			goto fail;
		}
		EVP_DigestUpdate(md, buf, (size_t)n);
		if (write_all(fd, buf, (size_t)n)) {
			rc = vg_error_set(err, VG_EIO, "artifact file %s: cannot write: %s", tmp,
					  strerror(errno));
			goto fail;
		}
		pos += (uint64_t)n;
	}
	hex_digest(md, again);
	if (strcmp(again, sha) != 0) {
		rc = vg_error_set(err, VG_EIO,
				  "%s changed while it was stored (SHA-256 %s, then %s): nothing "
				  "stored",
				  src->what, sha, again);
		goto fail;
	}
	if (fsync(fd) || close(fd)) {
		fd = -1;
		rc = vg_error_set(err, VG_EIO, "artifact file %s: cannot sync: %s", tmp,
				  strerror(errno));
		goto fail;
	}
	fd = -1;
	if (chmod(tmp, 0440) || rename(tmp, path)) {
		rc = vg_error_set(err, VG_EIO, "artifact file %s: cannot put in place: %s", path,
				  strerror(errno));
		goto fail;
	}
	fsync_dir(sub);
	*created = 1;
	EVP_MD_CTX_free(md);
	free(buf);
	return VG_OK;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	EVP_MD_CTX_free(md);
	free(buf);
	return rc;
}

/* Insert src's chunks under sha (caller's transaction), hashing again. */
static int put_db(struct store *s, const struct artifact_src *src, const char *sha, int64_t *chunks,
		  struct vg_error *err)
{
	char again[65];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *buf = malloc(ARTIFACT_CHUNK);
	uint64_t pos = 0;
	int64_t seq = 0;
	int rc = VG_OK;

	if (!md || !buf || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = store_exec(s, err, "DELETE FROM artifact_chunks WHERE sha256 = ?", "t", sha);
	while (!rc && pos < src->len) {
		size_t got = 0;
		/* a whole chunk (pread may return less) */
		while (got < ARTIFACT_CHUNK && pos + got < src->len) {
			long n = src_read(src, pos + got, buf + got, ARTIFACT_CHUNK - got);
			if (n <= 0) {
				rc = vg_error_set(err, VG_EIO, "%s: cannot read at byte %llu",
						  src->what, (unsigned long long)(pos + got));
				goto out;
			}
			got += (size_t)n;
		}
		EVP_DigestUpdate(md, buf, got);
		rc = store_exec_cached(
		    s, err, "INSERT INTO artifact_chunks (sha256, seq, data) VALUES (?, ?, ?)",
		    "tib", sha, seq, buf, got);
		pos += got;
		seq++;
	}
	if (rc)
		goto out;
	hex_digest(md, again);
	if (strcmp(again, sha) != 0)
		rc = vg_error_set(err, VG_EIO,
				  "%s changed while it was stored (SHA-256 %s, then %s): nothing "
				  "stored",
				  src->what, sha, again);
	*chunks = seq;
out:
	EVP_MD_CTX_free(md);
	free(buf);
	return rc;
}

int artifact_put(struct store *s, const struct artifact_src *src, const char *sha,
		 int *created_file, struct vg_error *err)
{
	char backend[8], dir[1024];
	char *have = NULL;
	int64_t chunks = 0;
	int rc;

	*created_file = 0;
	rc = store_query_text(s, &have, err, "SELECT backend FROM artifact_blobs WHERE sha256 = ?",
			      "t", sha);
	if (rc == VG_OK) {
		int keep = 1;
		if (have && strcmp(have, "dir") == 0) {
			/* recorded: the file must still be there */
			char path[1200];
			struct stat st;
			keep = artifact_config(s, backend, dir, sizeof(dir), NULL) == VG_OK &&
			       !blob_path(dir, sha, path, sizeof(path)) && stat(path, &st) == 0;
		}
		free(have);
		if (keep)
			return VG_OK;
		rc = store_exec(s, err, "DELETE FROM artifact_blobs WHERE sha256 = ?", "t", sha);
		if (rc)
			return rc;
	} else if (rc != VG_ENOTFOUND) {
		return rc;
	}
	vg_error_clear(err);
	rc = artifact_config(s, backend, dir, sizeof(dir), err);
	if (rc)
		return rc;
	if (strcmp(backend, "dir") == 0)
		rc = put_dir(dir, src, sha, created_file, err);
	else
		rc = put_db(s, src, sha, &chunks, err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO artifact_blobs (sha256, size, backend, chunks, "
				"created_at) VALUES (?, ?, ?, ?, ?)",
				"titii", sha, (int64_t)src->len, backend, chunks, vg_now());
	return rc;
}

void artifact_unlink_new(struct store *s, const char *sha)
{
	char backend[8], dir[1024], path[1200];
	int64_t kept = 1;
	/* another upload of the same bytes may have committed in the meantime:
	 * its record keeps the file */
	if (store_query_int64(s, &kept, NULL,
			      "SELECT COUNT(*) FROM artifact_blobs WHERE sha256 = ?", "t",
			      sha) == VG_OK &&
	    !kept && artifact_config(s, backend, dir, sizeof(dir), NULL) == VG_OK && dir[0] &&
	    !blob_path(dir, sha, path, sizeof(path)))
		unlink(path);
}

/* ---- reading ---- */

struct artifact_reader {
	char sha[65];
	char backend[8];
	uint64_t size;
	int64_t chunks;
	int fd; /* dir */
	/* db: the chunk held */
	char *chunk;
	size_t chunk_len;
	int64_t chunk_seq;
	/* artifact_reader_map */
	void *map;
	int map_fd;
};

int artifact_open(struct store *s, const char *sha, struct artifact_reader **out,
		  struct vg_error *err)
{
	struct artifact_reader *r;
	struct store_stmt *st = NULL;
	int rc;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	r->fd = -1;
	r->map_fd = -1;
	r->chunk_seq = -1;
	snprintf(r->sha, sizeof(r->sha), "%s", sha);
	rc = store_prepare(s, "SELECT size, backend, chunks FROM artifact_blobs WHERE sha256 = ?",
			   &st, err);
	if (!rc)
		store_bind_text(st, 1, sha);
	if (!rc)
		rc = store_step(st, err);
	if (rc == STORE_ROW) {
		r->size = (uint64_t)store_col_int64(st, 0);
		snprintf(r->backend, sizeof(r->backend), "%s",
			 store_col_text(st, 1) ? store_col_text(st, 1) : "");
		r->chunks = store_col_int64(st, 2);
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND, "artifact %s: not in the artifact store", sha);
	}
	store_finalize(st);
	if (!rc && strcmp(r->backend, "dir") == 0) {
		char backend[8], dir[1024], path[1200];
		rc = artifact_config(s, backend, dir, sizeof(dir), err);
		if (!rc && (!dir[0] || blob_path(dir, sha, path, sizeof(path))))
			rc = vg_error_set(err, VG_EUSAGE,
					  "artifact %s is kept in a directory: set "
					  "update.artifact_dir",
					  sha);
		if (!rc) {
			r->fd = open(path, O_RDONLY | O_CLOEXEC);
			if (r->fd < 0)
				rc = vg_error_set(err, VG_EIO, "artifact %s: cannot open %s: %s",
						  sha, path, strerror(errno));
		}
	} else if (!rc && strcmp(r->backend, "db") != 0) {
		rc =
		    vg_error_set(err, VG_EIO, "artifact %s: unknown backend '%s'", sha, r->backend);
	}
	if (rc) {
		artifact_close(r);
		return rc;
	}
	*out = r;
	return VG_OK;
}

uint64_t artifact_reader_size(const struct artifact_reader *r)
{
	return r->size;
}

const char *artifact_reader_backend(const struct artifact_reader *r)
{
	return r->backend;
}

/* Load chunk seq of a database blob into r->chunk. */
static int load_chunk(struct artifact_reader *r, struct store *db, int64_t seq,
		      struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	if (r->chunk_seq == seq)
		return VG_OK;
	if (!r->chunk) {
		r->chunk = malloc(ARTIFACT_CHUNK);
		if (!r->chunk)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	r->chunk_seq = -1;
	rc = store_prepare_cached(
	    db, "SELECT data FROM artifact_chunks WHERE sha256 = ? AND seq = ?", &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, r->sha);
	store_bind_int64(st, 2, seq);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		size_t n = 0;
		const void *p = store_col_blob(st, 0, &n);
		if (n > ARTIFACT_CHUNK || (!p && n)) {
			rc = vg_error_set(err, VG_EIO, "artifact %s: chunk %lld is damaged", r->sha,
					  (long long)seq);
		} else {
			if (n)
				memcpy(r->chunk, p, n);
			r->chunk_len = n;
			r->chunk_seq = seq;
			rc = VG_OK;
		}
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_EIO, "artifact %s: chunk %lld is missing", r->sha,
				  (long long)seq);
	}
	store_finalize(st);
	return rc;
}

long artifact_read_at(struct artifact_reader *r, struct store *db, uint64_t pos, char *buf,
		      size_t max, struct vg_error *err)
{
	if (pos >= r->size || !max)
		return 0;
	if (max > r->size - pos)
		max = (size_t)(r->size - pos);
	if (r->fd >= 0) {
		for (;;) {
			ssize_t n = pread(r->fd, buf, max, (off_t)pos);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				vg_error_set(err, VG_EIO, "artifact %s: cannot read at byte %llu%s",
					     r->sha, (unsigned long long)pos,
					     n == 0 ? ": the file is shorter than recorded" : "");
				return -1;
			}
			return (long)n;
		}
	}
	{
		int64_t seq = (int64_t)(pos / ARTIFACT_CHUNK);
		size_t off = (size_t)(pos % ARTIFACT_CHUNK);
		if (load_chunk(r, db, seq, err))
			return -1;
		if (off >= r->chunk_len) {
			vg_error_set(err, VG_EIO,
				     "artifact %s: chunk %lld is shorter than recorded", r->sha,
				     (long long)seq);
			return -1;
		}
		if (max > r->chunk_len - off)
			max = r->chunk_len - off;
		memcpy(buf, r->chunk + off, max);
		return (long)max;
	}
}

int artifact_reader_hash(struct artifact_reader *r, struct store *db, char sha[65],
			 struct vg_error *err)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *buf = malloc(IO_BLOCK);
	uint64_t pos = 0;
	int rc = VG_OK;

	if (!md || !buf || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	while (pos < r->size) {
		long n = artifact_read_at(r, db, pos, buf, IO_BLOCK, err);
		if (n <= 0) {
			rc = err && err->code ? err->code : VG_EIO;
			goto out;
		}
		EVP_DigestUpdate(md, buf, (size_t)n);
		pos += (uint64_t)n;
	}
	if (r->fd >= 0) {
		/* a file grown after upload is not the artifact either */
		char extra;
		if (pread(r->fd, &extra, 1, (off_t)r->size) == 1) {
			rc = vg_error_set(err, VG_EIO,
					  "artifact %s: the file is longer than recorded", r->sha);
			goto out;
		}
	}
	hex_digest(md, sha);
out:
	EVP_MD_CTX_free(md);
	free(buf);
	return rc;
}

int artifact_reader_map(struct artifact_reader *r, struct store *db, const void **p,
			struct vg_error *err)
{
	static const char empty[1];
	int fd = r->fd;

	if (r->map) {
		*p = r->map;
		return VG_OK;
	}
	if (!r->size) {
		*p = empty;
		return VG_OK;
	}
	if (fd < 0) {
		/* the database backend: the chunks into a temporary file */
		const char *tmp = vg_config_get("server.tmp_dir", getenv("TMPDIR"));
		char *buf = malloc(IO_BLOCK);
		uint64_t pos = 0;
		if (!tmp || !*tmp)
			tmp = "/tmp";
		if (!buf)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		fd = open(tmp, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd < 0) {
			free(buf);
			return vg_error_set(err, VG_EIO, "a temporary file in %s: %s", tmp,
					    strerror(errno));
		}
		while (pos < r->size) {
			long n = artifact_read_at(r, db, pos, buf, IO_BLOCK, err);
			if (n <= 0 || write_all(fd, buf, (size_t)n)) {
				free(buf);
				close(fd);
				return n <= 0
					   ? (err && err->code ? err->code : VG_EIO)
					   : vg_error_set(err, VG_EIO, "a temporary file in %s: %s",
							  tmp, strerror(errno));
			}
			pos += (uint64_t)n;
		}
		free(buf);
		r->map_fd = fd;
	}
	r->map = mmap(NULL, (size_t)r->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return vg_error_set(err, VG_EIO, "artifact %s: cannot map it: %s", r->sha,
				    strerror(errno));
	}
	*p = r->map;
	return VG_OK;
}

void artifact_close(struct artifact_reader *r)
{
	if (!r)
		return;
	if (r->map)
		munmap(r->map, (size_t)r->size);
	if (r->map_fd >= 0)
		close(r->map_fd);
	if (r->fd >= 0)
		close(r->fd);
	free(r->chunk);
	free(r);
}

/* ---- sending ---- */

static long stream_read(void *arg, struct store *db, uint64_t pos, char *buf, size_t max)
{
	return artifact_read_at(arg, db, pos, buf, max, NULL);
}

static void stream_release(void *arg)
{
	artifact_close(arg);
}

int artifact_send(struct artifact_reader *r, struct http_resp *resp, const char *ctype,
		  struct vg_error *err)
{
	return artifact_send_part(r, resp, 200, ctype, 0, r->size, err);
}

int artifact_send_part(struct artifact_reader *r, struct http_resp *resp, int status,
		       const char *ctype, uint64_t offset, uint64_t len, struct vg_error *err)
{
	struct http_stream st = {0};
	if (offset > r->size || len > r->size - offset) {
		artifact_close(r);
		return vg_error_set(err, VG_EINVAL, "bytes %llu+%llu: outside the artifact",
				    (unsigned long long)offset, (unsigned long long)len);
	}
	st.size = len;
	st.offset = offset;
	st.fd = -1;
	if (r->fd >= 0) {
		/* the file itself, by the kernel; the server closes it */
		st.fd = r->fd;
		r->fd = -1;
		st.release = stream_release;
		st.arg = r;
	} else {
		st.read = stream_read;
		st.release = stream_release;
		st.arg = r;
	}
	if (http_stream(resp, status, ctype, &st))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return VG_OK;
}

/* ---- target names ---- */

int artifact_name_check(const char *name, struct vg_error *err)
{
	const char *p, *seg;
	int rc = vg_text_check("artifact name", name, ARTIFACT_NAME_MAX, 0, 1, err);
	if (rc)
		return rc;
	if (name[0] == '/')
		return vg_error_set(err, VG_EINVAL,
				    "artifact name '%s': expected a relative path, not an "
				    "absolute one",
				    name);
	if (strchr(name, '\\') || strchr(name, '\t'))
		return vg_error_set(err, VG_EINVAL,
				    "artifact name '%s': backslashes and tabs are not allowed",
				    name);
	for (seg = p = name;; p++) {
		if (*p == '/' || *p == '\0') {
			size_t n = (size_t)(p - seg);
			if (n == 0)
				return vg_error_set(err, VG_EINVAL,
						    "artifact name '%s': an empty path segment "
						    "(expected NAME or DIR/NAME)",
						    name);
			if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return vg_error_set(err, VG_EINVAL,
						    "artifact name '%s': '.' and '..' segments are "
						    "not allowed",
						    name);
			if (!*p)
				break;
			seg = p + 1;
		}
	}
	return VG_OK;
}

/* ---- removal (the log store's retention, src/evidence/) ---- */

int artifact_remove(struct store *s, const char *sha, char *unlink_path, size_t n,
		    struct vg_error *err)
{
	char backend[8], dir[1024];
	int rc;
	if (unlink_path && n)
		unlink_path[0] = '\0';
	rc = store_exec(s, err, "DELETE FROM artifact_chunks WHERE sha256 = ?", "t", sha);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM artifact_blobs WHERE sha256 = ?", "t", sha);
	if (!rc && unlink_path && n &&
	    artifact_config(s, backend, dir, sizeof(dir), NULL) == VG_OK && dir[0] &&
	    blob_path(dir, sha, unlink_path, n))
		unlink_path[0] = '\0';
	return rc;
}
