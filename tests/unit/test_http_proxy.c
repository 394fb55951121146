/*
 * test_http_proxy.c - issue 16 item 3: the trusted-proxy list and who the
 * client is behind proxies (http/proxy.h); and the body classes of routes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "http/http.h"
#include "http/proxy.h"

#include <string.h>

static const char *client(const struct http_proxies *p, const char *peer, const char *xff)
{
	static char out[64];
	const char *v[1] = {xff};
	http_client_address(p, peer, v, xff ? 1 : 0, out, sizeof(out));
	return out;
}

static void test_parse(void **state)
{
	struct http_proxies p;
	struct vg_error err = {0};
	(void)state;
	assert_int_equal(http_proxies_parse(NULL, "x", &p, &err), VG_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(http_proxies_parse(" 10.1.2.3/8,192.0.2.7  2001:db8::/32,", "x", &p, &err),
			 VG_OK);
	assert_int_equal(p.n, 3);
	assert_true(http_proxies_match(&p, "10.200.0.1"));
	assert_false(http_proxies_match(&p, "11.0.0.1"));
	assert_true(http_proxies_match(&p, "192.0.2.7"));
	assert_false(http_proxies_match(&p, "192.0.2.8"));
	assert_true(http_proxies_match(&p, "2001:db8:1::9"));
	assert_true(http_proxies_match(&p, "::ffff:10.0.0.1")); /* mapped is IPv4 */
	assert_false(http_proxies_match(&p, "2001:db9::1"));
	assert_false(http_proxies_match(&p, "junk"));
	assert_int_equal(http_proxies_parse("10.0.0.0/33", "server.trusted_proxies", &p, &err),
			 VG_EINVAL);
	assert_non_null(
	    strstr(vg_error_msg(&err), "server.trusted_proxies: '10.0.0.0/33' (entry 1)"));
	assert_int_equal(http_proxies_parse("1.2.3.4, host.example", "x", &p, &err), VG_EINVAL);
	assert_non_null(strstr(vg_error_msg(&err), "'host.example' (entry 2)"));
	assert_int_equal(http_proxies_parse("::/0 0.0.0.0/0", "x", &p, &err), VG_OK);
	assert_true(http_proxies_match(&p, "8.8.8.8"));
}

static void test_client(void **state)
{
	struct http_proxies p;
	struct vg_error err = {0};
	(void)state;
	assert_int_equal(http_proxies_parse("10.0.0.0/8 127.0.0.1 2001:db8::/32", "x", &p, &err),
			 VG_OK);
	/* an untrusted peer is the client, whatever it sends */
	assert_string_equal(client(&p, "192.0.2.1", "198.51.100.7"), "192.0.2.1");
	/* the right-most address that is not a trusted proxy */
	assert_string_equal(client(&p, "127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.5"),
			    "198.51.100.7");
	assert_string_equal(client(&p, "127.0.0.1", NULL), "127.0.0.1");
	/* every hop trusted: the left-most */
	assert_string_equal(client(&p, "127.0.0.1", "10.0.0.9, 10.0.0.5"), "10.0.0.9");
	/* ports and brackets, canonical text */
	assert_string_equal(client(&p, "127.0.0.1", "198.51.100.7:5555"), "198.51.100.7");
	assert_string_equal(client(&p, "127.0.0.1", "[2001:DB9:0::1]:443"), "2001:db9::1");
	assert_string_equal(client(&p, "127.0.0.1", "::ffff:198.51.100.9"), "198.51.100.9");
	/* junk stops the walk; empty elements are skipped */
	assert_string_equal(client(&p, "127.0.0.1", "198.51.100.7, unknown"), "127.0.0.1");
	assert_string_equal(client(&p, "127.0.0.1", "198.51.100.7, , "), "198.51.100.7");
	/* several headers: the last is the right-most */
	{
		const char *v[2] = {"203.0.113.1", "10.0.0.1"};
		char out[64];
		http_client_address(&p, "127.0.0.1", v, 2, out, sizeof(out));
		assert_string_equal(out, "203.0.113.1");
	}
}

static void test_proto(void **state)
{
	const char *a[1] = {"https"}, *b[1] = {"https, http"}, *c[2] = {"http", "HTTPS "};
	(void)state;
	assert_true(http_forwarded_https(a, 1));
	assert_false(http_forwarded_https(b, 1));
	assert_true(http_forwarded_https(c, 2));
	assert_false(http_forwarded_https(NULL, 0));
}

static int dummy(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	(void)resp;
	return 0;
}

static void test_body_classes(void **state)
{
	struct http_route r = {"POST", "/x", 0, 0, dummy, "", ""};
	(void)state;
	assert_int_equal(http_route_body_limit(&r), 64 * 1024);
	r.flags = HTTP_NO_CSRF | HTTP_BODY_TEXT;
	assert_int_equal(http_route_body_limit(&r), 256 * 1024);
	r.flags = HTTP_UI | HTTP_BODY_FORM;
	assert_int_equal(http_route_body_limit(&r), 32 * 1024 * 1024);
	r.flags = HTTP_BODY_LOG2(20);
	assert_int_equal(http_route_body_limit(&r), 1024 * 1024);
	r.flags = HTTP_BODY_UPLOAD;
	assert_true(http_route_body_limit(&r) > ((size_t)1 << 40));
	assert_int_equal(HTTP_BODY_UPLOAD & (HTTP_UI | HTTP_NO_CSRF | HTTP_HIDDEN), 0);
	/* file uploads (release artifacts): server.file_limit, 16 GiB by default */
	r.flags = HTTP_BODY_FILE;
	assert_true(http_route_body_limit(&r) == ((size_t)16 << 30));
	assert_int_equal(HTTP_BODY_MASK & HTTP_BODY_FILE, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_client),
	    cmocka_unit_test(test_proto),
	    cmocka_unit_test(test_body_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
