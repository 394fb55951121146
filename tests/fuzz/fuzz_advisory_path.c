/*
 * fuzz_advisory_path.c - what people type after `vigil advisory edit --set`
 * and in the editor's path and value boxes: "PATH=VALUE" through
 * advisory_set_path() on a small CSAF document (the value JSON, else text,
 * as advisory_edit() takes it). Checks: no crash, leak or undefined
 * behaviour; a refusal says why; a path into /document/tracking is refused
 * (advisory_edit() puts vigil's tracking back after a whole /document); the
 * document stays an object that serialises.
 */
#include "advisory/csaf_adv.h"
#include "core/error.h"
#include "core/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "{\"document\":{\"category\":\"csaf_security_advisory\",\"title\":\"t\","
    "\"tracking\":{\"id\":\"X-1\",\"version\":\"1\"},\"notes\":[{\"text\":\"n\"}]},"
    "\"vulnerabilities\":[{\"cve\":\"CVE-2026-1\",\"product_status\":{\"known_affected\":"
    "[\"CSAFPID-0001\"]}}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	char *s = malloc(size + 1), *eq, *out;
	json_t *doc, *v;
	int rc;
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	eq = strchr(s, '=');
	if (eq)
		*eq = '\0';
	doc = json_loads(base, 0, NULL);
	v = json_loads(eq ? eq + 1 : "", JSON_DECODE_ANY, NULL);
	if (!v)
		v = json_string(eq ? eq + 1 : "");
	if (!v)
		v = json_null();
	rc = advisory_set_path(doc, s, v, &err);
	if (rc != VG_OK && !vg_error_msg(&err)[0])
		abort();
	if (rc == VG_OK &&
	    (!strncmp(s, "/document/tracking/", 19) || !strncmp(s, "document.tracking.", 18)))
		abort();
	if (!json_is_object(doc))
		abort();
	out = json_dumps(doc, JSON_COMPACT);
	if (!out)
		abort();
	free(out);
	json_decref(doc);
	free(s);
	return 0;
}
