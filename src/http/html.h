/*
 * html.h - the one HTML writer every page uses.
 *
 * html() is printf with one difference: every %s argument is HTML-escaped
 * (& < > " '), so text from data is safe by default. Markup that we wrote
 * ourselves goes in the format string or through html_raw(). The format is
 * checked by the compiler like printf's: numbers print as printf prints them.
 * A NULL %s prints nothing. A Unicode direction control in a %s argument
 * (U+202E and the others of core/text.h vg_text_is_bidi) prints as the
 * visible text \u202E, so stored text can never reorder a page.
 *
 *     html(b, "<td><a href=\"/ui/products/%s\">%s</a></td>", slug, name);
 *
 * Values placed in a URL go through html_url() first (percent-encoding,
 * then escaping), or html(b, "...%s...", ...) when they are known to be
 * URL-safe already (numbers, slugs checked on input).
 */
#ifndef VIGIL_HTTP_HTML_H
#define VIGIL_HTTP_HTML_H

#include <stdarg.h>
#include <stdint.h>

struct vg_buf;

/* Append fmt with every %s escaped; VG_OK or VG_ENOMEM/VG_ETOOBIG. */
int html(struct vg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int html_v(struct vg_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Append trusted markup as it is. */
int html_raw(struct vg_buf *b, const char *markup);
/* Append s percent-encoded for a URL path segment or query value (every
 * byte but A-Z a-z 0-9 - . _ ~), which is also safe inside an attribute. */
int html_url(struct vg_buf *b, const char *s);
/* Append a time as <time datetime="RFC 3339">RFC 3339</time>, or text
 * none (escaped) when t is 0. */
int html_time(struct vg_buf *b, int64_t t, const char *none);

#endif
