/*
 * advisory.h - the one model every feed parser produces (OSV, NVD, CSAF)
 * and storage, matching and findings consume: an advisory as OSV shapes
 * it, plus where it came from.
 *
 * Rules:
 *  - One advisory owns all its memory in one arena (adv->arena, core/arena.h);
 *    advisory_release() frees it at once. Strings are NUL-terminated UTF-8;
 *    optional ones are NULL when absent, never "".
 *  - Times are UTC seconds since the epoch; 0 means absent.
 *  - Range events keep the feed's order and its version text: order is
 *    applied only when a range is evaluated (match.h), because events are
 *    not guaranteed sorted (nscuro/versatile PR#358).
 *  - Ecosystems are spelt as OSV spells them, release suffix included
 *    ("Debian:12"); names as OSV spells them (Maven "group:artifact").
 *  - A parser that cannot map a record to this shape refuses the record,
 *    with a message naming the file and the record id; it never guesses.
 */
#ifndef VIGIL_VULN_ADVISORY_H
#define VIGIL_VULN_ADVISORY_H

#include "core/json.h"
#include "core/arena.h"

#include <stddef.h>
#include <stdint.h>

#define ADV_MAX_RECORD (16u << 20) /* bytes of one record */
#define ADV_MAX_LIST   100000      /* entries of any list in one record */
#define ADV_ARENA_MAX  (64u << 20) /* memory of one parsed record */

enum adv_event_kind { ADV_INTRODUCED, ADV_FIXED, ADV_LAST_AFFECTED, ADV_LIMIT };

struct adv_event {
	enum adv_event_kind kind;
	const char *version; /* "0" for introduced means "every version" */
};

enum adv_range_type { ADV_RANGE_ECOSYSTEM, ADV_RANGE_SEMVER, ADV_RANGE_GIT };

struct adv_range {
	enum adv_range_type type;
	const char *repo; /* GIT ranges */
	struct adv_event *events;
	size_t n_events;
};

struct adv_affected {
	const char *ecosystem; /* "PyPI", "Debian:12"; NULL when only purl/CPE */
	const char *name;      /* OSV spelling */
	const char *purl;      /* as given */
	struct adv_range *ranges;
	size_t n_ranges;
	const char **versions; /* explicit affected versions */
	size_t n_versions;
};

struct adv_severity {
	const char *type;  /* "CVSS_V3", "CVSS_V4", "Ubuntu", "cvss-v3.1 (NVD)", ... */
	const char *score; /* vector string or the source's score text */
};

struct adv_reference {
	const char *type; /* "ADVISORY", "FIX", "WEB", ... */
	const char *url;
};

struct advisory {
	const char *id;
	const char *source; /* "osv", "nvd", "csaf", ... */
	const char *file;   /* where it was read (messages, provenance) */
	/* hex SHA-256 of the record's bytes as read (an OSV JSON file, or one
	 * element of a JSON array), when the reader was asked for it
	 * (osv_read_path_known); NULL otherwise. Never part of the record. */
	const char *content_hash;
	const char **aliases;
	size_t n_aliases;
	const char **related;
	size_t n_related;
	const char *summary;
	const char *details;
	int64_t modified, published, withdrawn;
	struct adv_severity *severity;
	size_t n_severity;
	struct adv_affected *affected;
	size_t n_affected;
	struct adv_reference *refs;
	size_t n_refs;
	struct vg_arena arena;
};

/* An empty advisory whose arena is capped at ADV_ARENA_MAX. */
void advisory_init(struct advisory *a);
/* Free everything a owns; a is empty and reusable. */
void advisory_release(struct advisory *a);

/*
 * The advisory as OSV JSON (schema 1.6 field names; times RFC 3339),
 * database_specific.source added. New reference owned by the caller; NULL
 * when out of memory. This is the stored form and what osv_from_json()
 * reads back.
 */
json_t *advisory_to_json(const struct advisory *a);

/*
 * The same form as canonical text, byte for byte what
 * vg_json_canonical(advisory_to_json(a)) gives, written without building a
 * tree (the stored record_json of a bulk import). malloc'ed, owned by the
 * caller; NULL when out of memory or when a string is not valid UTF-8
 * (callers then take the tree's way, which decides what such a string
 * becomes).
 */
char *advisory_canonical_json(const struct advisory *a);

/* "PyPI" from "PyPI", "Debian" from "Debian:12" into out (cut to outsz). */
void advisory_eco_base(const char *eco, char *out, size_t outsz);

/*
 * Package name normalised for matching in ecosystem eco (base name):
 * PyPI PEP 503 (lowercase, runs of - _ . become one -), NuGet, Packagist,
 * Hex, crates.io, Pub and the distributions lowercase, npm, Maven, Go and
 * the rest byte for byte; the Go toolchain module "toolchain"/"go" becomes
 * "stdlib" (osv-scanner#1531). Written into out; returns 0, or -1 when it
 * does not fit.
 */
int advisory_norm_name(const char *eco, const char *name, char *out, size_t outsz);

/*
 * The order of preference among the ids of one vulnerability: < 0 when a
 * is preferred to b (a CVE id, the smaller year then number first; then a
 * GHSA id; then the smaller string), 0 when equal.
 */
int advisory_id_cmp(const char *a, const char *b);

/*
 * The canonical vulnerability id among id and aliases: the smallest CVE id
 * if any, else a GHSA id, else id itself. Borrowed from a.
 */
const char *advisory_canonical_id(const struct advisory *a);

/* Highest severity label of the advisory from its CVSS vectors or score
 * text: "critical", "high", "medium", "low", "none" or NULL when unknown;
 * *score (may be NULL) receives the base score or -1. */
const char *advisory_severity(const struct advisory *a, double *score);

#endif
