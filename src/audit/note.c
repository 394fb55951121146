/*
 * note.c - Ed25519 keys (OpenSSL), signed notes and checkpoint bodies.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/note.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#define DASH "\xe2\x80\x94 " /* U+2014 EM DASH, then a space */

int note_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0, i = 0;
	uint32_t cp;

	if (!n || n >= NOTE_NAME_MAX)
		return 0;
	while (i < n) {
		size_t l = vg_utf8_decode(name + i, n - i, &cp);
		if (!l || cp == '+' || cp <= 0x20 || cp == 0x7f || cp == 0x85 || cp == 0xa0 ||
		    cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000)
			return 0;
		i += l;
	}
	return 1;
}

uint32_t note_key_id(const char *name, const uint8_t pub[NOTE_ED25519_PUB])
{
	size_t nl = strlen(name);
	uint8_t *b = malloc(nl + 2 + NOTE_ED25519_PUB), h[VG_SHA256_LEN];

	if (!b)
		return 0;
	memcpy(b, name, nl);
	b[nl] = '\n';
	b[nl + 1] = 0x01;
	memcpy(b + nl + 2, pub, NOTE_ED25519_PUB);
	vg_sha256(b, nl + 2 + NOTE_ED25519_PUB, h);
	free(b);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

static int b64v(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

uint8_t *note_b64_decode(const char *s, size_t n, size_t *outlen)
{
	uint8_t *out;
	size_t i, o = 0;

	if (n % 4)
		return NULL;
	out = malloc(n / 4 * 3 + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n; i += 4) {
		int v[4], k, pad = 0;
		for (k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)s[i + k];
			if (c == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad) /* a character after '=' */
				goto bad;
			v[k] = b64v(c);
			if (v[k] < 0)
				goto bad;
		}
		if (pad == 1 && s[i + 2] == '=')
			goto bad;
		/* the unused bits must be zero (Go's StdEncoding is strict) */
		if ((pad == 2 && (v[1] & 0x0f)) || (pad == 1 && (v[2] & 0x03)))
			goto bad;
		out[o++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[o++] = (uint8_t)((v[1] & 0x0f) << 4 | v[2] >> 2);
		if (pad < 1)
			out[o++] = (uint8_t)((v[2] & 0x03) << 6 | v[3]);
	}
	*outlen = o;
	return out;
bad:
	free(out);
	return NULL;
}

/* Split "a+b+rest" at the first two '+' (the base64 may contain '+'). */
static int split_key(const char *k, const char **name, size_t *nlen, const char **hex,
		     const char **b64)
{
	const char *p1 = strchr(k, '+'), *p2;
	if (!p1)
		return -1;
	p2 = strchr(p1 + 1, '+');
	if (!p2)
		return -1;
	*name = k;
	*nlen = (size_t)(p1 - k);
	*hex = p1 + 1;
	*b64 = p2 + 1;
	return p2 - p1 - 1 == 8 ? 0 : -1;
}

static int parse_hex32(const char *h, uint32_t *out)
{
	uint32_t v = 0;
	int i;
	for (i = 0; i < 8; i++) {
		char c = h[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Parse name+hex8+base64(0x01||32 bytes) into name, id and the 32 key bytes. */
static int parse_key(const char *what, const char *k, char name[NOTE_NAME_MAX], uint32_t *id,
		     uint8_t key[32], struct vg_error *err)
{
	const char *nm, *hex, *b64;
	size_t nl, bl = 0;
	uint8_t *b;

	if (split_key(k, &nm, &nl, &hex, &b64))
		return vg_error_set(err, VG_EPARSE, "%s: expected name+hash+key", what);
	if (nl == 0 || nl >= NOTE_NAME_MAX)
		return vg_error_set(err, VG_EPARSE, "%s: bad key name", what);
	memcpy(name, nm, nl);
	name[nl] = '\0';
	if (!note_name_valid(name))
		return vg_error_set(err, VG_EPARSE, "%s: bad key name", what);
	if (parse_hex32(hex, id))
		return vg_error_set(err, VG_EPARSE, "%s: key hash is not 8 hex digits", what);
	b = note_b64_decode(b64, strlen(b64), &bl);
	if (!b)
		return vg_error_set(err, VG_EPARSE, "%s: key is not base64", what);
	if (bl != 33 || b[0] != 0x01) {
		int alg = bl ? b[0] : -1;
		free(b);
		return vg_error_set(err, VG_EPARSE,
				    bl != 33 && alg == 1 ? "%s: wrong key length"
							 : "%s: unknown key algorithm",
				    what);
	}
	memcpy(key, b + 1, 32);
	vg_wipe(b, bl);
	free(b);
	return VG_OK;
}

int note_vkey_parse(const char *vkey, struct note_verifier *out, struct vg_error *err)
{
	int rc = parse_key("verifier key", vkey, out->name, &out->id, out->pub, err);
	if (rc)
		return rc;
	if (note_key_id(out->name, out->pub) != out->id)
		return vg_error_set(err, VG_EPARSE,
				    "verifier key: key hash does not match the name and key");
	return VG_OK;
}

char *note_vkey(const char *name, const uint8_t pub[NOTE_ED25519_PUB])
{
	uint8_t k[33];
	char *b64, *out;
	size_t n;

	k[0] = 0x01;
	memcpy(k + 1, pub, 32);
	b64 = vg_base64_encode(k, sizeof(k));
	if (!b64)
		return NULL;
	n = strlen(name) + strlen(b64) + 12;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s+%08x+%s", name, note_key_id(name, pub), b64);
	free(b64);
	return out;
}

void note_signer_verifier(const struct note_signer *s, struct note_verifier *out)
{
	memcpy(out->name, s->name, sizeof(out->name));
	out->id = s->id;
	memcpy(out->pub, s->pub, sizeof(out->pub));
}

static int ed25519_sign(void *ctx, const void *msg, size_t n, uint8_t sig[NOTE_ED25519_SIG],
			struct vg_error *err)
{
	const uint8_t *seed = ctx;
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	size_t sl = NOTE_ED25519_SIG;
	int ok = k && m && EVP_DigestSignInit(m, NULL, NULL, NULL, k) == 1 &&
		 EVP_DigestSign(m, sig, &sl, msg, n) == 1 && sl == NOTE_ED25519_SIG;

	EVP_MD_CTX_free(m);
	EVP_PKEY_free(k);
	return ok ? VG_OK : vg_error_set(err, VG_EINTERNAL, "Ed25519 signing failed");
}

static void seed_release(void *ctx)
{
	vg_wipe(ctx, 32);
	free(ctx);
}

static int signer_from_seed(const char *name, const uint8_t seed[32], struct note_signer *out,
			    struct vg_error *err)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	size_t pl = 32;
	uint8_t *ctx;

	memset(out, 0, sizeof(*out));
	if (!k || EVP_PKEY_get_raw_public_key(k, out->pub, &pl) != 1 || pl != 32) {
		EVP_PKEY_free(k);
		return vg_error_set(err, VG_EINTERNAL, "Ed25519: cannot derive the public key");
	}
	EVP_PKEY_free(k);
	ctx = malloc(32);
	if (!ctx)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	memcpy(ctx, seed, 32);
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->id = note_key_id(name, out->pub);
	out->sign = ed25519_sign;
	out->ctx = ctx;
	out->release = seed_release;
	return VG_OK;
}

int note_signer_from_skey(const char *skey, struct note_signer *out, struct vg_error *err)
{
	char name[NOTE_NAME_MAX];
	uint8_t seed[32];
	uint32_t id;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strncmp(skey, "PRIVATE+KEY+", 12) != 0)
		return vg_error_set(err, VG_EPARSE,
				    "signer key: expected PRIVATE+KEY+name+hash+key");
	rc = parse_key("signer key", skey + 12, name, &id, seed, err);
	if (rc)
		return rc;
	rc = signer_from_seed(name, seed, out, err);
	vg_wipe(seed, sizeof(seed));
	if (rc)
		return rc;
	if (out->id != id) {
		note_signer_release(out);
		return vg_error_set(err, VG_EPARSE,
				    "signer key: key hash does not match the name and key");
	}
	return VG_OK;
}

int note_skey_generate(const char *name, char **skey, struct vg_error *err)
{
	uint8_t k[33];
	struct note_signer s;
	char *b64;
	size_t n;
	int rc;

	*skey = NULL;
	if (!note_name_valid(name))
		return vg_error_set(err, VG_EINVAL, "key name %s: expected no spaces and no '+'",
				    name);
	k[0] = 0x01;
	if (vg_random(k + 1, 32))
		return vg_error_set(err, VG_EINTERNAL, "no randomness for a key");
	rc = signer_from_seed(name, k + 1, &s, err);
	if (rc) {
		vg_wipe(k, sizeof(k));
		return rc;
	}
	b64 = vg_base64_encode(k, sizeof(k));
	vg_wipe(k, sizeof(k));
	if (!b64) {
		note_signer_release(&s);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	n = strlen(name) + strlen(b64) + 32;
	*skey = malloc(n);
	if (*skey)
		snprintf(*skey, n, "PRIVATE+KEY+%s+%08x+%s", name, s.id, b64);
	vg_wipe(b64, strlen(b64));
	free(b64);
	note_signer_release(&s);
	return *skey ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

void note_signer_release(struct note_signer *s)
{
	if (!s)
		return;
	if (s->release && s->ctx)
		s->release(s->ctx);
	s->ctx = NULL;
	s->release = NULL;
}

int note_ed25519_verify(const uint8_t pub[NOTE_ED25519_PUB], const void *msg, size_t n,
			const uint8_t *sig, size_t siglen)
{
	EVP_PKEY *k;
	EVP_MD_CTX *m;
	int ok;

	if (siglen != NOTE_ED25519_SIG)
		return 0;
	k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	m = EVP_MD_CTX_new();
	ok = k && m && EVP_DigestVerifyInit(m, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestVerify(m, sig, siglen, msg, n) == 1;
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(k);
	return ok;
}

const char *note_key_file_path(void)
{
	static char def[4096];
	const char *f = vg_config_get("audit.key_file", NULL), *db;

	if (f && *f)
		return f;
	db = vg_config_get("database.url", "./var/vigil.db");
	if (db && strncmp(db, "sqlite:", 7) == 0)
		db += 7;
	if (db && *db && strncmp(db, "postgres", 8) != 0 && strcmp(db, ":memory:") != 0)
		snprintf(def, sizeof(def), "%s.checkpoint.key", db);
	else
		snprintf(def, sizeof(def), "./var/checkpoint.key");
	return def;
}

int note_key_file_load(const char *path, struct note_signer *out, struct vg_error *err)
{
	char buf[1024];
	ssize_t n;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
				    "checkpoint key %s: %s%s", path, strerror(errno),
				    errno == ENOENT ? " (make one with `vigil audit key init`)"
						    : "");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vg_error_set(err, VG_EIO, "checkpoint key %s: not a regular file", path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return vg_error_set(err, VG_EIO,
				    "checkpoint key %s: readable by others (mode %o); chmod 600 it",
				    path, (unsigned)(st.st_mode & 0777));
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || (size_t)n >= sizeof(buf) - 1) {
		vg_wipe(buf, sizeof(buf));
		return vg_error_set(err, VG_EIO, "checkpoint key %s: cannot read one key line",
				    path);
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	rc = note_signer_from_skey(buf, out, err);
	vg_wipe(buf, sizeof(buf));
	if (rc)
		return vg_error_set(err, rc, "checkpoint key %s: %s", path, vg_error_msg(err));
	return VG_OK;
}

int note_key_file_create(const char *path, const char *name, struct vg_error *err)
{
	char *skey = NULL, tmp[4200], dir[4096], *slash;
	int fd, rc;
	size_t len;
	ssize_t w;

	if (access(path, F_OK) == 0)
		return vg_error_set(err, VG_EEXIST, "checkpoint key %s exists already", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0700);
	}
	rc = note_skey_generate(name, &skey, err);
	if (rc)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		vg_wipe(skey, strlen(skey));
		free(skey);
		return vg_error_set(err, VG_EIO, "checkpoint key %s: %s", tmp, strerror(errno));
	}
	len = strlen(skey);
	skey[len] = '\n';
	w = write(fd, skey, len + 1);
	vg_wipe(skey, len + 1);
	free(skey);
	if (w != (ssize_t)(len + 1) || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return vg_error_set(err, VG_EIO, "checkpoint key %s: cannot write", tmp);
	}
	close(fd);
	/* link, not rename: never replace a key that appeared meanwhile */
	if (link(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return vg_error_set(err, e == EEXIST ? VG_EEXIST : VG_EIO, "checkpoint key %s: %s",
				    path, strerror(e));
	}
	unlink(tmp);
	return VG_OK;
}

int note_sign(const char *text, const struct note_signer *const *signers, size_t nsigners,
	      char **out, struct vg_error *err)
{
	size_t tl = strlen(text), cap, len, i;
	char *buf;

	*out = NULL;
	if (!tl || text[tl - 1] != '\n')
		return vg_error_set(err, VG_EINVAL, "note text must end in a newline");
	if (!nsigners)
		return vg_error_set(err, VG_EINVAL, "a note needs a signer");
	cap = tl + 1 + nsigners * (NOTE_NAME_MAX + 140) + 1;
	buf = malloc(cap);
	if (!buf)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	memcpy(buf, text, tl);
	buf[tl] = '\n';
	len = tl + 1;
	for (i = 0; i < nsigners; i++) {
		const struct note_signer *s = signers[i];
		uint8_t sig[4 + NOTE_ED25519_SIG];
		char *b64;
		int rc;

		if (!note_name_valid(s->name)) {
			free(buf);
			return vg_error_set(err, VG_EINVAL, "bad key name %s", s->name);
		}
		sig[0] = (uint8_t)(s->id >> 24);
		sig[1] = (uint8_t)(s->id >> 16);
		sig[2] = (uint8_t)(s->id >> 8);
		sig[3] = (uint8_t)s->id;
		rc = s->sign(s->ctx, text, tl, sig + 4, err);
		if (rc) {
			free(buf);
			return rc;
		}
		b64 = vg_base64_encode(sig, sizeof(sig));
		if (!b64) {
			free(buf);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		len += (size_t)snprintf(buf + len, cap - len, DASH "%s %s\n", s->name, b64);
		free(b64);
	}
	*out = buf;
	return VG_OK;
}

void note_release(struct note *n)
{
	if (!n)
		return;
	free(n->text);
	free(n->sigs);
	memset(n, 0, sizeof(*n));
}

int note_parse(const void *msg, size_t n, struct note *out, struct vg_error *err)
{
	const char *m = msg, *sigs, *end, *p;
	size_t i, split = 0, found = 0, nl = strlen(DASH);

	memset(out, 0, sizeof(*out));
	if (n > NOTE_MAX_SIZE)
		return vg_error_set(err, VG_EPARSE, "note: longer than %d bytes", NOTE_MAX_SIZE);
	for (i = 0; i < n;) {
		uint32_t cp;
		size_t l = vg_utf8_decode(m + i, n - i, &cp);
		if (!l)
			return vg_error_set(err, VG_EPARSE, "note: invalid UTF-8 at byte %zu", i);
		if (cp < 0x20 && cp != '\n')
			return vg_error_set(err, VG_EPARSE, "note: control character at byte %zu",
					    i);
		i += l;
	}
	for (i = n; i >= 2; i--)
		if (m[i - 1] == '\n' && m[i - 2] == '\n') {
			split = i - 2;
			found = 1;
			break;
		}
	if (!found)
		return vg_error_set(err, VG_EPARSE, "note: no blank line before the signatures");
	sigs = m + split + 2;
	end = m + n;
	if (sigs == end || end[-1] != '\n')
		return vg_error_set(err, VG_EPARSE,
				    sigs == end ? "note: no signature lines"
						: "note: the last signature line has no newline");
	out->text = malloc(split + 2);
	out->sigs = calloc(NOTE_MAX_SIGS, sizeof(*out->sigs));
	if (!out->text || !out->sigs) {
		note_release(out);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	memcpy(out->text, m, split + 1);
	out->text[split + 1] = '\0';
	out->text_len = split + 1;
	for (p = sigs; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *sp, *b64;
		struct note_sig *s;
		uint8_t *raw;
		size_t rl = 0, namel;

		if (out->nsigs == NOTE_MAX_SIGS) {
			note_release(out);
			return vg_error_set(err, VG_EPARSE, "note: more than %d signatures",
					    NOTE_MAX_SIGS);
		}
		if ((size_t)(eol - p) < nl || memcmp(p, DASH, nl) != 0) {
			note_release(out);
			return vg_error_set(err, VG_EPARSE,
					    "note: signature line %zu does not start with "
					    "\"\xe2\x80\x94 \"",
					    out->nsigs + 1);
		}
		p += nl;
		sp = memchr(p, ' ', (size_t)(eol - p));
		namel = sp ? (size_t)(sp - p) : 0;
		s = &out->sigs[out->nsigs];
		if (!sp || !namel || namel >= NOTE_NAME_MAX) {
			note_release(out);
			return vg_error_set(err, VG_EPARSE,
					    "note: signature line %zu: bad key name",
					    out->nsigs + 1);
		}
		memcpy(s->name, p, namel);
		s->name[namel] = '\0';
		b64 = sp + 1;
		raw = note_b64_decode(b64, (size_t)(eol - b64), &rl);
		if (!note_name_valid(s->name) || !raw || rl < 5 || rl > 4 + sizeof(s->sig)) {
			free(raw);
			note_release(out);
			return vg_error_set(err, VG_EPARSE,
					    "note: signature line %zu: expected a key name and "
					    "base64 of a key hash and signature",
					    out->nsigs + 1);
		}
		s->id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 |
			raw[3];
		memcpy(s->sig, raw + 4, rl - 4);
		s->siglen = rl - 4;
		free(raw);
		out->nsigs++;
		p = eol + 1;
	}
	return VG_OK;
}

int note_open(const void *msg, size_t n, const struct note_verifier *v, size_t nv, struct note *out,
	      struct vg_error *err)
{
	size_t i, j, verified = 0;
	int rc = note_parse(msg, n, out, err);

	if (rc)
		return rc;
	for (i = 0; i < out->nsigs; i++) {
		struct note_sig *s = &out->sigs[i];
		for (j = 0; j < nv; j++) {
			if (v[j].id != s->id || strcmp(v[j].name, s->name) != 0)
				continue;
			if (!note_ed25519_verify(v[j].pub, out->text, out->text_len, s->sig,
						 s->siglen)) {
				note_release(out);
				return vg_error_set(err, VG_EINVAL,
						    "note: the signature of %s does not verify",
						    v[j].name);
			}
			s->verified = 1;
			verified++;
			break;
		}
	}
	if (!verified) {
		note_release(out);
		return vg_error_set(err, VG_EPERM, "note: no signature by a trusted key");
	}
	return VG_OK;
}

int checkpoint_parse(const char *text, size_t n, struct checkpoint *out, struct vg_error *err)
{
	const char *p = text, *end = text + n, *eol;
	uint8_t *root;
	size_t rl = 0, l;
	uint64_t size = 0;

	memset(out, 0, sizeof(*out));
	eol = memchr(p, '\n', n);
	if (!eol || eol == p || (size_t)(eol - p) >= sizeof(out->origin))
		return vg_error_set(err, VG_EPARSE, "checkpoint: line 1: expected the origin");
	memcpy(out->origin, p, (size_t)(eol - p));
	p = eol + 1;
	eol = memchr(p, '\n', (size_t)(end - p));
	l = eol ? (size_t)(eol - p) : 0;
	if (!eol || !l || l > 20 || (l > 1 && *p == '0'))
		return vg_error_set(err, VG_EPARSE, "checkpoint: line 2: expected the tree size");
	for (; p < eol; p++) {
		if (*p < '0' || *p > '9' || size > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return vg_error_set(err, VG_EPARSE,
					    "checkpoint: line 2: expected the tree size");
		size = size * 10 + (uint64_t)(*p - '0');
	}
	p = eol + 1;
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		return vg_error_set(err, VG_EPARSE, "checkpoint: line 3: expected the root hash");
	root = note_b64_decode(p, (size_t)(eol - p), &rl);
	if (!root || rl != 32) {
		free(root);
		return vg_error_set(err, VG_EPARSE,
				    "checkpoint: line 3: expected base64 of a 32-byte root hash");
	}
	memcpy(out->root, root, 32);
	free(root);
	out->size = size;
	/* extension lines: any non-empty lines */
	for (p = eol + 1; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol || eol == p)
			return vg_error_set(err, VG_EPARSE, "checkpoint: bad extension line");
	}
	return VG_OK;
}

char *checkpoint_text(const struct checkpoint *c)
{
	char *b64 = vg_base64_encode(c->root, 32), *out;
	size_t n;

	if (!b64)
		return NULL;
	n = strlen(c->origin) + strlen(b64) + 32;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s\n%llu\n%s\n", c->origin, (unsigned long long)c->size, b64);
	free(b64);
	return out;
}
