/*
 * vex.h - VEX documents from and into triage decisions: CycloneDX 1.6 VEX,
 * CSAF 2.0 (csaf_vex profile) and OpenVEX 0.2.0.
 *
 * Rules:
 *  - A statement is per vulnerability AND per component: each finding of
 *    the product version (not retracted) is one statement, never one per
 *    vulnerability for all its components (Dependency-Track #3554).
 *  - States map: new / in_triage -> under investigation; affected /
 *    in_remediation -> affected (with an action statement); fixed -> fixed;
 *    not_affected -> not affected with its justification; false_positive ->
 *    not affected with an impact statement saying so (CycloneDX has its own
 *    false_positive state).
 *  - Import reads any of the three formats (detected from the document),
 *    checks every statement before changing anything, then applies them as
 *    decisions in one transaction, one audit record per changed finding
 *    (action "finding.vex_import", actor = the importer). A statement names
 *    a finding by vulnerability id or alias and component purl (exact, else
 *    the same package). Statements matching no finding are counted, not
 *    errors. A malformed document changes nothing (VG_EPARSE naming the JSON
 *    pointer).
 */
#ifndef VIGIL_TRIAGE_VEX_H
#define VIGIL_TRIAGE_VEX_H

#include "core/error.h"

#include <stddef.h>

#include "core/json.h"

struct store;
struct vg_error;

enum vex_format { VEX_CYCLONEDX = 1, VEX_CSAF, VEX_OPENVEX };

/* "cyclonedx", "csaf", "openvex" -> the format; 0 when unknown. */
int vex_format_from_name(const char *name);

/* The VEX document of a product version in format (caller owns *out).
 * VG_ENOTFOUND for an unknown product or version. */
int vex_export(struct store *s, const char *product, const char *version, int format, json_t **out,
	       struct vg_error *err) VG_MUST_CHECK;

/*
 * The CSAF writer of the VEX export, for other CSAF documents (the advisory
 * room's csaf_security_advisory): adds the findings of one product version
 * to doc, a CSAF document being built. product_tree gets the branches
 * vendor / product_name / product_version (the version's product id,
 * "CSAFPID-0001" for the first version added, "CSAFPID-0002" ..., is written
 * to version_pid when not NULL), one full product name per component purl
 * and a default_component_of relationship per component and version;
 * vulnerabilities get one entry per vulnerability (merged across versions)
 * with the product status of each finding (known_affected with a
 * remediation, fixed, known_not_affected with a flag of its justification
 * or an impact threat for a false positive, under_investigation).
 * o may be NULL (every finding); o->vulns (ids or aliases) limits it to
 * those vulnerabilities; o->prefer_cve names a vulnerability by its CVE
 * alias (the original id in ids). VG_ENOTFOUND for an unknown version.
 */
struct vex_csaf_opts {
	const char *const *vulns;
	size_t nvulns;
	int prefer_cve;
};
int vex_csaf_add(struct store *s, const char *product, const char *version,
		 const struct vex_csaf_opts *o, json_t *doc, char *version_pid, size_t pidsz,
		 struct vg_error *err) VG_MUST_CHECK;

struct vex_import_stats {
	long statements, applied, unchanged, unmatched;
	int format;
};

/* Parse and check a VEX document without applying it: st gets its format
 * and statement count. VG_EPARSE (naming the JSON pointer) when malformed. */
int vex_check(const char *data, size_t n, const char *what, struct vex_import_stats *st,
	      struct vg_error *err) VG_MUST_CHECK;

/* Apply the VEX document data (n bytes; what names it in messages) to the
 * findings of product version. */
int vex_import(struct store *s, const char *data, size_t n, const char *what, const char *product,
	       const char *version, struct vex_import_stats *st,
	       struct vg_error *err) VG_MUST_CHECK;

/* `vigil vex` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_vex(struct cli *c, int argc, char **argv);

#endif
