/*
 * chart.c - inline SVG charts with their words and numbers (chart.h).
 */
#include "http/chart.h"

#include "core/buf.h"
#include "http/html.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define W 640

static int64_t total_of(const struct chart *c, size_t i)
{
	int64_t t = 0;
	for (size_t s = 0; s < c->nseries; s++)
		t += c->series[s].v[i];
	return t;
}

static const char *value_text(const struct chart *c, int64_t v, char *out, size_t n)
{
	if (c->fmt)
		return c->fmt(v, out, n);
	snprintf(out, n, "%lld", (long long)v);
	return out;
}

static void swatch(struct vg_buf *b, const char *color)
{
	html(b,
	     "<svg class=\"swatch\" width=\"12\" height=\"12\" aria-hidden=\"true\" "
	     "focusable=\"false\"><rect width=\"12\" height=\"12\" fill=\"%s\"/></svg>",
	     color);
}

/* <figure>, caption and the SVG's opening with its title and desc. */
static void open_fig(struct vg_buf *b, const struct chart *c, int h, const char *desc)
{
	html(b, "<figure class=\"chart-fig\" id=\"%s\"><figcaption>%s</figcaption>", c->id,
	     c->title);
	html(
	    b,
	    "<svg class=\"chart\" role=\"img\" aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">"
	    "<title id=\"%s-t\">%s</title><desc id=\"%s-d\">%s</desc>",
	    c->id, c->id, W, h, W, h, c->id, c->title, c->id, desc);
}

/* The legend (name and value: latest for lines, total otherwise), the note
 * and the numbers as a table; closes the figure. */
static void close_fig(struct vg_buf *b, const struct chart *c, int latest)
{
	char t[64];
	vg_buf_adds(b, "</svg>");
	if (c->nseries > 1 || latest) {
		vg_buf_adds(b, "<ul class=\"legend\">");
		for (size_t s = 0; s < c->nseries; s++) {
			int64_t v = 0;
			if (latest)
				v = c->n ? c->series[s].v[c->n - 1] : 0;
			else
				for (size_t i = 0; i < c->n; i++)
					v += c->series[s].v[i];
			vg_buf_adds(b, "<li>");
			swatch(b, c->series[s].color);
			html(b, " %s <strong>%s</strong></li>", c->series[s].name,
			     value_text(c, v, t, sizeof(t)));
		}
		vg_buf_adds(b, "</ul>");
	}
	if (c->note)
		html(b, "<p class=\"hint\">%s</p>", c->note);
	html(b,
	     "<details class=\"chart-data\"><summary>The numbers</summary><div "
	     "class=\"table-wrap\"><table><caption>%s (%s)</caption><thead><tr><th "
	     "scope=\"col\">%s</th>",
	     c->title, c->unit, c->label_head);
	for (size_t s = 0; s < c->nseries; s++)
		html(b, "<th scope=\"col\">%s</th>", c->series[s].name);
	vg_buf_adds(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < c->n; i++) {
		html(b, "<tr><th scope=\"row\">%s</th>", c->labels[i]);
		for (size_t s = 0; s < c->nseries; s++)
			html(b, "<td>%s</td>", value_text(c, c->series[s].v[i], t, sizeof(t)));
		vg_buf_adds(b, "</tr>");
	}
	vg_buf_adds(b, "</tbody></table></div></details></figure>\n");
}

/* The y axis from 0 to max with a middle tick and grid lines. */
static void y_axis(struct vg_buf *b, int l, int r, int t, int bot, int64_t max)
{
	for (int k = 0; k <= 2; k++) {
		int y = bot - (bot - t) * k / 2;
		vg_buf_addf(b,
			    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>"
			    "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"end\" "
			    "fill=\"#1c2430\">%lld</text>",
			    l, y, W - r, y, k ? "#e3e6eb" : "#5b6676", l - 6, y + 4,
			    (long long)(max * k / 2));
	}
	vg_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5b6676\"/>", l, t,
		    l, bot);
}

static int64_t nice_max(int64_t m)
{
	if (m < 2)
		return 2;
	return m % 2 ? m + 1 : m; /* the middle tick stays a whole number */
}

int chart_lines(struct vg_buf *b, const struct chart *c)
{
	const int H = 240, L = 52, R = 16, T = 14, B = 42;
	int64_t max = 0;
	char desc[1024], t[64];
	size_t used;
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->n; i++)
			if (c->series[s].v[i] > max)
				max = c->series[s].v[i];
	max = nice_max(max);
	used = (size_t)snprintf(desc, sizeof(desc), "%s, %s to %s. At the end: ", c->unit,
				c->n ? c->labels[0] : "", c->n ? c->labels[c->n - 1] : "");
	for (size_t s = 0; s < c->nseries && used < sizeof(desc); s++)
		used += (size_t)snprintf(
		    desc + used, sizeof(desc) - used, "%s%s %s", s ? ", " : "", c->series[s].name,
		    value_text(c, c->n ? c->series[s].v[c->n - 1] : 0, t, sizeof(t)));
	open_fig(b, c, H, desc);
	y_axis(b, L, R, T, H - B, max);
	if (c->n) {
		html(b,
		     "<text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#1c2430\">%s</text>"
		     "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"end\" "
		     "fill=\"#1c2430\">%s</text>",
		     L, H - B + 18, c->labels[0], W - R, H - B + 18, c->labels[c->n - 1]);
		html(b,
		     "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" "
		     "fill=\"#5b6676\">%s</text>",
		     (L + W - R) / 2, H - 4, c->label_head);
	}
	for (size_t s = 0; s < c->nseries; s++) {
		html(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"",
		     c->series[s].color);
		for (size_t i = 0; i < c->n; i++) {
			int x = L + (c->n > 1 ? (int)((int64_t)(W - L - R) * (int64_t)i /
						      (int64_t)(c->n - 1))
					      : 0);
			int y = (H - B) - (int)((int64_t)(H - B - T) * c->series[s].v[i] / max);
			vg_buf_addf(b, "%s%d,%d", i ? " " : "", x, y);
		}
		html(b, "\"><title>%s</title></polyline>", c->series[s].name);
	}
	close_fig(b, c, 1);
	return VG_OK;
}

