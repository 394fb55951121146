/*
 * stpublish.c - the security.txt that `vigil serve` publishes at
 * /.well-known/security.txt (RFC 9116 3): generated from the [securitytxt]
 * configuration, OpenPGP-signed with the PSIRT key when asked, stored (so
 * every server process of one database serves the same bytes) and
 * regenerated before it expires, when the configuration changes or when the
 * signing key is rotated.
 *
 * Configuration (section securitytxt):
 *   contact               URIs separated by spaces or commas (required)
 *   encryption, policy, acknowledgments, hiring, csaf, canonical
 *                         URIs, same separators. When server.public_url is
 *                         an https URL: canonical defaults to it +
 *                         /.well-known/security.txt, policy to the portal's
 *                         /report/policy, encryption to the portal's URL of
 *                         the PSIRT key (/report/pgp-key/FINGERPRINT, when
 *                         `vigil pgp status` knows a key that has not expired)
 *   preferred_languages   "en, de" (default "en")
 *   expires_days          lifetime of one file (default 180; RFC 9116
 *                         recommends under a year)
 *   renew_days            regenerate when fewer days are left (default 60)
 *   sign                  1 to sign with the PSIRT key (default 0)
 *   key                   the signing key (default: the PSIRT key of
 *                         `vigil pgp status`, else GnuPG's default key)
 */
#define _POSIX_C_SOURCE 200809L
#include "reach/stpublish.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/events.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/text.h"
#include "reach/reach.h"
#include "reach/securitytxt.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define LIST_MAX  16
#define VALUE_MAX 2048

/* One configured list: the config value copied and split in place. */
struct list {
	char text[VALUE_MAX];
	const char *v[LIST_MAX];
	size_t n;
};

/* A setting: a row of securitytxt_settings (set in the browser,
 * stpublish_settings_set) over the configuration file's key, into buf. */
static const char *setting(struct store *s, const char *key, char *buf, size_t n, const char *dflt)
{
	char *v = NULL;
	if (s &&
	    store_query_text(s, &v, NULL, "SELECT value FROM securitytxt_settings WHERE key = ?",
			     "t", key) == VG_OK &&
	    v) {
		snprintf(buf, n, "%s", v);
		free(v);
		return buf;
	}
	return vg_config_get(key, dflt);
}

static int split(struct store *s, const char *key, struct list *l, struct vg_error *err)
{
	char buf[VALUE_MAX + 1];
	const char *val = setting(s, key, buf, sizeof(buf), NULL);
	char *p, *save = NULL;

	l->n = 0;
	l->text[0] = '\0';
	if (!val)
		return VG_OK;
	if (strlen(val) >= sizeof(l->text))
		return vg_error_set(err, VG_EINVAL, "config %s: longer than %d bytes", key,
				    VALUE_MAX - 1);
	memcpy(l->text, val, strlen(val) + 1);
	for (p = strtok_r(l->text, " \t,", &save); p; p = strtok_r(NULL, " \t,", &save)) {
		if (l->n == LIST_MAX)
			return vg_error_set(err, VG_EINVAL, "config %s: more than %d values", key,
					    LIST_MAX);
		l->v[l->n++] = p;
	}
	return VG_OK;
}

static int days(struct store *s, const char *key, int64_t dflt, int64_t min, int64_t max,
		int64_t *out, struct vg_error *err)
{
	char buf[64];
	const char *v = setting(s, key, buf, sizeof(buf), NULL);
	char *end;
	long long n;

	*out = dflt;
	if (!v)
		return VG_OK;
	n = strtoll(v, &end, 10);
	if (end == v || *end || n < min || n > max)
		return vg_error_set(err, VG_EINVAL,
				    "config %s: '%s' is not a number of days from "
				    "%lld to %lld",
				    key, v, (long long)min, (long long)max);
	*out = n;
	return VG_OK;
}

