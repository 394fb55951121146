-- 0026: devices (src/update/device.c, issue 19). Owned by the update room;
-- read by the fleet exposure (issue 19 item 4) through update/device.h.
--
-- A device is enrolled for one product (sbom's products.id) and holds one
-- credential: a random token of which only the SHA-256 (hex) is kept in
-- token_hash. installed_version is what the device last said it runs;
-- version_id is that version's product_versions row when the product has
-- it (NULL when unknown). last_seen is written in batches by each server's
-- flush job, never by the check-in itself. cohort (0..9999) is a stable
-- hash of the id: a rollout stage of p % offers to cohorts below p * 100.
-- status_seq is the highest status report sequence counted, so a replayed
-- report is refused and counted once.
CREATE TABLE devices (
	id TEXT PRIMARY KEY,
	product_id BIGINT NOT NULL REFERENCES products (id),
	channel TEXT,
	hardware TEXT,
	installed_version TEXT,
	version_id BIGINT NULL,
	last_seen BIGINT,
	created_at BIGINT,
	revoked_at BIGINT,
	token_hash TEXT NOT NULL UNIQUE,
	cohort BIGINT NOT NULL DEFAULT 0,
	created_by TEXT,
	revoked_by TEXT,
	revoke_reason TEXT,
	status_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX devices_product ON devices (product_id, installed_version);
CREATE INDEX devices_version ON devices (version_id);
