/*
 * fuzz_syslog_msg.c - one syslog message (RFC 5424 with the vigil@32473
 * structured data, RFC 3164, anything else) through log_syslog_parse()
 * (evidence/log_parse.h). Checks: no crash or undefined behaviour; the
 * parser never fails on content; the event it makes always passes
 * log_event_check() (valid UTF-8, bounded, no control characters), so a
 * syslog sender can never make the store refuse a batch.
 */
#include "core/arena.h"
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
	if (log_syslog_parse((const char *)data, size, 1700000000, &ev, &a, &err) != VG_OK)
		abort();
	if (log_event_check(&ev, "fuzz", &err) != VG_OK)
		abort();
	vg_arena_release(&a);
	return 0;
}
