/*
 * fuzz_log_jsonl.c - one JSON line of POST /api/v1/logs through
 * log_json_line() (evidence/log_parse.h). Checks: no crash or undefined
 * behaviour; an accepted line has a source and a message, passes
 * log_event_check(), and its other fields are a JSON object.
 */
#include "core/arena.h"
#include "core/json.h"
#include "evidence/log_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_arena a;
	struct vg_error err = {0};
	struct log_event ev;
	vg_arena_init(&a, 0);
	if (log_json_line((const char *)data, size, 1700000000, &ev, &a, &err) == VG_OK) {
		if (!ev.source || !ev.source[0] || !ev.message)
			abort();
		if (log_event_check(&ev, "fuzz", &err) != VG_OK)
			abort();
		if (ev.fields) {
			json_t *f = json_loads(ev.fields, 0, NULL);
			if (!json_is_object(f))
				abort();
			json_decref(f);
		}
	}
	vg_arena_release(&a);
	return 0;
}
