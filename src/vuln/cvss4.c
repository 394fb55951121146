/*
 * cvss4.c - CVSS v4.0 scoring (spec section 8): the MacroVector of a vector
 * (EQ1..EQ6, Tables 24-30), its score from the lookup table (section 8.3),
 * and the interpolation by severity distance from the MacroVector's highest
 * severity vectors towards the next lower MacroVectors (section 8.2).
 *
 * The arithmetic follows the FIRST reference calculator step by step (same
 * level values, same order of floating point operations, the same epsilon
 * before rounding half up) so that scores agree with it to the last vector,
 * not only to the tenth most of the time.
 */
#include "vuln/cvss.h"
#include "vuln/cvss_int.h"

#include <math.h>
#include <string.h>

#include "core/banned.h"

/*
 * MacroVector scores in tenths, indexed [EQ1][EQ2][EQ3][EQ4][EQ5][EQ6];
 * -1 where the combination does not exist (EQ3=2 forces EQ6=1). Data of the
 * specification: cvss_lookup.js of the FIRST CVSS v4.0 calculator, which
 * section 8.3 names as the list of all MacroVector scores.
 */
/* clang-format off */
static const signed char mv_score[3 * 2 * 3 * 3 * 3 * 2] = {
    /* 000xxx */ 100, 99, 98, 95, 95, 92, 100, 96, 93, 87, 91, 81, 93, 90, 89, 80, 81, 68,
    /* 001xxx */ 98, 95, 95, 92, 90, 84, 93, 92, 89, 81, 81, 65, 88, 80, 78, 70, 69, 48,
    /* 002xxx */ -1, 92, -1, 82, -1, 72, -1, 79, -1, 69, -1, 50, -1, 69, -1, 55, -1, 27,
    /* 010xxx */ 99, 97, 95, 92, 92, 85, 95, 91, 90, 83, 84, 71, 92, 81, 82, 71, 72, 53,
    /* 011xxx */ 95, 93, 92, 85, 85, 73, 92, 82, 80, 72, 70, 59, 84, 70, 71, 52, 50, 30,
    /* 012xxx */ -1, 86, -1, 75, -1, 52, -1, 71, -1, 52, -1, 29, -1, 63, -1, 29, -1, 17,
    /* 100xxx */ 98, 95, 94, 87, 91, 81, 94, 89, 86, 74, 77, 64, 87, 75, 74, 63, 63, 49,
    /* 101xxx */ 94, 89, 88, 77, 76, 67, 86, 76, 74, 58, 59, 50, 72, 57, 57, 52, 52, 25,
    /* 102xxx */ -1, 83, -1, 70, -1, 54, -1, 65, -1, 58, -1, 26, -1, 53, -1, 21, -1, 13,
    /* 110xxx */ 95, 90, 88, 76, 76, 70, 90, 77, 75, 62, 61, 53, 77, 66, 68, 59, 52, 30,
    /* 111xxx */ 89, 78, 76, 67, 62, 58, 74, 59, 57, 57, 47, 23, 61, 52, 57, 29, 24, 16,
    /* 112xxx */ -1, 71, -1, 59, -1, 30, -1, 58, -1, 26, -1, 15, -1, 23, -1, 13, -1, 6,
    /* 200xxx */ 93, 87, 86, 72, 75, 58, 86, 74, 74, 61, 56, 34, 70, 54, 52, 40, 40, 22,
    /* 201xxx */ 85, 75, 74, 55, 62, 51, 72, 57, 55, 41, 46, 19, 53, 36, 34, 19, 19, 8,
    /* 202xxx */ -1, 64, -1, 51, -1, 20, -1, 47, -1, 21, -1, 11, -1, 24, -1, 9, -1, 4,
    /* 210xxx */ 88, 75, 73, 53, 60, 50, 73, 55, 59, 40, 41, 20, 54, 43, 45, 22, 20, 11,
    /* 211xxx */ 75, 55, 58, 45, 40, 21, 61, 51, 48, 18, 20, 9, 46, 18, 17, 7, 8, 2,
    /* 212xxx */ -1, 53, -1, 24, -1, 14, -1, 24, -1, 12, -1, 5, -1, 10, -1, 3, -1, 1,
};
/* clang-format on */

