/*
 * tls.c - TLS credentials of the listeners, reloadable (see tls.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "http/tls.h"
#include "core/log.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define CHAIN_MAX 16

struct cred {
	gnutls_pcert_st pcert[CHAIN_MAX];
	unsigned n;
	gnutls_privkey_t key;
	char desc[320];
	struct cred *older; /* retired credentials, kept until the end */
};

struct slot {
	char *cert_file;
	char *key_file;
	char what[48];
	_Atomic(struct cred *) cur;
	struct cred *retired; /* a handshake may still hold one: freed at the end */
	pthread_mutex_t lock;
};

static struct slot g_slots[HTTP_TLS_SLOTS] = {
    {.lock = PTHREAD_MUTEX_INITIALIZER},
    {.lock = PTHREAD_MUTEX_INITIALIZER},
};

static void cred_free(struct cred *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->n; i++)
		gnutls_pcert_deinit(&c->pcert[i]);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	free(c);
}

/* Read a whole file into d (gnutls_free it). */
static int read_pem(const char *path, const char *what, const char *kind, gnutls_datum_t *d,
		    struct vg_error *err)
{
	int r = gnutls_load_file(path, d);
	if (r < 0)
		return vg_error_set(err, VG_EIO, "%s: %s %s: cannot read it (%s)", what, kind, path,
				    gnutls_strerror(r));
	return VG_OK;
}

static void wipe_datum(gnutls_datum_t *d)
{
	if (d->data) {
		gnutls_memset(d->data, 0, d->size);
		gnutls_free(d->data);
	}
	d->data = NULL;
	d->size = 0;
}

/* The key signs, the leaf's public key verifies: they belong together. */
static int key_matches(struct cred *c)
{
	static const unsigned char probe[] = "vigil: does this key belong to this certificate?";
	gnutls_datum_t data = {(unsigned char *)probe, sizeof(probe) - 1}, sig = {NULL, 0};
	int pk = gnutls_pubkey_get_pk_algorithm(c->pcert[0].pubkey, NULL);
	gnutls_digest_algorithm_t dig =
	    pk == GNUTLS_PK_EDDSA_ED25519 ? GNUTLS_DIG_SHA512 : GNUTLS_DIG_SHA256;
	gnutls_sign_algorithm_t sa = gnutls_pk_to_sign((gnutls_pk_algorithm_t)pk, dig);
	int ok;
	if (gnutls_privkey_sign_data(c->key, dig, 0, &data, &sig) < 0)
		return 0;
	ok = gnutls_pubkey_verify_data2(c->pcert[0].pubkey, sa, 0, &data, &sig) >= 0;
	gnutls_free(sig.data);
	return ok;
}

/* "CN=..., serial 0a1b..., until 2027-01-01" of the leaf. */
static void describe(struct cred *c, const char *what)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t dn = {NULL, 0};
	unsigned char serial[40];
	size_t sn = sizeof(serial);
	char hex[2 * sizeof(serial) + 1] = "";
	char until[32] = "?";
	time_t exp;
	struct tm tm;

	snprintf(c->desc, sizeof(c->desc), "%s: a certificate", what);
	if (gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, &c->pcert[0].cert, GNUTLS_X509_FMT_DER) >= 0) {
		(void)gnutls_x509_crt_get_dn2(crt, &dn);
		if (gnutls_x509_crt_get_serial(crt, serial, &sn) >= 0)
			for (size_t i = 0; i < sn && i < sizeof(serial); i++)
				snprintf(hex + 2 * i, 3, "%02x", serial[i]);
		exp = gnutls_x509_crt_get_expiration_time(crt);
		if (exp != (time_t)-1 && gmtime_r(&exp, &tm))
			strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(c->desc, sizeof(c->desc), "%s: %s, serial %s, valid until %s", what,
			 dn.data ? (const char *)dn.data : "?", hex, until);
		if (exp != (time_t)-1 && exp < time(NULL))
			vg_warn("%s: the certificate expired at %s", what, until);
	}
	gnutls_free(dn.data);
	gnutls_x509_crt_deinit(crt);
}

static int cred_load(const char *cert_file, const char *key_file, const char *what,
		     struct cred **out, struct vg_error *err)
{
	gnutls_datum_t cd = {NULL, 0}, kd = {NULL, 0};
	struct cred *c = calloc(1, sizeof(*c));
	int r, rc = VG_OK;

