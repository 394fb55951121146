/*
 * note.h - Ed25519 keys and signed notes (C2SP signed-note), and the
 * checkpoint body of C2SP tlog-checkpoint.
 *
 * Keys are written as the Go ecosystem writes them (golang.org/x/mod
 * sumdb/note), so other tools read them:
 *   verifier key  name+hex8(keyid)+base64(0x01 || public key[32])
 *   signer key    PRIVATE+KEY+name+hex8(keyid)+base64(0x01 || seed[32])
 * with keyid = SHA-256(name || 0x0A || 0x01 || public key)[:4].
 *
 * A signed note is text (ending in a newline), a blank line and one or more
 * lines "\u2014 name base64(keyid[4] || signature[64])\n". The signature is
 * over the text bytes.
 *
 * A signer is a callback, so the same code signs with a key file (loaded
 * here, wiped on release) or with a signer another room registers (an HSM
 * of the update room), and it serves the audit checkpoints and the signed
 * manifests of bundles (evidence/bundle.h).
 */
#ifndef VIGIL_AUDIT_NOTE_H
#define VIGIL_AUDIT_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct vg_error;

#define NOTE_NAME_MAX    256
#define NOTE_ED25519_PUB 32
#define NOTE_ED25519_SIG 64
#define NOTE_MAX_SIGS    100
#define NOTE_MAX_SIZE    (1 << 20)

struct note_verifier {
	char name[NOTE_NAME_MAX];
	uint32_t id;
	uint8_t pub[NOTE_ED25519_PUB];
};

struct note_signer {
	char name[NOTE_NAME_MAX];
	uint32_t id;
	uint8_t pub[NOTE_ED25519_PUB];
	/* Sign msg (Ed25519, 64 bytes into sig). */
	int (*sign)(void *ctx, const void *msg, size_t n, uint8_t sig[NOTE_ED25519_SIG],
		    struct vg_error *err);
	void *ctx;
	/* Frees ctx (wiping any key it holds); NULL: nothing to free. */
	void (*release)(void *ctx);
};

/* A key name is valid: non-empty, valid UTF-8, no space or '+'. */
int note_name_valid(const char *name);
uint32_t note_key_id(const char *name, const uint8_t pub[NOTE_ED25519_PUB]);

/* Parse a verifier key; a bad one is VG_EPARSE with the reason. */
int note_vkey_parse(const char *vkey, struct note_verifier *out,
		    struct vg_error *err) VG_MUST_CHECK;
/* The verifier key text of (name, pub): malloc'ed, NULL on OOM. */
char *note_vkey(const char *name, const uint8_t pub[NOTE_ED25519_PUB]);
/* The verifier of a signer. */
void note_signer_verifier(const struct note_signer *s, struct note_verifier *out);

/* A signer from a signer key text (PRIVATE+KEY+...); release with note_signer_release(). */
int note_signer_from_skey(const char *skey, struct note_signer *out,
			  struct vg_error *err) VG_MUST_CHECK;
/* A new random signer key named name (malloc'ed text in *skey; wipe it with vg_wipe before
 * free). */
int note_skey_generate(const char *name, char **skey, struct vg_error *err) VG_MUST_CHECK;
void note_signer_release(struct note_signer *s);

/* Ed25519 over msg: 1 when sig verifies under pub. */
int note_ed25519_verify(const uint8_t pub[NOTE_ED25519_PUB], const void *msg, size_t n,
			const uint8_t *sig, size_t siglen);

/*
 * The key file (setting audit.key_file; default: next to the database as
 * DB.checkpoint.key): one signer key line, mode 0600. note_key_file_load()
 * reads it into a signer (the file's copy in memory is wiped);
 * note_key_file_create() makes one named name when there is none (VG_EEXIST
 * when there is).
 */
const char *note_key_file_path(void);
int note_key_file_load(const char *path, struct note_signer *out,
		       struct vg_error *err) VG_MUST_CHECK;
int note_key_file_create(const char *path, const char *name, struct vg_error *err) VG_MUST_CHECK;

/* Sign text (must end in '\n', no blank line check beyond the format) with
 * each signer: *out is the whole note (malloc'ed). */
int note_sign(const char *text, const struct note_signer *const *signers, size_t nsigners,
	      char **out, struct vg_error *err) VG_MUST_CHECK;

struct note_sig {
	char name[NOTE_NAME_MAX];
	uint32_t id;
	uint8_t sig[NOTE_ED25519_SIG + 64];
	size_t siglen; /* bytes after the key id */
	int verified;  /* set by note_open() */
};

struct note {
	char *text; /* malloc'ed, NUL-terminated, up to and including the last '\n' before
		       the signatures */
	size_t text_len;
	struct note_sig *sigs;
	size_t nsigs;
};

/* Split msg into text and signature lines without checking signatures.
 * VG_EPARSE with the reason when malformed (C2SP / x/mod rules). */
int note_parse(const void *msg, size_t n, struct note *out, struct vg_error *err) VG_MUST_CHECK;
/*
 * note_parse() and check every signature whose (name, key id) a verifier
 * knows: VG_EPARSE malformed; VG_EINVAL a known key's signature does not
 * verify; VG_EPERM no signature by a known key. *out is filled on VG_OK.
 */
int note_open(const void *msg, size_t n, const struct note_verifier *v, size_t nv, struct note *out,
	      struct vg_error *err) VG_MUST_CHECK;
void note_release(struct note *n);

/* The body of a C2SP checkpoint: origin, tree size, root hash, extension lines. */
struct checkpoint {
	char origin[NOTE_NAME_MAX];
	uint64_t size;
	uint8_t root[32];
};

/* Parse a checkpoint body (a note's text); VG_EPARSE with the reason. */
int checkpoint_parse(const char *text, size_t n, struct checkpoint *out,
		     struct vg_error *err) VG_MUST_CHECK;
/* "origin\nsize\nbase64(root)\n" (malloc'ed; NULL on OOM). */
char *checkpoint_text(const struct checkpoint *c);

/* Strict standard base64 (padded); malloc'ed, NULL when not base64. */
uint8_t *note_b64_decode(const char *s, size_t n, size_t *outlen);

#endif
