/*
 * bundle.c - signed .tar.zst bundles (libarchive), and their verifier.
 */
#define _POSIX_C_SOURCE 200809L
#include "evidence/bundle.h"
#include "audit/note.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#define SIG_TEXT_PREFIX "vigil-bundle-manifest/1\nsha256 "
#define MANIFEST_MAX    (64u << 20)
#define SIG_MAX         (64u << 10)

struct member {
	char *name;
	char sha[VG_SHA256_HEX];
	uint64_t size;
	int seen; /* verifier: found in the manifest */
};

struct bundle_writer {
	struct archive *a;
	char *path;
	char *tmp;
	struct member *m;
	size_t n, cap;
	int64_t mtime;
};

int bundle_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0, i;
	const char *p;

	if (!n || n > BUNDLE_NAME_MAX || name[0] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f || c == '\\' || c == ':')
			return 0;
	}
	/* every part non-empty, not "." and not ".." */
	for (p = name;;) {
		const char *slash = strchr(p, '/');
		size_t l = slash ? (size_t)(slash - p) : strlen(p);
		if (l == 0 || (l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!slash)
			break;
		p = slash + 1;
	}
	return 1;
}

static int member_find(const struct member *m, size_t n, const char *name)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return (int)i;
	return -1;
}

int bundle_has(const struct bundle_writer *w, const char *name)
{
	return member_find(w->m, w->n, name) >= 0;
}

static int push_member(struct member **m, size_t *n, size_t *cap, const char *name)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct member *g = realloc(*m, nc * sizeof(**m));
		if (!g)
			return VG_ENOMEM;
		*m = g;
		*cap = nc;
	}
	memset(&(*m)[*n], 0, sizeof(**m));
	(*m)[*n].name = strdup(name);
	if (!(*m)[*n].name)
		return VG_ENOMEM;
	(*n)++;
	return VG_OK;
}

static void members_free(struct member *m, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(m[i].name);
	free(m);
}

static void writer_free(struct bundle_writer *w, int remove_tmp)
{
	if (!w)
		return;
	if (w->a) {
		archive_write_close(w->a);
		archive_write_free(w->a);
	}
	if (remove_tmp && w->tmp)
		unlink(w->tmp);
	members_free(w->m, w->n);
	free(w->path);
	free(w->tmp);
	free(w);
}

int bundle_create(const char *path, struct bundle_writer **out, struct vg_error *err)
{
	struct bundle_writer *w = calloc(1, sizeof(*w));
	size_t tl;

	*out = NULL;
	if (!w)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	tl = strlen(path) + 32;
	w->path = strdup(path);
	w->tmp = malloc(tl);
	w->a = archive_write_new();
	if (!w->path || !w->tmp || !w->a) {
		writer_free(w, 0);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	snprintf(w->tmp, tl, "%s.tmp%ld", path, (long)getpid());
	w->mtime = vg_now();
	if (archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
	    archive_write_add_filter_zstd(w->a) != ARCHIVE_OK) {
		vg_error_set(err, VG_EINTERNAL, "bundle %s: libarchive: %s", path,
			     archive_error_string(w->a));
		writer_free(w, 0);
		return VG_EINTERNAL;
	}
	if (archive_write_open_filename(w->a, w->tmp) != ARCHIVE_OK) {
		vg_error_set(err, VG_EIO, "bundle %s: %s", w->tmp, archive_error_string(w->a));
		writer_free(w, 1);
		return VG_EIO;
	}
	*out = w;
	return VG_OK;
}

static int check_new_name(struct bundle_writer *w, const char *name, struct vg_error *err)
{
	if (!bundle_name_valid(name))
		return vg_error_set(err, VG_EINVAL,
				    "bundle member name %s: expected a relative path without "
				    "\"..\", \".\" or empty parts",
				    name ? name : "(null)");
	if (strcmp(name, BUNDLE_MANIFEST) == 0 || strcmp(name, BUNDLE_SIGNATURE) == 0)
		return vg_error_set(err, VG_EINVAL, "bundle member name %s is reserved", name);
	if (bundle_has(w, name))
		return vg_error_set(err, VG_EEXIST, "bundle member %s added twice", name);
	return VG_OK;
}

static int write_header(struct bundle_writer *w, const char *name, uint64_t size,
			struct vg_error *err)
{
	struct archive_entry *e = archive_entry_new();
	int rc;

	if (!e)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, (time_t)w->mtime, 0);
	rc = archive_write_header(w->a, e);
	archive_entry_free(e);
	if (rc != ARCHIVE_OK)
		return vg_error_set(err, VG_EIO, "bundle %s: member %s: %s", w->path, name,
				    archive_error_string(w->a));
	return VG_OK;
}

