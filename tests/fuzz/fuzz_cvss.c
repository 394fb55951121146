/*
 * fuzz_cvss.c - cvss_parse() on arbitrary bytes. A refusal must say why;
 * what parses must score within 0.0-10.0 with one decimal under every
 * equation of its version, and re-serialising its metrics in specification
 * order must parse back to the same metrics and scores.
 */
#include "core/error.h"
#include "vuln/cvss.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_score(double s, int may_be_absent)
{
	if (may_be_absent && s == -1.0)
		return;
	if (!(s >= 0.0 && s <= 10.0))
		abort();
	if (fabs(s * 10 - round(s * 10)) > 1e-9)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cvss c, back;
	struct vg_error err = {0};
	char *s, out[CVSS_MAX_LEN + 64];
	size_t o = 0;

	if (size > CVSS_MAX_LEN + 8)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (cvss_parse(s, &c, &err) != VG_OK) {
		if (!err.msg[0])
			abort();
		free(s);
		return 0;
	}
	check_score(cvss_base_score(&c), 0);
	check_score(cvss_score(&c), 0);
	check_score(cvss_temporal_score(&c), 1);
	check_score(cvss_environmental_score(&c), 1);
	if (!cvss_severity(cvss_score(&c)))
		abort();

	/* canonical form: prefix, then the given metrics in table order */
	if (c.version != CVSS_V2_0)
		o += (size_t)snprintf(out, sizeof(out), "CVSS:%s", cvss_version_name(c.version));
	for (size_t i = 0; i < cvss_metric_count(&c); i++) {
		const char *v = cvss_metric_value(&c, i);
		if (v)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s:%s", o ? "/" : "",
					      cvss_metric_abbr(&c, i), v);
	}
	if (o >= sizeof(out) || cvss_parse(out, &back, &err) != VG_OK)
		abort();
	if (memcmp(c.value, back.value, sizeof(c.value)) != 0 ||
	    cvss_score(&c) != cvss_score(&back) || cvss_base_score(&c) != cvss_base_score(&back))
		abort();
	free(s);
	return 0;
}
