-- 0022: releases, their artifacts, trusted CI keys and the verification
-- gate's runs (src/update/, issue 18). Owned by the update room.
--
-- Artifact bytes are kept once per content (SHA-256, hex) in one of two
-- backends (update.artifact_store): a directory (backend 'dir', the file
-- <update.artifact_dir>/<first two hex digits>/<sha256>) or the database
-- itself (backend 'db', artifact_chunks: 1 MiB chunks numbered from 0), so
-- that several servers on one PostgreSQL serve every artifact.
CREATE TABLE artifact_blobs (
	sha256 TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	backend TEXT NOT NULL,
	chunks BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
CREATE TABLE artifact_chunks (
	sha256 TEXT NOT NULL,
	seq BIGINT NOT NULL,
	data @BLOB@ NOT NULL,
	PRIMARY KEY (sha256, seq)
);

-- A trusted CI key: the public key (PEM, SubjectPublicKeyInfo) whose
-- detached signatures of artifacts the gate accepts while not revoked.
CREATE TABLE ci_keys (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	algorithm TEXT NOT NULL,
	public_pem TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	revoked_at BIGINT NOT NULL DEFAULT 0,
	revoked_by TEXT,
	revoke_reason TEXT
);

-- One release per product version (sbom's version id; product and version
-- are copied so a release names what it was made for). published_at is set
-- by the publisher (the TUF part of issue 18), 0 until then.
CREATE TABLE releases (
	id @ID@,
	version_id BIGINT NOT NULL UNIQUE,
	product TEXT NOT NULL,
	version TEXT NOT NULL,
	notes TEXT,
	security INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	yanked_at BIGINT NOT NULL DEFAULT 0,
	yanked_by TEXT,
	yank_reason TEXT,
	published_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX releases_product ON releases (product, created_at);

-- The vulnerabilities a security release fixes (release create --fixes).
CREATE TABLE release_fixes (
	release_id BIGINT NOT NULL REFERENCES releases (id),
	vuln_id TEXT NOT NULL,
	PRIMARY KEY (release_id, vuln_id)
);
CREATE INDEX release_fixes_vuln ON release_fixes (vuln_id);

-- An artifact of a release: a target name (a relative path), its bytes
-- (artifact_blobs), the CI signature given with it (NULL: unsigned) and the
-- CI key it verified with at upload, and an in-toto/SLSA provenance.
CREATE TABLE release_artifacts (
	id @ID@,
	release_id BIGINT NOT NULL REFERENCES releases (id),
	name TEXT NOT NULL,
	sha256 TEXT NOT NULL REFERENCES artifact_blobs (sha256),
	size BIGINT NOT NULL,
	signature @BLOB@,
	ci_key_id BIGINT REFERENCES ci_keys (id),
	provenance TEXT,
	provenance_type TEXT,
	uploaded_at BIGINT NOT NULL,
	uploaded_by TEXT NOT NULL,
	UNIQUE (release_id, name)
);
CREATE INDEX release_artifacts_sha ON release_artifacts (sha256);

-- Each run of the gate's checks (update_release_check): the summary per
-- check and the whole report, for the releases page.
CREATE TABLE release_checks (
	id @ID@,
	release_id BIGINT NOT NULL REFERENCES releases (id),
	checked_at BIGINT NOT NULL,
	checked_by TEXT NOT NULL,
	passed INTEGER NOT NULL,
	version_ok INTEGER NOT NULL,
	hashes_ok INTEGER NOT NULL,
	signed_ok INTEGER NOT NULL,
	keys_ok INTEGER NOT NULL,
	signatures_ok INTEGER NOT NULL,
	report_json TEXT NOT NULL
);
CREATE INDEX release_checks_release ON release_checks (release_id, checked_at);
