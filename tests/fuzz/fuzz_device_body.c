/*
 * fuzz_device_body.c - the bodies a device posts (outside input):
 * POST /api/v1/device/checkin (device_checkin_req_from_json) and
 * POST /api/v1/device/status (device_status_req_from_json), both fed the
 * same JSON. Accepted requests must satisfy what the store then relies on:
 * a version string, a known status kind, a positive rollout id and
 * sequence, a failed report with an error code.
 */
#include "core/error.h"
#include "core/json.h"
#include "update/device.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *b = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	struct vg_error err = {0};
	struct device_checkin_req c = {.device_id = "d"};
	struct device_status_req st = {.device_id = "d"};

	if (!b)
		return 0;
	if (device_checkin_req_from_json(b, &c, &err) == VG_OK) {
		if (!c.version || !*c.version || strlen(c.version) > 127 ||
		    strcmp(c.device_id, "d"))
			abort();
	} else if (!vg_error_msg(&err)[0]) {
		abort();
	}
	if (device_status_req_from_json(b, &st, &err) == VG_OK) {
		if (st.rollout_id < 1 || st.seq < 1 ||
		    !device_status_parse(device_status_name(st.kind)))
			abort();
		if (st.kind == DEVICE_STATUS_FAILED && (!st.error_code || !*st.error_code))
			abort();
	} else if (!vg_error_msg(&err)[0]) {
		abort();
	}
	json_decref(b);
	return 0;
}
