/*
 * pkcs11.c - signers whose key lives in a PKCS#11 token (an HSM), reached
 * through p11-kit and chosen by an RFC 7512 pkcs11: URI.
 *
 * The URI (parsed by p11-kit, never by hand) names the token (token=,
 * serial=, manufacturer=, model=: exactly one token must match; a slot
 * number is refused) and the key (object= is CKA_LABEL, id= is CKA_ID; at
 * least one). The module is the URI's module-path, loaded alone, or the
 * modules registered with p11-kit (p11-kit config files), narrowed by
 * module-name. A pin-value is refused (a PIN is never stored); the PIN comes
 * from the signer's PIN file or VIGIL_PKCS11_PIN, is used for C_Login and
 * wiped right after.
 *
 * Ed25519 keys are CKK_EC_EDWARDS signed with CKM_EDDSA over the message;
 * P-256 keys are CKK_EC with the prime256v1 OID signed with CKM_ECDSA over
 * SHA-256(message) (the token returns raw r||s). The public key is read from
 * the public key object's CKA_EC_POINT (a DER OCTET STRING, unwrapped).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/error.h"
#include "core/hash.h"
#include "update/signer.h"
#include "update/signer_int.h"

#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#define PIN_MAX 256

/* DER of the curve identifiers for CKA_EC_PARAMS. */
static const CK_BYTE oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const CK_BYTE oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
/* PKCS#11 3.0 also names the curve as a PrintableString "edwards25519". */
static const CK_BYTE name_ed25519[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r',
				       'd',  's',  '2', '5', '5', '1', '9'};

struct p11_signer {
	CK_FUNCTION_LIST **modules; /* registered modules (load_and_initialize) */
	CK_FUNCTION_LIST *single;   /* or the one module of module-path */
	CK_FUNCTION_LIST *fn;       /* the module of the token */
	CK_SESSION_HANDLE session;
	int have_session;
	CK_OBJECT_HANDLE priv, pub;
	char uri[512]; /* for messages (no secret: pin-value is refused) */
};

static const char *rv_text(CK_RV rv)
{
	const char *t = p11_kit_strerror(rv);
	return t ? t : "error";
}

static void uri_shown(const char *uri, char *out, size_t n)
{
	snprintf(out, n, "%s", uri);
	if (strlen(uri) >= n && n > 4)
		memcpy(out + n - 4, "...", 4);
}

static int parse_uri(const char *uri, P11KitUri **out, struct vg_error *err)
{
	P11KitUri *u;
	int r;

	*out = NULL;
	/* before anything echoes the URI: it may hold a PIN */
	if (uri && strstr(uri, "pin-value"))
		return vg_error_set(err, VG_EINVAL,
				    "PKCS#11 URI: pin-value is refused (vigil never stores a "
				    "PIN); use --pin-file FILE or VIGIL_PKCS11_PIN");
	if (!uri || strncmp(uri, "pkcs11:", 7) != 0)
		return vg_error_set(err, VG_EINVAL, "'%s': expected a pkcs11: URI (RFC 7512)",
				    uri ? uri : "");
	u = p11_kit_uri_new();
	if (!u)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	r = p11_kit_uri_parse(uri, P11_KIT_URI_FOR_ANY, u);
	if (r != P11_KIT_URI_OK) {
		p11_kit_uri_free(u);
		return vg_error_set(err, VG_EINVAL, "PKCS#11 URI %s: %s", uri,
				    p11_kit_uri_message(r));
	}
	if (p11_kit_uri_get_pin_value(u)) {
		p11_kit_uri_free(u);
		/* the URI itself is not repeated: it holds a PIN */
		return vg_error_set(err, VG_EINVAL,
				    "PKCS#11 URI: pin-value is refused (vigil never stores a "
				    "PIN); use --pin-file FILE or VIGIL_PKCS11_PIN");
	}
	if (p11_kit_uri_any_unrecognized(u)) {
		p11_kit_uri_free(u);
		return vg_error_set(
		    err, VG_EINVAL,
		    "PKCS#11 URI %s: an attribute vigil does not know (module-name "
		    "and module-path belong in the query: pkcs11:...?module-path=FILE)",
		    uri);
	}
	if (p11_kit_uri_get_pin_source(u)) {
		p11_kit_uri_free(u);
		return vg_error_set(err, VG_EINVAL,
				    "PKCS#11 URI %s: pin-source is not used; give the PIN file "
				    "with --pin-file FILE",
				    uri);
	}
	if (p11_kit_uri_get_slot_id(u) != (CK_SLOT_ID)-1) {
		p11_kit_uri_free(u);
		return vg_error_set(err, VG_EINVAL,
				    "PKCS#11 URI %s: slot-id is refused (slot numbers change); "
				    "choose the token with token=LABEL or serial=",
				    uri);
	}
	if (!p11_kit_uri_get_attribute(u, CKA_LABEL) && !p11_kit_uri_get_attribute(u, CKA_ID)) {
		p11_kit_uri_free(u);
		return vg_error_set(err, VG_EINVAL,
				    "PKCS#11 URI %s: names no key; add object=LABEL or id=%%XX...",
				    uri);
	}
	*out = u;
	return VG_OK;
}

