-- 0016: the vuln room's read interface for other rooms (vuln/vulndb.h).
-- Other rooms (triage: the queue, reconciliation, VEX) join these views,
-- never the tables vulnerabilities, vuln_aliases and kev. Each is a plain
-- projection of one table with the table's column names, which SQLite and
-- PostgreSQL inline into the query that uses it, so the tables' indexes
-- serve the joins. Columns are only ever added.

-- One row per vulnerability (its id is the preferred one of its aliases).
CREATE VIEW vuln_view AS
SELECT id, summary, severity, score, modified, published
FROM vulnerabilities;

-- Every id a vulnerability is known by (its own and its aliases).
CREATE VIEW vuln_alias_view AS
SELECT alias, vuln_id
FROM vuln_aliases;

-- The CISA KEV catalogue: one row per CVE listed as actively exploited.
CREATE VIEW vuln_kev_view AS
SELECT cve_id, vendor, product, name, date_added, due_date, ransomware, required_action
FROM kev;
