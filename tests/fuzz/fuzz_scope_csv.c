/*
 * fuzz_scope_csv.c - the scope map's CSV reader (scope_csv_parse(), the
 * first step of `vigil scope import` and POST /api/v1/scope/import).
 * Checks: no crash or undefined behaviour; on success every row is an
 * object of strings keyed by known fields, with a line number that grows
 * and is at least 2 (the header is line 1); on failure nothing is returned
 * and the message names the source.
 */
#include "core/error.h"
#include "programme/programme.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	json_t *rows = NULL, *row;
	int64_t *lines = NULL, last = 1;
	int cols[SCOPE_NFIELDS];
	size_t i;

	if (scope_csv_parse((const char *)data, size, "fuzz.csv", &rows, &lines, cols, &err)) {
		if (rows || lines || !strstr(err.msg, "fuzz.csv"))
			abort();
		return 0;
	}
	json_array_foreach(rows, i, row)
	{
		const char *k;
		json_t *v;
		if (!json_is_object(row) || lines[i] < 2 || lines[i] <= last)
			abort();
		last = lines[i];
		json_object_foreach(row, k, v)
		{
			int known = 0;
			for (int f = 0; scope_fields[f]; f++)
				known |= strcmp(scope_fields[f], k) == 0;
			if (!known || !json_is_string(v))
				abort();
		}
	}
	for (int f = 0; f < SCOPE_NFIELDS; f++)
		if (cols[f] < 0)
			abort();
	json_decref(rows);
	free(lines);
	return 0;
}
