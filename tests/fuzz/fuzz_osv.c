/*
 * fuzz_osv.c - OSV records from arbitrary bytes, read as JSON and as YAML,
 * then compiled for matching and evaluated. Nothing may crash or leak; what
 * parses must serialise and parse back to the same id.
 */
#include "core/error.h"
#include "core/json.h"
#include "vuln/advisory.h"
#include "vuln/match.h"
#include "vuln/osv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const probes[] = {
    "0", "1.0.0", "2.2.8", "v0.0.0-20200101000000-abcdefabcdef", "1:2.3-4", "1.0.0-beta.1", ""};

static int on_record(void *arg, const struct advisory *a, struct vg_error *err)
{
	struct match_index *ix = arg;
	json_t *j = advisory_to_json(a);
	struct advisory back;
	struct vg_error e = {0};
	if (!j)
		return VG_ENOMEM;
	advisory_init(&back);
	if (osv_from_json(j, "roundtrip", &back, &e) != VG_OK || strcmp(back.id, a->id) != 0)
		abort();
	advisory_release(&back);
	json_decref(j);
	if (match_index_add(ix, a, NULL, err) != VG_OK)
		return VG_ENOMEM;
	for (size_t i = 0; i < a->n_affected; i++) {
		struct match_key k;
		if (!a->affected[i].ecosystem || !a->affected[i].name)
			continue;
		memset(&k, 0, sizeof(k));
		strncpy(k.eco, a->affected[i].ecosystem, sizeof(k.eco) - 1);
		if (advisory_norm_name(a->affected[i].ecosystem, a->affected[i].name, k.name,
				       sizeof(k.name)) != 0)
			continue;
		for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
			strncpy(k.version, probes[p], sizeof(k.version) - 1);
			(void)match_index_query(ix, &k, NULL, NULL);
		}
	}
	return VG_OK;
}

static void on_skip(void *arg, const char *msg)
{
	(void)arg;
	if (!msg || !*msg)
		abort(); /* every skip says why */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct match_index *ix = match_index_new();
	struct vg_error err = {0};
	if (!ix)
		return 0;
	(void)osv_read_buffer((const char *)data, size, "fuzz.json", on_record, on_skip, ix, NULL,
			      &err);
	(void)osv_read_buffer((const char *)data, size, "fuzz.yaml", on_record, on_skip, ix, NULL,
			      &err);
	match_index_free(ix);
	return 0;
}
