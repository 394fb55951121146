/*
 * clock.h - the one clock of vigil, and RFC 3339 time handling.
 *
 * All times are UTC seconds since the Unix epoch (int64_t). If the
 * environment variable VIGIL_NOW holds an RFC 3339 time, vg_now() returns
 * that time on every call: tests move time this way. Nothing in vigil may
 * call time() or clock_gettime(CLOCK_REALTIME) for wall-clock decisions.
 */
#ifndef VIGIL_CORE_CLOCK_H
#define VIGIL_CORE_CLOCK_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

struct vg_error;

/* Current time: VIGIL_NOW if set and valid, else the system clock. */
int64_t vg_now(void);
/* Monotonic milliseconds, for measuring durations (not affected by VIGIL_NOW). */
int64_t vg_mono_ms(void);
/* Monotonic microseconds, for the timing counters of bulk imports. */
int64_t vg_mono_us(void);

/*
 * Parse an RFC 3339 date-time ("2026-09-11T10:00:00Z", "...+02:00",
 * fractional seconds allowed and truncated). Also accepts a full date
 * ("2026-09-11", as 00:00:00Z). Returns VG_OK or VG_EPARSE with a message.
 */
int vg_time_parse(const char *s, int64_t *out, struct vg_error *err) VG_MUST_CHECK;
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
char *vg_time_format(int64_t t, char *out, size_t n);
#define VG_TIME_BUFSZ 32

/* Days from civil date (proleptic Gregorian), and back. */
int64_t vg_days_from_civil(int64_t y, unsigned m, unsigned d);
void vg_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Add calendar months to t: the same day and time of day N months later, or
 * the last day of that month when it is shorter (31 Jan + 1 month = 28/29 Feb). */
int64_t vg_time_add_months(int64_t t, int months);

/* Parse a duration like "48h", "30m", "7d", "90s", "2w". */
int vg_duration_parse(const char *s, int64_t *seconds, struct vg_error *err) VG_MUST_CHECK;

#endif
