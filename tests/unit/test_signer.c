/*
 * test_signer.c - the signer interface (update/signer.h): verification of
 * raw Ed25519 and P-256 signatures (RFC 8032 vector, bit flips, wrong
 * lengths), the DER form of r||s, software signers kept in the store
 * (development only), and keys generated inside a SoftHSM2 token: signed
 * and verified against the public key read back, and, asked directly
 * through p11-kit (not through vigil), the private key is sensitive, not
 * extractable and its CKA_VALUE is refused with CKR_ATTRIBUTE_SENSITIVE.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/hash.h"
#include "store/store.h"
#include "testdb.h"
#include "update/signer.h"
#include "update/signer_admin.h"

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <p11-kit/p11-kit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PIN "unit-Pin-42x"

static void unhex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void test_alg_names(void **state)
{
	(void)state;
	assert_int_equal(update_alg_parse("ed25519"), UPDATE_ALG_ED25519);
	assert_int_equal(update_alg_parse("p256"), UPDATE_ALG_P256);
	assert_int_equal(update_alg_parse("rsa"), UPDATE_ALG_NONE);
	assert_int_equal(update_alg_parse(NULL), UPDATE_ALG_NONE);
	assert_string_equal(update_alg_name(UPDATE_ALG_P256), "p256");
}

/* RFC 8032 section 7.1, TEST 1 (empty message). */
static void test_ed25519_vector(void **state)
{
	uint8_t pub[32], sig[64];
	struct vg_error err = {0};
	(void)state;
	unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", pub, 32);
	unhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
	      "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
	      sig, 64);
	assert_int_equal(update_sig_verify(UPDATE_ALG_ED25519, pub, 32, "", 0, sig, 64, &err),
			 VG_OK);
	sig[10] ^= 1;
	assert_int_equal(update_sig_verify(UPDATE_ALG_ED25519, pub, 32, "", 0, sig, 64, &err),
			 VG_EPERM);
	sig[10] ^= 1;
	assert_int_equal(update_sig_verify(UPDATE_ALG_ED25519, pub, 32, "x", 1, sig, 64, &err),
			 VG_EPERM);
	assert_int_equal(update_sig_verify(UPDATE_ALG_ED25519, pub, 31, "", 0, sig, 64, &err),
			 VG_EINVAL);
	assert_int_equal(update_sig_verify(UPDATE_ALG_ED25519, pub, 32, "", 0, sig, 63, &err),
			 VG_EINVAL);
	assert_int_equal(update_sig_verify(UPDATE_ALG_NONE, pub, 32, "", 0, sig, 64, &err),
			 VG_EINVAL);
}

/* A P-256 key made by OpenSSL: our raw r||s made from its DER signature
 * verifies, and update_sig_p256_der gives back DER OpenSSL accepts. */
static void test_p256_raw_and_der(void **state)
{
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[80], raw[64], pub[65], der2[UPDATE_SIG_MAX];
	size_t derlen = sizeof(der), publen = sizeof(pub), der2len = 0;
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;
	struct vg_error err = {0};
	static const char msg[] = "release metadata";
	(void)state;

	assert_non_null(pk);
	assert_int_equal(
	    EVP_PKEY_get_octet_string_param(pk, "encoded-pub-key", pub, sizeof(pub), &publen), 1);
	assert_int_equal(publen, 65);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pk), 1);
	assert_int_equal(EVP_DigestSign(md, der, &derlen, (const uint8_t *)msg, sizeof(msg) - 1),
			 1);
	es = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	assert_non_null(es);
	ECDSA_SIG_get0(es, &r, &s);
	assert_int_equal(BN_bn2binpad(r, raw, 32), 32);
	assert_int_equal(BN_bn2binpad(s, raw + 32, 32), 32);
	ECDSA_SIG_free(es);

	assert_int_equal(
	    update_sig_verify(UPDATE_ALG_P256, pub, 65, msg, sizeof(msg) - 1, raw, 64, &err),
	    VG_OK);
	assert_int_equal(update_sig_p256_der(raw, der2, &der2len), VG_OK);
	assert_int_equal(der2len, derlen);
	assert_memory_equal(der2, der, derlen);
	raw[63] ^= 0x80;
	assert_int_equal(
	    update_sig_verify(UPDATE_ALG_P256, pub, 65, msg, sizeof(msg) - 1, raw, 64, &err),
	    VG_EPERM);
	/* a compressed or truncated point is refused as bad input */
	assert_int_equal(
	    update_sig_verify(UPDATE_ALG_P256, pub, 33, msg, sizeof(msg) - 1, raw, 64, &err),
	    VG_EINVAL);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);

	/* r and s with their top bit set: DER adds a zero byte each, 72 at most */
	memset(raw, 0xff, 64);
	raw[0] = 0x80;
	raw[32] = 0x80;
	assert_int_equal(update_sig_p256_der(raw, der2, &der2len), VG_OK);
	assert_int_equal(der2len, 72);
	assert_int_equal(der2[0], 0x30);
	assert_int_equal(der2[4], 0x00);
}

