/*
 * reach.h - keeping the PSIRT reachable: watched security.txt locations
 * (checked daily with the security.txt URL checker, history kept), probes of
 * mailto: contacts with a confirmation token, and the PSIRT OpenPGP key
 * (status, expiry warning, rotation).
 *
 * Rules:
 *  - A check never fails on what it finds: unreachable hosts, TLS errors and
 *    invalid files become a recorded status ("ok", "expiring", "invalid",
 *    "unreachable") and an event (securitytxt.expiring 30 days before
 *    Expires, securitytxt.invalid, securitytxt.unreachable).
 *  - Probe tokens are random and stored hashed; confirming one is audited.
 *  - OpenPGP keys come from GNUPGHOME through gpgme; no private key material
 *    is read by vigil. Keys fetched from an Encryption URI are listed in a
 *    throw-away GnuPG home, never imported into the operator's keyring.
 *  - Configuration: securitytxt.cacert (extra CA for checks),
 *    securitytxt.smtp_url / securitytxt.from (probes), pgp.key (the PSIRT
 *    key's fingerprint when none is recorded yet).
 */
#ifndef VIGIL_REACH_REACH_H
#define VIGIL_REACH_REACH_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;
struct vg_arena;

/*
 * Typed results. Everything a listing returns (strings, arrays) lives in the
 * caller's arena mem (core/arena.h); vg_arena_release(mem) frees it at once.
 * JSON is made only at the API/CLI/page edges by the *_to_json() below,
 * whose keys are those of the API. Times are UTC seconds, 0 when none
 * (JSON null); integers that may be missing are -1 when they are.
 */

/* One check of a watched security.txt. */
struct stwatch_check {
	int64_t id;
	int64_t checked_at;
	const char *status; /* ok, expiring, invalid, unreachable */
	int64_t errors, warnings, findings;
	int64_t expires_at;      /* the file's Expires, 0 when unknown */
	const char *fetched_url; /* may be NULL */
	const char *encryption;  /* the first Encryption URI, may be NULL */
};

/* A watched URL with its newest checks first (checks[0] is the last one). */
struct stwatch_entry {
	int64_t id;
	const char *url;
	int64_t created_at;
	struct stwatch_check *checks;
	size_t nchecks;
};
struct stwatch_list {
	struct stwatch_entry *v;
	size_t n;
};

/* A probe of a mailto: contact. */
struct stprobe {
	int64_t id;
	const char *contact;
	const char *status; /* sent, failed, confirmed */
	int64_t sent_at;
	const char *send_error; /* may be NULL */
	int64_t confirmed_at;
	const char *confirmed_by; /* may be NULL */
};
struct stprobe_list {
	struct stprobe *v;
	size_t n;
};

/* The PSIRT key as pgp_status() finds it. */
struct pgp_key_status {
	char fingerprint[64];
	char algorithm[32];
	char uid[256];
	unsigned bits;
	int weak;
	int has_secret;
	char source[64]; /* where the fingerprint came from (pgp_keys, config, ...) */
	int64_t expires; /* 0 = never */
	int expiring;    /* within 60 days */
	int expired;
	const char *encryption_uri; /* the URI looked at, NULL when none */
	/* Only when encryption_uri is set: */
	int encryption_matches;       /* it serves this key */
	const char **encryption_keys; /* fingerprints it serves */
	size_t nencryption_keys;
	const char *encryption_error; /* why it could not be read, NULL when it could */
};

/* A recorded PSIRT key (pgp_keys). */
struct pgp_key {
	int64_t id;
	const char *fingerprint;
	const char *state; /* current, previous */
	int64_t bits;      /* -1 when unknown */
	int64_t expires_at;
	const char *previous; /* the key it replaced, may be NULL */
	int cross_signed;
	int64_t published_at;
	const char *published_to;
	int64_t added_at;
	int64_t retired_at;
};
struct pgp_key_list {
	struct pgp_key *v;
	size_t n;
};

/* JSON of each type (caller owns; NULL only when out of memory).
 * stwatch_entry: {id, url, created_at, last (a check or null), checks};
 * stwatch_check: {id, checked_at, status, errors, warnings, findings,
 * expires_at, fetched_url, encryption}; stprobe: {id, contact, status,
 * sent_at, send_error, confirmed_at, confirmed_by}; pgp_key_status:
 * {fingerprint, algorithm, uid, bits, weak, has_secret, source, expires,
 * expiring, expired, encryption_uri, encryption_matches (null without a
 * URI) [, encryption_keys, encryption_error]}; pgp_key: {id, fingerprint,
 * state, bits, expires_at, previous, cross_signed, published_at,
 * published_to, added_at, retired_at}. The list forms give arrays. */
