-- 0004: notification channels, rules mapping events to channels, and the
-- delivery queue (retried with backoff, visible with `vigil notify log`).

CREATE TABLE notify_channels (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	config_json TEXT NOT NULL,
	enabled BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

CREATE TABLE notify_rules (
	id @ID@,
	event TEXT NOT NULL,
	min_severity TEXT,
	channel_id BIGINT NOT NULL REFERENCES notify_channels (id),
	created_at BIGINT NOT NULL
);

CREATE TABLE notify_deliveries (
	id @ID@,
	event TEXT NOT NULL,
	channel_id BIGINT NOT NULL REFERENCES notify_channels (id),
	payload_json TEXT NOT NULL,
	dedup_key TEXT,
	status TEXT NOT NULL,
	attempts BIGINT NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	last_error TEXT,
	response_code BIGINT,
	created_at BIGINT NOT NULL,
	sent_at BIGINT
);
CREATE INDEX notify_deliveries_due ON notify_deliveries (status, next_attempt_at);
