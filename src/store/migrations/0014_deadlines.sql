-- 0014: the one deadline engine (src/jobs/deadline.h). deadline_fired is the
-- set of alert thresholds already fired, once each per clock, subject, due
-- time and threshold: the primary key makes a second claim (a restart, or
-- another server on the same PostgreSQL) insert nothing and fire nothing.
-- The subject is the clock's own row id (an Art. 14 obligation, a case, a
-- finding); a deadline whose due time moves is a new one.
CREATE TABLE deadline_fired (
	clock TEXT NOT NULL,
	subject BIGINT NOT NULL,
	due_at BIGINT NOT NULL,
	threshold TEXT NOT NULL,
	fired_at BIGINT NOT NULL,
	PRIMARY KEY (clock, subject, due_at, threshold)
);

-- The alerts already sent by the hand-made clocks keep counting as fired:
-- Article 14 obligations (warned bits 1 = 50 %, 2 = 75 %, 4 = 90 %,
-- 8 = breach) and the case acknowledgement clock (ack_warned, same bits).
-- Their time of firing was not kept: the due time stands in for it.
INSERT INTO deadline_fired (clock, subject, due_at, threshold, fired_at)
SELECT 'art14', o.id, o.due_at, t.name, o.due_at
FROM art14_obligations o
JOIN (SELECT 1 AS bit, '50%' AS name UNION ALL SELECT 2, '75%' UNION ALL
      SELECT 4, '90%' UNION ALL SELECT 8, 'breach') t ON (o.warned & t.bit) <> 0
WHERE o.due_at IS NOT NULL;

INSERT INTO deadline_fired (clock, subject, due_at, threshold, fired_at)
SELECT 'case.ack', c.id, c.ack_due_at, t.name, c.ack_due_at
FROM psirt_cases c
JOIN (SELECT 1 AS bit, '50%' AS name UNION ALL SELECT 2, '75%' UNION ALL
      SELECT 4, '90%' UNION ALL SELECT 8, 'breach') t ON (c.ack_warned & t.bit) <> 0;
