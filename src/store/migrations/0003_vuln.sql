-- 0003: vulnerability intelligence. Advisories as each feed published them,
-- vulnerabilities (advisories joined by their aliases), the CISA KEV
-- catalogue, the reverse index from packages to inventory components, and
-- the findings (component x vulnerability per product version).
-- Times are UTC seconds since the epoch; scores are text ("9.8").

CREATE TABLE vulnerabilities (
	id TEXT PRIMARY KEY,
	summary TEXT,
	severity TEXT,
	score TEXT,
	modified BIGINT NOT NULL,
	published BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- Every id an advisory is known by (its own and its aliases) -> vulnerability.
CREATE TABLE vuln_aliases (
	alias TEXT PRIMARY KEY,
	vuln_id TEXT NOT NULL
);
CREATE INDEX vuln_aliases_vuln ON vuln_aliases (vuln_id);

-- One row per advisory and source; record_json is the OSV form
-- (advisory_to_json), whatever the feed's format was.
CREATE TABLE advisories (
	source TEXT NOT NULL,
	id TEXT NOT NULL,
	vuln_id TEXT NOT NULL,
	modified BIGINT NOT NULL,
	published BIGINT,
	withdrawn BIGINT,
	severity TEXT,
	score TEXT,
	file TEXT,
	record_json TEXT NOT NULL,
	imported_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (source, id)
);
CREATE INDEX advisories_vuln ON advisories (vuln_id);

-- The packages each advisory names: OSV ecosystem without release suffix,
-- name normalised for matching (advisory_norm_name).
CREATE TABLE advisory_packages (
	source TEXT NOT NULL,
	advisory_id TEXT NOT NULL,
	eco TEXT NOT NULL,
	name TEXT NOT NULL
);
CREATE INDEX advisory_packages_key ON advisory_packages (eco, name);
CREATE INDEX advisory_packages_adv ON advisory_packages (source, advisory_id);

CREATE TABLE kev (
	cve_id TEXT PRIMARY KEY,
	vendor TEXT,
	product TEXT,
	name TEXT,
	date_added TEXT NOT NULL,
	due_date TEXT,
	ransomware TEXT,
	required_action TEXT,
	updated_at BIGINT NOT NULL
);

-- Reverse index: the matchable components of the newest SBOM revision of
-- each product version, keyed like advisory_packages.
CREATE TABLE vuln_components (
	component_id BIGINT PRIMARY KEY,
	sbom_id BIGINT NOT NULL,
	version_id BIGINT NOT NULL,
	eco TEXT NOT NULL,
	name TEXT NOT NULL,
	version TEXT NOT NULL,
	release TEXT,
	purl TEXT NOT NULL
);
CREATE INDEX vuln_components_key ON vuln_components (eco, name);
CREATE INDEX vuln_components_version ON vuln_components (version_id);

CREATE TABLE findings (
	id @ID@,
	version_id BIGINT NOT NULL REFERENCES product_versions (id),
	purl TEXT NOT NULL,
	component_id BIGINT NOT NULL,
	sbom_id BIGINT NOT NULL,
	vuln_id TEXT NOT NULL,
	severity TEXT,
	score TEXT,
	kev BIGINT NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'new',
	first_seen_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	retracted_at BIGINT,
	evidence_json TEXT NOT NULL,
	UNIQUE (version_id, purl, vuln_id)
);
CREATE INDEX findings_vuln ON findings (vuln_id);
CREATE INDEX findings_component ON findings (component_id);
