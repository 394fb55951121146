/*
 * fuzz_release_input.c - what the release routes take from outside besides
 * the artifact bytes: a provenance document (release_provenance_check:
 * JSON, an in-toto statement or a DSSE envelope of one) and a target name
 * (artifact_name_check). The first byte picks which. Every refusal says
 * why; an accepted name is never absolute and has no '..' segment.
 */
#include "core/error.h"
#include "update/release.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	char *s;

	if (size < 1)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] & 1) {
		char *type = NULL;
		int rc = release_provenance_check(
		    s, size - 1, "0000000000000000000000000000000000000000000000000000000000000000",
		    &type, &err);
		if (rc == VG_OK && !type)
			abort();
		if (rc != VG_OK && (!err.msg[0] || type))
			abort();
		free(type);
	} else if (artifact_name_check(s, &err) == VG_OK) {
		if (s[0] == '/' || strstr(s, "//") || !strncmp(s, "../", 3) || strstr(s, "/../") ||
		    !strcmp(s, ".."))
			abort();
	} else if (!err.msg[0]) {
		abort();
	}
	free(s);
	return 0;
}