/* Everything one generation depends on. */
struct pubcfg {
	struct list contact, encryption, policy, acknowledgments, hiring, csaf, canonical;
	char canonical_default[VALUE_MAX], policy_default[VALUE_MAX], encryption_default[VALUE_MAX];
	char csaf_default[VALUE_MAX]; /* the CSAF provider's metadata (issue 22) */
	const char *languages;
	char languages_buf[VALUE_MAX];
	int64_t expires_days, renew_days;
	int sign;
	char key[200]; /* signing key: configured, or the PSIRT key's fingerprint */
};

static int load(struct store *s, struct pubcfg *c, struct vg_error *err)
{
	const char *base = vg_config_get("server.public_url", "");
	char sign_buf[64];
	const char *sign;
	int rc;

	memset(c, 0, sizeof(*c));
	sign = setting(s, "securitytxt.sign", sign_buf, sizeof(sign_buf), "0");
	if ((rc = split(s, "securitytxt.contact", &c->contact, err)) ||
	    (rc = split(s, "securitytxt.encryption", &c->encryption, err)) ||
	    (rc = split(s, "securitytxt.policy", &c->policy, err)) ||
	    (rc = split(s, "securitytxt.acknowledgments", &c->acknowledgments, err)) ||
	    (rc = split(s, "securitytxt.hiring", &c->hiring, err)) ||
	    (rc = split(s, "securitytxt.csaf", &c->csaf, err)) ||
	    (rc = split(s, "securitytxt.canonical", &c->canonical, err)))
		return rc;
	if (!c->contact.n)
		return vg_error_set(err, VG_ENOTFOUND,
				    "no security.txt is configured: set securitytxt.contact");
	if (!c->canonical.n && strncmp(base, "https://", 8) == 0) {
		size_t n = strlen(base);
		while (n && base[n - 1] == '/')
			n--;
		if (n + sizeof("/.well-known/security.txt") > sizeof(c->canonical_default))
			return vg_error_set(err, VG_EINVAL, "config server.public_url: too long");
		snprintf(c->canonical_default, sizeof(c->canonical_default),
			 "%.*s/.well-known/security.txt", (int)n, base);
		c->canonical.v[0] = c->canonical_default;
		c->canonical.n = 1;
	}
	/* Policy: the portal's policy page; Encryption: the PSIRT key as the
	 * portal publishes it (psirt/portal.c, by fingerprint, so a rotation
	 * gives a new URI and a new file); both when server.public_url is https */
	if (!c->policy.n && strncmp(base, "https://", 8) == 0) {
		size_t n = strlen(base);
		while (n && base[n - 1] == '/')
			n--;
		if (n + sizeof("/report/policy") > sizeof(c->policy_default))
			return vg_error_set(err, VG_EINVAL, "config server.public_url: too long");
		snprintf(c->policy_default, sizeof(c->policy_default), "%.*s/report/policy", (int)n,
			 base);
		c->policy.v[0] = c->policy_default;
		c->policy.n = 1;
	}
	/* CSAF: the trusted provider's provider-metadata.json (advisory/provider.c
	 * serves it at this path; CSAF 2.0 requirement 7.1.8) */
	if (!c->csaf.n && strncmp(base, "https://", 8) == 0) {
		size_t n = strlen(base);
		while (n && base[n - 1] == '/')
			n--;
		if (n + sizeof("/.well-known/csaf/provider-metadata.json") >
		    sizeof(c->csaf_default))
			return vg_error_set(err, VG_EINVAL, "config server.public_url: too long");
		snprintf(c->csaf_default, sizeof(c->csaf_default),
			 "%.*s/.well-known/csaf/provider-metadata.json", (int)n, base);
		c->csaf.v[0] = c->csaf_default;
		c->csaf.n = 1;
	}
	if (!c->encryption.n && strncmp(base, "https://", 8) == 0) {
		struct pgp_key_status st;
		struct vg_arena mem;
		size_t n = strlen(base);
		while (n && base[n - 1] == '/')
			n--;
		vg_arena_init(&mem, 0);
		if (pgp_status(s, "", NULL, &mem, &st, NULL) == VG_OK && !st.expired &&
		    st.fingerprint[0] &&
		    n + sizeof("/report/pgp-key/") + strlen(st.fingerprint) <
			sizeof(c->encryption_default)) {
			snprintf(c->encryption_default, sizeof(c->encryption_default),
				 "%.*s/report/pgp-key/%s", (int)n, base, st.fingerprint);
			c->encryption.v[0] = c->encryption_default;
			c->encryption.n = 1;
		}
		vg_arena_release(&mem);
	}
	c->languages = setting(s, "securitytxt.preferred_languages", c->languages_buf,
			       sizeof(c->languages_buf), "en");
	if ((rc = days(s, "securitytxt.expires_days", 180, 2, 3660, &c->expires_days, err)) ||
	    (rc = days(s, "securitytxt.renew_days", 60, 1, 3659, &c->renew_days, err)))
		return rc;
	if (c->renew_days >= c->expires_days)
		return vg_error_set(err, VG_EINVAL,
				    "config securitytxt.renew_days (%lld) must be less than "
				    "securitytxt.expires_days (%lld)",
				    (long long)c->renew_days, (long long)c->expires_days);
	if (strcmp(sign, "1") == 0 || strcmp(sign, "true") == 0 || strcmp(sign, "yes") == 0)
		c->sign = 1;
	else if (strcmp(sign, "0") && strcmp(sign, "false") && strcmp(sign, "no"))
		return vg_error_set(err, VG_EINVAL, "config securitytxt.sign: '%s' is not 0 or 1",
				    sign);
	if (c->sign) {
		const char *k = vg_config_get("securitytxt.key", NULL);
		struct pgp_key_status st;
		struct vg_arena mem;
		vg_arena_init(&mem, 0);
		if (!k && pgp_status(s, "", NULL, &mem, &st, NULL) == VG_OK)
			k = st.fingerprint;
		snprintf(c->key, sizeof(c->key), "%s", k ? k : "");
		vg_arena_release(&mem);
	}
	return VG_OK;
}

