/*
 * tls.h - the certificate and key of a TLS listener (`vigil serve
 * --tls-cert FILE --tls-key FILE`, and --public-tls-cert/--public-tls-key
 * for the public listener), read with GnuTLS, the TLS library of
 * libmicrohttpd.
 *
 * Rules:
 *  - A listener's credentials live in one of HTTP_TLS_SLOTS slots. The
 *    server hands libmicrohttpd the slot's certificate callback; every new
 *    handshake asks it for the slot's current certificate chain and key.
 *  - http_tls_reload() (on SIGHUP) reads the files again and, only when the
 *    new chain and key load and belong together, makes them current: new
 *    handshakes get them, connections already open keep theirs, and a bad
 *    file leaves the listener as it was (the error says why).
 *  - Protocols: TLS 1.2 and 1.3 only (HTTP_TLS_PRIORITIES).
 *  - Key material read from the files is wiped from our buffers once GnuTLS
 *    holds it.
 */
#ifndef VIGIL_HTTP_TLS_H
#define VIGIL_HTTP_TLS_H

#include "core/error.h"

#define HTTP_TLS_SLOTS      2 /* 0: --listen, 1: --public-listen */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

/* Load slot's credentials from cert_file (PEM chain, leaf first) and
 * key_file (PEM private key); what names the listener in errors. */
int http_tls_load(int slot, const char *cert_file, const char *key_file, const char *what,
		  struct vg_error *err) VG_MUST_CHECK;
/* Read slot's files again; keep the current credentials on failure. */
int http_tls_reload(int slot, struct vg_error *err) VG_MUST_CHECK;
/* Whether slot has credentials. */
int http_tls_enabled(int slot);
/* The gnutls_certificate_retrieve_function2 of slot, for
 * MHD_OPTION_HTTPS_CERT_CALLBACK, as a pointer to void (stored with memcpy:
 * the option array of libmicrohttpd holds pointers to void). */
void *http_tls_callback(int slot);
/* The subject and serial of slot's current certificate (for the log). */
const char *http_tls_describe(int slot);
/* Free every slot (at the end of the server). */
void http_tls_free_all(void);

#endif
