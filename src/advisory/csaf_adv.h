/*
 * csaf_adv.h - CSAF 2.0 security advisories drafted from PSIRT cases (issue
 * 22 items 1, 2 and 4): drafting, edits, review, publication, withdrawal.
 *
 * Rules:
 *  - One advisory per tracking id (ADVISORY_PREFIX-YYYY-NNNN; the prefix is
 *    the setting advisory.id_prefix), drafted from one case. Every
 *    revision of its document is kept (advisory_revisions, never deleted):
 *    kind "draft" (built from what vigil knows), "edit", "publish",
 *    "withdraw".
 *  - document/tracking is vigil's: id, version, status, the initial and
 *    current release dates, revision_history and generator are written by
 *    vigil on every revision; edits of /document/tracking are refused.
 *    Before the first publication the document is status "draft",
 *    version "0"; publishing makes it version N+1 (status final, or
 *    interim when asked) with a revision history entry.
 *  - An edit is refused (VG_EINVAL, nothing stored) when the edited
 *    document has a schema or mandatory-test failure (csaf_check.h) that
 *    the revision before did not have: the message names the JSON path and
 *    the test number.
 *  - Approval: the latest revision, by one person; with four-eyes review in
 *    force (the setting art14.four_eyes, the same as for Article 14
 *    drafts) not by its author. A new revision needs a new approval.
 *  - Publication: only an approved advisory whose case is not under
 *    embargo and whose final document passes csaf_check_passes(); the
 *    document, provider_put(), the case's user notice (Art. 14(8)) and the
 *    audit records (advisory.publish on advisory:<id>, case.advisory_published
 *    on case:<case>) are one transaction.
 *  - Withdrawal publishes a new version with a note saying why; the
 *    advisory stays published (state withdrawn).
 */
#ifndef VIGIL_ADVISORY_CSAF_ADV_H
#define VIGIL_ADVISORY_CSAF_ADV_H

#include "core/error.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;
struct csaf_check_result;

/* One revision (metadata; the document is read with advisory_get). */
struct advisory_revision {
	int64_t n;
	char *kind, *summary, *sha256, *created_by;
	int64_t created_at;
};

/*
 * An advisory. Strings are owned (release with csaf_adv_release()). doc is
 * the latest revision's document, published_doc the last published one
 * (NULL before the first publication), notice the user notice published
 * with it (NULL: none). The members after `detailed` are filled by
 * advisory_get() only.
 */
struct csaf_adv {
	int64_t id, case_id;
	char *tracking_id, *title, *state, *tlp;
	int64_t revision, csaf_version, initial_release_at, current_release_at;
	int64_t created_at, updated_at;
	char *created_by;

	int detailed;
	char *doc, *published_doc, *notice;
	struct advisory_revision *revs; /* oldest first */
	size_t nrevs;
	char **approvers; /* of the latest revision */
	size_t napprovers;
	int approvals_needed, four_eyes;
	char *author; /* of the latest revision */
};

struct csaf_adv_list {
	struct csaf_adv *items;
	size_t n;
};

void csaf_adv_release(struct csaf_adv *a);
void csaf_adv_list_release(struct csaf_adv_list *l);

/* Draft (or, when the case has one, rebuild as a new revision) the
 * advisory of case case_id from what vigil knows. *id gets its id.
 * VG_ENOTFOUND naming the case. Audited advisory.draft. */
int advisory_draft(struct store *s, int64_t case_id, int64_t *id,
		   struct vg_error *err) VG_MUST_CHECK;

/* Build the document of case case_id without storing anything (caller owns
 * *out). tracking_id NULL: a placeholder id. */
int advisory_build(struct store *s, int64_t case_id, const char *tracking_id, json_t **out,
		   struct vg_error *err) VG_MUST_CHECK;

/*
 * Set path (a JSON pointer "/document/title", "/-" appending to an array, or
 * dotted "document.title") in doc to value (stolen, also on error); the
 * objects and arrays on the way are made. Refuses /document/tracking
 * (vigil's), an empty or overlong segment, a path through a value and an
 * index past the end, naming the path. The parser of what people type after
 * --set and in the editor's path box.
 */
int advisory_set_path(json_t *doc, const char *path, json_t *value,
		      struct vg_error *err) VG_MUST_CHECK;

/*
 * Edit: n settings (paths[i] a JSON pointer, "/document/title", or dotted
 * "document.title"; values[i] JSON, else taken as a string) and/or a whole
 * document (file, may be NULL; filelen bytes). One new revision, audited
 * advisory.edit. Refusals name the path and the failing test; *check (may
 * be NULL) gets the check of the edited document (caller frees).
 */
int advisory_edit(struct store *s, int64_t id, size_t n, const char *const *paths,
		  const char *const *values, const char *file, size_t filelen,
		  struct csaf_check_result *check, struct vg_error *err) VG_MUST_CHECK;

/* Approve the latest revision as the actor of s (*approved: enough now). */
int advisory_approve(struct store *s, int64_t id, int *approved,
		     struct vg_error *err) VG_MUST_CHECK;

/* Publish (see the rules above). summary: the revision history line (NULL:
 * "Initial version." or "Update."); interim: status interim. Refusals: not
 * approved, embargo, a failing check (the first failure named), the user
 * notice of an actively exploited case not ready (its fields named). */
int advisory_publish(struct store *s, int64_t id, const char *summary, int interim,
		     struct vg_error *err) VG_MUST_CHECK;

/* Withdraw a published advisory (reason required): a new published version. */
int advisory_withdraw(struct store *s, int64_t id, const char *reason,
		      struct vg_error *err) VG_MUST_CHECK;

/* The advisory named by ref: its id ("12") or tracking id. VG_ENOTFOUND. */
int advisory_resolve(struct store *s, const char *ref, int64_t *id,
		     struct vg_error *err) VG_MUST_CHECK;
int advisory_get(struct store *s, int64_t id, struct csaf_adv *out,
		 struct vg_error *err) VG_MUST_CHECK;
/* Every advisory (published_only: those published or withdrawn with TLP
 * WHITE, for the public pages), newest first, without details. */
int advisory_list(struct store *s, int published_only, struct csaf_adv_list *out,
		  struct vg_error *err) VG_MUST_CHECK;

/* The path of the published document (csaf_document_path), "" before. */
int advisory_csaf_path(const struct csaf_adv *a, char *out, size_t n);

/* {id, case_id, tracking_id, title, state, tlp, revision, csaf_version,
 *  initial_release_at, current_release_at, created_at, created_by, updated_at,
 *  csaf_path}; with details also document, published_document, user_notice,
 *  revisions [{n, kind, summary, sha256, created_at, created_by}],
 *  approvals {needed, four_eyes, by []}, author. New references. */
json_t *csaf_adv_to_json(const struct csaf_adv *a);
json_t *csaf_adv_list_to_json(const struct csaf_adv_list *l);

/* `vigil advisory` (listed in the program's noun table). */
struct cli;
int cmd_advisory(struct cli *c, int argc, char **argv);

#endif
