/*
 * test_securitytxt.c - the RFC 9116 validator against the shared suites in
 * $VIGIL_SHARED_DATA/securitytxt (eikendev: every valid file has no error;
 * DigitalTrustCenter and spaze: every expected finding is reported, through
 * the code mappings below), hand-written cases for each rule, hostile input,
 * and the generator.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h" /* before buf.h, which uses struct vg_error */
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "reach/securitytxt.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *shared(void)
{
	const char *d = getenv("VIGIL_SHARED_DATA");
	return d && *d ? d : "/work/shared/data";
}

static void read_file(const char *path, struct vg_buf *b)
{
	struct vg_error err = {0};
	vg_buf_init(b, 4 * 1024 * 1024);
	if (vg_buf_read_file(b, path, 4 * 1024 * 1024, &err))
		fail_msg("%s", err.msg);
}

static int64_t t3339(const char *s)
{
	int64_t t;
	assert_int_equal(vg_time_parse(s, &t, NULL), VG_OK);
	return t;
}

static void validate(const char *data, size_t n, const char *now, const char *url,
		     struct securitytxt_report *r)
{
	struct securitytxt_options opt = {0};
	struct vg_error err = {0};
	opt.now_set = 1;
	opt.now = t3339(now);
	opt.url = url;
	assert_int_equal(securitytxt_validate(data, n, &opt, r, &err), VG_OK);
}

static void dump(const char *what, const struct securitytxt_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		fprintf(stderr, "  %s:%d: %s %s: %s\n", what, r->findings[i].line,
			securitytxt_severity_name(r->findings[i].severity), r->findings[i].code,
			r->findings[i].message);
}

/* Number of findings with one of the codes in the '|'-separated list, at
 * line (or any line when line < 0), of severity sev (or any when sev < 0). */
static size_t count(const struct securitytxt_report *r, const char *codes, int line, int sev)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct securitytxt_finding *f = &r->findings[i];
		const char *p = codes;
		size_t cl = strlen(f->code);
		int hit = 0;
		while (*p) {
			size_t l = strcspn(p, "|");
			if (l == cl && strncmp(p, f->code, l) == 0)
				hit = 1;
			p += l + (p[l] == '|');
		}
		if (hit && (line < 0 || f->line == line) && (sev < 0 || (int)f->severity == sev))
			n++;
	}
	return n;
}

/* ---- eikendev/sectxt: 108 valid files ---- */

static void test_eikendev_valid(void **state)
{
	static const char *const dirs[] = {"valid_signed", "valid_unsigned", "gen_unsigned"};
	size_t files = 0, bad = 0;
	(void)state;
	for (size_t d = 0; d < 3; d++) {
		char path[1024];
		DIR *dir;
		struct dirent *e;
		snprintf(path, sizeof(path), "%s/securitytxt/eikendev-sectxt/%s", shared(),
			 dirs[d]);
		dir = opendir(path);
		assert_non_null(dir);
		while ((e = readdir(dir)) != NULL) {
			char fp[1300];
			struct vg_buf b;
			struct securitytxt_report r;
			size_t nl = strlen(e->d_name);
			if (nl < 5 || strcmp(e->d_name + nl - 5, ".stxt") != 0)
				continue;
			snprintf(fp, sizeof(fp), "%s/%s", path, e->d_name);
			read_file(fp, &b);
			validate(b.data, b.len, "2023-01-01T08:19:03.000Z", NULL, &r);
			files++;
			if (r.nerrors) {
				bad++;
				dump(fp, &r);
			}
			/* every file has at least one Contact and an Expires */
			assert_true(r.has_expires);
			assert_int_equal(r.is_signed, d == 0);
			securitytxt_report_release(&r);
			vg_buf_release(&b);
		}
		closedir(dir);
	}
	assert_int_equal(files, 108);
	assert_int_equal(bad, 0);
}

/* ---- DigitalTrustCenter/sectxt (internet.nl) ---- */

