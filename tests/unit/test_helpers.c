/*
 * test_helpers.c - the shared helpers of issue 13: the one arena, checked
 * integers and text, the HTML writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/text.h"
#include "http/attach.h"
#include "http/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_arena(void **state)
{
	struct vg_arena a;
	(void)state;
	vg_arena_init(&a, 64 * 1024);
	char *p = vg_arena_alloc(&a, 100);
	assert_non_null(p);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	assert_string_equal(vg_arena_strdup(&a, "abc"), "abc");
	assert_string_equal(vg_arena_strndup(&a, "abcdef", 2), "ab");
	assert_null(vg_arena_strdup(&a, NULL));
	assert_int_equal(((uintptr_t)vg_arena_alloc(&a, 3)) % _Alignof(max_align_t), 0);
	/* the cap: one allocation past it fails and says so */
	assert_null(vg_arena_alloc(&a, 70 * 1024));
	assert_int_equal(a.too_big, 1);
	assert_null(vg_arena_array(&a, SIZE_MAX / 2, 4));
	/* a big block does not stop the small ones from filling the current one */
	vg_arena_release(&a);
	vg_arena_init(&a, 0);
	char *s1 = vg_arena_alloc(&a, 16);
	char *big = vg_arena_alloc(&a, 100 * 1024);
	char *s2 = vg_arena_alloc(&a, 16);
	assert_non_null(big);
	assert_true(s2 > s1 && s2 - s1 < 1024);
	/* reset keeps the blocks: the same memory comes back */
	vg_arena_reset(&a);
	assert_int_equal(a.total, 0);
	assert_ptr_equal(vg_arena_alloc(&a, 16), s1);
	vg_arena_release(&a);

	/* grow: the same array while there is room, then a copy twice as big */
	vg_arena_init(&a, 0);
	{
		int *v = NULL, *g;
		size_t n = 0, cap = 0;
		for (int i = 0; i < 100; i++) {
			g = vg_arena_grow(&a, v, n, &cap, sizeof(*v), 4);
			assert_non_null(g);
			v = g;
			v[n++] = i;
		}
		assert_int_equal(cap, 128);
		for (int i = 0; i < 100; i++)
			assert_int_equal(v[i], i);
		n = cap;
		g = vg_arena_grow(&a, v, n, &cap, SIZE_MAX / 2, 4); /* too big: refused */
		assert_null(g);
		assert_int_equal(cap, 128);
	}
	vg_arena_release(&a);
}

static void test_parse_int(void **state)
{
	struct vg_error err = {0};
	int64_t v = 0;
	(void)state;
	assert_int_equal(vg_parse_int64("42", "limit", 1, 100, &v, &err), VG_OK);
	assert_int_equal(v, 42);
	assert_int_equal(vg_parse_int64("-5", "offset", -10, 10, &v, &err), VG_OK);
	assert_int_equal(v, -5);
	assert_int_equal(vg_parse_int64("abc", "limit", 1, 100, &v, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "limit 'abc'"));
	assert_non_null(strstr(err.msg, "from 1 to 100"));
	assert_int_equal(vg_parse_int64("12x", "limit", 1, 100, &v, &err), VG_EINVAL);
	assert_int_equal(vg_parse_int64("", "limit", 1, 100, &v, &err), VG_EINVAL);
	assert_int_equal(vg_parse_int64(" 1", "limit", 1, 100, &v, &err), VG_EINVAL);
	assert_int_equal(vg_parse_int64("101", "limit", 1, 100, &v, &err), VG_EINVAL);
	assert_int_equal(vg_parse_int64("99999999999999999999", "n", 0, INT64_MAX, &v, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "at least 0"));
	assert_int_equal(vg_parse_int64_opt(NULL, "limit", 1, 100, 7, &v, &err), VG_OK);
	assert_int_equal(v, 7);
	assert_int_equal(vg_id_parse("12", "case", &v, &err), VG_OK);
	assert_int_equal(v, 12);
	assert_int_equal(vg_id_parse("0", "case", &v, &err), VG_EINVAL);
	assert_int_equal(vg_id_parse("-1", "case", &v, &err), VG_EINVAL);
}

