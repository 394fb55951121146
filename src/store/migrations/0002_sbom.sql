-- 0002: products, their versions, SBOM revisions with their originals, the
-- components and dependency graph of each revision.

CREATE TABLE products (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	vendor TEXT,
	cra_class TEXT NOT NULL DEFAULT 'default',
	support_until TEXT,
	placed_on_market TEXT,
	created_at BIGINT NOT NULL
);

CREATE TABLE product_versions (
	id @ID@,
	product_id BIGINT NOT NULL REFERENCES products (id),
	version TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (product_id, version)
);

-- Originals, byte for byte, zstd-compressed, addressed by SHA-256.
CREATE TABLE blobs (
	sha256 TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	zsize BIGINT NOT NULL,
	data @BLOB@ NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE sboms (
	id @ID@,
	version_id BIGINT NOT NULL REFERENCES product_versions (id),
	revision BIGINT NOT NULL,
	format TEXT NOT NULL,
	encoding TEXT NOT NULL,
	spec_version TEXT NOT NULL,
	serial TEXT,
	original_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
	filename TEXT,
	uploaded_by TEXT NOT NULL,
	uploaded_from TEXT NOT NULL,
	uploaded_at BIGINT NOT NULL,
	retain_until BIGINT NOT NULL,
	component_count BIGINT NOT NULL,
	edge_count BIGINT NOT NULL,
	primary_idx BIGINT,
	UNIQUE (version_id, revision)
);
CREATE INDEX sboms_version ON sboms (version_id);

CREATE TABLE components (
	id @ID@,
	sbom_id BIGINT NOT NULL REFERENCES sboms (id) ON DELETE CASCADE,
	idx BIGINT NOT NULL,
	ref TEXT,
	name TEXT NOT NULL,
	grp TEXT,
	version TEXT,
	type TEXT,
	purl TEXT,
	identity TEXT NOT NULL,
	cpe TEXT,
	supplier TEXT,
	licenses TEXT,
	hashes_json TEXT,
	extra_json TEXT
);
CREATE INDEX components_sbom ON components (sbom_id, idx);
CREATE INDEX components_identity ON components (identity);

CREATE TABLE dependencies (
	sbom_id BIGINT NOT NULL REFERENCES sboms (id) ON DELETE CASCADE,
	from_idx BIGINT NOT NULL,
	to_idx BIGINT NOT NULL,
	kind TEXT NOT NULL
);
CREATE INDEX dependencies_sbom ON dependencies (sbom_id);
