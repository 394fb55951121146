-- bench_findings_gen.sql - the data of bench/bench_findings.sh, loaded into
-- a database that `vigil init` created (same SQL on SQLite and PostgreSQL;
-- the bench replaces @N@ findings, @NV@ product versions, @NP@ products,
-- @PER@ findings per version (N / NV rounded up),
-- @NOW@ the clock). Rows are shaped as vigil's import and triage write them:
-- findings of product versions on vulnerabilities (severity, score and the
-- KEV flag of the vulnerability), evidence_json as the matcher records it,
-- states with their justification / closed_at / state_changed_at,
-- assignees who are users, 3% retracted; the stored due times are those of
-- the view findings_due (the bench checks every row after the load).
-- Deterministic: pseudo-random values are hashes of the row number.

-- 20 PSIRT users findings are assigned to (no usable password)
INSERT INTO users (name, role, password_hash, created_at, disabled)
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20)
SELECT 'user' || i, 'psirt', '!bench-no-login', @NOW@, 0 FROM g;

INSERT INTO products (name, vendor, created_at)
WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < @NP@ - 1)
SELECT 'product-' || i, 'bench', @NOW@ FROM g;

-- @NV@ versions spread over the products ("1.0" .. "1.N")
INSERT INTO product_versions (product_id, version, created_at)
WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < @NV@ - 1)
SELECT p.id, '1.' || (g.i / @NP@), @NOW@ FROM g JOIN products p ON p.name = 'product-' ||
	(g.i % @NP@);

-- 20,000 vulnerabilities: 8% critical, 27% high, 45% medium, 15% low, 5% unscored
INSERT INTO vulnerabilities (id, summary, severity, score, modified, published, created_at,
	updated_at)
WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < 19999)
SELECT 'CVE-2025-' || (100000 + i), 'generated vulnerability ' || i,
	CASE WHEN (i * 7) % 100 < 8 THEN 'critical' WHEN (i * 7) % 100 < 35 THEN 'high'
		WHEN (i * 7) % 100 < 80 THEN 'medium' WHEN (i * 7) % 100 < 95 THEN 'low' END,
	CASE WHEN (i * 7) % 100 < 8 THEN '9.8' WHEN (i * 7) % 100 < 35 THEN '7.5'
		WHEN (i * 7) % 100 < 80 THEN '5.3' WHEN (i * 7) % 100 < 95 THEN '3.1' END,
	@NOW@ - 86400 * 200, @NOW@ - 86400 * 400, @NOW@ - 86400 * 400, @NOW@ - 86400 * 200
FROM g;
INSERT INTO vuln_aliases (alias, vuln_id) SELECT id, id FROM vulnerabilities;
INSERT INTO vuln_aliases (alias, vuln_id)
SELECT 'GHSA-bench-' || substr(id, 10), id FROM vulnerabilities WHERE substr(id, 14, 1) IN
	('0', '2', '4', '6', '8');
-- 2% of the vulnerabilities are in the CISA KEV catalogue
INSERT INTO kev (cve_id, vendor, product, name, date_added, due_date, ransomware,
	required_action, updated_at)
SELECT id, 'bench', 'bench', summary, '2025-06-01', '2025-06-22', 'Unknown', 'Patch.',
	@NOW@ FROM vulnerabilities WHERE (CAST(substr(id, 10) AS BIGINT) * 13) % 50 = 0;

-- a product of its own SLA for critical findings (3 days to fix)
INSERT INTO sla_policies (product_id, severity, triage_seconds, fix_seconds, updated_at)
SELECT id, 'critical', NULL, 259200, @NOW@ FROM products WHERE name = 'product-0';

-- The findings: version n = i / PER, k = i % PER its k-th finding on a
-- component of 400 and a vulnerability picked injectively from k (so
-- (version, purl, vulnerability) is unique, as in vigil's schema). A
-- version's findings are stored together, as one SBOM import writes them.
INSERT INTO findings (version_id, purl, component_id, sbom_id, vuln_id, severity, score, kev,
	state, first_seen_at, updated_at, retracted_at, evidence_json, justification, assignee,
	kev_at, closed_at, state_changed_at)
WITH RECURSIVE g(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM g WHERE
	i < @N@ - 1),
pv AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS vn FROM product_versions),
x AS (SELECT g.i, pv.id AS vid, pv.vn, g.i % @PER@ AS k,
	(g.i * 2654435761) % 1000003 AS h1, (g.i * 40503 + 17) % 999983 AS h2,
	(g.i * 7919 + 3) % 99991 AS h3
	FROM g JOIN pv ON pv.vn = g.i / @PER@),
