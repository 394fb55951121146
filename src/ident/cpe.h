/*
 * cpe.h - CPE names: the 2.3 formatted string ("cpe:2.3:a:vendor:...") and
 * the 2.2 URI ("cpe:/a:vendor:...") bindings, unbound into a well-formed
 * name (NISTIR 7695), and name matching (NISTIR 7696).
 *
 * Rules:
 *  - A parsed name has all 11 attributes. Each is ANY ("*" in a formatted
 *    string, empty in a URI), NA ("-") or a value.
 *  - A value is kept in WFN form: lowercase (matching is case-insensitive),
 *    every character other than a letter, digit or '_' quoted with a
 *    backslash ("8\.0\.6001", "xerces\-c\+\+"), and the wildcards '*'
 *    (any run of characters) and '?' (one character) unquoted, allowed only
 *    at the start and/or end of the value. A quoted "\*" is a literal star.
 *  - Parsers refuse what the specification refuses (wrong attribute count,
 *    embedded wildcards, dangling backslash, bytes outside printable ASCII,
 *    a part other than a/o/h) with an error that quotes the name and says
 *    which attribute is wrong. Input longer than CPE_MAX_LEN is refused.
 */
#ifndef VIGIL_IDENT_CPE_H
#define VIGIL_IDENT_CPE_H

#include "core/error.h"

#include <stddef.h>

struct vg_error;

#define CPE_MAX_LEN 4096

enum cpe_attr {
	CPE_PART,
	CPE_VENDOR,
	CPE_PRODUCT,
	CPE_VERSION,
	CPE_UPDATE,
	CPE_EDITION,
	CPE_LANGUAGE,
	CPE_SW_EDITION,
	CPE_TARGET_SW,
	CPE_TARGET_HW,
	CPE_OTHER,
	CPE_NATTR
};

enum cpe_kind { CPE_ANY, CPE_NA, CPE_VALUE };

struct cpe_value {
	enum cpe_kind kind;
	char *v; /* WFN form when kind == CPE_VALUE, else NULL */
};

struct cpe {
	struct cpe_value attr[CPE_NATTR];
};

/* Relation of a source attribute (or name) to a target (NISTIR 7696 5.2). */
enum cpe_relation { CPE_DISJOINT, CPE_SUBSET, CPE_SUPERSET, CPE_EQUAL, CPE_UNDEFINED };

/*
 * Parse a formatted string ("cpe:2.3:...", exactly 11 attributes) or a URI
 * ("cpe:/...", up to 7 components, edition possibly packed with '~') into
 * *out. On success *out owns its strings (cpe_release()). On failure returns
 * VG_EPARSE (VG_ETOOBIG, VG_ENOMEM) and *out is empty (safe to release).
 */
int cpe_parse(const char *s, struct cpe *out, struct vg_error *err) VG_MUST_CHECK;

/* Free what *c owns and zero it. */
void cpe_release(struct cpe *c);

/* Bind to a formatted string / URI. malloc'ed, NULL on out of memory. */
char *cpe_to_fs(const struct cpe *c);
char *cpe_to_uri(const struct cpe *c);

/* Name of attribute i ("vendor", "target_sw", ...). */
const char *cpe_attr_name(enum cpe_attr i);

/*
 * The value of attribute i without quoting ("8.0.6001"), for comparing
 * versions in NVD ranges. malloc'ed; NULL when the attribute is ANY or NA
 * (look at kind) or on out of memory.
 */
char *cpe_attr_plain(const struct cpe *c, enum cpe_attr i);

/* Relation of one source attribute value to a target one. */
enum cpe_relation cpe_compare_attr(const struct cpe_value *source, const struct cpe_value *target);

/*
 * Name matching (NISTIR 7696 6.2): does the source name (an NVD match
 * criterion, with ANY, NA and wildcards) cover the target name (a
 * component's CPE)? True when every attribute is SUPERSET or EQUAL. A target
 * value holding wildcards is UNDEFINED and so never matches.
 */
int cpe_match(const struct cpe *source, const struct cpe *target);

/* The other name-level tests of NISTIR 7696 6.2. */
int cpe_is_disjoint(const struct cpe *source, const struct cpe *target);
int cpe_is_equal(const struct cpe *source, const struct cpe *target);
int cpe_is_subset(const struct cpe *source, const struct cpe *target);

#endif
