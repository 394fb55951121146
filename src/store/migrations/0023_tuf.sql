-- 0023: the TUF repository (src/update/tuf.c). tuf_roles: each role's
-- signers (names of table signers, comma-separated), threshold and lifetime
-- in seconds; delegated roles are "products/NAME". tuf_metadata: every
-- signed version of every role as served (json), its SHA-256 and length
-- (listed in snapshot and timestamp) and expiry. tuf_targets: the target
-- files by path ("PRODUCT/NAME"); their bytes are in the blob table under
-- sha256; current = 1 for the version the product's role lists now (older
-- ones stay servable for clients holding older metadata).
CREATE TABLE tuf_roles (
    role TEXT PRIMARY KEY,
    signers TEXT NOT NULL,
    threshold BIGINT NOT NULL,
    lifetime BIGINT NOT NULL
);
CREATE TABLE tuf_metadata (
    role TEXT NOT NULL,
    version BIGINT NOT NULL,
    json TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    length BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (role, version)
);
CREATE TABLE tuf_targets (
    name TEXT NOT NULL,
    product TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    length BIGINT NOT NULL,
    current BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (name, sha256)
);
CREATE INDEX tuf_targets_product ON tuf_targets (product, current);
