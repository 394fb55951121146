/*
 * fuzz_ui_resend.c - the web shell's readers of a kept or stale form
 * (http/ui.c): ui_resend_page() decodes an arbitrary url-encoded body (the
 * one an anonymous client can have kept, or post with a stale CSRF token)
 * into hidden fields and a list of values; ui_parse_date() reads a date
 * field. Checks: no crash, no read outside the body (its own exact-size
 * allocation), the page is complete, and nothing of the body becomes markup
 * (every value is escaped: no tag but ours).
 */
#include "core/error.h"
#include "http/http.h"
#include "http/ui.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const foreign[] = {"<img", "<svg", "<iframe", "<x", "<a b"};
	struct http_req req;
	struct http_resp resp;
	char *body, date[40];
	int64_t t;

	if (size > UI_PENDING_MAX)
		return 0;
	body = malloc(size ? size : 1);
	if (!body)
		return 0;
	memcpy(body, data, size);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.path = "/ui/products";
	req.method = "POST";
	vg_buf_init(&req.body, 0);
	vg_buf_init(&resp.body, 1 << 22);
	if (ui_resend_page(&req, &resp, 403, "This form had expired", "intro", "/ui/products", body,
			   size) == VG_OK) {
		if (!resp.body.len || resp.status != 403 || !strstr(resp.body.data, "</html>\n"))
			abort();
		for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
			if (strstr(resp.body.data, foreign[i]))
				abort();
	}
	vg_buf_release(&resp.body);
	snprintf(date, sizeof(date), "%.*s", (int)(size < 39 ? size : 39), (const char *)data);
	if (ui_parse_date(date, &t) == VG_OK && strlen(date) < 10)
		abort();
	free(body);
	return 0;
}
