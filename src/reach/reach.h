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

#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

#define STWATCH_EXPIRING_SECONDS (30 * 86400)
#define PGP_EXPIRING_SECONDS     (60 * 86400)

/* Watch list (audited). url: an https URL or host as securitytxt_check_url
 * takes it. VG_EEXIST / VG_ENOTFOUND as expected. */
int stwatch_add(struct store *s, const char *url, struct vg_error *err);
int stwatch_remove(struct store *s, const char *url, struct vg_error *err);
/* Watches with their last check and up to history_n earlier checks. */
int stwatch_list_json(struct store *s, int history_n, json_t **out, struct vg_error *err);

/* Check every watched URL now (cacert may be NULL: config
 * securitytxt.cacert), record results, emit events. *checked = URLs checked;
 * *problems = checks whose status is not "ok". */
int stwatch_check_all(struct store *s, const char *cacert, int *checked, int *problems,
		      struct vg_error *err);

/* Send a probe message to a mailto: contact (listed in the security.txt at
 * source_url, may be NULL) through securitytxt.smtp_url; the message carries
 * a fresh token. *id = the probe. The send result is recorded either way;
 * VG_EIO when sending failed. */
int stprobe_send(struct store *s, const char *contact, const char *source_url, int64_t *id,
		 struct vg_error *err);
/* Record the confirmation of receipt (audited). VG_ENOTFOUND for an unknown
 * token, VG_ESTATE when already confirmed. */
int stprobe_confirm(struct store *s, const char *token, int64_t *id, struct vg_error *err);
int stprobe_list_json(struct store *s, json_t **out, struct vg_error *err);

/*
 * The PSIRT key's status: fingerprint, algorithm, bits, weak (RSA/ElGamal
 * under 3072 bits, DSA), expires, expiring (within 60 days), and when an
 * Encryption URI is known (encryption_uri, else the newest recorded check of
 * a watched security.txt) whether it serves this key; encryption_uri ""
 * skips that fetch. cacert may be NULL. VG_ENOTFOUND when there is no key.
 */
int pgp_status_json(struct store *s, const char *encryption_uri, const char *cacert, json_t **out,
		    struct vg_error *err);
/* Emit pgp.expiring when the key expires within 60 days. *expiring 0/1. */
int pgp_expiry_check(struct store *s, int *expiring, struct vg_error *err);
/*
 * Rotate to new_fpr: it must be in the keyring with its secret key, not
 * weak, and certified by the current key (the signature is checked by
 * gpgme); with publish_path the new public key is written there (armored).
 * The old key is kept (state "previous") for decryption. Audited.
 */
int pgp_rotate(struct store *s, const char *new_fpr, const char *publish_path,
	       struct vg_error *err);
/* Recorded keys, newest first. */
int pgp_keys_json(struct store *s, json_t **out, struct vg_error *err);

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
