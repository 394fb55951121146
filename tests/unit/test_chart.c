/*
 * test_chart.c - http/chart.h: every chart carries its title, a description
 * in words, its legend and its numbers as a table; text from data is
 * escaped; no data and all-zero data draw without dividing by zero; a long
 * label is cut in the picture and whole in the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "http/chart.h"

#include <stdio.h>
#include <string.h>

static const char *dur(int64_t v, char *out, size_t n)
{
	snprintf(out, n, "%lldd", (long long)(v / 86400));
	return out;
}

static void test_lines(void **state)
{
	struct vg_buf b = VG_BUF_INIT;
	const char *labels[] = {"2026-10-01", "2026-10-02", "2026-10-03"};
	int64_t crit[] = {1, 3, 2}, low[] = {0, 0, 5};
	struct chart_series s[] = {{"critical", "#a4161a", crit}, {"low <x>", "#1f5fbf", low}};
	(void)state;
	assert_int_equal(chart_lines(&b, &(struct chart){"c1", "Open <findings>", "open findings",
							 "day", 3, labels, 2, s, NULL, NULL}),
			 0);
	assert_non_null(strstr(b.data, "<figure class=\"chart-fig\" id=\"c1\">"));
	assert_non_null(strstr(b.data, "<figcaption>Open &lt;findings&gt;</figcaption>"));
	assert_non_null(strstr(b.data, "role=\"img\" aria-labelledby=\"c1-t c1-d\""));
	assert_non_null(strstr(b.data, "<title id=\"c1-t\">Open &lt;findings&gt;</title>"));
	/* the description says the latest values in words */
	assert_non_null(strstr(b.data, "2026-10-01 to 2026-10-03. At the end: critical 2, low "
				       "&lt;x&gt; 5</desc>"));
	/* axes: 0 and the maximum (made even so the middle tick is whole) */
	assert_non_null(strstr(b.data, ">6</text>"));
	assert_non_null(strstr(b.data, ">3</text>"));
	/* the legend gives the latest value beside the colour */
	assert_non_null(strstr(b.data, " critical <strong>2</strong>"));
	/* the numbers as a table */
	assert_non_null(strstr(b.data, "<th scope=\"row\">2026-10-02</th><td>3</td><td>0</td>"));
	assert_null(strstr(b.data, "<x>"));
	vg_buf_release(&b);
}

static void test_empty(void **state)
{
	struct vg_buf b = VG_BUF_INIT;
	int64_t zero[] = {0, 0};
	const char *labels[] = {"a", "b"};
	struct chart_series s[] = {{"n", "#000", zero}};
	(void)state;
	assert_int_equal(
	    chart_lines(&b, &(struct chart){"e1", "t", "u", "x", 0, NULL, 1, s, NULL, NULL}), 0);
	assert_int_equal(
	    chart_columns(&b, &(struct chart){"e2", "t", "u", "x", 2, labels, 1, s, NULL, NULL}),
	    0);
	assert_int_equal(
	    chart_rows(&b, &(struct chart){"e3", "t", "u", "x", 0, NULL, 1, s, NULL, NULL}), 0);
	assert_int_equal(
	    chart_rows(&b, &(struct chart){"e4", "t", "u", "x", 2, labels, 1, s, NULL, NULL}), 0);
	assert_non_null(strstr(b.data, "id=\"e4\""));
	assert_null(strstr(b.data, "<rect x=\"200\"")); /* no bar for zero */
	vg_buf_release(&b);
}

static void test_columns_rows(void **state)
{
	struct vg_buf b = VG_BUF_INIT;
	const char *labels[] = {"late", "today"};
	int64_t late[] = {4, 0}, due[] = {0, 2};
	struct chart_series s[] = {{"past due", "#a61e1e", late}, {"falls due", "#1f5fbf", due}};
	const char *names[] = {
	    "a-product-with-a-very-long-name-indeed", "b",
	    "produit-x\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9-suite-longue"};
	int64_t mean[] = {3 * 86400, 86400, 0};
	struct chart_series m = {"mean", "#1d7a3a", mean};
	(void)state;
	assert_int_equal(chart_columns(&b, &(struct chart){"b1", "Burn", "open findings", "due", 2,
							   labels, 2, s, "a <note>", NULL}),
			 0);
	assert_non_null(strstr(b.data, "6 open findings in all: late 4, today 2</desc>"));
	assert_non_null(strstr(b.data, "<title>late, past due: 4</title>"));
	assert_non_null(strstr(b.data, " past due <strong>4</strong>"));
	assert_non_null(strstr(b.data, "<p class=\"hint\">a &lt;note&gt;</p>"));
	vg_buf_reset(&b);
	assert_int_equal(chart_rows(&b, &(struct chart){"r1", "MTTR", "mean time", "product", 3,
							names, 1, &m, NULL, dur}),
			 0);
	/* cut in the picture, whole in the table, values through fmt */
	assert_non_null(strstr(b.data, ">a-product-with-a-ver\xe2\x80\xa6</text>"));
	assert_non_null(strstr(b.data,
			       "<th scope=\"row\">a-product-with-a-very-long-name-indeed</th>"
			       "<td>3d</td>"));
	assert_non_null(strstr(b.data, "mean time by product: a-product-with-a-very-long-name-"
				       "indeed 3d, b 1d, produit"));
	/* the cut never splits a UTF-8 sequence: byte 20 is inside the sixth e-acute, so five are
	 * kept */
	assert_non_null(
	    strstr(b.data, ">produit-x\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6<"));
	vg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_columns_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
