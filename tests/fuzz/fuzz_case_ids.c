/*
 * fuzz_case_ids.c - the lists people type into the case forms and the
 * `case new` options (finding numbers, CVE and GHSA ids separated by commas,
 * spaces or line breaks) through psirt_words(), psirt_ids() and
 * case_vuln_kind(). Checks: no crash or undefined behaviour; every word is
 * non-empty, shorter than 256 bytes and holds no separator; every id is
 * positive; an id called "cve" starts with "CVE-" and one called "ghsa"
 * with "GHSA-" and is 19 bytes long.
 */
#include "core/error.h"
#include "psirt/cases.h"
#include "psirt/psirt_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	char *s = malloc(size + 1), **w = NULL;
	int64_t *ids = NULL;
	size_t n = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (psirt_words(s, "fuzz", 64, &w, &n, &err) == VG_OK) {
		for (size_t i = 0; i < n; i++) {
			const char *k = case_vuln_kind(w[i]);
			if (!*w[i] || strlen(w[i]) > 255 || strpbrk(w[i], ", \t\r\n"))
				abort();
			if (k && !strcmp(k, "cve") && strncmp(w[i], "CVE-", 4))
				abort();
			if (k && !strcmp(k, "ghsa") &&
			    (strncmp(w[i], "GHSA-", 5) || strlen(w[i]) != 19))
				abort();
		}
		psirt_people_free(w, n);
	}
	if (psirt_ids(s, "fuzz", 64, &ids, &n, &err) == VG_OK) {
		for (size_t i = 0; i < n; i++)
			if (ids[i] <= 0)
				abort();
		free(ids);
	}
	free(s);
	return 0;
}
