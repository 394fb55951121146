/*
 * fuzz_provider_check.c - provider_check() (advisory/provider_check.c) on a
 * provider tree made of arbitrary bytes: what a remote provider serves is
 * outside input (provider-metadata.json, the ROLIE feeds, index.txt,
 * changes.csv, the documents and their hash files, security.txt).
 *
 * The input is split at lines "----" into up to seven parts, served by the
 * fetch hook by what the URL ends with:
 *   0 provider-metadata.json   1 a ROLIE feed (feed-tlp-*.json)
 *   2 index.txt                3 changes.csv
 *   4 any other .json (a document)   5 .sha256 / .sha512   6 security.txt
 * A missing part answers 404; a part starting "401" answers 401. GnuPG is
 * left out (no_openpgp). Every finding names a requirement 7.1.x and a
 * message; failures and warnings add up.
 */
#include "advisory/provider_int.h"
#include "core/buf.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct parts {
	const char *p[7];
	size_t n[7];
};

static int ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static int fetch(void *arg, const char *url, struct vg_buf *out)
{
	const struct parts *t = arg;
	int i = ends(url, "/provider-metadata.json")             ? 0
		: strstr(url, "/feed-tlp-")                      ? 1
		: ends(url, "/index.txt")                        ? 2
		: ends(url, "/changes.csv")                      ? 3
		: ends(url, ".json")                             ? 4
		: (ends(url, ".sha256") || ends(url, ".sha512")) ? 5
		: ends(url, "/security.txt")                     ? 6
								 : -1;
	if (i < 0 || !t->p[i])
		return 404;
	if (t->n[i] >= 3 && !memcmp(t->p[i], "401", 3))
		return 401;
	return vg_buf_add(out, t->p[i], t->n[i]) == VG_OK ? 0 : 500;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parts t = {0};
	const char *s = (const char *)data, *end = s + size;
	for (int i = 0; i < 7 && s <= end; i++) {
		const char *cut = NULL;
		for (const char *q = s; q + 6 <= end; q++)
			if (!memcmp(q, "\n----\n", 6)) {
				cut = q;
				break;
			}
		t.p[i] = s;
		t.n[i] = (size_t)((cut ? cut : end) - s);
		if (!cut)
			break;
		s = cut + 6;
	}
	struct provider_source src = {
	    .base_url = "https://fuzz.example", .fetch = fetch, .fetch_arg = &t, .no_openpgp = 1};
	struct provider_report r;
	struct vg_error err = {0};
	if (provider_check(&src, &r, &err) != VG_OK)
		return 0; /* out of memory */
	size_t f = 0, w = 0;
	for (size_t i = 0; i < r.n; i++) {
		if (strncmp(r.v[i].requirement, "7.1.", 4) != 0 || !r.v[i].message[0])
			abort();
		if (r.v[i].warning)
			w++;
		else
			f++;
	}
	if (f != r.failures || w != r.warnings)
		abort();
	json_decref(provider_report_to_json(&r));
	provider_report_free(&r);
	return 0;
}
