/*
 * support_hook.c - the support period of a product, asked of the provider
 * the programme room registers (support_hook.h).
 */
#include "sbom/support_hook.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/html.h"

#include <string.h>

#include "core/banned.h"

static sbom_support_fn support_provider;

void sbom_set_support_provider(sbom_support_fn fn)
{
	support_provider = fn;
}

int sbom_product_support(struct store *s, int64_t product_id, struct sbom_support *out,
			 struct vg_error *err)
{
	memset(out, 0, sizeof(*out));
	return support_provider ? support_provider(s, product_id, out, err) : VG_OK;
}

int64_t sbom_retention_end(struct store *s, int64_t product_id, int64_t fallback)
{
	struct sbom_support sp;
	struct vg_error err = {0};
	if (sbom_product_support(s, product_id, &sp, &err)) {
		vg_warn("support period of product %lld: %s; the SBOM rule is used",
			(long long)product_id, vg_error_msg(&err));
		return fallback;
	}
	/* from the product's own fields: the sbom room's own rule covers them */
	return sp.set && !sp.derived && sp.retention_end ? sp.retention_end : fallback;
}

/* A day (YYYY-MM-DD, UTC) of t, or none. */
static int day(struct vg_buf *b, int64_t t, const char *none)
{
	char ts[VG_TIME_BUFSZ];
	if (!t)
		return html(b, "%s", none);
	vg_time_format(t, ts, sizeof(ts));
	ts[10] = '\0';
	return html(b, "<time datetime=\"%s\">%s</time>", ts, ts);
}

int sbom_support_html(struct vg_buf *b, struct store *s, int64_t product_id)
{
	struct sbom_support sp;
	struct vg_error err = {0};
	int rc = sbom_product_support(s, product_id, &sp, &err);

	html_raw(b, "<section id=\"support-period\" aria-labelledby=\"support-h\">"
		    "<h2 id=\"support-h\">Support period</h2>");
	if (rc)
		html(b, "<p>The support period cannot be read: %s</p>", vg_error_msg(&err));
	else if (!sp.set)
		html_raw(b, "<p id=\"support-none\">No support period is recorded. Set it with "
			    "<code>vigil support set PRODUCT --placed YYYY-MM --support-end "
			    "YYYY-MM</code>.</p>");
	else {
		html(b,
		     "<dl class=\"facts\"><dt>Placed on the market</dt><dd>%s</dd>"
		     "<dt>Support ends (Art. 13(8))</dt><dd>%s</dd>"
		     "<dt>Technical file kept until (Art. 13(13))</dt><dd>",
		     sp.placed[0] ? sp.placed : "-",
		     sp.support_end[0] ? sp.support_end : "not set");
		day(b, sp.retention_end, "-");
		html_raw(b, "</dd><dt>Security updates available until at least (Art. "
			    "13(9))</dt><dd>");
		day(b, sp.updates_until, "-");
		html_raw(b, "</dd></dl>");
		if (sp.derived)
			html_raw(b,
				 "<p id=\"support-derived\">From the product's own fields; "
				 "record it in the programme record with <code>vigil support "
				 "set PRODUCT --placed YYYY-MM --support-end YYYY-MM</code>.</p>");
	}
	return html_raw(b, "</section>");
}
