/*
 * config_keys.c - every configuration key vigil reads: the one table.
 *
 * vg_config_load refuses an INI key not listed here (naming the line);
 * `vigil config keys --markdown` prints this table, and docs/configuration.md
 * is that output (tests/integration/t0023-config.sh fails when they differ,
 * when the code reads a key missing here, or when a literal default in the
 * code differs from the one written here). Keep rows sorted by section, then
 * name. The INI form is `[section]` + `name = value`; the environment form
 * VIGIL_SECTION_NAME overrides both.
 */
#include "app/app.h"
#include "core/config.h"

#include "core/banned.h"

const struct vg_config_key app_config_keys[] = {
    {"advisory.id_prefix", "VIGIL-SA",
     "Prefix of the tracking ids of CSAF advisories (`PREFIX-YYYY-NNNN`)."},
    {"art14.four_eyes", "auto",
     "Four-eyes review of Article 14 drafts: `auto` (on when two or more enabled users have the "
     "role psirt or admin), `always` (also `on`, `1`) or `off` (also `0`). Another value is "
     "refused, naming the setting."},
    {"audit.key_file", "(SQLite: `<database file>.checkpoint.key`; else beside `secrets.key_file`)",
     "The Ed25519 key (signed-note signer-key line, mode 0600) that signs audit checkpoints, "
     "evidence bundles and technical files; made by `vigil init` when missing. Every server of "
     "one PostgreSQL needs the same file."},
    {"audit.key_name", "(`audit.origin`)",
     "The key's name in the verifier key and signature lines."},
    {"audit.origin", "(host of `server.public_url` + `/audit`, else `vigil.invalid/audit`)",
     "The first line of every checkpoint, the log's name for witnesses; set it before the first "
     "checkpoint."},
    {"audit.signer", "key-file",
     "Who signs checkpoints and bundles: the key file, or the name of an Ed25519 signer of "
     "`vigil signer` (PKCS#11)."},
    {"auth.failure_window", "86400",
     "Seconds without a failed login after which a pair's or address's count starts again."},
    {"auth.local_login", "on",
     "Password logins on the login page: `on`, `admins` (only administrators: the break-glass "
     "accounts for when single sign-on fails) or `off` (needs `oidc.issuer`). Another value "
     "refuses the start."},
    {"auth.max_delay", "900", "The longest wait after failed logins, seconds."},
    {"auth.max_failures", "5",
     "Failed logins of one account from one client address before that pair waits (2 s, then "
     "4, 8 ...; no account-wide lockout)."},
    {"auth.max_failures_per_address", "20",
     "Failed logins from one client address, any account, before that address waits."},
    {"auth.password_checks", "2",
     "Password checks (argon2id, 19 MiB each) running at once in the server, whatever the "
     "number of clients."},
    {"auth.password_wait_ms", "100",
     "Milliseconds a login waits for a free password check (one login at a time waits) before "
     "it is answered 503 with `Retry-After` (not counted as a failure)."},
    {"auth.session_ttl", "28800", "Browser session lifetime, seconds."},
    {"backup.pg_dump", "pg_dump",
     "`vigil backup` on PostgreSQL: the pg_dump program (its major version must be at least "
     "the server's)."},
    {"backup.pg_restore", "pg_restore", "`vigil restore` on PostgreSQL: the pg_restore program."},
    {"database.url", "./var/vigil.db",
     "The database: a SQLite file path or a `postgresql://` URL (also `--db`, `VIGIL_DB`)."},
    {"feeds.cacert", "(system CAs)", "CA file for feed HTTPS."},
    {"feeds.csaf_url", "(none)", "CSAF 2.0 document URL(s), blank- or comma-separated."},
    {"feeds.kev_url", "(none)", "CISA KEV catalogue URL."},
    {"feeds.nvd_api_key", "(none)", "Sent as the `apiKey` header to the NVD API."},
    {"feeds.nvd_url", "(none)",
     "NVD CVE API 2.0 URL(s); paged, `lastModStartDate`/`lastModEndDate` from the last sync."},
    {"feeds.osv_url", "(none)",
     "`vigil feed sync`: OSV JSON/YAML record or zip dump URL(s), blank-separated."},
    {"feeds.sync_interval", "0",
     "Seconds between scheduled feed syncs (job `feeds.sync`); 0: only when asked."},
    {"feeds.timeout", "600", "Seconds per feed request."},
    {"jobs.tick", "10",
     "Seconds between scheduler ticks; also how soon another server takes "
     "over as leader."},
    {"logs.ingest_concurrency", "2",
     "`POST /api/v1/logs` requests written at once per server; more get 503 with Retry-After."},
    {"logs.retention_years", "10",
     "Years a source's sealed log segments are kept after their newest event (at least 10; "
     "shorter only per source with an audited override)."},
    {"logs.seal_age", "1h", "Open log blocks older than this are sealed into a segment."},
    {"logs.seal_bytes", "67108864",
     "Open log blocks of a source holding this many raw bytes are sealed into a segment."},
    {"logs.syslog_frame_max", "65536",
     "Bytes of a syslog frame: a longer octet count drops the connection, a longer line is cut."},
    {"logs.syslog_frame_timeout", "10", "Seconds a syslog frame may stay unfinished."},
    {"logs.syslog_idle_timeout", "300", "Seconds a syslog connection may stay silent."},
    {"logs.syslog_listen", "(none)",
     "`ADDR:PORT` of the syslog listener over TCP (also `vigil serve --syslog-listen`)."},
    {"logs.syslog_max_conns", "256", "Syslog connections at once; more are closed at once."},
    {"logs.syslog_tls_cert", "(none)", "PEM certificate of the syslog TLS listener."},
    {"logs.syslog_tls_key", "(none)", "PEM key of the syslog TLS listener."},
    {"logs.syslog_tls_listen", "(none)",
     "`ADDR:PORT` of the syslog listener over TLS, RFC 5425 (also `--syslog-tls-listen`)."},
    {"notify.cacert", "(system CAs)", "CA file for webhook and mail HTTPS."},
    {"notify.direct_channel", "(the first enabled e-mail channel)",
     "The e-mail channel of direct e-mails (the reporter's tracking link when "
     "`psirt.mail_channel` is not set)."},
    {"notify.max_attempts", "8", "Delivery attempts of one notification before it is given up."},
    {"notify.timeout", "20", "Seconds per delivery attempt."},
    {"oidc.cacert", "(system CAs)", "CA file for HTTPS to the OpenID provider."},
    {"oidc.client_id", "(none)", "Single sign-on: the client id registered at the provider."},
    {"oidc.client_secret", "(none)",
     "Single sign-on: the client secret (sent with HTTP Basic to the token endpoint); better "
     "given as `VIGIL_OIDC_CLIENT_SECRET` than in the file."},
    {"oidc.clock_skew", "60",
     "Seconds of clock difference tolerated on the ID token's `exp` and `iat` (0 to 300)."},
    {"oidc.issuer", "(none: single sign-on off)",
     "The OpenID provider's issuer URL (https; http only on the loopback address). Its "
     "discovery document must answer when the server starts."},
    {"oidc.redirect_url", "(`server.public_url` + `/ui/oidc/callback`, else from the Host header)",
     "The redirect URI registered at the provider; the internal listener's "
     "`/ui/oidc/callback`."},
    {"oidc.role_claim", "groups", "The ID token claim holding the user's groups."},
    {"oidc.role_map", "(none: required with `oidc.issuer`)",
     "`group:role` pairs, comma-separated (e.g. `vigil-psirt:psirt,vigil-admins:admin`; roles "
     "admin, psirt, auditor). A user gets the most privileged role of their groups; a user "
     "with none is refused."},
    {"oidc.scopes", "openid profile email groups", "The scopes asked of the provider."},
    {"oidc.timeout", "10", "Seconds per request to the provider (1 to 120)."},
    {"oidc.user_claim", "preferred_username",
     "The ID token claim that names the vigil user (else `sub`)."},
    {"oncall.policy", "(the first policy)", "The escalation policy pages use by default."},
    {"org.logo", "(none)",
     "The organisation's logo on the public pages: a `.png`/`.svg`/`.jpg`/`.webp`/`.gif` file "
     "or a path under `/static/`."},
    {"org.name", "(none: \"Security\")", "The organisation's name on every public page."},
    {"pgp.key", "(the first secret key)",
     "The PSIRT OpenPGP key (fingerprint or user id) when none is recorded yet."},
    {"psirt.ack_hours", "48", "Hours to acknowledge a report."},
    {"psirt.attachment_max", "10485760", "Bytes of one report attachment."},
    {"psirt.attachments_max", "5", "Attachments per report."},
    {"psirt.attachments_total_max", "26214400", "Bytes of all attachments of a report."},
    {"psirt.cvd_policy_file", "(built-in text)",
     "The policy page: plain text or light Markdown, always shown escaped."},
    {"psirt.form_max_age", "7200", "Seconds a loaded report form stays valid."},
    {"psirt.form_secret", "(random per process)",
     "HMAC key of the report form token; set it when several servers share one database."},
    {"psirt.mail_channel", "(the first enabled e-mail channel)",
     "The e-mail channel that sends reporters their tracking link."},
    {"psirt.message_rate", "20", "Reporter messages per report per hour."},
    {"psirt.org_name", "(none)", "Older name of `org.name`, read when that is not set."},
    {"psirt.report_rate", "10", "Reports per client address per hour."},
    {"psirt.reporter_addr_days", "30",
     "Days the keyed hash of a reporter's address is kept (0: only the hour of the rate limit)."},
    {"sbom.max_bytes", "256M", "Largest SBOM document read."},
    {"sbom.policy", "standard",
     "`strict` refuses an SBOM with any violation of its official schema; `standard` accepts "
     "one whose violations do not affect what vigil reads and lists them."},
    {"sbom.schema_dir", "(installed schemas)", "Folder of the CycloneDX JSON schemas."},
    {"sbom.spdx_schema_dir", "(installed schemas)", "Folder of the SPDX JSON schemas."},
    {"secrets.key_file",
     "(SQLite: the database file + `.key`; else `$XDG_CONFIG_HOME/vigil/secret.key` or "
     "`~/.config/vigil/secret.key`)",
     "The master key file that seals secrets in the database (kept out of backups unless "
     "`--with-key`)."},
    {"securitytxt.acknowledgments", "(none)", "security.txt `Acknowledgments` URI(s)."},
    {"securitytxt.cacert", "(system CAs)", "CA file for watching other security.txt files."},
    {"securitytxt.canonical", "(none)", "security.txt `Canonical` URI(s)."},
    {"securitytxt.contact", "(none)", "security.txt `Contact` URI(s); the page's value wins."},
    {"securitytxt.csaf", "(none)", "security.txt `CSAF` URI(s)."},
    {"securitytxt.encryption", "(none)", "security.txt `Encryption` URI(s)."},
    {"securitytxt.expires_days", "180", "Days until the published file's `Expires` (2 to 3660)."},
    {"securitytxt.from", "(none)", "Sender address of the contact test e-mail."},
    {"securitytxt.hiring", "(none)", "security.txt `Hiring` URI(s)."},
    {"securitytxt.key", "(the PSIRT key)", "The OpenPGP key that signs security.txt."},
    {"securitytxt.policy", "(none)", "security.txt `Policy` URI(s)."},
    {"securitytxt.preferred_languages", "en", "security.txt `Preferred-Languages`."},
    {"securitytxt.renew_days", "60", "Days before `Expires` when the file is published again."},
    {"securitytxt.sign", "0", "1: publish security.txt signed (OpenPGP cleartext signature)."},
    {"securitytxt.smtp_url", "(none)", "SMTP server of the contact test e-mail."},
    {"securitytxt.timeout", "20", "Seconds per security.txt watch request."},
    {"server.access_log", "on",
     "`on`: every request is kept in the log store as the event `http.access` (source vigil: "
     "method, path, status, ms, user, role, client address, listener; a check-in's product and "
     "version); `off`: not kept."},
    {"server.body_budget", "256M",
     "Bytes of request bodies admitted and not yet handled, all requests together; at least "
     "`server.body_limit`."},
    {"server.body_limit", "64M", "Largest request body of an upload route (also `--body-limit`)."},
    {"server.body_min_rate", "64K",
     "A body gets one more second per this many bytes received (0: no rate)."},
    {"server.body_timeout", "60", "Seconds a request body may take, plus the rate allowance."},
    {"server.conn_memory", "32K",
     "Memory of one connection for its request line, headers and buffers (8K to 16M); "
     "headers larger than it are refused with 431."},
    {"server.file_budget", "32G", "Bytes of file-upload bodies in flight, all together."},
    {"server.file_limit", "16G", "Largest file upload (release artifacts)."},
    {"server.first_byte_timeout", "3",
     "Seconds a new connection may stay without sending a byte (0: only "
     "`server.header_timeout`)."},
    {"server.header_timeout", "10",
     "Seconds for a request's headers; also the idle time of a kept-alive connection."},
    {"server.listen", "127.0.0.1:8080", "The internal listener: every route (also `--listen`)."},
    {"server.max_conns", "16384",
     "Open connections of each listener; from 7/8 of it a new connection closes the one idle "
     "the longest. Lowered to fit the open-file limit, whose soft value is raised to the hard "
     "one at start."},
    {"server.max_conns_per_addr", "32", "Open connections from one client address (0: no cap)."},
    {"server.public_listen", "(none)",
     "The public listener: only the routes the public and devices need (also `--public-listen`)."},
    {"server.public_tls_cert", "(none)",
     "PEM certificate chain of the public listener (also `--public-tls-cert`)."},
    {"server.public_tls_key", "(none)",
     "PEM private key of the public listener (also `--public-tls-key`)."},
    {"server.public_url", "(from the Host header)",
     "Base of absolute links (tracking links, on-call pages, security.txt)."},
    {"server.secure_cookies", "0", "1: mark cookies `Secure` always (they are anyway over TLS)."},
    {"server.threads", "4", "Worker threads, each with its own database connection."},
    {"server.tls_cert", "(none)",
     "PEM certificate chain: the internal listener speaks TLS 1.2/1.3 (also `--tls-cert`); "
     "SIGHUP reloads it."},
    {"server.tls_key", "(none)", "PEM private key of the internal listener (also `--tls-key`)."},
    {"server.tmp_dir", "($TMPDIR or /tmp)", "Where large bodies and backups are spooled."},
    {"server.trusted_proxies", "(none)",
     "Comma-separated addresses or CIDRs of reverse proxies whose `X-Forwarded-For` is read "
     "(also `--trusted-proxy`)."},
    {"triage.bulk_max", "10000", "The most findings one bulk decision may change."},
    {"triage.count_cap", "10000",
     "Findings counted exactly on the queue; above it, \"more than\"."},
    {"ui.pending_max", "10000", "Page forms kept for the login after a session ended, in all."},
    {"ui.pending_per_address", "20", "Such forms kept at once from one client address."},
    {"ui.pending_ttl", "900", "Seconds such a form is kept (60 to 86400)."},
    {"update.artifact_dir", "(SQLite: the database file + `.artifacts`)",
     "The directory of the `dir` artifact store; required with PostgreSQL."},
    {"update.artifact_store", "dir",
     "Where release artifacts are kept: `dir` (files) or `db` (the database)."},
    {"update.delta_from", "3",
     "Deltas are made on publish from the last K published releases (0: none)."},
    {"update.delta_max_image", "268435456",
     "No delta is made from or to an artifact larger than this many bytes (at most 2 GiB); "
     "making one takes 6 to 9 bytes of memory per image byte. The full image is offered "
     "instead, audited `delta.skip`."},
    {"update.delta_max_ratio", "0.5",
     "A delta is offered only when at most this share of the full image's length."},
    {"update.delta_method", "zstd",
     "Body of the deltas the server makes: `zstd` (devices need libzstd only) or `lzma` (5-10 % "
     "smaller; devices built with `-DDELTA_APPLY_LZMA`)."},
    {"update.device_cache", "262144",
     "Verified device tokens each server keeps in memory (0: off)."},
    {"update.epoch_poll_ms", "100 (PostgreSQL), 0 (SQLite)",
     "N (at most 1000): a server reads the rollout epoch at most every N ms, so a halt or device "
     "revocation made elsewhere (the CLI, another server) is honoured within N ms and one made "
     "through this server at once. 0: every check-in reads it (on PostgreSQL a round trip that "
     "halves the check-ins a second; docs/operator.md)."},
    {NULL, NULL, NULL},
};
