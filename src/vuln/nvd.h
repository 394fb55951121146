/*
 * nvd.h - NVD CVE API 2.0 records: parsing, and deciding whether the CPEs
 * of one component or device satisfy a record's `configurations`.
 *
 * Input is a response page ({"vulnerabilities":[{"cve":{...}}, ...]}), one
 * wrapped item ({"cve":{...}}) or a bare cve object. Each CVE is parsed on
 * its own into a struct nvd_cve that owns all its memory (one arena), so a
 * caller may keep some records of a page and free the rest.
 *
 * Rules:
 *  - A malformed record is skipped, not fatal: the page's other records
 *    still come back, and the skip is counted with a message naming the
 *    file, the record id and the JSON pointer. Only a document that is not
 *    JSON, or neither a page nor a CVE, fails as a whole.
 *  - Every cpeMatch criterion must be a CPE 2.3 formatted string that
 *    ident/cpe.h accepts (a record with one that is not is skipped: a
 *    criterion we cannot read would silently drop a match).
 *  - Times are kept as NVD writes them ("2023-07-13T15:15:09.517"); NVD
 *    omits the zone and means UTC.
 *  - Bounds: a document of at most NVD_MAX_BYTES; per record at most
 *    NVD_MAX_MATCHES cpeMatch entries over all nodes and NVD_MAX_RECORD_MEM
 *    bytes of parsed form.
 *
 * Evaluation (nvd_config_match):
 *  - A cpeMatch entry is satisfied when some given CPE is matched by its
 *    criteria (NISTIR 7696 name matching, cpe_match()) and, when the entry
 *    has version bounds, that CPE's version lies within them. A node is the
 *    OR or AND of its entries, inverted when `negate`; a configuration the
 *    OR or AND (default OR) of its nodes, inverted when `negate`.
 *  - `vulnerable:false` entries are platform conditions ("running on"):
 *    they must be present for an AND to hold but never make anything
 *    vulnerable by themselves. A configuration makes the CPE set vulnerable
 *    only when it holds through at least one satisfied `vulnerable:true`
 *    entry of a non-negated node that itself holds.
 *  - Version bounds compare the CPE's version attribute, with a value in
 *    its update attribute appended ("4.2.8" + "p18" -> "4.2.8p18", as NVD's
 *    ranges spell ntp, grype PR#2844). A CPE whose version is ANY cannot be
 *    placed in a range: the entry is not satisfied and the result is marked
 *    undecided. NA ("-") is never within a range.
 *  - Criteria with version NA ("-") match only CPEs whose version is NA, as
 *    the CPE specification says (DependencyTrack#3268: treating "-" as
 *    "every version" floods findings).
 *
 * Where NVD data itself is wrong or ambiguous (what we do about it):
 *  - Versions are free text of the vendor's own scheme; NVD does not say
 *    which. nvd_version_cmp() uses SemVer order when both sides are plain
 *    SemVer (at most three numbers, optional pre-release, no build part)
 *    and otherwise a generic order of numeric and alphabetic runs, so
 *    "2.8.123e" > "2.8.75" (DependencyTrack#2803), "1.8.0_241" > "1.8.0_31",
 *    "7.5" = "7.5.0", "1.0rc1" < "1.0" < "1.0a"... except that pre-release
 *    words (alpha, beta, rc, pre, preview, dev, snapshot, milestone) sort
 *    below the release. A four-part version is never handed to SemVer (the
 *    lenient SemVer reading makes "6.0.3.4" = "6.0.3.1", trivy#702).
 *  - Java updates: NVD spells ranges "1.8.0_241" or "1.8.0 update 241" and
 *    CPE names "1.8.0:update_241"; an update attribute "update_N" is read as
 *    "_N" before comparing.
 *  - A bound of "-" (CVE-2022-4064: versionStartIncluding "-") means no
 *    bound; so would "*" or "". Vendor spellings such as "va40g_hf01" or
 *    "sr10.3" are compared in the generic order like any other text.
 *  - Firmware and hardware CPEs usually carry version "-" in the criteria
 *    (CVE-2022-43308): a device CPE must also say "-" to match, which is
 *    what the CPE dictionary entries for such devices say.
 *  - Configurations of operator AND with several `vulnerable:true` nodes and
 *    no platform (CVE-1999-0234: Yggdrasil Linux AND SGI IRIX) are NVD
 *    conversion artefacts of old records; we evaluate them as written, so
 *    one component never satisfies them alone.
 */
#ifndef VIGIL_VULN_NVD_H
#define VIGIL_VULN_NVD_H

#include "core/error.h"

#include "core/json.h"
#include "ident/cpe.h"
#include "core/arena.h"

#include <stddef.h>

struct vg_error;

#define NVD_MAX_BYTES      (512u << 20)
#define NVD_MAX_MATCHES    200000
#define NVD_MAX_RECORD_MEM (256u << 20)
#define NVD_MAX_SKIP_MSGS  64

enum nvd_op { NVD_OR, NVD_AND };

enum nvd_cvss { NVD_CVSS_V2, NVD_CVSS_V30, NVD_CVSS_V31, NVD_CVSS_V40 };

struct nvd_metric {
	enum nvd_cvss version;
	const char *source;        /* "nvd@nist.gov", a CNA's address */
	int primary;               /* type "Primary" (else "Secondary") */
	const char *vector;        /* cvssData.vectorString */
	double base_score;         /* cvssData.baseScore */
	const char *base_severity; /* cvssData (3.x, 4.0) or the metric (2.0); may be NULL */
};

struct nvd_weakness {
	const char *source;
	int primary;
	const char *cwe; /* "CWE-79", "NVD-CWE-Other", "NVD-CWE-noinfo" */
};

