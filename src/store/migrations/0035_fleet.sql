-- 0035: the triage room's read view of findings for other rooms (the fleet
-- exposure of issue 19 joins devices to it; named in triage/findings.h).
-- open is triage's own definition: a state that still needs work (new,
-- in_triage, affected, in_remediation) on a finding not retracted.
CREATE VIEW triage_finding_view AS
SELECT id AS finding_id, version_id, vuln_id, state, kev, severity, score,
	first_seen_at, retracted_at,
	CASE WHEN retracted_at IS NULL AND state IN ('new', 'in_triage', 'affected',
		'in_remediation') THEN 1 ELSE 0 END AS open
FROM findings;