int p11_uri_check(const char *uri, struct vg_error *err)
{
	P11KitUri *u;
	int rc = parse_uri(uri, &u, err);
	if (!rc)
		p11_kit_uri_free(u);
	return rc;
}

static void p11_release(struct p11_signer *p)
{
	if (!p)
		return;
	/* No C_Logout: the login belongs to the token and this process, and
	 * another open signer on the same token may be signing in another
	 * thread; the login ends when the module's last session closes. */
	if (p->have_session && p->fn)
		p->fn->C_CloseSession(p->session);
	if (p->single) {
		p11_kit_module_finalize(p->single);
		p11_kit_module_release(p->single);
	}
	if (p->modules)
		p11_kit_modules_finalize_and_release(p->modules);
	free(p);
}

/* Read the PIN: from pin_file (a regular file not readable by others; one
 * line, its newline dropped) or VIGIL_PKCS11_PIN. *len 0 with VG_OK: none. */
static int read_pin(const char *name, const char *pin_file, char pin[PIN_MAX], size_t *len,
		    struct vg_error *err)
{
	const char *env;
	*len = 0;
	if (pin_file) {
		struct stat st;
		ssize_t r;
		size_t got = 0;
		int fd = open(pin_file, O_RDONLY | O_NOFOLLOW);
		if (fd < 0)
			return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
					    "signer %s: PIN file %s: %s", name, pin_file,
					    errno == ENOENT ? "not found" : "cannot be read");
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return vg_error_set(err, VG_EINVAL,
					    "signer %s: PIN file %s: not a regular file", name,
					    pin_file);
		}
		if (st.st_mode & 007) {
			close(fd);
			return vg_error_set(err, VG_EPERM,
					    "signer %s: PIN file %s: readable by others (mode "
					    "%04o); expected 0600 or 0640",
					    name, pin_file, (unsigned)(st.st_mode & 07777));
		}
		while (got < PIN_MAX - 1 && (r = read(fd, pin + got, PIN_MAX - 1 - got)) > 0)
			got += (size_t)r;
		close(fd);
		while (got && (pin[got - 1] == '\n' || pin[got - 1] == '\r'))
			got--;
		pin[got] = '\0';
		if (!got || memchr(pin, '\n', got)) {
			vg_wipe(pin, PIN_MAX);
			return vg_error_set(err, VG_EINVAL,
					    "signer %s: PIN file %s: expected one line holding the "
					    "PIN",
					    name, pin_file);
		}
		*len = got;
		return VG_OK;
	}
	env = getenv("VIGIL_PKCS11_PIN");
	if (env && *env) {
		size_t n = strlen(env);
		if (n >= PIN_MAX)
			return vg_error_set(err, VG_EINVAL,
					    "signer %s: VIGIL_PKCS11_PIN is too long", name);
		memcpy(pin, env, n + 1);
		*len = n;
	}
	return VG_OK;
}

