-- 0012: counts per state under a broad filter. The queue page counts each
-- state of a severity, an assignee or the KEV-listed findings up to
-- triage.count_cap + 1 rows; with the state beside the filter's column an
-- index range holds exactly those rows (without it a rare state was found
-- by walking every finding of the severity).
CREATE INDEX findings_q_sev_state ON findings (severity, state) WHERE retracted_at IS NULL;
CREATE INDEX findings_q_assignee_state ON findings (assignee, state) WHERE retracted_at IS NULL;
CREATE INDEX findings_q_kev_state ON findings (kev, state) WHERE retracted_at IS NULL;