json_t *stwatch_check_to_json(const struct stwatch_check *c);
json_t *stwatch_entry_to_json(const struct stwatch_entry *w);
json_t *stwatch_list_to_json(const struct stwatch_list *l);
json_t *stprobe_to_json(const struct stprobe *p);
json_t *stprobe_list_to_json(const struct stprobe_list *l);
json_t *pgp_key_status_to_json(const struct pgp_key_status *k);
json_t *pgp_key_to_json(const struct pgp_key *k);
json_t *pgp_key_list_to_json(const struct pgp_key_list *l);

#define STWATCH_EXPIRING_SECONDS (30 * 86400)
#define PGP_EXPIRING_SECONDS     (60 * 86400)

/* Watch list (audited). url: an https URL or host as securitytxt_check_url
 * takes it. VG_EEXIST / VG_ENOTFOUND as expected. */
int stwatch_add(struct store *s, const char *url, struct vg_error *err) VG_MUST_CHECK;
int stwatch_remove(struct store *s, const char *url, struct vg_error *err) VG_MUST_CHECK;
/* Watches by URL, each with its newest history_n checks (1.., else 10),
 * into mem. */
int stwatch_list(struct store *s, int64_t history_n, struct vg_arena *mem, struct stwatch_list *out,
		 struct vg_error *err) VG_MUST_CHECK;

/* Check every watched URL now (cacert may be NULL: config
 * securitytxt.cacert), record results, emit events. *checked = URLs checked;
 * *problems = checks whose status is not "ok". */
int stwatch_check_all(struct store *s, const char *cacert, int *checked, int *problems,
		      struct vg_error *err) VG_MUST_CHECK;

/* Send a probe message to a mailto: contact (listed in the security.txt at
 * source_url, may be NULL) through securitytxt.smtp_url; the message carries
 * a fresh token. *id = the probe. The send result is recorded either way;
 * VG_EIO when sending failed. */
int stprobe_send(struct store *s, const char *contact, const char *source_url, int64_t *id,
		 struct vg_error *err) VG_MUST_CHECK;
/* Record the confirmation of receipt (audited). VG_ENOTFOUND for an unknown
 * token, VG_ESTATE when already confirmed. */
int stprobe_confirm(struct store *s, const char *token, int64_t *id,
		    struct vg_error *err) VG_MUST_CHECK;
/* Probes, newest first, into mem. */
int stprobe_list(struct store *s, struct vg_arena *mem, struct stprobe_list *out,
		 struct vg_error *err) VG_MUST_CHECK;

/*
 * The PSIRT key's status: fingerprint, algorithm, bits, weak (RSA/ElGamal
 * under 3072 bits, DSA), expires, expiring (within 60 days), and when an
 * Encryption URI is known (encryption_uri, else the newest recorded check of
 * a watched security.txt) whether it serves this key; encryption_uri ""
 * skips that fetch. cacert may be NULL. VG_ENOTFOUND when there is no key.
 */
int pgp_status(struct store *s, const char *encryption_uri, const char *cacert,
	       struct vg_arena *mem, struct pgp_key_status *out,
	       struct vg_error *err) VG_MUST_CHECK;
/* Emit pgp.expiring when the key expires within 60 days. *expiring 0/1. */
int pgp_expiry_check(struct store *s, int *expiring, struct vg_error *err) VG_MUST_CHECK;
/*
 * Rotate to new_fpr: it must be in the keyring with its secret key, not
 * weak, and certified by the current key (the signature is checked by
 * gpgme); with publish_path the new public key is written there (armored).
 * The old key is kept (state "previous") for decryption. Audited.
 */
int pgp_rotate(struct store *s, const char *new_fpr, const char *publish_path,
	       struct vg_error *err) VG_MUST_CHECK;
/* Recorded keys, newest first, into mem. */
int pgp_keys(struct store *s, struct vg_arena *mem, struct pgp_key_list *out,
	     struct vg_error *err) VG_MUST_CHECK;

/* `vigil securitytxt` verbs of this module (cmd_reach.c), listed in
 * cmd_securitytxt.c's verb table. */
struct cli;
int stwatch_cmd_watch(struct cli *c, int argc, char **argv);
int stwatch_cmd_check(struct cli *c, int argc, char **argv);
int stwatch_cmd_probe(struct cli *c, int argc, char **argv);
int stwatch_cmd_confirm(struct cli *c, int argc, char **argv);
int stwatch_cmd_probes(struct cli *c, int argc, char **argv);

/* `vigil securitytxt` and `vigil pgp` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_securitytxt(struct cli *c, int argc, char **argv);
int cmd_pgp(struct cli *c, int argc, char **argv);

#endif
