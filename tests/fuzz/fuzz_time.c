/*
 * fuzz_time.c - RFC 3339 times and durations from outside (VIGIL_NOW, query
 * parameters like --since, configuration) through vg_time_parse() and
 * vg_duration_parse(). Checks: no crash or undefined behaviour; a parsed
 * time in years 0000..9999 formats to a string that parses back to the same
 * second; a whole-month shift stays inside the target month; durations are
 * never negative.
 */
#include "core/clock.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	char s[256], f[VG_TIME_BUFSZ];
	int64_t t, t2, secs, lo, hi;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	lo = vg_days_from_civil(0, 1, 1) * 86400;
	hi = vg_days_from_civil(10000, 1, 1) * 86400;
	if (vg_time_parse(s, &t, &err) == VG_OK && t >= lo && t < hi) {
		vg_time_format(t, f, sizeof(f));
		if (vg_time_parse(f, &t2, &err) != VG_OK || t2 != t)
			abort();
		if (size > 0) {
			int months = (int)(int8_t)data[size - 1];
			int64_t u = vg_time_add_months(t, months);
			if (u >= lo && u < hi) {
				int64_t y, y2;
				unsigned m, d, m2, d2;
				vg_civil_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400), &y,
						   &m, &d);
				vg_civil_from_days(u >= 0 ? u / 86400 : -((-u + 86399) / 86400),
						   &y2, &m2, &d2);
				if ((y2 * 12 + m2) - (y * 12 + m) != months || d2 > d)
					abort();
			}
		}
	}
	if (vg_duration_parse(s, &secs, &err) == VG_OK && secs < 0)
		abort();
	return 0;
}
