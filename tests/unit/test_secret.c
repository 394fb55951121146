/*
 * test_secret.c - the master key file and what is derived from it.
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/error.h"
#include "core/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[64];
static char g_key[128];

static int setup(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof(g_dir), "/tmp/vg-secret-XXXXXX");
	assert_non_null(mkdtemp(g_dir));
	snprintf(g_key, sizeof(g_key), "%s/sub/secret.key", g_dir);
	vg_config_set("secrets.key_file", g_key);
	vg_secret_reset();
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];
	(void)state;
	vg_secret_reset();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_key_file_created_private(void **state)
{
	struct vg_error err = {0};
	uint8_t a[VG_SECRET_KEY_LEN], b[VG_SECRET_KEY_LEN];
	struct stat st;
	(void)state;
	assert_int_equal(vg_secret_derive("notify-secret", a, &err), VG_OK);
	assert_int_equal(stat(g_key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, VG_SECRET_KEY_LEN);
	/* the same key after a restart; another purpose gives another key */
	vg_secret_reset();
	assert_int_equal(vg_secret_derive("notify-secret", b, &err), VG_OK);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_equal(vg_secret_derive("reporter-addr", b, &err), VG_OK);
	assert_memory_not_equal(a, b, sizeof(a));
	/* a key file others can read is refused */
	vg_secret_reset();
	assert_int_equal(chmod(g_key, 0644), 0);
	assert_int_equal(vg_secret_derive("notify-secret", a, &err), VG_EPERM);
	assert_non_null(strstr(vg_error_msg(&err), "chmod 600"));
	assert_int_equal(chmod(g_key, 0600), 0);
}

static void test_seal_open(void **state)
{
	struct vg_error err = {0};
	char *sealed = NULL, *sealed2 = NULL, *plain = NULL;
	char mac1[65], mac2[65];
	(void)state;
	assert_int_equal(
	    vg_secret_seal("notify-secret", "https://u:pw@hooks.example/x", &sealed, &err), VG_OK);
	assert_true(vg_secret_is_sealed(sealed));
	assert_null(strstr(sealed, "pw@"));
	/* a fresh nonce each time */
	assert_int_equal(
	    vg_secret_seal("notify-secret", "https://u:pw@hooks.example/x", &sealed2, &err), VG_OK);
	assert_string_not_equal(sealed, sealed2);
	assert_int_equal(vg_secret_open("notify-secret", sealed, &plain, &err), VG_OK);
	assert_string_equal(plain, "https://u:pw@hooks.example/x");
	free(plain);
	/* the purpose is bound: another purpose does not open it */
	assert_int_equal(vg_secret_open("reporter-addr", sealed, &plain, &err), VG_EPERM);
	assert_null(plain);
	/* one changed character is refused */
	sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
	assert_int_not_equal(vg_secret_open("notify-secret", sealed, &plain, &err), VG_OK);
	assert_int_not_equal(vg_secret_open("notify-secret", "plain text", &plain, &err), VG_OK);
	/* another key file: nothing opens */
	vg_secret_reset();
	assert_int_equal(unlink(g_key), 0);
	assert_int_equal(vg_secret_open("notify-secret", sealed2, &plain, &err), VG_EPERM);
	free(sealed);
	free(sealed2);
	/* keyed hashes: stable under one key, not the plain SHA-256 */
	assert_int_equal(vg_secret_mac_hex("reporter-addr", "127.0.0.1", 9, mac1, &err), VG_OK);
	assert_int_equal(vg_secret_mac_hex("reporter-addr", "127.0.0.1", 9, mac2, &err), VG_OK);
	assert_string_equal(mac1, mac2);
	assert_string_not_equal(mac1,
				"12ca17b49af2289436f303e0166030a21e525d266e209267433801a8fd4071a0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_key_file_created_private, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_seal_open, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
