/*
 * fleet.h - the fleet exposure (issue 19, item 4): which devices in the
 * field run which product versions, and how many run a version affected by
 * an open vulnerability.
 *
 * Devices (device.h) report their installed version at check-in; findings
 * (the triage room) say which product versions a vulnerability affects.
 * This joins the two through the read views triage_finding_view,
 * sbom_version_view and vuln_alias_view. A device counts while its
 * credential is not revoked; a finding while it is open (triage's
 * definition: new, in triage, affected or in remediation, not retracted).
 *
 * fleet_init() registers the provider of sbom_version_fleet() (product.h),
 * through which a finding's, a vulnerability's and a case's pages and the
 * Article 14 drafts show the figure without knowing about devices.
 */
#ifndef VIGIL_UPDATE_FLEET_H
#define VIGIL_UPDATE_FLEET_H

#include "core/arena.h"
#include "core/error.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

/* Devices of one product version in one channel. */
struct fleet_row {
	const char *product;
	const char *version; /* "" when the device reported no version */
	int64_t version_id;  /* 0: a version the product does not have */
	const char *channel; /* "" for devices without a channel */
	int64_t devices;     /* active devices */
	int64_t last_seen;   /* the newest check-in among them, 0: never */
	int64_t findings;    /* fleet_exposure(): open findings on the version */
};

/* The version distribution: every (product, version, channel) with active
 * devices, by product then most devices first. */
struct fleet_versions {
	struct fleet_row *items;
	size_t n;
	int64_t devices; /* in all */
	struct vg_arena mem;
};
void fleet_versions_release(struct fleet_versions *v);
/* product NULL: every product; VG_ENOTFOUND for a product that does not exist. */
int fleet_versions(struct store *s, const char *product, struct fleet_versions *out,
		   struct vg_error *err) VG_MUST_CHECK;
json_t *fleet_versions_to_json(const struct fleet_versions *v);

/* One vulnerability's exposure: each affected product version (open
 * findings) and channel with its device count, most devices first;
 * versions no device runs are listed with 0. */
struct fleet_exposure {
	const char *vuln_id; /* as asked */
	struct fleet_row *items;
	size_t n;
	int64_t devices;  /* in all */
	int64_t versions; /* affected product versions */
	struct vg_arena mem;
};
void fleet_exposure_release(struct fleet_exposure *e);
/* vuln: an id or any alias. VG_ENOTFOUND when no vulnerability has it,
 * VG_EINVAL when it is empty or too long. */
int fleet_exposure(struct store *s, const char *vuln, struct fleet_exposure *out,
		   struct vg_error *err) VG_MUST_CHECK;
json_t *fleet_exposure_to_json(const struct fleet_exposure *e);

/* Open vulnerabilities by the devices they reach, most first. */
struct fleet_vuln {
	const char *vuln_id;
	const char *severity; /* highest of its findings; NULL: unknown */
	int kev;
	int64_t devices, versions, findings;
};
struct fleet_vuln_list {
	struct fleet_vuln *items;
	size_t n;
	struct vg_arena mem;
};
void fleet_vuln_list_release(struct fleet_vuln_list *l);
/* At most limit (1..10000) vulnerabilities that reach at least one device. */
int fleet_exposed_vulns(struct store *s, int64_t limit, struct fleet_vuln_list *out,
			struct vg_error *err) VG_MUST_CHECK;
json_t *fleet_vuln_list_to_json(const struct fleet_vuln_list *l);

/* Register the provider of sbom_version_fleet() (app_init_rooms). */
void fleet_init(void);

struct cli;
int cmd_fleet(struct cli *c, int argc, char **argv);

#endif
