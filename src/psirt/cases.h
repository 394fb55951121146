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
		      struct vg_error *err);
/* The same checks for a report from another source (the web form). */
int case_report_check(const struct case_report *r, const char *what, struct vg_error *err);

/*
 * Open a case in state received. source: "api", "form" or "cli". remote (may
 * be NULL) is the sender's address: at most psirt.report_rate (default 10)
 * reports per address per hour, else VG_ERATE; only its hash is stored.
 * With token non-NULL a tracking token is written there (CASE_TOKEN_BUFSZ).
 */
int case_create(struct store *s, const struct case_report *r, const char *source,
		const char *remote, char *token, size_t tokensz, int64_t *id, struct vg_error *err);

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
		   struct vg_error *err);
/* 1 when a case was already created from the form with this nonce. */
int case_form_nonce_used(struct store *s, const char *nonce);

/* The attachments of a case: [{n, filename, content_type, size, sha256,
 * created_at}] (caller owns *out). */
int case_attachments_json(struct store *s, int64_t id, json_t **out, struct vg_error *err);
/*
 * Attachment n of case id: its bytes (malloc'ed, caller frees *data), size,
 * and file name into filename (may be NULL). The SHA-256 is checked
 * (VG_EIO when the stored copy is damaged); the read is audited
 * (case.read_attachment). VG_ENOTFOUND naming case and number.
 */
int case_attachment_get(struct store *s, int64_t id, int64_t n, char **data, size_t *size,
			char *filename, size_t filenamesz, struct vg_error *err);

/* The reporter's view by token: state, times, messages to and from them
 * (never internal notes), attachments. VG_ENOTFOUND for an unknown token. */
int case_status_by_token(struct store *s, const char *token, json_t **out, struct vg_error *err);
/* A message from the reporter (by token): at most psirt.message_rate
 * (default 20) per case per hour, else VG_ERATE. */
int case_reporter_message(struct store *s, const char *token, const char *body,
			  struct vg_error *err);

/* The states a case in `from` may move to (NULL-terminated; empty for
 * closed), or NULL for an unknown state. */
const char *const *case_next_states(const char *from);
/* Move a case to state `to`; refused with the allowed states otherwise. */
int case_transition(struct store *s, int64_t id, const char *to, const char *note,
		    struct vg_error *err);
int case_assign(struct store *s, int64_t id, const char *who, struct vg_error *err);
/* kind: "note" (internal) or "to_reporter". */
int case_message(struct store *s, int64_t id, const char *kind, const char *body,
		 struct vg_error *err);
/* kind: "product", "version", "cve", "finding", "advisory", "release". */
int case_link(struct store *s, int64_t id, const char *kind, const char *value,
	      struct vg_error *err);
/* Set the embargo end (0 = none) and/or the credit line (NULL = unchanged). */
int case_set(struct store *s, int64_t id, int64_t embargo_until, int set_embargo,
	     const char *credit, struct vg_error *err);

int case_list_json(struct store *s, const char *state, json_t **out, struct vg_error *err);
int case_show_json(struct store *s, int64_t id, json_t **out, struct vg_error *err);

/* Mark a case actively exploited: opens an Art. 14 exposure on it. */
int case_exploited(struct store *s, int64_t id, int64_t aware_at, const char *evidence,
		   const char *member_states, int64_t *exposure, struct vg_error *err);

/* Check the acknowledgement clocks at vg_now(); send due alerts once. */
int case_tick(struct store *s, int *sent, struct vg_error *err);

#endif
