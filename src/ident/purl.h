/*
 * purl.h - package-url (purl) parsing, normalisation and canonical output,
 * per the package-url specification (ECMA-427) and its registered type
 * definitions.
 *
 * Rules:
 *  - A struct purl holds DECODED components (no percent escapes). Absent
 *    optional components are NULL, never "". namespace and subpath are their
 *    segments joined with '/'.
 *  - Every purl that leaves purl_parse() or purl_build() is normalised: type
 *    lowercase, the type's case and character rules applied (pypi lowercase
 *    and '_' -> '-', github/bitbucket/composer/... lowercase, ...), qualifier
 *    keys lowercase, empty qualifier values dropped, qualifiers sorted by key,
 *    empty / "." / ".." subpath segments dropped. Two purls name the same
 *    package exactly when their canonical strings are equal.
 *  - Case folding is ASCII only; names are otherwise kept byte for byte.
 *  - Errors (VG_EPARSE for a string, VG_EINVAL for components) quote the purl
 *    (cut to a readable length) and say which component is wrong and why.
 *  - Input is bounded: a purl longer than PURL_MAX_LEN bytes is refused.
 */
#ifndef VIGIL_IDENT_PURL_H
#define VIGIL_IDENT_PURL_H

#include "core/error.h"

#include <stddef.h>

struct vg_error;

#define PURL_MAX_LEN   65536
#define PURL_MAX_QUALS 64

struct purl_qualifier {
	char *key;   /* lowercase [a-z0-9._-], starts with a letter */
	char *value; /* decoded, never empty */
};

struct purl {
	char *type;                   /* lowercase, never NULL in a parsed purl */
	char *namespace;              /* NULL when absent */
	char *name;                   /* never NULL or empty in a parsed purl */
	char *version;                /* NULL when absent */
	struct purl_qualifier *quals; /* sorted by key, unique keys */
	size_t nquals;
	char *subpath; /* NULL when absent */
};

/* purl_parse() flags. */
enum {
	/*
	 * Refuse forms the spec says a purl "shall not" have even where they
	 * could be repaired: today a qualifier key that starts with an
	 * uppercase letter ("?Arch=x86"). Without it such keys are lowercased,
	 * which is what SBOM import wants: real SBOMs carry them.
	 * (The suite is not consistent here: it refuses "Platform=" and
	 * "Arch=" yet accepts "repositorY_url=". Refusing only a leading
	 * capital is the one reading that passes every required case.)
	 */
	PURL_STRICT = 1u << 0,
};

/*
 * Parse purl string s (NUL-terminated) into *out, normalised. flags is 0 or
 * PURL_STRICT. On success *out owns its strings (purl_release()). On failure
 * returns VG_EPARSE (VG_ETOOBIG for an overlong string, VG_ENOMEM) and *out
 * is left empty (safe to release).
 */
int purl_parse(const char *s, unsigned flags, struct purl *out, struct vg_error *err) VG_MUST_CHECK;

/*
 * Build a purl from decoded components (the spec's "build" direction): in
 * holds the caller's components, any of which may be NULL; namespace and
 * subpath may have leading/trailing slashes; qualifiers need not be sorted
 * and may have empty values (dropped). The result in *out is normalised and
 * validated like a parsed purl. in is not modified. Returns VG_EINVAL when a
 * component is missing or invalid, VG_ENOMEM.
 */
int purl_build(const struct purl *in, struct purl *out, struct vg_error *err) VG_MUST_CHECK;

/* Free everything *p owns and zero it. */
void purl_release(struct purl *p);

/*
 * The canonical string of a normalised purl, percent-encoded per the spec.
 * Returns a malloc'ed string (caller frees), or NULL on out of memory.
 */
char *purl_to_string(const struct purl *p);

/*
 * The package identity: the canonical string without version, qualifiers
 * and subpath ("pkg:maven/org.apache/commons-io"). Other modules key
 * matching and SBOM diffs on it. malloc'ed, NULL on out of memory.
 */
char *purl_identity(const struct purl *p);

/* Value of qualifier key, or NULL. */
const char *purl_qualifier(const struct purl *p, const char *key);

/*
 * The OSV ecosystem of a purl ("PyPI", "Maven", "Debian", "Red Hat", ...),
 * a static string, or NULL when OSV has no ecosystem for it. deb, rpm and
 * apk are mapped by namespace (the distribution); the release suffix
 * ("Debian:12") is not added.
 */
const char *purl_osv_ecosystem(const struct purl *p);

/*
 * The package name as OSV spells it: Maven "group:artifact", Go, npm,
 * Packagist and SwiftURL "namespace/name", otherwise the name. malloc'ed
 * (caller frees), NULL on out of memory.
 */
char *purl_osv_name(const struct purl *p);

/* `vigil purl` (src/sbom/cmd_purl.c), listed in the program's noun table (src/app/tables.c). */
struct cli;
int cmd_purl(struct cli *c, int argc, char **argv);

#endif
