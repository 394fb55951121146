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

/* Parse one file's bytes (JSON or YAML by name) and hand each record on. */
int osv_read_buffer(const char *data, size_t n, const char *name, osv_record_fn fn,
		    osv_skip_fn skip, void *arg, struct osv_read_stats *stats,
		    struct vg_error *err) VG_MUST_CHECK;

#endif
