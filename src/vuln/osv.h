/*
 * osv.h - OSV records (ossf/osv-schema 1.x) into the advisory model: one
 * JSON record, YAML records (converted to the same JSON shape first), and
 * whole feeds: a file, a folder of files, or an OSV zip dump.
 *
 * Rules:
 *  - A record that breaks the schema where matching depends on it (no id,
 *    no modified time, a range without events, an event with no version,
 *    an unknown range type or event kind) is refused with a message naming
 *    the file, the record id and the JSON pointer. The rest of the feed
 *    goes on: osv_read_path() reports the skip and counts it.
 *  - Unknown members are ignored (the schema is open); database_specific
 *    never changes how a range is evaluated (OSV spec), but a textual
 *    database_specific.severity ("HIGH", "MODERATE") is kept as severity.
 *  - Input is bounded: ADV_MAX_RECORD bytes per record (also per zip
 *    entry), ADV_MAX_LIST entries per list, JSON depth VG_JSON_MAX_DEPTH,
 *    YAML depth OSV_YAML_MAX_DEPTH and no YAML aliases.
 */
#ifndef VIGIL_VULN_OSV_H
#define VIGIL_VULN_OSV_H

#include "core/error.h"

#include "core/json.h"
#include "vuln/advisory.h"

#include <stddef.h>
#include <stdint.h>

struct vg_error;

#define OSV_YAML_MAX_DEPTH 64

/*
 * Read one OSV record (a JSON object) into out (advisory_init()ed by the
 * caller; its arena receives every string). file names the input in
 * messages. On failure returns VG_EPARSE / VG_ETOOBIG / VG_ENOMEM with err
 * set ("<file>: <id>: <pointer>: ..."); out is then to be released.
 */
int osv_from_json(const json_t *rec, const char *file, struct advisory *out,
		  struct vg_error *err) VG_MUST_CHECK;

/*
 * Convert a YAML document (n bytes) to JSON: mappings to objects,
 * sequences to arrays, scalars to strings (plain null/~/empty to null,
 * plain true/false to booleans). *out is owned by the caller. VG_EPARSE
 * names the file, line and column.
 */
int osv_yaml_to_json(const char *data, size_t n, const char *file, json_t **out,
		     struct vg_error *err) VG_MUST_CHECK;

/*
 * Called for each record read. Return VG_OK to go on; any other code stops
 * the reading and is returned by osv_read_path(). a is valid only during the
 * call (the callee copies what it keeps).
 */
typedef int (*osv_record_fn)(void *arg, const struct advisory *a, struct vg_error *err);
/* Called with a message for each record or file skipped. */
typedef void (*osv_skip_fn)(void *arg, const char *msg);

struct osv_read_stats {
	long files;   /* files (or zip entries) read */
	long records; /* records handed to the callback */
	long skipped; /* records or files refused */
	long known;   /* records left unparsed: their bytes are stored already */
	/* microseconds spent reading (folders, files, zip entries, content
	 * hashes), parsing (JSON or YAML into a tree) and validating (the tree
	 * into struct advisory: osv_from_json) */
	int64_t us_read, us_parse, us_validate;
};

/*
 * Read every OSV record under path: a .json or .yaml/.yml file (one record,
 * or a JSON array of records), a folder (recursively, in name order, only
 * those extensions), or a .zip dump (every .json/.yaml entry). stats (may be
 * NULL) is added to. Fails with VG_EIO when path cannot be read at all, or
 * with what fn returned.
 */
int osv_read_path(const char *path, osv_record_fn fn, osv_skip_fn skip, void *arg,
		  struct osv_read_stats *stats, struct vg_error *err) VG_MUST_CHECK;

/*
 * Re-imports skip what they hold already: with osv_read_path_known(), the
 * bytes of each JSON record (the whole file when it holds one record, each
 * element's text when it holds an array) are hashed (SHA-256) before
 * anything is parsed, and ask() is asked whether a stored record has that
 * hash. A known record is never parsed: skipped() is told instead of fn, and
 * it is counted in stats->known. An array whose elements are all known is not
 * parsed at all; one with new elements is parsed as usual and only those are
 * handed on, each with its hash in advisory.content_hash. YAML records are
 * never hashed. ask and skipped return VG_OK or an error that stops the
 * reading.
 */
struct osv_known {
	int (*ask)(void *arg, const uint8_t sha256[32], int *known, struct vg_error *err);
	int (*skipped)(void *arg, struct vg_error *err);
};
int osv_read_path_known(const char *path, osv_record_fn fn, osv_skip_fn skip,
			const struct osv_known *known, void *arg, struct osv_read_stats *stats,
			struct vg_error *err) VG_MUST_CHECK;

/*
 * The readers' fast way (osv_scan.c): n bytes of JSON, one record or an
 * array of records, read with the pull scanner straight into advisories,
 * without a tree. 1 with *out holding *nout advisories (free them with
 * osv_scan_free()) when the document is one the tree's way (vg_json_parse,
 * osv_from_json) reads without a complaint, the same advisories; 0 (nothing
 * out) for anything else, which the caller then reads the tree's way to say
 * what is wrong. file names the records (advisory.file).
 */
int osv_scan(const char *data, size_t n, const char *file, struct advisory **out, size_t *nout);
void osv_scan_free(struct advisory *v, size_t n);

/* Parse one file's bytes (JSON or YAML by name) and hand each record on. */
int osv_read_buffer(const char *data, size_t n, const char *name, osv_record_fn fn,
		    osv_skip_fn skip, void *arg, struct osv_read_stats *stats,
		    struct vg_error *err) VG_MUST_CHECK;

#endif
