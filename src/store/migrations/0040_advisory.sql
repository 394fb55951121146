-- 0040: CSAF security advisories drafted from PSIRT cases (issue 22, the
-- advisory room). One advisory per tracking id; every revision of its
-- document is kept (kind: draft, edit, publish, withdraw), never deleted.
-- state: draft (being edited), approved (the latest revision approved by
-- enough people), published, withdrawn (a published version saying so).
-- csaf_version is the number of the last published CSAF version (0: never
-- published); initial_release_at the first publication.
CREATE TABLE csaf_advisories (
	id @ID@,
	case_id BIGINT NOT NULL,
	tracking_id TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	state TEXT NOT NULL,
	tlp TEXT NOT NULL DEFAULT 'WHITE',
	revision BIGINT NOT NULL DEFAULT 1,
	csaf_version BIGINT NOT NULL DEFAULT 0,
	initial_release_at BIGINT NOT NULL DEFAULT 0,
	current_release_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX csaf_advisories_case ON csaf_advisories (case_id);

CREATE TABLE csaf_advisory_revisions (
	advisory_id BIGINT NOT NULL REFERENCES csaf_advisories (id),
	n BIGINT NOT NULL,
	kind TEXT NOT NULL,
	doc TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	summary TEXT,
	notice_json TEXT,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (advisory_id, n)
);

-- Approvals of one revision; the same person approves a revision once.
CREATE TABLE csaf_advisory_approvals (
	advisory_id BIGINT NOT NULL REFERENCES csaf_advisories (id),
	revision BIGINT NOT NULL,
	approved_by TEXT NOT NULL,
	approved_at BIGINT NOT NULL,
	PRIMARY KEY (advisory_id, revision, approved_by)
);
