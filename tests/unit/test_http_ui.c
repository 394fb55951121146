/*
 * test_http_ui.c - issue 17 item 5: the web shell's form helpers
 * (http/ui.h): fields with their errors (label, value kept and escaped,
 * aria-describedby, aria-invalid), the error summary, the one date-field
 * parser, the resend page's decoding and escaping, error pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/error.h"
#include "http/http.h"
#include "http/ui.h"

#include <stdio.h>
#include <string.h>

static void test_dates(void **state)
{
	int64_t t = -1;
	(void)state;
	assert_int_equal(ui_parse_date("2026-09-11", &t), VG_OK);
	assert_int_equal(t, 1789084800);
	assert_int_equal(ui_parse_date("2026-09-11T10:30", &t), VG_OK); /* datetime-local, UTC */
	assert_int_equal(t, 1789084800 + 10 * 3600 + 30 * 60);
	assert_int_equal(ui_parse_date("2026-09-11T10:30:00+02:00", &t), VG_OK);
	assert_int_equal(t, 1789084800 + 8 * 3600 + 30 * 60);
	assert_int_equal(ui_parse_date("2026-02-29", &t), VG_EINVAL); /* not a leap year */
	assert_int_equal(ui_parse_date("2028-02-29", &t), VG_OK);
	assert_int_equal(ui_parse_date("2026-13-01", &t), VG_EINVAL);
	assert_int_equal(ui_parse_date("11/09/2026", &t), VG_EINVAL);
	assert_int_equal(ui_parse_date("tomorrow", &t), VG_EINVAL);
	assert_int_equal(ui_parse_date("2026-09-1", &t), VG_EINVAL);
	assert_int_equal(ui_parse_date("2026-09-11T25:00", &t), VG_EINVAL);
	assert_int_equal(ui_parse_date("", &t), VG_EINVAL);
	assert_int_equal(ui_parse_date(NULL, &t), VG_EINVAL);
}

static void test_form_date(void **state)
{
	struct http_req req;
	struct ui_form_errors fe = {0};
	int64_t t = -1;
	(void)state;
	memset(&req, 0, sizeof(req));
	vg_buf_init(&req.body, 0);
	assert_int_equal(vg_buf_adds(&req.body, "due=2026-02-30&start=2026-09-11&end="), VG_OK);
	assert_int_equal(ui_form_date(&req, "due", "Due date", &t, &fe), VG_EINVAL);
	assert_int_equal(t, 0);
	assert_int_equal(fe.n, 1);
	assert_string_equal(ui_form_error_of(&fe, "due"),
			    "Due date must be a real date, like 2026-09-11");
	assert_int_equal(ui_form_date(&req, "start", "Start", &t, &fe), VG_OK);
	assert_int_equal(t, 1789084800);
	assert_int_equal(ui_form_date(&req, "end", "End", &t, &fe), VG_OK); /* empty: 0 */
	assert_int_equal(t, 0);
	assert_int_equal(ui_form_date(&req, "absent", "Absent", &t, &fe), VG_OK);
	assert_int_equal(fe.n, 1);
	vg_buf_release(&req.body);
}

