/*
 * logs.h - the log store of the evidence room (issue 21, items 1-4): events
 * from syslog senders, JSON lines over HTTP and vigil itself, kept ten years
 * in append-only segments of zstd-compressed blocks and found again by time,
 * product, version and source.
 *
 * How it is kept (docs/logs.md):
 *  - Ingest writes each batch as compressed blocks (one per source, product
 *    and version of the batch) into table log_blocks in one commit: an event
 *    acknowledged (2xx, logs_ingest() returned VG_OK) is on disk.
 *  - Sealing (logs_seal(), by size and age or `vigil logs seal`) packs a
 *    source's open blocks into one segment: its events sorted by product,
 *    version and time, blocks of up to LOGS_BLOCK_RAW bytes compressed with
 *    a dictionary trained on them when it helps, kept through the artifact
 *    store of the update room (a directory or the database, settings
 *    update.artifact_store / update.artifact_dir), its SHA-256 entered in
 *    the audit trail (action logs.seal). The blocks keep their index rows
 *    (time range, product, version, source, offset in the segment).
 *  - logs_verify() hashes every sealed segment again and compares it with
 *    the audit record.
 *
 * Rules: functions return a VG_* code and fill err; lookups that find
 * nothing are not errors (an empty result). Strings in a struct log_event
 * are borrowed for the duration of a call. JSON only at the edges
 * (logs_event_to_json(), logs_stats_to_json()).
 */
#ifndef VIGIL_EVIDENCE_LOGS_H
#define VIGIL_EVIDENCE_LOGS_H

#include "core/error.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;
struct vg_buf;
struct cli;

#define LOGS_FIELD_MAX   256          /* bytes of source, product, version, host */
#define LOGS_MESSAGE_MAX (64 * 1024)  /* bytes of a message (and of a JSON line) */
#define LOGS_BLOCK_RAW   (256 * 1024) /* raw bytes of a sealed block, at most */
/* Raw bytes one seal takes into a segment, about (a larger backlog becomes
 * several segments, one after the other): what bounds the seal's memory,
 * about four times this at its peak. */
#define LOGS_SEGMENT_RAW         (8 * 1024 * 1024)
#define LOGS_RETENTION_MIN_YEARS 10 /* the technical-file minimum (Art. 13(13)) */

/* One event. time is the sender's (seconds since the epoch, UTC), received
 * the time vigil took it. product and version are "" when unknown; fields
 * is the other fields of a JSON line as compact JSON object text, or NULL. */
struct log_event {
	int64_t time;
	int64_t received;
	const char *source;
	const char *product;
	const char *version;
	const char *host;
	const char *message;
	const char *fields;
};

/* json: {time, received (RFC 3339), source, product, version, host,
 * message, fields (object, omitted when none)}; new reference. */
json_t *logs_event_to_json(const struct log_event *ev);
/* One line of `--format syslog`: RFC 5424 with the structured data
 * [vigil@32473 product="P" version="V"], appended to b. */
int logs_event_to_syslog(struct vg_buf *b, const struct log_event *ev);

/* ---- ingest ---- */

/*
 * Store n events as one commit. Events without a product get one from the
 * mapping rules of their source (logs_map_*). Every string is checked
 * (UTF-8, lengths above, no control characters but tab and, in a message,
 * newline): VG_EINVAL naming the event (its index + 1 as "event N") and the
 * field, with nothing stored. VG_ERATE when the store is busy (the caller
 * answers 503 / stops reading): nothing stored either.
 */
int logs_ingest(struct store *s, const struct log_event *ev, size_t n,
		struct vg_error *err) VG_MUST_CHECK;
/* logs_ingest(), and also(s, arg, err) in the same transaction (both or
 * nothing); with n == 0 only also() runs. */
int logs_ingest_with(struct store *s, const struct log_event *ev, size_t n,
		     int (*also)(struct store *s, void *arg, struct vg_error *err), void *arg,
		     struct vg_error *err) VG_MUST_CHECK;

