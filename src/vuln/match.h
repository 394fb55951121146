/*
 * match.h - does an advisory affect a package version? OSV range
 * semantics, compiled once per affected entry, and the in-memory index
 * keyed by (ecosystem, normalised name) that answers a component in one
 * hash lookup.
 *
 * Rules (OSV schema "Evaluation"):
 *  - Each range is evaluated on its own and the results are OR-ed
 *    (ossf/osv-schema#44), with the explicit versions list OR-ed too.
 *  - Events are sorted in the ecosystem's order first (they need not be
 *    sorted in the feed); introduced "0" is below every version; several
 *    introduced/fixed pairs make several intervals; fixed and limit are
 *    exclusive, last_affected inclusive; at or above a limit nothing is
 *    affected (osv.dev gives limit precedence, osv-schema#468).
 *  - GIT ranges name commits, not versions: they are not evaluated against
 *    a package version and never hide the SEMVER/ECOSYSTEM ranges beside
 *    them. Their tags reach matching through the versions list.
 *  - SEMVER ranges use SemVer 2.0 order (Go's for the Go ecosystem),
 *    ECOSYSTEM ranges the ecosystem's own order (version.h).
 *  - A range holding a version its ecosystem rejects is unusable: it is
 *    skipped (never read as "all versions"), and counted in bad_ranges.
 *    A component version the ecosystem rejects matches only through the
 *    versions list (exact text).
 *  - database_specific never changes evaluation (github/advisory-
 *    database#470 is therefore a known false positive kept on purpose: the
 *    ranges as published are what the advisory asserts).
 *  - Comparisons never allocate: versions are validated once, here.
 */
#ifndef VIGIL_VULN_MATCH_H
#define VIGIL_VULN_MATCH_H

#include "core/error.h"

#include "vuln/advisory.h"
#include "ident/version.h"

#include <stddef.h>
#include <stdint.h>

struct vg_error;

struct match_event {
	uint8_t kind; /* enum adv_event_kind */
	uint8_t zero; /* introduced "0" */
	struct version v;
};

struct match_range {
	uint8_t type;   /* enum adv_range_type */
	uint8_t usable; /* 0: GIT, or a version its scheme rejects */
	uint32_t n;
	struct match_event *ev; /* sorted */
};

/* One affected entry of an advisory, compiled for evaluation. */
struct match_pkg {
	enum version_scheme scheme;
	int scheme_ok;   /* 0: ecosystem unknown to version.h: versions list only */
	char *release;   /* "12" of "Debian:12", NULL when the ecosystem has none */
	char **versions; /* sorted (strcmp) for bsearch */
	uint32_t n_versions, n_ranges;
	struct match_range *ranges;
	uint32_t bad_ranges;
};

/* Which part of the entry matched, for the finding's evidence. */
struct match_why {
	int by_versions; /* matched by the versions list */
	int range;       /* index of the range that matched, or -1 */
	char text[256];  /* "ECOSYSTEM introduced 2.2, fixed 2.2.9" */
};

/*
 * Compile af into out (OUT; match_pkg_release() frees it, also after a
 * failure). Fails only with VG_ENOMEM.
 */
int match_pkg_compile(const struct adv_affected *af, struct match_pkg *out,
		      struct vg_error *err) VG_MUST_CHECK;
void match_pkg_release(struct match_pkg *m);

/*
 * One component version, parsed lazily in each scheme a range asks for
 * (a SEMVER range of a PyPI entry compares in SemVer order). Init with
 * match_vcache_init(), free with match_vcache_release().
 */
struct match_vcache {
	const char *text;
	signed char state[VS__COUNT]; /* 0 not tried, 1 parsed, -1 invalid */
	struct version v[VS__COUNT];
};
void match_vcache_init(struct match_vcache *c, const char *text);
void match_vcache_release(struct match_vcache *c);

/*
 * Does m affect version c->text? Ranges whose scheme rejects the version
 * are skipped; the versions list compares text exactly. Returns 1 (why
 * filled, may be NULL) or 0.
 */
int match_pkg_test(const struct match_pkg *m, struct match_vcache *c, struct match_why *why);

/* The fixed versions of m's ranges, joined with ", " into out. */
void match_pkg_fixed(const struct match_pkg *m, char *out, size_t outsz);

/* Release check: may an entry for release rel ("12"; NULL = any) apply to a
 * component of release comp ("12", "bookworm", "debian-12"; NULL = unknown)? */
int match_release_ok(const char *rel, const char *comp);

/*
 * A component's package as matching sees it, derived from its purl:
 * OSV ecosystem (base), normalised name, version, release (distro
 * qualifier). Distribution packages use the upstream/source name when the
 * purl gives one (advisories are per source package). Returns VG_OK,
 * VG_ENOTFOUND (no purl ecosystem OSV knows: unmatchable, never guessed),
 * VG_EPARSE (bad purl).
 */
struct match_key {
	char eco[48];
	char name[512];
	char version[256];
	char release[64];
};
int match_key_from_purl(const char *purl, struct match_key *out,
			struct vg_error *err) VG_MUST_CHECK;

/* ---- the in-memory index ---- */

struct match_adv {
	char *id;             /* advisory id */
	char *vuln_id;        /* canonical id */
	char source[16];      /* "osv", "nvd", ... */
	char **aliases;       /* NULL-terminated */
	const char *severity; /* static label or NULL */
	double score;
	int64_t modified;
	int withdrawn;
	int removed; /* replaced by a newer copy */
};

struct match_index;

struct match_index *match_index_new(void);
void match_index_free(struct match_index *ix);

/*
 * Add (or replace, by id) advisory a: each affected entry is compiled and
 * filed under (ecosystem base, normalised name). vuln_id is the
 * vulnerability it belongs to (NULL: advisory_canonical_id(a)). Withdrawn
 * advisories are kept but never match. VG_OK or VG_ENOMEM.
 */
int match_index_add(struct match_index *ix, const struct advisory *a, const char *vuln_id,
		    struct vg_error *err) VG_MUST_CHECK;

/* Advisories, affected entries and unusable ranges held. */
void match_index_stats(const struct match_index *ix, size_t *advisories, size_t *entries,
		       size_t *bad_ranges);

typedef void (*match_hit_fn)(void *arg, const struct match_adv *adv, const struct match_pkg *pkg,
			     const struct match_why *why);

/*
 * Call fn for every (advisory, entry) affecting k's version. Returns the
 * number of hits.
 */
size_t match_index_query(const struct match_index *ix, const struct match_key *k, match_hit_fn fn,
			 void *arg);

#endif
