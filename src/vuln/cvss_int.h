/*
 * cvss_int.h - what cvss.c (parsing, v2/v3 equations) shares with cvss4.c
 * (v4.0 MacroVector scoring). Not for use outside src/vuln/cvss*.c.
 */
#ifndef VIGIL_VULN_CVSS_INT_H
#define VIGIL_VULN_CVSS_INT_H

#include "vuln/cvss.h"

/* Metric groups, for deciding which score a vector asks for. */
enum { CVSS_G_BASE = 'B', CVSS_G_THREAT = 'T', CVSS_G_ENV = 'E', CVSS_G_SUPP = 'S' };

struct cvss_metric_def {
	const char *abbr;
	char group;
	unsigned char mandatory;
	const char *values[7]; /* NULL-terminated, specification order */
};

/* v4.0 metrics in the order of the specification's Table 23. */
enum {
	V4_AV,
	V4_AC,
	V4_AT,
	V4_PR,
	V4_UI,
	V4_VC,
	V4_VI,
	V4_VA,
	V4_SC,
	V4_SI,
	V4_SA,
	V4_E,
	V4_CR,
	V4_IR,
	V4_AR,
	V4_MAV,
	V4_MAC,
	V4_MAT,
	V4_MPR,
	V4_MUI,
	V4_MVC,
	V4_MVI,
	V4_MVA,
	V4_MSC,
	V4_MSI,
	V4_MSA,
	V4_S,
	V4_AU,
	V4_R,
	V4_V,
	V4_RE,
	V4_U,
	V4_NMETRICS
};

/* The metric table of a version and its length. */
const struct cvss_metric_def *cvss_defs(enum cvss_version v, size_t *n);

/*
 * The v4.0 score of c counting the threat metrics only when threat != 0 and
 * the environmental metrics only when env != 0 (those left out count as X).
 */
double cvss4_score(const struct cvss *c, int threat, int env);

#endif