struct fx {
	char *url;
	struct store *s;
	char dir[64];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-signer-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "store_open %s: %s\n", f->url, err.msg);
		return -1;
	}
	store_set_actor(f->s, "unit", "local");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	char cmd[160];
	store_close(f->s);
	testdb_drop(f->url);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

/* Open name, sign msg, verify it with the public key read back. */
static void sign_and_verify(struct store *s, const char *name, enum update_alg alg, int dev)
{
	struct update_signer *sg = NULL;
	struct vg_error err = {0};
	uint8_t sig[UPDATE_SIG_MAX], pub[UPDATE_PUB_MAX];
	size_t siglen = 0, publen = 0;
	static const char msg[] = "{\"signed\":{\"_type\":\"targets\"}}";

	if (update_signer_open(s, name, &sg, &err))
		fail_msg("open %s: %s", name, err.msg);
	assert_int_equal(update_signer_alg(sg), alg);
	assert_string_equal(update_signer_name(sg), name);
	assert_int_equal(update_signer_is_development(sg), dev);
	assert_int_equal(update_signer_sign(sg, msg, sizeof(msg) - 1, sig, &siglen, &err), VG_OK);
	assert_int_equal(siglen, 64);
	assert_int_equal(update_signer_public(sg, pub, &publen, &err), VG_OK);
	assert_int_equal(publen, alg == UPDATE_ALG_ED25519 ? 32 : 65);
	assert_int_equal(
	    update_sig_verify(alg, pub, publen, msg, sizeof(msg) - 1, sig, siglen, &err), VG_OK);
	sig[5] ^= 4;
	assert_int_equal(
	    update_sig_verify(alg, pub, publen, msg, sizeof(msg) - 1, sig, siglen, &err), VG_EPERM);
	update_signer_close(sg);
}

static void test_software(void **state)
{
	struct fx *f = *state;
	struct update_signer_info i = {0};
	struct update_signer_list l = {0};
	struct vg_error err = {0};
	char path[128], path2[128];
	struct stat st;
	struct update_signer_spec sp = {
	    .name = "dev", .kind = "software", .uri = path, .alg = UPDATE_ALG_ED25519};

	snprintf(path, sizeof(path), "%s/dev.pem", f->dir);
	if (update_signer_keygen(f->s, &sp, &i, &err))
		fail_msg("keygen: %s", err.msg);
	assert_int_equal(i.development_only, 1);
	assert_string_equal(i.kind, "software");
	assert_string_equal(i.algorithm, "ed25519");
	update_signer_info_release(&i);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	sign_and_verify(f->s, "dev", UPDATE_ALG_ED25519, 1);

	/* p256 too, and the list marks both development only */
	snprintf(path2, sizeof(path2), "%s/dev2.pem", f->dir);
	sp.name = "dev2";
	sp.uri = path2;
	sp.alg = UPDATE_ALG_P256;
	assert_int_equal(update_signer_keygen(f->s, &sp, NULL, &err), VG_OK);
	sign_and_verify(f->s, "dev2", UPDATE_ALG_P256, 1);
	assert_int_equal(update_signer_list(f->s, &l, &err), VG_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].development_only, 1);
	assert_int_equal(l.items[1].development_only, 1);
	update_signer_list_release(&l);

	/* never overwrite, and nothing stored then */
	sp.name = "dev3";
	assert_int_equal(update_signer_keygen(f->s, &sp, NULL, &err), VG_EEXIST);
	assert_non_null(strstr(err.msg, "already exists"));
	assert_int_equal(update_signer_get(f->s, "dev3", &i, &err), VG_ENOTFOUND);

	/* a key file others can read is refused when opened */
	assert_int_equal(chmod(path, 0644), 0);
	{
		struct update_signer *sg = NULL;
		assert_int_equal(update_signer_open(f->s, "dev", &sg, &err), VG_EPERM);
		assert_null(sg);
		assert_non_null(strstr(err.msg, "signer dev: key file"));
	}
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(update_signer_remove(f->s, "dev", &err), VG_OK);
	assert_int_equal(update_signer_get(f->s, "dev", &i, &err), VG_ENOTFOUND);
}

