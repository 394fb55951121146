/*
 * cmd_cvss.c - `vigil cvss score VECTOR [--json]`: parse a CVSS vector
 * (v2.0, v3.0, v3.1, v4.0) strictly and print its scores and severity.
 */
#include "cli/cli.h"
#include "core/error.h"
#include "vuln/cvss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Scores carry one decimal; print them as JSON reals with exactly that. */
static json_t *score_json(double v)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%.1f", v);
	return json_real(strtod(buf, NULL));
}

static json_t *cvss_json(const struct cvss *c)
{
	json_t *o = json_object(), *m = json_object();
	double base = cvss_base_score(c), score = cvss_score(c);

	if (!o || !m) {
		json_decref(o);
		json_decref(m);
		return NULL;
	}
	for (size_t i = 0; i < cvss_metric_count(c); i++) {
		const char *v = cvss_metric_value(c, i);
		if (v)
			json_object_set_new(m, cvss_metric_abbr(c, i), json_string(v));
	}
	vg_json_set_str(o, "vector", c->vector);
	vg_json_set_str(o, "version", cvss_version_name(c->version));
	json_object_set_new(o, "base_score", score_json(base));
	vg_json_set_str(o, "severity", cvss_severity(base));
	json_object_set_new(o, "metrics", m);
	if (c->version == CVSS_V4_0) {
		vg_json_set_str(o, "nomenclature", cvss_nomenclature(c));
	} else {
		json_object_set_new(o, "temporal_score", score_json(cvss_temporal_score(c)));
		json_object_set_new(o, "environmental_score",
				    score_json(cvss_environmental_score(c)));
	}
	json_object_set_new(o, "score", score_json(score));
	vg_json_set_str(o, "score_severity", cvss_severity(score));
	if (c->version == CVSS_V2_0)
		vg_json_set_str(o, "nvd_v2_severity", cvss_v2_severity(base));
	return o;
}

static int cvss_score_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	static const char usage[] = "VECTOR [--json]";
	struct cli_args a;
	struct vg_error err = {0};
	struct cvss v;
	double base, score;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	if (cvss_parse(a.pos[0], &v, &err))
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o = cvss_json(&v);
		return o ? cli_print_json(o) : cli_fail("out of memory");
	}
	base = cvss_base_score(&v);
	score = cvss_score(&v);
	printf("%.1f %s\n", base, cvss_severity(base));
	/* The vector carries more than base metrics: say what they make. */
	if (v.version == CVSS_V4_0 && strcmp(cvss_nomenclature(&v), "CVSS-B") != 0)
		printf("%s %.1f %s\n", cvss_nomenclature(&v), score, cvss_severity(score));
	else if (v.version != CVSS_V4_0 && score != base)
		printf("overall %.1f %s\n", score, cvss_severity(score));
	return CLI_OK;
}

int cmd_cvss(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"score", cvss_score_cmd, "parse a CVSS vector and print its score and severity"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "cvss",
			    "CVSS vectors (v2.0, v3.0, v3.1, v4.0) as vigil scores them.", verbs,
			    argc, argv);
}
