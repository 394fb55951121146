-- 0005: PSIRT cases (CVD intake, 48-hour acknowledgement clock, messages,
-- links) and the Article 14 record: exposures (actively exploited
-- vulnerabilities and severe incidents) with their awareness time, the
-- obligations each one starts, versioned drafts, approvals and the record of
-- the manual filing on the ENISA single reporting platform.

CREATE TABLE psirt_cases (
	id @ID@,
	state TEXT NOT NULL,
	title TEXT NOT NULL,
	product TEXT,
	product_version TEXT,
	description TEXT,
	impact TEXT,
	poc TEXT,
	reporter_contact TEXT,
	credit_consent BIGINT NOT NULL DEFAULT 0,
	credit TEXT,
	assignee TEXT,
	embargo_until BIGINT,
	source TEXT NOT NULL,
	token_sha256 TEXT UNIQUE,
	remote_sha256 TEXT,
	received_at BIGINT NOT NULL,
	ack_due_at BIGINT NOT NULL,
	acknowledged_at BIGINT,
	ack_warned BIGINT NOT NULL DEFAULT 0,
	closed_at BIGINT,
	updated_at BIGINT NOT NULL
);
CREATE INDEX psirt_cases_remote ON psirt_cases (remote_sha256, received_at);

CREATE TABLE psirt_case_links (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES psirt_cases (id),
	kind TEXT NOT NULL,
	value TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (case_id, kind, value)
);

-- kind: 'from_reporter', 'to_reporter' (both visible to the reporter) or
-- 'note' (internal).
CREATE TABLE psirt_case_messages (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES psirt_cases (id),
	kind TEXT NOT NULL,
	author TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX psirt_case_messages_case ON psirt_case_messages (case_id, id);

-- kind: 'vulnerability' (actively exploited, 14(1)-(2)) or 'incident'
-- (severe incident, 14(3)-(4)). facts_json holds the draft fields people fill
-- in (summary, nature, measures, sensitivity, ...).
CREATE TABLE art14_exposures (
	id @ID@,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	case_id BIGINT REFERENCES psirt_cases (id),
	finding TEXT,
	vuln_id TEXT,
	product TEXT,
	product_version TEXT,
	member_states TEXT,
	suspected_malicious BIGINT NOT NULL DEFAULT 0,
	aware_at BIGINT NOT NULL,
	aware_by TEXT NOT NULL,
	aware_recorded_at BIGINT NOT NULL,
	evidence TEXT,
	fix_available_at BIGINT,
	facts_json TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX art14_exposures_finding ON art14_exposures (finding);

-- stage: 'early-warning', 'notification', 'intermediate', 'final'.
-- due_at NULL = undetermined (final report before its start event).
-- warned: bits of the alerts already sent (1 = 50 %, 2 = 75 %, 4 = 90 %,
-- 8 = breach), so each is sent once.
CREATE TABLE art14_obligations (
	id @ID@,
	exposure_id BIGINT NOT NULL REFERENCES art14_exposures (id),
	stage TEXT NOT NULL,
	starts_at BIGINT,
	due_at BIGINT,
	warned BIGINT NOT NULL DEFAULT 0,
	submitted_at BIGINT,
	submitted_reference TEXT,
	submitted_by TEXT,
	submitted_draft BIGINT,
	UNIQUE (exposure_id, stage)
);

CREATE TABLE art14_drafts (
	id @ID@,
	exposure_id BIGINT NOT NULL REFERENCES art14_exposures (id),
	stage TEXT NOT NULL,
	version BIGINT NOT NULL,
	body_json TEXT NOT NULL,
	body_sha256 TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (exposure_id, stage, version)
);

CREATE TABLE art14_approvals (
	id @ID@,
	draft_id BIGINT NOT NULL REFERENCES art14_drafts (id),
	approved_by TEXT NOT NULL,
	approved_at BIGINT NOT NULL,
	UNIQUE (draft_id, approved_by)
);
