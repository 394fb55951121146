-- 0034: forms posted after the session ended, kept for after the login
-- (src/http/ui.c, docs/security.md "Forms that outlive their session").
-- id_hash is the SHA-256 of the random id held only by the browser in the
-- cookie vigil_pending; body is the url-encoded form as posted (at most
-- UI_PENDING_MAX bytes); remote_hash the SHA-256 of the client address
-- (a per-address cap). Rows are bookkeeping (no audit record): deleted
-- when offered once (GET /ui/resume), replaced by the browser's next one,
-- and dropped after ui.pending_ttl seconds.
CREATE TABLE ui_pending (
    id_hash TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    remote_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ui_pending_expires ON ui_pending (expires_at);
CREATE INDEX ui_pending_remote ON ui_pending (remote_hash);