struct nvd_reference {
	const char *url;
	const char *source;
	const char **tags;
	size_t n_tags;
};

struct nvd_cpe_match {
	int vulnerable;
	const char *criteria;          /* as written in the record */
	struct cpe cpe;                /* criteria parsed */
	const char *match_criteria_id; /* NULL when absent */
	/* version bounds; NULL when absent */
	const char *start_incl, *start_excl, *end_incl, *end_excl;
};

struct nvd_node {
	enum nvd_op op;
	int negate;
	struct nvd_cpe_match *matches;
	size_t n_matches;
};

struct nvd_config {
	enum nvd_op op; /* OR when the record omits it */
	int negate;
	struct nvd_node *nodes;
	size_t n_nodes;
};

struct nvd_cve {
	const char *id;
	const char *source_identifier;
	const char *published, *last_modified;
	const char *vuln_status; /* "Analyzed", "Modified", "Rejected", ... */
	int withdrawn;           /* vuln_status "Rejected" */
	const char *description; /* the English one; NULL when none */
	/* CISA KEV fields NVD copies into the record; NULL when absent */
	const char *cisa_exploit_add, *cisa_action_due, *cisa_required_action,
	    *cisa_vulnerability_name;
	struct nvd_metric *metrics;
	size_t n_metrics;
	struct nvd_weakness *weaknesses;
	size_t n_weaknesses;
	struct nvd_reference *refs;
	size_t n_refs;
	struct nvd_config *configs;
	size_t n_configs;
	size_t n_matches_total;
	struct vg_arena arena; /* owns everything above */
};

struct nvd_feed {
	struct nvd_cve **cves; /* each owned; a caller may take one and set it NULL */
	size_t n_cves;
	/* page metadata; -1 / NULL for a single record */
	long long total_results, start_index, results_per_page;
	const char *timestamp; /* malloc'ed */
	size_t n_skipped;
	char *skipped[NVD_MAX_SKIP_MSGS]; /* the first skip messages, malloc'ed */
};

/*
 * Parse one cve object (the value of "cve" in a page item, or a bare record)
 * from a JSON tree. file names the input in messages; ptr is the JSON
 * pointer of cve in it ("" for the root). On success *out is a new record
 * owned by the caller (nvd_cve_free()). On failure returns VG_EPARSE,
 * VG_ETOOBIG or VG_ENOMEM with a message naming file, record id and pointer;
 * *out is NULL.
 */
int nvd_cve_from_json(const json_t *cve, const char *file, const char *ptr, struct nvd_cve **out,
		      struct vg_error *err) VG_MUST_CHECK;

/* Free a record and all it owns (NULL is fine). */
void nvd_cve_free(struct nvd_cve *c);

/*
 * Parse n bytes of a page, wrapped item or bare record into *out (which
 * nvd_feed_release() frees, also after failure). Bad records are skipped
 * and counted (see the rules above). Fails with VG_ETOOBIG (document over
 * NVD_MAX_BYTES), VG_EPARSE (not JSON; not a page or record; the message
 * names file and pointer) or VG_ENOMEM.
 */
int nvd_feed_parse(const char *data, size_t n, const char *file, struct nvd_feed *out,
		   struct vg_error *err) VG_MUST_CHECK;

void nvd_feed_release(struct nvd_feed *f);

/* ---- evaluation ---- */

#define NVD_MAX_EVIDENCE 32

struct nvd_evidence {
	const struct nvd_cpe_match *m; /* the cpeMatch entry (owned by the record) */
	size_t config, node, match;    /* its place: configurations/config/nodes/node/... */
	size_t cpe;                    /* index of the given CPE that satisfied it */
};

struct nvd_match {
	int vulnerable;        /* some configuration holds through a vulnerable entry */
	size_t n_configs;      /* configurations that make the set vulnerable */
	size_t first_config;   /* index of the first of them */
	int undecided;         /* a criterion matched a CPE whose version is ANY */
	size_t n_evidence;     /* entries below (at most NVD_MAX_EVIDENCE) */
	size_t n_evidence_all; /* all satisfied entries of those configurations */
	/* satisfied entries of the configurations that hold, vulnerable ones
	 * and platform (vulnerable:false) ones, in document order */
	struct nvd_evidence evidence[NVD_MAX_EVIDENCE];
};

/*
 * Does the set of CPEs of ONE component or device (a product plus its
 * platform CPEs: the OS it runs on, the hardware) satisfy a configuration of
 * cve? Fills *out (zeroed first). Returns VG_OK, or VG_EPARSE when a given
 * CPE does not parse (the message names it; *out then says not vulnerable),
 * VG_ENOMEM.
 */
int nvd_config_match(const struct nvd_cve *cve, const char *const *cpes, size_t n,
		     struct nvd_match *out, struct vg_error *err) VG_MUST_CHECK;

/* As nvd_config_match() with the CPEs already parsed; never fails. */
void nvd_config_match_parsed(const struct nvd_cve *cve, const struct cpe *cpes, size_t n,
			     struct nvd_match *out);

/*
 * Does the version of target lie within the bounds of m (true when m has
 * none)? Returns 1 yes, 0 no, -1 undecided (target's version is ANY).
 */
int nvd_match_version(const struct nvd_cpe_match *m, const struct cpe *target);

/*
 * Order of two CPE / NVD versions (see the rules above): -1, 0 or 1. Never
 * fails: any text has a place in the generic order.
 */
int nvd_version_cmp(const char *a, const char *b);

/*
 * The bounds of m as text (">=4.0.0, <=4.2"; "" when none) into buf of
 * size n, truncated to fit. Returns buf.
 */
char *nvd_range_str(const struct nvd_cpe_match *m, char *buf, size_t n);

#endif
