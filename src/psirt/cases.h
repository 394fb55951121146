/*
 * cases.h - PSIRT cases: vulnerability reports received through the public
 * CVD portal, the API or by hand, their workflow, the 48-hour acknowledgement
 * clock, messages with the reporter, internal notes, links, embargo, credit.
 *
 * Workflow: received -> acknowledged -> triaged -> (accepted | rejected |
 * duplicate); accepted -> remediation -> disclosed -> closed; rejected and
 * duplicate -> closed. Other moves are refused with the allowed ones named.
 *
 * The acknowledgement is due received + 48 h (config psirt.ack_hours);
 * case.ack_warning (50, 75, 90 %, severity high) and case.ack_breached
 * (critical) are emitted once each while the case is unacknowledged, by the
 * deadline engine (jobs/deadline.h, clock "case.ack").
 *
 * A reporter gets a random tracking token once; only its SHA-256 is stored.
 * Everything the reporter sends is stored as given and must be HTML-escaped
 * when shown. Every write is audited on case:<id>.
 */
#ifndef VIGIL_PSIRT_CASES_H
#define VIGIL_PSIRT_CASES_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

#define CASE_REPORT_MAX  (256 * 1024) /* bytes of one report body */
#define CASE_TOKEN_BUFSZ 64
#define CASE_ACK_HOURS   48

/* A vulnerability report. Strings are borrowed (from the parsed body). */
struct case_report {
	const char *title; /* optional: derived from product and description */
	const char *product;
	const char *version;
	const char *description;
	const char *impact;
	const char *poc;
	const char *contact; /* optional: anonymous reports are allowed */
	int credit_consent;
	const char *credit_name;
	const char *encrypted; /* optional: an ASCII-armored OpenPGP message */
};

/* A file sent with a report (bytes borrowed from the request body). */
struct case_attachment {
	const char *filename;     /* as sent, at most 255 bytes; shown escaped */
	const char *content_type; /* as sent (informational only) */
	const void *data;
	size_t n;
};

#define CASE_ATTACHMENT_MAX   (10 * 1024 * 1024) /* psirt.attachment_max */
#define CASE_ATTACHMENTS_MAX  5                  /* psirt.attachments_max */
#define CASE_ATTACHMENTS_SIZE (25 * 1024 * 1024) /* psirt.attachments_total_max */

/* The limits in force (configuration, else the defaults above). */
size_t case_attachment_max(void);
int case_attachments_max(void);
size_t case_attachments_total_max(void);

/*
 * Parse a report body (JSON object: product, version, description, impact,
 * poc, contact, credit_consent, credit_name, title) of n bytes. Unknown
 * members, wrong types, over-long or non-text fields are refused with the
 * JSON pointer named. On success out points into *hold (caller json_decref).
 * Never crashes on hostile input (fuzzed).
 */
int case_report_parse(const char *data, size_t n, struct case_report *out, json_t **hold,
		      struct vg_error *err) VG_MUST_CHECK;
/* The same checks for a report from another source (the web form). */
int case_report_check(const struct case_report *r, const char *what,
		      struct vg_error *err) VG_MUST_CHECK;

/*
 * Open a case in state received. source: "api", "form" or "cli". remote (may
 * be NULL) is the sender's address: at most psirt.report_rate (default 10)
 * reports per address per hour, else VG_ERATE. The address itself is never
 * stored: only case_reporter_mac() of it (reporter_addr_mac), forgotten
 * psirt.reporter_addr_days (default 30) days after the report.
 * With token non-NULL a tracking token is written there (CASE_TOKEN_BUFSZ).
 */
int case_create(struct store *s, const struct case_report *r, const char *source,
		const char *remote, char *token, size_t tokensz, int64_t *id,
		struct vg_error *err) VG_MUST_CHECK;

/*
 * case_create with what the web form adds: attachments (natt of them, each
 * checked against the limits above: VG_ETOOBIG naming the file and the
 * limit, nothing stored) kept compressed in blobs by SHA-256, and the form's
 * nonce (NULL for none; a nonce already used is VG_EEXIST "this form was
 * already sent"). Everything happens in one transaction.
 */
int case_create_ex(struct store *s, const struct case_report *r, const char *source,
		   const char *remote, const struct case_attachment *att, int natt,
		   const char *form_nonce, char *token, size_t tokensz, int64_t *id,
		   struct vg_error *err) VG_MUST_CHECK;
/* The keyed hash kept of a reporter's address: hex HMAC-SHA256 under the
 * server's key for purpose "reporter-addr" (core/secret.h; the key file is
 * outside the database, so a copy of the database does not reveal the
 * address). VG_EINTERNAL, logged, when the key cannot be loaded. */