/* Find the one token the URI matches and open a session on it, logged in. */
static int p11_connect(const char *name, const char *uri, const char *pin_file, int rw,
		       P11KitUri **uout, struct p11_signer **out, struct vg_error *err)
{
	struct p11_signer *p;
	P11KitUri *u;
	CK_FUNCTION_LIST *single[2] = {NULL, NULL};
	CK_FUNCTION_LIST **mods;
	CK_FUNCTION_LIST *found_fn = NULL;
	CK_SLOT_ID found_slot = 0;
	CK_TOKEN_INFO found_info;
	int nfound = 0, rc;
	const char *mpath, *mname;
	char pin[PIN_MAX];
	size_t pinlen;
	CK_RV rv;

	*out = NULL;
	*uout = NULL;
	rc = parse_uri(uri, &u, err);
	if (rc) {
		vg_error_prefix(err, "signer %s", name);
		return rc;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		p11_kit_uri_free(u);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	uri_shown(uri, p->uri, sizeof(p->uri));
	mpath = p11_kit_uri_get_module_path(u);
	mname = p11_kit_uri_get_module_name(u);
	if (mpath) {
		p->single = p11_kit_module_load(mpath, 0);
		if (!p->single) {
			rc = vg_error_set(err, VG_ENOTFOUND,
					  "signer %s: %s: cannot load the PKCS#11 module %s", name,
					  p->uri, mpath);
			goto fail;
		}
		rv = p11_kit_module_initialize(p->single);
		if (rv != CKR_OK) {
			p11_kit_module_release(p->single);
			p->single = NULL;
			rc = vg_error_set(err, VG_EIO,
					  "signer %s: %s: the PKCS#11 module %s does not start: %s",
					  name, p->uri, mpath, rv_text(rv));
			goto fail;
		}
		single[0] = p->single;
		mods = single;
	} else {
		p->modules = p11_kit_modules_load_and_initialize(0);
		if (!p->modules) {
			rc = vg_error_set(
			    err, VG_EIO, "signer %s: %s: p11-kit cannot load its modules: %s", name,
			    p->uri, p11_kit_message() ? p11_kit_message() : "error");
			goto fail;
		}
		mods = p->modules;
	}
	for (size_t m = 0; mods[m]; m++) {
		CK_FUNCTION_LIST *fn = mods[m];
		CK_INFO info;
		CK_SLOT_ID slots[64];
		CK_ULONG nslots = 64;
		if (mname) {
			char *mn = p11_kit_module_get_name(fn);
			int same = mn && strcmp(mn, mname) == 0;
			free(mn);
			if (!same)
				continue;
		}
		if (fn->C_GetInfo(&info) != CKR_OK || !p11_kit_uri_match_module_info(u, &info))
			continue;
		if (fn->C_GetSlotList(CK_TRUE, slots, &nslots) != CKR_OK)
			continue;
		for (CK_ULONG k = 0; k < nslots && k < 64; k++) {
			CK_TOKEN_INFO ti;
			if (fn->C_GetTokenInfo(slots[k], &ti) != CKR_OK ||
			    !p11_kit_uri_match_token_info(u, &ti))
				continue;
			if (!nfound) {
				found_fn = fn;
				found_slot = slots[k];
				found_info = ti;
			}
			nfound++;
		}
	}
	if (nfound == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "signer %s: %s: no token matches (is the token present and "
				  "its module registered with p11-kit or named by module-path?)",
				  name, p->uri);
		goto fail;
	}
	if (nfound > 1) {
		rc = vg_error_set(err, VG_EINVAL,
				  "signer %s: %s: %d tokens match; name one with token= or serial=",
				  name, p->uri, nfound);
		goto fail;
	}
	p->fn = found_fn;
	rv = p->fn->C_OpenSession(found_slot, CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0), NULL,
				  NULL, &p->session);
	if (rv != CKR_OK) {
		rc = vg_error_set(err, VG_EIO, "signer %s: %s: cannot open a session: %s", name,
				  p->uri, rv_text(rv));
		goto fail;
	}
	p->have_session = 1;
	rc = read_pin(name, pin_file, pin, &pinlen, err);
	if (rc)
		goto fail;
	if (!pinlen) {
		vg_wipe(pin, sizeof(pin));
		if (found_info.flags & CKF_LOGIN_REQUIRED) {
			rc = vg_error_set(err, VG_EAUTH,
					  "signer %s: %s: the token needs a PIN (--pin-file FILE "
					  "or VIGIL_PKCS11_PIN)",
					  name, p->uri);
			goto fail;
		}
	} else {
		rv = p->fn->C_Login(p->session, CKU_USER, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)pinlen);
		vg_wipe(pin, sizeof(pin));
		if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE) {
			rc = vg_error_set(err, VG_EAUTH, "signer %s: %s: wrong PIN", name, p->uri);
			goto fail;
		}
		if (rv == CKR_PIN_LOCKED) {
			rc = vg_error_set(err, VG_EAUTH,
					  "signer %s: %s: the PIN is locked (too many wrong PINs)",
					  name, p->uri);
			goto fail;
		}
		if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
			rc = vg_error_set(err, VG_EAUTH, "signer %s: %s: login failed: %s", name,
					  p->uri, rv_text(rv));
			goto fail;
		}
	}
	*out = p;
	*uout = u;
	return VG_OK;