static const char *dtc_map(const char *code)
{
	static const char *const m[][2] = {
	    {"invalid_expiry", "expires_syntax|expires_old_format"},
	    {"expired", "expires_past"},
	    {"long_expiry", "expires_too_far"},
	    {"no_expire", "expires_missing"},
	    {"multi_expire", "expires_multiple"},
	    {"no_contact", "contact_missing"},
	    {"multi_lang", "preferred_languages_multiple"},
	    {"invalid_lang",
	     "preferred_languages_tag|preferred_languages_syntax|preferred_languages_country_code"},
	    {"prec_ws", "field_name_whitespace|leading_whitespace"},
	    {"empty_key", "field_name_empty"},
	    {"no_space", "missing_space"},
	    {"empty_value", "empty_value"},
	    {"invalid_line", "invalid_line"},
	    {"no_https", "insecure_uri"},
	    {"no_uri", "invalid_uri"},
	    {"pgp_data_error", "signature_missing|signature_armor|signature_dash_escape"},
	    {"pgp_error", "signature_data"},
	    {"signed_format_issue", "signature_leading_data"},
	    {"data_after_sig", "signature_trailing_data"},
	    {"too_many_line_separators", "signature_trailing_data"},
	    {"no_canonical", "signature_no_canonical"},
	    {"not_signed", "not_signed"},
	    {"no_encryption", "encryption_missing"},
	    {"unknown_field", "unknown_field"},
	    {"no_line_separators", "line_no_eol"},
	    {"no_csaf_file", "csaf_not_provider_metadata"},
	    {"multiple_csaf_fields", "csaf_multiple"},
	    {"bom_in_file", "bom"},
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i][0], code) == 0)
			return m[i][1];
	fail_msg("no mapping for dtc code %s", code);
	return NULL;
}

/* Each code of list must be reported as often as it is listed. */
static void expect_list(const struct securitytxt_report *r, json_t *list,
			const char *(*map)(const char *), int sev, const char *name,
			size_t *checked)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *code = json_string_value(v);
		const char *ours = map(code);
		size_t want = 0, k;
		json_t *w;
		json_array_foreach(list, k, w) want += strcmp(json_string_value(w), code) == 0;
		if (count(r, ours, -1, sev) < want) {
			dump(name, r);
			fail_msg("%s: expected %zu x %s (ours: %s)", name, want, code, ours);
		}
		(*checked)++;
	}
}

static void test_dtc_cases(void **state)
{
	char path[1024];
	struct vg_buf mb;
	struct vg_error err = {0};
	json_t *m, *cases, *c;
	size_t i, ncases = 0, checked = 0;
	const char *now;
	(void)state;

	snprintf(path, sizeof(path), "%s/securitytxt/dtc-sectxt/manifest.json", shared());
	read_file(path, &mb);
	m = vg_json_parse(mb.data, mb.len, path, &err);
	assert_non_null(m);
	now = vg_json_str(m, "now");
	cases = json_object_get(m, "cases");
	json_array_foreach(cases, i, c)
	{
		struct vg_buf b;
		struct securitytxt_report r;
		const char *name = vg_json_str(c, "name");
		json_t *valid = json_object_get(c, "valid");
		snprintf(path, sizeof(path), "%s/securitytxt/dtc-sectxt/cases/%s", shared(),
			 vg_json_str(c, "file"));
		read_file(path, &b);
		validate(b.data, b.len, now, NULL, &r);
		expect_list(&r, json_object_get(c, "errors"), dtc_map, SECURITYTXT_ERROR, name,
			    &checked);
		expect_list(&r, json_object_get(c, "recommendations"), dtc_map, -1, name, &checked);
		expect_list(&r, json_object_get(c, "notifications"), dtc_map, -1, name, &checked);
		if (json_is_true(valid) && r.nerrors) {
			dump(name, &r);
			fail_msg("%s: upstream says valid", name);
		}
		if (json_is_false(valid))
			assert_true(r.nerrors > 0);
		securitytxt_report_release(&r);
		vg_buf_release(&b);
		ncases++;
	}
	assert_int_equal(ncases, 33);
	/* every expected code of the manifest was looked for */
	assert_int_equal(checked, 28);
	json_decref(m);
	vg_buf_release(&mb);
}

