/*
 * channels.c - the three channel kinds: generic webhook (JSON, signed with
 * HMAC-SHA256), e-mail through SMTP, PagerDuty Events API v2. All through
 * libcurl with timeouts; TLS certificates are always verified.
 */
#define _POSIX_C_SOURCE 200809L
#include "notify/notify.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	struct vg_buf *b = arg;
	size_t len = size * n;
	if (b->len < 4096)
		vg_buf_add(b, p, len < 4096 - b->len ? len : 4096 - b->len);
	return len;
}

static int is_http_url(const char *u)
{
	return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0);
}

static void common_opts(CURL *c)
{
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)vg_config_int("notify.timeout", 20));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION);
	if (vg_config_get("notify.cacert", NULL))
		curl_easy_setopt(c, CURLOPT_CAINFO, vg_config_get("notify.cacert", NULL));
}

/* POST body to url; 2xx is success. */
static int post_json(const char *url, const char *body, struct curl_slist *hdrs,
		     struct notify_result *res, struct vg_error *err)
{
	CURL *c = curl_easy_init();
	struct vg_buf reply = VG_BUF_INIT;
	CURLcode cc;
	long code = 0;
	int rc = VG_OK;

	if (!c)
		return vg_error_set(err, VG_ENOMEM, "cannot start an HTTP client");
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	common_opts(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	res->status = code;
	if (cc != CURLE_OK) {
		rc = vg_error_set(err, VG_EIO, "%s", curl_easy_strerror(cc));
		snprintf(res->detail, sizeof(res->detail), "%s", curl_easy_strerror(cc));
	} else if (code < 200 || code > 299) {
		rc = vg_error_set(err, VG_EIO, "HTTP %ld: %.160s", code,
				  reply.data ? reply.data : "");
		snprintf(res->detail, sizeof(res->detail), "HTTP %ld", code);
	} else {
		snprintf(res->detail, sizeof(res->detail), "HTTP %ld", code);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	vg_buf_release(&reply);
	return rc;
}

/* ---- webhook ---- */

static int webhook_check(const json_t *cfg, struct vg_error *err)
{
	const char *url = vg_json_str(cfg, "url");
	if (!is_http_url(url))
		return vg_error_set(err, VG_EINVAL, "webhook: url: expected an http(s) URL");
	if (json_object_get(cfg, "secret") && !vg_json_str(cfg, "secret"))
		return vg_error_set(err, VG_EINVAL, "webhook: secret: expected a string");
	return VG_OK;
}

static int webhook_send(const json_t *cfg, const struct notify_message *m,
			struct notify_result *res, struct vg_error *err)
{
	json_t *j = notify_message_json(m);
	char *body = json_dumps(j, JSON_COMPACT);
	const char *secret = vg_json_str(cfg, "secret");
	struct curl_slist *h = NULL;
	char hdr[256];
	int rc;

	json_decref(j);
	if (!body)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	snprintf(hdr, sizeof(hdr), "X-Vigil-Event: %s", m->event);
	h = curl_slist_append(h, hdr);
	snprintf(hdr, sizeof(hdr), "X-Vigil-Timestamp: %lld", (long long)vg_now());
	h = curl_slist_append(h, hdr);
	if (secret && *secret) {
		/* signature over "<timestamp>.<body>" so a captured body cannot be replayed later
		 */
		struct vg_buf signed_part = VG_BUF_INIT;
		uint8_t mac[VG_SHA256_LEN];
		char hex[2 * VG_SHA256_LEN + 1];
		vg_buf_addf(&signed_part, "%lld.%s", (long long)vg_now(), body);
		vg_hmac_sha256(secret, strlen(secret), signed_part.data, signed_part.len, mac);
		vg_hex(mac, sizeof(mac), hex);
		snprintf(hdr, sizeof(hdr), "X-Vigil-Signature: sha256=%s", hex);
		h = curl_slist_append(h, hdr);
		vg_buf_release(&signed_part);
	}
	rc = post_json(vg_json_str(cfg, "url"), body, h, res, err);
	free(body);
	return rc;
}

const struct notify_ops notify_webhook_ops = {"webhook", webhook_check, webhook_send};

/* ---- PagerDuty Events API v2 ---- */

static int pd_check(const json_t *cfg, struct vg_error *err)
{
	const char *k = vg_json_str(cfg, "routing_key");
	if (!k || !*k || strlen(k) > 64)
		return vg_error_set(err, VG_EINVAL,
				    "pagerduty: routing_key: expected the integration key");
	if (json_object_get(cfg, "url") && !is_http_url(vg_json_str(cfg, "url")))
		return vg_error_set(err, VG_EINVAL, "pagerduty: url: expected an http(s) URL");
	return VG_OK;
}

static const char *pd_severity(const char *s)
{
	switch (notify_severity_rank(s)) {
	case 4:
		return "critical";
	case 3:
		return "error";
	case 2:
		return "warning";
	default:
		return "info";
	}
}

static int pd_send(const json_t *cfg, const struct notify_message *m, struct notify_result *res,
		   struct vg_error *err)
{
	const char *url = vg_json_str(cfg, "url");
	char ts[VG_TIME_BUFSZ], *body;
	json_t *j;
	int rc;

	j = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:O}}", "routing_key",
		      vg_json_str(cfg, "routing_key"), "event_action", "trigger", "dedup_key",
		      m->dedup_key ? m->dedup_key : m->event, "payload", "summary",
		      m->summary ? m->summary : m->event, "source", "vigil", "severity",
		      pd_severity(m->severity), "timestamp", vg_time_format(m->at, ts, sizeof(ts)),
		      "custom_details", m->details ? (json_t *)m->details : json_object());
	if (!j)
		return vg_error_set(err, VG_ENOMEM, "cannot build the PagerDuty event");
	json_object_set_new(json_object_get(j, "payload"), "component", json_string(m->event));
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!body)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = post_json(url ? url : "https://events.pagerduty.com/v2/enqueue", body, NULL, res, err);
	free(body);
	return rc;
}

