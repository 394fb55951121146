/*
 * chart.h - server-rendered charts as inline SVG, for pages that work
 * without JavaScript. Knows no domain: a chart is labels (the x axis or the
 * rows) and series of integer values, each with a name and a colour.
 *
 * Rules:
 *  - Every chart is a <figure> with a visible title (<figcaption>), an SVG
 *    with role="img", a <title> and a <desc> that says the numbers in words,
 *    axes with their extremes labelled, a legend in HTML that reflows at
 *    narrow widths (series name and latest/total value: colour is never the
 *    only carrier), and the numbers as a table under <details>.
 *  - The SVG scales to its container (viewBox; CSS .chart-fig svg
 *    {max-width: 100%; height: auto}), so it fits at 390 px.
 *  - Every text from data is escaped (html()).
 */
#ifndef VIGIL_HTTP_CHART_H
#define VIGIL_HTTP_CHART_H

#include <stddef.h>
#include <stdint.h>

struct vg_buf;

struct chart_series {
	const char *name;  /* shown in the legend and the table */
	const char *color; /* a CSS colour written by us ("#b3261e") */
	const int64_t *v;  /* one value per label */
};

struct chart {
	const char *id;         /* the figure's id (ours, not from data) */
	const char *title;      /* the caption */
	const char *unit;       /* what a value counts ("open findings") */
	const char *label_head; /* the table's first column heading ("day", "product") */
	size_t n;               /* labels */
	const char *const *labels;
	size_t nseries;
	const struct chart_series *series;
	const char *note; /* a line under the chart, may be NULL */
	/* chart_rows only: a value's text in the table and legend instead of the
	 * number (e.g. "3d 04h"), NULL for numbers */
	const char *(*fmt)(int64_t v, char *out, size_t n);
};

/* A line per series over the labels (a time axis: first and last label
 * written under it). */
int chart_lines(struct vg_buf *b, const struct chart *c);
/* A column per label, its series stacked (each label written under it). */
int chart_columns(struct vg_buf *b, const struct chart *c);
/* A horizontal bar per label, its series stacked, the label left of it
 * (products and the like: long names are cut in the SVG, whole in the
 * table). */
int chart_rows(struct vg_buf *b, const struct chart *c);

#endif