/* The hash of what a generation depends on, Expires aside. */
static void fingerprint(const struct pubcfg *c, char out[VG_SHA256_HEX])
{
	const struct list *ls[] = {&c->contact, &c->encryption, &c->policy,   &c->acknowledgments,
				   &c->hiring,  &c->csaf,       &c->canonical};
	struct vg_buf b;

	vg_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		for (size_t j = 0; j < ls[i]->n; j++)
			vg_buf_addf(&b, "%s\n", ls[i]->v[j]);
		vg_buf_adds(&b, "--\n");
	}
	vg_buf_addf(&b, "lang=%s\nexpires=%lld\nsign=%d\nkey=%s\n",
		    c->languages ? c->languages : "", (long long)c->expires_days, c->sign, c->key);
	vg_sha256_hex(b.data ? b.data : "", b.len, out);
	vg_buf_release(&b);
}

static int build(const struct pubcfg *c, int64_t now, struct vg_buf *out, struct vg_error *err)
{
	struct securitytxt_spec spec = {0};
	struct securitytxt_report r = {0};
	struct securitytxt_options opt = {0};
	struct vg_buf text;
	int rc;

	spec.contact = c->contact.v;
	spec.ncontact = c->contact.n;
	spec.encryption = c->encryption.v;
	spec.nencryption = c->encryption.n;
	spec.policy = c->policy.v;
	spec.npolicy = c->policy.n;
	spec.acknowledgments = c->acknowledgments.v;
	spec.nacknowledgments = c->acknowledgments.n;
	spec.hiring = c->hiring.v;
	spec.nhiring = c->hiring.n;
	spec.csaf = c->csaf.v;
	spec.ncsaf = c->csaf.n;
	spec.canonical = c->canonical.v;
	spec.ncanonical = c->canonical.n;
	spec.preferred_languages = c->languages;
	spec.expires = now + c->expires_days * 86400;

	vg_buf_init(&text, SECURITYTXT_MAX_SIZE);
	rc = securitytxt_generate(&spec, now, &text, err);
	if (!rc && c->sign)
		rc = securitytxt_sign(text.data, text.len, c->key[0] ? c->key : NULL, out, err);
	else if (!rc)
		rc = vg_buf_add(out, text.data, text.len);
	vg_buf_release(&text);
	if (rc)
		return rc;
	/* what is published must pass our own validator */
	opt.now_set = 1;
	opt.now = now;
	rc = securitytxt_validate(out->data, out->len, &opt, &r, err);
	if (!rc && r.nerrors) {
		for (size_t i = 0; i < r.nfindings; i++)
			if (r.findings[i].severity == SECURITYTXT_ERROR) {
				rc = vg_error_set(
				    err, VG_EINVAL, "generated security.txt, line %d: %s [%s]",
				    r.findings[i].line, r.findings[i].message, r.findings[i].code);
				break;
			}
	}
	securitytxt_report_release(&r);
	return rc;
}