fail:
	p11_release(p);
	p11_kit_uri_free(u);
	return rc;
}

/* Objects of class cls matching the URI's label and id: up to max handles. */
static int find_objects(struct p11_signer *p, P11KitUri *u, CK_OBJECT_CLASS cls,
			const CK_ATTRIBUTE *id_override, CK_OBJECT_HANDLE *h, CK_ULONG max,
			CK_ULONG *n)
{
	CK_ATTRIBUTE t[3];
	CK_ULONG nt = 0;
	CK_ATTRIBUTE *label = p11_kit_uri_get_attribute(u, CKA_LABEL);
	CK_ATTRIBUTE *id = p11_kit_uri_get_attribute(u, CKA_ID);
	CK_RV rv;

	t[nt].type = CKA_CLASS;
	t[nt].pValue = &cls;
	t[nt++].ulValueLen = sizeof(cls);
	if (label)
		t[nt++] = *label;
	if (id_override)
		t[nt++] = *id_override;
	else if (id)
		t[nt++] = *id;
	*n = 0;
	rv = p->fn->C_FindObjectsInit(p->session, t, nt);
	if (rv != CKR_OK)
		return VG_EIO;
	rv = p->fn->C_FindObjects(p->session, h, max, n);
	p->fn->C_FindObjectsFinal(p->session);
	return rv == CKR_OK ? VG_OK : VG_EIO;
}

static enum update_alg key_alg(struct p11_signer *p, CK_OBJECT_HANDLE h)
{
	CK_KEY_TYPE kt = (CK_KEY_TYPE)-1;
	CK_BYTE params[64];
	CK_ATTRIBUTE a[2] = {{CKA_KEY_TYPE, &kt, sizeof(kt)},
			     {CKA_EC_PARAMS, params, sizeof(params)}};
	if (p->fn->C_GetAttributeValue(p->session, h, a, 2) != CKR_OK)
		return UPDATE_ALG_NONE;
	if (kt == CKK_EC_EDWARDS) {
		if ((a[1].ulValueLen == sizeof(oid_ed25519) &&
		     memcmp(params, oid_ed25519, sizeof(oid_ed25519)) == 0) ||
		    (a[1].ulValueLen == sizeof(name_ed25519) &&
		     memcmp(params, name_ed25519, sizeof(name_ed25519)) == 0))
			return UPDATE_ALG_ED25519;
		return UPDATE_ALG_NONE;
	}
	if (kt == CKK_EC && a[1].ulValueLen == sizeof(oid_p256) &&
	    memcmp(params, oid_p256, sizeof(oid_p256)) == 0)
		return UPDATE_ALG_P256;
	return UPDATE_ALG_NONE;
}

int p11_open(const char *name, const char *uri, const char *pin_file, enum update_alg alg,
	     struct update_signer *sg, struct vg_error *err)
{
	struct p11_signer *p;
	P11KitUri *u;
	CK_OBJECT_HANDLE h[2];
	CK_ULONG n;
	CK_BBOOL sensitive = CK_FALSE, extractable = CK_TRUE;
	CK_BYTE idbuf[256];
	CK_ATTRIBUTE prot[2] = {{CKA_SENSITIVE, &sensitive, sizeof(sensitive)},
				{CKA_EXTRACTABLE, &extractable, sizeof(extractable)}};
	CK_ATTRIBUTE id = {CKA_ID, idbuf, sizeof(idbuf)};
	int rc;

