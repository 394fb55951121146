-- 0008: the NVD and CSAF side of the feeds, CPE matching and feed sync.
-- NVD configurations cannot be held in the OSV form of advisories.record_json:
-- the original cve object is kept beside it, with the (vendor, product)
-- keys of its criteria, and the CPE-only inventory components are indexed
-- by the same keys (values in CPE WFN form; '*' for a criterion whose vendor
-- or product is ANY or holds a wildcard).

CREATE TABLE advisory_configs (
	source TEXT NOT NULL,
	advisory_id TEXT NOT NULL,
	config_json TEXT NOT NULL,
	PRIMARY KEY (source, advisory_id)
);

CREATE TABLE advisory_cpes (
	source TEXT NOT NULL,
	advisory_id TEXT NOT NULL,
	vendor TEXT NOT NULL,
	product TEXT NOT NULL
);
CREATE INDEX advisory_cpes_key ON advisory_cpes (vendor, product);
CREATE INDEX advisory_cpes_adv ON advisory_cpes (source, advisory_id);

-- Components of the newest SBOM revision of each product version that have
-- a CPE and no purl; platform_json lists the CPEs of the same SBOM that
-- describe what it runs on (operating system, firmware, device, the
-- SBOM's primary component).
CREATE TABLE vuln_cpe_components (
	component_id BIGINT PRIMARY KEY,
	sbom_id BIGINT NOT NULL,
	version_id BIGINT NOT NULL,
	vendor TEXT NOT NULL,
	product TEXT NOT NULL,
	cpe TEXT NOT NULL,
	platform_json TEXT
);
CREATE INDEX vuln_cpe_components_key ON vuln_cpe_components (vendor, product);
CREATE INDEX vuln_cpe_components_version ON vuln_cpe_components (version_id);

-- Feed sync bookkeeping, one row per URL: validators of the last answer and
-- the incremental cursor (last modified time seen).
CREATE TABLE feed_sync (
	url TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	etag TEXT,
	last_modified TEXT,
	cursor BIGINT,
	synced_at BIGINT NOT NULL,
	status BIGINT
);
