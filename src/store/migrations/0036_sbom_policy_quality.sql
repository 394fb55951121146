-- 0036: SBOM import policy and quality (issue 14 items 2 and 3).
--
-- products.sbom_policy: strict or standard for this product's imports;
-- NULL: the global default (setting sbom.policy, else standard).
-- products.sbom_quality_profile: ntia or bsi-tr-03183-2; a version whose
-- newest revision does not meet it is marked below the profile. NULL: none.
ALTER TABLE products ADD COLUMN sbom_policy TEXT;
ALTER TABLE products ADD COLUMN sbom_quality_profile TEXT;

-- sboms.policy: the policy the revision was imported under (NULL: before
-- 0036, strict as it then was); violation_count: rows in sbom_violations
-- plus those past the cap (violations_dropped).
-- quality_ntia / quality_bsi: score 0-100 of the profile's checks,
-- ntia_ok / bsi_ok 1 when every check of the profile passed; NULL: not
-- measured (imported before 0036).
ALTER TABLE sboms ADD COLUMN policy TEXT;
ALTER TABLE sboms ADD COLUMN violation_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sboms ADD COLUMN violations_dropped BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sboms ADD COLUMN quality_ntia BIGINT;
ALTER TABLE sboms ADD COLUMN quality_bsi BIGINT;
ALTER TABLE sboms ADD COLUMN ntia_ok BIGINT;
ALTER TABLE sboms ADD COLUMN bsi_ok BIGINT;

-- The violations of the official schema or spec that the standard policy
-- let through, in document order: pointer (JSON) or line (XML, tag-value),
-- the schema place, and what was expected.
CREATE TABLE sbom_violations (
	sbom_id BIGINT NOT NULL REFERENCES sboms (id) ON DELETE CASCADE,
	seq BIGINT NOT NULL,
	pointer TEXT,
	line BIGINT NOT NULL DEFAULT 0,
	schema_place TEXT,
	message TEXT NOT NULL,
	PRIMARY KEY (sbom_id, seq)
);

-- One row per quality check of a revision: how many of its subjects (the
-- document, or each component) passed, and the first failing components.
CREATE TABLE sbom_quality_checks (
	sbom_id BIGINT NOT NULL REFERENCES sboms (id) ON DELETE CASCADE,
	check_id TEXT NOT NULL,
	passed BIGINT NOT NULL,
	total BIGINT NOT NULL,
	failing TEXT,
	PRIMARY KEY (sbom_id, check_id)
);