/* ---- spaze/security-txt ---- */

static const char *spaze_map(const char *cls)
{
	static const char *const m[][2] = {
	    {"Expired", "expires_past"},
	    {"ExpiresWrongFormat", "expires_syntax"},
	    {"ExpiresOldFormat", "expires_old_format"},
	    {"ExpiresTooLong", "expires_too_far"},
	    {"NoExpires", "expires_missing"},
	    {"MultipleExpires", "expires_multiple"},
	    {"NoContact", "contact_missing"},
	    {"ContentNotUtf8", "invalid_utf8"},
	    {"LineNoEol", "line_no_eol"},
	    {"MultiplePreferredLanguages", "preferred_languages_multiple"},
	    {"PreferredLanguagesSeparatorNotComma", "preferred_languages_syntax"},
	    {"PreferredLanguagesCommonMistake", "preferred_languages_country_code"},
	    {"PossibelFieldTypo", "field_typo"},
	    {"CsafNotHttps", "insecure_uri"},
	    {"CsafWrongFile", "csaf_not_provider_metadata"},
	    {"ContactNotHttps", "insecure_uri"},
	    {"BugBountyWrongCase", "bug_bounty_case"},
	    {"BugBountyWrongValue", "bug_bounty_value"},
	    {"UnknownField", "unknown_field"},
	    {"SignatureCannotVerify",
	     "signature_not_verified|signature_data|signature_armor|signature_invalid"},
	};
	const char *c = strncmp(cls, "SecurityTxt", 11) == 0 ? cls + 11 : cls;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i][0], c) == 0)
			return m[i][1];
	fail_msg("no mapping for spaze class %s", cls);
	return NULL;
}

/*
 * Deliberate differences, each for a reason:
 *  - Bug-Bounty is a proposed field outside RFC 9116 and its registry;
 *    RFC 9116 2.4 says unknown fields are ignored, so its value problems are
 *    warnings here, errors in spaze.
 *  - signed_damaged_signature has "yes, but" as its armor: RFC 9116 section
 *    4 (signature-data, base64) is violated, so it is an error here, while
 *    spaze only warns that it cannot verify.
 */
static int spaze_soft(const char *cls)
{
	return strstr(cls, "BugBounty") != NULL;
}

static void spaze_lines(const struct securitytxt_report *r, json_t *obj, int sev, const char *name,
			size_t *checked)
{
	const char *key;
	json_t *arr;
	json_object_foreach(obj, key, arr)
	{
		size_t i;
		json_t *v;
		int line = atoi(key);
		json_array_foreach(arr, i, v)
		{
			const char *cls = json_string_value(v);
			int s = sev >= 0 && spaze_soft(cls) ? -1 : sev;
			if (!count(r, spaze_map(cls), line, s)) {
				dump(name, r);
				fail_msg("%s: expected %s on line %d", name, cls, line);
			}
			(*checked)++;
		}
	}
}

static void test_spaze_cases(void **state)
{
	char path[1024];
	struct vg_buf mb;
	struct vg_error err = {0};
	json_t *m, *cases, *c;
	size_t i, ncases = 0, checked = 0;
	const char *now;
	(void)state;

	snprintf(path, sizeof(path), "%s/securitytxt/spaze-security-txt/manifest.json", shared());
	read_file(path, &mb);
	m = vg_json_parse(mb.data, mb.len, path, &err);
	assert_non_null(m);
	now = vg_json_str(m, "now");
	cases = json_object_get(m, "cases");
	json_array_foreach(cases, i, c)
	{
		struct vg_buf b;
		struct securitytxt_report r;
		const char *name = vg_json_str(c, "name");
		json_t *valid = json_object_get(c, "valid"),
		       *fe = json_object_get(c, "file_errors"), *v;
		size_t k;
		snprintf(path, sizeof(path), "%s/securitytxt/spaze-security-txt/cases/%s", shared(),
			 vg_json_str(c, "file"));
		read_file(path, &b);
		validate(b.data, b.len, now, NULL, &r);
		spaze_lines(&r, json_object_get(c, "line_errors"), SECURITYTXT_ERROR, name,
			    &checked);
		spaze_lines(&r, json_object_get(c, "line_warnings"), -1, name, &checked);
		json_array_foreach(fe, k, v)
		{
			if (!count(&r, spaze_map(json_string_value(v)), -1, SECURITYTXT_ERROR)) {
				dump(name, &r);
				fail_msg("%s: expected file error %s", name, json_string_value(v));
			}
			checked++;
		}
		if (json_is_true(valid) && strcmp(name, "signed_damaged_signature") != 0 &&
		    r.nerrors) {
			dump(name, &r);
			fail_msg("%s: upstream says valid", name);
		}
		if (json_is_false(valid))
			assert_true(r.nerrors > 0);
		securitytxt_report_release(&r);
		vg_buf_release(&b);
		ncases++;
	}
	assert_int_equal(ncases, 27);
	assert_int_equal(checked, 30);
	json_decref(m);
	vg_buf_release(&mb);
}