static int write_data(struct bundle_writer *w, const char *name, const void *data, size_t n,
		      struct vg_error *err)
{
	const char *p = data;
	while (n) {
		la_ssize_t k = archive_write_data(w->a, p, n);
		if (k <= 0)
			return vg_error_set(err, VG_EIO, "bundle %s: member %s: %s", w->path, name,
					    archive_error_string(w->a));
		p += k;
		n -= (size_t)k;
	}
	return VG_OK;
}

static int add_raw(struct bundle_writer *w, const char *name, const void *data, size_t n,
		   int record, struct vg_error *err)
{
	int rc = write_header(w, name, n, err);
	if (!rc)
		rc = write_data(w, name, data, n, err);
	if (!rc && record) {
		if (push_member(&w->m, &w->n, &w->cap, name))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		vg_sha256_hex(data, n, w->m[w->n - 1].sha);
		w->m[w->n - 1].size = n;
	}
	return rc;
}

int bundle_add(struct bundle_writer *w, const char *name, const void *data, size_t n,
	       struct vg_error *err)
{
	int rc = check_new_name(w, name, err);
	if (rc)
		return rc;
	return add_raw(w, name, data ? data : "", n, 1, err);
}

int bundle_add_file(struct bundle_writer *w, const char *name, const char *path,
		    struct vg_error *err)
{
	struct stat st;
	char buf[65536];
	EVP_MD_CTX *md = NULL;
	uint8_t h[32];
	uint64_t left;
	int fd, rc = check_new_name(w, name, err);

	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vg_error_set(err, VG_EIO, "%s: not a regular file", path);
	}
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = write_header(w, name, (uint64_t)st.st_size, err);
	for (left = (uint64_t)st.st_size; !rc && left;) {
		ssize_t k = read(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));
		if (k <= 0) {
			rc = vg_error_set(err, VG_EIO, "%s: %s", path,
					  k < 0 ? strerror(errno) : "shorter than its size");
			break;
		}
		EVP_DigestUpdate(md, buf, (size_t)k);
		rc = write_data(w, name, buf, (size_t)k, err);
		left -= (uint64_t)k;
	}
	if (!rc) {
		if (push_member(&w->m, &w->n, &w->cap, name)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		EVP_DigestFinal_ex(md, h, NULL);
		vg_hex(h, 32, w->m[w->n - 1].sha);
		w->m[w->n - 1].size = (uint64_t)st.st_size;
	}
out:
	EVP_MD_CTX_free(md);
	close(fd);
	return rc;
}

static char *manifest_text(const struct bundle_writer *w, const struct bundle_info *info,
			   const struct note_signer *signer)
{
	char ts[VG_TIME_BUFSZ], gen[64], *vkey = note_vkey(signer->name, signer->pub), *txt;
	json_t *o = json_object(), *files = json_array(), *sg = json_object();
	size_t i;

	snprintf(gen, sizeof(gen), "vigil %s", VIGIL_VERSION);
	if (!o || !files || !sg || !vkey) {
		json_decref(o);
		json_decref(files);
		json_decref(sg);
		free(vkey);
		return NULL;
	}
	json_object_set_new(o, "format", json_string(BUNDLE_FORMAT));
	json_object_set_new(o, "kind", json_string(info && info->kind ? info->kind : "bundle"));
	json_object_set_new(o, "generator",
			    json_string(info && info->generator ? info->generator : gen));
	json_object_set_new(o, "created",
			    json_string(vg_time_format(
				info && info->created ? info->created : vg_now(), ts, sizeof(ts))));
	json_object_set_new(o, "scope",
			    info && info->scope ? json_deep_copy(info->scope) : json_object());
	json_object_set_new(sg, "name", json_string(signer->name));
	json_object_set_new(sg, "vkey", json_string(vkey));
	free(vkey);
	json_object_set_new(o, "signer", sg);
	for (i = 0; i < w->n; i++)
		json_array_append_new(files,
				      json_pack("{s:s, s:s, s:I}", "path", w->m[i].name, "sha256",
						w->m[i].sha, "size", (json_int_t)w->m[i].size));
	json_object_set_new(o, "files", files);
	txt = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return txt;
}