	rc = p11_connect(name, uri, pin_file, 0, &u, &p, err);
	if (rc)
		return rc;
	rc = find_objects(p, u, CKO_PRIVATE_KEY, NULL, h, 2, &n);
	if (rc || n != 1) {
		rc = vg_error_set(err,
				  rc  ? VG_EIO
				  : n ? VG_EINVAL
				      : VG_ENOTFOUND,
				  "signer %s: %s: %s", name, p->uri,
				  rc  ? "cannot search the token"
				  : n ? "more than one private key matches; add id= to the URI"
				      : "no private key matches object=/id= (or the PIN is "
					"missing)");
		goto fail;
	}
	p->priv = h[0];
	if (p->fn->C_GetAttributeValue(p->session, p->priv, prot, 2) != CKR_OK ||
	    sensitive != CK_TRUE || extractable != CK_FALSE) {
		rc = vg_error_set(err, VG_EPERM,
				  "signer %s: %s: the private key is extractable or not sensitive; "
				  "a signing key must never leave the token (generate one with "
				  "vigil signer keygen)",
				  name, p->uri);
		goto fail;
	}
	sg->alg = key_alg(p, p->priv);
	if (sg->alg == UPDATE_ALG_NONE) {
		rc = vg_error_set(err, VG_EINVAL,
				  "signer %s: %s: the key is neither Ed25519 nor ECDSA P-256", name,
				  p->uri);
		goto fail;
	}
	if (alg != UPDATE_ALG_NONE && alg != sg->alg) {
		rc = vg_error_set(err, VG_EINVAL, "signer %s: %s: the key is %s, expected %s", name,
				  p->uri, update_alg_name(sg->alg), update_alg_name(alg));
		goto fail;
	}
	/* its public key: the same label and the private key's CKA_ID */
	if (p->fn->C_GetAttributeValue(p->session, p->priv, &id, 1) != CKR_OK ||
	    id.ulValueLen == (CK_ULONG)-1)
		id.ulValueLen = 0;
	rc = find_objects(p, u, CKO_PUBLIC_KEY, id.ulValueLen ? &id : NULL, h, 2, &n);
	if (rc || n != 1) {
		rc = vg_error_set(err, VG_ENOTFOUND, "signer %s: %s: %s", name, p->uri,
				  n > 1 ? "more than one public key matches; add id= to the URI"
					: "the public key object of the key is not on the token");
		goto fail;
	}
	p->pub = h[0];
	if (key_alg(p, p->pub) != sg->alg) {
		rc =
		    vg_error_set(err, VG_EINVAL,
				 "signer %s: %s: the public key object is not of the private key's "
				 "type",
				 name, p->uri);
		goto fail;
	}
	p11_kit_uri_free(u);
	sg->p11 = p;
	sg->development_only = 0;
	return VG_OK;
fail:
	p11_kit_uri_free(u);
	p11_release(p);
	return rc;
}

int p11_sign(struct update_signer *sg, const void *msg, size_t n, uint8_t sig[UPDATE_SIG_MAX],
	     size_t *siglen, struct vg_error *err)
{
	struct p11_signer *p = sg->p11;
	CK_MECHANISM mech = {sg->alg == UPDATE_ALG_ED25519 ? CKM_EDDSA : CKM_ECDSA, NULL, 0};
	uint8_t digest[VG_SHA256_LEN];
	CK_BYTE_PTR data;
	CK_ULONG dlen, slen = UPDATE_SIG_MAX;
	CK_RV rv;

	*siglen = 0;
	if (sg->alg == UPDATE_ALG_P256) {
		vg_sha256(msg, n, digest);
		data = digest;
		dlen = sizeof(digest);
	} else {
		data = (CK_BYTE_PTR)msg;
		dlen = (CK_ULONG)n;
	}
	rv = p->fn->C_SignInit(p->session, &mech, p->priv);
	if (rv == CKR_OK)
		rv = p->fn->C_Sign(p->session, data, dlen, sig, &slen);
	if (rv != CKR_OK)
		return vg_error_set(err, VG_EIO, "signer %s: %s: the token did not sign: %s",
				    sg->name, p->uri, rv_text(rv));
	if (slen != 64)
		return vg_error_set(err, VG_EIO,
				    "signer %s: %s: the token returned a %lu-byte signature, "
				    "expected 64",
				    sg->name, p->uri, (unsigned long)slen);
	*siglen = 64;
	return VG_OK;
}

