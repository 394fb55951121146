/*
 * quality.h - SBOM quality against two published profiles (issue 14 item 3):
 *
 *   ntia            NTIA, "The Minimum Elements For a Software Bill of
 *                   Materials (SBOM)", July 2021, section IV "Data Fields"
 *                   (supplier, component name, version, other unique
 *                   identifiers, dependency relationship, author of SBOM
 *                   data, timestamp).
 *   bsi-tr-03183-2  BSI TR-03183-2 "Cyber Resilience Requirements for
 *                   Manufacturers and Products, Part 2: Software Bill of
 *                   Materials", version 2.0.0 (2024-09-20): section 5.2.1
 *                   (SBOM: creator, timestamp), 5.2.2 (component: creator,
 *                   name, version, filename, dependencies, distribution
 *                   licences, SHA-512 hash, executable / archive /
 *                   structured properties) required; 5.3 additional fields
 *                   (SBOM-URI, source code URI, URI of the executable form,
 *                   other unique identifiers) scored, not required.
 *
 * Every rule names its source (sbom_quality_rules[]); each is checked on the
 * document or on every component (the primary one included), and counts how
 * many passed. A profile's score is the mean of its rules' pass ratios,
 * 0-100; the profile is met when every required rule passed everywhere (a
 * component rule on a document without components fails).
 *
 * The measure works on the parsed model (sbom/model.h); what the model does
 * not keep cannot be checked (see docs/sbom.md "Quality": component creator
 * is the supplier's name, the contact address is not asked for).
 */
#ifndef VIGIL_SBOM_QUALITY_H
#define VIGIL_SBOM_QUALITY_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct sbom_doc;
struct store;
struct vg_error;

enum sbom_quality_profile {
	SBOM_PROFILE_NONE = 0,
	SBOM_PROFILE_NTIA = 1,
	SBOM_PROFILE_BSI = 2,
};

/* "ntia" / "bsi-tr-03183-2" ("none" and "" give NONE); VG_EINVAL naming the
 * choices else. */
int sbom_quality_profile_parse(const char *s, enum sbom_quality_profile *out,
			       struct vg_error *err) VG_MUST_CHECK;
const char *sbom_quality_profile_name(enum sbom_quality_profile p); /* NULL for NONE */

struct sbom_quality_rule {
	const char *id; /* "ntia.supplier", "bsi.component.hash" */
	enum sbom_quality_profile profile;
	int per_component;  /* 1: checked on each component; 0: on the document */
	int required;       /* 1: the profile is not met without it */
	const char *source; /* the section of the text it comes from */
	const char *expect; /* what is expected, in plain words */
};
extern const struct sbom_quality_rule sbom_quality_rules[];
extern const size_t sbom_quality_rule_count;
/* The rule called id, or NULL. */
const struct sbom_quality_rule *sbom_quality_rule_find(const char *id);

#define SBOM_QUALITY_FAILING_KEPT 20 /* failing components named per rule */

struct sbom_quality_check {
	const struct sbom_quality_rule *rule;
	int64_t passed, total;
	char *failing; /* "name version; name version; ..." (the first
			* SBOM_QUALITY_FAILING_KEPT), NULL when none failed */
};

struct sbom_quality {
	struct sbom_quality_check *checks; /* one per rule, in rule order */
	size_t n;
	int score[3]; /* by profile: 0-100 (index SBOM_PROFILE_*) */
	int ok[3];    /* by profile: 1 when every required rule passed */
};
void sbom_quality_release(struct sbom_quality *q);

/* Measure doc against every rule into *out (released first). VG_ENOMEM. */
int sbom_quality_measure(const struct sbom_doc *doc, struct sbom_quality *out) VG_MUST_CHECK;

/* The stored measure of revision sbom_id (sbom_import() stores it).
 * VG_ENOTFOUND when the revision was imported before measures were kept. */
int sbom_quality_get(struct store *s, int64_t sbom_id, struct sbom_quality *out,
		     struct vg_error *err) VG_MUST_CHECK;

/* Store q for revision sbom_id (inside the import's transaction). */
int sbom_quality_store(struct store *s, int64_t sbom_id, const struct sbom_quality *q,
		       struct vg_error *err) VG_MUST_CHECK;

/* {"ntia": {"score", "ok"}, "bsi-tr-03183-2": {...}, "checks": [{"id",
 * "profile", "source", "expected", "scope": "document"|"component",
 * "required", "passed", "total", "failing": [..]}]}; new reference. */
json_t *sbom_quality_to_json(const struct sbom_quality *q);

#endif
