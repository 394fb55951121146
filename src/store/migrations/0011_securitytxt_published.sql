-- 0011: the security.txt that `vigil serve` publishes at
-- /.well-known/security.txt, every generation kept (what was served when).
-- prev_id is the generation it replaces (0 for the first): two servers
-- renewing at once cannot both publish.

CREATE TABLE securitytxt_published (
	id @ID@,
	prev_id BIGINT NOT NULL UNIQUE,
	body TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	config_sha256 TEXT NOT NULL,
	signed INTEGER NOT NULL,
	signer TEXT,
	reason TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	generated_at BIGINT NOT NULL
);