int p11_public(struct update_signer *sg, uint8_t pub[UPDATE_PUB_MAX], size_t *publen,
	       struct vg_error *err)
{
	struct p11_signer *p = sg->p11;
	CK_BYTE point[UPDATE_PUB_MAX + 8];
	CK_ATTRIBUTE a = {CKA_EC_POINT, point, sizeof(point)};
	size_t want = sg->alg == UPDATE_ALG_ED25519 ? 32 : 65;
	const CK_BYTE *v = point;
	CK_RV rv;

	*publen = 0;
	rv = p->fn->C_GetAttributeValue(p->session, p->pub, &a, 1);
	if (rv != CKR_OK)
		return vg_error_set(err, VG_EIO,
				    "signer %s: %s: cannot read the public key (CKA_EC_POINT): %s",
				    sg->name, p->uri, rv_text(rv));
	/* a DER OCTET STRING around the point (some tokens give the point bare) */
	if (a.ulValueLen == want + 2 && point[0] == 0x04 && point[1] == want)
		v = point + 2;
	else if (a.ulValueLen != want)
		return vg_error_set(err, VG_EIO,
				    "signer %s: %s: the public key (CKA_EC_POINT) has %lu bytes, "
				    "not a %s key",
				    sg->name, p->uri, (unsigned long)a.ulValueLen,
				    update_alg_name(sg->alg));
	if (sg->alg == UPDATE_ALG_P256 && v[0] != 0x04)
		return vg_error_set(err, VG_EIO,
				    "signer %s: %s: the P-256 public key is not an uncompressed "
				    "point",
				    sg->name, p->uri);
	memcpy(pub, v, want);
	*publen = want;
	return VG_OK;
}

void p11_close(struct update_signer *sg)
{
	p11_release(sg->p11);
	sg->p11 = NULL;
}

static CK_RV generate(struct p11_signer *p, enum update_alg alg, const CK_BYTE *params,
		      CK_ULONG plen, CK_ATTRIBUTE *label, CK_ATTRIBUTE *id)
{
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_MECHANISM mech = {
	    alg == UPDATE_ALG_ED25519 ? CKM_EC_EDWARDS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN, NULL, 0};
	CK_ATTRIBUTE pubt[6] = {{CKA_TOKEN, &yes, sizeof(yes)},
				{CKA_VERIFY, &yes, sizeof(yes)},
				{CKA_PRIVATE, &no, sizeof(no)},
				{CKA_EC_PARAMS, (void *)params, plen},
				*label,
				*id};
	CK_ATTRIBUTE privt[7] = {{CKA_TOKEN, &yes, sizeof(yes)},
				 {CKA_PRIVATE, &yes, sizeof(yes)},
				 {CKA_SENSITIVE, &yes, sizeof(yes)},
				 {CKA_EXTRACTABLE, &no, sizeof(no)},
				 {CKA_SIGN, &yes, sizeof(yes)},
				 *label,
				 *id};
	CK_OBJECT_HANDLE hpub, hpriv;
	return p->fn->C_GenerateKeyPair(p->session, &mech, pubt, 6, privt, 7, &hpub, &hpriv);
}

int p11_keygen(const char *name, const char *uri, const char *pin_file, enum update_alg alg,
	       struct vg_error *err)
{
	struct p11_signer *p;
	P11KitUri *u;
	CK_OBJECT_HANDLE h[1];
	CK_ULONG n = 0, n2 = 0;
	CK_ATTRIBUTE *label, *id, gen_id;
	CK_BYTE rid[16];
	CK_RV rv;
	int rc;

