/*
 * fuzz_cpe.c - cpe_parse() on arbitrary bytes. What parses must bind to a
 * formatted string and a URI that both read back to the same name, and a
 * name without wildcards must match itself.
 */
#include "core/error.h"
#include "ident/cpe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int has_wildcards(const struct cpe *c)
{
	for (int i = 0; i < CPE_NATTR; i++)
		if (c->attr[i].kind == CPE_VALUE &&
		    cpe_compare_attr(&c->attr[i], &c->attr[i]) == CPE_UNDEFINED)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpe c, fs_back, uri_back;
	struct vg_error err = {0};
	char *s, *fs, *fs2, *uri, *fs3;

	if (size > CPE_MAX_LEN + 8)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (cpe_parse(s, &c, &err) != VG_OK) {
		if (!err.msg[0])
			abort();
		cpe_release(&c);
		free(s);
		return 0;
	}
	fs = cpe_to_fs(&c);
	uri = cpe_to_uri(&c);
	if (!fs || !uri)
		abort();
	if (cpe_parse(fs, &fs_back, &err) != VG_OK)
		abort();
	if (cpe_parse(uri, &uri_back, &err) != VG_OK)
		abort();
	fs2 = cpe_to_fs(&fs_back);
	fs3 = cpe_to_fs(&uri_back);
	if (!fs2 || !fs3 || strcmp(fs, fs2) != 0 || strcmp(fs, fs3) != 0)
		abort();
	if (!has_wildcards(&c) && (!cpe_match(&c, &fs_back) || !cpe_is_equal(&c, &uri_back)))
		abort();
	for (int i = 0; i < CPE_NATTR; i++)
		free(cpe_attr_plain(&c, (enum cpe_attr)i));
	free(fs);
	free(fs2);
	free(fs3);
	free(uri);
	cpe_release(&c);
	cpe_release(&fs_back);
	cpe_release(&uri_back);
	free(s);
	return 0;
}
