-- 0044: durable events (core/events.h, store/outbox.c). An event whose
-- effects must not be lost (an SBOM imported: its findings; a vulnerability
-- exploited: its Article 14 exposure and its page) is a row committed in the
-- transaction that caused it, with the subscribers still to call. The row
-- goes when every subscriber has succeeded; until then the job
-- "events.redeliver" calls those left, with a growing pause. Found by the
-- fault injection test (tests/unit/test_fault.c): a failure after the
-- commit used to be logged and lost.
CREATE TABLE event_outbox (
	id @ID@,
	name TEXT NOT NULL,
	payload TEXT NOT NULL,     -- JSON
	pending TEXT NOT NULL,     -- JSON array of subscriber names still to call
	created_at BIGINT NOT NULL,
	next_at BIGINT NOT NULL,   -- not before: the emitter delivers first
	attempts BIGINT NOT NULL DEFAULT 0,
	last_error TEXT
);
CREATE INDEX event_outbox_next ON event_outbox (next_at);
