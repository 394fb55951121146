-- 0039: the programme record (src/programme/, issue 23).
--
-- scope_systems: the scope map, one row per internal system. class is
-- business-it, support-infrastructure or product-infrastructure;
-- assessment is assumed, assessed or needs-assessment; review_at the date
-- (00:00 UTC) the entry must be looked at again (the deadline clock
-- "scope.review" alerts once it has passed); products the names of the
-- products it serves, comma separated (checked against products on every
-- write); proposal names which of vigil's own proposals it was confirmed
-- from (NULL: entered by a person). retired_at: no longer in use (kept as
-- part of the record, never deleted).
CREATE TABLE scope_systems (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	owner TEXT NOT NULL,
	class TEXT NOT NULL,
	rationale TEXT NOT NULL DEFAULT '',
	assessment TEXT NOT NULL,
	review_at BIGINT NOT NULL,
	reviewed_at BIGINT NOT NULL DEFAULT 0,
	products TEXT NOT NULL DEFAULT '',
	data_held TEXT NOT NULL DEFAULT '',
	network_zone TEXT NOT NULL DEFAULT '',
	proposal TEXT,
	revision BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	updated_by TEXT NOT NULL,
	retired_at BIGINT NOT NULL DEFAULT 0,
	retired_by TEXT
);
CREATE INDEX scope_systems_review ON scope_systems (retired_at, review_at);

-- support_periods: per product (sbom's product id, read through
-- sbom_product_view), when it was placed on the market and when its
-- support period ends, as given: YYYY-MM or YYYY-MM-DD. The retention end
-- of the technical file and the availability of updates are derived
-- (programme/programme.h), never stored.
CREATE TABLE support_periods (
	product_id BIGINT PRIMARY KEY,
	placed_on_market TEXT NOT NULL,
	support_end TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	updated_by TEXT NOT NULL
);

-- readiness_snapshots: the readiness score once a day (the job
-- readiness.snapshot, or `vigil readiness snapshot`), for its history.
CREATE TABLE readiness_snapshots (
	day TEXT PRIMARY KEY,
	at BIGINT NOT NULL,
	score BIGINT NOT NULL,
	max_score BIGINT NOT NULL,
	checks_json TEXT NOT NULL
);
