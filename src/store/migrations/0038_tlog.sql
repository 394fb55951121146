-- 0038: the Merkle tree over the audit trail (RFC 9162; src/audit/checkpoint.c)
-- and the signed checkpoints made of it.
-- audit_tree holds the hash (hex) of every complete subtree: level 0 the leaf
-- hash of record seq = idx + 1 (SHA-256(0x00 || the record's canonical
-- bytes, store_audit_canonical())), level L the subtree of leaves
-- [idx << L, (idx + 1) << L). A proof reads O(log n) rows. Rows are only
-- appended, in the transaction of a checkpoint and its audit record.
CREATE TABLE audit_tree (
	level BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (level, idx)
);
-- Each checkpoint made: the tree size, its root (hex), the signed note
-- (C2SP tlog-checkpoint) and the verifier key that signed it.
CREATE TABLE audit_checkpoints (
	tree_size BIGINT PRIMARY KEY,
	root TEXT NOT NULL,
	note TEXT NOT NULL,
	vkey TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
