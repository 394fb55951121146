/*
 * export.h - the evidence bundle (issue 21 item 6): everything an authority
 * or a court may ask about a case, an incident or a time range, in one
 * signed .tar.zst (evidence/bundle.h) that `vigil evidence verify` checks
 * offline.
 *
 * The bundle is a list of parts, each one function that adds its files and
 * names the audit records it relies on (evidence_want_records()); the audit
 * part runs last and writes those records with their inclusion proofs
 * against the signed checkpoint made at the start of the export:
 *
 *   checkpoint.txt, vkey.txt      the signed checkpoint (C2SP) and its key
 *   scope.json                    what was asked and what it resolved to
 *   case/case.json, case/timeline.json
 *   art14/exposure-ID.json, art14/exposure-ID/STAGE-vN.json (drafts, filing)
 *   sbom/PRODUCT/VERSION/rN-FILENAME (originals) + revisions.json
 *   findings/PRODUCT/VERSION.json (findings with their state and decisions)
 *   logs/events-NNNN.jsonl        the log store's events (export_logs.c)
 *   audit/records.jsonl           one inclusion proof per line
 *                                 (audit_proof_to_json: record, leaf_hash, proof)
 *
 * Another room adds a part with evidence_add_part() at start (the log store
 * adds the logs of [x->since, x->until] for x->product / x->version).
 */
#ifndef VIGIL_EVIDENCE_EXPORT_H
#define VIGIL_EVIDENCE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "audit/checkpoint.h"
#include "audit/note.h"
#include "core/error.h"
#include "core/json.h"
#include "evidence/bundle.h"

struct store;
struct vg_error;

struct evidence_scope {
	int64_t case_id;     /* --case */
	int64_t incident_id; /* --incident: an Article 14 exposure */
	int64_t since, until;
	const char *product, *version;
};

/* The export under way, as the parts see it. */
struct evidence_export {
	struct store *s;
	const struct evidence_scope *scope;
	struct bundle_writer *w;
	struct audit_checkpoint cp; /* made at the start */
	/* the scope resolved: the case, the exposures, the product version and
	 * the time range every part covers */
	int64_t case_id;
	int64_t *exposures;
	size_t nexposures;
	char *product, *version;
	int64_t since, until;
	/* the audit records to prove (audit_log seq), any order, duplicates allowed */
	int64_t *seqs;
	size_t nseqs, capseqs;
	json_t *summary; /* part name -> what it added (scope.json) */
};

typedef int (*evidence_part_fn)(struct evidence_export *x, struct vg_error *err);
struct evidence_part {
	const char *name;
	evidence_part_fn fn;
};
/* Add a part (before the audit part, after the built-in ones); at most 16. */
int evidence_add_part(const struct evidence_part *p);

/* Helpers for parts: a JSON file (pretty, new line at the end; v stolen),
 * the audit records of an object (otype, oid) or of a time range. */
int evidence_add_json(struct evidence_export *x, const char *name, json_t *v,
		      struct vg_error *err) VG_MUST_CHECK;
int evidence_want_object(struct evidence_export *x, const char *otype, const char *oid,
			 struct vg_error *err) VG_MUST_CHECK;
int evidence_want_range(struct evidence_export *x, int64_t since, int64_t until,
			struct vg_error *err) VG_MUST_CHECK;
/* The audit records of an action ("logs.seal"; a trailing '*' is a prefix). */
int evidence_want_action(struct evidence_export *x, const char *action,
			 struct vg_error *err) VG_MUST_CHECK;

/* The logs part (export_logs.c): the log store's events of the scope's time
 * range, product and version as logs/events-NNNN.jsonl, and the logs.seal
 * records of the segments. Compiled to a part that adds nothing (and says
 * so in scope.json) when the tree has no evidence/logs.h. */
int evidence_part_logs(struct evidence_export *x, struct vg_error *err) VG_MUST_CHECK;

struct evidence_result {
	char sha256[65];
	int64_t checkpoint_size;
	size_t records;
	size_t files;
};

/* Export into path (written whole or not at all), signed by the checkpoint
 * signer (audit_signer_open()); audited as evidence.export. */
int evidence_export(struct store *s, const struct evidence_scope *scope, const char *path,
		    struct evidence_result *res, struct vg_error *err) VG_MUST_CHECK;

struct evidence_check {
	struct bundle_report bundle;
	int64_t checkpoint_size;
	size_t records;
};
/* Offline: the bundle (bundle_verify()), the checkpoint's signature by the
 * same keys, and every record's inclusion proof against it. VG_EAUDIT with
 * the first problem. */
int evidence_verify(const char *path, const struct note_verifier *keys, size_t nkeys,
		    struct evidence_check *out, struct vg_error *err) VG_MUST_CHECK;

/* `vigil evidence export|verify`. */
struct cli;
int cmd_evidence(struct cli *c, int argc, char **argv);

#endif
