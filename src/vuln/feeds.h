/*
 * feeds.h - NVD CVE API 2.0 and CSAF 2.0 feeds into the advisory model and
 * the vulnerability database (vulndb.h), and `feed sync` over HTTP.
 *
 * Rules:
 *  - NVD: one advisory per CVE (source "nvd", id the CVE id, so OSV and
 *    GHSA records naming the CVE join it). modified = lastModified (NVD
 *    omits the zone and means UTC); vulnStatus "Rejected" withdraws it and
 *    retracts its findings. Severity from the CVSS metrics: the Primary
 *    ones (NVD's own) of every CVSS version, or the CNA's Secondary ones
 *    when no Primary is given. The cve object is kept beside the OSV form
 *    so that CPE-only components are matched against its configurations.
 *  - CSAF: one advisory per document vulnerability (source "csaf", id
 *    "<tracking id>/<CVE>" or "<tracking id>/vulnerability-<n>"), aliases
 *    the CVE and the ids of its ids[] list that are OSV-style ids (CVE-,
 *    GHSA-, ...); never the tracking id, which would join the document's
 *    distinct CVEs into one. modified = tracking.current_release_date.
 *    Products listed first_affected, known_affected or last_affected that
 *    resolve (through relationships) to a purl with a version become
 *    affected entries matching exactly that version; a product also listed
 *    fixed or known_not_affected for the same vulnerability is left out
 *    (the document contradicts itself: no finding is the claim it also
 *    makes). Products with only a CPE, or a purl without version, are not
 *    matched (counted, never guessed).
 *  - A folder is read recursively in name order (only *.json). A file that
 *    is not a document of the kind is skipped with a message naming it; a
 *    record the parser refuses is skipped with file and record id.
 */
#ifndef VIGIL_VULN_FEEDS_H
#define VIGIL_VULN_FEEDS_H

#include "core/error.h"

#include "vuln/vulndb.h"

#include <stddef.h>

struct store;
struct vg_error;

typedef void (*feeds_skip_fn)(void *arg, const char *msg);

/* Import NVD JSON (pages, wrapped items or bare cve objects) under path. */
int feeds_import_nvd(struct store *s, const char *path, feeds_skip_fn skip, void *arg,
		     struct vulndb_stats *st, struct vg_error *err) VG_MUST_CHECK;

/* Import CSAF 2.0 documents under path. */
int feeds_import_csaf(struct store *s, const char *path, feeds_skip_fn skip, void *arg,
		      struct vulndb_stats *st, struct vg_error *err) VG_MUST_CHECK;

/* The same from n bytes of one document named name (for feed sync). */
int feeds_import_nvd_buffer(struct vulndb_import *im, const char *data, size_t n, const char *name,
			    feeds_skip_fn skip, void *arg, int64_t *max_mod,
			    struct vg_error *err) VG_MUST_CHECK;
int feeds_import_csaf_buffer(struct vulndb_import *im, const char *data, size_t n, const char *name,
			     feeds_skip_fn skip, void *arg, struct vg_error *err) VG_MUST_CHECK;

/*
 * `vigil feed sync`: for each configured URL (feeds.osv_url, feeds.nvd_url,
 * feeds.kev_url, feeds.csaf_url; each may list several URLs separated by
 * blanks) fetch with libcurl and import. Incremental: the ETag and
 * Last-Modified of the last answer are sent back (If-None-Match,
 * If-Modified-Since; a 304 imports nothing), and NVD URLs get
 * lastModStartDate/lastModEndDate from the newest lastModified seen (OSV
 * URLs a modified= parameter likewise) once a first sync is done. Bookkeeping
 * in the feed_sync table. Counts are added to *st; *fetched (may be NULL)
 * receives the number of URLs whose body was imported.
 */
int feeds_sync(struct store *s, feeds_skip_fn skip, void *arg, struct vulndb_stats *st,
	       long *fetched, long *not_modified, struct vg_error *err) VG_MUST_CHECK;

/*
 * The feed status page and "sync now" (feed_status.c).
 *
 * A person asks for a sync (feeds_request_sync(): audited
 * "feed.sync_requested"; VG_ESTATE when one is waiting already); the
 * leader's job "feeds.sync" (vuln_jobs, every scheduler tick) claims it,
 * runs feeds_sync() outside any request and records the result
 * ("feed.sync_started", "feed.sync_finished"). With feeds.sync_interval
 * seconds set (0, the default: off) the job also syncs that often.
 */
struct feed_url {
	char kind[8];        /* osv, nvd, csaf, kev */
	char *url;           /* redacted (vg_redact_url) */
	int64_t synced_at;   /* the last sync that got an answer; 0: never */
	int64_t http_status; /* of that answer (200, 304); 0: never */
	int64_t records;     /* advisories (KEV: entries) of this kind; -1: unknown */
	char *error;         /* the last run's message about this kind, or NULL */
};

struct feed_run {
	int64_t requested_at; /* 0: never asked */
	char *requested_by;   /* a user, or "schedule" */
	int64_t started_at, finished_at;
	int ok;        /* the last finished run succeeded */
	char *message; /* its error, or NULL */
	int64_t fetched, not_modified, imported, updated;
	char *messages_json; /* JSON array of the feeds skipped or failed */
};
/* Asked and not yet started / started and not yet finished. */
#define FEED_RUN_PENDING(r) ((r)->requested_at && (r)->requested_at > (r)->started_at)
#define FEED_RUN_RUNNING(r) \
	((r)->started_at && (r)->finished_at < (r)->started_at && !FEED_RUN_PENDING(r))

struct feed_status {
	struct feed_url *feeds; /* every configured URL, in the order osv, nvd, csaf, kev */
	size_t n;
	struct feed_run run;
	int64_t interval; /* feeds.sync_interval; 0: only when asked */
	int64_t next_at;  /* the next scheduled sync; 0: none */
};

/* The status of every configured feed and of the last run into *out
 * (release with feed_status_release(), whatever the result). */
int feed_status_get(struct store *s, struct feed_status *out, struct vg_error *err) VG_MUST_CHECK;
void feed_status_release(struct feed_status *st);
/* Ask the job for a sync now, as the store's actor (audited). */
int feeds_request_sync(struct store *s, struct vg_error *err) VG_MUST_CHECK;

#endif
