/*
 * fuzz_purl.c - purl_parse() on arbitrary bytes, in both modes. What parses
 * must print, and its canonical form must parse back to itself.
 */
#include "core/error.h"
#include "ident/purl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s, unsigned flags)
{
	struct purl p, again, built;
	struct vg_error err = {0};
	char *canon, *canon2, *id, *osv;

	if (purl_parse(s, flags, &p, &err) != VG_OK) {
		if (!err.msg[0])
			abort(); /* every failure says why */
		purl_release(&p);
		return;
	}
	canon = purl_to_string(&p);
	id = purl_identity(&p);
	osv = purl_osv_name(&p);
	(void)purl_osv_ecosystem(&p);
	if (!canon || !id || !osv)
		abort();
	if (strncmp(canon, id, strlen(id)) != 0)
		abort(); /* the identity is a prefix of the canonical form */
	if (purl_parse(canon, PURL_STRICT, &again, &err) != VG_OK)
		abort();
	canon2 = purl_to_string(&again);
	if (!canon2 || strcmp(canon, canon2) != 0)
		abort();
	if (purl_build(&p, &built, &err) == VG_OK)
		free(purl_to_string(&built));
	purl_release(&built);
	free(canon);
	free(canon2);
	free(id);
	free(osv);
	purl_release(&again);
	purl_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > PURL_MAX_LEN + 8)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check(s, 0);
	check(s, PURL_STRICT);
	free(s);
	return 0;
}
