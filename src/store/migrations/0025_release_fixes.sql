-- 0025: a published security release as a corrective measure (issue 18,
-- event release.published). psirt: the release that made a corrective
-- measure available for an Article 14 exposure (its final-report clock
-- starts at fix_available_at), and per case the releases that fix its
-- vulnerabilities. triage: the vulnerabilities each published release fixes
-- on its product, so findings of them point to the release.
ALTER TABLE art14_exposures ADD COLUMN fix_release_id BIGINT;
ALTER TABLE art14_exposures ADD COLUMN fix_release TEXT;

CREATE TABLE psirt_case_fixes (
	case_id BIGINT NOT NULL REFERENCES psirt_cases (id),
	release_id BIGINT NOT NULL,
	product TEXT NOT NULL,
	version TEXT NOT NULL,
	vulns TEXT NOT NULL,
	published_at BIGINT NOT NULL,
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (case_id, release_id)
);

CREATE TABLE triage_fix_releases (
	release_id BIGINT NOT NULL,
	vuln_id TEXT NOT NULL,
	product TEXT NOT NULL,
	version TEXT NOT NULL,
	version_id BIGINT NOT NULL,
	published_at BIGINT NOT NULL,
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (release_id, vuln_id)
);
CREATE INDEX triage_fix_releases_vuln ON triage_fix_releases (vuln_id, product);