	*out = NULL;
	if (!c)
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", what);
	if ((rc = read_pem(cert_file, what, "certificate", &cd, err)) ||
	    (rc = read_pem(key_file, what, "key", &kd, err)))
		goto out;
	c->n = CHAIN_MAX;
	r = gnutls_pcert_list_import_x509_raw(c->pcert, &c->n, &cd, GNUTLS_X509_FMT_PEM, 0);
	if (r < 0 || c->n == 0) {
		c->n = 0;
		rc = vg_error_set(err, VG_EINVAL,
				  "%s: certificate %s: expected PEM certificates (the server's "
				  "first, then its chain, at most %d): %s",
				  what, cert_file, CHAIN_MAX,
				  r < 0 ? gnutls_strerror(r) : "none found");
		goto out;
	}
	if ((r = gnutls_privkey_init(&c->key)) < 0 ||
	    (r = gnutls_privkey_import_x509_raw(c->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
		rc = vg_error_set(err, VG_EINVAL,
				  "%s: key %s: expected an unencrypted PEM private key: %s", what,
				  key_file, gnutls_strerror(r));
		goto out;
	}
	if (!key_matches(c)) {
		rc = vg_error_set(err, VG_EINVAL,
				  "%s: key %s does not belong to the certificate %s (its public "
				  "key does not verify the key's signature)",
				  what, key_file, cert_file);
		goto out;
	}
	describe(c, what);
out:
	wipe_datum(&kd);
	wipe_datum(&cd);
	if (rc)
		cred_free(c);
	else
		*out = c;
	return rc;
}

static int retrieve(int slot, gnutls_pcert_st **pcert, unsigned int *pcert_length,
		    gnutls_privkey_t *privkey)
{
	struct cred *c = atomic_load(&g_slots[slot].cur);
	if (!c)
		return -1;
	*pcert = c->pcert;
	*pcert_length = c->n;
	*privkey = c->key;
	return 0;
}

static int retrieve0(gnutls_session_t s, const gnutls_datum_t *req_ca_rdn, int nreqs,
		     const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		     gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *privkey)
{
	(void)s, (void)req_ca_rdn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
	return retrieve(0, pcert, pcert_length, privkey);
}

static int retrieve1(gnutls_session_t s, const gnutls_datum_t *req_ca_rdn, int nreqs,
		     const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		     gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *privkey)
{
	(void)s, (void)req_ca_rdn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
	return retrieve(1, pcert, pcert_length, privkey);
}

/* Make c current in slot; the previous one is retired, not freed: a
 * handshake running now may hold it. */
static void install(struct slot *sl, struct cred *c)
{
	struct cred *old = atomic_exchange(&sl->cur, c);
	if (old) {
		old->older = sl->retired;
		sl->retired = old;
	}
}

int http_tls_load(int slot, const char *cert_file, const char *key_file, const char *what,
		  struct vg_error *err)
{
	struct slot *sl;
	struct cred *c;
	int rc;

	if (slot < 0 || slot >= HTTP_TLS_SLOTS)
		return vg_error_set(err, VG_EINVAL, "TLS slot %d: expected 0 to %d", slot,
				    HTTP_TLS_SLOTS - 1);
	if (!cert_file || !*cert_file || !key_file || !*key_file)
		return vg_error_set(err, VG_EUSAGE, "%s: TLS needs both a certificate and a key",
				    what);
	sl = &g_slots[slot];
	pthread_mutex_lock(&sl->lock);
	rc = cred_load(cert_file, key_file, what, &c, err);
	if (!rc) {
		free(sl->cert_file);
		free(sl->key_file);
		sl->cert_file = strdup(cert_file);
		sl->key_file = strdup(key_file);
		snprintf(sl->what, sizeof(sl->what), "%s", what);
		if (!sl->cert_file || !sl->key_file)
			rc = vg_error_set(err, VG_ENOMEM, "%s: out of memory", what);
		if (rc)
			cred_free(c);
		else
			install(sl, c);
	}
	pthread_mutex_unlock(&sl->lock);
	return rc;
}

int http_tls_reload(int slot, struct vg_error *err)
{
	struct slot *sl;
	struct cred *c;
	int rc;

	if (slot < 0 || slot >= HTTP_TLS_SLOTS || !http_tls_enabled(slot))
		return VG_OK;
	sl = &g_slots[slot];
	pthread_mutex_lock(&sl->lock);
	rc = cred_load(sl->cert_file, sl->key_file, sl->what, &c, err);
	if (!rc)
		install(sl, c);
	pthread_mutex_unlock(&sl->lock);
	return rc;
}

int http_tls_enabled(int slot)
{
	return slot >= 0 && slot < HTTP_TLS_SLOTS && atomic_load(&g_slots[slot].cur) != NULL;
}

void *http_tls_callback(int slot)
{
	gnutls_certificate_retrieve_function2 *f = slot == 0 ? retrieve0 : retrieve1;
	void *p;
	_Static_assert(sizeof(p) == sizeof(f), "a function pointer fits a pointer to void");
	memcpy(&p, &f, sizeof(p));
	return p;
}

const char *http_tls_describe(int slot)
{
	struct cred *c =
	    slot >= 0 && slot < HTTP_TLS_SLOTS ? atomic_load(&g_slots[slot].cur) : NULL;
	return c ? c->desc : "no TLS";
}

void http_tls_free_all(void)
{
	for (int i = 0; i < HTTP_TLS_SLOTS; i++) {
		struct slot *sl = &g_slots[i];
		pthread_mutex_lock(&sl->lock);
		cred_free(atomic_exchange(&sl->cur, NULL));
		while (sl->retired) {
			struct cred *n = sl->retired->older;
			cred_free(sl->retired);
			sl->retired = n;
		}
		free(sl->cert_file);
		free(sl->key_file);
		sl->cert_file = sl->key_file = NULL;
		pthread_mutex_unlock(&sl->lock);
	}
}