static void test_rfc_example(void **state)
{
	char path[1024];
	struct vg_buf b;
	struct securitytxt_report r;
	(void)state;
	snprintf(path, sizeof(path), "%s/securitytxt/rfc9116/example-unsigned-s2.6.txt", shared());
	read_file(path, &b);
	validate(b.data, b.len, "2026-01-01T00:00:00Z", NULL, &r);
	assert_int_equal(count(&r, "expires_past", -1, SECURITYTXT_ERROR), 1);
	/* the expiry is the only error of the RFC's own example */
	assert_int_equal(r.nerrors, 1);
	securitytxt_report_release(&r);
	vg_buf_release(&b);
}

/* ---- one hand-written case per rule ---- */

#define OKF "Contact: mailto:security@example.com\nExpires: 2026-06-01T00:00:00Z\n"
#define NOW "2026-05-01T00:00:00Z"
#define SIGNED_OK                                                        \
	"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" OKF       \
	"Canonical: https://example.com/.well-known/security.txt\n"      \
	"-----BEGIN PGP SIGNATURE-----\n\n"                              \
	"wpwEAQEIABAFAmTHcawJEDs4gPMoG10dAACN5wP/UozhFqHcUWRNhg4KwfY4\n" \
	"HHXU8bf222naeYJHgaHadLTJJ8YQIQ9N5fYF7K4BM0jPZc48aaUPaBdhNxw+\n" \
	"KDtQJWPzVREIbbGLRQ5WNYrLR6/7v1LHTI8RvgY22QZD9EAkFQwgdG8paIP4\n" \
	"2APWewNf8e01t1oh4n5bDBtr4IaQoj0=\n=DHXw\n-----END PGP SIGNATURE-----\n"

