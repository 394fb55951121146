/*
 * cvss.h - CVSS vector strings (v2.0, v3.0, v3.1, v4.0): strict parsing and
 * the scores the FIRST specifications define.
 *
 * Rules:
 *  - The version comes from the prefix: "CVSS:3.0/", "CVSS:3.1/",
 *    "CVSS:4.0/". A vector without a prefix is read as CVSS v2.0 (NVD writes
 *    v2 vectors bare: "AV:N/AC:L/Au:N/C:P/I:P/A:P"). Nothing else is
 *    guessed: "CVSS2#...", "(AV:...)", lowercase names or values, stray
 *    blanks and empty components are refused.
 *  - Every metric the version defines as mandatory must be present, no metric
 *    may appear twice, every value must be one the specification lists, and
 *    names and values are case-sensitive. Order: v3.x accepts any order (v3.1
 *    spec section 6: "Programs reading CVSS v3.1 vector strings must accept
 *    metrics in any order"); v4.0 requires the order of its Table 23 ("every
 *    other ordering is invalid"); v2.0 is read in the order of the v2 guide
 *    (base, then temporal, then environmental metrics, as NVD writes them).
 *  - Errors name the vector, the offending metric (or byte offset) and what
 *    was expected. Input is bounded by CVSS_MAX_LEN and must be printable
 *    ASCII, so a parser of outside data can hand it anything.
 *  - Scores are doubles holding a value with one decimal. v3.0 rounds up
 *    (v3.0 spec 7.4, ceil to one decimal), v3.1 uses the Roundup of its
 *    Appendix A, v2.0 rounds half up to one decimal, v4.0 uses the
 *    MacroVector lookup table and interpolation of spec section 8 as the
 *    FIRST reference calculator computes them, rounded half up.
 *  - A parsed struct cvss owns no heap memory: copy it, drop it.
 */
#ifndef VIGIL_VULN_CVSS_H
#define VIGIL_VULN_CVSS_H

#include "core/error.h"

#include <stddef.h>

struct vg_error;

/* Longest vector accepted. A v4.0 vector with every metric spelled out is
 * about 200 characters. */
#define CVSS_MAX_LEN 512
/* Most metrics any version defines (v4.0: 32). */
#define CVSS_MAX_METRICS 32

enum cvss_version { CVSS_V2_0, CVSS_V3_0, CVSS_V3_1, CVSS_V4_0 };

struct cvss {
	enum cvss_version version;
	/* Per metric of the version's table (cvss_metric_abbr()): the index of
	 * its value in the table's value list, or -1 when the vector omits it. */
	signed char value[CVSS_MAX_METRICS];
	char vector[CVSS_MAX_LEN + 1]; /* the vector as given */
};

/*
 * Parse vector into *out. Returns VG_OK, VG_EPARSE (err names the vector and
 * the metric or byte at fault), VG_ETOOBIG (longer than CVSS_MAX_LEN) or
 * VG_EINVAL (NULL). On failure *out is zeroed.
 */
int cvss_parse(const char *vector, struct cvss *out, struct vg_error *err) VG_MUST_CHECK;

/* "2.0", "3.0", "3.1", "4.0". */
const char *cvss_version_name(enum cvss_version v);

/* Metrics the version defines, in specification order, and their names. */
size_t cvss_metric_count(const struct cvss *c);
const char *cvss_metric_abbr(const struct cvss *c, size_t i); /* "AV" */
/* The value the vector gives metric i ("N"), NULL when it omits it. */
const char *cvss_metric_value(const struct cvss *c, size_t i);
/* The value given for the metric named abbr, NULL when omitted or unknown. */
const char *cvss_get(const struct cvss *c, const char *abbr);

/*
 * The base score: v2/v3 base equation; v4.0 the CVSS-B score (threat and
 * environmental metrics in the vector are ignored).
 */
double cvss_base_score(const struct cvss *c);

/*
 * v2/v3: the temporal and environmental equations (metrics the vector omits
 * count as Not Defined). v4.0 has no such separate scores: both return -1.
 */
double cvss_temporal_score(const struct cvss *c);
double cvss_environmental_score(const struct cvss *c);

/*
 * The score the vector as written asks for: v4.0 the CVSS-B/BT/BE/BTE score
 * over every metric given; v2/v3 the environmental score when any
 * environmental metric is given, else the temporal score when any temporal
 * metric is given, else the base score.
 */
double cvss_score(const struct cvss *c);

/* v4.0 nomenclature of cvss_score() ("CVSS-B", "CVSS-BT", "CVSS-BE",
 * "CVSS-BTE"); NULL for other versions. */
const char *cvss_nomenclature(const struct cvss *c);

/*
 * Qualitative severity of a score on the v3.x/v4.0 scale: "none" (0.0),
 * "low" (0.1-3.9), "medium" (4.0-6.9), "high" (7.0-8.9), "critical"
 * (9.0-10.0). v2.0 has no scale of its own; NVD's v2 ranges are
 * cvss_v2_severity().
 */
const char *cvss_severity(double score);

/* NVD's v2 severity: "low" (0.0-3.9), "medium" (4.0-6.9), "high" (7.0-10.0). */
const char *cvss_v2_severity(double score);

/* `vigil cvss` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_cvss(struct cli *c, int argc, char **argv);

#endif
