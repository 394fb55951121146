/*
 * attach.c - stored bytes from outside sent as a download (see attach.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "http/attach.h"
#include "core/error.h"
#include "core/text.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define NAME_MAX_BYTES 200

const char *http_attachment_type(const char *data, size_t n)
{
	size_t i = 0;
	/* a UTF-8 byte order mark, then white space */
	if (n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && strchr(" \t\r\n", data[i]) && data[i])
		i++;
	if (i < n && (data[i] == '{' || data[i] == '['))
		return "application/json";
	if (i < n && data[i] == '<')
		return "application/xml";
	return "application/octet-stream";
}

/* ctype when it is one a browser does not render as a page, else NULL. */
static const char *safe_type(const char *ctype)
{
	static const char *const ok[] = {"application/json", "application/xml",
					 "application/pgp-keys", "application/octet-stream", NULL};
	for (int i = 0; ok[i]; i++)
		if (strcmp(ctype, ok[i]) == 0)
			return ok[i];
	return NULL;
}

/*
 * The name as it may be offered: valid UTF-8, every character that is a
 * control (C0, DEL, C1), a direction control, a quote, a backslash, a path
 * separator, ';' or '%' replaced by '_', leading dots and spaces dropped,
 * at most NAME_MAX_BYTES bytes (cut on a character boundary). Into out
 * (at least NAME_MAX_BYTES + 1 bytes); its length; *ascii = 1 when plain.
 */
static size_t clean_name(const char *in, char *out, int *ascii)
{
	size_t n = in ? strlen(in) : 0, k = 0;
	*ascii = 1;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = vg_utf8_decode(in + i, n - i, &cp);
		int bad = !l || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
			  vg_text_is_bidi(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff ||
			  (l == 1 && strchr("\"\\/;%", (int)cp));
		if (!l)
			l = 1;
		if (bad) {
			if (k + 1 > NAME_MAX_BYTES)
				break;
			out[k++] = '_';
		} else if (k == 0 && (cp == '.' || cp == ' ')) {
			/* no hidden or blank-looking names */
		} else {
			if (k + l > NAME_MAX_BYTES)
				break;
			memcpy(out + k, in + i, l);
			k += l;
			if (l > 1)
				*ascii = 0;
		}
		i += l;
	}
	out[k] = '\0';
	return k;
}

char *http_content_disposition(const char *filename, const char *fallback, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	char name[NAME_MAX_BYTES + 1], plain[NAME_MAX_BYTES + 1];
	int ascii; /* (the exact form is given even for plain names: clients prefer it) */
	size_t n = clean_name(filename, name, &ascii), k = 0, o;

	if (!n) {
		n = clean_name(fallback && *fallback ? fallback : "download", name, &ascii);
		if (!n || !ascii)
			n = (size_t)snprintf(name, sizeof(name), "download"), ascii = 1;
	}
	/* the quoted form: ASCII only, '_' for each other character */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x80)
			plain[k++] = (char)c;
		else if (c >= 0xc0) /* a lead byte; continuation bytes are skipped */
			plain[k++] = '_';
	}
	plain[k] = '\0';
	o = (size_t)snprintf(out, outsz, "attachment; filename=\"%s\"", plain);
	if (o >= outsz) {
		snprintf(out, outsz, "attachment");
		return out;
	}
	/* RFC 6266 / RFC 8187: the exact name, UTF-8, percent-encoded */
	{
		static const char tail[] = "; filename*=UTF-8''";
		size_t need = o + sizeof(tail) - 1;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)name[i];
			need += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				 (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c))
				    ? 1
				    : 3;
		}
		if (need + 1 > outsz)
			return out; /* the ASCII form alone */
		memcpy(out + o, tail, sizeof(tail) - 1);
		o += sizeof(tail) - 1;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)name[i];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || (c && strchr("!#$&+-.^_`|~", c))) {
				out[o++] = (char)c;
			} else {
				out[o++] = '%';
				out[o++] = hex[c >> 4];
				out[o++] = hex[c & 15];
			}
		}
		out[o] = '\0';
	}
	return out;
}

int http_attachment(struct http_resp *resp, const char *data, size_t n, const char *ctype,
		    const char *filename, const char *fallback)
{
	char disp[NAME_MAX_BYTES * 4 + 128];
	const char *ct = ctype ? safe_type(ctype) : NULL;
	int rc;

	if (!ct)
		ct = ctype ? "application/octet-stream" : http_attachment_type(data, n);
	if ((rc = http_text(resp, 200, ct, data ? data : "", data ? n : 0)))
		return rc;
	http_content_disposition(filename, fallback, disp, sizeof(disp));
	if ((rc = http_set_header(resp, "Content-Disposition", disp)) ||
	    (rc = http_set_header(resp, "Content-Security-Policy", HTTP_ATTACHMENT_CSP)))
		return rc;
	return VG_OK;
}