static const struct {
	const char *text;
	const char *code;
	int line; /* -1 any */
	const char *url;
} rules[] = {
    {"", "empty_file", 0, NULL},
    {"\xEF\xBB\xBF" OKF, "bom", 1, NULL},
    {OKF "# caf\xC3\n", "invalid_utf8", 3, NULL},
    {OKF "# a\x01z\n", "control_character", 3, NULL},
    {OKF "# bare\rcr\n", "control_character", 3, NULL},
    {OKF "Policy: https://example.com/p", "line_no_eol", 3, NULL},
    {OKF "just words\n", "invalid_line", 3, NULL},
    {OKF " Policy: https://example.com/p\n", "leading_whitespace", 3, NULL},
    {OKF "Policy: https://example.com/p\n https://example.com/q\n", "leading_whitespace", 4, NULL},
    {OKF ": https://example.com/p\n", "field_name_empty", 3, NULL},
    {OKF "Policy : https://example.com/p\n", "field_name_whitespace", 3, NULL},
    {OKF "Pol\xC3\xAD"
	 "cy: https://example.com/p\n",
     "field_name_invalid", 3, NULL},
    {OKF "Policy:https://example.com/p\n", "missing_space", 3, NULL},
    {OKF "Policy: \n", "empty_value", 3, NULL},
    {OKF "Acknowledgements: https://example.com/t\n", "field_typo", 3, NULL},
    {OKF "X-Foo: bar\n", "unknown_field", 3, NULL},
    {OKF "Policy: example.com/policy\n", "invalid_uri", 3, NULL},
    {OKF "Policy: https://example.com/a b\n", "invalid_uri", 3, NULL},
    {OKF "Hiring: https://exa mple.com/\n", "invalid_uri", 3, NULL},
    {OKF "Contact: security@example.com\n", "invalid_uri", 3, NULL},
    {OKF "Acknowledgments: http://example.com/thanks\n", "insecure_uri", 3, NULL},
    {OKF "Contact: HTTP://EXAMPLE.COM/\n", "insecure_uri", 3, NULL},
    {"Expires: 2026-06-01T00:00:00Z\n", "contact_missing", 0, NULL},
    {OKF "Contact: mailto:nobody\n", "contact_mailto_address", 3, NULL},
    {"Contact: https://example.com/\n", "expires_missing", 0, NULL},
    {OKF "Expires: 2026-07-01T00:00:00Z\n", "expires_multiple", 3, NULL},
    {"Contact: https://example.com/\nExpires: 2026-06-01\n", "expires_syntax", 2, NULL},
    {"Contact: https://example.com/\nExpires: 2026-06-01T25:00:00Z\n", "expires_syntax", 2, NULL},
    {"Contact: https://example.com/\nExpires: 2026-02-30T00:00:00Z\n", "expires_syntax", 2, NULL},
    {"Contact: https://example.com/\nExpires: Mon, 01 Jun 2026 00:00:00 +0000\n",
     "expires_old_format", 2, NULL},
    {"Contact: https://example.com/\nExpires: 2026-04-30T23:59:59Z\n", "expires_past", 2, NULL},
    {"Contact: https://example.com/\nExpires: 2026-05-01T02:00:00+03:00\n", "expires_past", 2,
     NULL},
    {"Contact: https://example.com/\nExpires: 2027-05-02T00:00:00Z\n", "expires_too_far", 2, NULL},
    {"Contact: https://example.com/\nExpires: 2026-05-10T00:00:00Z\n", "expires_soon", 2, NULL},
    {OKF "Encryption: -----BEGIN PGP PUBLIC KEY BLOCK-----\n", "encryption_not_uri", 3, NULL},
    {OKF "Encryption: mQINBFxyz\n", "encryption_not_uri", 3, NULL},
    {OKF "Canonical: https://example.com/.well-known/security.txt\n", "canonical_mismatch", 3,
     "https://www.example.com/.well-known/security.txt"},
    {OKF "Preferred-Languages: en\nPreferred-Languages: de\n", "preferred_languages_multiple", 4,
     NULL},
    {OKF "Preferred-Languages: en,,de\n", "preferred_languages_syntax", 3, NULL},
    {OKF "Preferred-Languages: en de\n", "preferred_languages_syntax", 3, NULL},
    {OKF "Preferred-Languages: english\n", "preferred_languages_tag", 3, NULL},
    {OKF "Preferred-Languages: en-\n", "preferred_languages_tag", 3, NULL},
    {OKF "Preferred-Languages: en, jp\n", "preferred_languages_country_code", 3, NULL},
    {OKF "CSAF: https://example.com/csaf/index.json\n", "csaf_not_provider_metadata", 3, NULL},
    {OKF "CSAF: ftp://example.com/provider-metadata.json\n", "insecure_uri", 3, NULL},
    {OKF "CSAF: https://a.example/provider-metadata.json\n"
	 "CSAF: https://b.example/provider-metadata.json\n",
     "csaf_multiple", 4, NULL},
    {OKF "Bug-Bounty: maybe\n", "bug_bounty_value", 3, NULL},
    {OKF "Bug-Bounty: true\n", "bug_bounty_case", 3, NULL},
    {OKF, "encryption_missing", 0, NULL},
    {OKF, "not_signed", 0, NULL},
    {"\n" SIGNED_OK, "signature_leading_data", 2, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\n\n" OKF "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n"
     "-----END PGP SIGNATURE-----\n",
     "signature_hash_header", 1, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\n" OKF
     "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n",
     "signature_weak_hash", 2, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" OKF
     "Canonical: https://example.com/.well-known/security.txt\n"
     "-----BEGIN PGP SIGNATURE-----\n\n"
     "wpwEAQEIABAFAmTHcawJEDs4gPMoG10dAACN5wP/UozhFqHcUWRNhg4KwfY4\n"
     "HHXU8bf222naeYJHgaHadLTJJ8YQIQ9N5fYF7K4BM0jPZc48aaUPaBdhNxw+\n"
     "KDtQJWPzVREIbbGLRQ5WNYrLR6/7v1LHTI8RvgY22QZD9EAkFQwgdG8paIP4\n"
     "2APWewNf8e01t1oh4n5bDBtr4IaQoj0=\n=DHXw\n-----END PGP SIGNATURE-----\n",
     "signature_hash_mismatch", 7, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" OKF "-- dashes\n"
     "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n",
     "signature_dash_escape", 6, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" OKF, "signature_missing", 1, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" OKF
     "-----BEGIN PGP SIGNATURE-----\n\nwpwEAQEIABAFAmTHcawJ\n",
     "signature_armor", 6, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" OKF
     "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n",
     "signature_data", 6, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" OKF "-----BEGIN PGP SIGNATURE-----\n\n"
     "wpwEAQEIABAFAmTHcawJEDs4gPMoG10dAACN5wP/UozhFqHcUWRNhg4KwfY4\n"
     "HHXU8bf222naeYJHgaHadLTJJ8YQIQ9N5fYF7K4BM0jPZc48aaUPaBdhNxw+\n"
     "KDtQJWPzVREIbbGLRQ5WNYrLR6/7v1LHTI8RvgY22QZD9EAkFQwgdG8paIP4\n"
     "2APWewNf8e01t1oh4n5bDBtr4IaQoj0=\n=DHXx\n-----END PGP SIGNATURE-----\n",
     "signature_data", 12, NULL},
    {SIGNED_OK "x\n", "signature_trailing_data", 15, NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" OKF "-----BEGIN PGP SIGNATURE-----\n\n"
     "wpwEAQEIABAFAmTHcawJEDs4gPMoG10dAACN5wP/UozhFqHcUWRNhg4KwfY4\n"
     "HHXU8bf222naeYJHgaHadLTJJ8YQIQ9N5fYF7K4BM0jPZc48aaUPaBdhNxw+\n"
     "KDtQJWPzVREIbbGLRQ5WNYrLR6/7v1LHTI8RvgY22QZD9EAkFQwgdG8paIP4\n"
     "2APWewNf8e01t1oh4n5bDBtr4IaQoj0=\n=DHXw\n-----END PGP SIGNATURE-----\n",
     "signature_no_canonical", 1, NULL},
    {SIGNED_OK, "signature_not_verified", 1, NULL},
};

