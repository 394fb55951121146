#define _DEFAULT_SOURCE
#include "core/secret.h"

#include "core/config.h"
#include "core/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t g_master[VG_SECRET_KEY_LEN];
static int g_loaded;
static char g_default[4096];

const char *vg_secret_key_file(void)
{
	const char *f = vg_config_get("secrets.key_file", NULL);
	const char *db, *home, *xdg;

	if (f && *f)
		return f;
	db = vg_config_get("database.url", "./var/vigil.db");
	if (db && strncmp(db, "sqlite:", 7) == 0)
		db += 7;
	if (db && *db && strncmp(db, "postgres", 8) != 0 && strcmp(db, ":memory:") != 0) {
		snprintf(g_default, sizeof(g_default), "%s.key", db);
		return g_default;
	}
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(g_default, sizeof(g_default), "%s/vigil/secret.key", xdg);
	else
		snprintf(g_default, sizeof(g_default), "%s/.config/vigil/secret.key",
			 home && *home ? home : "/tmp");
	return g_default;
}

static int read_key(const char *path, struct vg_error *err)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return errno == ENOENT
			   ? VG_ENOTFOUND
			   : vg_error_set(err, VG_EIO, "secret key %s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vg_error_set(err, VG_EIO, "secret key %s: not a regular file", path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return vg_error_set(err, VG_EPERM,
				    "secret key %s: readable by group or others (mode %03o); "
				    "chmod 600 it",
				    path, (unsigned)(st.st_mode & 0777));
	}
	n = read(fd, g_master, sizeof(g_master));
	close(fd);
	if (n != (ssize_t)sizeof(g_master)) {
		vg_wipe(g_master, sizeof(g_master));
		return vg_error_set(err, VG_EIO, "secret key %s: expected %zu bytes", path,
				    sizeof(g_master));
	}
	return VG_OK;
}

static int mkdirs(const char *path)
{
	char d[4096];
	char *slash;

	snprintf(d, sizeof(d), "%s", path);
	slash = strrchr(d, '/');
	if (!slash || slash == d)
		return 0;
	*slash = '\0';
	for (char *p = d + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(d, 0700);
			*p = '/';
		}
	return mkdir(d, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* Write a new key to a temporary file and link it into place: when another
 * process won the race, its key is the one read back. */
static int create_key(const char *path, struct vg_error *err)
{
	char tmp[4200];
	uint8_t k[VG_SECRET_KEY_LEN];
	int fd, rc;

	if (mkdirs(path) != 0)
		return vg_error_set(err, VG_EIO, "secret key %s: cannot create its folder: %s",
				    path, strerror(errno));
	if (vg_random(k, sizeof(k)))
		return vg_error_set(err, VG_EINTERNAL, "no secure random numbers");
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "secret key %s: %s", tmp, strerror(errno));
	rc = write(fd, k, sizeof(k)) == (ssize_t)sizeof(k) && fsync(fd) == 0 ? 0 : -1;
	vg_wipe(k, sizeof(k));
	if (close(fd) != 0)
		rc = -1;
	if (rc != 0) {
		unlink(tmp);
		return vg_error_set(err, VG_EIO, "secret key %s: cannot write", tmp);
	}
	if (link(tmp, path) != 0 && errno != EEXIST) {
		int e = errno;
		unlink(tmp);
		return vg_error_set(err, VG_EIO, "secret key %s: %s", path, strerror(e));
	}
	unlink(tmp);
	return read_key(path, err);
}

static int load(struct vg_error *err)
{
	const char *path;
	int rc;

	if (g_loaded)
		return VG_OK;
	path = vg_secret_key_file();
	rc = read_key(path, err);
	if (rc == VG_ENOTFOUND)
		rc = create_key(path, err);
	if (rc == VG_OK)
		g_loaded = 1;
	return rc;
}

int vg_secret_derive(const char *purpose, uint8_t out[VG_SECRET_KEY_LEN], struct vg_error *err)
{
	char label[128];
	int rc, n;

	pthread_mutex_lock(&g_lock);
	rc = load(err);
	if (rc == VG_OK) {
		n = snprintf(label, sizeof(label), "vigil/%s", purpose);
		vg_hmac_sha256(g_master, sizeof(g_master), label, (size_t)n, out);
	}
	pthread_mutex_unlock(&g_lock);
	return rc;
}

int vg_secret_mac_hex(const char *purpose, const void *data, size_t n, char out[65],
		      struct vg_error *err)
{
	uint8_t k[VG_SECRET_KEY_LEN], mac[VG_SHA256_LEN];
	int rc = vg_secret_derive(purpose, k, err);

	if (rc)
		return rc;
	vg_hmac_sha256(k, sizeof(k), data, n, mac);
	vg_wipe(k, sizeof(k));
	vg_hex(mac, sizeof(mac), out);
	return VG_OK;
}

int vg_secret_is_sealed(const char *s)
{
	return s && strncmp(s, VG_SEALED_PREFIX, strlen(VG_SEALED_PREFIX)) == 0;
}

#define NONCE 12
#define TAG   16

int vg_secret_seal(const char *purpose, const char *plain, char **out, struct vg_error *err)
{
	uint8_t k[VG_SECRET_KEY_LEN];
	size_t plen = strlen(plain), total;
	unsigned char *buf = NULL;
	char *b64 = NULL;
	EVP_CIPHER_CTX *c = NULL;
	int len, rc;

	*out = NULL;
	rc = vg_secret_derive(purpose, k, err);
	if (rc)
		return rc;
	if (plen > (1u << 20)) {
		rc = vg_error_set(err, VG_ETOOBIG, "secret longer than 1 MiB");
		goto done;
	}
	total = NONCE + plen + TAG;
	buf = malloc(total);
	c = EVP_CIPHER_CTX_new();
	if (!buf || !c) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto done;
	}
	if (vg_random(buf, NONCE) || EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, k, buf) != 1 ||
	    EVP_EncryptUpdate(c, NULL, &len, (const unsigned char *)purpose,
			      (int)strlen(purpose)) != 1 ||
	    EVP_EncryptUpdate(c, buf + NONCE, &len, (const unsigned char *)plain, (int)plen) != 1 ||
	    EVP_EncryptFinal_ex(c, buf + NONCE + len, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG, buf + NONCE + plen) != 1) {
		rc = vg_error_set(err, VG_EINTERNAL, "cannot seal a secret");
		goto done;
	}
	b64 = vg_base64_encode(buf, total);
	if (!b64) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto done;
	}
	len = (int)(strlen(VG_SEALED_PREFIX) + strlen(b64) + 1);
	*out = malloc((size_t)len);
	if (!*out) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto done;
	}
	snprintf(*out, (size_t)len, "%s%s", VG_SEALED_PREFIX, b64);
