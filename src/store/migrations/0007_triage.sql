-- 0007: the PSIRT triage queue. Finding states and who owns them, comments,
-- decisions that carry over to later SBOM revisions and product versions,
-- SLA policies (days to triage, days to fix) and the SLA alerts already sent.
-- Times are UTC seconds since the epoch.

ALTER TABLE findings ADD COLUMN justification TEXT;
ALTER TABLE findings ADD COLUMN assignee TEXT;
ALTER TABLE findings ADD COLUMN kev_at BIGINT;
ALTER TABLE findings ADD COLUMN closed_at BIGINT;
ALTER TABLE findings ADD COLUMN state_changed_at BIGINT;
CREATE INDEX findings_state ON findings (state);
CREATE INDEX findings_version ON findings (version_id);

CREATE TABLE finding_comments (
	id @ID@,
	finding_id BIGINT NOT NULL,
	actor TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX finding_comments_finding ON finding_comments (finding_id);

-- A not_affected / false_positive decision on (vulnerability, package) in a
-- product version: package is the purl without version, qualifiers or
-- subpath; purl and evidence_json are what was decided on, so a changed
-- component version or affected range is noticed. scope 'product' carries
-- the decision to later versions of the product too.
CREATE TABLE triage_decisions (
	id @ID@,
	product_id BIGINT NOT NULL,
	version_id BIGINT NOT NULL,
	vuln_id TEXT NOT NULL,
	package TEXT NOT NULL,
	purl TEXT NOT NULL,
	evidence_json TEXT NOT NULL,
	state TEXT NOT NULL,
	justification TEXT,
	scope TEXT NOT NULL DEFAULT 'version',
	finding_id BIGINT NOT NULL,
	decided_by TEXT NOT NULL,
	decided_at BIGINT NOT NULL,
	UNIQUE (version_id, vuln_id, package)
);
CREATE INDEX triage_decisions_key ON triage_decisions (product_id, vuln_id, package);

-- product_id 0: the default for every product. severity 'kev' holds the
-- triage deadline of findings on actively exploited (CISA KEV) ones.
-- A severity without a row has no deadline and raises no alert.
CREATE TABLE sla_policies (
	product_id BIGINT NOT NULL,
	severity TEXT NOT NULL,
	triage_seconds BIGINT,
	fix_seconds BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (product_id, severity)
);
INSERT INTO sla_policies VALUES (0, 'critical', NULL, 604800, 0);
INSERT INTO sla_policies VALUES (0, 'high', NULL, 2592000, 0);
INSERT INTO sla_policies VALUES (0, 'medium', NULL, 7776000, 0);
INSERT INTO sla_policies VALUES (0, 'low', NULL, 15552000, 0);
INSERT INTO sla_policies VALUES (0, 'kev', 86400, NULL, 0);

-- Due times of every finding: a product's own policy for a severity
-- replaces the default one. Only open states have deadlines: triage for
-- new / in_triage, fix for everything not yet closed.
CREATE VIEW findings_sla AS
SELECT f.id AS finding_id,
	CASE WHEN f.state IN ('new', 'in_triage') THEN
		f.first_seen_at + CASE WHEN sp.severity IS NOT NULL THEN sp.triage_seconds
			ELSE sg.triage_seconds END END AS sev_triage_due,
	CASE WHEN f.state IN ('new', 'in_triage') AND f.kev = 1 THEN
		COALESCE(f.kev_at, f.first_seen_at) + CASE WHEN kp.severity IS NOT NULL
			THEN kp.triage_seconds ELSE kg.triage_seconds END END AS kev_triage_due,
	CASE WHEN f.state IN ('new', 'in_triage', 'affected', 'in_remediation') THEN
		f.first_seen_at + CASE WHEN sp.severity IS NOT NULL THEN sp.fix_seconds
			ELSE sg.fix_seconds END END AS fix_due
FROM findings f
JOIN product_versions v ON v.id = f.version_id
LEFT JOIN sla_policies sp ON sp.product_id = v.product_id AND sp.severity = f.severity
LEFT JOIN sla_policies sg ON sg.product_id = 0 AND sg.severity = f.severity
LEFT JOIN sla_policies kp ON kp.product_id = v.product_id AND kp.severity = 'kev'
LEFT JOIN sla_policies kg ON kg.product_id = 0 AND kg.severity = 'kev'
WHERE f.retracted_at IS NULL;

CREATE VIEW findings_due AS
SELECT finding_id, triage_due_at, fix_due_at,
	CASE WHEN triage_due_at IS NOT NULL AND (fix_due_at IS NULL OR triage_due_at < fix_due_at)
		THEN triage_due_at ELSE fix_due_at END AS due_at
FROM (SELECT finding_id,
	CASE WHEN kev_triage_due IS NOT NULL AND (sev_triage_due IS NULL OR
		kev_triage_due < sev_triage_due) THEN kev_triage_due ELSE sev_triage_due END
		AS triage_due_at,
	fix_due AS fix_due_at
	FROM findings_sla) x;

-- Each SLA alert is sent once per finding, deadline kind and level.
CREATE TABLE sla_alerts (
	finding_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	level TEXT NOT NULL,
	due_at BIGINT NOT NULL,
	sent_at BIGINT NOT NULL,
	PRIMARY KEY (finding_id, kind, level, due_at)
);