int stpublish_current(struct store *s, char **body, struct stpublish_record *rec,
		      struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	if (body)
		*body = NULL;
	if (rec)
		memset(rec, 0, sizeof(*rec));
	rc = store_prepare(s,
			   "SELECT id, body, sha256, config_sha256, signed, signer, reason, "
			   "expires_at, generated_at FROM securitytxt_published "
			   "ORDER BY id DESC LIMIT 1",
			   &st, err);
	if (rc)
		return rc;
	rc = store_step(st, err);
	if (rc == STORE_DONE)
		rc = vg_error_set(err, VG_ENOTFOUND, "no security.txt has been published yet");
	else if (rc == STORE_ROW)
		rc = VG_OK;
	if (!rc && body && !(*body = strdup(store_col_text(st, 1) ? store_col_text(st, 1) : "")))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc && rec) {
		const char *signer = store_col_text(st, 5), *reason = store_col_text(st, 6);
		rec->id = store_col_int64(st, 0);
		snprintf(rec->sha256, sizeof(rec->sha256), "%s",
			 store_col_text(st, 2) ? store_col_text(st, 2) : "");
		snprintf(rec->config_sha256, sizeof(rec->config_sha256), "%s",
			 store_col_text(st, 3) ? store_col_text(st, 3) : "");
		rec->is_signed = store_col_int64(st, 4) != 0;
		snprintf(rec->signer, sizeof(rec->signer), "%s", signer ? signer : "");
		snprintf(rec->reason, sizeof(rec->reason), "%s", reason ? reason : "");
		rec->expires_at = store_col_int64(st, 7);
		rec->generated_at = store_col_int64(st, 8);
	}
	store_finalize(st);
	return rc;
}

json_t *stpublish_record_to_json(const struct stpublish_record *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(r->id));
	vg_json_set_str(o, "sha256", r->sha256);
	vg_json_set_str(o, "config_sha256", r->config_sha256);
	json_object_set_new(o, "signed", json_boolean(r->is_signed));
	vg_json_set_str(o, "signer", r->signer[0] ? r->signer : NULL);
	vg_json_set_str(o, "reason", r->reason);
	json_object_set_new(o, "expires_at", vg_json_time(r->expires_at));
	json_object_set_new(o, "generated_at", vg_json_time(r->generated_at));
	return o;
}