int chart_columns(struct vg_buf *b, const struct chart *c)
{
	const int H = 240, L = 52, R = 8, T = 22, B = 42;
	int64_t max = 0, sum = 0;
	char desc[1024], t[64];
	size_t used;
	int slot = c->n ? (W - L - R) / (int)c->n : 0, bw = slot * 7 / 10;
	for (size_t i = 0; i < c->n; i++) {
		int64_t v = total_of(c, i);
		sum += v;
		if (v > max)
			max = v;
	}
	max = nice_max(max);
	used = (size_t)snprintf(desc, sizeof(desc), "%lld %s in all: ", (long long)sum, c->unit);
	for (size_t i = 0; i < c->n && used < sizeof(desc); i++)
		used += (size_t)snprintf(desc + used, sizeof(desc) - used, "%s%s %lld",
					 i ? ", " : "", c->labels[i], (long long)total_of(c, i));
	open_fig(b, c, H, desc);
	y_axis(b, L, R, T, H - B, max);
	for (size_t i = 0; i < c->n; i++) {
		int x = L + slot * (int)i + (slot - bw) / 2, y = H - B;
		int64_t tot = total_of(c, i);
		for (size_t s = 0; s < c->nseries; s++) {
			int h = (int)((int64_t)(H - B - T) * c->series[s].v[i] / max);
			if (!h)
				continue;
			y -= h;
			html(b,
			     "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
			     "<title>%s, %s: %s</title></rect>",
			     x, y, bw, h, c->series[s].color, c->labels[i], c->series[s].name,
			     value_text(c, c->series[s].v[i], t, sizeof(t)));
		}
		if (tot)
			vg_buf_addf(
			    b,
			    "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" "
			    "fill=\"#1c2430\">%lld</text>",
			    x + bw / 2, y - 4, (long long)tot);
		html(b,
		     "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
		     "fill=\"#1c2430\">%s</text>",
		     x + bw / 2, H - B + 16, c->labels[i]);
	}
	html(b,
	     "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" "
	     "fill=\"#5b6676\">%s</text>",
	     (L + W - R) / 2, H - 4, c->label_head);
	close_fig(b, c, 0);
	return VG_OK;
}

int chart_rows(struct vg_buf *b, const struct chart *c)
{
	const int L = 200, R = 90, T = 8, RH = 28, B = 8;
	int H = T + RH * (int)(c->n ? c->n : 1) + B;
	int64_t max = 0;
	char desc[1024], t[64], name[40];
	size_t used;
	for (size_t i = 0; i < c->n; i++)
		if (total_of(c, i) > max)
			max = total_of(c, i);
	if (max < 1)
		max = 1;
	used = (size_t)snprintf(desc, sizeof(desc), "%s by %s: ", c->unit, c->label_head);
	for (size_t i = 0; i < c->n && used < sizeof(desc); i++)
		used += (size_t)snprintf(desc + used, sizeof(desc) - used, "%s%s %s", i ? ", " : "",
					 c->labels[i], value_text(c, total_of(c, i), t, sizeof(t)));
	open_fig(b, c, H, desc);
	vg_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5b6676\"/>", L, T,
		    L, H - B);
	for (size_t i = 0; i < c->n; i++) {
		int y = T + RH * (int)i + 4, x = L;
		size_t len = strlen(c->labels[i]);
		/* a long name is cut in the picture (whole in the table) */
		if (len > 22) {
			int cut = 20; /* not inside a UTF-8 sequence */
			while (cut > 0 && ((unsigned char)c->labels[i][cut] & 0xC0) == 0x80)
				cut--;
			snprintf(name, sizeof(name), "%.*s\xe2\x80\xa6", cut, c->labels[i]);
		} else
			snprintf(name, sizeof(name), "%s", c->labels[i]);
		html(b,
		     "<text x=\"%d\" y=\"%d\" font-size=\"16\" text-anchor=\"end\" "
		     "fill=\"#1c2430\">%s</text>",
		     L - 8, y + 15, name);
		for (size_t s = 0; s < c->nseries; s++) {
			int w = (int)((int64_t)(W - L - R) * c->series[s].v[i] / max);
			if (!w && !c->series[s].v[i])
				continue;
			if (w < 2)
				w = 2;
			html(b,
			     "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"%s\">"
			     "<title>%s, %s: %s</title></rect>",
			     x, y, w, c->series[s].color, c->labels[i], c->series[s].name,
			     value_text(c, c->series[s].v[i], t, sizeof(t)));
			x += w;
		}
		html(b, "<text x=\"%d\" y=\"%d\" font-size=\"16\" fill=\"#1c2430\">%s</text>",
		     x + 6, y + 15, value_text(c, total_of(c, i), t, sizeof(t)));
	}
	close_fig(b, c, 0);
	return VG_OK;
}