static void test_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct securitytxt_report r;
		validate(rules[i].text, strlen(rules[i].text), NOW, rules[i].url, &r);
		if (!count(&r, rules[i].code, rules[i].line, -1)) {
			dump(rules[i].code, &r);
			fail_msg("case %zu: expected %s at line %d", i, rules[i].code,
				 rules[i].line);
		}
		securitytxt_report_release(&r);
	}
}

/* Things that must NOT be reported. */
static void test_accepts(void **state)
{
	static const char *const good[] = {
	    OKF "Encryption: openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f\n",
	    OKF "Encryption: dns:5d2d37ab76d47d36._openpgpkey.example.com?type=OPENPGPKEY\n",
	    OKF "Contact: tel:+1-201-555-0123\n"
		"Contact: mailto:security%2Buri%2Bencoded@example.com\n",
	    OKF "Preferred-Languages: en, es,fr ,\tzh-Hant-TW, sr-Latn-RS, x-klingon, de-CH-1996\n",
	    "contact: https://[2001:db8::1]:8443/report?x=1#top\r\nEXPIRES: "
	    "2026-06-01T00:00:00.123+02:00\r\n",
	    OKF "X-Ext: folded\n  continuation\n\tmore\n",
	    OKF "CSAF: https://example.com/.well-known/csaf/provider-metadata.json\n",
	    OKF "# comment with \xE2\x9C\x93 unicode\n   \t\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct securitytxt_report r;
		validate(good[i], strlen(good[i]), NOW, NULL, &r);
		if (r.nerrors || r.nwarnings) {
			dump("good", &r);
			fail_msg("good case %zu has findings", i);
		}
		securitytxt_report_release(&r);
	}
}

