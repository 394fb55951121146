#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const struct {
	const char *name;
	int http;
	const char *msg;
} codes[] = {
#define VG_X_TAB(e, s, h, m) {s, h, m},
    VG_ERROR_MAP(VG_X_TAB)
#undef VG_X_TAB
};

int vg_error_set(struct vg_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

void vg_error_prefix(struct vg_error *err, const char *fmt, ...)
{
	char pre[512], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", pre, old);
}

void vg_error_clear(struct vg_error *err)
{
	if (err) {
		err->code = VG_OK;
		err->msg[0] = '\0';
	}
}

const char *vg_code_name(int code)
{
	if (code < 0 || code >= VG__ECOUNT)
		return "internal";
	return codes[code].name;
}

int vg_code_http_status(int code)
{
	if (code < 0 || code >= VG__ECOUNT)
		return 500;
	return codes[code].http;
}

const char *vg_code_message(int code)
{
	if (code < 0 || code >= VG__ECOUNT)
		return "internal error";
	return codes[code].msg;
}

const char *vg_error_msg(const struct vg_error *err)
{
	if (!err)
		return "";
	if (err->msg[0])
		return err->msg;
	return vg_code_message(err->code);
}
