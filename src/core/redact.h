/*
 * redact.h - URLs made fit to show: credentials and secret-looking parts
 * masked as "***".
 *
 * Every URL that may carry a credential (webhook targets, smtp_url, feed
 * URLs, the database URL) goes through vg_redact_url() before it is shown
 * (API, CLI, pages), logged or put in an audit record. The clear value is
 * only ever used to connect.
 *
 * What is masked:
 *  - userinfo: "user:pw@host" becomes "***@host" in any URL (also when a
 *    password holds an unescaped '/', "?" or "#");
 *  - the value of each query or fragment parameter whose name looks secret
 *    (token, key, secret, password, pass, pw, sig, signature, auth, code,
 *    api_key, apikey, access_token, ... and any name containing token,
 *    secret, passw, signature, credential or ending in key; case does not
 *    matter): "?token=abc" -> "?token=***";
 *  - the secret path of webhook hosts, from the segment after the one
 *    named: everything after hooks.slack.com's first segment ("services"),
 *    after *.webhook.office.com's "webhookb2", outlook.office.com's
 *    "webhook", and after a segment named hooks, webhooks, webhook or
 *    webhookb2 on any host (Discord's api/webhooks, Mattermost's hooks,
 *    Rocket.Chat, Zapier ...) is one "***";
 *  - any other path segment or parameter value that looks random: 20 or
 *    more characters of base64/base64url/hex with an unbroken run of at
 *    least 16 letters and digits.
 * Masking errs on the side of hiding: a shown URL may hide more than its
 * secret, never less.
 */
#ifndef VIGIL_CORE_REDACT_H
#define VIGIL_CORE_REDACT_H

#include <stddef.h>

/*
 * Write url with its secrets masked into out (outsz bytes, always
 * NUL-terminated when outsz > 0). Returns the length of the whole masked
 * text (like snprintf): a result >= outsz means out holds a truncated
 * prefix of it, which never contains more of a secret than the whole does.
 * A NULL url gives "".
 */
size_t vg_redact_url(const char *url, char *out, size_t outsz);

/* 1 when a query parameter named name (n bytes) carries a secret. */
int vg_redact_param_is_secret(const char *name, size_t n);

#endif
