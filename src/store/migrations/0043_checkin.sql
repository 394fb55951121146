-- 0043: what rollouts really offered, and one-time enrollment tokens
-- (src/update/device.c, src/update/checkin.c; issue 19 items 1 and 3).
--
-- rollout_offers: one row per device a rollout answered "install" at a
-- check-in (first time only), with the stage it was in then. The check-in
-- keeps the offers in memory; every server's flush job writes them in one
-- transaction (no write per check-in). A status report also records the
-- offer (a device reporting on a rollout was offered it). The rollout
-- status's "offered" counts these rows, per stage cohort band.
CREATE TABLE rollout_offers (
	rollout_id BIGINT NOT NULL REFERENCES rollouts (id),
	device_id TEXT NOT NULL,
	stage BIGINT NOT NULL,
	offered_at BIGINT NOT NULL,
	PRIMARY KEY (rollout_id, device_id)
);

-- device_enrollments: a one-time enrollment token ("vge_" + 43 base64url
-- characters, shown once, only its SHA-256 kept) that one device exchanges
-- for its own device credential (POST /api/v1/device/enroll) before
-- expires_at. used_at / device_id are set by the exchange (single use);
-- revoked_at by `vigil device enroll-revoke`.
CREATE TABLE device_enrollments (
	id @ID@,
	token_hash TEXT NOT NULL UNIQUE,
	product_id BIGINT NOT NULL REFERENCES products (id),
	channel TEXT,
	hardware TEXT,
	version TEXT,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT,
	device_id TEXT,
	revoked_at BIGINT
);