done:
	vg_wipe(k, sizeof(k));
	if (buf) {
		vg_wipe(buf, total);
		free(buf);
	}
	free(b64);
	EVP_CIPHER_CTX_free(c);
	return rc;
}

int vg_secret_open(const char *purpose, const char *sealed, char **out, struct vg_error *err)
{
	uint8_t k[VG_SECRET_KEY_LEN];
	unsigned char *raw = NULL;
	size_t rawlen = 0, plen;
	EVP_CIPHER_CTX *c = NULL;
	char *p = NULL;
	int len, rc;

	*out = NULL;
	if (!vg_secret_is_sealed(sealed))
		return vg_error_set(err, VG_EINVAL, "value is not sealed");
	rc = vg_secret_derive(purpose, k, err);
	if (rc)
		return rc;
	raw = vg_base64_decode(sealed + strlen(VG_SEALED_PREFIX),
			       strlen(sealed) - strlen(VG_SEALED_PREFIX), &rawlen);
	if (!raw || rawlen < NONCE + TAG) {
		rc = vg_error_set(err, VG_EINVAL, "sealed value is damaged");
		goto done;
	}
	plen = rawlen - NONCE - TAG;
	p = malloc(plen + 1);
	c = EVP_CIPHER_CTX_new();
	if (!p || !c) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto done;
	}
	if (EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, k, raw) != 1 ||
	    EVP_DecryptUpdate(c, NULL, &len, (const unsigned char *)purpose,
			      (int)strlen(purpose)) != 1 ||
	    EVP_DecryptUpdate(c, (unsigned char *)p, &len, raw + NONCE, (int)plen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG, raw + NONCE + plen) != 1 ||
	    EVP_DecryptFinal_ex(c, (unsigned char *)p + len, &len) != 1) {
		rc = vg_error_set(err, VG_EPERM,
				  "sealed value does not open with the key in %s (altered, or "
				  "sealed under another key)",
				  vg_secret_key_file());
		goto done;
	}
	p[plen] = '\0';
	*out = p;
	p = NULL;
done:
	vg_wipe(k, sizeof(k));
	if (raw) {
		vg_wipe(raw, rawlen);
		free(raw);
	}
	if (p) {
		vg_wipe(p, plen);
		free(p);
	}
	EVP_CIPHER_CTX_free(c);
	return rc;
}

void vg_secret_reset(void)
{
	pthread_mutex_lock(&g_lock);
	vg_wipe(g_master, sizeof(g_master));
	g_loaded = 0;
	pthread_mutex_unlock(&g_lock);
}