static void test_canonical_match(void **state)
{
	const char *f = OKF "Canonical: https://Example.com:443/.well-known/security.txt\n"
			    "Canonical: https://www.example.com/.well-known/security.txt\n";
	struct securitytxt_report r;
	(void)state;
	validate(f, strlen(f), NOW, "https://example.com/.well-known/security.txt", &r);
	assert_int_equal(count(&r, "canonical_mismatch", -1, -1), 0);
	securitytxt_report_release(&r);
	validate(f, strlen(f), NOW, "https://example.com/security.txt", &r);
	assert_int_equal(count(&r, "canonical_mismatch", 3, SECURITYTXT_ERROR), 1);
	securitytxt_report_release(&r);
}

static void test_parsed_fields(void **state)
{
	const char *f = "# hi\nContact: mailto:a@example.com \nContact: https://example.com/c\n"
			"Expires: 2026-06-01T00:00:00Z\nFoo: bar\n";
	struct securitytxt_report r;
	json_t *j;
	(void)state;
	validate(f, strlen(f), NOW, NULL, &r);
	assert_int_equal(r.nfields, 4);
	assert_int_equal(r.fields[0].kind, SECURITYTXT_F_CONTACT);
	assert_string_equal(r.fields[0].value, "mailto:a@example.com");
	assert_int_equal(r.fields[1].line, 3);
	assert_int_equal(r.fields[3].kind, SECURITYTXT_F_OTHER);
	assert_true(r.has_expires);
	assert_int_equal(r.expires, t3339("2026-06-01T00:00:00Z"));
	j = securitytxt_report_json(&r, "x");
	assert_non_null(j);
	assert_true(json_is_true(json_object_get(j, "valid")));
	assert_string_equal(vg_json_str(j, "expires"), "2026-06-01T00:00:00Z");
	assert_int_equal(json_array_size(json_object_get(j, "fields")), 4);
	json_decref(j);
	securitytxt_report_release(&r);
}

/* ---- hostile input ---- */

static void test_hostile(void **state)
{
	struct securitytxt_report r;
	size_t n = SECURITYTXT_MAX_SIZE + 1;
	char *big = malloc(n);
	(void)state;
	assert_non_null(big);

	memset(big, 'A', n);
	validate(big, n, NOW, NULL, &r);
	assert_int_equal(count(&r, "too_large", 0, SECURITYTXT_ERROR), 1);
	securitytxt_report_release(&r);

	/* one endless line */
	validate(big, SECURITYTXT_MAX_SIZE, NOW, NULL, &r);
	assert_int_equal(count(&r, "line_too_long", 1, -1), 1);
	securitytxt_report_release(&r);

	/* binary: every byte value, many times over */
	for (size_t i = 0; i < SECURITYTXT_MAX_SIZE; i++)
		big[i] = (char)(i * 7 + (i >> 8));
	validate(big, SECURITYTXT_MAX_SIZE, NOW, NULL, &r);
	assert_true(r.nerrors > 0);
	assert_true(r.nfindings <= SECURITYTXT_MAX_FINDINGS + 1);
	securitytxt_report_release(&r);

	/* thousands of bad lines: findings are capped */
	for (size_t i = 0; i < 200000; i += 2) {
		big[i] = 'x';
		big[i + 1] = '\n';
	}
	validate(big, 200000, NOW, NULL, &r);
	assert_int_equal(r.nfindings, SECURITYTXT_MAX_FINDINGS + 1);
	assert_string_equal(r.findings[SECURITYTXT_MAX_FINDINGS].code, "too_many_findings");
	assert_true(r.nerrors >= 100000);
	securitytxt_report_release(&r);

	/* a quoted value cut inside a UTF-8 sequence still gives UTF-8 JSON */
	{
		static const char cut[] = "Contact: x\n"
					  "Policy: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xC3\xA9\n";
		json_t *j;
		validate(cut, sizeof(cut) - 1, NOW, NULL, &r);
		j = securitytxt_report_json(&r, "cut");
		assert_non_null(j);
		assert_int_equal(json_array_size(json_object_get(j, "findings")), r.nfindings);
		json_decref(j);
		securitytxt_report_release(&r);
	}

	/* NUL bytes and a lone signed-message header */
	{
		static const char nul[] = "Contact: a\0b\n-----BEGIN PGP SIGNED MESSAGE-----";
		validate(nul, sizeof(nul) - 1, NOW, NULL, &r);
	}
	assert_true(count(&r, "control_character", 1, -1) == 1);
	securitytxt_report_release(&r);
	free(big);
}