/* Score of MacroVector (e1..e6), or NAN when it does not exist. */
static double lookup(int e1, int e2, int e3, int e4, int e5, int e6)
{
	int t;
	if (e1 < 0 || e1 > 2 || e2 < 0 || e2 > 1 || e3 < 0 || e3 > 2 || e4 < 0 || e4 > 2 ||
	    e5 < 0 || e5 > 2 || e6 < 0 || e6 > 1)
		return NAN;
	t = mv_score[((((e1 * 2 + e2) * 3 + e3) * 3 + e4) * 3 + e5) * 2 + e6];
	return t < 0 ? NAN : t / 10.0;
}

/*
 * Highest severity vectors of each EQ level (Tables 24-30), in the order the
 * reference calculator tries them. Letters are metric values in the order
 * given in the comment of each table.
 */
static const char *const eq1_max[3][3] = {/* AV PR UI */
					  {"NNN", NULL, NULL},
					  {"ANN", "NLN", "NNP"},
					  {"PNN", "ALP", NULL}};
static const char *const eq2_max[2][2] = {/* AC AT */
					  {"LN", NULL},
					  {"HN", "LP"}};
/* [EQ3][EQ6]: VC VI VA CR IR AR */
static const char *const eq36_max[3][2][5] = {
    {{"HHHHHH", NULL}, {"HHLMMH", "HHHMMM", NULL}},
    {{"LHHHHH", "HLHHHH", NULL}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
    {{NULL}, {"LLLHHH", NULL}}};
static const char *const eq4_max[3] = {/* SC SI SA */
				       "HSS", "HHH", "LLL"};

/* Depth of each MacroVector level plus one (the reference's max severity
 * distances), in steps of 0.1. */
static const int eq1_depth[3] = {1, 4, 5};
static const int eq2_depth[2] = {1, 2};
static const int eq36_depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int eq4_depth[3] = {6, 5, 4};

struct v4 {
	const struct cvss *c;
	int threat, env;
};

/* The value of metric m as the score sees it: 'X' when absent or left out. */
static char raw(const struct v4 *s, int m)
{
	size_t n;
	const struct cvss_metric_def *d = cvss_defs(CVSS_V4_0, &n);
	const char *v = cvss_metric_value(s->c, (size_t)m);

	if (!v || (d[m].group == CVSS_G_THREAT && !s->threat) ||
	    (d[m].group == CVSS_G_ENV && !s->env))
		return 'X';
	return v[0];
}

/* Effective value: modified metrics override base ones; E, CR, IR, AR left
 * undefined count as their worst case (spec Tables 28 and 29 notes). */
static char eff(const struct v4 *s, int m)
{
	static const int modified[V4_NMETRICS] = {
	    [V4_AV] = V4_MAV, [V4_AC] = V4_MAC, [V4_AT] = V4_MAT, [V4_PR] = V4_MPR,
	    [V4_UI] = V4_MUI, [V4_VC] = V4_MVC, [V4_VI] = V4_MVI, [V4_VA] = V4_MVA,
	    [V4_SC] = V4_MSC, [V4_SI] = V4_MSI, [V4_SA] = V4_MSA,
	};
	char v = raw(s, m);

	if (v == 'X' && m == V4_E)
		return 'A';
	if (v == 'X' && (m == V4_CR || m == V4_IR || m == V4_AR))
		return 'H';
	if (m <= V4_SA && modified[m]) {
		char mv = raw(s, modified[m]);
		if (mv != 'X')
			return mv;
	}
	return v;
}

/* Severity level of a value of metric m: 0.0 for the most severe, in steps
 * of 0.1 (the reference calculator's constants, kept as the same doubles). */
static double level(int m, char v)
{
	static const double step[5] = {0.0, 0.1, 0.2, 0.3, 0.4};
	const char *order;
	const char *p;

	switch (m) {
	case V4_AV:
		order = "NALP";
		break;
	case V4_PR:
		order = "NLH";
		break;
	case V4_UI:
		order = "NPA";
		break;
	case V4_AC:
		order = "LH";
		break;
	case V4_AT:
		order = "NP";
		break;
	case V4_VC:
	case V4_VI:
	case V4_VA:
		order = "HLN";
		break;
	case V4_SC: /* no S for confidentiality: its levels start at 0.1 */
		order = "_HLN";
		break;
	case V4_SI:
	case V4_SA:
		order = "SHLN";
		break;
	default: /* CR IR AR */
		order = "HML";
		break;
	}
	p = strchr(order, v);
	return p ? step[p - order] : 0.0;
}

static void macrovector(const struct v4 *s, int eq[6])
{
	char av = eff(s, V4_AV), pr = eff(s, V4_PR), ui = eff(s, V4_UI);
	char vc = eff(s, V4_VC), vi = eff(s, V4_VI), va = eff(s, V4_VA);
	char e = eff(s, V4_E);
	char msi = raw(s, V4_MSI), msa = raw(s, V4_MSA);

	if (av == 'N' && pr == 'N' && ui == 'N')
		eq[0] = 0;
	else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
		eq[0] = 1;
	else
		eq[0] = 2;
	eq[1] = eff(s, V4_AC) == 'L' && eff(s, V4_AT) == 'N' ? 0 : 1;
	if (vc == 'H' && vi == 'H')
		eq[2] = 0;
	else if (vc == 'H' || vi == 'H' || va == 'H')
		eq[2] = 1;
	else
		eq[2] = 2;
	if (msi == 'S' || msa == 'S')
		eq[3] = 0;
	else if (eff(s, V4_SC) == 'H' || eff(s, V4_SI) == 'H' || eff(s, V4_SA) == 'H')
		eq[3] = 1;
	else
		eq[3] = 2;
	eq[4] = e == 'A' ? 0 : e == 'P' ? 1 : 2;
	eq[5] = (eff(s, V4_CR) == 'H' && vc == 'H') || (eff(s, V4_IR) == 'H' && vi == 'H') ||
			(eff(s, V4_AR) == 'H' && va == 'H')
		    ? 0
		    : 1;
}

/* Distances of the 14 scored metrics from one candidate highest vector. */
struct dist {
	double av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar;
};

static void distances(const struct v4 *s, const char *m1, const char *m2, const char *m36,
		      const char *m4, struct dist *d)
{
	d->av = level(V4_AV, eff(s, V4_AV)) - level(V4_AV, m1[0]);
	d->pr = level(V4_PR, eff(s, V4_PR)) - level(V4_PR, m1[1]);
	d->ui = level(V4_UI, eff(s, V4_UI)) - level(V4_UI, m1[2]);
	d->ac = level(V4_AC, eff(s, V4_AC)) - level(V4_AC, m2[0]);
	d->at = level(V4_AT, eff(s, V4_AT)) - level(V4_AT, m2[1]);
	d->vc = level(V4_VC, eff(s, V4_VC)) - level(V4_VC, m36[0]);
	d->vi = level(V4_VI, eff(s, V4_VI)) - level(V4_VI, m36[1]);
	d->va = level(V4_VA, eff(s, V4_VA)) - level(V4_VA, m36[2]);
	d->cr = level(V4_CR, eff(s, V4_CR)) - level(V4_CR, m36[3]);
	d->ir = level(V4_IR, eff(s, V4_IR)) - level(V4_IR, m36[4]);
	d->ar = level(V4_AR, eff(s, V4_AR)) - level(V4_AR, m36[5]);
	d->sc = level(V4_SC, eff(s, V4_SC)) - level(V4_SC, m4[0]);
	d->si = level(V4_SI, eff(s, V4_SI)) - level(V4_SI, m4[1]);
	d->sa = level(V4_SA, eff(s, V4_SA)) - level(V4_SA, m4[2]);
}

static int all_nonnegative(const struct dist *d)
{
	return d->av >= 0 && d->pr >= 0 && d->ui >= 0 && d->ac >= 0 && d->at >= 0 && d->vc >= 0 &&
	       d->vi >= 0 && d->va >= 0 && d->sc >= 0 && d->si >= 0 && d->sa >= 0 && d->cr >= 0 &&
	       d->ir >= 0 && d->ar >= 0;
}

/*
 * Step 1b: the distance from the first highest severity vector of the
 * MacroVector that is at least as severe as the vector in every metric.
 * When none is (cannot happen with the specification's tables), the last
 * candidate's distances are used, as the reference does.
 */
static void severity_distance(const struct v4 *s, const int eq[6], struct dist *d)
{
	memset(d, 0, sizeof(*d));
	for (int a = 0; a < 3 && eq1_max[eq[0]][a]; a++)
		for (int b = 0; b < 2 && eq2_max[eq[1]][b]; b++)
			for (int k = 0; k < 5 && eq36_max[eq[2]][eq[5]][k]; k++) {
				distances(s, eq1_max[eq[0]][a], eq2_max[eq[1]][b],
					  eq36_max[eq[2]][eq[5]][k], eq4_max[eq[3]], d);
				if (all_nonnegative(d))
					return;
			}
}

double cvss4_score(const struct cvss *c, int threat, int env)
{
	const double step = 0.1;
	struct v4 s = {c, threat, env};
	int eq[6], e1, e2, e3, e4, e5, e6, n_lower = 0;
	double value, next1, next2, next36, next4, next5, mean = 0;
	double norm1 = 0, norm2 = 0, norm36 = 0, norm4 = 0, norm5 = 0;
	struct dist d;

	if (c->version != CVSS_V4_0)
		return 0.0;
	/* No impact on either system: 0.0 whatever else the vector says. */
	if (eff(&s, V4_VC) == 'N' && eff(&s, V4_VI) == 'N' && eff(&s, V4_VA) == 'N' &&
	    eff(&s, V4_SC) == 'N' && eff(&s, V4_SI) == 'N' && eff(&s, V4_SA) == 'N')
		return 0.0;

	macrovector(&s, eq);
	e1 = eq[0], e2 = eq[1], e3 = eq[2], e4 = eq[3], e5 = eq[4], e6 = eq[5];
	value = lookup(e1, e2, e3, e4, e5, e6);

	/* Step 1a: score of the next lower MacroVector along each EQ. EQ3 and
	 * EQ6 move together; from 00 both 01 and 10 are lower: take the higher. */
	next1 = lookup(e1 + 1, e2, e3, e4, e5, e6);
	next2 = lookup(e1, e2 + 1, e3, e4, e5, e6);
	if (e3 == 0 && e6 == 0) {
		double left = lookup(e1, e2, e3, e4, e5, e6 + 1);
		double right = lookup(e1, e2, e3 + 1, e4, e5, e6);
		next36 = left > right ? left : right;
	} else if (e3 == 1 && e6 == 0) {
		next36 = lookup(e1, e2, e3, e4, e5, e6 + 1);
	} else if (e3 == 2 && e6 == 1) {
		next36 = NAN;
	} else {
		next36 = lookup(e1, e2, e3 + 1, e4, e5, e6);
	}
	next4 = lookup(e1, e2, e3, e4 + 1, e5, e6);
	next5 = lookup(e1, e2, e3, e4, e5 + 1, e6);

	severity_distance(&s, eq, &d);

	/* Steps 1c, 1d: the proportion of the depth covered times the score
	 * difference to the lower MacroVector; EQ5 has depth 0. */
	if (!isnan(value - next1)) {
		n_lower++;
		norm1 = (value - next1) * ((d.av + d.pr + d.ui) / (eq1_depth[e1] * step));
	}
	if (!isnan(value - next2)) {
		n_lower++;
		norm2 = (value - next2) * ((d.ac + d.at) / (eq2_depth[e2] * step));
	}
	if (!isnan(value - next36)) {
		n_lower++;
		norm36 = (value - next36) *
			 ((d.vc + d.vi + d.va + d.cr + d.ir + d.ar) / (eq36_depth[e3][e6] * step));
	}
	if (!isnan(value - next4)) {
		n_lower++;
		norm4 = (value - next4) * ((d.sc + d.si + d.sa) / (eq4_depth[e4] * step));
	}
	if (!isnan(value - next5)) {
		n_lower++;
		norm5 = (value - next5) * 0;
	}
	/* Step 2: the mean over the EQs that have a lower MacroVector. */
	if (n_lower)
		mean = (norm1 + norm2 + norm36 + norm4 + norm5) / n_lower;
	/* Step 3, rounded half up after the reference's epsilon. */
	value -= mean;
	if (value < 0)
		value = 0.0;
	if (value > 10)
		value = 10.0;
	return floor((value + 1e-6) * 10 + 0.5) / 10;
}
