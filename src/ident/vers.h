/*
 * vers.h - "vers:" version range specifiers (package-url/vers-spec):
 * vers:<type>/<constraint>|<constraint>|... and membership tests.
 *
 * Rules:
 *  - vers_parse() accepts only canonical strings, as the spec demands: no
 *    whitespace, lowercase scheme and type, no empty constraints, canonical
 *    percent-encoding (decoded exactly once), versions unique and sorted in
 *    the type's order, comparators alternating as the spec says. Each
 *    error names the input and the rule it breaks ("non-canonical VERS:
 *    ...").
 *  - Version order comes from version.h (the vers type names a scheme:
 *    npm, pypi, maven, deb, rpm, apk, gem, golang, ...). "all" and "none"
 *    take only "*".
 */
#ifndef VIGIL_IDENT_VERS_H
#define VIGIL_IDENT_VERS_H

#include "core/error.h"
#include "ident/version.h"

#include <stddef.h>

#define VERS_MAX_LEN         65536
#define VERS_MAX_CONSTRAINTS 4096

enum vers_op { VERS_EQ, VERS_NE, VERS_LT, VERS_LE, VERS_GT, VERS_GE };

struct vers_constraint {
	enum vers_op op;
	char *version; /* percent-decoded, owned */
};

struct vers {
	char type[33];              /* lowercase vers type */
	enum version_scheme scheme; /* valid unless all/none */
	int star;                   /* "*": every version (or none, for type none) */
	size_t n;
	struct vers_constraint *c; /* owned array of n */
};

/* Flags for vers_parse(). */
enum {
	/* Accept constraints in any order, with duplicates and without the
	 * comparator alternation (syntax checks still apply); for normalising
	 * input that is not yet canonical. */
	VERS_LENIENT = 1,
};

/*
 * Parse s into out (OUT; release with vers_release(), also after failure).
 * Fails with VG_EPARSE (malformed or non-canonical: the message says which
 * rule), VG_ENOTFOUND (unknown type), VG_EINVAL (a version that is not
 * valid for the type), VG_ETOOBIG.
 */
int vers_parse(const char *s, int flags, struct vers *out, struct vg_error *err) VG_MUST_CHECK;

/* Does v contain version? *out (OUT) is 1 or 0. VG_EINVAL when version is
 * not valid for the range's type. */
int vers_contains(const struct vers *v, const char *version, int *out,
		  struct vg_error *err) VG_MUST_CHECK;

/* Sort constraints by version (stable). */
void vers_sort(struct vers *v);

/* The canonical text of v (percent-encoding re-applied). Caller frees;
 * NULL when out of memory. */
char *vers_format(const struct vers *v);

void vers_release(struct vers *v);

#endif