static char *sig_text(const void *manifest, size_t n)
{
	char hex[VG_SHA256_HEX], *t = malloc(sizeof(SIG_TEXT_PREFIX) + VG_SHA256_HEX + 1);
	if (!t)
		return NULL;
	vg_sha256_hex(manifest, n, hex);
	snprintf(t, sizeof(SIG_TEXT_PREFIX) + VG_SHA256_HEX + 1, "%s%s\n", SIG_TEXT_PREFIX, hex);
	return t;
}

int bundle_finish(struct bundle_writer *w, const struct bundle_info *info,
		  const struct note_signer *signer, struct vg_error *err)
{
	const struct note_signer *signers[1] = {signer};
	char *man = NULL, *st = NULL, *note = NULL;
	size_t ml = 0;
	int rc;

	if (!signer) {
		writer_free(w, 1);
		return vg_error_set(err, VG_EINVAL, "a bundle needs a signer");
	}
	man = manifest_text(w, info, signer);
	if (!man) {
		writer_free(w, 1);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	ml = strlen(man);
	man[ml++] = '\n'; /* over the NUL: the text is used by length from here */
	st = sig_text(man, ml);
	rc = st ? note_sign(st, signers, 1, &note, err)
		: vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc)
		rc = add_raw(w, BUNDLE_MANIFEST, man, ml, 0, err);
	if (!rc)
		rc = add_raw(w, BUNDLE_SIGNATURE, note, strlen(note), 0, err);
	free(man);
	free(st);
	free(note);
	if (!rc && archive_write_close(w->a) != ARCHIVE_OK)
		rc = vg_error_set(err, VG_EIO, "bundle %s: %s", w->tmp, archive_error_string(w->a));
	if (!rc && rename(w->tmp, w->path) != 0)
		rc = vg_error_set(err, VG_EIO, "bundle %s: %s", w->path, strerror(errno));
	writer_free(w, rc != VG_OK);
	return rc;
}

void bundle_abort(struct bundle_writer *w)
{
	writer_free(w, 1);
}

/* ---- verifier ---- */

