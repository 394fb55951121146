-- 0021: signers of the update room (src/update/signer.c): a key inside a
-- PKCS#11 token, named by an RFC 7512 pkcs11: URI (never with pin-value), or
-- a software key file for development only. No secret is stored: pin_file
-- is the path of a file holding the PIN (NULL: VIGIL_PKCS11_PIN), uri of a
-- software signer the absolute path of its key file. public_hex is the
-- public key as read back when the signer was added (Ed25519: 32 bytes;
-- P-256: the uncompressed point); opening a signer whose key no longer
-- matches it is refused.
CREATE TABLE signers (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('pkcs11', 'software')),
	uri TEXT NOT NULL,
	pin_file TEXT,
	algorithm TEXT NOT NULL CHECK (algorithm IN ('ed25519', 'p256')),
	public_hex TEXT NOT NULL,
	development_only BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL
);
