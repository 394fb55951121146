/*
 * principal.h - who is making a request, and the roles that say what they
 * may do. Floor 0 so that the web server (which checks a route's roles),
 * every room's route table (which names them) and the auth room (which
 * finds the principal behind a token or a session) share one definition.
 *
 * Rules: roles are bits so that a route can allow several; a principal has
 * exactly one role bit, or ROLE_NONE when anonymous. The CSRF token of a
 * session is a secret: wipe a principal (vg_wipe) when done with it.
 */
#ifndef VIGIL_CORE_PRINCIPAL_H
#define VIGIL_CORE_PRINCIPAL_H

#include <stddef.h>
#include <stdint.h>

/* The longest product scope of a token, with its terminating NUL. */
#define VG_SCOPE_MAX 512

enum vg_role {
	ROLE_NONE = 0,
	ROLE_ADMIN = 1 << 0,
	ROLE_PSIRT = 1 << 1,
	ROLE_AUDITOR = 1 << 2,
	ROLE_CI = 1 << 3,
	ROLE_DEVICE = 1 << 4,
	ROLE_INGEST = 1 << 5, /* a log sender: POST /api/v1/logs only (src/evidence/) */
};
#define ROLE_PUBLIC 0x100 /* route needs no credentials */
/* Every role of a person or a script. Devices are not among them: a device
 * credential reaches only the routes that name ROLE_DEVICE (check-in and
 * status). */
#define ROLE_ANY (ROLE_ADMIN | ROLE_PSIRT | ROLE_AUDITOR | ROLE_CI)
/* Read access to everything: admin, psirt and the read-only auditor. */
#define ROLE_READ (ROLE_ADMIN | ROLE_PSIRT | ROLE_AUDITOR)

/* "admin" -> ROLE_ADMIN; ROLE_NONE when unknown or NULL (names are exact). */
int vg_role_parse(const char *name);
/* ROLE_ADMIN -> "admin"; "none" for ROLE_NONE, ROLE_PUBLIC or several bits. */
const char *vg_role_name(int role);

/* Who is making a request. */
struct vg_principal {
	int role;        /* one ROLE_* bit, or ROLE_NONE for anonymous */
	char name[128];  /* user name or "token:<name>" */
	int64_t user_id; /* for sessions, else 0 */
	int via_session; /* 1 when authenticated by the browser cookie */
	char csrf[64];   /* the session's CSRF token */
	/* The products an API token may write SBOMs for: comma-separated names
	 * and patterns (`*`, `?`), e.g. "acme-*,tool". Empty: no restriction
	 * (users, and tokens of roles other than ci). */
	char products[VG_SCOPE_MAX];
};

/*
 * 1 when who may write (upload SBOMs for, create versions of) the product
 * called product: who has no product scope, or one of its patterns matches
 * the whole name. The one check every route that writes a product uses.
 */
int vg_principal_may_product(const struct vg_principal *who, const char *product);
/* 1 when the glob pattern (`*` any run, `?` one character, nothing else
 * special) matches the whole of name. */
int vg_glob_match(const char *pattern, const char *name);
/*
 * Check a product scope as given ("P,Q", "acme-*"; spaces around commas are
 * dropped) and write its canonical form ("P,Q") into out (VG_SCOPE_MAX
 * bytes). On a bad scope returns -1 and writes the reason into out.
 */
int vg_scope_canon(const char *scope, char *out, size_t outsz);

#endif