static struct archive *open_reader(const char *path, struct vg_error *err)
{
	struct archive *a = archive_read_new();
	if (!a) {
		vg_error_set(err, VG_ENOMEM, "out of memory");
		return NULL;
	}
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		vg_error_set(err, VG_EAUDIT, "%s: not a readable bundle: %s", path,
			     archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static int verify_sig(const char *man, size_t ml, const char *sig, size_t sl,
		      const struct note_verifier *keys, size_t nkeys, struct bundle_report *rep,
		      json_t *mj, struct vg_error *err)
{
	struct note_verifier own;
	struct note nt;
	struct vg_error e = {0};
	char *want;
	int rc;

	if (!nkeys) {
		const char *vk =
		    json_string_value(json_object_get(json_object_get(mj, "signer"), "vkey"));
		if (!vk || note_vkey_parse(vk, &own, &e))
			return vg_error_set(err, VG_EAUDIT,
					    "%s: no trusted key given and the manifest names no "
					    "valid signer key",
					    BUNDLE_MANIFEST);
		keys = &own;
		nkeys = 1;
		rep->key_from_bundle = 1;
	}
	rc = note_open(sig, sl, keys, nkeys, &nt, &e);
	if (rc)
		return vg_error_set(err, VG_EAUDIT, "%s: %s", BUNDLE_SIGNATURE,
				    rc == VG_EPERM ? "not signed by a trusted key"
						   : vg_error_msg(&e));
	want = sig_text(man, ml);
	rc = want && strcmp(want, nt.text) == 0
		 ? VG_OK
		 : vg_error_set(err, VG_EAUDIT, "%s: the signature is not over this %s",
				BUNDLE_SIGNATURE, BUNDLE_MANIFEST);
	if (!rc) {
		size_t i;
		for (i = 0; i < nt.nsigs; i++)
			if (nt.sigs[i].verified) {
				size_t k;
				snprintf(rep->signer, sizeof(rep->signer), "%s", nt.sigs[i].name);
				for (k = 0; k < nkeys; k++)
					if (keys[k].id == nt.sigs[i].id) {
						char *v = note_vkey(keys[k].name, keys[k].pub);
						snprintf(rep->vkey, sizeof(rep->vkey), "%s",
							 v ? v : "");
						free(v);
					}
				break;
			}
	}
	free(want);
	note_release(&nt);
	return rc;
}

static int check_manifest(json_t *mj, struct member *m, size_t n, struct bundle_report *rep,
			  struct vg_error *err)
{
	json_t *files = json_object_get(mj, "files"), *f;
	size_t i;

	if (!json_is_object(mj) ||
	    strcmp(vg_json_str(mj, "format") ? vg_json_str(mj, "format") : "", BUNDLE_FORMAT) !=
		0 ||
	    !json_is_array(files))
		return vg_error_set(err, VG_EAUDIT, "%s: expected format %s with a files list",
				    BUNDLE_MANIFEST, BUNDLE_FORMAT);
	snprintf(rep->kind, sizeof(rep->kind), "%s",
		 vg_json_str(mj, "kind") ? vg_json_str(mj, "kind") : "");
	snprintf(rep->created, sizeof(rep->created), "%s",
		 vg_json_str(mj, "created") ? vg_json_str(mj, "created") : "");
	json_array_foreach(files, i, f)
	{
		const char *p = vg_json_str(f, "path"), *sha = vg_json_str(f, "sha256");
		json_t *sz = json_object_get(f, "size");
		int k;

		if (!p || !sha || !json_is_integer(sz))
			return vg_error_set(err, VG_EAUDIT,
					    "%s: files[%zu]: expected path, sha256 and size",
					    BUNDLE_MANIFEST, i);
		k = member_find(m, n, p);
		if (k < 0)
			return vg_error_set(err, VG_EAUDIT,
					    "file %s: listed in the manifest but missing", p);
		if (m[k].seen)
			return vg_error_set(err, VG_EAUDIT, "file %s: listed twice in the manifest",
					    p);
		m[k].seen = 1;
		if (strcmp(m[k].sha, sha) != 0)
			return vg_error_set(err, VG_EAUDIT,
					    "file %s: SHA-256 %s differs from the manifest's %s", p,
					    m[k].sha, sha);
		if ((json_int_t)m[k].size != json_integer_value(sz))
			return vg_error_set(err, VG_EAUDIT,
					    "file %s: size differs from the manifest", p);
		rep->bytes += m[k].size;
	}
	for (i = 0; i < n; i++)
		if (!m[i].seen)
			return vg_error_set(err, VG_EAUDIT, "file %s: not listed in the manifest",
					    m[i].name);
	rep->files = n;
	return VG_OK;
}

int bundle_verify(const char *path, const struct note_verifier *keys, size_t nkeys,
		  const struct bundle_limits *limits, struct bundle_report *rep,
		  struct vg_error *err)
{
	uint64_t max_member = limits && limits->max_member ? limits->max_member : (1ull << 30);
	uint64_t max_total = limits && limits->max_total ? limits->max_total : (16ull << 30);
	size_t max_files = limits && limits->max_files ? limits->max_files : 100000;
	struct archive *a;
	struct archive_entry *e;
	struct member *m = NULL;
	size_t n = 0, cap = 0, ml = 0, sl = 0;
	char *man = NULL, *sig = NULL, buf[65536];
	uint64_t total = 0;
	json_t *mj = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int rc = VG_OK, r;

	memset(rep, 0, sizeof(*rep));
	if (!md)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	a = open_reader(path, err);
	if (!a) {
		EVP_MD_CTX_free(md);
		return VG_EAUDIT;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		int is_man, is_sig;
		uint64_t got = 0, declared;
		char **keep = NULL;
		size_t *keepl = NULL, keepcap = 0;
		uint8_t h[32];

		if (!name || !bundle_name_valid(name)) {
			rc = vg_error_set(err, VG_EAUDIT,
					  "member %s: refused: an absolute or upward path",
					  name ? name : "(no name)");
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG) {
			rc = vg_error_set(err, VG_EAUDIT, "member %s: refused: not a regular file",
					  name);
			break;
		}
		is_man = strcmp(name, BUNDLE_MANIFEST) == 0;
		is_sig = strcmp(name, BUNDLE_SIGNATURE) == 0;
		if ((is_man && man) || (is_sig && sig) ||
		    (!is_man && !is_sig && member_find(m, n, name) >= 0)) {
			rc = vg_error_set(err, VG_EAUDIT, "member %s: appears twice", name);
			break;
		}
		if (n >= max_files && !is_man && !is_sig) {
			rc = vg_error_set(err, VG_EAUDIT, "refused: more than %zu members",
					  max_files);
			break;
		}
		declared = archive_entry_size_is_set(e) ? (uint64_t)archive_entry_size(e) : 0;
		if (declared > max_member || (is_man && declared > MANIFEST_MAX) ||
		    (is_sig && declared > SIG_MAX)) {
			rc = vg_error_set(err, VG_EAUDIT, "member %s: refused: larger than allowed",
					  name);
			break;
		}
		if (is_man || is_sig) {
			keep = is_man ? &man : &sig;
			keepl = is_man ? &ml : &sl;
			keepcap = (size_t)declared + 1;
			*keep = malloc(keepcap);
			if (!*keep) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
		}
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		for (;;) {
			la_ssize_t k = archive_read_data(a, buf, sizeof(buf));
			if (k < 0) {
				rc = vg_error_set(err, VG_EAUDIT, "member %s: cannot be read: %s",
						  name, archive_error_string(a));
				break;
			}
			if (k == 0)
				break;
			got += (uint64_t)k;
			total += (uint64_t)k;
			if (got > max_member || got > declared || total > max_total) {
				rc = vg_error_set(err, VG_EAUDIT,
						  "member %s: refused: larger than allowed", name);
				break;
			}
			if (keep) {
				memcpy(*keep + *keepl, buf, (size_t)k);
				*keepl += (size_t)k;
			}
			EVP_DigestUpdate(md, buf, (size_t)k);
		}
		if (rc)
			break;
		if (keep) {
			(*keep)[*keepl] = '\0';
			continue;
		}
		if (push_member(&m, &n, &cap, name)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		EVP_DigestFinal_ex(md, h, NULL);
		vg_hex(h, 32, m[n - 1].sha);
		m[n - 1].size = got;
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = vg_error_set(err, VG_EAUDIT, "%s: not a readable bundle: %s", path,
				  archive_error_string(a));
	archive_read_free(a);
	EVP_MD_CTX_free(md);
	if (!rc && !man)
		rc = vg_error_set(err, VG_EAUDIT, "%s: missing", BUNDLE_MANIFEST);
	if (!rc && !sig)
		rc = vg_error_set(err, VG_EAUDIT, "%s: missing", BUNDLE_SIGNATURE);
	/* with trusted keys, the signature is checked before the manifest is parsed */
	if (!rc && nkeys)
		rc = verify_sig(man, ml, sig, sl, keys, nkeys, rep, NULL, err);
	if (!rc) {
		mj = json_loadb(man, ml, JSON_REJECT_DUPLICATES, NULL);
		if (!mj)
			rc = vg_error_set(err, VG_EAUDIT, "%s: not valid JSON", BUNDLE_MANIFEST);
	}
	if (!rc && !nkeys)
		rc = verify_sig(man, ml, sig, sl, keys, nkeys, rep, mj, err);
	if (!rc)
		rc = check_manifest(mj, m, n, rep, err);
	if (!rc)
		rep->manifest = json_incref(mj);
	json_decref(mj);
	members_free(m, n);
	free(man);
	free(sig);
	return rc;
}

int bundle_read_member(const char *path, const char *name, size_t max, char **data, size_t *n,
		       struct vg_error *err)
{
	struct archive *a = open_reader(path, err);
	struct archive_entry *e;
	int r;

	*data = NULL;
	*n = 0;
	if (!a)
		return VG_EAUDIT;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *nm = archive_entry_pathname(e);
		la_int64_t sz;
		size_t got = 0;
		char *buf;

		if (!nm || strcmp(nm, name) != 0 || archive_entry_filetype(e) != AE_IFREG)
			continue;
		sz = archive_entry_size(e);
		if (sz < 0 || (uint64_t)sz > max) {
			archive_read_free(a);
			return vg_error_set(err, VG_ETOOBIG, "member %s: larger than %zu bytes",
					    name, max);
		}
		buf = malloc((size_t)sz + 1);
		if (!buf) {
			archive_read_free(a);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		for (;;) {
			la_ssize_t k = archive_read_data(a, buf + got, (size_t)sz - got);
			if (k < 0) {
				vg_error_set(err, VG_EAUDIT, "member %s: %s", name,
					     archive_error_string(a));
				free(buf);
				archive_read_free(a);
				return VG_EAUDIT;
			}
			if (k == 0)
				break;
			got += (size_t)k;
			if (got == (size_t)sz)
				break;
		}
		buf[got] = '\0';
		archive_read_free(a);
		*data = buf;
		*n = got;
		return VG_OK;
	}
	archive_read_free(a);
	return vg_error_set(err, VG_ENOTFOUND, "member %s: not in the bundle", name);
}
