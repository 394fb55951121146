#define _POSIX_C_SOURCE 200809L
/*
 * provider.c - PLACEHOLDER until helper "provider" (issue 22 item 3) lands
 * the trusted provider: accepts and keeps nothing. Replaced at merge.
 */
#include "advisory/provider.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

int provider_put(struct store *s, const struct csaf_publication *p, struct vg_error *err)
{
	(void)s;
	(void)err;
	(void)p;
	return VG_OK;
}

int cmd_advisory_provider(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "vigil advisory provider: not built yet\n");
	return 2;
}

/* Not a placeholder: the file name rule both sides use. */
int csaf_file_name(const char *tracking_id, char *out, size_t n)
{
	size_t len = tracking_id ? strlen(tracking_id) : 0;
	if (len == 0 || len + sizeof(".json") > n)
		return VG_EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = tracking_id[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-'))
			c = '_';
		out[i] = c;
	}
	memcpy(out + len, ".json", sizeof(".json"));
	return VG_OK;
}

int csaf_document_path(const char *tlp_label, int64_t initial_release, const char *tracking_id,
		       char *out, size_t n)
{
	char name[512], tlp[16];
	if (csaf_file_name(tracking_id, name, sizeof(name)) != VG_OK)
		return VG_EINVAL;
	size_t tl = tlp_label ? strlen(tlp_label) : 0;
	if (tl == 0 || tl >= sizeof(tlp))
		return VG_EINVAL;
	for (size_t i = 0; i <= tl; i++)
		tlp[i] =
		    (char)((tlp_label[i] >= 'A' && tlp_label[i] <= 'Z') ? tlp_label[i] - 'A' + 'a'
									: tlp_label[i]);
	time_t t = (time_t)initial_release;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return VG_EINVAL;
	int w = snprintf(out, n, "/.well-known/csaf/%s/%d/%s", tlp, tm.tm_year + 1900, name);
	return (w < 0 || (size_t)w >= n) ? VG_EINVAL : VG_OK;
}
