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

#include "core/json.h"

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

/*
 * Plain words for stored codes. Each room keeps one table per enum
 * (a NULL code ends it) and every page shows the code through it:
 *
 *     static const struct html_label vex_just[] = {
 *         {"code_not_reachable", "The vulnerable code is never run"}, {0}};
 *     html(b, "<td>%s</td>", html_label(vex_just, j));
 *
 * html_label() answers the words, or the code itself when the table does
 * not know it (never NULL for a non-NULL code). html_label_code() appends
 * the words escaped followed by the code in <code> (for codes a person
 * must be able to match with another document, such as VEX justifications).
 */
struct html_label {
	const char *code;
	const char *text;
};
const char *html_label(const struct html_label *table, const char *code);
int html_label_code(struct vg_buf *b, const struct html_label *table, const char *code);

/*
 * A change as a person reads it: before and after are JSON values (the
 * audit trail's before/after, either may be NULL). Objects are compared
 * key by key and only the keys that differ are listed, as
 * <dl class="change"><dt>key</dt><dd><del>old</del> <ins>new</ins></dd></dl>;
 * other values are shown whole. Strings print as text, other values as
 * compact JSON; an added key has no <del>, a removed one no <ins>.
 * labels, when not NULL, gives plain words for keys.
 */
int html_change(struct vg_buf *b, const json_t *before, const json_t *after,
		const struct html_label *labels);

#endif
