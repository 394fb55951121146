#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

int64_t vg_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void vg_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && is_leap(y))
		return 29;
	return md[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int vg_time_parse(const char *s, int64_t *out, struct vg_error *err)
{
	int Y, M, D, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
	const char *p;

	if (!s)
		return vg_error_set(err, VG_EPARSE, "missing time");
	if (strlen(s) < 10 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) ||
	    s[7] != '-' || digits(s + 8, 2, &D))
		goto bad;
	if (M < 1 || M > 12 || D < 1 || (unsigned)D > month_days(Y, (unsigned)M))
		goto bad;
	p = s + 10;
	if (*p == '\0')
		goto done;
	if (*p != 'T' && *p != 't' && *p != ' ')
		goto bad;
	p++;
	if (strlen(p) < 8 || digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi) ||
	    p[5] != ':' || digits(p + 6, 2, &sec))
		goto bad;
	if (h > 23 || mi > 59 || sec > 60)
		goto bad;
	if (sec == 60)
		sec = 59; /* leap second: clamp */
	p += 8;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (strlen(p) < 6 || digits(p + 1, 2, &oh) || p[3] != ':' ||
		    digits(p + 4, 2, &om) || oh > 23 || om > 59)
			goto bad;
		p += 6;
	} else {
		goto bad;
	}
	if (*p)
		goto bad;
done:
	*out = vg_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return VG_OK;
bad:
	return vg_error_set(err, VG_EPARSE,
			    "'%.64s' is not an RFC 3339 time (expected e.g. 2026-09-11T10:00:00Z)",
			    s);
}

char *vg_time_format(int64_t t, char *out, size_t n)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400;
	int64_t y;
	unsigned m, d;

	vg_civil_from_days(days, &y, &m, &d);
	snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rem / 3600),
		 (int)(rem % 3600 / 60), (int)(rem % 60));
	return out;
}

int64_t vg_time_add_months(int64_t t, int months)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400;
	int64_t y, mm;
	unsigned m, d, md;

	vg_civil_from_days(days, &y, &m, &d);
	mm = (int64_t)m - 1 + months;
	y += mm >= 0 ? mm / 12 : -((-mm + 11) / 12);
	mm = ((mm % 12) + 12) % 12;
	m = (unsigned)mm + 1;
	md = month_days(y, m);
	if (d > md)
		d = md;
	return vg_days_from_civil(y, m, d) * 86400 + rem;
}

int64_t vg_now(void)
{
	const char *env = getenv("VIGIL_NOW");
	int64_t t;

	if (env && *env && vg_time_parse(env, &t, NULL) == VG_OK)
		return t;
	return (int64_t)time(NULL);
}

int64_t vg_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t vg_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int vg_duration_parse(const char *s, int64_t *seconds, struct vg_error *err)
{
	char *end;
	long long v;
	int64_t mul;

	if (!s || !isdigit((unsigned char)*s))
		goto bad;
	v = strtoll(s, &end, 10);
	if (v < 0 || v > 100000000LL)
		goto bad;
	if (strcmp(end, "s") == 0)
		mul = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mul = 60;
	else if (strcmp(end, "h") == 0)
		mul = 3600;
	else if (strcmp(end, "d") == 0)
		mul = 86400;
	else if (strcmp(end, "w") == 0)
		mul = 7 * 86400;
	else
		goto bad;
	*seconds = v * mul;
	return VG_OK;
bad:
	return vg_error_set(err, VG_EPARSE,
			    "'%.64s' is not a duration (expected a number and s, m, h, d or w, "
			    "e.g. 48h)",
			    s ? s : "");
}