static void test_text_check(void **state)
{
	struct vg_error err = {0};
	(void)state;
	assert_int_equal(vg_text_check("f", "ok\tfine", 100, 0, 1, &err), VG_OK);
	assert_int_equal(vg_text_check("f", "a\nb", 100, 0, 1, &err), VG_EINVAL);
	assert_int_equal(vg_text_check("f", "a\nb", 100, 1, 1, &err), VG_OK);
	assert_int_equal(vg_text_check("f", "", 100, 0, 1, &err), VG_EINVAL);
	assert_int_equal(vg_text_check("f", NULL, 100, 0, 0, &err), VG_OK);
	assert_int_equal(vg_text_check("f", "abcdef", 3, 0, 0, &err), VG_ETOOBIG);
	assert_int_equal(vg_text_check("f", "\xc3\x28", 10, 0, 0, &err), VG_EINVAL);
	assert_int_equal(vg_text_check("f", "\xe2\x82\xac", 10, 0, 0, &err), VG_OK);
	/* Unicode direction controls are refused, naming the code point and place */
	assert_int_equal(vg_text_check("name",
				       "invoice\xe2\x80\xae"
				       "fdp.exe",
				       100, 0, 1, &err),
			 VG_EINVAL);
	assert_non_null(
	    strstr(vg_error_msg(&err), "name: byte 7: Unicode direction control U+202E"));
	static const char *const bidi[] = {
	    "\xd8\x9c",     /* U+061C arabic letter mark */
	    "\xe2\x80\x8e", /* U+200E */
	    "\xe2\x80\x8f", /* U+200F */
	    "\xe2\x80\xaa", /* U+202A */
	    "\xe2\x80\xab", /* U+202B */
	    "\xe2\x80\xac", /* U+202C */
	    "\xe2\x80\xad", /* U+202D */
	    "\xe2\x81\xa6", /* U+2066 */
	    "\xe2\x81\xa7", /* U+2067 */
	    "\xe2\x81\xa8", /* U+2068 */
	    "\xe2\x81\xa9", /* U+2069 */
	};
	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		char t[16];
		snprintf(t, sizeof(t), "a%sb", bidi[i]);
		assert_int_equal(vg_text_check("f", t, 100, 1, 1, &err), VG_EINVAL);
		assert_true(vg_text_bidi_at(t + 1, strlen(t + 1)) == strlen(bidi[i]));
	}
	/* neighbours stay allowed: U+2065 (unassigned), U+202F (narrow nbsp),
	 * U+200D (zero-width joiner in emoji), Arabic text */
	assert_int_equal(
	    vg_text_check("f", "\xe2\x81\xa5\xe2\x80\xaf\xe2\x80\x8d", 100, 0, 1, &err), VG_OK);
	assert_int_equal(vg_text_check("f", "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 100, 0, 1, &err),
			 VG_OK);
	assert_true(vg_text_bidi_at("\xe2\x80", 2) == 0);
	assert_true(vg_text_is_bidi(0x202e) && !vg_text_is_bidi(0x202f) && !vg_text_is_bidi('a'));
}

