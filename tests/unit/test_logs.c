/*
 * test_logs.c - the parsers and the block text of the log store
 * (evidence/log_parse.h, evidence/log_block.h): RFC 6587 framing fed in
 * pieces, RFC 5424 with the vigil@32473 structured data, RFC 3164, garbage
 * kept as a message, JSON lines with their errors, and a block's text
 * written and read back with tabs, newlines and backslashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "evidence/log_block.h"
#include "evidence/log_parse.h"

#include <stdio.h>
#include <string.h>

struct frames {
	char got[8][128];
	int n;
};

static int on_frame(const char *f, size_t n, void *arg)
{
	struct frames *fr = arg;
	if (fr->n < 8)
		snprintf(fr->got[fr->n], sizeof(fr->got[0]), "%.*s", (int)n, f);
	fr->n++;
	return 0;
}

static void test_framing(void **state)
{
	const char *in = "5 hello11 hello world<13>lf frame\r\n\n3 abc";
	struct log_framer f;
	struct frames fr = {0};
	struct vg_error err = {0};
	(void)state;
	/* byte by byte, as a slow socket would deliver it */
	log_framer_init(&f, 64);
	for (size_t i = 0; i < strlen(in); i++)
		assert_int_equal(log_framer_feed(&f, in + i, 1, on_frame, &fr, &err), 1);
	assert_int_equal(fr.n, 4);
	assert_string_equal(fr.got[0], "hello");
	assert_string_equal(fr.got[1], "hello world");
	assert_string_equal(fr.got[2], "<13>lf frame");
	assert_string_equal(fr.got[3], "abc");
	assert_false(log_framer_partial(&f));
	/* an unfinished frame is partial */
	assert_int_equal(log_framer_feed(&f, "10 abc", 6, on_frame, &fr, &err), 6);
	assert_true(log_framer_partial(&f));
	log_framer_release(&f);

	/* an octet count over the bound, and one not followed by a space */
	log_framer_init(&f, 64);
	assert_int_equal(log_framer_feed(&f, "65 x", 4, on_frame, &fr, &err), -1);
	assert_non_null(strstr(err.msg, "octet count over 64"));
	log_framer_release(&f);
	log_framer_init(&f, 64);
	assert_int_equal(log_framer_feed(&f, "12x", 3, on_frame, &fr, &err), -1);
	log_framer_release(&f);

	/* an LF frame over the bound is cut, the next kept */
	{
		char big[200];
		memset(big, 'y', sizeof(big));
		big[150] = '\n';
		memcpy(big + 151, "next\n", 5);
		memset(&fr, 0, sizeof(fr));
		log_framer_init(&f, 64);
		assert_int_equal(log_framer_feed(&f, big, 156, on_frame, &fr, &err), 156);
		assert_int_equal(fr.n, 2);
		assert_int_equal(strlen(fr.got[0]), 64);
		assert_string_equal(fr.got[1], "next");
		assert_int_equal(f.oversize, 1);
		log_framer_release(&f);
	}
}

static void test_rfc5424(void **state)
{
	struct vg_arena a;
	struct vg_error err = {0};
	struct log_event ev;
	const char *m = "<165>1 2026-10-11T22:14:15.003Z gw1.example gateway 1234 ID47 "
			"[exampleSDID@32473 iut=\"3\"][vigil@32473 product=\"router\" "
			"version=\"2.1\\]x\"] \xef\xbb\xbfGET /api/v2/a 200";
	(void)state;
	vg_arena_init(&a, 0);
	assert_int_equal(log_syslog_parse(m, strlen(m), 1800000000, &ev, &a, &err), VG_OK);
	assert_int_equal(ev.time, 1791756855);
	assert_int_equal(ev.received, 1800000000);
	assert_string_equal(ev.source, "gateway");
	assert_string_equal(ev.host, "gw1.example");
	assert_string_equal(ev.product, "router");
	assert_string_equal(ev.version, "2.1]x");
	assert_string_equal(ev.message, "GET /api/v2/a 200");
	assert_non_null(strstr(ev.fields, "\"procid\":\"1234\""));
	assert_non_null(strstr(ev.fields, "\"severity\":5"));
	assert_non_null(strstr(ev.fields, "\"facility\":20"));
	assert_int_equal(log_event_check(&ev, "t", &err), VG_OK);
	vg_arena_release(&a);
}

/* Found by fuzz_syslog_msg: a product too long to keep was dropped but its
 * version kept, and the store refused the event ("version given without a
 * product"). Both go; the event is kept. */
static void test_rfc5424_long_product(void **state)
{
	struct vg_arena a;
	struct vg_error err = {0};
	struct log_event ev;
	char m[1024];
	int n = snprintf(m, sizeof(m),
			 "<34>1 2026-10-11T22:14:15Z gw1 gateway - - "
			 "[vigil@32473 product=\"%0400d\" version=\"2.1\"] long product",
			 7);
	(void)state;
	vg_arena_init(&a, 0);
	assert_int_equal(log_syslog_parse(m, (size_t)n, 1800000000, &ev, &a, &err), VG_OK);
	assert_string_equal(ev.product, "");
	assert_string_equal(ev.version, "");
	assert_string_equal(ev.message, "long product");
	assert_int_equal(log_event_check(&ev, "t", &err), VG_OK);
	vg_arena_release(&a);
}

