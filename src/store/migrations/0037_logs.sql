-- 0037: the log store of the evidence room (src/evidence/, issue 21).
--
-- Events are kept in zstd-compressed blocks. A block is open (segment_id 0:
-- its compressed bytes in data, written by ingest in one commit) until its
-- source is sealed: then its events are packed into a segment (a file kept
-- through the artifact store of the update room under its SHA-256, also
-- entered in the audit trail as logs.seal) and the block rows name their
-- place in it (off, stored_bytes; data NULL). The block rows are the index:
-- time range, product, version and source.
CREATE TABLE log_segments (
	id @ID@,
	source TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	bytes BIGINT NOT NULL,
	raw_bytes BIGINT NOT NULL,
	events BIGINT NOT NULL,
	blocks BIGINT NOT NULL,
	min_time BIGINT NOT NULL,
	max_time BIGINT NOT NULL,
	dict_len BIGINT NOT NULL DEFAULT 0,
	sealed_at BIGINT NOT NULL,
	expired_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX log_segments_source ON log_segments (source, max_time);

CREATE TABLE log_blocks (
	id @ID@,
	segment_id BIGINT NOT NULL DEFAULT 0,
	source TEXT NOT NULL,
	product TEXT NOT NULL,
	version TEXT NOT NULL,
	min_time BIGINT NOT NULL,
	max_time BIGINT NOT NULL,
	events BIGINT NOT NULL,
	raw_bytes BIGINT NOT NULL,
	stored_bytes BIGINT NOT NULL,
	off BIGINT NOT NULL DEFAULT 0,
	received_at BIGINT NOT NULL,
	data @BLOB@
);
CREATE INDEX log_blocks_pvs ON log_blocks (product, version, source, min_time);
CREATE INDEX log_blocks_time ON log_blocks (min_time);
CREATE INDEX log_blocks_segment ON log_blocks (segment_id, source);

-- Mapping rules: events of source whose field matches pattern (a glob) get
-- product and version when they came without.
CREATE TABLE log_maps (
	id @ID@,
	source TEXT NOT NULL,
	field TEXT NOT NULL,
	pattern TEXT NOT NULL,
	product TEXT NOT NULL,
	version TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL
);

-- Retention per source in years (default: setting logs.retention_years, 10);
-- fewer than 10 only with a reason (audited as logs.retention.override).
CREATE TABLE log_retention (
	source TEXT PRIMARY KEY,
	years BIGINT NOT NULL,
	reason TEXT,
	set_at BIGINT NOT NULL,
	set_by TEXT NOT NULL
);

-- Legal holds: no segment they cover (time range overlap, product) expires
-- while released_at is 0.
CREATE TABLE log_holds (
	id @ID@,
	since BIGINT NOT NULL DEFAULT 0,
	until BIGINT NOT NULL DEFAULT 0,
	product TEXT NOT NULL DEFAULT '',
	case_ref TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	released_at BIGINT NOT NULL DEFAULT 0,
	released_by TEXT
);

-- The last audit record copied into the log store as one of vigil's own
-- events (logs_audit_copy(), job logs.audit): one row.
CREATE TABLE log_audit_mark (
	id BIGINT PRIMARY KEY,
	seq BIGINT NOT NULL
);
INSERT INTO log_audit_mark (id, seq) VALUES (1, 0);