/* ---- SoftHSM2 ---- */

static int softhsm_init(const char *dir)
{
	char conf[256], cmd[512];
	FILE *fp;
	snprintf(conf, sizeof(conf), "%s/softhsm2.conf", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/tokens'", dir);
	if (system(cmd) != 0)
		return -1;
	fp = fopen(conf, "w");
	if (!fp)
		return -1;
	fprintf(fp,
		"directories.tokendir = %s/tokens\nobjectstore.backend = file\n"
		"log.level = ERROR\n",
		dir);
	fclose(fp);
	setenv("SOFTHSM2_CONF", conf, 1);
	snprintf(cmd, sizeof(cmd),
		 "softhsm2-util --init-token --free --label unit-test --pin %s --so-pin 5678 "
		 ">/dev/null",
		 PIN);
	return system(cmd) == 0 ? 0 : -1;
}

/* Ask the token directly (p11-kit, no vigil code): the private key labelled
 * label is sensitive, not extractable, and its value cannot be read. */
static void check_not_extractable(const char *label)
{
	CK_FUNCTION_LIST *fn = p11_kit_module_load("/usr/lib/softhsm/libsofthsm2.so", 0);
	CK_SLOT_ID slots[8];
	CK_ULONG nslots = 8, n = 0;
	CK_SESSION_HANDLE ses;
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE find[2] = {{CKA_CLASS, &cls, sizeof(cls)},
				{CKA_LABEL, (void *)label, strlen(label)}};
	CK_OBJECT_HANDLE h;
	CK_BBOOL extractable = CK_TRUE, sensitive = CK_FALSE, token = CK_FALSE;
	CK_ATTRIBUTE flags[3] = {{CKA_EXTRACTABLE, &extractable, sizeof(extractable)},
				 {CKA_SENSITIVE, &sensitive, sizeof(sensitive)},
				 {CKA_TOKEN, &token, sizeof(token)}};
	CK_BYTE value[128];
	CK_ATTRIBUTE val = {CKA_VALUE, value, sizeof(value)};

	assert_non_null(fn);
	assert_int_equal(p11_kit_module_initialize(fn), CKR_OK);
	assert_int_equal(fn->C_GetSlotList(CK_TRUE, slots, &nslots), CKR_OK);
	assert_true(nslots >= 1);
	assert_int_equal(fn->C_OpenSession(slots[0], CKF_SERIAL_SESSION, NULL, NULL, &ses), CKR_OK);
	assert_int_equal(fn->C_Login(ses, CKU_USER, (CK_UTF8CHAR_PTR)PIN, strlen(PIN)), CKR_OK);
	assert_int_equal(fn->C_FindObjectsInit(ses, find, 2), CKR_OK);
	assert_int_equal(fn->C_FindObjects(ses, &h, 1, &n), CKR_OK);
	fn->C_FindObjectsFinal(ses);
	assert_int_equal(n, 1);
	assert_int_equal(fn->C_GetAttributeValue(ses, h, flags, 3), CKR_OK);
	assert_int_equal(extractable, CK_FALSE);
	assert_int_equal(sensitive, CK_TRUE);
	assert_int_equal(token, CK_TRUE);
	assert_int_equal(fn->C_GetAttributeValue(ses, h, &val, 1), CKR_ATTRIBUTE_SENSITIVE);
	fn->C_Logout(ses);
	fn->C_CloseSession(ses);
	p11_kit_module_finalize(fn);
	p11_kit_module_release(fn);
}

/* How many objects (keys of any class) labelled label the token holds. */
static CK_ULONG count_objects(const char *label)
{
	CK_FUNCTION_LIST *fn = p11_kit_module_load("/usr/lib/softhsm/libsofthsm2.so", 0);
	CK_SLOT_ID slots[8];
	CK_ULONG nslots = 8, n = 0;
	CK_SESSION_HANDLE ses;
	CK_ATTRIBUTE find = {CKA_LABEL, (void *)label, strlen(label)};
	CK_OBJECT_HANDLE h[8];

	assert_non_null(fn);
	assert_int_equal(p11_kit_module_initialize(fn), CKR_OK);
	assert_int_equal(fn->C_GetSlotList(CK_TRUE, slots, &nslots), CKR_OK);
	assert_int_equal(fn->C_OpenSession(slots[0], CKF_SERIAL_SESSION, NULL, NULL, &ses), CKR_OK);
	assert_int_equal(fn->C_Login(ses, CKU_USER, (CK_UTF8CHAR_PTR)PIN, strlen(PIN)), CKR_OK);
	assert_int_equal(fn->C_FindObjectsInit(ses, &find, 1), CKR_OK);
	assert_int_equal(fn->C_FindObjects(ses, h, 8, &n), CKR_OK);
	fn->C_FindObjectsFinal(ses);
	fn->C_CloseSession(ses);
	p11_kit_module_finalize(fn);
	p11_kit_module_release(fn);
	return n;
}

static void test_pkcs11(void **state)
{
	struct fx *f = *state;
	struct update_signer_info i = {0};
	struct update_signer_probe pr;
	struct vg_error err = {0};
	struct update_signer_spec sp = {.kind = "pkcs11"};

	if (softhsm_init(f->dir))
		fail_msg("softhsm2-util --init-token failed (is softhsm2 installed?)");
	setenv("VIGIL_PKCS11_PIN", PIN, 1);

	sp.name = "hsm-ed";
	sp.uri = "pkcs11:token=unit-test;object=k-ed";
	sp.alg = UPDATE_ALG_ED25519;
	if (update_signer_keygen(f->s, &sp, &i, &err))
		fail_msg("keygen ed25519: %s", err.msg);
	assert_int_equal(i.development_only, 0);
	assert_null(i.pin_file);
	update_signer_info_release(&i);
	sign_and_verify(f->s, "hsm-ed", UPDATE_ALG_ED25519, 0);
	check_not_extractable("k-ed");

	sp.name = "hsm-p256";
	sp.uri = "pkcs11:token=unit-test;object=k-p256;id=%0a";
	sp.alg = UPDATE_ALG_P256;
	if (update_signer_keygen(f->s, &sp, NULL, &err))
		fail_msg("keygen p256: %s", err.msg);
	sign_and_verify(f->s, "hsm-p256", UPDATE_ALG_P256, 0);
	check_not_extractable("k-p256");
	assert_int_equal(update_signer_test(f->s, "hsm-p256", &pr, &err), VG_OK);
	assert_int_equal(pr.in_token, 1);
	assert_int_equal(pr.extractable, 0);
	assert_int_equal(pr.value_hidden, 1);

	/* wrong PIN: a clear error naming signer and URI; nothing opened */
	setenv("VIGIL_PKCS11_PIN", "0000", 1);
	{
		struct update_signer *sg = NULL;
		assert_int_equal(update_signer_open(f->s, "hsm-ed", &sg, &err), VG_EAUTH);
		assert_null(sg);
		assert_non_null(strstr(err.msg, "signer hsm-ed: pkcs11:token=unit-test"));
		assert_non_null(strstr(err.msg, "wrong PIN"));
	}
	setenv("VIGIL_PKCS11_PIN", PIN, 1);

	/* a missing token and a URI with a PIN: nothing stored */
	sp.name = "gone";
	sp.uri = "pkcs11:token=no-such;object=k";
	assert_int_equal(update_signer_add(f->s, &sp, NULL, &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "signer gone: pkcs11:token=no-such;object=k"));
	sp.uri = "pkcs11:token=unit-test;object=k-ed?pin-value=" PIN;
	assert_int_equal(update_signer_add(f->s, &sp, NULL, &err), VG_EINVAL);
	assert_null(strstr(err.msg, PIN));
	assert_int_equal(update_signer_get(f->s, "gone", &i, &err), VG_ENOTFOUND);

	/* a key pair made for a signer that then cannot be stored (here: a
	 * transaction already open) is removed from the token again */
	assert_int_equal(count_objects("k-ed"), 2);
	sp.name = "half";
	sp.uri = "pkcs11:token=unit-test;object=k-half";
	sp.alg = UPDATE_ALG_ED25519;
	assert_int_equal(store_tx_begin(f->s, &err), VG_OK);
	assert_int_not_equal(update_signer_keygen(f->s, &sp, NULL, &err), VG_OK);
	store_tx_rollback(f->s);
	assert_int_equal(count_objects("k-half"), 0);
	assert_int_equal(update_signer_get(f->s, "half", &i, &err), VG_ENOTFOUND);
	unsetenv("VIGIL_PKCS11_PIN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alg_names),
	    cmocka_unit_test(test_ed25519_vector),
	    cmocka_unit_test(test_p256_raw_and_der),
	    cmocka_unit_test_setup_teardown(test_software, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_pkcs11, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Under ASan: full stacks on allocation, so the suppression of SoftHSM's own
 * leak (tests/lsan.supp, names our caller p11_sign) is matched; the fast
 * unwinder stops inside libcrypto. Unused in other builds. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}
