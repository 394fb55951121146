-- 0015: SLA alerts run on the one deadline engine (jobs/deadline.h) as the
-- clocks "sla.triage" and "sla.fix" (thresholds "warning", "breached"). The
-- alerts already sent keep counting as fired, so none is sent twice.
INSERT INTO deadline_fired (clock, subject, due_at, threshold, fired_at)
SELECT 'sla.' || kind, finding_id, due_at, level, sent_at FROM sla_alerts
WHERE kind IN ('triage', 'fix') AND level IN ('warning', 'breached');

DROP TABLE sla_alerts;
