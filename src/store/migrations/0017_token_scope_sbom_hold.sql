-- 0017: CI tokens scoped to products, and SBOM revisions held for a person.
--
-- api_tokens.products: the comma-separated product names and patterns
-- (`*` and `?`) a token may upload SBOMs for. NULL on tokens made before
-- this migration: a ci token without a scope keeps working as '*' (every
-- product); new ci tokens always get one (`vigil token create --product`).
ALTER TABLE api_tokens ADD COLUMN products TEXT;

-- sboms.held_reason: set when an upload would drop more than half of the
-- version's components or retract findings of actively exploited
-- vulnerabilities. The revision is stored; its findings are reconciled only
-- once a person approves it (approved_at, approved_by).
ALTER TABLE sboms ADD COLUMN held_reason TEXT;
ALTER TABLE sboms ADD COLUMN held_at BIGINT;
ALTER TABLE sboms ADD COLUMN approved_at BIGINT;
ALTER TABLE sboms ADD COLUMN approved_by TEXT;
