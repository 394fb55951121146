-- 0028: binary deltas between published releases (issue 20, src/update/delta.c).
-- delta_jobs: a published release waiting for the job "delta.make" (queued by
-- the event release.published, never made in the publish request); done_at
-- is set when the job ran for it, with how many deltas it made or the error.
-- deltas: a patch (docs/delta-format.md) that rebuilds the artifact of
-- to_release from the artifact of the same name of from_release; it is the
-- TUF target `target` of the product's delegated role (tuf_version).
CREATE TABLE delta_jobs (
	release_id BIGINT PRIMARY KEY,
	product TEXT NOT NULL,
	version TEXT NOT NULL,
	queued_at BIGINT NOT NULL,
	done_at BIGINT NOT NULL DEFAULT 0,
	made BIGINT NOT NULL DEFAULT 0,
	error TEXT
);
CREATE TABLE deltas (
	id @ID@,
	product TEXT NOT NULL,
	from_release_id BIGINT NOT NULL,
	from_version TEXT NOT NULL,
	to_release_id BIGINT NOT NULL,
	to_version TEXT NOT NULL,
	artifact TEXT NOT NULL,
	full_target TEXT NOT NULL,
	full_length BIGINT NOT NULL,
	full_sha256 TEXT NOT NULL,
	target TEXT NOT NULL,
	length BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	tuf_version BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (to_release_id, artifact, from_release_id)
);
CREATE INDEX deltas_offer ON deltas (to_release_id, full_target, from_version);