static void test_html(void **state)
{
	struct vg_buf b;
	(void)state;
	vg_buf_init(&b, 1 << 20);
	assert_int_equal(html(&b, "<td class=\"%s\">%s %d %lld %zu %.2f %5s|%-3s|%.3s %%</td>",
			      "a\"b", "<script>&'", -3, 1234567890123LL, (size_t)7, 1.5, "x", "y",
			      "<<<<"),
			 VG_OK);
	assert_string_equal(b.data, "<td class=\"a&quot;b\">&lt;script&gt;&amp;&#39; -3 "
				    "1234567890123 7 1.50 x|y|&lt;&lt;&lt; %</td>");
	vg_buf_reset(&b);
	const char *volatile none = NULL;
	assert_int_equal(html(&b, "[%s][%*d][%.*s]", none, 4, 5, 2, "abc"), VG_OK);
	assert_string_equal(b.data, "[][   5][ab]");
	vg_buf_reset(&b);
	assert_int_equal(html_url(&b, "a b/c?d=é"), VG_OK);
	assert_string_equal(b.data, "a%20b%2Fc%3Fd%3D%C3%A9");
	vg_buf_reset(&b);
	assert_int_equal(html_raw(&b, "<b>"), VG_OK);
	assert_int_equal(html_time(&b, 0, "never"), VG_OK);
	assert_int_equal(html_time(&b, 86400, NULL), VG_OK);
	assert_string_equal(b.data, "<b>never<time datetime=\"1970-01-02T00:00:00Z\">"
				    "1970-01-02T00:00:00Z</time>");
	/* a stored direction control is shown, never obeyed: in text, in
	 * attributes, under a precision, and U+061C as well */
	vg_buf_reset(&b);
	assert_int_equal(html(&b, "<a title=\"%s\">%s</a>|%.4s|%s", "x\xe2\x80\xae\"y",
			      "invoice\xe2\x80\xae"
			      "fdp.exe",
			      "a\xe2\x81\xa6"
			      "bc",
			      "\xd8\x9c<"),
			 VG_OK);
	assert_string_equal(b.data, "<a title=\"x\\u202E&quot;y\">invoice\\u202Efdp.exe</a>"
				    "|a\\u2066|\\u061C&lt;");
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	vg_buf_release(&b);
}

static void test_html_label_change(void **state)
{
	static const struct html_label states[] = {
	    {"in_triage", "In triage"}, {"not_affected", "Not affected"}, {"state", "State"}, {0}};
	struct vg_buf b;
	(void)state;
	vg_buf_init(&b, 1 << 20);
	assert_string_equal(html_label(states, "in_triage"), "In triage");
	assert_string_equal(html_label(states, "<odd>"), "<odd>");
	assert_null(html_label(states, NULL));
	assert_int_equal(html_label_code(&b, states, "not_affected"), VG_OK);
	assert_int_equal(html_label_code(&b, states, "x<y"), VG_OK);
	assert_string_equal(b.data, "Not affected <code>not_affected</code><code>x&lt;y</code>");

	/* only the keys that differ, old struck, new inserted, keys labelled */
	vg_buf_reset(&b);
	json_t *before = json_pack("{s:s, s:i, s:s}", "state", "in_triage", "n", 1, "same", "x");
	json_t *after = json_pack("{s:s, s:i, s:s, s:[i]}", "state", "not_affected", "n", 1, "same",
				  "x", "new", 2);
	assert_int_equal(html_change(&b, before, after, states), VG_OK);
	assert_string_equal(b.data,
			    "<dl class=\"change\"><dt>State</dt><dd><del>in_triage</del> "
			    "<ins>not_affected</ins></dd><dt>new</dt><dd><ins>[2]</ins></dd></dl>");
	/* a removed key, a whole value, nothing at all */
	vg_buf_reset(&b);
	assert_int_equal(html_change(&b, after, before, NULL), VG_OK);
	assert_non_null(strstr(b.data, "<dt>new</dt><dd><del>[2]</del></dd>"));
	vg_buf_reset(&b);
	json_t *s = json_string("<b>");
	assert_int_equal(html_change(&b, NULL, s, NULL), VG_OK);
	assert_string_equal(
	    b.data, "<dl class=\"change\"><dt>value</dt><dd><ins>&lt;b&gt;</ins></dd></dl>");
	vg_buf_reset(&b);
	assert_int_equal(html_change(&b, NULL, NULL, NULL), VG_OK);
	assert_int_equal(html_change(&b, before, before, NULL), VG_OK);
	assert_string_equal(b.data, "<dl class=\"change\"></dl><dl class=\"change\"></dl>");
	json_decref(s);
	json_decref(before);
	json_decref(after);
	vg_buf_release(&b);
}

