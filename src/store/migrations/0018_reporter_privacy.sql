-- 0018: reporters stay private; products choose to be listed publicly.
--
-- psirt_cases.remote_sha256 held an unsalted SHA-256 of the reporter's
-- address, which anyone can reverse by hashing every IPv4 address. It
-- becomes reporter_addr_mac: a keyed HMAC-SHA256 (core/secret.h, purpose
-- "reporter-addr") under the server's key file outside the database. SQL
-- cannot compute that HMAC, so the plain hashes of existing cases are
-- dropped (NULL): those cases no longer count toward the per-address
-- report rate, and nothing links them to an address any more.
ALTER TABLE psirt_cases RENAME COLUMN remote_sha256 TO reporter_addr_mac;
UPDATE psirt_cases SET reporter_addr_mac = NULL;

-- Products are shown on the public portal (/report) only when marked
-- public; existing products are not.
ALTER TABLE products ADD COLUMN public BIGINT NOT NULL DEFAULT 0;

-- sbom's read view gains the flag (columns are only ever added). SQLite
-- cannot alter a view: drop and create it again, with the columns of 0013
-- first and in the same order.
DROP VIEW sbom_product_view;
CREATE VIEW sbom_product_view AS
SELECT id AS product_id, name AS product, vendor, cra_class, support_until,
	placed_on_market, created_at, public
FROM products;
