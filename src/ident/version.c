/*
 * version.c - ecosystem names to comparators, and the shared helpers.
 */
#include "ident/version.h"
#include "ident/version_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct {
	const char *name;
	ver_cmp_fn cmp;
} schemes[VS__COUNT] = {
    [VS_SEMVER] = {"semver", ver_semver_cmp},
    [VS_NPM] = {"npm", ver_npm_cmp},
    [VS_GO] = {"golang", ver_go_cmp},
    [VS_CARGO] = {"cargo", ver_cargo_cmp},
    [VS_HEX] = {"hex", ver_cargo_cmp},
    [VS_PUB] = {"pub", ver_pub_cmp},
    [VS_NUGET] = {"nuget", ver_nuget_cmp},
    [VS_PEP440] = {"pypi", ver_pep440_cmp},
    [VS_MAVEN] = {"maven", ver_maven_cmp},
    [VS_DEBIAN] = {"deb", ver_debian_cmp},
    [VS_RPM] = {"rpm", ver_rpm_cmp},
    [VS_ALPM] = {"alpm", ver_alpm_cmp},
    [VS_APK] = {"apk", ver_apk_cmp},
    [VS_GEM] = {"gem", ver_gem_cmp},
    [VS_PHP] = {"composer", ver_php_cmp},
    [VS_CRAN] = {"cran", ver_cran_cmp},
    [VS_HACKAGE] = {"hackage", ver_hackage_cmp},
    [VS_INTDOT] = {"intdot", ver_intdot_cmp},
    [VS_LEXICOGRAPHIC] = {"lexicographic", ver_lex_cmp},
    [VS_DATETIME] = {"datetime", ver_datetime_cmp},
};

/* OSV ecosystem names (ossf/osv-schema ecosystems.json) and vers types. */
static const struct {
	const char *name;
	enum version_scheme scheme;
} names[] = {
    {"npm", VS_NPM},
    {"PyPI", VS_PEP440},
    {"pypi", VS_PEP440},
    {"Maven", VS_MAVEN},
    {"maven", VS_MAVEN},
    {"Go", VS_GO},
    {"golang", VS_GO},
    {"Debian", VS_DEBIAN},
    {"Ubuntu", VS_DEBIAN},
    {"deb", VS_DEBIAN},
    {"Red Hat", VS_RPM},
    {"AlmaLinux", VS_RPM},
    {"Rocky Linux", VS_RPM},
    {"SUSE", VS_RPM},
    {"openSUSE", VS_RPM},
    {"Mageia", VS_RPM},
    {"openEuler", VS_RPM},
    {"Azure Linux", VS_RPM},
    {"rpm", VS_RPM},
    {"Alpine", VS_APK},
    {"Wolfi", VS_APK},
    {"Chainguard", VS_APK},
    {"apk", VS_APK},
    {"alpm", VS_ALPM},
    {"RubyGems", VS_GEM},
    {"gem", VS_GEM},
    {"Packagist", VS_PHP},
    {"composer", VS_PHP},
    {"NuGet", VS_NUGET},
    {"nuget", VS_NUGET},
    {"crates.io", VS_CARGO},
    {"cargo", VS_CARGO},
    {"Hex", VS_HEX},
    {"hex", VS_HEX},
    {"Pub", VS_PUB},
    {"pub", VS_PUB},
    {"dart", VS_PUB},
    {"CRAN", VS_CRAN},
    {"cran", VS_CRAN},
    {"Hackage", VS_HACKAGE},
    {"GHC", VS_HACKAGE},
    {"hackage", VS_HACKAGE},
    {"Bitnami", VS_SEMVER},
    {"SwiftURL", VS_SEMVER},
    {"swift", VS_SEMVER},
    {"semver", VS_SEMVER},
    {"SEMVER", VS_SEMVER},
    {"intdot", VS_INTDOT},
    {"lexicographic", VS_LEXICOGRAPHIC},
    {"datetime", VS_DATETIME},
};

