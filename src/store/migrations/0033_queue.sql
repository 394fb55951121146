-- 0033: the findings queue shows each finding's CVSS vector (issue 17).
-- The vuln room's read interface (vuln/vulndb.h) gains a view of its stored
-- advisories: a plain projection of table advisories with its column names,
-- which the triage room reads for the vectors of a page of findings (the
-- OSV record's "severity" entries). Columns are only ever added.
CREATE VIEW vuln_advisory_view AS
SELECT vuln_id, source, id, withdrawn, record_json
FROM advisories;