/* ---- query ---- */

/* A filter: NULL or "" means any; since/until are inclusive (0: open). */
struct logs_filter {
	int64_t since;
	int64_t until;
	const char *product;
	const char *version;
	const char *source;
	const char *grep; /* a substring of the message (bytes, case as given) */
	int64_t limit;    /* events to return (0: LOGS_QUERY_LIMIT) */
	int64_t offset;   /* matching events to skip first (paging) */
};
#define LOGS_QUERY_LIMIT     1000
#define LOGS_QUERY_LIMIT_MAX 100000

/* What a query did: blocks the index named (and that were read), events
 * decoded from them, events that matched (counted up to where the query
 * could stop). */
struct logs_query_stats {
	int64_t blocks_read;
	int64_t events_scanned;
	int64_t matched;
};

/* Called once per matching event in time order (then by arrival); ev and its
 * strings are valid during the call. Return non-zero to stop. */
typedef int (*logs_event_fn)(const struct log_event *ev, void *arg);

/*
 * The events matching f, in time order, after f->offset of them, at most
 * f->limit, to fn. Only the blocks whose index row (source, product,
 * version, time range) can match are read. stats may be NULL. VG_EINVAL
 * for a bad filter (until before since, limit out of range); VG_EIO
 * naming the segment when one cannot be read.
 */
int logs_query(struct store *s, const struct logs_filter *f, logs_event_fn fn, void *arg,
	       struct logs_query_stats *stats, struct vg_error *err) VG_MUST_CHECK;

/* Counts of matching events in n equal buckets from f->since to f->until
 * (both required) into counts[0..n-1] (limit and offset ignored). */
int logs_histogram(struct store *s, const struct logs_filter *f, size_t n, int64_t *counts,
		   struct logs_query_stats *stats, struct vg_error *err) VG_MUST_CHECK;

/* ---- sealing, verification, statistics ---- */

struct logs_seal_result {
	int64_t segments; /* sealed by this call */
	int64_t events;
	int64_t bytes;
};
/* Seal the open blocks of every source: all of them (force), or those of
 * sources whose open blocks pass the settings logs.seal_bytes (default
 * 64 MiB raw) or logs.seal_age (default 1h, a duration). One audited
 * transaction per segment. */
int logs_seal(struct store *s, int force, struct logs_seal_result *out,
	      struct vg_error *err) VG_MUST_CHECK;

/* Check every sealed segment, oldest first: VG_OK when each is present and
 * hashes to the SHA-256 of its logs.seal audit record; else VG_EIO naming
 * the first segment missing or changed (*checked: segments checked). */
int logs_verify(struct store *s, int64_t *checked, struct vg_error *err) VG_MUST_CHECK;

struct logs_source_stats {
	char source[LOGS_FIELD_MAX];
	int64_t events;
	int64_t bytes;
	int64_t oldest, newest;
	int64_t retention_years;
};
struct logs_stats {
	int64_t events, events_open; /* all, and in open blocks */
	int64_t bytes;               /* stored: sealed segments and open blocks */
	int64_t raw_bytes;           /* of the events as encoded before compression */
	int64_t segments, segments_expired, blocks, blocks_open;
	int64_t oldest, newest; /* 0 when empty */
	struct logs_source_stats *sources;
	size_t nsources;
};
int logs_stats(struct store *s, struct logs_stats *out, struct vg_error *err) VG_MUST_CHECK;
void logs_stats_release(struct logs_stats *st);
json_t *logs_stats_to_json(const struct logs_stats *st);

/* ---- mapping rules (product and version for events that lack them) ---- */

struct logs_map {
	int64_t id;
	char source[LOGS_FIELD_MAX];
	char field[64];  /* a field of the event ("path", "host", "message") */
	char match[512]; /* a glob (`*`, `?`) over the whole field value */
	char product[LOGS_FIELD_MAX];
	char version[LOGS_FIELD_MAX];
};
/* match is "FIELD=GLOB". Audited (logs.map.add). *id may be NULL. */
int logs_map_add(struct store *s, const char *source, const char *match, const char *product,
		 const char *version, int64_t *id, struct vg_error *err) VG_MUST_CHECK;