/* Why a new file is needed now, or NULL when the published one is current. */
static const char *stale(struct store *s, const char *cfg_hash, int64_t now, int64_t renew_days,
			 int64_t *prev)
{
	char *have = NULL;
	int64_t expires = 0;
	const char *why = NULL;

	if (store_query_int64(s, prev, NULL,
			      "SELECT id FROM securitytxt_published ORDER BY id DESC LIMIT 1",
			      NULL) != VG_OK)
		*prev = 0;
	if (store_query_int64(
		s, &expires, NULL,
		"SELECT expires_at FROM securitytxt_published ORDER BY id DESC LIMIT 1",
		NULL) != VG_OK)
		return "first publication";
	if (store_query_text(
		s, &have, NULL,
		"SELECT config_sha256 FROM securitytxt_published ORDER BY id DESC LIMIT 1", NULL))
		have = NULL; /* unreadable: publish again */
	if (!have || strcmp(have, cfg_hash) != 0)
		why = "configuration or signing key changed";
	else if (expires <= now)
		why = "expired";
	else if (expires - now < renew_days * 86400)
		why = "expires soon";
	free(have);
	return why;
}

int stpublish_refresh(struct store *s, int force, int *changed, struct vg_error *err)
{
	struct pubcfg c;
	char cfg_hash[VG_SHA256_HEX], sha[VG_SHA256_HEX], idbuf[32], when[VG_TIME_BUFSZ];
	int64_t now = vg_now(), id = 0, prev = 0;
	const char *why;
	struct vg_buf out;
	json_t *after = NULL;
	int rc;

	*changed = 0;
	if ((rc = load(s, &c, err)))
		return rc;
	fingerprint(&c, cfg_hash);
	why = stale(s, cfg_hash, now, c.renew_days, &prev);
	if (!why && !force)
		return VG_OK;
	if (!why)
		why = "forced";
	vg_buf_init(&out, SECURITYTXT_MAX_SIZE);
	if ((rc = build(&c, now, &out, err)) || (rc = vg_buf_addc(&out, '\0'))) {
		vg_buf_release(&out);
		return rc;
	}
	out.len--;
	vg_sha256_hex(out.data, out.len, sha);
	if ((rc = store_tx_begin(s, err)))
		goto done;
	rc = store_query_int64(s, &id, err,
			       "INSERT INTO securitytxt_published (prev_id, body, sha256, "
			       "config_sha256, signed, signer, reason, expires_at, generated_at) "
			       "VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
			       "itttittii", prev, out.data, sha, cfg_hash, (int64_t)c.sign,
			       c.sign ? (c.key[0] ? c.key : "default") : NULL, why,
			       now + c.expires_days * 86400, now);
	if (!rc) {
		after = json_pack("{s:s, s:b, s:s, s:s}", "sha256", sha, "signed", c.sign, "reason",
				  why, "expires",
				  vg_time_format(now + c.expires_days * 86400, when, sizeof(when)));
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
		rc = store_audit(s, "securitytxt.publish", "securitytxt_published", idbuf, NULL,
				 after, err);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	else
		store_tx_rollback(s);
	if (rc == VG_EEXIST) {
		/* another process published the same generation first */
		vg_error_clear(err);
		rc = VG_OK;
		goto done;
	}
	if (!rc) {
		*changed = 1;
		vg_info("security.txt published (%s), expires %s", why, when);
	}
done:
	json_decref(after);
	vg_buf_release(&out);
	return rc;
}

/* ---- the settings a lead sets in the browser ---- */

static const char *const setting_keys[] = {"securitytxt.contact", "securitytxt.preferred_languages",
					   "securitytxt.expires_days", "securitytxt.sign"};

int stpublish_settings_get(struct store *s, struct stpublish_settings *out, struct vg_error *err)
{
	struct pubcfg c;
	char buf[VALUE_MAX + 1];
	const char *v;
	int rc;

	memset(out, 0, sizeof(*out));
	v = setting(s, "securitytxt.contact", buf, sizeof(buf), "");
	snprintf(out->contact, sizeof(out->contact), "%s", v ? v : "");
	v = setting(s, "securitytxt.preferred_languages", buf, sizeof(buf), "en");
	snprintf(out->languages, sizeof(out->languages), "%s", v ? v : "");
	out->expires_days = 180;
	out->sign = 0;
	rc = load(s, &c, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		return VG_OK; /* no contact yet: the rest as configured or default */
	}
	if (rc)
		return rc;
	out->expires_days = c.expires_days;
	out->sign = c.sign;
	snprintf(out->key, sizeof(out->key), "%s", c.key);
	return VG_OK;
}

/* The field a generation error concerns. */
static const char *settings_field(const char *msg)
{
	if (strstr(msg, "Contact") || strstr(msg, "contact"))
		return "contact";
	if (strstr(msg, "Preferred-Languages") || strstr(msg, "preferred_languages"))
		return "languages";
	if (strstr(msg, "xpires"))
		return "expires_days";
	return "sign";
}

int stpublish_settings_set(struct store *s, const struct stpublish_settings *in, const char **field,
			   struct vg_error *err)
{
	struct stpublish_settings before;
	struct pubcfg c;
	struct vg_buf out;
	char days_s[32];
	const char *vals[4];
	json_t *jb = NULL, *ja = NULL;
	int rc;

	*field = NULL;
	if ((rc = vg_text_check("Contact", in->contact, VALUE_MAX - 1, 0, 1, err))) {
		*field = "contact";
		return rc;
	}
	if ((rc = vg_text_check("Preferred languages", in->languages[0] ? in->languages : NULL, 200,
				0, 0, err))) {
		*field = "languages";
		return rc;
	}
	if (in->expires_days < 2 || in->expires_days > 366) {
		*field = "expires_days";
		return vg_error_set(err, VG_EINVAL,
				    "Lifetime: expected a number of days from 2 to 366 (RFC 9116 "
				    "recommends less than a year)");
	}
	if ((rc = stpublish_settings_get(s, &before, err)))
		return rc;
	snprintf(days_s, sizeof(days_s), "%lld", (long long)in->expires_days);
	vals[0] = in->contact;
	vals[1] = in->languages[0] ? in->languages : "en";
	vals[2] = days_s;
	vals[3] = in->sign ? "1" : "0";
	if ((rc = store_tx_begin(s, err)))
		return rc;
	for (size_t i = 0; !rc && i < 4; i++) {
		rc = store_exec(s, err, "DELETE FROM securitytxt_settings WHERE key = ?", "t",
				setting_keys[i]);
		if (!rc)
			rc = store_exec(s, err,
					"INSERT INTO securitytxt_settings (key, value, updated_at) "
					"VALUES (?,?,?)",
					"tti", setting_keys[i], vals[i], vg_now());
	}
	/* what would be published must be valid (and signable) before it is kept */
	if (!rc && (rc = load(s, &c, err)) == VG_OK) {
		if (c.renew_days >= c.expires_days) {
			rc = vg_error_set(err, VG_EINVAL,
					  "Lifetime: must be more than the %lld days before expiry "
					  "at which the file is renewed (securitytxt.renew_days)",
					  (long long)c.renew_days);
			*field = "expires_days";
		} else {
			vg_buf_init(&out, SECURITYTXT_MAX_SIZE);
			rc = build(&c, vg_now(), &out, err);
			vg_buf_release(&out);
		}
	}
	if (rc && !*field)
		*field = settings_field(vg_error_msg(err));
	if (!rc) {
		jb = json_pack("{s:s, s:s, s:I, s:b}", "contact", before.contact,
			       "preferred_languages", before.languages, "expires_days",
			       (json_int_t)before.expires_days, "sign", before.sign);
		ja = json_pack("{s:s, s:s, s:I, s:b}", "contact", vals[0], "preferred_languages",
			       vals[1], "expires_days", (json_int_t)in->expires_days, "sign",
			       in->sign);
		rc = store_audit(s, "securitytxt.settings", "securitytxt", "settings", jb, ja, err);
	}
	json_decref(jb);
	json_decref(ja);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}
