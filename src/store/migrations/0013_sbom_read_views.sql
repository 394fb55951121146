-- 0013: the sbom room's read interface for other rooms (sbom/product.h).
-- Other rooms join these views, never the tables products,
-- product_versions, sboms and components. They are plain projections that
-- SQLite and PostgreSQL inline into the query that uses them, so the
-- tables' indexes serve the joins. Columns are only ever added.

-- One row per product version. A join of two tables: use it as an inner
-- join (the findings queue: findings f JOIN sbom_version_view v ON
-- v.version_id = f.version_id).
CREATE VIEW sbom_version_view AS
SELECT v.id AS version_id, v.product_id, p.name AS product, p.vendor, v.version,
	v.created_at,
	(SELECT MAX(b.id) FROM sboms b WHERE b.version_id = v.id) AS latest_sbom_id
FROM product_versions v JOIN products p ON p.id = v.product_id;

-- One row per product (one table: fine as the right side of a LEFT JOIN).
CREATE VIEW sbom_product_view AS
SELECT id AS product_id, name AS product, vendor, cra_class, support_until,
	placed_on_market, created_at
FROM products;

-- One row per SBOM revision (one table).
CREATE VIEW sbom_revision_view AS
SELECT id AS sbom_id, version_id, revision, format, spec_version, uploaded_at,
	component_count, primary_idx
FROM sboms;

-- One row per component of a revision (one table: fine as the right side of
-- a LEFT JOIN).
CREATE VIEW sbom_component_view AS
SELECT id AS component_id, sbom_id, idx, ref, name, grp, version, type, purl, cpe,
	supplier, licenses
FROM components;
