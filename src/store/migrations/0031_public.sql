-- 0031 (issue 17, the public face): the security.txt settings a lead sets in
-- the browser (/ui/securitytxt). A row overrides the [securitytxt] key of the
-- configuration file of the same name (securitytxt.contact,
-- securitytxt.preferred_languages, securitytxt.expires_days,
-- securitytxt.sign); every change is audited as securitytxt.settings.

CREATE TABLE securitytxt_settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);