int case_reporter_mac(const char *remote, char out[65], struct vg_error *err) VG_MUST_CHECK;
#define CASE_REPORTER_ADDR_DAYS 30 /* psirt.reporter_addr_days */
/* Days an address hash is kept (the setting, else the default; 0..36500). */
int64_t case_reporter_addr_days(void);
/* Forget (set to NULL) the address hashes of reports older than days days
 * (0: older than the hour of the rate limit, which is always kept). The
 * hourly job case.forget_addresses runs it with case_reporter_addr_days();
 * `vigil case forget-addresses` on demand. The number forgotten goes to *n
 * (may be NULL). Audited as case.addresses_forgotten on case:*. */
int case_forget_addresses(struct store *s, int64_t days, int64_t *n,
			  struct vg_error *err) VG_MUST_CHECK;
/* 1 when a case was already created from the form with this nonce. */
int case_form_nonce_used(struct store *s, const char *nonce);

/* ---- the case as a typed object ---- */

/* A link of a case to a product, version, CVE, finding, advisory or release. */
struct psirt_case_link {
	char *kind, *value;
	int64_t created_at;
};

/* A message: kind "from_reporter", "to_reporter" (both seen by the reporter)
 * or "note" (internal, never shown to the reporter). */
struct psirt_case_message {
	char *kind, *author, *body;
	int64_t created_at;
};

/* A file the reporter sent (metadata; the bytes: case_attachment_get). */
struct psirt_case_file {
	int64_t n;
	char *filename, *content_type, *sha256;
	int64_t size, created_at;
};

/* An Article 14 exposure recorded on the case (details: art14_get). */
struct psirt_case_exposure {
	int64_t id;
	char *kind;
	int64_t aware_at;
};

/* A published release that fixes vulnerabilities the case is linked to: a
 * corrective measure is available (art14_release_published). */
struct psirt_case_fix {
	int64_t release_id;
	char *product, *version, *vulns; /* vulns: "CVE-1, CVE-2" */
	int64_t published_at, recorded_at;
};

/*
 * A PSIRT case. Strings are owned (NULL = not set); times are seconds UTC,
 * 0 = not (yet) happened. The members after `detailed` are filled by
 * case_get() and case_status_by_token() only. Release with
 * psirt_case_release().
 */
struct psirt_case {
	int64_t id;
	char *state, *title, *product, *product_version, *assignee, *source, *credit;
	char *severity; /* critical, high, medium, low; NULL: not set */
	int credit_consent;
	int64_t received_at, ack_due_at, acknowledged_at, embargo_until, closed_at, updated_at;

	int detailed;
	char *description, *impact, *poc, *reporter_contact, *encrypted_body;
	struct psirt_case_link *links;
	size_t nlinks;
	struct psirt_case_message *messages;
	size_t nmessages;
	struct psirt_case_exposure *exposures;
	size_t nexposures;
	struct psirt_case_file *files;
	size_t nfiles;
	struct psirt_case_fix *fixes; /* oldest first */
	size_t nfixes;
};

struct psirt_case_list {
	struct psirt_case *items;
	size_t n;
};

void psirt_case_release(struct psirt_case *c);
void psirt_case_list_release(struct psirt_case_list *l);

/* Every case (state NULL) or those in state, by id, without details. */
int case_list(struct store *s, const char *state, struct psirt_case_list *out,
	      struct vg_error *err) VG_MUST_CHECK;
/* One case with its details (report text, links, messages and notes,
 * exposures, files). VG_ENOTFOUND naming the case. */
int case_get(struct store *s, int64_t id, struct psirt_case *out,
	     struct vg_error *err) VG_MUST_CHECK;
/* The files of case id (*out and *n owned by the caller:
 * psirt_case_files_free). */
int case_files(struct store *s, int64_t id, struct psirt_case_file **out, size_t *n,
	       struct vg_error *err) VG_MUST_CHECK;
void psirt_case_files_free(struct psirt_case_file *f, size_t n);

/*
 * The JSON edges (API and CLI --json; keys are the API's). A case without
 * details: {id, state, title, product, product_version, assignee, severity, source,
 * received_at, ack_due_at, acknowledged_at, embargo_until_at, credit,
 * credit_consent, closed_at, updated_at}; with details also description,
 * impact, poc, reporter_contact, encrypted_body, links, messages, exposures,
 * attachments, corrective_measures [{release_id, product, version, fixes,
 * published_at}]. New references.
 */
json_t *psirt_case_to_json(const struct psirt_case *c);
json_t *psirt_case_list_to_json(const struct psirt_case_list *l);
/* [{n, filename, content_type, size, sha256, created_at}] */
json_t *psirt_case_files_to_json(const struct psirt_case_file *f, size_t n);
/* The reporter's view (from case_status_by_token): {id, state, title,
 * product, product_version, received_at, ack_due_at, acknowledged_at,
 * closed_at, description, messages [{sender: "you"|"psirt", body,
 * created_at}], attachments [{filename, size, created_at}]}. */
