-- 0010: the triage queue at a million findings. The due times of the view
-- findings_due (0007) are stored in each finding, so the queue can filter
-- and sort by them through an index: sla_triage_due_at, sla_fix_due_at and
-- sla_due_at are exactly what findings_due computes (NULL for closed,
-- retracted or policy-less findings); sla_due_key is sla_due_at with NULL
-- as the largest value (the queue lists findings without a deadline last).
-- They are rewritten by findings_due_sync() (src/vuln/vulndb.c) after every
-- change of a finding's state, severity, KEV flag or retraction and of an
-- SLA policy. The view stays the reference.
-- A product or version filter is the most selective one: the queue then
-- writes its other conditions so that only findings_q_version serves them
-- (SQLite has no statistics to know it).

ALTER TABLE findings ADD COLUMN sla_triage_due_at BIGINT;
ALTER TABLE findings ADD COLUMN sla_fix_due_at BIGINT;
ALTER TABLE findings ADD COLUMN sla_due_at BIGINT;
ALTER TABLE findings ADD COLUMN sla_due_key BIGINT NOT NULL DEFAULT 9223372036854775807;

UPDATE findings SET (sla_triage_due_at, sla_fix_due_at, sla_due_at) = (SELECT
	d.triage_due_at, d.fix_due_at, d.due_at FROM findings_due d WHERE d.finding_id =
	findings.id);
UPDATE findings SET sla_due_key = COALESCE(sla_due_at, 9223372036854775807);

-- Sorted by due time: all, per severity, state, assignee, KEV flag. Partial
-- (active findings: every listing but --retracted asks for those); smaller,
-- so a count reads less (PostgreSQL counts high findings in half the time
-- of a full index with retracted_at in it). The state rides along for the
-- counts per state.
CREATE INDEX findings_q_due ON findings (sla_due_key, id, state) WHERE retracted_at IS NULL;
CREATE INDEX findings_q_sev ON findings (severity, sla_due_key, id, state)
	WHERE retracted_at IS NULL;
CREATE INDEX findings_q_state ON findings (state, sla_due_key, id) WHERE retracted_at IS NULL;
CREATE INDEX findings_q_assignee ON findings (assignee, sla_due_key, id, state)
	WHERE retracted_at IS NULL;
CREATE INDEX findings_q_kev ON findings (kev, sla_due_key, id, state)
	WHERE retracted_at IS NULL;
-- newest first
CREATE INDEX findings_q_new ON findings (first_seen_at, id) WHERE retracted_at IS NULL;
-- Per version, with every other filter, so a product's page and counts are
-- read from it alone; replaces findings_version of 0007 (its prefix).
CREATE INDEX findings_q_version ON findings (version_id, retracted_at, sla_due_key, id, state,
	severity, kev, assignee);
DROP INDEX findings_version;