/* ---- generator ---- */

static void test_generate(void **state)
{
	const char *contacts[] = {"mailto:security@example.com", "https://example.com/report"};
	const char *enc[] = {"https://example.com/pgp.asc"};
	const char *can[] = {"https://example.com/.well-known/security.txt"};
	const char *csaf[] = {"https://example.com/.well-known/csaf/provider-metadata.json"};
	const char *bad[] = {"mailto:a@example.com\nExpires: 2099-01-01T00:00:00Z"};
	const char *http[] = {"http://example.com/"};
	struct securitytxt_spec s = {0};
	struct vg_buf b;
	struct vg_error err = {0};
	struct securitytxt_report r;
	int64_t now = t3339(NOW);
	(void)state;

	s.contact = contacts;
	s.ncontact = 2;
	s.expires = now + 180 * 86400;
	s.encryption = enc;
	s.nencryption = 1;
	s.canonical = can;
	s.ncanonical = 1;
	s.csaf = csaf;
	s.ncsaf = 1;
	s.preferred_languages = "en, de";
	vg_buf_init(&b, 0);
	assert_int_equal(securitytxt_generate(&s, now, &b, &err), VG_OK);
	assert_non_null(strstr(b.data, "Contact: mailto:security@example.com\n"
				       "Contact: https://example.com/report\n"
				       "Expires: 2026-10-28T00:00:00Z\n"));
	validate(b.data, b.len, NOW, "https://example.com/.well-known/security.txt", &r);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.nwarnings, 0);
	assert_int_equal(r.nfields, 7);
	securitytxt_report_release(&r);

	/* a line break in a value would inject a field */
	vg_buf_reset(&b);
	s.contact = bad;
	s.ncontact = 1;
	assert_int_equal(securitytxt_generate(&s, now, &b, &err), VG_EINVAL);
	assert_int_equal(b.len, 0);
	/* http:// and a past expiry are refused by the validator's rules */
	s.contact = http;
	assert_int_equal(securitytxt_generate(&s, now, &b, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "insecure_uri"));
	s.contact = contacts;
	s.expires = now - 1;
	assert_int_equal(securitytxt_generate(&s, now, &b, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "expires_past"));
	s.expires = now + 86400 * 40;
	s.preferred_languages = "en;de";
	assert_int_equal(securitytxt_generate(&s, now, &b, &err), VG_EINVAL);
	assert_int_equal(b.len, 0);
	vg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_eikendev_valid),  cmocka_unit_test(test_dtc_cases),
	    cmocka_unit_test(test_spaze_cases),     cmocka_unit_test(test_rfc_example),
	    cmocka_unit_test(test_rules),           cmocka_unit_test(test_accepts),
	    cmocka_unit_test(test_canonical_match), cmocka_unit_test(test_parsed_fields),
	    cmocka_unit_test(test_hostile),         cmocka_unit_test(test_generate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
