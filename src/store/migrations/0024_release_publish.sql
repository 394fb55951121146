-- The publisher of issue 18 (release publish): the version of the product's
-- delegated TUF role the release went out in (0: not published), and the
-- last refused publish (when and why; the audit trail has every one).
ALTER TABLE releases ADD COLUMN tuf_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE releases ADD COLUMN publish_refused_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE releases ADD COLUMN publish_refusal TEXT;
