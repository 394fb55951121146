/*
 * fuzz_rollout_stages.c - the stages of a rollout as given on the command
 * line or in the API body (rollout_stages_parse): accepted stages are
 * percentages 1..100, strictly ascending, at most ROLLOUT_MAX_STAGES.
 */
#include "core/error.h"
#include "update/rollout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct vg_error err = {0};
	int st[ROLLOUT_MAX_STAGES], n = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (rollout_stages_parse(s, st, &n, &err) == VG_OK) {
		if (n < 1 || n > ROLLOUT_MAX_STAGES)
			abort();
		for (int i = 0; i < n; i++)
			if (st[i] < 1 || st[i] > 100 || (i && st[i] <= st[i - 1]))
				abort();
	}
	free(s);
	return 0;
}
