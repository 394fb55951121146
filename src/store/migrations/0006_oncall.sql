-- 0006: PSIRT reachability: watched security.txt locations and their check
-- history, mailto: contact probes, the PSIRT OpenPGP key record (rotation
-- history), and on-call paging (people, weekly rotations, escalation
-- policies, pages with hashed acknowledgement tokens, drills).

CREATE TABLE securitytxt_watches (
	id @ID@,
	url TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);

CREATE TABLE securitytxt_checks (
	id @ID@,
	watch_id BIGINT NOT NULL REFERENCES securitytxt_watches (id),
	checked_at BIGINT NOT NULL,
	status TEXT NOT NULL,
	errors BIGINT NOT NULL DEFAULT 0,
	warnings BIGINT NOT NULL DEFAULT 0,
	findings BIGINT NOT NULL DEFAULT 0,
	expires_at BIGINT,
	fetched_url TEXT,
	encryption TEXT,
	codes TEXT
);
CREATE INDEX securitytxt_checks_watch ON securitytxt_checks (watch_id, checked_at);

CREATE TABLE securitytxt_probes (
	id @ID@,
	contact TEXT NOT NULL,
	token_sha256 TEXT NOT NULL UNIQUE,
	status TEXT NOT NULL,
	sent_at BIGINT NOT NULL,
	send_error TEXT,
	confirmed_at BIGINT,
	confirmed_by TEXT
);

CREATE TABLE pgp_keys (
	id @ID@,
	fingerprint TEXT NOT NULL UNIQUE,
	state TEXT NOT NULL,
	algorithm TEXT,
	bits BIGINT,
	expires_at BIGINT,
	previous TEXT,
	cross_signed BIGINT NOT NULL DEFAULT 0,
	published_at BIGINT,
	published_to TEXT,
	added_at BIGINT NOT NULL,
	retired_at BIGINT
);

CREATE TABLE oncall_people (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	user_login TEXT,
	channel TEXT,
	created_at BIGINT NOT NULL
);

CREATE TABLE oncall_rotations (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	tz TEXT NOT NULL,
	start_at BIGINT NOT NULL,
	handover_wday BIGINT NOT NULL,
	handover_hour BIGINT NOT NULL,
	members TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE oncall_policies (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	levels_json TEXT NOT NULL,
	repeat_limit BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE oncall_pages (
	id @ID@,
	policy_id BIGINT NOT NULL REFERENCES oncall_policies (id),
	summary TEXT NOT NULL,
	severity TEXT NOT NULL,
	source TEXT NOT NULL,
	dedup_key TEXT,
	drill BIGINT NOT NULL DEFAULT 0,
	status TEXT NOT NULL,
	level BIGINT NOT NULL,
	round BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	next_escalation_at BIGINT,
	acknowledged_at BIGINT,
	acknowledged_by TEXT,
	ack_level BIGINT
);
CREATE INDEX oncall_pages_open ON oncall_pages (status, next_escalation_at);

CREATE TABLE oncall_notifications (
	id @ID@,
	page_id BIGINT NOT NULL REFERENCES oncall_pages (id),
	level BIGINT NOT NULL,
	round BIGINT NOT NULL,
	target TEXT NOT NULL,
	channel TEXT NOT NULL,
	token_sha256 TEXT NOT NULL UNIQUE,
	sent_at BIGINT NOT NULL
);

CREATE TABLE oncall_drills (
	id @ID@,
	page_id BIGINT NOT NULL REFERENCES oncall_pages (id),
	started_at BIGINT NOT NULL,
	acknowledged_at BIGINT,
	ack_seconds BIGINT,
	ack_level BIGINT,
	result TEXT NOT NULL
);
