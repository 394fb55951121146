/*
 * fuzz_proxy.c - the trusted-proxy list (setting server.trusted_proxies)
 * and the walk of X-Forwarded-For / X-Forwarded-Proto (http/proxy.h), both
 * read from outside. Input: lines; the first is the proxy list, the second
 * the peer, the rest X-Forwarded-For values (X-Forwarded-Proto too). Each
 * line is its own exact-size allocation. Checks: no crash, no read outside
 * a line; the client is NUL-terminated within its buffer; a peer that is
 * not a trusted proxy is the client whatever the headers say; a client
 * that comes out of the walk is itself a valid address.
 */
#include "core/error.h"
#include "http/proxy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXLINES 10

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_proxies p;
	struct vg_error err = {0};
	char *lines[MAXLINES];
	int n = 0;
	size_t start = 0;
	char out[64], out2[64];

	if (size > 1 << 14)
		return 0;
	for (size_t i = 0; i <= size && n < MAXLINES; i++) {
		if (i == size || data[i] == '\n') {
			lines[n] = malloc(i - start + 1);
			if (!lines[n])
				break;
			memcpy(lines[n], data + start, i - start);
			lines[n][i - start] = '\0';
			n++;
			start = i + 1;
		}
	}
	if (n < 2)
		goto done;
	if (http_proxies_parse(lines[0], "fuzz", &p, &err)) {
		if (!err.code)
			abort();
		goto done;
	}
	memset(out, 'X', sizeof(out));
	http_client_address(&p, lines[1], (const char *const *)(lines + 2), n - 2, out,
			    sizeof(out));
	if (!memchr(out, '\0', sizeof(out)))
		abort();
	if (!http_proxies_match(&p, lines[1])) {
		/* untrusted peer: the headers change nothing */
		http_client_address(&p, lines[1], NULL, 0, out2, sizeof(out2));
		if (strcmp(out, out2) != 0)
			abort();
	} else if (out[0] && !http_proxies_match(&p, out)) {
		/* the client found by the walk parses as an address */
		struct http_proxies all;
		if (http_proxies_parse(out, "client", &all, &err) || all.n != 1)
			abort();
	}
	(void)http_forwarded_https((const char *const *)(lines + 2), n - 2);
	(void)http_client_address(&p, lines[1], (const char *const *)(lines + 2), n - 2, out, 1);
done:
	for (int i = 0; i < n; i++)
		free(lines[i]);
	return 0;
}
