/*
 * fuzz_scope_json.c - the scope map's JSON reader (scope_json_parse(), the
 * first step of `vigil scope import FILE.json` and of POST
 * /api/v1/scope/import with a JSON body). Checks: no crash or undefined
 * behaviour; on success every row is an object of strings keyed by known
 * fields (products given as an array made one string); on failure nothing
 * is returned and the message names the source.
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
	size_t i;

	if (scope_json_parse((const char *)data, size, "fuzz.json", &rows, &err)) {
		if (rows || !strstr(err.msg, "fuzz.json"))
			abort();
		return 0;
	}
	if (!json_is_array(rows))
		abort();
	json_array_foreach(rows, i, row)
	{
		const char *k;
		json_t *v;
		if (!json_is_object(row))
			abort();
		json_object_foreach(row, k, v)
		{
			int known = 0;
			for (int f = 0; scope_fields[f]; f++)
				known |= strcmp(scope_fields[f], k) == 0;
			if (!known || !json_is_string(v))
				abort();
		}
	}
	json_decref(rows);
	return 0;
}
