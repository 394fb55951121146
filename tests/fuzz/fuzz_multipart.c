/*
 * fuzz_multipart.c - the shared multipart/form-data parser (mp_parse, used
 * by the CVD portal's report form and the Dependency-Track upload) on
 * arbitrary bytes. Input: the first line is the Content-Type header value,
 * the rest is the body (an exact-size allocation, so any read past it is
 * caught). Byte 0 of the body picks the part limit.
 * Checks: no crash; on success every part lies inside the body, names are
 * NUL-terminated inside their buffers, a part never overlaps the next, and
 * parsing the same input again gives the same parts; on failure no part is
 * reported and the message is set.
 */
#include "core/error.h"
#include "http/multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int limits[] = {1, 2, 4, 16};
	struct mp_part parts[16], again[16];
	struct vg_error err = {0};
	const uint8_t *nl;
	char ctype[512];
	char *body;
	size_t cl, bn;
	int n = -1, n2 = -1, max, rc, rc2;

	if (size > 1 << 20)
		return 0;
	nl = memchr(data, '\n', size < sizeof(ctype) ? size : sizeof(ctype));
	if (!nl)
		return 0;
	cl = (size_t)(nl - data);
	memcpy(ctype, data, cl);
	ctype[cl] = '\0';
	if (cl && ctype[cl - 1] == '\r')
		ctype[cl - 1] = '\0';
	bn = size - cl - 1;
	body = malloc(bn ? bn : 1);
	if (!body)
		return 0;
	if (bn)
		memcpy(body, nl + 1, bn);
	max = limits[(bn ? (uint8_t)body[0] : 0) % 4];

	rc = mp_parse(ctype, body, bn, parts, max, &n, &err);
	if (rc != VG_OK) {
		if (n != 0 || err.code != rc || !err.msg[0])
			abort();
	} else {
		const char *prev_end = body;
		if (n < 0 || n > max)
			abort();
		for (int i = 0; i < n; i++) {
			const struct mp_part *p = &parts[i];
			check_str(p->name, sizeof(p->name));
			check_str(p->filename, sizeof(p->filename));
			check_str(p->ctype, sizeof(p->ctype));
			if (p->data < prev_end || p->n > bn || p->data + p->n > body + bn)
				abort();
			if (p->n)
				(void)(volatile char)p->data[p->n - 1];
			if (mp_find(parts, n, p->name) > p)
				abort();
			prev_end = p->data + p->n;
		}
		rc2 = mp_parse(ctype, body, bn, again, max, &n2, NULL);
		if (rc2 != VG_OK || n2 != n)
			abort();
		for (int i = 0; i < n; i++)
			if (again[i].data != parts[i].data || again[i].n != parts[i].n ||
			    strcmp(again[i].name, parts[i].name) != 0)
				abort();
	}
	free(body);
	return 0;
}
