/*
 * version.h - version order for every package ecosystem vigil matches.
 *
 * Each ecosystem orders its versions by its own tool's rules (dpkg, rpm,
 * apk, PEP 440, Maven ComparableVersion, node-semver, Go modules, RubyGems,
 * PHP version_compare, NuGet, ...). This module answers "a < b?" exactly
 * as that tool would, so that a range "introduced X, fixed Y" means what
 * the advisory's author meant.
 *
 * Rules:
 *  - Ecosystems are named as OSV spells them ("PyPI", "Red Hat",
 *    "Debian:12" - anything after the first ':' is ignored) or by their
 *    vers/purl type ("pypi", "deb", "golang", ...). version_scheme_lookup()
 *    knows both.
 *  - A version the ecosystem's tool would reject is an error (VG_EINVAL)
 *    naming the version, the ecosystem and why; it is never silently
 *    "equal" to anything (grype#3707: an unparseable fix compared equal
 *    hides a vulnerability).
 *  - Versions are at most VERSION_MAX_LEN bytes.
 *  - Comparisons never allocate: the match index compares millions of
 *    versions. Numeric fields of any length are compared as digit strings.
 */
#ifndef VIGIL_IDENT_VERSION_H
#define VIGIL_IDENT_VERSION_H

#include "core/error.h"

#include <stddef.h>

#define VERSION_MAX_LEN 1024

enum version_scheme {
	VS_SEMVER,        /* SemVer 2.0 precedence, lenient (OSV SEMVER) */
	VS_NPM,           /* node-semver, strict */
	VS_GO,            /* golang.org/x/mod/semver; optional v prefix */
	VS_CARGO,         /* crates.io: SemVer 2.0 strict */
	VS_HEX,           /* Hex / Elixir Version: SemVer 2.0 strict */
	VS_PUB,           /* pub_semver: build metadata is ordered too */
	VS_NUGET,         /* NuGet: 1-4 numbers, case-insensitive labels */
	VS_PEP440,        /* PyPI */
	VS_MAVEN,         /* Maven ComparableVersion (3.8.7 order) */
	VS_DEBIAN,        /* dpkg */
	VS_RPM,           /* rpmvercmp over [E:]V[-R], with ~ and ^ */
	VS_ALPM,          /* Arch pacman alpm_pkg_vercmp */
	VS_APK,           /* Alpine apk-tools */
	VS_GEM,           /* RubyGems Gem::Version */
	VS_PHP,           /* Packagist: PHP version_compare after ltrim "vV" */
	VS_CRAN,          /* R package_version */
	VS_HACKAGE,       /* Haskell PVP: dotted numbers */
	VS_INTDOT,        /* vers intdot */
	VS_LEXICOGRAPHIC, /* vers lexicographic: bytes */
	VS_DATETIME,      /* vers datetime: RFC 3339 instants */
	VS__COUNT
};

/*
 * Find the scheme of an ecosystem or vers type. Returns VG_OK, or
 * VG_ENOTFOUND with a message naming the ecosystem.
 */
int version_scheme_lookup(const char *ecosystem, enum version_scheme *out,
			  struct vg_error *err) VG_MUST_CHECK;

/* Canonical short name of a scheme ("pep440", "maven", ...). */
const char *version_scheme_name(enum version_scheme s);

/*
 * Compare a and b in the order of ecosystem. *out (OUT) is -1, 0 or 1.
 * Fails with VG_ENOTFOUND (unknown ecosystem) or VG_EINVAL (a version
 * that ecosystem's tool rejects; the message names it); *out is then 0.
 */
int version_compare(const char *ecosystem, const char *a, const char *b, int *out,
		    struct vg_error *err) VG_MUST_CHECK;

/* As version_compare() with the scheme already looked up. */
int version_compare_scheme(enum version_scheme s, const char *a, const char *b, int *out,
			   struct vg_error *err) VG_MUST_CHECK;

/* Check that v is a valid version of scheme s (VG_OK or VG_EINVAL). */
int version_validate(enum version_scheme s, const char *v, struct vg_error *err) VG_MUST_CHECK;

/*
 * A version checked once and kept for many comparisons (the match index).
 * version_parse() validates v and copies it; release with
 * version_release(). version_cmp_parsed() never fails and never
 * allocates: both sides are known valid. Comparing versions of different
 * schemes orders by scheme (a programming error, not a crash).
 */
struct version {
	enum version_scheme scheme;
	char *text; /* owned, NUL-terminated */
};

int version_parse(enum version_scheme s, const char *v, struct version *out,
		  struct vg_error *err) VG_MUST_CHECK;
int version_cmp_parsed(const struct version *a, const struct version *b);
void version_release(struct version *v);

#endif
