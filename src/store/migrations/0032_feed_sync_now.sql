-- 0032: "sync now" from the feed status page (issue 17). One row, name
-- 'feeds': the last request (who, when) and the last run of the feed sync
-- job (start, end, result, counts, the messages of failed or skipped
-- feeds as a JSON array). The leader's job claims a pending request
-- (requested_at > started_at) and runs the sync outside any request.
CREATE TABLE feed_sync_now (
	name TEXT PRIMARY KEY,
	requested_at BIGINT,
	requested_by TEXT,
	started_at BIGINT,
	finished_at BIGINT,
	ok BIGINT,
	message TEXT,
	fetched BIGINT,
	not_modified BIGINT,
	imported BIGINT,
	updated BIGINT,
	messages TEXT
);
