/*
 * version_int.h - what the per-ecosystem comparators of version.c share.
 *
 * Each ver_<scheme>_cmp() validates both versions and compares them
 * without allocating; on an invalid version it returns VG_EINVAL through
 * ver_bad() with a message naming the version and the ecosystem.
 */
#ifndef VIGIL_IDENT_VERSION_INT_H
#define VIGIL_IDENT_VERSION_INT_H

#include "core/error.h"

#include <stddef.h>

typedef int (*ver_cmp_fn)(const char *eco, const char *a, const char *b, int *out,
			  struct vg_error *err);

/* Report v as not a valid eco version because of why; returns VG_EINVAL. */
int ver_bad(struct vg_error *err, const char *eco, const char *v, const char *why);

/* Compare two runs of ASCII digits as numbers of any length. */
int ver_numcmp(const char *a, size_t an, const char *b, size_t bn);

/* Byte-wise compare of two slices, shorter first on a common prefix. */
int ver_memcmp(const char *a, size_t an, const char *b, size_t bn);

static inline int ver_isdigit(int c)
{
	return c >= '0' && c <= '9';
}
static inline int ver_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int ver_isalnum(int c)
{
	return ver_isdigit(c) || ver_isalpha(c);
}
static inline int ver_tolower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
static inline int ver_sign(long long x)
{
	return (x > 0) - (x < 0);
}

int ver_semver_cmp(const char *eco, const char *a, const char *b, int *out,
		   struct vg_error *err) VG_MUST_CHECK;
int ver_npm_cmp(const char *eco, const char *a, const char *b, int *out,
		struct vg_error *err) VG_MUST_CHECK;
int ver_go_cmp(const char *eco, const char *a, const char *b, int *out,
	       struct vg_error *err) VG_MUST_CHECK;
int ver_cargo_cmp(const char *eco, const char *a, const char *b, int *out,
		  struct vg_error *err) VG_MUST_CHECK;
int ver_pub_cmp(const char *eco, const char *a, const char *b, int *out,
		struct vg_error *err) VG_MUST_CHECK;
int ver_nuget_cmp(const char *eco, const char *a, const char *b, int *out,
		  struct vg_error *err) VG_MUST_CHECK;
int ver_pep440_cmp(const char *eco, const char *a, const char *b, int *out,
		   struct vg_error *err) VG_MUST_CHECK;
int ver_maven_cmp(const char *eco, const char *a, const char *b, int *out,
		  struct vg_error *err) VG_MUST_CHECK;
int ver_debian_cmp(const char *eco, const char *a, const char *b, int *out,
		   struct vg_error *err) VG_MUST_CHECK;
int ver_rpm_cmp(const char *eco, const char *a, const char *b, int *out,
		struct vg_error *err) VG_MUST_CHECK;
int ver_alpm_cmp(const char *eco, const char *a, const char *b, int *out,
		 struct vg_error *err) VG_MUST_CHECK;
int ver_apk_cmp(const char *eco, const char *a, const char *b, int *out,
		struct vg_error *err) VG_MUST_CHECK;
int ver_gem_cmp(const char *eco, const char *a, const char *b, int *out,
		struct vg_error *err) VG_MUST_CHECK;
int ver_php_cmp(const char *eco, const char *a, const char *b, int *out,
		struct vg_error *err) VG_MUST_CHECK;
int ver_cran_cmp(const char *eco, const char *a, const char *b, int *out,
		 struct vg_error *err) VG_MUST_CHECK;
int ver_hackage_cmp(const char *eco, const char *a, const char *b, int *out,
		    struct vg_error *err) VG_MUST_CHECK;
int ver_intdot_cmp(const char *eco, const char *a, const char *b, int *out,
		   struct vg_error *err) VG_MUST_CHECK;
int ver_lex_cmp(const char *eco, const char *a, const char *b, int *out,
		struct vg_error *err) VG_MUST_CHECK;
int ver_datetime_cmp(const char *eco, const char *a, const char *b, int *out,
		     struct vg_error *err) VG_MUST_CHECK;

#endif
