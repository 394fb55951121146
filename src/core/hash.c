#define _DEFAULT_SOURCE
#include "core/hash.h"
#include "core/error.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void vg_sha256(const void *data, size_t n, uint8_t out[VG_SHA256_LEN])
{
	unsigned int len = VG_SHA256_LEN;
	EVP_Digest(data, n, out, &len, EVP_sha256(), NULL);
}

void vg_hex(const void *data, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	const uint8_t *p = data;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void vg_uuid4(char out[VG_UUID_LEN])
{
	unsigned char b[16];
	char h[33];
	vg_random(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	vg_hex(b, sizeof(b), h);
	snprintf(out, VG_UUID_LEN, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

char *vg_sha256_hex(const void *data, size_t n, char out[VG_SHA256_HEX])
{
	uint8_t d[VG_SHA256_LEN];
	vg_sha256(data, n, d);
	vg_hex(d, sizeof(d), out);
	return out;
}

void vg_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
		    uint8_t out[VG_SHA256_LEN])
{
	unsigned int len = VG_SHA256_LEN;
	HMAC(EVP_sha256(), key, (int)klen, data, n, out, &len);
}

int vg_random(void *out, size_t n)
{
	if (RAND_bytes(out, (int)n) != 1)
		return VG_EINTERNAL;
	return VG_OK;
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b64std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_enc(const uint8_t *in, size_t n, char *out, const char *alpha, int pad)
{
	size_t o = 0, i;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		if (i + 1 < n)
			out[o++] = alpha[v >> 6 & 63];
		else if (pad)
			out[o++] = '=';
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

int vg_random_token(char *out, size_t outsz, size_t nbytes)
{
	uint8_t raw[128];
	if (nbytes > sizeof(raw) || outsz < (nbytes * 4 + 2) / 3 + 1)
		return VG_EINVAL;
	if (vg_random(raw, nbytes))
		return VG_EINTERNAL;
	b64_enc(raw, nbytes, out, b64url, 0);
	/* A token that starts with '-' reads as an option when pasted into a command
	 * line (`vigil ... confirm-probe TOKEN`); costs far less than one bit. */
	if (out[0] == '-')
		out[0] = 'x';
	vg_wipe(raw, sizeof(raw));
	return VG_OK;
}

char *vg_base64_encode(const void *data, size_t n)
{
	char *out = malloc((n + 2) / 3 * 4 + 1);
	if (!out)
		return NULL;
	b64_enc(data, n, out, b64std, 1);
	return out;
}

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

unsigned char *vg_base64_decode(const char *s, size_t slen, size_t *outlen)
{
	unsigned char *out = malloc(slen / 4 * 3 + 4);
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < slen; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			goto bad; /* data after padding */
		v = b64val(c);
		if (v < 0)
			goto bad;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	if (bits >= 6 || pad > 2)
		goto bad;
	*outlen = o;
	return out;
bad:
	free(out);
	return NULL;
}

int vg_ct_memcmp(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n);
}

int vg_ct_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}

void vg_wipe(void *p, size_t n)
{
	if (p)
		OPENSSL_cleanse(p, n);
}