static void test_rfc3164_and_garbage(void **state)
{
	struct vg_arena a;
	struct vg_error err = {0};
	struct log_event ev;
	const char *m = "<13>Oct  3 09:01:02 update1 nginx[812]: GET /fw.bin 200";
	const char *g = "\xff\x01 plain \xe2\x80\xae text";
	(void)state;
	vg_arena_init(&a, 0);
	/* received 2026-10-05: the year is taken from it */
	assert_int_equal(log_syslog_parse(m, strlen(m), 1791158400, &ev, &a, &err), VG_OK);
	assert_string_equal(ev.source, "nginx");
	assert_string_equal(ev.host, "update1");
	assert_string_equal(ev.message, "GET /fw.bin 200");
	assert_int_equal(ev.time, 1791018062); /* 2026-10-03T09:01:02Z */
	/* received 2027-01-01: October is last year's */
	assert_int_equal(log_syslog_parse(m, strlen(m), 1798761600, &ev, &a, &err), VG_OK);
	assert_int_equal(ev.time, 1791018062);
	assert_int_equal(log_syslog_parse(g, strlen(g), 1791158400, &ev, &a, &err), VG_OK);
	assert_string_equal(ev.source, "syslog");
	assert_int_equal(ev.time, 1791158400);
	assert_int_equal(log_event_check(&ev, "t", &err), VG_OK);
	assert_null(strstr(ev.message, "\xe2\x80\xae"));
	vg_arena_release(&a);
}

static void test_json_line(void **state)
{
	struct vg_arena a;
	struct vg_error err = {0};
	struct log_event ev;
	const char *ok = "{\"time\":\"2026-10-11T22:14:15Z\",\"source\":\"gateway\",\"message\":"
			 "\"m\",\"product\":\"p\",\"version\":\"1\",\"path\":\"/x\",\"n\":2}";
	(void)state;
	vg_arena_init(&a, 0);
	assert_int_equal(log_json_line(ok, strlen(ok), 5, &ev, &a, &err), VG_OK);
	assert_int_equal(ev.time, 1791756855);
	assert_string_equal(ev.product, "p");
	assert_string_equal(ev.fields, "{\"n\":2,\"path\":\"/x\"}");
	{
		const char *nomsg = "{\"time\":1,\"source\":\"s\"}";
		assert_int_not_equal(log_json_line(nomsg, strlen(nomsg), 5, &ev, &a, &err), VG_OK);
	}
	assert_non_null(strstr(err.msg, "\"message\""));
	{
		const char *badt = "{\"time\":true,\"source\":\"s\",\"message\":\"m\"}";
		assert_int_not_equal(log_json_line(badt, strlen(badt), 5, &ev, &a, &err), VG_OK);
	}
	assert_non_null(strstr(err.msg, "\"time\""));
	assert_int_not_equal(log_json_line("[1]", 3, 5, &ev, &a, &err), VG_OK);
	{
		const char *vnp =
		    "{\"time\":1,\"source\":\"s\",\"message\":\"m\",\"version\":\"1\"}";
		assert_int_not_equal(log_json_line(vnp, strlen(vnp), 5, &ev, &a, &err), VG_OK);
	}
	assert_non_null(strstr(err.msg, "version given without a product"));
	vg_arena_release(&a);
}

struct back {
	struct log_event ev[4];
	char keep[4][3][64];
	int n;
};

static int read_back(const struct log_event *ev, void *arg)
{
	struct back *b = arg;
	b->ev[b->n] = *ev;
	snprintf(b->keep[b->n][0], 64, "%s", ev->host);
	snprintf(b->keep[b->n][1], 64, "%s", ev->fields ? ev->fields : "");
	snprintf(b->keep[b->n][2], 64, "%s", ev->message);
	b->n++;
	return 0;
}

static void test_block_text(void **state)
{
	struct vg_buf b;
	struct log_event e1 = {100,        103, "s", "p", "1", "h\t1", "two\nlines \\ and\ttab",
			       "{\"a\":1}"};
	struct log_event e2 = {99, 99, "s", "p", "1", "", "", NULL};
	struct back bk = {0};
	char scratch[256];
	char *z = NULL, *raw = NULL;
	size_t zn = 0, rn = 0;
	(void)state;
	vg_buf_init(&b, 0);
	assert_int_equal(log_block_add(&b, &e2, 99), 0);
	assert_int_equal(log_block_add(&b, &e1, 99), 0);
	assert_int_equal(log_zcompress(b.data, b.len, 3, NULL, 0, &z, &zn, NULL), VG_OK);
	assert_int_equal(log_zdecompress(z, zn, NULL, 0, 1 << 20, &raw, &rn, NULL), VG_OK);
	assert_int_equal(rn, b.len);
	assert_int_equal(log_block_each(raw, rn, 99, "s", "p", "1", read_back, &bk, scratch), 0);
	assert_int_equal(bk.n, 2);
	assert_int_equal(bk.ev[1].time, 100);
	assert_int_equal(bk.ev[1].received, 103);
	assert_string_equal(bk.keep[1][0], "h\t1");
	assert_string_equal(bk.keep[1][1], "{\"a\":1}");
	assert_string_equal(bk.keep[1][2], "two\nlines \\ and\ttab");
	assert_string_equal(bk.keep[0][1], "");
	assert_int_equal(log_block_each("x\t", 2, 0, "s", "", "", read_back, &bk, scratch), -1);
	/* damaged compressed bytes are an error, not a crash */
	z[zn / 2] ^= 0x55;
	free(raw);
	raw = NULL;
	if (log_zdecompress(z, zn, NULL, 0, 1 << 20, &raw, &rn, NULL) == VG_OK)
		assert_true(rn == b.len);
	free(raw);
	free(z);
	vg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_framing),
	    cmocka_unit_test(test_rfc5424),
	    cmocka_unit_test(test_rfc5424_long_product),
	    cmocka_unit_test(test_rfc3164_and_garbage),
	    cmocka_unit_test(test_json_line),
	    cmocka_unit_test(test_block_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
