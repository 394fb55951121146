/*
 * fuzz_version.c - every version comparator and the vers parser on hostile
 * input. Input: byte 0 picks the scheme (and, with bit 7 set, the vers
 * parser); the rest is "A\nB". Checks: no crash, no leak, cmp(a,a) == 0
 * (not for PHP, whose version_compare("1.0-", "1.0-") is -1),
 * and cmp(a,b) == -cmp(b,a) for the schemes whose tool order is a total
 * order (PHP version_compare, apk and alpm are not guaranteed to be).
 */
#include "ident/vers.h"
#include "ident/version.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *a, *b, *nl;
	struct vg_error err;
	enum version_scheme s;
	int r1, r2;

	if (size < 1 || size > 4096)
		return 0;
	s = (enum version_scheme)((data[0] & 0x7f) % VS__COUNT);
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = 0;
	a = buf;
	nl = strchr(a, '\n');
	if (nl) {
		*nl = 0;
		b = nl + 1;
	} else {
		b = a;
	}
	if (data[0] & 0x80) {
		struct vers v;
		int in;
		if (vers_parse(a, 0, &v, &err) == VG_OK) {
			char *txt = vers_format(&v);
			struct vers w;
			(void)vers_contains(&v, b, &in, &err);
			/* a canonical range prints back to itself */
			if (txt && vers_parse(txt, 0, &w, &err) != VG_OK)
				abort();
			vers_release(&w);
			free(txt);
		}
		vers_release(&v);
		if (vers_parse(a, VERS_LENIENT, &v, &err) == VG_OK)
			vers_sort(&v);
		vers_release(&v);
		free(buf);
		return 0;
	}
	/* PHP's version_compare() calls "1.0-" older than itself; we
	 * reproduce PHP, so reflexivity is not asserted for it */
	if (version_compare_scheme(s, a, a, &r1, &err) == VG_OK && r1 != 0 && s != VS_PHP)
		abort();
	if (version_compare_scheme(s, a, b, &r1, &err) == VG_OK &&
	    version_compare_scheme(s, b, a, &r2, &err) == VG_OK && s != VS_PHP && s != VS_APK &&
	    s != VS_ALPM && r1 != -r2)
		abort();
	{
		struct version pa, pb;
		if (version_parse(s, a, &pa, &err) == VG_OK) {
			if (version_parse(s, b, &pb, &err) == VG_OK) {
				(void)version_cmp_parsed(&pa, &pb);
				version_release(&pb);
			}
			version_release(&pa);
		}
	}
	free(buf);
	return 0;
}
