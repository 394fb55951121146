/*
 * cvss.c - CVSS vector parsing (all versions) and the v2.0 and v3.x
 * equations. Sources: CVSS v2 Complete Guide (FIRST, 2007) section 3.2;
 * CVSS v3.0 and v3.1 Specification Documents, sections 6 (vector string), 7
 * (equations, metric values) and v3.1 Appendix A (Roundup); CVSS v4.0
 * Specification Document section 7 (vector string, Table 23).
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/cvss.h"
#include "vuln/cvss_int.h"

#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* ---- metric tables (abbreviations and legal values from the specs) ---- */

static const struct cvss_metric_def v2_defs[] = {
    {"AV", CVSS_G_BASE, 1, {"L", "A", "N", NULL}},
    {"AC", CVSS_G_BASE, 1, {"H", "M", "L", NULL}},
    {"Au", CVSS_G_BASE, 1, {"M", "S", "N", NULL}},
    {"C", CVSS_G_BASE, 1, {"N", "P", "C", NULL}},
    {"I", CVSS_G_BASE, 1, {"N", "P", "C", NULL}},
    {"A", CVSS_G_BASE, 1, {"N", "P", "C", NULL}},
    {"E", CVSS_G_THREAT, 0, {"U", "POC", "F", "H", "ND", NULL}},
    {"RL", CVSS_G_THREAT, 0, {"OF", "TF", "W", "U", "ND", NULL}},
    {"RC", CVSS_G_THREAT, 0, {"UC", "UR", "C", "ND", NULL}},
    {"CDP", CVSS_G_ENV, 0, {"N", "L", "LM", "MH", "H", "ND", NULL}},
    {"TD", CVSS_G_ENV, 0, {"N", "L", "M", "H", "ND", NULL}},
    {"CR", CVSS_G_ENV, 0, {"L", "M", "H", "ND", NULL}},
    {"IR", CVSS_G_ENV, 0, {"L", "M", "H", "ND", NULL}},
    {"AR", CVSS_G_ENV, 0, {"L", "M", "H", "ND", NULL}},
};
enum {
	V2_AV,
	V2_AC,
	V2_AU,
	V2_C,
	V2_I,
	V2_A,
	V2_E,
	V2_RL,
	V2_RC,
	V2_CDP,
	V2_TD,
	V2_CR,
	V2_IR,
	V2_AR
};