y AS (SELECT x.*, (x.k * 37 + x.vn * 13) % 20000 AS vi,
	CASE WHEN h1 % 100 < 35 THEN 'new' WHEN h1 % 100 < 50 THEN 'in_triage'
		WHEN h1 % 100 < 60 THEN 'affected' WHEN h1 % 100 < 70 THEN 'in_remediation'
		WHEN h1 % 100 < 85 THEN 'fixed' WHEN h1 % 100 < 95 THEN 'not_affected'
		ELSE 'false_positive' END AS st,
	@NOW@ - (h1 * 31 + h2) % (180 * 86400) AS seen FROM x)
SELECT y.vid, 'pkg:npm/lib-' || (y.k % 400) || '@1.' || (y.vn % 7) || '.0', y.i + 1, y.vid,
	v.id, v.severity, v.score, CASE WHEN k.cve_id IS NULL THEN 0 ELSE 1 END, y.st, y.seen,
	y.seen + (@NOW@ - y.seen) / 2,
	CASE WHEN y.h3 % 100 < 3 THEN y.seen + (@NOW@ - y.seen) / 2 END,
	'{"matches":[{"advisory":"' || v.id || '","fixed":"1.' || (y.vn % 7) ||
		'.1","matched":"<1.' || (y.vn % 7) || '.1","source":"osv","version":"1.' ||
		(y.vn % 7) || '.0"}]}',
	CASE WHEN y.st = 'not_affected' THEN 'vulnerable_code_not_in_execute_path' END,
	CASE WHEN y.h3 % 2 = 0 THEN NULL ELSE 'user' || (1 + y.h3 % 20) END,
	CASE WHEN k.cve_id IS NOT NULL THEN y.seen END,
	CASE WHEN y.st IN ('fixed', 'not_affected', 'false_positive') THEN
		y.seen + (@NOW@ - y.seen) / 2 END,
	CASE WHEN y.st <> 'new' THEN y.seen + (@NOW@ - y.seen) / 2 END
FROM y JOIN vulnerabilities v ON v.id = 'CVE-2025-' || (100000 + y.vi)
LEFT JOIN kev k ON k.cve_id = v.id;

-- the stored due times, from the view (as findings_due_sync does)
UPDATE findings SET sla_triage_due_at = d.triage_due_at, sla_fix_due_at = d.fix_due_at,
	sla_due_at = d.due_at, sla_due_key = COALESCE(d.due_at, 9223372036854775807)
FROM findings_due d WHERE d.finding_id = findings.id;

-- A steady state: the SLA alerts of every deadline past or in its last
-- quarter were sent by earlier ticks (what sla_tick records), so the
-- server's tick finds only what the minute brings while the queue is
-- measured; the bench times one tick over the million findings apart.
INSERT INTO deadline_fired (clock, subject, due_at, threshold, fired_at)
SELECT 'sla.triage', id, sla_triage_due_at,
	CASE WHEN sla_triage_due_at <= @NOW@ THEN 'breached' ELSE 'warning' END, @NOW@ FROM findings WHERE retracted_at IS NULL AND
	sla_due_at IS NOT NULL AND sla_triage_due_at IS NOT NULL AND
	sla_triage_due_at - (sla_triage_due_at - first_seen_at) / 4 <= @NOW@;
INSERT INTO deadline_fired (clock, subject, due_at, threshold, fired_at)
SELECT 'sla.fix', id, sla_fix_due_at,
	CASE WHEN sla_fix_due_at <= @NOW@ THEN 'breached' ELSE 'warning' END, @NOW@ FROM findings WHERE retracted_at IS NULL AND
	sla_due_at IS NOT NULL AND sla_fix_due_at IS NOT NULL AND
	sla_fix_due_at - (sla_fix_due_at - first_seen_at) / 4 <= @NOW@;
