-- 0009: the public CVD portal. A report sent through the web form may carry
-- an OpenPGP-encrypted body (kept as the armored text, decrypted only by the
-- PSIRT outside vigil) and the nonce of the signed form it came from (unique:
-- a form can be sent once; a replay is refused). Attachments are kept
-- compressed in blobs (addressed by SHA-256, like SBOM originals); n numbers
-- them 1, 2, ... within their case.

ALTER TABLE psirt_cases ADD COLUMN encrypted_body TEXT;
ALTER TABLE psirt_cases ADD COLUMN form_nonce TEXT;
CREATE UNIQUE INDEX psirt_cases_form_nonce ON psirt_cases (form_nonce);

CREATE TABLE psirt_case_attachments (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES psirt_cases (id),
	n BIGINT NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL REFERENCES blobs (sha256),
	created_at BIGINT NOT NULL,
	UNIQUE (case_id, n)
);
