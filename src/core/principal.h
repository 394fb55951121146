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

#include <stdint.h>

enum vg_role {
	ROLE_NONE = 0,
	ROLE_ADMIN = 1 << 0,
	ROLE_PSIRT = 1 << 1,
	ROLE_AUDITOR = 1 << 2,
	ROLE_CI = 1 << 3,
	ROLE_DEVICE = 1 << 4,
};
#define ROLE_PUBLIC 0x100 /* route needs no credentials */
#define ROLE_ANY    (ROLE_ADMIN | ROLE_PSIRT | ROLE_AUDITOR | ROLE_CI | ROLE_DEVICE)
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
};

#endif
