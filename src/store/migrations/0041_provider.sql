-- 0041 (issue 22 item 3, the trusted CSAF provider): every published version
-- of a CSAF document exactly as served, its hashes and its OpenPGP detached
-- signature, and the public keys that made the signatures. Rows are only
-- ever added (provider_put() inside the publisher's audited transaction):
-- the newest version of a tracking id is the one served, nothing is deleted.

CREATE TABLE csaf_provider_documents (
	id @ID@,
	tracking_id TEXT NOT NULL,
	version TEXT NOT NULL,
	tlp TEXT NOT NULL,
	path TEXT NOT NULL,
	initial_release BIGINT NOT NULL,
	current_release BIGINT NOT NULL,
	data @BLOB@ NOT NULL,
	sha256 TEXT NOT NULL,
	sha512 TEXT NOT NULL,
	signature TEXT NOT NULL,
	key_fingerprint TEXT NOT NULL,
	published_at BIGINT NOT NULL,
	UNIQUE (tracking_id, version)
);
CREATE INDEX csaf_provider_documents_path ON csaf_provider_documents (path, id);

CREATE TABLE csaf_provider_keys (
	fingerprint TEXT PRIMARY KEY,
	public_key TEXT NOT NULL,
	added_at BIGINT NOT NULL
);