int logs_map_remove(struct store *s, int64_t id, struct vg_error *err) VG_MUST_CHECK;
/* Every rule (*out malloc'ed, caller frees). */
int logs_map_list(struct store *s, struct logs_map **out, size_t *n,
		  struct vg_error *err) VG_MUST_CHECK;
json_t *logs_map_to_json(const struct logs_map *m);

/* ---- retention and legal holds ---- */

/* The retention of source in years (setting logs.retention_years, default
 * 10, or the source's own). Setting fewer than LOGS_RETENTION_MIN_YEARS
 * needs override_reason (audited as logs.retention.override). */
int logs_retention_set(struct store *s, const char *source, int64_t years,
		       const char *override_reason, struct vg_error *err) VG_MUST_CHECK;

struct logs_hold {
	int64_t id;
	int64_t since, until; /* 0: open */
	char product[LOGS_FIELD_MAX];
	char case_ref[64];
	char reason[512];
	int64_t created_at;
	char created_by[128];
	int64_t released_at;
};
int logs_hold_add(struct store *s, const struct logs_hold *h, int64_t *id,
		  struct vg_error *err) VG_MUST_CHECK;
int logs_hold_release(struct store *s, int64_t id, struct vg_error *err) VG_MUST_CHECK;
int logs_hold_list(struct store *s, int all, struct logs_hold **out, size_t *n,
		   struct vg_error *err) VG_MUST_CHECK;
json_t *logs_hold_to_json(const struct logs_hold *h);

/* Delete the whole sealed segments whose newest event is past its source's
 * retention at vg_now() and that no active hold covers (by time range and
 * product); each deletion is audited (logs.segment.expire, naming the
 * segment, its hash, events and time range). *deleted may be NULL. */
int logs_expire(struct store *s, int64_t *deleted, struct vg_error *err) VG_MUST_CHECK;

/* ---- vigil's own events (core/events) ---- */

/* Subscribe to every in-process event and keep it under source "vigil"
 * (batched: written by logs_own_flush(), run by the job logs.flush). */
void logs_init(void);
int logs_own_flush(struct store *s, struct vg_error *err) VG_MUST_CHECK;
/* Copy the audit records not copied yet (sign-ins, gate decisions, releases,
 * every audited change) into the store under source "vigil", oldest first,
 * 1000 a commit with the mark of the last copied record in the same commit,
 * so that none is lost or copied twice. The log store's own records
 * (logs.*) are passed over. Message "ACTION TYPE:ID by ACTOR"; product and
 * version from the record's after (or before) state; fields audit_seq,
 * actor, remote, action. Run by the leader's job logs.audit and by
 * `vigil logs audit-copy`. *copied may be NULL. */
int logs_audit_copy(struct store *s, int64_t *copied, struct vg_error *err) VG_MUST_CHECK;

/* ---- the edges (listed by src/app/tables.c) ---- */

/* `vigil logs ...` (cmd_logs.c). */
int cmd_logs(struct cli *c, int argc, char **argv);
/* Tables of the server: logs_routes (POST/GET /api/v1/logs, /ui/logs;
 * log_api.c, ui_logs.c), logs_jobs (logs.seal: by size and age,
 * logs.expire: retention; leader), logs_jobs_every_server (logs.flush:
 * vigil's own events). */

/* The syslog listeners beside the server (log_syslog.c): TCP on setting
 * logs.syslog_listen (`vigil serve --syslog-listen ADDR:PORT`) and TLS on
 * logs.syslog_tls_listen with logs.syslog_tls_cert / logs.syslog_tls_key.
 * Neither set: nothing is started. */
int logs_syslog_start(const char *db_url, struct vg_error *err) VG_MUST_CHECK;
void logs_syslog_stop(void);
#endif