const struct notify_ops notify_pagerduty_ops = {"pagerduty", pd_check, pd_send};

/* ---- e-mail ---- */

static int email_check(const json_t *cfg, struct vg_error *err)
{
	const char *u = vg_json_str(cfg, "smtp_url");
	json_t *to = json_object_get(cfg, "to");
	size_t i;
	json_t *v;
	if (!u || (strncmp(u, "smtp://", 7) != 0 && strncmp(u, "smtps://", 8) != 0))
		return vg_error_set(err, VG_EINVAL,
				    "email: smtp_url: expected smtp:// or smtps://");
	if (!vg_json_str(cfg, "from") || !strchr(vg_json_str(cfg, "from"), '@'))
		return vg_error_set(err, VG_EINVAL, "email: from: expected an address");
	if (!json_is_array(to) || !json_array_size(to))
		return vg_error_set(err, VG_EINVAL, "email: to: expected a list of addresses");
	json_array_foreach(to, i, v)
	{
		if (!json_is_string(v) || !strchr(json_string_value(v), '@') ||
		    strpbrk(json_string_value(v), "\r\n<>"))
			return vg_error_set(err, VG_EINVAL, "email: to/%zu: expected an address",
					    i);
	}
	if (strpbrk(vg_json_str(cfg, "from"), "\r\n<>"))
		return vg_error_set(err, VG_EINVAL, "email: from: expected an address");
	return VG_OK;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t source(char *buf, size_t size, size_t n, void *arg)
{
	struct reader *r = arg;
	size_t k = size * n < r->left ? size * n : r->left;
	memcpy(buf, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

/* Header values must not carry line breaks (header injection). */
static void clean_line(struct vg_buf *b, const char *s)
{
	for (; s && *s; s++)
		vg_buf_addc(b, (*s == '\r' || *s == '\n') ? ' ' : *s);
}

static int email_send(const json_t *cfg, const struct notify_message *m, struct notify_result *res,
		      struct vg_error *err)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct vg_buf msg = VG_BUF_INIT;
	struct reader rd;
	json_t *to = json_object_get(cfg, "to"), *v, *j;
	char ts[VG_TIME_BUFSZ], addr[320], *details;
	unsigned char rnd[8];
	char rhex[17];
	size_t i;
	CURLcode cc;
	long code = 0;
	int rc = VG_OK;

	if (!c)
		return vg_error_set(err, VG_ENOMEM, "cannot start an SMTP client");
	vg_random(rnd, sizeof(rnd));
	vg_hex(rnd, sizeof(rnd), rhex);
	vg_buf_adds(&msg, "From: vigil <");
	clean_line(&msg, vg_json_str(cfg, "from"));
	vg_buf_adds(&msg, ">\r\nTo: ");
	if (m->text) {
		/* a plain e-mail to one person (notify_mail_direct) */
		clean_line(&msg, m->rcpt ? m->rcpt : "");
		snprintf(addr, sizeof(addr), "<%s>", m->rcpt ? m->rcpt : "");
		rcpt = curl_slist_append(rcpt, addr);
		vg_buf_adds(&msg, "\r\nSubject: ");
		clean_line(&msg, m->summary ? m->summary : "");
		vg_buf_addf(&msg, "\r\nDate: %s\r\nMessage-ID: <%s@vigil>\r\n",
			    vg_time_format(m->at, ts, sizeof(ts)), rhex);
		vg_buf_adds(&msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; "
				  "charset=utf-8\r\n\r\n");
		for (const char *p = m->text; *p; p++) {
			if (*p == '\n')
				vg_buf_adds(&msg, "\r\n");
			else if (*p != '\r')
				vg_buf_addc(&msg, *p);
		}
		vg_buf_adds(&msg, "\r\n");
		goto send;
	}
	json_array_foreach(to, i, v)
	{
		if (i)
			vg_buf_adds(&msg, ", ");
		clean_line(&msg, json_string_value(v));
		snprintf(addr, sizeof(addr), "<%s>", json_string_value(v));
		rcpt = curl_slist_append(rcpt, addr);
	}
	vg_buf_adds(&msg, "\r\nSubject: [vigil] ");
	if (m->severity) {
		clean_line(&msg, m->severity);
		vg_buf_adds(&msg, ": ");
	}
	clean_line(&msg, m->summary ? m->summary : m->event);
	vg_buf_addf(&msg, "\r\nDate: %s\r\nMessage-ID: <%s.%s@vigil>\r\n",
		    vg_time_format(m->at, ts, sizeof(ts)), rhex, m->event);
	vg_buf_adds(&msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
			  "X-Vigil-Event: ");
	clean_line(&msg, m->event);
	vg_buf_adds(&msg, "\r\n\r\n");
	vg_buf_adds(&msg, m->summary ? m->summary : m->event);
	vg_buf_addf(&msg, "\r\n\r\nevent: %s\r\nseverity: %s\r\ntime: %s\r\n\r\n", m->event,
		    m->severity ? m->severity : "-", ts);
	j = notify_message_json(m);
	details = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	/* body lines: CRLF, and a leading '.' doubled (SMTP transparency is done by curl,
	 * but line endings are ours) */
	for (const char *p = details ? details : ""; *p; p++) {
		if (*p == '\n')
			vg_buf_adds(&msg, "\r\n");
		else
			vg_buf_addc(&msg, *p);
	}
	free(details);
	vg_buf_adds(&msg, "\r\n");
send:
	rd.p = msg.data;
	rd.left = msg.len;
	snprintf(addr, sizeof(addr), "<%s>", vg_json_str(cfg, "from"));
	common_opts(c);
	curl_easy_setopt(c, CURLOPT_URL, vg_json_str(cfg, "smtp_url"));
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, source);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	if (vg_json_str(cfg, "username"))
		curl_easy_setopt(c, CURLOPT_USERNAME, vg_json_str(cfg, "username"));
	if (vg_json_str(cfg, "password"))
		curl_easy_setopt(c, CURLOPT_PASSWORD, vg_json_str(cfg, "password"));
	if (json_is_true(json_object_get(cfg, "starttls")))
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	res->status = code;
	if (cc != CURLE_OK) {
		rc = vg_error_set(err, VG_EIO, "SMTP: %s", curl_easy_strerror(cc));
		snprintf(res->detail, sizeof(res->detail), "%s", curl_easy_strerror(cc));
	} else {
		snprintf(res->detail, sizeof(res->detail), "SMTP %ld", code);
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (m->text && msg.data)
		vg_wipe(msg.data, msg.len); /* a person's address and private link */
	vg_buf_release(&msg);
	return rc;
}

const struct notify_ops notify_email_ops = {"email", email_check, email_send};

const struct notify_ops *notify_ops_find(const char *kind)
{
	static const struct notify_ops *const all[] = {&notify_webhook_ops, &notify_email_ops,
						       &notify_pagerduty_ops};
	for (size_t i = 0; kind && i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->kind, kind) == 0)
			return all[i];
	return NULL;
}