json_t *psirt_case_status_to_json(const struct psirt_case *c);
/*
 * Attachment n of case id: its bytes (malloc'ed, caller frees *data), size,
 * and file name into filename (may be NULL). The SHA-256 is checked
 * (VG_EIO when the stored copy is damaged); the read is audited
 * (case.read_attachment). VG_ENOTFOUND naming case and number.
 */
int case_attachment_get(struct store *s, int64_t id, int64_t n, char **data, size_t *size,
			char *filename, size_t filenamesz, struct vg_error *err) VG_MUST_CHECK;

/* The reporter's view by token: the case with its report text, the
 * messages to and from them (never internal notes) and their files; links
 * and exposures stay empty. VG_ENOTFOUND for an unknown token. Release *out with
 * psirt_case_release(). */
int case_status_by_token(struct store *s, const char *token, struct psirt_case *out,
			 struct vg_error *err) VG_MUST_CHECK;
/* A message from the reporter (by token): at most psirt.message_rate
 * (default 20) per case per hour, else VG_ERATE. */
int case_reporter_message(struct store *s, const char *token, const char *body,
			  struct vg_error *err) VG_MUST_CHECK;

/* The states a case in `from` may move to (NULL-terminated; empty for
 * closed), or NULL for an unknown state. */
const char *const *case_next_states(const char *from);
/* Move a case to state `to`; refused with the allowed states otherwise. */
int case_transition(struct store *s, int64_t id, const char *to, const char *note,
		    struct vg_error *err) VG_MUST_CHECK;
/* Assign to one of the people who may act (psirt_people(): enabled users with
 * the role psirt or admin); anyone else is refused (VG_EINVAL naming them). */
int case_assign(struct store *s, int64_t id, const char *who, struct vg_error *err) VG_MUST_CHECK;
/* kind: "note" (internal) or "to_reporter". */
int case_message(struct store *s, int64_t id, const char *kind, const char *body,
		 struct vg_error *err) VG_MUST_CHECK;
/* kind: "product", "version", "cve", "ghsa", "finding", "advisory",
 * "release". A cve or ghsa value must have that id's syntax; a finding must
 * exist. Audited case.link. */
int case_link(struct store *s, int64_t id, const char *kind, const char *value,
	      struct vg_error *err) VG_MUST_CHECK;
/* Remove a link (VG_ENOTFOUND when there is none). Audited case.unlink. */
int case_unlink(struct store *s, int64_t id, const char *kind, const char *value,
		struct vg_error *err) VG_MUST_CHECK;
/* "cve" for CVE-YYYY-NNNN(N...), "ghsa" for GHSA-xxxx-xxxx-xxxx, else NULL. */
const char *case_vuln_kind(const char *id);

#define CASE_OPEN_MAX_FINDINGS 500
/* A case the PSIRT opens itself (a "New case" or from findings). Strings
 * borrowed; NULL or "" = not given. */
struct case_open {
	const char *title, *product, *version, *severity, *description, *assignee;
	const int64_t *findings; /* finding ids */
	size_t nfindings;
	const char *const *vulns; /* CVE or GHSA ids */
	size_t nvulns;
};
/*
 * Open a case in state acknowledged (the PSIRT knows it: no acknowledgement
 * clock) in one transaction audited case.opened, with a case.link for each
 * finding, the vulnerability of each finding and each named id. From
 * findings, product and version default to the first finding's, the severity
 * to the highest of theirs, the title to "VULN in PRODUCT VERSION" and the
 * description lists them (the given one is appended). Otherwise title,
 * product and description are required. severity: critical, high, medium or
 * low; assignee: one of psirt_people(). Errors name the field (VG_EINVAL) or
 * the finding that does not exist (VG_ENOTFOUND). source: "ui", "cli", "api".
 */
int case_open(struct store *s, const struct case_open *in, const char *source, int64_t *id,
	      struct vg_error *err) VG_MUST_CHECK;
/* Set the embargo end (0 = none) and/or the credit line (NULL = unchanged). */
int case_set(struct store *s, int64_t id, int64_t embargo_until, int set_embargo,
	     const char *credit, struct vg_error *err) VG_MUST_CHECK;

/* Mark a case actively exploited: opens an Art. 14 exposure on it. */
int case_exploited(struct store *s, int64_t id, int64_t aware_at, const char *evidence,
		   const char *member_states, int64_t *exposure,
		   struct vg_error *err) VG_MUST_CHECK;

/* Check the acknowledgement clocks at vg_now(); send due alerts once. */
int case_tick(struct store *s, int *sent, struct vg_error *err) VG_MUST_CHECK;

/* `vigil case` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_case(struct cli *c, int argc, char **argv);

#endif
