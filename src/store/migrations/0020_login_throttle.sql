-- 0020: login throttling per (account, client address) and per address,
-- with growing delays instead of an account-wide lockout (src/auth/auth.c).
-- Keys are now "p:" or "a:" and a keyed hash (core/secret.h, purpose
-- "login-addr"), never a clear address or user name; the counters kept
-- under the old keys ("user:NAME", "addr:ADDRESS") are dropped with them.
-- window_start is when the current run of failures began, last_failure
-- the last attempt counted (the delay runs from it).
DELETE FROM login_attempts;
ALTER TABLE login_attempts ADD COLUMN last_failure BIGINT NOT NULL DEFAULT 0;