static void test_field(void **state)
{
	struct ui_form_errors fe = {0};
	struct vg_buf b = VG_BUF_INIT;
	(void)state;
	ui_form_error(&fe, "name", "Enter a name <now>");
	ui_form_error(&fe, "name", "a second error of the same field is dropped");
	assert_int_equal(fe.n, 1);
	assert_int_equal(ui_field(&b, &fe,
				  &(struct ui_field){.name = "name",
						     .label = "Name",
						     .value = "\"><script>x",
						     .hint = "As on the box",
						     .attrs = "required"}),
			 VG_OK);
	assert_non_null(strstr(b.data, "<label for=\"name\">Name</label>"));
	assert_non_null(strstr(b.data, "value=\"&quot;&gt;&lt;script&gt;x\""));
	assert_non_null(strstr(b.data, "aria-describedby=\"name-hint name-error\""));
	assert_non_null(strstr(b.data, "aria-invalid=\"true\" required>"));
	assert_non_null(strstr(b.data, "id=\"name-error\""));
	assert_non_null(strstr(b.data, "Enter a name &lt;now&gt;"));
	assert_null(strstr(b.data, "<script"));
	vg_buf_reset(&b);
	assert_int_equal(ui_field(&b, &fe, &(struct ui_field){.name = "vendor", .label = "Vendor"}),
			 VG_OK);
	assert_null(strstr(b.data, "aria-invalid"));
	assert_null(strstr(b.data, "aria-describedby"));
	vg_buf_reset(&b);
	assert_int_equal(ui_field(&b, NULL,
				  &(struct ui_field){.name = "cls",
						     .label = "Class",
						     .type = "select",
						     .value = "b",
						     .options = "a|First\nb|Second"}),
			 VG_OK);
	assert_non_null(strstr(b.data, "<option value=\"b\" selected>Second</option>"));
	assert_non_null(strstr(b.data, "<option value=\"a\">First</option>"));
	vg_buf_reset(&b);
	assert_int_equal(ui_error_summary(&b, &fe), VG_OK);
	assert_non_null(strstr(b.data, "<a href=\"#name\">Enter a name &lt;now&gt;</a>"));
	assert_non_null(strstr(b.data, "id=\"error-summary\""));
	vg_buf_reset(&b);
	fe.n = 0;
	assert_int_equal(ui_error_summary(&b, &fe), VG_OK);
	assert_int_equal(b.len, 0);
	vg_buf_release(&b);
}

static void test_resend(void **state)
{
	static const char body[] =
	    "csrf=old-token&name=%3Cimg+src%3Dx%3E&vendor=A+%26+B&bad=%zz&=&x";
	struct http_req req;
	struct http_resp resp;
	(void)state;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.who.role = ROLE_PSIRT;
	snprintf(req.who.csrf, sizeof(req.who.csrf), "%s", "fresh-token");
	vg_buf_init(&resp.body, 0);
	assert_int_equal(ui_resend_page(&req, &resp, 403, "This form had expired", "Again.",
					"/ui/products", body, strlen(body)),
			 VG_OK);
	assert_int_equal(resp.status, 403);
	assert_non_null(strstr(resp.body.data, "value=\"fresh-token\""));
	assert_null(strstr(resp.body.data, "old-token"));
	assert_non_null(strstr(resp.body.data, "name=\"name\" value=\"&lt;img src=x&gt;\""));
	assert_null(strstr(resp.body.data, "<img"));
	assert_non_null(strstr(resp.body.data, "name=\"vendor\" value=\"A &amp; B\""));
	assert_non_null(strstr(resp.body.data, "action=\"/ui/products\""));
	assert_non_null(strstr(resp.body.data, "<html lang=\"en\">"));
	vg_buf_release(&resp.body);
}

static void test_error_page(void **state)
{
	struct http_req req;
	struct http_resp resp;
	(void)state;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	vg_buf_init(&resp.body, 0);
	assert_int_equal(ui_is_path("/ui/x"), 1);
	assert_int_equal(ui_is_path("/ui"), 1);
	assert_int_equal(ui_is_path("/uix"), 0);
	assert_int_equal(ui_is_path("/api/v1/x"), 0);
	ui_error_page(&req, &resp, 404, NULL);
	assert_int_equal(resp.status, 404);
	assert_string_equal(resp.ctype, "text/html; charset=utf-8");
	assert_non_null(strstr(resp.body.data, "<title>Page not found - vigil</title>"));
	assert_non_null(strstr(resp.body.data, "href=\"/ui/login\"")); /* anonymous: a way in */
	vg_buf_reset(&resp.body);
	ui_error_page(&req, &resp, 500, "<b>bold</b>");
	assert_int_equal(resp.status, 500);
	assert_non_null(strstr(resp.body.data, "&lt;b&gt;bold&lt;/b&gt;"));
	vg_buf_release(&resp.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dates),      cmocka_unit_test(test_form_date),
	    cmocka_unit_test(test_field),      cmocka_unit_test(test_resend),
	    cmocka_unit_test(test_error_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