/* v3.0 and v3.1 share their metrics (v3.1 spec Table 15). */
static const struct cvss_metric_def v3_defs[] = {
    {"AV", CVSS_G_BASE, 1, {"N", "A", "L", "P", NULL}},
    {"AC", CVSS_G_BASE, 1, {"L", "H", NULL}},
    {"PR", CVSS_G_BASE, 1, {"N", "L", "H", NULL}},
    {"UI", CVSS_G_BASE, 1, {"N", "R", NULL}},
    {"S", CVSS_G_BASE, 1, {"U", "C", NULL}},
    {"C", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"I", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"A", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"E", CVSS_G_THREAT, 0, {"X", "H", "F", "P", "U", NULL}},
    {"RL", CVSS_G_THREAT, 0, {"X", "U", "W", "T", "O", NULL}},
    {"RC", CVSS_G_THREAT, 0, {"X", "C", "R", "U", NULL}},
    {"CR", CVSS_G_ENV, 0, {"X", "H", "M", "L", NULL}},
    {"IR", CVSS_G_ENV, 0, {"X", "H", "M", "L", NULL}},
    {"AR", CVSS_G_ENV, 0, {"X", "H", "M", "L", NULL}},
    {"MAV", CVSS_G_ENV, 0, {"X", "N", "A", "L", "P", NULL}},
    {"MAC", CVSS_G_ENV, 0, {"X", "L", "H", NULL}},
    {"MPR", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MUI", CVSS_G_ENV, 0, {"X", "N", "R", NULL}},
    {"MS", CVSS_G_ENV, 0, {"X", "U", "C", NULL}},
    {"MC", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MI", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MA", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
};
enum {
	V3_AV,
	V3_AC,
	V3_PR,
	V3_UI,
	V3_S,
	V3_C,
	V3_I,
	V3_A,
	V3_E,
	V3_RL,
	V3_RC,
	V3_CR,
	V3_IR,
	V3_AR,
	V3_MAV,
	V3_MAC,
	V3_MPR,
	V3_MUI,
	V3_MS,
	V3_MC,
	V3_MI,
	V3_MA
};

/* v4.0 spec Table 23, in its order. */
static const struct cvss_metric_def v4_defs[V4_NMETRICS] = {
    {"AV", CVSS_G_BASE, 1, {"N", "A", "L", "P", NULL}},
    {"AC", CVSS_G_BASE, 1, {"L", "H", NULL}},
    {"AT", CVSS_G_BASE, 1, {"N", "P", NULL}},
    {"PR", CVSS_G_BASE, 1, {"N", "L", "H", NULL}},
    {"UI", CVSS_G_BASE, 1, {"N", "P", "A", NULL}},
    {"VC", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"VI", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"VA", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"SC", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"SI", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"SA", CVSS_G_BASE, 1, {"H", "L", "N", NULL}},
    {"E", CVSS_G_THREAT, 0, {"X", "A", "P", "U", NULL}},
    {"CR", CVSS_G_ENV, 0, {"X", "H", "M", "L", NULL}},
    {"IR", CVSS_G_ENV, 0, {"X", "H", "M", "L", NULL}},
    {"AR", CVSS_G_ENV, 0, {"X", "H", "M", "L", NULL}},
    {"MAV", CVSS_G_ENV, 0, {"X", "N", "A", "L", "P", NULL}},
    {"MAC", CVSS_G_ENV, 0, {"X", "L", "H", NULL}},
    {"MAT", CVSS_G_ENV, 0, {"X", "N", "P", NULL}},
    {"MPR", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MUI", CVSS_G_ENV, 0, {"X", "N", "P", "A", NULL}},
    {"MVC", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MVI", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MVA", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MSC", CVSS_G_ENV, 0, {"X", "N", "L", "H", NULL}},
    {"MSI", CVSS_G_ENV, 0, {"X", "N", "L", "H", "S", NULL}},
    {"MSA", CVSS_G_ENV, 0, {"X", "N", "L", "H", "S", NULL}},
    {"S", CVSS_G_SUPP, 0, {"X", "N", "P", NULL}},
    {"AU", CVSS_G_SUPP, 0, {"X", "N", "Y", NULL}},
    {"R", CVSS_G_SUPP, 0, {"X", "A", "U", "I", NULL}},
    {"V", CVSS_G_SUPP, 0, {"X", "D", "C", NULL}},
    {"RE", CVSS_G_SUPP, 0, {"X", "L", "M", "H", NULL}},
    {"U", CVSS_G_SUPP, 0, {"X", "Clear", "Green", "Amber", "Red", NULL}},
};

const struct cvss_metric_def *cvss_defs(enum cvss_version v, size_t *n)
{
	switch (v) {
	case CVSS_V2_0:
		*n = sizeof(v2_defs) / sizeof(v2_defs[0]);
		return v2_defs;
	case CVSS_V3_0:
	case CVSS_V3_1:
		*n = sizeof(v3_defs) / sizeof(v3_defs[0]);
		return v3_defs;
	case CVSS_V4_0:
		*n = V4_NMETRICS;
		return v4_defs;
	}
	*n = 0;
	return NULL;
}

const char *cvss_version_name(enum cvss_version v)
{
	switch (v) {
	case CVSS_V2_0:
		return "2.0";
	case CVSS_V3_0:
		return "3.0";
	case CVSS_V3_1:
		return "3.1";
	case CVSS_V4_0:
		return "4.0";
	}
	return "?";
}

/* ---- parsing ---- */

static void expected_values(const struct cvss_metric_def *d, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int k = 0; d->values[k] && o < n; k++) {
		int w = snprintf(buf + o, n - o, "%s%s", k ? ", " : "", d->values[k]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

int cvss_parse(const char *vector, struct cvss *out, struct vg_error *err)
{
	const struct cvss_metric_def *defs;
	size_t len, ndefs, i;
	const char *p;
	int last = -1, ordered;
	struct cvss c;

	memset(out, 0, sizeof(*out));
	if (!vector)
		return vg_error_set(err, VG_EINVAL, "CVSS vector: none given");
	len = strnlen(vector, CVSS_MAX_LEN + 1);
	if (len > CVSS_MAX_LEN)
		return vg_error_set(err, VG_ETOOBIG, "CVSS vector: longer than %d bytes",
				    CVSS_MAX_LEN);
	if (len == 0)
		return vg_error_set(err, VG_EPARSE, "CVSS vector: empty");
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)vector[i];
		if (ch <= 0x20 || ch >= 0x7f)
			return vg_error_set(err, VG_EPARSE,
					    "CVSS vector: byte 0x%02x at offset %zu is not a "
					    "printable ASCII character",
					    ch, i);
	}

	memset(&c, 0, sizeof(c));
	memcpy(c.vector, vector, len);
	memset(c.value, -1, sizeof(c.value));
	if (strncmp(vector, "CVSS:", 5) == 0) {
		if (strncmp(vector + 5, "3.0/", 4) == 0)
			c.version = CVSS_V3_0;
		else if (strncmp(vector + 5, "3.1/", 4) == 0)
			c.version = CVSS_V3_1;
		else if (strncmp(vector + 5, "4.0/", 4) == 0)
			c.version = CVSS_V4_0;
		else
			return vg_error_set(
			    err, VG_EPARSE,
			    "CVSS vector '%s': unknown version prefix (expected "
			    "CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/, or a bare v2 vector)",
			    vector);
		p = vector + 9;
	} else if (strncmp(vector, "AV:", 3) == 0) {
		c.version = CVSS_V2_0;
		p = vector;
	} else {
		return vg_error_set(err, VG_EPARSE,
				    "CVSS vector '%s': no 'CVSS:<version>/' prefix, and not a v2 "
				    "vector (which starts with 'AV:')",
				    vector);
	}
	defs = cvss_defs(c.version, &ndefs);
	/* v3.x metrics may come in any order; v4.0 and v2.0 have a fixed one. */
	ordered = c.version == CVSS_V4_0 || c.version == CVSS_V2_0;

	for (;;) {
		const char *end = strchr(p, '/'), *colon;
		size_t tlen = end ? (size_t)(end - p) : strlen(p);
		size_t nlen, vlen;
		int m = -1, v = -1;

		if (tlen == 0)
			return vg_error_set(err, VG_EPARSE,
					    "CVSS vector '%s': empty metric at offset %zu "
					    "(expected NAME:VALUE)",
					    vector, (size_t)(p - vector));
		colon = memchr(p, ':', tlen);
		if (!colon || colon == p || colon + 1 == p + tlen ||
		    memchr(colon + 1, ':', (size_t)(p + tlen - colon - 1)))
			return vg_error_set(err, VG_EPARSE,
					    "CVSS vector '%s': '%.*s' at offset %zu is not "
					    "NAME:VALUE",
					    vector, (int)tlen, p, (size_t)(p - vector));
		nlen = (size_t)(colon - p);
		vlen = tlen - nlen - 1;
		for (i = 0; i < ndefs; i++)
			if (strlen(defs[i].abbr) == nlen && memcmp(defs[i].abbr, p, nlen) == 0) {
				m = (int)i;
				break;
			}
		if (m < 0)
			return vg_error_set(err, VG_EPARSE,
					    "CVSS vector '%s': unknown metric '%.*s' for CVSS %s",
					    vector, (int)nlen, p, cvss_version_name(c.version));
		if (c.value[m] >= 0)
			return vg_error_set(err, VG_EPARSE,
					    "CVSS vector '%s': metric '%s' is given more than once",
					    vector, defs[m].abbr);
		for (int k = 0; defs[m].values[k]; k++)
			if (strlen(defs[m].values[k]) == vlen &&
			    memcmp(defs[m].values[k], colon + 1, vlen) == 0) {
				v = k;
				break;
			}
		if (v < 0) {
			char exp[64];
			expected_values(&defs[m], exp, sizeof(exp));
			return vg_error_set(
			    err, VG_EPARSE,
			    "CVSS vector '%s': metric '%s' has illegal value '%.*s' "
			    "(expected one of %s)",
			    vector, defs[m].abbr, (int)vlen, colon + 1, exp);
		}
		if (ordered && m < last)
			return vg_error_set(
			    err, VG_EPARSE,
			    "CVSS vector '%s': metric '%s' is out of order (CVSS %s "
			    "fixes the order: it must come before '%s')",
			    vector, defs[m].abbr, cvss_version_name(c.version), defs[last].abbr);
		last = m;
		c.value[m] = (signed char)v;
		if (!end)
			break;
		p = end + 1;
	}
	for (i = 0; i < ndefs; i++)
		if (defs[i].mandatory && c.value[i] < 0)
			return vg_error_set(err, VG_EPARSE,
					    "CVSS vector '%s': mandatory metric '%s' is missing",
					    vector, defs[i].abbr);
	*out = c;
	return VG_OK;
}

/* ---- accessors ---- */

size_t cvss_metric_count(const struct cvss *c)
{
	size_t n;
	cvss_defs(c->version, &n);
	return n;
}

const char *cvss_metric_abbr(const struct cvss *c, size_t i)
{
	size_t n;
	const struct cvss_metric_def *d = cvss_defs(c->version, &n);
	return i < n ? d[i].abbr : NULL;
}

const char *cvss_metric_value(const struct cvss *c, size_t i)
{
	size_t n;
	const struct cvss_metric_def *d = cvss_defs(c->version, &n);
	if (i >= n || c->value[i] < 0)
		return NULL;
	return d[i].values[(int)c->value[i]];
}

const char *cvss_get(const struct cvss *c, const char *abbr)
{
	size_t n;
	const struct cvss_metric_def *d = cvss_defs(c->version, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(d[i].abbr, abbr) == 0)
			return cvss_metric_value(c, i);
	return NULL;
}

/* Value of metric i, or dflt when the vector omits it. */
static const char *val(const struct cvss *c, int i, const char *dflt)
{
	const char *v = cvss_metric_value(c, (size_t)i);
	return v ? v : dflt;
}

static int group_given(const struct cvss *c, char group)
{
	size_t n;
	const struct cvss_metric_def *d = cvss_defs(c->version, &n);
	for (size_t i = 0; i < n; i++)
		if (d[i].group == group && c->value[i] >= 0)
			return 1;
	return 0;
}

/* ---- rounding ---- */

/* v3.1 Appendix A: Roundup free of binary floating point artefacts. */
static double roundup_v31(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

/* v3.0: "the smallest number, specified to one decimal place, that is equal
 * to or higher than its input" - done the way the v3.0 reference calculator
 * does it. */
static double roundup_v30(double x)
{
	return ceil(x * 10.0) / 10.0;
}

/* v2 round_to_1_decimal, half up. The value is first taken to five decimals
 * so that 9.15 computed as 9.1499999999 still rounds to 9.2, as the v2
 * guide's own worked examples do. */
static double round1_v2(double x)
{
	long long i = llround(x * 100000.0);
	return (double)((i + 5000) / 10000) / 10.0;
}

/* ---- v3.x ---- */

static double v3_av(char v)
{
	return v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : 0.2;
}
static double v3_ac(char v)
{
	return v == 'L' ? 0.77 : 0.44;
}
static double v3_pr(char v, int changed)
{
	if (v == 'N')
		return 0.85;
	if (v == 'L')
		return changed ? 0.68 : 0.62;
	return changed ? 0.5 : 0.27;
}
static double v3_ui(char v)
{
	return v == 'N' ? 0.85 : 0.62;
}
static double v3_cia(char v)
{
	return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0;
}
static double v3_e(char v)
{
	return v == 'F' ? 0.97 : v == 'P' ? 0.94 : v == 'U' ? 0.91 : 1.0;
}
static double v3_rl(char v)
{
	return v == 'W' ? 0.97 : v == 'T' ? 0.96 : v == 'O' ? 0.95 : 1.0;
}
static double v3_rc(char v)
{
	return v == 'R' ? 0.96 : v == 'U' ? 0.92 : 1.0;
}
static double v3_req(char v)
{
	return v == 'H' ? 1.5 : v == 'L' ? 0.5 : 1.0;
}

static double v3_roundup(const struct cvss *c, double x)
{
	return c->version == CVSS_V3_0 ? roundup_v30(x) : roundup_v31(x);
}

static double v3_base(const struct cvss *c)
{
	int changed = val(c, V3_S, "U")[0] == 'C';
	double iss, impact, expl;

	iss = 1 - ((1 - v3_cia(val(c, V3_C, "N")[0])) * (1 - v3_cia(val(c, V3_I, "N")[0])) *
		   (1 - v3_cia(val(c, V3_A, "N")[0])));
	if (changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	else
		impact = 6.42 * iss;
	expl = 8.22 * v3_av(val(c, V3_AV, "N")[0]) * v3_ac(val(c, V3_AC, "L")[0]) *
	       v3_pr(val(c, V3_PR, "N")[0], changed) * v3_ui(val(c, V3_UI, "N")[0]);
	if (impact <= 0)
		return 0.0;
	if (changed)
		return v3_roundup(c, fmin(1.08 * (impact + expl), 10));
	return v3_roundup(c, fmin(impact + expl, 10));
}

static double v3_temporal_factor(const struct cvss *c)
{
	return v3_e(val(c, V3_E, "X")[0]) * v3_rl(val(c, V3_RL, "X")[0]) *
	       v3_rc(val(c, V3_RC, "X")[0]);
}

/* Modified metric m, or base metric b when m is omitted or X. */
static char v3_mod(const struct cvss *c, int m, int b, const char *dflt)
{
	const char *v = val(c, m, "X");
	return v[0] != 'X' ? v[0] : val(c, b, dflt)[0];
}

static double v3_environmental(const struct cvss *c)
{
	int changed = v3_mod(c, V3_MS, V3_S, "U") == 'C';
	double miss, mimpact, mexpl, t;

	miss = fmin(1 - ((1 - v3_req(val(c, V3_CR, "X")[0]) * v3_cia(v3_mod(c, V3_MC, V3_C, "N"))) *
			 (1 - v3_req(val(c, V3_IR, "X")[0]) * v3_cia(v3_mod(c, V3_MI, V3_I, "N"))) *
			 (1 - v3_req(val(c, V3_AR, "X")[0]) * v3_cia(v3_mod(c, V3_MA, V3_A, "N")))),
		    0.915);
	if (!changed)
		mimpact = 6.42 * miss;
	else if (c->version == CVSS_V3_0)
		mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
	else
		mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
	mexpl = 8.22 * v3_av(v3_mod(c, V3_MAV, V3_AV, "N")) * v3_ac(v3_mod(c, V3_MAC, V3_AC, "L")) *
		v3_pr(v3_mod(c, V3_MPR, V3_PR, "N"), changed) *
		v3_ui(v3_mod(c, V3_MUI, V3_UI, "N"));
	if (mimpact <= 0)
		return 0.0;
	t = v3_temporal_factor(c);
	if (changed)
		return v3_roundup(c, v3_roundup(c, fmin(1.08 * (mimpact + mexpl), 10)) * t);
	return v3_roundup(c, v3_roundup(c, fmin(mimpact + mexpl, 10)) * t);
}

/* ---- v2.0 ---- */

static double v2_cia(char v)
{
	return v == 'C' ? 0.660 : v == 'P' ? 0.275 : 0.0;
}

static double v2_req(const char *v)
{
	return strcmp(v, "H") == 0 ? 1.51 : strcmp(v, "L") == 0 ? 0.5 : 1.0;
}

/* The base equation with impact given: the environmental equation reuses it
 * with the adjusted impact. */
static double v2_base_with(const struct cvss *c, double impact)
{
	char av = val(c, V2_AV, "N")[0], ac = val(c, V2_AC, "L")[0], au = val(c, V2_AU, "N")[0];
	double expl = 20 *
		      (av == 'L'   ? 0.395
		       : av == 'A' ? 0.646
				   : 1.0) *
		      (ac == 'H'   ? 0.35
		       : ac == 'M' ? 0.61
				   : 0.71) *
		      (au == 'M'   ? 0.45
		       : au == 'S' ? 0.56
				   : 0.704);
	double f = impact == 0 ? 0 : 1.176;
	return round1_v2(((0.6 * impact) + (0.4 * expl) - 1.5) * f);
}

static double v2_impact(const struct cvss *c)
{
	return 10.41 *
	       (1 - (1 - v2_cia(val(c, V2_C, "N")[0])) * (1 - v2_cia(val(c, V2_I, "N")[0])) *
			(1 - v2_cia(val(c, V2_A, "N")[0])));
}

static double v2_temporal_of(const struct cvss *c, double base)
{
	const char *e = val(c, V2_E, "ND"), *rl = val(c, V2_RL, "ND"), *rc = val(c, V2_RC, "ND");
	double fe = strcmp(e, "U") == 0     ? 0.85
		    : strcmp(e, "POC") == 0 ? 0.9
		    : strcmp(e, "F") == 0   ? 0.95
					    : 1.0;
	double frl = strcmp(rl, "OF") == 0   ? 0.87
		     : strcmp(rl, "TF") == 0 ? 0.90
		     : strcmp(rl, "W") == 0  ? 0.95
					     : 1.0;
	double frc = strcmp(rc, "UC") == 0 ? 0.90 : strcmp(rc, "UR") == 0 ? 0.95 : 1.0;
	return round1_v2(base * fe * frl * frc);
}

static double v2_environmental(const struct cvss *c)
{
	const char *cdp = val(c, V2_CDP, "ND"), *td = val(c, V2_TD, "ND");
	double adj_impact, adj_temporal, fcdp, ftd;

	adj_impact = fmin(
	    10, 10.41 * (1 - (1 - v2_cia(val(c, V2_C, "N")[0]) * v2_req(val(c, V2_CR, "ND"))) *
				 (1 - v2_cia(val(c, V2_I, "N")[0]) * v2_req(val(c, V2_IR, "ND"))) *
				 (1 - v2_cia(val(c, V2_A, "N")[0]) * v2_req(val(c, V2_AR, "ND")))));
	adj_temporal = v2_temporal_of(c, v2_base_with(c, adj_impact));
	fcdp = strcmp(cdp, "L") == 0    ? 0.1
	       : strcmp(cdp, "LM") == 0 ? 0.3
	       : strcmp(cdp, "MH") == 0 ? 0.4
	       : strcmp(cdp, "H") == 0  ? 0.5
					: 0.0;
	ftd = strcmp(td, "N") == 0   ? 0.0
	      : strcmp(td, "L") == 0 ? 0.25
	      : strcmp(td, "M") == 0 ? 0.75
				     : 1.0;
	return round1_v2((adj_temporal + (10 - adj_temporal) * fcdp) * ftd);
}

/* ---- scores ---- */

double cvss_base_score(const struct cvss *c)
{
	switch (c->version) {
	case CVSS_V2_0:
		return v2_base_with(c, v2_impact(c));
	case CVSS_V3_0:
	case CVSS_V3_1:
		return v3_base(c);
	case CVSS_V4_0:
		return cvss4_score(c, 0, 0);
	}
	return 0.0;
}

double cvss_temporal_score(const struct cvss *c)
{
	switch (c->version) {
	case CVSS_V2_0:
		return v2_temporal_of(c, cvss_base_score(c));
	case CVSS_V3_0:
	case CVSS_V3_1:
		return v3_roundup(c, v3_base(c) * v3_temporal_factor(c));
	case CVSS_V4_0:
		break;
	}
	return -1.0;
}

double cvss_environmental_score(const struct cvss *c)
{
	switch (c->version) {
	case CVSS_V2_0:
		return v2_environmental(c);
	case CVSS_V3_0:
	case CVSS_V3_1:
		return v3_environmental(c);
	case CVSS_V4_0:
		break;
	}
	return -1.0;
}

double cvss_score(const struct cvss *c)
{
	if (c->version == CVSS_V4_0)
		return cvss4_score(c, 1, 1);
	if (group_given(c, CVSS_G_ENV))
		return cvss_environmental_score(c);
	if (group_given(c, CVSS_G_THREAT))
		return cvss_temporal_score(c);
	return cvss_base_score(c);
}

const char *cvss_nomenclature(const struct cvss *c)
{
	int t, e;
	if (c->version != CVSS_V4_0)
		return NULL;
	/* Metrics given as X do not make a score CVSS-BT or CVSS-BE. */
	t = 0;
	e = 0;
	for (int i = 0; i < V4_NMETRICS; i++) {
		const char *v = cvss_metric_value(c, (size_t)i);
		if (!v || strcmp(v, "X") == 0)
			continue;
		if (v4_defs[i].group == CVSS_G_THREAT)
			t = 1;
		else if (v4_defs[i].group == CVSS_G_ENV)
			e = 1;
	}
	return t && e ? "CVSS-BTE" : t ? "CVSS-BT" : e ? "CVSS-BE" : "CVSS-B";
}

const char *cvss_severity(double score)
{
	/* Scores carry one decimal: compare in tenths to be free of binary
	 * representation (6.9 vs 6.8999999). */
	long t = lround(score * 10);
	if (t <= 0)
		return "none";
	if (t < 40)
		return "low";
	if (t < 70)
		return "medium";
	if (t < 90)
		return "high";
	return "critical";
}

const char *cvss_v2_severity(double score)
{
	long t = lround(score * 10);
	if (t < 40)
		return "low";
	if (t < 70)
		return "medium";
	return "high";
}