int version_scheme_lookup(const char *ecosystem, enum version_scheme *out, struct vg_error *err)
{
	size_t n;

	if (!ecosystem)
		return vg_error_set(err, VG_EINVAL, "no ecosystem given");
	/* "Debian:12", "Alpine:v3.18", "Red Hat:rhel_aus:8.4::appstream" */
	n = strcspn(ecosystem, ":");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == n && memcmp(names[i].name, ecosystem, n) == 0) {
			*out = names[i].scheme;
			return VG_OK;
		}
	}
	return vg_error_set(err, VG_ENOTFOUND,
			    "unknown ecosystem \"%.100s\": expected an OSV ecosystem (npm, PyPI, "
			    "Maven, Go, Debian, Red Hat, Alpine, RubyGems, ...) or a vers type",
			    ecosystem);
}

const char *version_scheme_name(enum version_scheme s)
{
	if ((unsigned)s >= VS__COUNT)
		return "?";
	return schemes[s].name;
}

int version_compare_scheme(enum version_scheme s, const char *a, const char *b, int *out,
			   struct vg_error *err)
{
	int rc;

	*out = 0;
	if ((unsigned)s >= VS__COUNT)
		return vg_error_set(err, VG_EINVAL, "unknown version scheme %d", (int)s);
	if (!a || !b)
		return vg_error_set(err, VG_EINVAL, "missing version");
	if (strlen(a) > VERSION_MAX_LEN)
		return ver_bad(err, schemes[s].name, a, "longer than 1024 bytes");
	if (strlen(b) > VERSION_MAX_LEN)
		return ver_bad(err, schemes[s].name, b, "longer than 1024 bytes");
	rc = schemes[s].cmp(schemes[s].name, a, b, out, err);
	if (rc != VG_OK)
		*out = 0;
	return rc;
}

int version_compare(const char *ecosystem, const char *a, const char *b, int *out,
		    struct vg_error *err)
{
	enum version_scheme s;
	int rc;

	*out = 0;
	rc = version_scheme_lookup(ecosystem, &s, err);
	if (rc != VG_OK)
		return rc;
	return version_compare_scheme(s, a, b, out, err);
}

int version_validate(enum version_scheme s, const char *v, struct vg_error *err)
{
	int dummy;
	return version_compare_scheme(s, v, v, &dummy, err);
}

int version_parse(enum version_scheme s, const char *v, struct version *out, struct vg_error *err)
{
	int rc;

	out->scheme = s;
	out->text = NULL;
	rc = version_validate(s, v, err);
	if (rc != VG_OK)
		return rc;
	{
		size_t n = strlen(v) + 1;
		out->text = malloc(n);
		if (out->text)
			memcpy(out->text, v, n);
	}
	if (!out->text)
		return vg_error_set(err, VG_ENOMEM, "out of memory copying version");
	return VG_OK;
}

int version_cmp_parsed(const struct version *a, const struct version *b)
{
	int r = 0;

	if (a->scheme != b->scheme)
		return a->scheme < b->scheme ? -1 : 1;
	if (schemes[a->scheme].cmp(schemes[a->scheme].name, a->text, b->text, &r, NULL) != VG_OK)
		return 0; /* not reached: both were validated by version_parse() */
	return r;
}

void version_release(struct version *v)
{
	if (!v)
		return;
	free(v->text);
	v->text = NULL;
}

int ver_bad(struct vg_error *err, const char *eco, const char *v, const char *why)
{
	return vg_error_set(err, VG_EINVAL, "invalid %s version \"%.200s\": %s", eco, v, why);
}

int ver_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r;

	while (an > 0 && *a == '0') {
		a++;
		an--;
	}
	while (bn > 0 && *b == '0') {
		b++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	if (an == 0)
		return 0;
	r = memcmp(a, b, an);
	return (r > 0) - (r < 0);
}

int ver_memcmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int r = n ? memcmp(a, b, n) : 0;

	if (r != 0)
		return (r > 0) - (r < 0);
	return (an > bn) - (an < bn);
}