	rc = p11_connect(name, uri, pin_file, 1, &u, &p, err);
	if (rc)
		return rc;
	label = p11_kit_uri_get_attribute(u, CKA_LABEL);
	id = p11_kit_uri_get_attribute(u, CKA_ID);
	if (!label) {
		rc = vg_error_set(err, VG_EINVAL,
				  "signer %s: %s: a new key needs a label: add object=LABEL to the "
				  "URI",
				  name, p->uri);
		goto out;
	}
	rc = find_objects(p, u, CKO_PRIVATE_KEY, NULL, h, 1, &n);
	if (!rc)
		rc = find_objects(p, u, CKO_PUBLIC_KEY, NULL, h, 1, &n2);
	if (rc || n || n2) {
		rc = vg_error_set(err, rc ? VG_EIO : VG_EEXIST, "signer %s: %s: %s", name, p->uri,
				  rc ? "cannot search the token"
				     : "a key with this label/id already exists on the token "
				       "(vigil never replaces a key; use vigil signer add)");
		goto out;
	}
	if (!id) {
		rc = vg_random(rid, sizeof(rid));
		if (rc) {
			rc = vg_error_set(err, rc, "signer %s: no random bytes for the key id",
					  name);
			goto out;
		}
		gen_id.type = CKA_ID;
		gen_id.pValue = rid;
		gen_id.ulValueLen = sizeof(rid);
		id = &gen_id;
	}
	if (alg == UPDATE_ALG_ED25519) {
		rv = generate(p, alg, oid_ed25519, sizeof(oid_ed25519), label, id);
		if (rv == CKR_ATTRIBUTE_VALUE_INVALID || rv == CKR_CURVE_NOT_SUPPORTED ||
		    rv == CKR_DOMAIN_PARAMS_INVALID || rv == CKR_TEMPLATE_INCONSISTENT)
			rv = generate(p, alg, name_ed25519, sizeof(name_ed25519), label, id);
	} else {
		rv = generate(p, alg, oid_p256, sizeof(oid_p256), label, id);
	}
	if (rv != CKR_OK)
		rc = vg_error_set(err, rv == CKR_MECHANISM_INVALID ? VG_EINVAL : VG_EIO,
				  "signer %s: %s: the token cannot generate a %s key pair: %s",
				  name, p->uri, update_alg_name(alg), rv_text(rv));
out:
	p11_kit_uri_free(u);
	p11_release(p);
	return rc;
}

int p11_protection(struct update_signer *sg, int *sensitive, int *extractable, int *value_hidden,
		   struct vg_error *err)
{
	struct p11_signer *p = sg->p11;
	CK_BBOOL sens = CK_FALSE, extr = CK_TRUE;
	CK_ATTRIBUTE a[2] = {{CKA_SENSITIVE, &sens, sizeof(sens)},
			     {CKA_EXTRACTABLE, &extr, sizeof(extr)}};
	CK_ATTRIBUTE v = {CKA_VALUE, NULL, 0};
	CK_RV rv = p->fn->C_GetAttributeValue(p->session, p->priv, a, 2);
	if (rv != CKR_OK)
		return vg_error_set(err, VG_EIO,
				    "signer %s: %s: cannot read the key's attributes: %s", sg->name,
				    p->uri, rv_text(rv));
	*sensitive = sens == CK_TRUE;
	*extractable = extr == CK_TRUE;
	rv = p->fn->C_GetAttributeValue(p->session, p->priv, &v, 1);
	*value_hidden = rv == CKR_ATTRIBUTE_SENSITIVE;
	return VG_OK;
}

int p11_destroy(const char *name, const char *uri, const char *pin_file, struct vg_error *err)
{
	struct p11_signer *p;
	P11KitUri *u;
	CK_OBJECT_HANDLE h[4];
	CK_ULONG n = 0;
	static const CK_OBJECT_CLASS classes[2] = {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY};
	int rc = p11_connect(name, uri, pin_file, 1, &u, &p, err);
	if (rc)
		return rc;
	for (int c = 0; c < 2 && !rc; c++) {
		rc = find_objects(p, u, classes[c], NULL, h, 4, &n);
		for (CK_ULONG k = 0; !rc && k < n; k++)
			if (p->fn->C_DestroyObject(p->session, h[k]) != CKR_OK)
				rc = vg_error_set(err, VG_EIO,
						  "signer %s: %s: cannot remove the key just made",
						  name, p->uri);
	}
	p11_kit_uri_free(u);
	p11_release(p);
	return rc;
}