static void test_attachment(void **state)
{
	char d[1024];
	struct http_resp r = {0};
	(void)state;
	/* quotes, separators, CR/LF, ';' and '%' become '_'; leading dots go */
	assert_string_equal(
	    http_content_disposition("../a\"b\\c;d%e\r\nX-Evil: 1.html", "f", d, sizeof(d)),
	    "attachment; filename=\"_a_b_c_d_e__X-Evil: 1.html\"; "
	    "filename*=UTF-8''_a_b_c_d_e__X-Evil%3A%201.html");
	/* a direction control never reaches the name: "exe.txt" cannot pose as "txt.exe" */
	assert_string_equal(
	    http_content_disposition("invoice\xe2\x80\xae"
				     "txt.exe",
				     "f", d, sizeof(d)),
	    "attachment; filename=\"invoice_txt.exe\"; filename*=UTF-8''invoice_txt.exe");
	/* non-ASCII: '_' per character in the quoted form, the exact name in filename* */
	assert_string_equal(
	    http_content_disposition("r\xc3\xa9sum\xc3\xa9 \xe2\x82\xac.pdf", "f", d, sizeof(d)),
	    "attachment; filename=\"r_sum_ _.pdf\"; "
	    "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.pdf");
	/* invalid UTF-8 bytes are replaced, not passed on */
	assert_string_equal(http_content_disposition("a\xff\xc3"
						     "b",
						     "f", d, sizeof(d)),
			    "attachment; filename=\"a__b\"; filename*=UTF-8''a__b");
	/* nothing left: the fallback */
	assert_string_equal(http_content_disposition("...", "sbom-7.json", d, sizeof(d)),
			    "attachment; filename=\"sbom-7.json\"; filename*=UTF-8''sbom-7.json");
	assert_string_equal(http_content_disposition(NULL, NULL, d, sizeof(d)),
			    "attachment; filename=\"download\"; filename*=UTF-8''download");
	/* long names are cut to 200 bytes on a character boundary */
	{
		char longname[700];
		for (int i = 0; i < 300; i++)
			memcpy(longname + 2 * i, "\xc3\xa9", 2);
		longname[600] = '\0';
		http_content_disposition(longname, "f", d, sizeof(d));
		assert_non_null(strstr(d, "filename*=UTF-8''%C3%A9"));
		assert_int_equal(strlen(strstr(d, "''") + 2), 100 * 6);
	}
	/* types: never a page */
	assert_string_equal(http_attachment_type(" {\"a\":1}", 8), "application/json");
	assert_string_equal(http_attachment_type("\xef\xbb\xbf<bom/>", 9), "application/xml");
	assert_string_equal(http_attachment_type("GIF89a", 6), "application/octet-stream");
	vg_buf_init(&r.body, 1 << 20);
	assert_int_equal(http_attachment(&r, "<html>", 6, "text/html", "x.html", "f"), VG_OK);
	assert_string_equal(r.ctype, "application/octet-stream");
	assert_int_equal(r.status, 200);
	assert_int_equal(r.nheaders, 2);
	assert_string_equal(r.hnames[0], "Content-Disposition");
	assert_string_equal(r.hvalues[0],
			    "attachment; filename=\"x.html\"; filename*=UTF-8''x.html");
	assert_string_equal(r.hnames[1], "Content-Security-Policy");
	assert_string_equal(r.hvalues[1], "sandbox; default-src 'none'");
	for (int i = 0; i < r.nheaders; i++)
		free(r.hvalues[i]);
	vg_buf_release(&r.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arena),
	    cmocka_unit_test(test_parse_int),
	    cmocka_unit_test(test_text_check),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_html_label_change),
	    cmocka_unit_test(test_attachment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
